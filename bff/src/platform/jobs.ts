import type { Db, Sql, TransactionSql } from '../db.ts';
import type { Deps } from '../core/context.ts';
import { maskSensitive } from './log.ts';

/**
 * Durable jobs in a Postgres table (non-negotiable 6): deadlines are rows with
 * a `run_at`, never in-memory timers. A job is claimed with FOR UPDATE SKIP
 * LOCKED and its handler runs in the same transaction that marks it done, so
 * a process that dies mid-run rolls everything back and the job runs again —
 * its database effects happen exactly once. Side effects outside the database
 * go through the outbox, inside that same transaction.
 */
export type Job = { id: number; kind: string; payload: Record<string, unknown>; attempts: number; runAt: Date };
export type JobContext = { tx: TransactionSql; job: Job; now: Date; deps: Deps };
export type JobHandler = (ctx: JobContext) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

export type NewJob = { kind: string; payload?: Record<string, unknown>; runAt: Date; dedupeKey?: string; maxAttempts?: number };

export async function enqueueJob(tx: Db, job: NewJob, now: Date): Promise<number | null> {
  const [row] = await tx<{ id: number }[]>`
    INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
    VALUES (${job.kind}, ${tx.json((job.payload ?? {}) as Parameters<Db['json']>[0])}, ${job.runAt}, ${job.dedupeKey ?? null}, ${job.maxAttempts ?? 10}, ${now})
    ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued' DO NOTHING
    RETURNING id`;
  return row?.id ?? null;
}

export async function cancelJobs(tx: Db, kind: string, dedupeKey: string, now: Date): Promise<void> {
  await tx`UPDATE job SET status = 'cancelled', finished_at = ${now} WHERE kind = ${kind} AND dedupe_key = ${dedupeKey} AND status = 'queued'`;
}

const backoffSeconds = (attempts: number) => Math.min(3600, 5 * 2 ** attempts);

/** Runs due jobs one transaction each, until none is due or `limit` ran. */
export async function runDueJobs(deps: Deps, handlers: JobHandlers, now: Date, limit = 50): Promise<number> {
  let ran = 0;
  while (ran < limit) {
    const outcome = await runOne(deps, handlers, now);
    if (outcome === 'none') break;
    ran++;
  }
  return ran;
}

async function runOne(deps: Deps, handlers: JobHandlers, now: Date): Promise<'none' | 'done' | 'failed'> {
  const { sql } = deps;
  let failed: { job: Job; error: string } | null = null;
  const outcome = await sql.begin(async (tx) => {
    const kinds = Object.keys(handlers);
    const [row] = await tx<{ id: number; kind: string; payload: Record<string, unknown>; attempts: number; run_at: Date }[]>`
      SELECT id, kind, payload, attempts, run_at FROM job
      WHERE status = 'queued' AND run_at <= ${now} AND kind = ANY(${kinds})
      ORDER BY run_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED`;
    if (!row) return 'none' as const;
    const job: Job = { id: row.id, kind: row.kind, payload: row.payload, attempts: row.attempts, runAt: row.run_at };
    // Marked done before the handler runs, so a handler may queue its own successor
    // under the same dedupe key (the unique index only covers queued jobs).
    await tx`UPDATE job SET status = 'done', attempts = attempts + 1, finished_at = ${now} WHERE id = ${row.id}`;
    try {
      await tx.savepoint(async (sp) => handlers[row.kind]!({ tx: sp as unknown as TransactionSql, job, now, deps }));
      return 'done' as const;
    } catch (e) {
      // The retry is booked in the claim transaction, still holding the row lock: no
      // other worker can pick the job up between the failure and its new run_at.
      const error = maskSensitive((e as Error)?.message ?? String(e)).slice(0, 2000);
      failed = { job, error };
      await tx`
        UPDATE job SET last_error = ${error},
          status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
          run_at = ${new Date(now.getTime() + backoffSeconds(job.attempts) * 1000)},
          finished_at = CASE WHEN attempts >= max_attempts THEN ${now}::timestamptz END
        WHERE id = ${row.id}`;
      return 'failed' as const;
    }
  });
  if (outcome === 'failed' && failed) {
    const { job, error } = failed as { job: Job; error: string };
    deps.log.warn({ jobId: job.id, kind: job.kind, err: error }, 'job failed');
  }
  return outcome;
}

/** Registered by the modules; `app.ts` collects them. */
export type { Sql };
