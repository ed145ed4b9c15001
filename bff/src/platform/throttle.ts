import type { Db } from '../db.ts';

/**
 * Sign-in throttling stored in Postgres, so every bff process counts the same
 * failures. A bucket allows `maxFailures` failures within `windowMs`; one more
 * locks it for `lockMs`.
 */
export type ThrottlePolicy = { maxFailures: number; windowMs: number; lockMs: number };

export const throttlePolicies = {
  account: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ip: { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} satisfies Record<string, ThrottlePolicy>;

export async function isLocked(sql: Db, buckets: string[], now: Date): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM sign_in_throttle WHERE bucket = ANY(${buckets}) AND locked_until > ${now} LIMIT 1`;
  return rows.length > 0;
}

export async function recordFailure(sql: Db, bucket: string, policy: ThrottlePolicy, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const lockUntil = new Date(now.getTime() + policy.lockMs);
  // One statement: the row lock taken by ON CONFLICT makes concurrent failures count exactly.
  await sql`
    INSERT INTO sign_in_throttle AS t (bucket, failures, window_start)
    VALUES (${bucket}, 1, ${now})
    ON CONFLICT (bucket) DO UPDATE SET
      failures = CASE WHEN t.window_start < ${windowStart} THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN t.window_start < ${windowStart} THEN ${now} ELSE t.window_start END,
      locked_until = CASE
        WHEN t.window_start >= ${windowStart} AND t.failures + 1 >= ${policy.maxFailures} THEN ${lockUntil}::timestamptz
        ELSE t.locked_until END`;
}

export async function clearFailures(sql: Db, bucket: string): Promise<void> {
  await sql`DELETE FROM sign_in_throttle WHERE bucket = ${bucket}`;
}
