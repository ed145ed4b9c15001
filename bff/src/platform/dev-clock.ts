import type { Db } from '../db.ts';

/**
 * The development/test clock offset. Kept in Postgres, not in memory, so that
 * moving time in e2e moves it for every bff process and the job worker alike.
 * Only read when ALLOW_TEST_CLOCK is on (never in production).
 */
export async function readClockOffset(db: Db): Promise<number> {
  const [row] = await db<{ offset_ms: number }[]>`SELECT offset_ms FROM dev_clock WHERE id`;
  return row?.offset_ms ?? 0;
}

export async function setClockOffset(db: Db, offsetMs: number): Promise<void> {
  await db`INSERT INTO dev_clock (id, offset_ms) VALUES (true, ${offsetMs}) ON CONFLICT (id) DO UPDATE SET offset_ms = EXCLUDED.offset_ms`;
}

export async function platformNow(db: Db, base: Date, allowTestClock: boolean): Promise<Date> {
  if (!allowTestClock) return base;
  return new Date(base.getTime() + (await readClockOffset(db)));
}
