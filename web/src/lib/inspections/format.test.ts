import { describe, expect, it } from 'vitest';
import { addDays, byDay, dayLabel } from './format.ts';

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
});
