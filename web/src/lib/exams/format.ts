import { formatDate } from '$lib/format';

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A rank key's instant with its full date, Beijing time ("2026-10-10 08:30"): the applicant must see which day it is (PD-13). */
export function keyTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${formatDate(iso)} ${clock.format(d)}`;
}
