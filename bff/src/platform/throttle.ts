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
  /**
   * Password-reset codes asked for from one client address (issue 18): every
   * request counts, whatever the phone, so one address cannot send codes to
   * many numbers (each number has its own limit, auth/rules.ts smsCodePolicy).
   */
  resetCodeRequestsPerIp: { maxFailures: 10, windowMs: 60 * 60_000, lockMs: 60 * 60_000 },
} satisfies Record<string, ThrottlePolicy>;

export async function isLocked(sql: Db, buckets: string[], now: Date): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM sign_in_throttle WHERE bucket = ANY(${buckets}) AND locked_until > ${now} LIMIT 1`;
  return rows.length > 0;
}

/** The lock of the first of `buckets` that is locked at `now` (in the order given), or null. */
export async function lockOf(sql: Db, buckets: string[], now: Date): Promise<{ bucket: string; lockedUntil: Date } | null> {
  const rows = await sql<{ bucket: string; locked_until: Date }[]>`
    SELECT bucket, locked_until FROM sign_in_throttle WHERE bucket = ANY(${buckets}) AND locked_until > ${now}`;
  const first = buckets.map((b) => rows.find((r) => r.bucket === b)).find((r) => r !== undefined);
  return first ? { bucket: first.bucket, lockedUntil: first.locked_until } : null;
}

/** A bucket after a failure: how many more it allows before it locks (0 = locked now), and until when it is locked. */
export type FailureCount = { attemptsLeft: number; lockedUntil: Date | null };

export async function recordFailure(sql: Db, bucket: string, policy: ThrottlePolicy, now: Date): Promise<FailureCount> {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const lockUntil = new Date(now.getTime() + policy.lockMs);
  // One statement: the row lock taken by ON CONFLICT makes concurrent failures count exactly.
  const [row] = await sql<{ failures: number; locked_until: Date | null }[]>`
    INSERT INTO sign_in_throttle AS t (bucket, failures, window_start)
    VALUES (${bucket}, 1, ${now})
    ON CONFLICT (bucket) DO UPDATE SET
      failures = CASE WHEN t.window_start < ${windowStart} THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN t.window_start < ${windowStart} THEN ${now} ELSE t.window_start END,
      locked_until = CASE
        WHEN t.window_start >= ${windowStart} AND t.failures + 1 >= ${policy.maxFailures} THEN ${lockUntil}::timestamptz
        ELSE t.locked_until END
    RETURNING failures, locked_until`;
  const lockedUntil = row?.locked_until && row.locked_until > now ? row.locked_until : null;
  return { attemptsLeft: lockedUntil ? 0 : Math.max(0, policy.maxFailures - (row?.failures ?? 0)), lockedUntil };
}

export async function clearFailures(sql: Db, bucket: string): Promise<void> {
  await sql`DELETE FROM sign_in_throttle WHERE bucket = ${bucket}`;
}
