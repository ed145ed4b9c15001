import type { YearSource } from '../../platform/calendar.ts';

/**
 * Checks a year's holiday list as staff enter it (PD-2): every date in
 * that year, none both holiday and make-up working day.
 */
export function checkYearEntry(year: number, holidays: readonly string[], workdays: readonly string[]):
  | { ok: true }
  | { ok: false; code: 'calendar.day_outside_year' | 'calendar.day_conflict' } {
  const all = [...holidays, ...workdays];
  if (all.some((d) => !d.startsWith(`${year}-`))) return { ok: false, code: 'calendar.day_outside_year' };
  const h = new Set(holidays);
  if (workdays.some((d) => h.has(d))) return { ok: false, code: 'calendar.day_conflict' };
  return { ok: true };
}

/** The admin warning: next year has neither package data nor a staff entry. */
export function calendarStatus(currentYear: number, source: (year: number) => YearSource) {
  const years = [currentYear - 1, currentYear, currentYear + 1, currentYear + 2].map((year) => ({ year, source: source(year) }));
  return { years, missingNextYear: source(currentYear + 1) === 'missing', nextYear: currentYear + 1 };
}
