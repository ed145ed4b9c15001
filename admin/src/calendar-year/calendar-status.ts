import type { CalendarStatus } from '../shared/data-provider.ts';

/** The calendar year in Beijing at `now` (a deadline on 31 Dec 23:30 UTC is already next year there). */
export const beijingYear = (now: Date): number =>
  Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));

/**
 * The year staff should enter, when the bff says the coming year is missing:
 * next year (the bff's, whose clock counts, else Beijing's) if it is listed as
 * missing, else the earliest missing year.
 */
export const yearToEnter = (status: CalendarStatus | null | undefined, now: Date): number | null => {
  if (!status?.missingNextYear) return null;
  const next = status.nextYear ?? beijingYear(now) + 1;
  const missing = status.years
    .filter((y) => y.source === 'missing')
    .map((y) => y.year)
    .sort((a, b) => a - b);
  return missing.includes(next) ? next : (missing[0] ?? next);
};

/** The year the entry form starts on: the one to enter, else the first missing, else next year. */
export const defaultEntryYear = (status: CalendarStatus | null | undefined, now: Date): number =>
  yearToEnter(status, now) ??
  status?.years.find((y) => y.source === 'missing' && y.year > beijingYear(now))?.year ??
  beijingYear(now) + 1;
