import { describe, expect, it } from 'vitest';
import { deadlineAt, deadlineOf, deadlineTone, timeLeftKey } from './deadline.ts';

const at = (iso: string) => new Date(iso);

describe('issue 18 deadlines read the same everywhere', () => {
  it('PD-2 an instant at 00:00 Beijing reads as 24:00 of the day before', () => {
    // 2026-12-07 24:00 Beijing = 2026-12-07T16:00Z
    const d = deadlineOf('2026-12-07T16:00:00.000Z', at('2026-12-06T13:00:00Z'))!;
    expect(d).toMatchObject({ day: '2026-12-07', time: '24:00', overdue: false, left: { days: 1, hours: 3, minutes: 0 } });
    expect(timeLeftKey(d)).toEqual({ key: 'app.deadline.left_days', params: { days: 1, hours: 3 } });
  });

  it('a last day ("YYYY-MM-DD") is that day\'s 24:00, the same as the instant', () => {
    expect(deadlineAt('2026-12-07')!.toISOString()).toBe('2026-12-07T16:00:00.000Z');
    expect(deadlineOf('2026-12-07', at('2026-12-07T15:30:00Z'))).toMatchObject({ day: '2026-12-07', time: '24:00', left: { days: 0, hours: 0, minutes: 30 } });
  });

  it('a deadline that is not at midnight keeps its time, on Beijing time whatever the workstation says', () => {
    expect(deadlineOf('2026-12-07T09:30:00Z', at('2026-12-07T00:00:00Z'))).toMatchObject({ day: '2026-12-07', time: '17:30' });
  });

  it('under a day: hours and minutes; under an hour: minutes; overdue counts the other way', () => {
    const soon = deadlineOf('2026-12-07T16:00:00Z', at('2026-12-07T10:15:30Z'))!;
    expect(timeLeftKey(soon)).toEqual({ key: 'app.deadline.left_hours', params: { hours: 5, minutes: 44 } });
    expect(deadlineTone(soon)).toBe('warning');
    const late = deadlineOf('2026-12-07T16:00:00Z', at('2026-12-09T18:00:00Z'))!;
    expect(late.overdue).toBe(true);
    expect(timeLeftKey(late)).toEqual({ key: 'app.deadline.overdue_days', params: { days: 2, hours: 2 } });
    expect(deadlineTone(late)).toBe('error');
    expect(timeLeftKey(deadlineOf('2026-12-07T16:00:00Z', at('2026-12-07T16:07:00Z'))!)).toEqual({ key: 'app.deadline.overdue_minutes', params: { minutes: 7 } });
    expect(deadlineTone(deadlineOf('2026-12-10T16:00:00Z', at('2026-12-07T16:00:00Z'))!)).toBe('neutral');
  });

  it('no deadline, no text: null, empty and malformed values', () => {
    expect(deadlineOf(null, new Date())).toBeNull();
    expect(deadlineOf('', new Date())).toBeNull();
    expect(deadlineOf('soon', new Date())).toBeNull();
  });
});
