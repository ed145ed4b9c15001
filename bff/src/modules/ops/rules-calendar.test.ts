/**
 * The calendar-entry rules of ops/rules.ts, pure (PD-2; issue 18: no
 * surviving mutant in a rules.ts).
 */
import { describe, expect, it } from 'vitest';
import { calendarStatus, checkYearEntry } from './rules.ts';

describe('PD-2 a year’s holiday list as staff enter it', () => {
  it('PD-2 every date inside the year, none both holiday and make-up working day', () => {
    expect(checkYearEntry(2027, ['2027-01-01', '2027-02-06'], ['2027-02-14'])).toEqual({ ok: true });
    expect(checkYearEntry(2027, [], [])).toEqual({ ok: true });
    expect(checkYearEntry(2027, ['2026-12-31'], [])).toEqual({ ok: false, code: 'calendar.day_outside_year' });
    expect(checkYearEntry(2027, ['2027-01-01'], ['2028-01-02'])).toEqual({ ok: false, code: 'calendar.day_outside_year' });
    expect(checkYearEntry(2027, ['12027-01-01'], [])).toEqual({ ok: false, code: 'calendar.day_outside_year' });
    expect(checkYearEntry(2027, ['2027-01-01', '2027-02-06'], ['2027-02-06'])).toEqual({ ok: false, code: 'calendar.day_conflict' });
  });

  it('PD-2 the status lists last year to the year after next, and warns when next year is missing', () => {
    const sources: Record<number, 'package' | 'staff' | 'missing'> = { 2025: 'package', 2026: 'package', 2027: 'missing', 2028: 'missing' };
    const s = calendarStatus(2026, (y) => sources[y] ?? 'missing');
    expect(s).toEqual({
      years: [{ year: 2025, source: 'package' }, { year: 2026, source: 'package' }, { year: 2027, source: 'missing' }, { year: 2028, source: 'missing' }],
      missingNextYear: true,
      nextYear: 2027,
    });
    expect(calendarStatus(2026, (y) => (y === 2027 ? 'staff' : 'missing')).missingNextYear).toBe(false);
  });
});
