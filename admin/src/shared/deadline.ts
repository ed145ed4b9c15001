/**
 * Deadlines read the same everywhere (issue 18): "2026-12-07 24:00 前" with the
 * time left. A deadline is an instant (PD-2: 24:00 of a working day is 00:00 of
 * the next calendar day) or a last day ("YYYY-MM-DD", meaning that day's 24:00);
 * both are shown on Beijing time, and an instant at 00:00 reads as 24:00 of the
 * day before — the day the staff member has, not the day after it.
 */

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Deadline = {
  /** The calendar day the deadline ends, Beijing time. */
  day: string;
  /** "24:00" for the end of `day`, else "HH:MM". */
  time: string;
  /** The instant of the deadline. */
  at: Date;
  overdue: boolean;
  /** Whole days, hours and minutes left (or past, when overdue), rounded down to the minute. */
  left: { days: number; hours: number; minutes: number };
};

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DD" → the instant 24:00 of that day in Beijing. */
const endOfDay = (day: string): Date => new Date(Date.parse(`${day}T00:00:00Z`) + DAY - SHANGHAI_OFFSET_MS);

/** Parses what the bff sends: an ISO instant or a calendar day; anything else is not a deadline. */
export function deadlineAt(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return endOfDay(value);
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

export function deadlineOf(value: unknown, now: Date): Deadline | null {
  const at = deadlineAt(value);
  if (!at) return null;
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const midnight = local.getUTCHours() === 0 && local.getUTCMinutes() === 0 && local.getUTCSeconds() === 0;
  // 00:00 is the 24:00 of the day before
  const shown = midnight ? new Date(local.getTime() - DAY) : local;
  const day = `${shown.getUTCFullYear()}-${pad(shown.getUTCMonth() + 1)}-${pad(shown.getUTCDate())}`;
  const time = midnight ? '24:00' : `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  const diff = at.getTime() - now.getTime();
  const overdue = diff < 0;
  const abs = Math.floor(Math.abs(diff) / MINUTE) * MINUTE;
  return {
    day, time, at, overdue,
    left: { days: Math.floor(abs / DAY), hours: Math.floor((abs % DAY) / HOUR), minutes: Math.floor((abs % HOUR) / MINUTE) },
  };
}

/**
 * The translation key and its parameters for the time left: days and hours
 * from a day on, hours and minutes under a day, minutes under an hour.
 */
export function timeLeftKey(d: Deadline): { key: string; params: Record<string, number> } {
  const { days, hours, minutes } = d.left;
  const side = d.overdue ? 'overdue' : 'left';
  if (days > 0) return { key: `app.deadline.${side}_days`, params: { days, hours } };
  if (hours > 0) return { key: `app.deadline.${side}_hours`, params: { hours, minutes } };
  return { key: `app.deadline.${side}_minutes`, params: { minutes } };
}

/** Tone of a deadline chip: past it, due within a day, or later. */
export const deadlineTone = (d: Deadline): 'error' | 'warning' | 'neutral' => (d.overdue ? 'error' : d.left.days === 0 ? 'warning' : 'neutral');
