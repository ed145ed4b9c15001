/**
 * Time rules of the platform — rules.md part (e), PD-2:
 *
 * - "N个工作日" = working days of the official Chinese calendar (statutory
 *   holidays and 调休 make-up working days). Source: the `chinese-days`
 *   package for the years it covers, staff overrides on top (admin resource
 *   `calendar-days`), and a Mon–Fri rule for years nobody has entered yet
 *   (`yearSource(year) === 'missing'`, surfaced by `calendar/status`).
 *   Used by R-12.2 (管理岗 review within 一个工作日), X-4.1.10 (受理 within one
 *   working day, 不含当天), R-23.4 (register within 三个工作日 of pre-selection),
 *   R-24.4 (号段 plan published ≥ 三个工作日 ahead); staff deadlines are SLA
 *   timers (PD-3).
 * - A deadline "within N working days of submission" ends at 24:00 of the N-th
 *   working day after the submission day, i.e. the instant 00:00 of the day
 *   after it — see {@link WorkingDayCalendar.deadlineAfterWorkingDays}.
 * - "二十四小时" = 24 clock hours from the event: {@link addHours}.
 * - "一个月/三个月/一年/两年" = calendar months/years clamped at month end
 *   (X-4.2 延期 ≥ 一个月 before expiry, X-4.3.1 one-year qualification and ban,
 *   two-year ban): {@link addCalendarMonths}, {@link addCalendarYears}.
 * - Everything is in Asia/Shanghai, a fixed UTC+8 without daylight saving.
 * - One clock, injectable in tests: {@link Clock}.
 *
 * Calendar days are 'YYYY-MM-DD' strings; instants are `Date`s. No I/O; the
 * only reading of the system time is {@link systemClock}.
 */
import { createRequire } from 'node:module';

// ---------------------------------------------------------------------------
// Calendar days and Asia/Shanghai instants
// ---------------------------------------------------------------------------

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no DST since 1991). */
const SHANGHAI_OFFSET_MS = 8 * MS_PER_HOUR;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function parseDay(day: string): Ymd {
  const match = DAY_RE.exec(day);
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    if (y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return { y, m, d };
  }
  throw new RangeError(`not a calendar day 'YYYY-MM-DD': ${day}`);
}

function formatDay(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function epochDay(day: string): number {
  const { y, m, d } = parseDay(day);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

function fromEpochDay(n: number): string {
  const date = new Date(n * MS_PER_DAY);
  return formatDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function checkInstant(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return ms;
}

function checkInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

/** True for a well-formed, existing 'YYYY-MM-DD' day. */
export function isCalendarDay(day: string): boolean {
  try {
    parseDay(day);
    return true;
  } catch {
    return false;
  }
}

/** The Asia/Shanghai calendar day ('YYYY-MM-DD') of an instant. */
export function shanghaiDay(at: Date): string {
  const local = new Date(checkInstant(at) + SHANGHAI_OFFSET_MS);
  return formatDay(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
}

/** The instant 00:00 Asia/Shanghai of `day` (= 16:00 UTC of the day before). */
export function startOfShanghaiDay(day: string): Date {
  return new Date(epochDay(day) * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}

/** `day` plus `n` calendar days (n may be negative). */
export function addDays(day: string, n: number): string {
  checkInteger(n, 'n');
  return fromEpochDay(epochDay(day) + n);
}

/** Day of the week of `day`: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(day: string): number {
  return new Date(epochDay(day) * MS_PER_DAY).getUTCDay();
}

/**
 * `day` plus `n` calendar months, clamped at the end of the target month
 * (PD-2): 2026-01-31 + 1 = 2026-02-28, 2024-01-31 + 1 = 2024-02-29,
 * 2026-03-31 − 1 = 2026-02-28.
 */
export function addCalendarMonths(day: string, n: number): string {
  checkInteger(n, 'n');
  const { y, m, d } = parseDay(day);
  const index = y * 12 + (m - 1) + n;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  return formatDay(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/**
 * `day` plus `n` calendar years, clamped at month end (PD-2):
 * 2024-02-29 + 1 = 2025-02-28, 2024-02-29 + 4 = 2028-02-29.
 */
export function addCalendarYears(day: string, n: number): string {
  checkInteger(n, 'n');
  return addCalendarMonths(day, 12 * n);
}

/** `at` plus `h` clock hours — "二十四小时" is `addHours(event, 24)`, holidays or not. */
export function addHours(at: Date, h: number): Date {
  return new Date(checkInstant(at) + h * MS_PER_HOUR);
}

// ---------------------------------------------------------------------------
// The official calendar as the chinese-days package has it
// ---------------------------------------------------------------------------

/**
 * The schedule data of chinese-days: `holidays` (days off, weekends of a
 * holiday included), `workdays` (调休 make-up working days), `inLieuDays`;
 * keys 'YYYY-MM-DD', values "English name,中文名,length". Read from the
 * package's static JSON rather than through its functions: those rebuild the
 * data at import time with local-time Date arithmetic and shift every
 * holiday by one day when the process runs west of UTC (e.g. TZ=America/New_York);
 * with TZ=UTC the functions and the JSON agree on every day 2003–2027.
 */
interface PackageSchedule {
  holidays: Readonly<Record<string, string>>;
  workdays: Readonly<Record<string, string>>;
  inLieuDays: Readonly<Record<string, string>>;
}

/**
 * Loaded with `require` rather than `import … with { type: 'json' }`: the bff
 * build (esbuild, target node20, packages external) drops import attributes,
 * and Node refuses a JSON import without them.
 */
function loadPackageSchedule(): PackageSchedule {
  const data: unknown = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json');
  const isDayMap = (v: unknown): v is Record<string, string> =>
    typeof v === 'object' && v !== null && Object.entries(v).every(([k, x]) => DAY_RE.test(k) && typeof x === 'string');
  if (typeof data === 'object' && data !== null) {
    const { holidays, workdays, inLieuDays } = data as Record<string, unknown>;
    if (isDayMap(holidays) && isDayMap(workdays) && isDayMap(inLieuDays)) return { holidays, workdays, inLieuDays };
  }
  throw new Error('chinese-days/dist/chinese-days.json: unexpected format (package upgraded?)');
}

const packageSchedule: PackageSchedule = loadPackageSchedule();

/** Years with at least one statutory holiday in the package data (chinese-days 1.5.7: 2004–2026). */
const packageYears: ReadonlySet<number> = new Set(
  Object.keys(packageSchedule.holidays).map((day) => Number(day.slice(0, 4))),
);

/**
 * Whether the chinese-days package holds the State Council holiday schedule
 * for `year`, read from its data, not from a hard-coded list.
 */
export function packageCoversYear(year: number): boolean {
  return packageYears.has(year);
}

/** What the package says about a day of a covered year: 调休 working day, holiday, or neither. */
export function packageDayEntry(day: string): { kind: 'workday' | 'holiday'; name: string } | undefined {
  parseDay(day);
  const work = packageSchedule.workdays[day];
  if (work !== undefined) return { kind: 'workday', name: work };
  const off = packageSchedule.holidays[day];
  if (off !== undefined) return { kind: 'holiday', name: off };
  return undefined;
}

// ---------------------------------------------------------------------------
// Working-day calendar
// ---------------------------------------------------------------------------

/** A staff decision for one day (admin resource `calendar-days`). */
export type CalendarOverride = { day: string; kind: 'workday' | 'holiday' };

/** Where the working days of a year come from (`calendar/status`). */
export type YearSource = 'staff' | 'package' | 'missing';

export interface CalendarInput {
  /** Staff overrides; they win over everything. For a repeated day the last entry wins. */
  overrides?: readonly CalendarOverride[];
  /** Years whose holidays and make-up days staff have entered completely. */
  staffYears?: readonly number[];
}

export interface WorkingDayCalendar {
  /**
   * Whether `day` is a working day: a staff override wins; else the package
   * schedule when the package covers the year (holidays off, 调休 make-up
   * Saturdays/Sundays on); else Monday–Friday.
   */
  isWorkingDay(day: string): boolean;
  /** 'staff' if staff entered the year; else 'package' if chinese-days covers it; else 'missing'. */
  yearSource(year: number): YearSource;
  /**
   * The n-th working day strictly after `day` (n = 0 → `day` itself; a
   * negative n counts backwards, strictly before `day`).
   * the last day to register after a pre-selection on `day` is
   * `addWorkingDays(day, 3)`.
   */
  addWorkingDays(day: string, n: number): string;
  /**
   * Deadline of "within n working days of `at`" (R-12.2, X-4.1.10: n = 1;
   * n = 3): 24:00 Asia/Shanghai of the n-th working day after the
   * Shanghai day of `at`, returned as the instant 00:00 of the following day.
   * A Friday-evening submission with n = 1 is due Monday 24:00.
   */
  deadlineAfterWorkingDays(at: Date, n: number): Date;
  /**
   * Number of working days in (a, b] — the inverse of addWorkingDays for
   * n ≥ 0: `workingDaysBetween(a, addWorkingDays(a, n)) === n`.
   * When b < a it is −workingDaysBetween(b, a).
   */
  workingDaysBetween(a: string, b: string): number;
}

/** More non-working days in a row than this means the data is broken. */
const MAX_DAYS_OFF_IN_A_ROW = 366;

/** Builds the working-day calendar of PD-2 from staff data and the package. */
export function createCalendar(input: CalendarInput = {}): WorkingDayCalendar {
  const overrides = new Map<string, 'workday' | 'holiday'>();
  for (const o of input.overrides ?? []) {
    parseDay(o.day);
    if (o.kind !== 'workday' && o.kind !== 'holiday') {
      throw new RangeError(`calendar override kind must be workday or holiday: ${String(o.kind)}`);
    }
    overrides.set(o.day, o.kind);
  }
  const staffYears = new Set(input.staffYears ?? []);

  function isWorkingDay(day: string): boolean {
    const kind = overrides.get(day);
    if (kind !== undefined) return kind === 'workday';
    const weekday = dayOfWeek(day);
    if (packageCoversYear(parseDay(day).y)) {
      const entry = packageDayEntry(day);
      if (entry !== undefined) return entry.kind === 'workday';
    }
    return weekday >= 1 && weekday <= 5;
  }

  function yearSource(year: number): YearSource {
    checkInteger(year, 'year');
    if (staffYears.has(year)) return 'staff';
    return packageCoversYear(year) ? 'package' : 'missing';
  }

  function addWorkingDays(day: string, n: number): string {
    checkInteger(n, 'n');
    parseDay(day);
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    let current = day;
    let daysOff = 0;
    while (left > 0) {
      current = addDays(current, step);
      if (isWorkingDay(current)) {
        left--;
        daysOff = 0;
      } else if (++daysOff > MAX_DAYS_OFF_IN_A_ROW) {
        throw new Error(`no working day in the ${MAX_DAYS_OFF_IN_A_ROW} days around ${current}`);
      }
    }
    return current;
  }

  function deadlineAfterWorkingDays(at: Date, n: number): Date {
    checkInteger(n, 'n');
    if (n < 0) throw new RangeError('n must not be negative');
    return startOfShanghaiDay(addDays(addWorkingDays(shanghaiDay(at), n), 1));
  }

  function workingDaysBetween(a: string, b: string): number {
    const from = epochDay(a);
    const to = epochDay(b);
    const [lo, hi, sign] = from <= to ? [from, to, 1] : [to, from, -1];
    let count = 0;
    for (let n = lo + 1; n <= hi; n++) if (isWorkingDay(fromEpochDay(n))) count++;
    return count === 0 ? 0 : sign * count;
  }

  return { isWorkingDay, yearSource, addWorkingDays, deadlineAfterWorkingDays, workingDaysBetween };
}

// ---------------------------------------------------------------------------
// Clock
// ---------------------------------------------------------------------------

/** The one clock of the platform (PD-2): inject it, never read the time elsewhere. */
export interface Clock {
  now(): Date;
}

/** The real time. The only place that reads the system clock. */
export const systemClock: Clock = { now: () => new Date() };

function toMs(at: Date | string): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant: ${String(at)}`);
  return ms;
}

/** A clock standing still at `at` (an ISO string with offset, or a Date). */
export function fixedClock(at: Date | string): Clock {
  const ms = toMs(at);
  return { now: () => new Date(ms) };
}

/** A clock that tests move by hand. */
export interface ManualClock extends Clock {
  /** Moves the clock by `ms` milliseconds (may be negative). */
  advance(ms: number): void;
  /** Puts the clock at `at`. */
  set(at: Date | string): void;
}

/** A {@link ManualClock} starting at `start`. Each `now()` returns a fresh Date. */
export function manualClock(start: Date | string): ManualClock {
  let ms = toMs(start);
  return {
    now: () => new Date(ms),
    advance: (delta) => {
      if (!Number.isFinite(delta)) throw new RangeError(`invalid duration: ${delta}`);
      ms += delta;
    },
    set: (at) => {
      ms = toMs(at);
    },
  };
}
