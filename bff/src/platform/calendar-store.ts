import type { Db } from '../db.ts';
import { createCalendar, type WorkingDayCalendar } from './calendar.ts';

/**
 * The working-day calendar as staff left it: package data plus the override
 * table, read from Postgres on use so every bff process sees the same days.
 */
export async function loadCalendar(db: Db): Promise<WorkingDayCalendar> {
  const [overrides, years] = await Promise.all([
    db<{ day: string; kind: 'workday' | 'holiday' }[]>`SELECT day, kind FROM calendar_override`,
    db<{ year: number }[]>`SELECT year FROM calendar_year`,
  ]);
  return createCalendar({ overrides: overrides.map((o) => ({ day: o.day, kind: o.kind })), staffYears: years.map((y) => y.year) });
}
