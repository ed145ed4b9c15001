/**
 * Reading the dates staff paste from the State Council holiday notice
 * (国务院办公厅关于××年部分节假日安排的通知): single days, runs of days, with or
 * without the year. Pure; the page shows what was understood before anything is sent.
 */

export type DateProblem = {
  code: 'invalid' | 'wrong_year' | 'range_invalid' | 'in_both' | 'workday_not_weekend' | 'holidays_empty';
  value: string;
};

const RANGE = /\s*(?:~|～|至|到|—|–|\.\.)\s*/g;
const SEPARATORS = /[\s,，、;；]+/;
const DATE = /^(?:(\d{4})\s*[-/.年])?(\d{1,2})\s*[-/.月](\d{1,2})日?$/;
/** the longest run in a notice is the Spring Festival's 8–9 days; 31 catches a mistyped month */
const MAX_RUN_DAYS = 31;
const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** A real calendar day as YYYY-MM-DD, or null (2027-02-30 is not a day). */
export const toIsoDay = (year: number, month: number, day: number): string | null => {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
};

const parseOne = (token: string, defaultYear: number): string | null => {
  const m = DATE.exec(token);
  if (!m) return null;
  const year = m[1] ? Number(m[1]) : defaultYear;
  return toIsoDay(year, Number(m[2]), Number(m[3]));
};

const DAY_ONLY = /^(\d{1,2})日?$/;

/** The end of a run may give only the day, as the notices do: 10月1日至7日. */
const parseRangeEnd = (token: string, from: string): string | null => {
  const fromYear = Number(from.slice(0, 4));
  const dayOnly = DAY_ONLY.exec(token);
  if (dayOnly) return toIsoDay(fromYear, Number(from.slice(5, 7)), Number(dayOnly[1]));
  return parseOne(token, fromYear);
};

const addDays = (iso: string, days: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const daysBetween = (from: string, to: string): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;

/** Every day in `text`, sorted and without repeats, plus what could not be read. */
export const parseDateList = (text: string, year: number): { dates: string[]; problems: DateProblem[] } => {
  const dates = new Set<string>();
  const problems: DateProblem[] = [];
  const tokens = text.replace(RANGE, '~').split(SEPARATORS).filter(Boolean);
  for (const token of tokens) {
    const parts = token.split('~');
    if (parts.length === 1) {
      const day = parseOne(token, year);
      if (!day) problems.push({ code: 'invalid', value: token });
      else if (!day.startsWith(`${year}-`)) problems.push({ code: 'wrong_year', value: day });
      else dates.add(day);
      continue;
    }
    const from = parts.length === 2 && parts[0] ? parseOne(parts[0], year) : null;
    const to = from && parts[1] ? parseRangeEnd(parts[1], from) : null;
    const span = from && to ? daysBetween(from, to) : -1;
    if (!from || !to || span < 0 || span >= MAX_RUN_DAYS) {
      problems.push({ code: 'range_invalid', value: token });
      continue;
    }
    for (let i = 0; i <= span; i++) {
      const day = addDays(from, i);
      if (day.startsWith(`${year}-`)) dates.add(day);
      else problems.push({ code: 'wrong_year', value: day });
    }
  }
  return { dates: [...dates].sort(), problems };
};

/** 0 = Sunday … 6 = Saturday, for an ISO day. */
export const dayOfWeek = (iso: string): number => new Date(`${iso}T00:00:00Z`).getUTCDay();

export const isWeekend = (iso: string): boolean => {
  const d = dayOfWeek(iso);
  return d === 0 || d === 6;
};

export const weekdayName = (iso: string, locale: string): string => {
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) ? '' : new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(t);
};

export type YearCheck = {
  holidays: string[];
  workdays: string[];
  /** block submission */
  errors: { holidays: DateProblem[]; workdays: DateProblem[] };
  /** shown, but a notice can legitimately do this */
  warnings: DateProblem[];
};

/**
 * Everything the page can tell before the bff decides: unreadable dates, days of
 * another year, a day listed both as a day off and as a make-up working day, and
 * make-up working days that are not at a weekend (unusual; warned, not refused).
 */
export const checkYear = (year: number, holidaysText: string, workdaysText: string): YearCheck => {
  const h = parseDateList(holidaysText, year);
  const w = parseDateList(workdaysText, year);
  const holidayProblems = [...h.problems];
  const workdayProblems = [...w.problems];
  if (h.dates.length === 0 && h.problems.length === 0) holidayProblems.push({ code: 'holidays_empty', value: '' });
  const holidaySet = new Set(h.dates);
  for (const day of w.dates) if (holidaySet.has(day)) workdayProblems.push({ code: 'in_both', value: day });
  const warnings = w.dates.filter((d) => !isWeekend(d)).map((value) => ({ code: 'workday_not_weekend' as const, value }));
  return {
    holidays: h.dates,
    workdays: w.dates,
    errors: { holidays: holidayProblems, workdays: workdayProblems },
    warnings,
  };
};
