import { formatDate } from '$lib/format';

/**
 * A working-day deadline is the instant 00:00 of the following day (PD-2);
 * people read it as "by the end of that day": '2026-11-30 24:00'.
 */
export function deadlineText(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${formatDate(new Date(at.getTime() - 1).toISOString())} 24:00`;
}
