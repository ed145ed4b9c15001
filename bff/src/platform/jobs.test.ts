import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEnv, cookiesOf } from '../../test/support.ts';
import { createSql, type Sql } from '../db.ts';
import type { Deps } from '../core/context.ts';
import { cancelJobs, enqueueJob, runDueJobs, type JobHandlers } from './jobs.ts';
import { maintenanceJobs } from './maintenance.ts';

/** The worker process of the kill test (its own pool, the real runDueJobs). */
const WORKER = `
const { createSql } = await import(${JSON.stringify(new URL('../db.ts', import.meta.url).pathname)});
const { runDueJobs } = await import(${JSON.stringify(new URL('./jobs.ts', import.meta.url).pathname)});
const sql = createSql(process.env.JOB_DB_URL, { max: 1 });
const deps = { sql, log: { warn() {} } };
await runDueJobs(deps, {
  'test.effect': async ({ tx, job }) => {
    await tx\`INSERT INTO test_effect (job_id, tag) VALUES (\${job.id}, 'killed')\`;
    const [{ pid }] = await tx\`SELECT pg_backend_pid() AS pid\`;
    process.stdout.write('claimed ' + pid + '\\n');
    await new Promise(() => {});
  },
}, new Date(process.env.JOB_NOW));
`;

type JobRow = { id: number; status: string; attempts: number; run_at: Date; last_error: string | null; finished_at: Date | null };

describe('durable jobs (non-negotiable 6)', async () => {
  const env = await testEnv();
  const { sql } = env;
  // Every job's database effect lands here; no unique key, so a double run would show as two rows.
  await sql`CREATE TABLE test_effect (job_id bigint NOT NULL, tag text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`;
  const job = async (id: number) => (await sql<JobRow[]>`SELECT id, status, attempts, run_at, last_error, finished_at FROM job WHERE id = ${id}`)[0]!;
  const effects = async (tag: string) => (await sql<{ job_id: number }[]>`SELECT job_id FROM test_effect WHERE tag = ${tag}`).map((r) => Number(r.job_id));
  const enqueue = async (kind: string, runAt: Date, extra: { dedupeKey?: string; maxAttempts?: number; payload?: Record<string, unknown> } = {}) =>
    (await enqueueJob(sql, { kind, runAt, ...extra }, env.clock.now()))!;
  const withSql = (other: Sql): Deps => ({ ...env.deps, sql: other });
  const effect: JobHandlers = {
    'test.effect': async ({ tx, job: j }) => {
      await tx`INSERT INTO test_effect (job_id, tag) VALUES (${j.id}, ${String(j.payload.tag)})`;
    },
  };

  it('non-negotiable 6: a job runs nothing before its run_at and runs at run_at', async () => {
    const now = env.clock.now();
    const runAt = new Date(now.getTime() + 3 * 24 * 3600_000);
    const id = await enqueue('test.effect', runAt, { payload: { tag: 'due' } });
    expect(await runDueJobs(env.deps, effect, now)).toBe(0);
    expect(await runDueJobs(env.deps, effect, new Date(runAt.getTime() - 1))).toBe(0);
    expect(await effects('due')).toEqual([]);
    expect((await job(id)).status).toBe('queued');

    env.clock.set(runAt);
    expect(await runDueJobs(env.deps, effect, env.clock.now())).toBe(1);
    expect(await effects('due')).toEqual([id]);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1, finished_at: runAt });
    // Done is done: later runs do not repeat it.
    expect(await runDueJobs(env.deps, effect, new Date(runAt.getTime() + 3600_000))).toBe(0);
    expect(await effects('due')).toEqual([id]);
  });

  it('non-negotiable 6: a handler that throws rolls back its own writes; the job is retried later with attempts+1 and last_error', async () => {
    const now = env.clock.now();
    let calls = 0;
    const flaky: JobHandlers = {
      'test.flaky': async ({ tx, job: j }) => {
        calls++;
        await tx`INSERT INTO test_effect (job_id, tag) VALUES (${j.id}, 'flaky')`;
        if (calls <= 2) throw new Error(`registry unreachable, caller 13800138000 (try ${calls})`);
      },
    };
    const id = await enqueue('test.flaky', now);
    expect(await runDueJobs(env.deps, flaky, now)).toBe(1);
    let j = await job(id);
    expect(j.status).toBe('queued');
    expect(j.attempts).toBe(1);
    // The error is kept, masked like every other log (non-negotiable 7).
    expect(j.last_error).toBe('registry unreachable, caller 138****8000 (try 1)');
    expect(j.run_at.getTime()).toBeGreaterThan(now.getTime());
    expect(await effects('flaky')).toEqual([]);
    // Not again before the backoff ends.
    expect(await runDueJobs(env.deps, flaky, new Date(j.run_at.getTime() - 1))).toBe(0);
    expect(calls).toBe(1);

    expect(await runDueJobs(env.deps, flaky, j.run_at)).toBe(1);
    const second = await job(id);
    expect(second).toMatchObject({ status: 'queued', attempts: 2, last_error: 'registry unreachable, caller 138****8000 (try 2)' });
    // Backoff grows.
    expect(second.run_at.getTime() - j.run_at.getTime()).toBeGreaterThan(j.run_at.getTime() - now.getTime());
    expect(await effects('flaky')).toEqual([]);

    j = second;
    expect(await runDueJobs(env.deps, flaky, j.run_at)).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 3 });
    expect(await effects('flaky')).toEqual([id]);
    expect(calls).toBe(3);
  });

  it('non-negotiable 6: a job that keeps failing stops at max_attempts as failed', async () => {
    const failing: JobHandlers = { 'test.always_fails': async () => { throw new Error('nope'); } };
    const id = await enqueue('test.always_fails', env.clock.now(), { maxAttempts: 3 });
    let at = env.clock.now();
    for (let i = 0; i < 3; i++) {
      expect(await runDueJobs(env.deps, failing, at)).toBe(1);
      at = (await job(id)).run_at;
    }
    expect(await job(id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'nope' });
    expect(await runDueJobs(env.deps, failing, new Date(at.getTime() + 365 * 24 * 3600_000))).toBe(0);
  });

  it('non-negotiable 6: a worker process killed mid-run leaves no effect; the job runs again and its effect happens exactly once', async () => {
    const now = env.clock.now();
    const id = await enqueue('test.effect', now, { payload: { tag: 'killed' } });
    // A separate bff process runs the job: its handler writes, reports, then hangs until SIGKILL.
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WORKER], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, JOB_DB_URL: env.url, JOB_NOW: now.toISOString() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.on('exit', (code, signal) => r(signal ?? code)));
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /claimed (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', () => reject(new Error(`worker exited before claiming: ${stderr}`)));
    });
    // The write is made but not committed; another worker skips the claimed job.
    expect(await effects('killed')).toEqual([]);
    expect(await runDueJobs(env.deps, effect, now)).toBe(0);

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // Postgres sees the socket close and rolls the open transaction back.
    for (let i = 0; i < 100 && (await sql`SELECT 1 FROM pg_stat_activity WHERE pid = ${pid}`).length > 0; i++) await new Promise((r) => setTimeout(r, 20));

    expect(await effects('killed')).toEqual([]);
    expect(await job(id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await runDueJobs(env.deps, effect, now)).toBe(1);
    expect(await effects('killed')).toEqual([id]);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(await runDueJobs(env.deps, effect, new Date(now.getTime() + 24 * 3600_000))).toBe(0);
    expect(await effects('killed')).toEqual([id]);
  });

  it('non-negotiable 6: a job that failed once is not run twice when another worker picks it up right after the failure', async () => {
    // Worker A's handler fails; between the end of A's claim transaction and A's bookkeeping
    // (a pause, GC, a slow network) worker B looks for due jobs.
    const now = env.clock.now();
    const id = await enqueue('test.once', now);
    let calls = 0;
    const handlers: JobHandlers = {
      'test.once': async ({ tx, job: j }) => {
        calls++;
        if (calls === 1) throw new Error('transient');
        await tx`INSERT INTO test_effect (job_id, tag) VALUES (${j.id}, 'once')`;
      },
    };
    const b = createSql(env.url, { max: 2 });
    let paused = false;
    const pausingSql = new Proxy(sql, {
      get(target, prop, receiver) {
        if (prop !== 'begin') return Reflect.get(target, prop, receiver);
        return async (...args: unknown[]) => {
          const result = await (target.begin as (...a: unknown[]) => Promise<unknown>)(...args);
          if (!paused) {
            paused = true;
            await runDueJobs(withSql(b), handlers, now);
          }
          return result;
        };
      },
    }) as Sql;
    try {
      await runDueJobs(withSql(pausingSql), handlers, now);
      // Whatever happens next, the job's effect happens exactly once.
      for (const later of [0, 5_000, 10_000, 60_000, 3600_000, 24 * 3600_000]) await runDueJobs(env.deps, handlers, new Date(now.getTime() + later));
    } finally {
      await b.end({ timeout: 1 });
    }
    expect(await effects('once')).toEqual([id]);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(calls).toBe(2);
  });

  it('non-negotiable 6: two workers racing over 40 due jobs run each exactly once', async () => {
    const now = env.clock.now();
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(await enqueue('test.effect', new Date(now.getTime() - i * 1000), { payload: { tag: 'race' } }));
    const slow: JobHandlers = {
      'test.effect': async ({ tx, job: j }) => {
        await tx`INSERT INTO test_effect (job_id, tag) VALUES (${j.id}, ${String(j.payload.tag)})`;
        await tx`SELECT pg_sleep(0.003)`;
      },
    };
    const other = createSql(env.url, { max: 2 });
    const [ranA, ranB] = await Promise.all([runDueJobs(env.deps, slow, now, 100), runDueJobs(withSql(other), slow, now, 100)]).finally(() =>
      other.end({ timeout: 1 }),
    );
    expect(ranA + ranB).toBe(40);
    expect(ranA).toBeGreaterThan(0);
    expect(ranB).toBeGreaterThan(0);
    const ran = await effects('race');
    expect(ran).toHaveLength(40);
    expect(new Set(ran)).toEqual(new Set(ids));
    const rows = await sql<{ status: string; attempts: number }[]>`SELECT status, attempts FROM job WHERE id = ANY(${ids})`;
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
  });

  it('non-negotiable 6: a dedupe key prevents queueing the same job twice while it is queued; cancel removes it', async () => {
    const now = env.clock.now();
    const runAt = new Date(now.getTime() + 3600_000);
    const first = await enqueueJob(sql, { kind: 'test.effect', runAt, dedupeKey: 'reminder:1', payload: { tag: 'dedupe' } }, now);
    const again = await enqueueJob(sql, { kind: 'test.effect', runAt, dedupeKey: 'reminder:1', payload: { tag: 'dedupe' } }, now);
    expect(first).toEqual(expect.any(Number));
    expect(again).toBeNull();
    // Another kind with the same key is another job.
    expect(await enqueueJob(sql, { kind: 'test.other', runAt, dedupeKey: 'reminder:1' }, now)).toEqual(expect.any(Number));
    expect(await sql`SELECT 1 FROM job WHERE kind = 'test.effect' AND dedupe_key = 'reminder:1'`).toHaveLength(1);
    expect(await runDueJobs(env.deps, effect, runAt)).toBe(1);
    expect(await effects('dedupe')).toEqual([first]);

    // Once done, the key may be queued again (a new reminder); cancelling a queued one stops it.
    const next = await enqueueJob(sql, { kind: 'test.effect', runAt, dedupeKey: 'reminder:1', payload: { tag: 'dedupe' } }, now);
    expect(next).toEqual(expect.any(Number));
    await cancelJobs(sql, 'test.effect', 'reminder:1', now);
    expect(await runDueJobs(env.deps, effect, runAt)).toBe(0);
    expect((await job(next!)).status).toBe('cancelled');
    expect(await effects('dedupe')).toEqual([first]);
  });

  it('non-negotiable 6: a job enqueued in a transaction that rolls back never runs', async () => {
    const now = env.clock.now();
    await expect(
      sql.begin(async (tx) => {
        await enqueueJob(tx, { kind: 'test.effect', runAt: now, payload: { tag: 'rolled_back' } }, now);
        throw new Error('cause failed');
      }),
    ).rejects.toThrow('cause failed');
    expect(await runDueJobs(env.deps, effect, now)).toBe(0);
    expect(await effects('rolled_back')).toEqual([]);
  });

  it('platform.cleanup deletes expired sessions, old codes and keys, keeps live ones, and reschedules itself an hour later', async () => {
    const signIn = await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: '13800138000', password: 'Demo#2026pass' } });
    expect(signIn.status).toBe(200);
    const expired = cookiesOf(signIn);
    env.clock.advance(31 * 24 * 3600_000);
    const fresh = cookiesOf(await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: '13700137000', password: 'Demo#2026pass' } }));
    const now = env.clock.now();
    const sessionsBefore = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM session`)[0]!.n;
    expect(sessionsBefore).toBe(2);
    const old = new Date(now.getTime() - 3 * 24 * 3600_000);
    await sql`INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, created_at, locked_until)
              VALUES ('anon', 'old-key', 'POST', '/x', 'h', 'done', ${old}, ${old}), ('anon', 'new-key', 'POST', '/x', 'h', 'done', ${now}, ${now})`;

    const id = (await enqueueJob(sql, { kind: 'platform.cleanup', runAt: now, dedupeKey: 'hourly' }, now))!;
    expect(await runDueJobs(env.deps, maintenanceJobs, now)).toBe(1);
    expect((await job(id)).status).toBe('done');

    expect((await env.call('GET', '/api/v1/me', { cookie: expired })).status).toBe(401);
    expect((await env.call('GET', '/api/v1/me', { cookie: fresh })).status).toBe(200);
    expect((await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM session`)[0]!.n).toBe(1);
    expect((await sql<{ key: string }[]>`SELECT key FROM idempotency_key WHERE principal = 'anon'`).map((r) => r.key)).toEqual(['new-key']);

    const queued = await sql<{ id: number; run_at: Date }[]>`SELECT id, run_at FROM job WHERE kind = 'platform.cleanup' AND status = 'queued'`;
    expect(queued).toHaveLength(1);
    expect(queued[0]!.run_at.getTime()).toBe(now.getTime() + 3600_000);
    // …and the next one runs an hour later and queues the one after.
    expect(await runDueJobs(env.deps, maintenanceJobs, new Date(now.getTime() + 3599_000))).toBe(0);
    expect(await runDueJobs(env.deps, maintenanceJobs, queued[0]!.run_at)).toBe(1);
    const after = await sql<{ run_at: Date }[]>`SELECT run_at FROM job WHERE kind = 'platform.cleanup' AND status = 'queued'`;
    expect(after.map((r) => r.run_at.getTime())).toEqual([now.getTime() + 2 * 3600_000]);
  });
});
