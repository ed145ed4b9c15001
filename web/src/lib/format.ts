import type { Locale } from '$lib/i18n';

// Everything the platform shows is Beijing time, whatever the device or the
// server says, so SSR and hydration print the same text.
const TIME_ZONE = 'Asia/Shanghai';

function parts(date: Date, lang: Locale, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(lang, { timeZone: TIME_ZONE, ...options }).format(date);
}

function dayKey(date: Date): string {
  return parts(date, 'en', { year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** "14:05" today, "11月24日 14:05" / "24 Nov 14:05" on another day. */
export function formatInstant(iso: string, lang: Locale, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = parts(date, lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (dayKey(date) === dayKey(now)) return time;
  const sameYear = parts(date, 'en', { year: 'numeric' }) === parts(now, 'en', { year: 'numeric' });
  const day = parts(date, lang, sameYear ? { month: 'short', day: 'numeric' } : { dateStyle: 'medium' });
  return `${day} ${time}`;
}

/** Calendar dates from the bff ("2027-06-30") are shown as written; instants by their Beijing date. */
export function formatDate(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(date);
}

/** "3 分钟前" / "3 minutes ago". */
export function formatAgo(iso: string, lang: Locale, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}
