import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { deadlineAt, deadlineText, startOfDay, timeLeft } from './deadline.ts';

describe('deadlineText (R-12.2: one working day from submission)', () => {
  it('shows 00:00 Beijing of Tuesday as Monday 24:00', () => {
    expect(deadlineText('2026-11-30T16:00:00.000Z')).toBe('2026-11-30 24:00');
  });
  it('keeps a malformed value as it is', () => {
    expect(deadlineText('soon')).toBe('soon');
  });
  it('issue 18: a last day reads as its 24:00', () => {
    expect(deadlineText('2026-12-07')).toBe('2026-12-07 24:00');
  });
});

describe('timeLeft (issue 18: deadlines read the same, with the time left)', () => {
  // 2026-12-05 10:00 Beijing
  const now = new Date('2026-12-05T02:00:00.000Z');

  it('a last day ends at its 24:00 Beijing time', () => {
    expect(deadlineAt('2026-12-07')?.toISOString()).toBe('2026-12-07T16:00:00.000Z');
    expect(deadlineAt(startOfDay('2026-12-08'))?.toISOString()).toBe('2026-12-07T16:00:00.000Z');
    expect(deadlineAt('soon')).toBeNull();
    expect(deadlineAt(null)).toBeNull();
  });

  it('counts whole days from a day on, hours under a day, minutes under an hour', () => {
    // 2026-12-07 24:00 is 2 days 14 hours away
    expect(timeLeft('2026-12-07', now)).toEqual({ key: 'deadline.leftDays', params: { n: 2 }, overdue: false });
    expect(timeLeft('2026-12-05T16:00:00.000Z', now)).toEqual({ key: 'deadline.leftHours', params: { n: 14 }, overdue: false });
    expect(timeLeft('2026-12-05T02:59:30.000Z', now)).toEqual({ key: 'deadline.leftMinutes', params: { n: 59 }, overdue: false });
    expect(timeLeft('2026-12-05T02:00:20.000Z', now)).toEqual({ key: 'deadline.leftMinutes', params: { n: 1 }, overdue: false });
  });

  it('one day or hour reads in the singular', () => {
    expect(timeLeft('2026-12-06T03:00:00.000Z', now)?.key).toBe('deadline.leftDay');
    expect(timeLeft('2026-12-05T03:30:00.000Z', now)?.key).toBe('deadline.leftHour');
  });

  it('past the deadline it is overdue', () => {
    expect(timeLeft('2026-12-04', now)).toEqual({ key: 'deadline.overdue', params: { n: 0 }, overdue: true });
    expect(timeLeft(now.toISOString(), now)?.overdue).toBe(true);
  });

  it('is not a deadline when the value is not one', () => {
    expect(timeLeft('soon', now)).toBeNull();
    expect(timeLeft(undefined, now)).toBeNull();
  });

  it('reads "还剩 2 天" and "2 days left"', () => {
    const left = timeLeft('2026-12-07', now)!;
    const zh = translator('zh-CN');
    const en = translator('en');
    expect(zh('deadline.wrap', { left: zh(left.key, left.params) })).toBe('（还剩 2 天）');
    expect(en(left.key, left.params)).toBe('2 days left');
    expect(en('deadline.overdue')).toBe('overdue');
  });
});
