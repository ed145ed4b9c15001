/**
 * Random-pick cost against pool size: pools of 50k, 500k and 5M numbers
 * built by INSERT … SELECT generate_series, then the plates module's own
 * candidate statement (repo.offerIfFree, the statement a draw runs for each
 * candidate) timed at random indices, the pools interleaved pick by pick so
 * machine noise hits every size alike; plus the pages one lookup reads, and
 * a draw of ten through the whole HTTP stack.
 */
import { randomBytes } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { cookieOf, createPlatePlan, idNumberOf, nameOf, phoneOf, serialsNumeric, vinOf } from './fixtures.ts';
import { latencyOf, log, ms, num, type Latency } from './util.ts';

export type PoolFigures = {
  size: number;
  buildMs: number;
  pick: Latency & { mean: number };
  pages: number;
  drawMedianMs: number | null;
};

const PREFIXES = ['粤C', '粤D', '粤E', '粤F'];

export async function poolCost(
  sql: Sql,
  o: { sizes: number[]; picks: number; bffUrl: string; drawUsersFrom: number },
): Promise<{ pools: PoolFigures[]; ratio: number }> {
  const plans: { id: string; size: number; buildMs: number; drawId: string; times: number[] }[] = [];
  for (const [i, size] of o.sizes.entries()) {
    const p = await createPlatePlan(sql, { n: 100 + i, prefix: PREFIXES[i]!, pattern: '**#**', serials: serialsNumeric(size) });
    log(`  pool of ${num(p.poolSize)} numbers built in ${ms(p.ms)} (INSERT … SELECT generate_series)`);
    plans.push({ id: p.id, size: p.poolSize, buildMs: p.ms, drawId: randomUUID(), times: [] });
  }
  await sql`ANALYZE plate_number`;
  await sql`CHECKPOINT`.catch(() => {});

  const conn = await sql.reserve();
  try {
    const pick = async (p: (typeof plans)[number]) => {
      const idx = Math.floor(Math.random() * p.size);
      const now = new Date();
      const t = performance.now();
      // repo.offerIfFree, verbatim
      await conn`
        UPDATE plate_number SET status = 'offered', offer_id = ${p.drawId}, held_until = ${new Date(now.getTime() + 600_000)}, updated_at = ${now}
        WHERE id = (SELECT id FROM plate_number WHERE plan_id = ${p.id} AND idx = ${idx} AND status = 'free' FOR UPDATE SKIP LOCKED)
        RETURNING plate_no`;
      return performance.now() - t;
    };
    for (let w = 0; w < Math.min(200, o.picks); w++) for (const p of plans) await pick(p); // prepare the statement, warm the upper index levels
    for (let r = 0; r < o.picks; r++) for (const p of plans) p.times.push(await pick(p));
  } finally {
    conn.release();
  }
  for (const p of plans) await sql`UPDATE plate_number SET status = 'free', offer_id = NULL, held_until = NULL WHERE offer_id = ${p.drawId}`;

  const pools: PoolFigures[] = [];
  for (const p of plans) {
    let pages = 0;
    for (let k = 0; k < 20; k++) {
      const idx = Math.floor(Math.random() * p.size);
      const [row] = await sql.unsafe<{ 'QUERY PLAN': [{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }] }[]>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id FROM plate_number WHERE plan_id = $1 AND idx = $2 AND status = 'free'`,
        [p.id, idx],
      );
      const plan = row!['QUERY PLAN'][0].Plan;
      pages += plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
    }
    const l = latencyOf(p.times);
    pools.push({ size: p.size, buildMs: p.buildMs, pick: { ...l, mean: p.times.reduce((a, b) => a + b, 0) / p.times.length }, pages: pages / 20, drawMedianMs: null });
  }

  // A draw of ten through the HTTP stack (2 citizens × 5 draws per pool, the most a vehicle may draw).
  let u = o.drawUsersFrom;
  for (const [i, p] of plans.entries()) {
    const times: number[] = [];
    for (let k = 0; k < 2; k++, u++) {
      const res = await fetch(`${o.bffUrl}/api/v1/plates/preselections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookieOf(u) },
        body: JSON.stringify({ planId: p.id, mode: 'random', vin: vinOf(u), ownerIdType: 'passport', ownerIdNumber: idNumberOf(u), ownerName: nameOf(u), phone: phoneOf(u) }),
      });
      const ps = (await res.json()) as { id?: string; code?: string; nextDraw?: { commitment: string } | null };
      if (res.status !== 201 || !ps.id) throw new Error(`preselection for the draw timing: ${res.status} ${ps.code}`);
      // issue 18: each draw sends the commitment it was shown and a nonce of its own; the answer shows the next commitment
      let commitment = ps.nextDraw?.commitment;
      for (let d = 0; d < 5 && commitment; d++) {
        const t = performance.now();
        const r = await fetch(`${o.bffUrl}/api/v1/plates/preselections/${ps.id}/draws`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: cookieOf(u) },
          body: JSON.stringify({ commitment, clientNonce: randomBytes(32).toString('hex') }),
        });
        const body = (await r.json()) as { nextDraw?: { commitment: string } | null };
        if (r.status !== 201) throw new Error(`draw: ${r.status}`);
        times.push(performance.now() - t);
        commitment = body.nextDraw?.commitment;
      }
    }
    pools[i]!.drawMedianMs = latencyOf(times).p50;
  }

  const smallest = pools[0]!;
  const largest = pools[pools.length - 1]!;
  const ratio = largest.pick.p50 / smallest.pick.p50;
  for (const p of pools) {
    log(`  ${num(p.size).padStart(9)} numbers: pick p50 ${ms(p.pick.p50)} mean ${ms(p.pick.mean)} p99 ${ms(p.pick.p99)} (${num(o.picks)} picks); ${p.pages.toFixed(1)} pages per lookup; draw of 10 via HTTP, median ${ms(p.drawMedianMs ?? NaN)}`);
  }
  log(`  cost at ${num(largest.size)} / cost at ${num(smallest.size)} (median per pick): ${ratio.toFixed(2)} (target ≤ 1.5)`);
  return { pools, ratio };
}
