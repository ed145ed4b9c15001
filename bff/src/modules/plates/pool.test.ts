import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.ts';
import { drawFor, makeUsers, openPlan, poolStatusCounts, preselectBody, staffCookie, vin } from './test-support.ts';

/**
 * Issue 4: "picking a random free number costs the same at 50,000 and at
 * 5,000,000 numbers (no full scans)". A candidate is found by its dense index
 * through the unique index (plan_id, idx): the same handful of index pages
 * whatever the pool size. The 528,000-number pool runs in the suite; set
 * PLATES_POOL_PATTERN (e.g. `**#**`, 5.1 million numbers) to try a bigger one.
 */
type Plan = { id: string; poolSize: number };

async function explainCandidateLookup(env: TestEnv, planId: string, idx: number) {
  // The statement the draw runs for each candidate (repo.offerIfFree), planned but not executed.
  const [plan] = await env.sql<{ 'QUERY PLAN': unknown }[]>`
    EXPLAIN (FORMAT JSON)
    UPDATE plate_number SET status = 'offered', offer_id = gen_random_uuid(), held_until = now(), updated_at = now()
    WHERE id = (SELECT id FROM plate_number WHERE plan_id = ${planId} AND idx = ${idx} AND status = 'free' FOR UPDATE SKIP LOCKED)
    RETURNING plate_no`;
  const text = JSON.stringify(plan!['QUERY PLAN']);
  // Executed read of the same lookup: how many pages it touched.
  const [analysed] = await env.sql<{ 'QUERY PLAN': [{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }] }[]>`
    EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id FROM plate_number WHERE plan_id = ${planId} AND idx = ${idx} AND status = 'free'`;
  const p = analysed!['QUERY PLAN'][0].Plan;
  return { text, pages: p['Shared Hit Blocks'] + p['Shared Read Blocks'] };
}

async function drawTimings(env: TestEnv, plan: Plan, tag: number) {
  const [u] = await makeUsers(env.sql, 1, env.clock.now(), tag);
  const ps = await (await env.call('POST', '/api/v1/plates/preselections', { cookie: u!.cookie, body: preselectBody(plan.id, u!, vin(9000 + tag), { mode: 'random' }) })).json();
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const res = await drawFor(env, ps.id, u!.cookie);
    ms.push(performance.now() - t);
    expect(res.status).toBe(201);
  }
  ms.sort((a, b) => a - b);
  return ms[2]!; // median of five draws of ten numbers
}

describe('random picks do not scan the pool', async () => {
  const env = await testEnv();
  const review = () => staffCookie(env, 'sz.review');
  let small: Plan;
  let big: Plan;
  const buildMs: Record<string, number> = {};

  beforeAll(async () => {
    let t = performance.now();
    small = await openPlan(env, review, { pattern: '3@@##' }); // 57,600 numbers
    buildMs.small = performance.now() - t;
    t = performance.now();
    big = await openPlan(env, review, { pattern: process.env.PLATES_POOL_PATTERN ?? '@@###' }); // 528,000 numbers
    buildMs.big = performance.now() - t;
    await env.sql`ANALYZE plate_number`;
  }, 600_000);

  it('R-25.4 both pools are built whole, with a dense index', async () => {
    expect(small.poolSize).toBe(57_600);
    expect(big.poolSize).toBeGreaterThanOrEqual(500_000);
    for (const p of [small, big]) {
      const c = await poolStatusCounts(env.sql, p.id);
      expect(c.free).toBe(p.poolSize);
      const [r] = await env.sql<{ max: number }[]>`SELECT max(idx) AS max FROM plate_number WHERE plan_id = ${p.id}`;
      expect(r!.max).toBe(p.poolSize - 1);
    }
  });

  it('PD-14 a candidate is one unique-index lookup (no Seq Scan), touching the same few pages in a 57,600 and a 528,000-number pool', async () => {
    const a = await explainCandidateLookup(env, small.id, Math.floor(small.poolSize * 0.73));
    const b = await explainCandidateLookup(env, big.id, Math.floor(big.poolSize * 0.73));
    for (const e of [a, b]) {
      expect(e.text).toContain('plate_number_plan_idx_key');
      expect(e.text).not.toContain('Seq Scan');
      expect(e.pages).toBeLessThanOrEqual(8);
    }
    expect(b.pages - a.pages).toBeLessThanOrEqual(2); // one B-tree level more at most
    const smallMs = await drawTimings(env, small, 5);
    const bigMs = await drawTimings(env, big, 6);
    console.log(
      `[plates pool] build ${small.poolSize} numbers: ${Math.round(buildMs.small!)} ms; ${big.poolSize}: ${Math.round(buildMs.big!)} ms. ` +
        `Draw of 10 (median of 5): ${smallMs.toFixed(1)} ms at ${small.poolSize}, ${bigMs.toFixed(1)} ms at ${big.poolSize}. ` +
        `Pages per candidate lookup: ${a.pages} / ${b.pages}.`,
    );
    // The same work at both sizes; generous bound so a busy machine does not make it flaky.
    expect(bigMs).toBeLessThan(smallMs * 3 + 20);
  });
});
