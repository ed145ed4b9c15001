import { describe, expect, it } from 'vitest';
import { beijingYear, defaultEntryYear, yearToEnter } from './calendar-status.ts';

const status = (missingNextYear: boolean, years: [number, 'package' | 'staff' | 'missing'][]) => ({
  missingNextYear,
  years: years.map(([year, source]) => ({ year, source })),
});

describe('calendar status', () => {
  it('reads the year in Beijing, not UTC', () => {
    expect(beijingYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
    expect(beijingYear(new Date('2026-12-31T15:00:00Z'))).toBe(2026);
  });

  it('asks for next year when the bff says it is missing', () => {
    const s = status(true, [[2026, 'package'], [2027, 'missing']]);
    expect(yearToEnter(s, new Date('2026-11-25T00:00:00Z'))).toBe(2027);
  });

  it("follows the bff's idea of next year (its clock may be moved in e2e)", () => {
    const s = { ...status(true, [[2027, 'package'], [2028, 'missing']]), nextYear: 2028 };
    expect(yearToEnter(s, new Date('2026-11-25T00:00:00Z'))).toBe(2028);
  });

  it('asks for nothing when next year is there', () => {
    const s = status(false, [[2026, 'package'], [2027, 'staff']]);
    expect(yearToEnter(s, new Date('2026-11-25T00:00:00Z'))).toBeNull();
    expect(defaultEntryYear(s, new Date('2026-11-25T00:00:00Z'))).toBe(2027);
  });
});
