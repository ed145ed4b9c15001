import { formatDate } from '$lib/format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A working-day deadline is the instant 00:00 of the following day (PD-2);
 * people read it as "by the end of that day": '2026-11-30 24:00'.
 */
export function deadlineText(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${formatDate(new Date(at.getTime() - 1).toISOString())} 24:00`;
}

/**
 * The instant a deadline ends (issue 18): an ISO instant as it is, or a last
 * day "YYYY-MM-DD" (inclusive) as 24:00 of that day, Beijing time. Anything
 * else is not a deadline.
 */
export function deadlineAt(value: string | null | undefined): Date | null {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(Date.parse(`${value}T00:00:00+08:00`) + DAY);
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

/** The start of a calendar day, Beijing time: a deadline "before that day" ends then. */
export const startOfDay = (day: string): string => `${day}T00:00:00+08:00`;

export type TimeLeftKey = 'deadline.leftDay' | 'deadline.leftDays' | 'deadline.leftHour' | 'deadline.leftHours' | 'deadline.leftMinutes' | 'deadline.overdue';

/**
 * The time left before a deadline, as a message key and its parameters
 * (issue 18: "还剩 2 天" / "2 days left"): whole days from a day on, whole
 * hours under a day, minutes under an hour (at least 1), and "overdue" once
 * the deadline has passed. Null for a value that is not a deadline.
 */
export function timeLeft(value: string | null | undefined, now: Date): { key: TimeLeftKey; params: { n: number }; overdue: boolean } | null {
  const at = deadlineAt(value);
  if (!at) return null;
  const diff = at.getTime() - now.getTime();
  if (diff <= 0) return { key: 'deadline.overdue', params: { n: 0 }, overdue: true };
  if (diff >= DAY) {
    const n = Math.floor(diff / DAY);
    return { key: n === 1 ? 'deadline.leftDay' : 'deadline.leftDays', params: { n }, overdue: false };
  }
  if (diff >= HOUR) {
    const n = Math.floor(diff / HOUR);
    return { key: n === 1 ? 'deadline.leftHour' : 'deadline.leftHours', params: { n }, overdue: false };
  }
  return { key: 'deadline.leftMinutes', params: { n: Math.max(1, Math.floor(diff / MINUTE)) }, overdue: false };
}
