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

/**
 * The days of a slot search, each with its free places over all stations
 * (for "pick a date first, then a time"), in day order.
 */
export function daysOf(stations: readonly { slots: readonly { day: string; free: number }[] }[]): { day: string; free: number }[] {
  const free = new Map<string, number>();
  for (const s of stations) for (const slot of s.slots) free.set(slot.day, (free.get(slot.day) ?? 0) + Math.max(0, slot.free));
  return [...free.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, n]) => ({ day, free: n }));
}

/** The day to show first: the one asked for if the search has it, else the first with a free place, else the first. */
export function initialDay(days: readonly { day: string; free: number }[], asked: string | null | undefined): string | null {
  if (asked && days.some((d) => d.day === asked)) return asked;
  return (days.find((d) => d.free > 0) ?? days[0])?.day ?? null;
}

/** A phone number as a `tel:` URI (digits and a leading +; separators dropped). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}
