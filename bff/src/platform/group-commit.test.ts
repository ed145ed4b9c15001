/**
 * The group-commit batcher (issue 23, ADR-040) against the real PostgreSQL:
 * each batch is one INSERT statement into a table with a CHECK, so "a batch
 * failed as a whole" is a real statement the database refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from '../../test/support.ts';
import { batcherReport, GroupCommit, groupCommitFor, LanedGroupCommit, laneOf } from './group-commit.ts';

type Item = { id: number; v: number };

describe('group commit: many requests, one statement, one outcome each', async () => {
  const env = await testEnv();
  const { sql } = env;
  beforeAll(async () => {
    await sql`CREATE TABLE gc_item (id int PRIMARY KEY, v int NOT NULL CHECK (v >= 0))`;
  });

  /** A batcher whose batch is one INSERT of all its items; it records each batch's ids and how long it waited. */
  const make = (o: { windowMs?: number; maxBatch?: number; maxInFlight?: number; sleep?: number } = {}) => {
    const batches: number[][] = [];
    const g = new GroupCommit<Item, { id: number; at: number }>({
      ...o,
      run: async (items) => {
        batches.push(items.map((i) => i.id));
        const rows = await sql<{ id: number }[]>`
          WITH ins AS (INSERT INTO gc_item SELECT * FROM jsonb_to_recordset(${sql.json(items)}) AS x(id int, v int) RETURNING id)
          SELECT ins.id, pg_sleep(${o.sleep ?? 0}) FROM ins`;
        const done = new Set(rows.map((r) => r.id));
        return items.map((i) => ({ id: done.has(i.id) ? i.id : -1, at: performance.now() }));
      },
    });
    return { g, batches };
  };
  let next = 1;
  const items = (n: number, v = 1): Item[] => Array.from({ length: n }, () => ({ id: next++, v }));
  const stored = async (ids: number[]) => (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM gc_item WHERE id = ANY(${ids})`)[0]!.n;

  it('a lone request on an idle batcher goes at once: no window is waited', async () => {
    const { g, batches } = make({ windowMs: 1000 });
    const [x] = items(1);
    const t = performance.now();
    const out = await g.submit(x!);
    expect(out.id).toBe(x!.id);
    expect(performance.now() - t).toBeLessThan(500);
    expect(batches).toEqual([[x!.id]]);
  });

  it('requests that arrive together share one statement, answered in arrival order', async () => {
    const { g, batches } = make();
    const xs = items(10);
    const out = await Promise.all(xs.map((x) => g.submit(x)));
    expect(out.map((o) => o.id)).toEqual(xs.map((x) => x.id));
    expect(batches).toEqual([xs.map((x) => x.id)]);
    expect(await stored(xs.map((x) => x.id))).toBe(10);
  });

  it('while a batch is in flight, later requests gather for the window and go as one batch', async () => {
    const { g, batches } = make({ windowMs: 40, maxInFlight: 1, sleep: 0.1 });
    const [first, ...later] = items(6);
    const p0 = g.submit(first!);
    await new Promise((r) => setTimeout(r, 20)); // the first batch is now in the database
    const ps = later.map((x, i) => new Promise<unknown>((r) => setTimeout(() => r(g.submit(x)), i * 5)));
    await Promise.all([p0, ...ps]);
    expect(batches).toEqual([[first!.id], later.map((x) => x.id)]);
  });

  it('the window is a cap: gathered requests go after windowMs even if the batch in flight is slower', async () => {
    const { g, batches } = make({ windowMs: 10, maxInFlight: 2, sleep: 0.3 });
    const [a, b] = items(2);
    const t = performance.now();
    const pa = g.submit(a!);
    await new Promise((r) => setTimeout(r, 20));
    const ob = await g.submit(b!);
    // b went after its window, beside a's batch (both sleep 300 ms): done near 330 ms, not 600 ms after a's
    expect(ob.at - t).toBeLessThan(590);
    expect(ob.at - (await pa).at).toBeLessThan(150);
    expect(batches).toEqual([[a!.id], [b!.id]]);
  });

  it('counts where a request waits: its batch statement, and its submit to answer (GROUP_COMMIT_TRACE)', async () => {
    const { g } = make({ windowMs: 40, maxInFlight: 1, sleep: 0.1 });
    const [first, ...later] = items(4);
    const p0 = g.submit(first!);
    await new Promise((r) => setTimeout(r, 20)); // the first batch is in the database; the rest wait for it
    await Promise.all([p0, ...later.map((x) => g.submit(x))]);
    expect(g.stats).toMatchObject({ batches: 2, items: 4, largest: 3 });
    // two statements of at least 100 ms each; the three later requests waited for the first batch, then ran in the second
    expect(g.stats.runMs).toBeGreaterThanOrEqual(2 * 95);
    expect(g.stats.answerMs).toBeGreaterThanOrEqual(95 + 3 * (2 * 95 - 20));
    const named = groupCommitFor(sql, 'test.trace', () => ({ run: async (xs: number[]) => xs.map((x) => x * 2) }));
    expect(await Promise.all([1, 2, 3].map((x) => named.submit(x)))).toEqual([2, 4, 6]);
    const line = batcherReport().find((l) => l.startsWith('test.trace '));
    expect(line).toMatch(/requests +3 +batches +1 +mean size +3\.0 +largest +3 +statement +\d+\.\d ms +submit to answer +\d+\.\d ms +splits 0 +retries 0/);
  });

  it('the size cap: no batch holds more than maxBatch requests, and every request is answered', async () => {
    const { g, batches } = make({ maxBatch: 5 });
    const xs = items(23);
    const out = await Promise.all(xs.map((x) => g.submit(x)));
    expect(out.map((o) => o.id)).toEqual(xs.map((x) => x.id));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(5);
    expect(batches.flat().sort((p, q) => p - q)).toEqual(xs.map((x) => x.id));
    expect(g.stats.largest).toBe(5);
  });

  it('one malformed request fails only itself: the batch is split down to it, its neighbours commit', async () => {
    const { g, batches } = make();
    const xs = items(9);
    const bad = { ...xs[6]!, v: -1 }; // refused by the CHECK: the whole statement fails
    xs[6] = bad;
    const out = await Promise.allSettled(xs.map((x) => g.submit(x)));
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((out[6] as PromiseRejectedResult).reason).toMatchObject({ code: '23514' });
    expect(await stored(xs.map((x) => x.id))).toBe(8);
    expect(await stored([bad.id])).toBe(0);
    // first the whole batch, then halves until the bad one stands alone
    expect(batches[0]).toHaveLength(9);
    expect(batches).toContainEqual([bad.id]);
    expect(g.stats.splits).toBeGreaterThanOrEqual(3);
  });

  it('two malformed requests in one batch: each gets its own error, no neighbour does', async () => {
    const { g } = make();
    const xs = items(16);
    xs[2] = { ...xs[2]!, v: -5 };
    xs[13] = { ...xs[13]!, v: -5 };
    const out = await Promise.allSettled(xs.map((x) => g.submit(x)));
    const rejected = out.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    expect(rejected).toEqual([2, 13]);
    expect(await stored(xs.map((x) => x.id))).toBe(14);
  });

  it('a duplicate of a row another batch committed fails on the primary key, alone', async () => {
    const { g } = make();
    const xs = items(4);
    await g.submit(xs[0]!);
    const again = [xs[1]!, { ...xs[0]! }, xs[2]!, xs[3]!];
    const out = await Promise.allSettled(again.map((x) => g.submit(x)));
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((out[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
  });

  it('a single request that failed on a transient error (a real 40P01 from PostgreSQL) is tried once more', async () => {
    let calls = 0;
    const g = new GroupCommit<number, number>({
      run: async (xs) => {
        if (calls++ === 0) await sql`DO $$ BEGIN RAISE EXCEPTION 'simulated deadlock' USING ERRCODE = '40P01'; END $$`;
        return xs;
      },
    });
    expect(await g.submit(7)).toBe(7);
    expect(calls).toBe(2);
    expect(g.stats.retries).toBe(1);
    // …but not forever: a second transient failure reaches the caller
    const h = new GroupCommit<number, number>({ run: async () => (await sql`DO $$ BEGIN RAISE EXCEPTION 'again' USING ERRCODE = '40001'; END $$`, []) });
    await expect(h.submit(1)).rejects.toMatchObject({ code: '40001' });
  });

  it('a single request whose backend a server restart ended (57P01: its statement did not commit) is tried once more on another connection', async () => {
    let calls = 0;
    const g = new GroupCommit<number, number>({
      run: async (xs) => {
        if (calls++ === 0) await sql`DO $$ BEGIN RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = '57P01'; END $$`;
        return xs;
      },
    });
    expect(await g.submit(8)).toBe(8);
    expect(g.stats.retries).toBe(1);
    // A connection lost with no answer is not retried: whether it committed is unknown.
    const h = new GroupCommit<number, number>({ run: async () => Promise.reject(Object.assign(new Error('closed'), { code: 'CONNECTION_CLOSED' })) });
    await expect(h.submit(1)).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(h.stats.retries).toBe(0);
  });

  it('a batch whose outcomes do not match its requests is treated as failed, and split', async () => {
    const g = new GroupCommit<number, number>({ run: async (xs) => (xs.length > 1 ? xs.slice(1) : xs) });
    expect(await Promise.all([1, 2, 3].map((x) => g.submit(x)))).toEqual([1, 2, 3]);
  });
  it('lanes: requests of one key share a lane and its batches; batches of different lanes run at the same time (ADR-040 "Lanes")', async () => {
    // Each batch holds a row lock of its key for 150 ms, as a booking batch holds its slots.
    await sql`CREATE TABLE IF NOT EXISTS gc_lane (k text PRIMARY KEY)`;
    await sql`INSERT INTO gc_lane VALUES ('a'), ('b'), ('c'), ('d') ON CONFLICT DO NOTHING`;
    const keys = ['a', 'b', 'c', 'd'];
    expect(new Set(keys.map((k) => laneOf(k, 4))).size).toBeGreaterThan(1);
    expect(keys.map((k) => laneOf(k, 4))).toEqual(keys.map((k) => laneOf(k, 4))); // stable
    const spans: { keys: string[]; from: number; to: number }[] = [];
    const g = new LanedGroupCommit<{ k: string }, string>({
      lanes: 4,
      laneKey: (i) => i.k,
      maxInFlight: 1,
      run: async (batch) => {
        const from = performance.now();
        await sql.begin(async (tx) => {
          await tx`SELECT k FROM gc_lane WHERE k = ANY(${batch.map((i) => i.k)}) ORDER BY k FOR UPDATE`;
          await tx`SELECT pg_sleep(0.15)`;
        });
        spans.push({ keys: [...new Set(batch.map((i) => i.k))], from, to: performance.now() });
        return batch.map((i) => i.k);
      },
    });
    const a = 'a';
    const other = keys.find((k) => laneOf(k, 4) !== laneOf(a, 4))!;
    const t = performance.now();
    const out = await Promise.all([a, other, a, other, a].map((k) => g.submit({ k })));
    expect(out).toEqual([a, other, a, other, a]);
    // one batch per lane, each with only its key, both in flight together: about one sleep, not two
    expect(spans.map((s) => s.keys).sort()).toEqual([[a], [other]].sort());
    expect(performance.now() - t).toBeLessThan(290);
    expect(Math.max(spans[0]!.from, spans[1]!.from)).toBeLessThan(Math.min(spans[0]!.to, spans[1]!.to));
    expect(g.stats).toMatchObject({ batches: 2, items: 5, largest: 3 });
  });
});
