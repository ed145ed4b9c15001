import { describe, expect, it } from 'vitest';
import { checkYear, parseDateList, toIsoDay } from './date-list.ts';

describe('parseDateList', () => {
  it.each([
    ['ISO days, one per line', '2027-01-01\n2027-05-03', ['2027-01-01', '2027-05-03']],
    ['slashes, dots and commas', '2027/1/1, 2027.5.3，2027-05-04', ['2027-01-01', '2027-05-03', '2027-05-04']],
    ['the year left out', '10-01 10/02', ['2027-10-01', '2027-10-02']],
    ['Chinese form', '2027年2月5日、2月6日', ['2027-02-05', '2027-02-06']],
    ['a run with ~', '2027-10-01~2027-10-03', ['2027-10-01', '2027-10-02', '2027-10-03']],
    ['a run as the notice writes it', '10月1日至3日', ['2027-10-01', '2027-10-02', '2027-10-03']],
    ['a run with spaces around 至', '5月1日 至 5月2日', ['2027-05-01', '2027-05-02']],
    ['repeats collapse and order is by day', '2027-05-02 2027-05-01 2027-05-02', ['2027-05-01', '2027-05-02']],
  ])('%s', (_name, text, expected) => {
    const { dates, problems } = parseDateList(text, 2027);
    expect(problems).toEqual([]);
    expect(dates).toEqual(expected);
  });

  it('names what it cannot read', () => {
    const { dates, problems } = parseDateList('2027-02-30 hello 2026-12-31 10-05~10-01 2027-01-01', 2027);
    expect(dates).toEqual(['2027-01-01']);
    expect(problems).toEqual([
      { code: 'invalid', value: '2027-02-30' },
      { code: 'invalid', value: 'hello' },
      { code: 'wrong_year', value: '2026-12-31' },
      { code: 'range_invalid', value: '10-05~10-01' },
    ]);
  });

  it('refuses a run longer than a month (a mistyped month)', () => {
    expect(parseDateList('2027-01-01~2027-03-01', 2027).problems).toEqual([
      { code: 'range_invalid', value: '2027-01-01~2027-03-01' },
    ]);
  });
});

describe('toIsoDay', () => {
  it('knows leap years', () => {
    expect(toIsoDay(2028, 2, 29)).toBe('2028-02-29');
    expect(toIsoDay(2027, 2, 29)).toBeNull();
  });
});

describe('checkYear', () => {
  it('refuses a day that is both off and a make-up working day, and an empty holiday list', () => {
    const both = checkYear(2027, '2027-10-01~2027-10-07', '2027-10-07');
    expect(both.errors.workdays).toEqual([{ code: 'in_both', value: '2027-10-07' }]);
    expect(checkYear(2027, '', '').errors.holidays).toEqual([{ code: 'holidays_empty', value: '' }]);
  });

  it('warns, without refusing, about a make-up working day that is not at a weekend', () => {
    // 2027-09-26 is a Sunday, 2027-09-27 a Monday
    const result = checkYear(2027, '2027-10-01', '2027-09-26 2027-09-27');
    expect(result.errors).toEqual({ holidays: [], workdays: [] });
    expect(result.warnings).toEqual([{ code: 'workday_not_weekend', value: '2027-09-27' }]);
    expect(result.workdays).toEqual(['2027-09-26', '2027-09-27']);
  });
});
