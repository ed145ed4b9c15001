import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import chineseDays from 'chinese-days';
import {
  addCalendarMonths,
  addCalendarYears,
  addDays,
  addHours,
  createCalendar,
  dayOfWeek,
  fixedClock,
  isCalendarDay,
  manualClock,
  packageCoversYear,
  packageDayEntry,
  shanghaiDay,
  startOfShanghaiDay,
  systemClock,
} from './calendar.ts';

const calendar = createCalendar();

/** All days from `from` to `to` inclusive. */
function daysFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** 00:00 Asia/Shanghai of `day` written as an ISO instant with offset, for readable expectations. */
function midnightShanghai(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

// ---------------------------------------------------------------------------
// What the chinese-days package says about 2026 (国办发明电〔2025〕7号)
// ---------------------------------------------------------------------------

describe('PD-2: the official 2026 schedule as chinese-days 1.5.7 reports it', () => {
  it('春节 2026: off Sun 02-15 … Mon 02-23 (9 days); make-up working Saturdays 02-14 and 02-28', () => {
    const working = daysFrom('2026-02-10', '2026-03-01').filter((d) => calendar.isWorkingDay(d));
    expect(working).toEqual([
      '2026-02-10', '2026-02-11', '2026-02-12', '2026-02-13',
      '2026-02-14', // Saturday, 调休上班
      '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27',
      '2026-02-28', // Saturday, 调休上班
    ]);
    expect(dayOfWeek('2026-02-14')).toBe(6);
    expect(dayOfWeek('2026-02-28')).toBe(6);
    expect(packageDayEntry('2026-02-14')).toEqual({ kind: 'workday', name: 'Spring Festival,春节,4' });
    expect(packageDayEntry('2026-02-15')).toEqual({ kind: 'holiday', name: 'Spring Festival,春节,4' });
    expect(packageDayEntry('2026-02-23')).toEqual({ kind: 'holiday', name: 'Spring Festival,春节,4' });
    expect(packageDayEntry('2026-02-28')).toEqual({ kind: 'workday', name: 'Spring Festival,春节,4' });
    expect(packageDayEntry('2026-02-24')).toBeUndefined();
  });

  it('中秋 + 国庆 2026: off Fri 09-25 … Sun 09-27 and Thu 10-01 … Wed 10-07; make-up Sun 09-20 and Sat 10-10', () => {
    const off = daysFrom('2026-09-19', '2026-10-11').filter((d) => !calendar.isWorkingDay(d));
    expect(off).toEqual([
      '2026-09-19', // ordinary Saturday
      '2026-09-25', '2026-09-26', '2026-09-27', // 中秋
      '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', // 国庆
      '2026-10-11', // ordinary Sunday
    ]);
    expect(dayOfWeek('2026-09-20')).toBe(0);
    expect(dayOfWeek('2026-10-10')).toBe(6);
    expect(packageDayEntry('2026-09-20')).toEqual({ kind: 'workday', name: 'National Day,国庆节,3' });
    expect(packageDayEntry('2026-10-10')).toEqual({ kind: 'workday', name: 'National Day,国庆节,3' });
    expect(packageDayEntry('2026-10-01')).toEqual({ kind: 'holiday', name: 'National Day,国庆节,3' });
    expect(packageDayEntry('2026-10-07')).toEqual({ kind: 'holiday', name: 'National Day,国庆节,3' });
    expect(packageDayEntry('2026-09-25')).toEqual({ kind: 'holiday', name: 'Mid-autumn Festival,中秋,1' });
    expect(packageDayEntry('2026-10-08')).toBeUndefined();
  });

  it('the other 2026 make-up days: Sun 01-04 (元旦) and Sat 05-09 (劳动节)', () => {
    expect(calendar.isWorkingDay('2026-01-04')).toBe(true);
    expect(calendar.isWorkingDay('2026-05-09')).toBe(true);
    expect(calendar.isWorkingDay('2026-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-05-05')).toBe(false);
  });

  // chinese-days builds its runtime data with local-time Dates; only in a
  // process at UTC (how the tests run) are its functions a fair reference.
  const processAtUtc = new Date(2026, 0, 1).getTimezoneOffset() === 0 && new Date(2026, 6, 1).getTimezoneOffset() === 0;
  it.runIf(processAtUtc)('agrees with chinese-days isWorkday() on every day 2003–2027 (process at UTC)', () => {
    for (const day of daysFrom('2003-01-01', '2027-12-31')) {
      expect([day, calendar.isWorkingDay(day)]).toEqual([day, chineseDays.isWorkday(day)]);
    }
  });

  it.each([
    [2004, 'package'],
    [2025, 'package'],
    [2026, 'package'],
    [2003, 'missing'],
    [2027, 'missing'],
  ] as const)('yearSource(%i) is %s, detected from the package data', (year, source) => {
    expect(calendar.yearSource(year)).toBe(source);
    expect(packageCoversYear(year)).toBe(source === 'package');
  });
});

// ---------------------------------------------------------------------------
// addWorkingDays / workingDaysBetween
// ---------------------------------------------------------------------------

describe('PD-2: addWorkingDays counts working days strictly after the day', () => {
  it.each([
    ['R-23.4 three working days over National Day: pre-selected Wed 09-30 → make-up Sat 10-10', '2026-09-30', 3, '2026-10-10'],
    ['the make-up Saturday 02-14 is the working day after Fri 02-13', '2026-02-13', 1, '2026-02-14'],
    ['Spring Festival: after make-up Sat 02-14 comes Tue 02-24', '2026-02-14', 1, '2026-02-24'],
    ['three working days from Thu 02-12 across the Spring Festival', '2026-02-12', 3, '2026-02-24'],
    ['from inside the Spring Festival holiday', '2026-02-20', 1, '2026-02-24'],
    ['make-up Sat 02-28 follows Fri 02-27', '2026-02-27', 1, '2026-02-28'],
    ['make-up Sun 09-20 follows Fri 09-18', '2026-09-18', 1, '2026-09-20'],
    ['中秋 Fri 09-25 is skipped', '2026-09-24', 1, '2026-09-28'],
    ['an ordinary week', '2026-03-09', 5, '2026-03-16'],
    ['n = 0 is the day itself', '2026-03-07', 0, '2026-03-07'],
    ['backwards over the Spring Festival', '2026-02-24', -1, '2026-02-14'],
    ['backwards over National Day', '2026-10-08', -1, '2026-09-30'],
    ['into 2027 (no data: weekday rule)', '2026-12-31', 1, '2027-01-01'],
  ] as const)('%s', (_name, day, n, expected) => {
    expect(calendar.addWorkingDays(day, n)).toBe(expected);
  });

  it.each([
    ['2026-09-30', '2026-10-10', 3],
    ['2026-10-10', '2026-09-30', -3],
    ['2026-02-13', '2026-02-24', 2],
    ['2026-03-06', '2026-03-06', 0],
    ['2026-03-06', '2026-03-08', 0],
  ] as const)('workingDaysBetween(%s, %s) = %i', (a, b, n) => {
    expect(calendar.workingDaysBetween(a, b)).toBe(n);
  });

  it('property: workingDaysBetween(d, addWorkingDays(d, n)) = n over 2026', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 20 }), (offset, n) => {
        const day = addDays('2026-01-01', offset);
        const target = calendar.addWorkingDays(day, n);
        expect(calendar.isWorkingDay(target) || n === 0).toBe(true);
        expect(calendar.workingDaysBetween(day, target)).toBe(n);
        expect(calendar.workingDaysBetween(target, day)).toBe(n === 0 ? 0 : -n);
      }),
      { numRuns: 200 },
    );
  });

  it('property: counting back k working days from a working day and forward again returns to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 20 }), (offset, k) => {
        const day = calendar.addWorkingDays(addDays('2026-01-01', offset), 1);
        expect(calendar.addWorkingDays(calendar.addWorkingDays(day, -k), k)).toBe(day);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects bad input', () => {
    expect(() => calendar.addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-02-10', 1.5)).toThrow(RangeError);
    const allOff = createCalendar({
      overrides: daysFrom('2026-03-01', '2027-04-01').map((day) => ({ day, kind: 'holiday' as const })),
    });
    expect(() => allOff.addWorkingDays('2026-03-01', 1)).toThrow(/no working day/);
  });
});

// ---------------------------------------------------------------------------
// deadlineAfterWorkingDays
// ---------------------------------------------------------------------------

describe('PD-2: deadlines end at 24:00 Asia/Shanghai of the n-th working day after the submission day', () => {
  it.each([
    [
      'PD-2: "一个工作日" deadline from a Friday submission ends Monday 24:00 Asia/Shanghai',
      '2026-03-06T21:30:00+08:00', 1, '2026-03-10',
    ],
    [
      'R-12.2 review deadline: 00:30 Friday in Shanghai (still Thursday in UTC) counts as Friday → Monday 24:00',
      '2026-03-05T16:30:00Z', 1, '2026-03-10',
    ],
    [
      'R-12.2 review deadline: 23:59 Thursday in Shanghai → Friday 24:00',
      '2026-03-05T23:59:59+08:00', 1, '2026-03-07',
    ],
    [
      'X-4.1.10 受理 "一个工作日（不含当天）" on the day before National Day (Wed 09-30) → Thu 10-08 24:00',
      '2026-09-30T10:00:00+08:00', 1, '2026-10-09',
    ],
    [
      'X-4.1.10 on the Friday before the Spring Festival → make-up Saturday 02-14 24:00',
      '2026-02-13T18:00:00+08:00', 1, '2026-02-15',
    ],
    [
      'R-12.2 on the make-up Saturday 02-14 → Tue 02-24 24:00, after the whole Spring Festival',
      '2026-02-14T09:00:00+08:00', 1, '2026-02-25',
    ],
    [
      'R-12.2 on the make-up Sunday 09-20 → Mon 09-21 24:00',
      '2026-09-20T11:00:00+08:00', 1, '2026-09-22',
    ],
    [
      'R-12.2 submitted on a National Day holiday (10-03) → Thu 10-08 24:00',
      '2026-10-03T12:00:00+08:00', 1, '2026-10-09',
    ],
    [
      'R-23.4 register within three working days of a pre-selection on Wed 09-30 → make-up Sat 10-10 24:00',
      '2026-09-30T15:00:00+08:00', 3, '2026-10-11',
    ],
    ['n = 0 ends at 24:00 of the submission day itself', '2026-03-06T08:00:00+08:00', 0, '2026-03-07'],
  ] as const)('%s', (_name, at, n, endsAtMidnightOf) => {
    const deadline = calendar.deadlineAfterWorkingDays(new Date(at), n);
    expect(deadline.toISOString()).toBe(midnightShanghai(endsAtMidnightOf).toISOString());
  });

  it('the deadline instant is 16:00 UTC of the last working day', () => {
    const deadline = calendar.deadlineAfterWorkingDays(new Date('2026-03-06T21:30:00+08:00'), 1);
    expect(deadline.toISOString()).toBe('2026-03-09T16:00:00.000Z');
  });

  it('rejects a negative n', () => {
    expect(() => calendar.deadlineAfterWorkingDays(new Date('2026-03-06T08:00:00+08:00'), -1)).toThrow(RangeError);
  });

  it('X-7.1 "日" counts working days and "以内" includes the stated number: three working days from Fri 03-06 take in all of Wed 03-11, not Sat/Sun', () => {
    const deadline = calendar.deadlineAfterWorkingDays(new Date('2026-03-06T10:00:00+08:00'), 3);
    // the third working day (Wed 03-11) is inside, to its last second; the weekend is not counted
    expect(new Date('2026-03-11T23:59:59+08:00').getTime()).toBeLessThan(deadline.getTime());
    expect(new Date('2026-03-12T00:00:00+08:00').getTime()).toBeGreaterThanOrEqual(deadline.getTime());
    expect(calendar.workingDaysBetween('2026-03-06', '2026-03-11')).toBe(3);
  });
});

// ---------------------------------------------------------------------------
// Staff overrides and years without package data
// ---------------------------------------------------------------------------

describe('PD-2: staff overrides win over the package and the weekday rule', () => {
  it('an override turns a weekday (Tue 2026-03-10) into a holiday', () => {
    const cal = createCalendar({ overrides: [{ day: '2026-03-10', kind: 'holiday' }] });
    expect(calendar.isWorkingDay('2026-03-10')).toBe(true);
    expect(cal.isWorkingDay('2026-03-10')).toBe(false);
    expect(cal.addWorkingDays('2026-03-09', 1)).toBe('2026-03-11');
    expect(cal.deadlineAfterWorkingDays(new Date('2026-03-09T10:00:00+08:00'), 1).toISOString()).toBe(
      midnightShanghai('2026-03-12').toISOString(),
    );
  });

  it('an override turns a weekend day (Sat 2026-03-14) into a working day', () => {
    const cal = createCalendar({ overrides: [{ day: '2026-03-14', kind: 'workday' }] });
    expect(calendar.isWorkingDay('2026-03-14')).toBe(false);
    expect(cal.isWorkingDay('2026-03-14')).toBe(true);
    expect(cal.addWorkingDays('2026-03-13', 1)).toBe('2026-03-14');
  });

  it('overrides beat the package schedule in both directions', () => {
    const cal = createCalendar({
      overrides: [
        { day: '2026-10-07', kind: 'workday' }, // package: 国庆 holiday
        { day: '2026-10-08', kind: 'holiday' }, // package: ordinary Thursday
      ],
    });
    expect(cal.isWorkingDay('2026-10-07')).toBe(true);
    expect(cal.isWorkingDay('2026-10-08')).toBe(false);
    expect(cal.addWorkingDays('2026-09-30', 2)).toBe('2026-10-09');
    expect(cal.yearSource(2026)).toBe('package');
  });

  it('for a repeated day the last override wins', () => {
    const cal = createCalendar({
      overrides: [
        { day: '2026-03-10', kind: 'holiday' },
        { day: '2026-03-10', kind: 'workday' },
      ],
    });
    expect(cal.isWorkingDay('2026-03-10')).toBe(true);
  });

  it('rejects an override with a malformed day', () => {
    expect(() => createCalendar({ overrides: [{ day: '2026-3-10', kind: 'holiday' }] })).toThrow(RangeError);
  });
});

describe('PD-2: a year the package does not cover', () => {
  it('2027 without staff data is "missing" and falls back to Monday–Friday', () => {
    expect(calendar.yearSource(2027)).toBe('missing');
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true); // a Friday; 元旦 unknown until staff enter 2027
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2027-01-03')).toBe(false);
    expect(calendar.addWorkingDays('2027-01-01', 1)).toBe('2027-01-04');
  });

  it('2027 entered by staff is "staff" and uses the overrides on top of Monday–Friday', () => {
    // Illustrative staff entries, not the official 2027 schedule.
    const cal = createCalendar({
      staffYears: [2027],
      overrides: [
        { day: '2027-01-01', kind: 'holiday' },
        { day: '2027-02-06', kind: 'workday' },
      ],
    });
    expect(cal.yearSource(2027)).toBe('staff');
    expect(cal.yearSource(2026)).toBe('package');
    expect(cal.yearSource(2028)).toBe('missing');
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-02-06')).toBe(true); // a Saturday
    expect(cal.isWorkingDay('2027-01-05')).toBe(true); // no override: weekday rule
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(cal.deadlineAfterWorkingDays(new Date('2026-12-31T20:00:00+08:00'), 1).toISOString()).toBe(
      midnightShanghai('2027-01-05').toISOString(),
    );
  });
});

describe('the package lookup does not depend on the process time zone', () => {
  const saved = process.env['TZ'];
  afterEach(() => {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  });

  it.each(['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati'])('TZ=%s', (tz) => {
    process.env['TZ'] = tz;
    const cal = createCalendar();
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.isWorkingDay('2026-02-15')).toBe(false);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
    expect(cal.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(shanghaiDay(new Date('2026-03-05T16:30:00Z'))).toBe('2026-03-06');
  });
});

// ---------------------------------------------------------------------------
// Pure date helpers
// ---------------------------------------------------------------------------

describe('PD-2: Asia/Shanghai days and instants', () => {
  it.each([
    ['2026-03-05T15:59:59.999Z', '2026-03-05'],
    ['2026-03-05T16:00:00.000Z', '2026-03-06'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01'],
    ['2026-03-06T00:00:00+08:00', '2026-03-06'],
  ])('shanghaiDay(%s) = %s', (iso, day) => {
    expect(shanghaiDay(new Date(iso))).toBe(day);
  });

  it('startOfShanghaiDay is 16:00 UTC of the day before', () => {
    expect(startOfShanghaiDay('2026-03-06').toISOString()).toBe('2026-03-05T16:00:00.000Z');
    expect(startOfShanghaiDay('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('R-21.1.4 "二十四小时" = 24 clock hours, holiday or not', () => {
    const created = new Date('2026-09-30T18:00:00+08:00');
    expect(addHours(created, 24).toISOString()).toBe(new Date('2026-10-01T18:00:00+08:00').toISOString());
  });

  it.each(['2026-02-29', '2026-13-01', '2026-2-1', '2026-02-01T00:00', '0999-01-01', ''])(
    '%j is not a calendar day',
    (day) => {
      expect(isCalendarDay(day)).toBe(false);
      expect(() => addDays(day, 1)).toThrow(RangeError);
      expect(() => calendar.isWorkingDay(day)).toThrow(RangeError);
    },
  );

  it('shanghaiDay rejects an invalid Date', () => {
    expect(() => shanghaiDay(new Date('nope'))).toThrow(RangeError);
  });
});

describe('PD-2: calendar months and years are clamped at month end', () => {
  it.each([
    ['Jan 31 + 1 month = Feb 28', '2026-01-31', 1, '2026-02-28'],
    ['Jan 31 + 1 month = Feb 29 in a leap year', '2024-01-31', 1, '2024-02-29'],
    ['Aug 31 + 1 month = Sep 30', '2026-08-31', 1, '2026-09-30'],
    ['三个月 across the year end', '2026-11-30', 3, '2027-02-28'],
    ['X-4.2 延期 "≥一个月" before an expiry on Mar 31 → apply by Feb 28', '2026-03-31', -1, '2026-02-28'],
    ['minus months across the year start', '2026-01-15', -2, '2025-11-15'],
    ['twelve months', '2026-01-15', 12, '2027-01-15'],
    ['zero', '2026-05-31', 0, '2026-05-31'],
  ] as const)('addCalendarMonths: %s', (_name, day, n, expected) => {
    expect(addCalendarMonths(day, n)).toBe(expected);
  });

  it.each([
    ['X-4.3.1 one-year qualification from Feb 29 ends Feb 28', '2024-02-29', 1, '2025-02-28'],
    ['R-23.4 two-year ban from Feb 29', '2024-02-29', 2, '2026-02-28'],
    ['four years from Feb 29 is Feb 29 again', '2024-02-29', 4, '2028-02-29'],
    ['an ordinary day', '2026-05-20', 2, '2028-05-20'],
  ] as const)('addCalendarYears: %s', (_name, day, n, expected) => {
    expect(addCalendarYears(day, n)).toBe(expected);
  });

  it('property: the result is a real day in the target month, never past the start day-of-month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: -60, max: 60 }), (offset, n) => {
        const day = addDays('2020-01-01', offset);
        const result = addCalendarMonths(day, n);
        expect(isCalendarDay(result)).toBe(true);
        const [y, m, d] = day.split('-').map(Number) as [number, number, number];
        const [ry, rm, rd] = result.split('-').map(Number) as [number, number, number];
        expect(ry * 12 + rm).toBe(y * 12 + m + n);
        expect(rd).toBeLessThanOrEqual(d);
        if (rd < d) expect(addDays(result, 1).slice(8)).toBe('01');
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// Clock
// ---------------------------------------------------------------------------

describe('PD-2: one injectable clock', () => {
  it('fixedClock stands still and hands out fresh Dates', () => {
    const clock = fixedClock('2026-03-06T21:30:00+08:00');
    const a = clock.now();
    a.setTime(0);
    expect(clock.now().toISOString()).toBe('2026-03-06T13:30:00.000Z');
  });

  it('manualClock advances and can be set', () => {
    const clock = manualClock(new Date('2026-02-13T18:00:00+08:00'));
    clock.advance(24 * 3_600_000);
    expect(shanghaiDay(clock.now())).toBe('2026-02-14');
    clock.set('2026-10-01T00:00:00+08:00');
    expect(clock.now().toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(() => clock.set('not a date')).toThrow(RangeError);
  });

  it('a deadline computed from an injected clock', () => {
    const clock = fixedClock('2026-02-14T09:00:00+08:00');
    expect(calendar.deadlineAfterWorkingDays(clock.now(), 1).toISOString()).toBe('2026-02-24T16:00:00.000Z');
  });

  it('systemClock returns the current time as a Date', () => {
    expect(systemClock.now()).toBeInstanceOf(Date);
    expect(Number.isNaN(systemClock.now().getTime())).toBe(false);
  });
});
