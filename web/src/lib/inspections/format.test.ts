import { describe, expect, it } from 'vitest';
import { addDays, byDay, dayLabel, daysOf, initialDay, telHref } from './format.ts';

describe('inspection formatting', () => {
  it('labels a calendar day with its weekday in both languages, whatever the time zone', () => {
    expect(dayLabel('2026-11-26', 'zh-CN')).toContain('周四');
    expect(dayLabel('2026-11-26', 'en')).toContain('Thu');
    expect(dayLabel('nonsense', 'en')).toBe('nonsense');
  });

  it('groups slots by day in day order', () => {
    const g = byDay([{ day: '2026-11-27', id: 'b' }, { day: '2026-11-26', id: 'a' }, { day: '2026-11-27', id: 'c' }]);
    expect(g.map((x) => [x.day, x.items.map((i) => i.id)])).toEqual([['2026-11-26', ['a']], ['2026-11-27', ['b', 'c']]]);
  });

  it('adds days across month ends', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-10', -14)).toBe('2026-11-26');
  });

  it('lists the days of a search with their free places over all stations, for picking a date first', () => {
    const days = daysOf([
      { slots: [{ day: '2026-11-27', free: 0 }, { day: '2026-11-26', free: 0 }] },
      { slots: [{ day: '2026-11-27', free: 3 }, { day: '2026-11-28', free: 2 }, { day: '2026-11-28', free: 1 }] },
    ]);
    expect(days).toEqual([{ day: '2026-11-26', free: 0 }, { day: '2026-11-27', free: 3 }, { day: '2026-11-28', free: 3 }]);
    expect(initialDay(days, null)).toBe('2026-11-27');
    expect(initialDay(days, '2026-11-28')).toBe('2026-11-28');
    expect(initialDay(days, '2030-01-01')).toBe('2026-11-27');
    expect(initialDay([], null)).toBeNull();
  });

  it('makes tel: links of station phone numbers', () => {
    expect(telHref('0755-8888 1234')).toBe('tel:075588881234');
    expect(telHref('+86 20 1234 5678')).toBe('tel:+862012345678');
  });
});
