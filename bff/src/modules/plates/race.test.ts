import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { createApp } from '../../app.ts';
import { createSql } from '../../db.ts';
import { makeUsers, newNonce, openPlan, poolStatusCounts, preselectBody, staffCookie, vin, type TestUser } from './test-support.ts';

/**
 * Races on the contested pool (style §4, issue 4 "must hold under race"):
 * real concurrent requests through the whole app on a pool of 40 database
 * connections; the database decides, never application memory.
 */
describe('plate pool under concurrent requests', async () => {
  const env = await testEnv();
  const sql = createSql(env.url, { max: 40 });
  const app = createApp({ ...env.deps, sql });
  afterAll(async () => {
    await sql.end({ timeout: 1 });
  });
  const post = async (path: string, cookie: string, body?: unknown) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { code?: string; plateNo?: string; id: string; offer?: { id: string; numbers: string[] }; nextDraw?: { commitment: string } | null } };
  };

  let plan: { id: string; poolSize: number };
  let users: TestUser[];
  let next = 0;
  const take = (n: number) => {
    const out = users.slice(next, next + n);
    next += n;
    if (out.length < n) throw new Error('not enough test users');
    return out;
  };

  beforeAll(async () => {
    plan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '5@@##' });
    users = await makeUsers(env.sql, 800, env.clock.now(), 3);
  }, 120_000);

  async function checkInvariants() {
    const c = await poolStatusCounts(env.sql, plan.id);
    // every number is in exactly one state
    expect(c.free + c.offered + c.reserved + c.issued + c.withheld).toBe(plan.poolSize);
    // every reserved number has exactly one reserved preselection, and vice versa
    const [r] = await env.sql<{ n: number; distinct: number }[]>`
      SELECT count(*)::int AS n, count(DISTINCT plate_no)::int AS distinct FROM plate_preselection WHERE plan_id = ${plan.id} AND status = 'reserved'`;
    expect(r).toEqual({ n: c.reserved, distinct: c.reserved });
    const mismatched = await env.sql`
      SELECT n.plate_no FROM plate_number n LEFT JOIN plate_preselection ps ON ps.id = n.preselection_id
      WHERE n.plan_id = ${plan.id} AND n.status = 'reserved' AND (ps.plate_no IS DISTINCT FROM n.plate_no OR ps.status <> 'reserved')`;
    expect(mismatched).toHaveLength(0);
    // offered numbers belong to open draws that list them
    const [o] = await env.sql<{ n: number }[]>`SELECT COALESCE(sum(cardinality(offered)), 0)::int AS n FROM plate_draw WHERE plan_id = ${plan.id} AND status = 'open'`;
    expect(o!.n).toBe(c.offered);
    return c;
  }

  it('R-24.2 100 concurrent requests for the same self-composed number: exactly one reserved, 99 × 409 plates.number_taken', async () => {
    const contenders = take(100);
    const results = await Promise.all(contenders.map((u, i) => post('/api/v1/plates/preselections', u.cookie, preselectBody(plan.id, u, vin(1000 + i), { serial: '5AB55' }))));
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(won[0]!.body.plateNo).toBe('粤B5AB55');
    const lost = results.filter((r) => r.status !== 201);
    expect(lost.map((r) => `${r.status} ${r.body.code}`)).toEqual(Array(99).fill('409 plates.number_taken'));
    const rows = await env.sql`SELECT status FROM plate_preselection WHERE plate_no = '粤B5AB55'`;
    expect(rows).toEqual([{ status: 'reserved' }]);
    await checkInvariants();
  });

  it('R-24.2 20 wanted numbers × 30 clients each, all at once: one holder per number', async () => {
    const wanted = Array.from({ length: 20 }, (_, i) => `5C${'DEFGHJKLMN'[i % 10]}${i < 10 ? '1' : '2'}${i % 10}`);
    const clients = take(600);
    const results = await Promise.all(
      clients.map((u, i) => post('/api/v1/plates/preselections', u.cookie, preselectBody(plan.id, u, vin(2000 + i), { serial: wanted[i % 20]! }))),
    );
    const winners = results.filter((r) => r.status === 201).map((r) => r.body.plateNo);
    expect(winners.sort()).toEqual(wanted.map((w) => `粤B${w}`).sort());
    expect(results.filter((r) => r.status === 409 && r.body.code === 'plates.number_taken')).toHaveLength(580);
    const holders = await env.sql<{ plate_no: string; n: number }[]>`
      SELECT plate_no, count(*)::int AS n FROM plate_preselection WHERE plate_no = ANY(${env.sql.array(wanted.map((w) => `粤B${w}`))}::text[]) GROUP BY plate_no`;
    expect(holders).toHaveLength(20);
    expect(holders.every((h) => h.n === 1)).toBe(true);
    await checkInvariants();
  });

  it('PD-14 concurrent random draws never offer one number to two users and never offer a reserved one', async () => {
    const reservedBefore = new Set((await env.sql<{ plate_no: string }[]>`SELECT plate_no FROM plate_number WHERE plan_id = ${plan.id} AND status = 'reserved'`).map((r) => r.plate_no));
    const drawers = take(60);
    const started = await Promise.all(drawers.map((u, i) => post('/api/v1/plates/preselections', u.cookie, preselectBody(plan.id, u, vin(3000 + i), { mode: 'random' }))));
    expect(started.every((r) => r.status === 201)).toBe(true);
    // the same number can be wanted by a self-composer at the same moment: pre-choose ten numbers the draws could hit
    const rivals = take(20);
    // issue 18: each draw sends the commitment it was shown (at the start, then after each draw) and a nonce of its own
    let commitments: string[] = started.map((r) => r.body.nextDraw!.commitment);
    for (let round = 1; round <= 3; round++) {
      const [draws, grabs] = await Promise.all([
        Promise.all(drawers.map((u, i) => post(`/api/v1/plates/preselections/${started[i]!.body.id}/draws`, u.cookie, { commitment: commitments[i], clientNonce: newNonce() }))),
        round === 1
          ? Promise.all(rivals.map((u, i) => post('/api/v1/plates/preselections', u.cookie, preselectBody(plan.id, u, vin(4000 + i), { serial: `5P${'QRSTUVWXYZ'[i % 10]}${i}${round}`.slice(0, 5) }))))
          : Promise.resolve([]),
      ]);
      expect(draws.map((d) => d.status)).toEqual(Array(60).fill(201));
      commitments = draws.map((d) => d.body.nextDraw!.commitment);
      for (const g of grabs) expect([201, 409]).toContain(g.status);
      const offers = draws.map((d) => d.body.offer!);
      const all = offers.flatMap((o) => o.numbers);
      expect(offers.every((o) => o.numbers.length === 10)).toBe(true);
      expect(new Set(all).size).toBe(all.length); // nobody shares a number
      expect(all.filter((n) => reservedBefore.has(n))).toEqual([]); // nothing reserved is offered
      const rows = await env.sql<{ plate_no: string; status: string; offer_id: string }[]>`
        SELECT plate_no, status, offer_id FROM plate_number WHERE plan_id = ${plan.id} AND plate_no = ANY(${env.sql.array(all)}::text[])`;
      const byNo = new Map(rows.map((r) => [r.plate_no, r]));
      for (const o of offers) for (const n of o.numbers) expect(byNo.get(n)).toMatchObject({ status: 'offered', offer_id: o.id });
      await checkInvariants();
    }
    // everyone picks at once: 60 distinct reservations, the other 540 offered numbers go back
    type Current = { offer: { id: string; numbers: string[] } };
    const current = await Promise.all(
      drawers.map(async (u, i) => (await (await app.request(`/api/v1/plates/preselections/${started[i]!.body.id}`, { headers: { cookie: u.cookie } })).json()) as Current),
    );
    const picks = await Promise.all(
      drawers.map((u, i) => post(`/api/v1/plates/preselections/${started[i]!.body.id}/pick`, u.cookie, { drawId: current[i]!.offer.id, plateNo: current[i]!.offer.numbers[i % 10] })),
    );
    expect(picks.map((p) => p.status)).toEqual(Array(60).fill(200));
    const picked = picks.map((p) => p.body.plateNo);
    expect(new Set(picked).size).toBe(60);
    const c = await checkInvariants();
    expect(c.offered).toBe(0);
  });
});
