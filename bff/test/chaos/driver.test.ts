/**
 * CHAOS: the database driver itself under the concurrency a release rush
 * brings. postgres.js 3.4.9 can send a transaction's BEGIN without reserving
 * the connection when the BEGIN lands on a busy connection at its pipeline
 * limit (or when the socket pushes back): `execute()` runs the `onexecute`
 * hook, which is how `sql.begin()` reserves its connection, only as the last
 * term of the pipeline-capacity check. The transaction then fails with
 * UNSAFE_TRANSACTION, and the server-side transaction stays open on a
 * connection that goes back to the pool, so other requests' statements can
 * run inside it (porsager/postgres#823, #1189; fix proposed in #1218). Found
 * by the plate race of races.test.ts; this is the bare reproduction.
 *
 * The driver is patched (patches/postgres@3.4.9.patch, applied by pnpm from
 * pnpm-workspace.yaml `patchedDependencies`; ADR-014): BEGIN always
 * reserves its connection, a socket 'drain' never hands a reserved connection
 * back to the pool, and a deferred write after the socket closed is dropped
 * instead of crashing the process (porsager/postgres#1154, #1066; PR #1168).
 * This test guards the patch: it fails on an unpatched 3.4.9, and is how to
 * check an upstream release before dropping the patch.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../support.ts';
import { createSql } from '../../src/db.ts';

describe('CHAOS postgres.js under 2,000 concurrent transactions', async () => {
  const env = await testEnv();
  const wide = createSql(env.url, { max: 40 });
  afterAll(async () => {
    await wide.end({ timeout: 1 });
  });

  it('sql.begin never fails with UNSAFE_TRANSACTION when plain queries and transactions share a busy pool; no acknowledged write is lost', async () => {
    await env.sql`CREATE TABLE chaos_driver_write (id int PRIMARY KEY)`;
    const acknowledged: number[] = [];
    const failures: Record<string, number> = {};
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 3000 }, async (_, k) => {
          const i = round * 10_000 + k;
          try {
            if (k % 3 === 0) {
              // an autocommit write (as the idempotency middleware or the outbox dispatcher make)
              await wide`INSERT INTO chaos_driver_write (id) VALUES (${i})`;
              acknowledged.push(i);
            } else if (k % 3 === 1) {
              // what a service does: reads on the pool (e.g. the calendar), then its transaction, which here rolls back
              await Promise.all([wide`SELECT ${i}::int AS a`, wide`SELECT ${i}::int AS b`]);
              await wide.begin(async (tx) => {
                await tx`SELECT ${i}::int AS c`;
                throw new Error('rolled back');
              });
            } else {
              await wide`SELECT ${i}::int AS d`;
            }
          } catch (e) {
            const code = (e as { code?: string }).code ?? (e as Error).message;
            if (code !== 'rolled back') failures[code] = (failures[code] ?? 0) + 1;
          }
        }),
      );
    }
    // Every write the driver acknowledged is there, and no transaction was left open on a pooled connection…
    const have = new Set((await env.sql<{ id: number }[]>`SELECT id FROM chaos_driver_write`).map((r) => Number(r.id)));
    expect(acknowledged.filter((i) => !have.has(i))).toEqual([]);
    const [open] = await env.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`;
    expect(open!.n).toBe(0);
    // …and no transaction failed (a request would answer 500): the unpatched driver fails here.
    expect(failures).toEqual({});
  });
});
