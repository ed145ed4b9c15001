import type { Locale } from '$lib/i18n';

/** "11月26日 周四" / "Thu, 26 Nov" for a calendar day from the bff (no time zone involved). */
export function dayLabel(day: string, lang: Locale): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(lang, { timeZone: 'UTC', month: 'short', day: 'numeric', weekday: 'short' }).format(date);
}

/** Items grouped by their `day`, days in order, items in the order given. */
export function byDay<T extends { day: string }>(items: readonly T[]): { day: string; items: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.day) ?? [];
    list.push(item);
    groups.set(item.day, list);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, list]) => ({ day, items: list }));
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}
