/**
 * Issue 23, ADR-040 "Batched reads look up by key": the batched reads of plate
 * requests read each request's rows by key, whatever the statistics say. In a
 * rush the preselections are young and many, their table's statistics those of
 * an empty table; a read flattened into a hash join then scanned every
 * preselection once per batch. Nested loops are priced out here, so only a
 * read that cannot be anything but a lookup passes (test/query-plans.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaIndexes } from '../../../test/indexes.ts';
import { explainingSql, nodesOf, plansOf, readsOf, type PlanNode } from '../../../test/query-plans.ts';
import { testEnv } from '../../../test/support.ts';
import { createApp } from '../../app.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';
import { makeUsers, newNonce, openPlan, preselectBody, staffCookie, vin } from './test-support.ts';

describe('batched plate reads look up by key', async () => {
  const env = await testEnv();
  const reqs = [{ userId: randomUUID(), preselectionId: randomUUID() }, { userId: randomUUID(), preselectionId: randomUUID() }];

  it("the answers (preselection views): each preselection by its request's keys", async () => {
    const [plan] = await plansOf(env.url, /FROM plate_preselection ps/, (sql) => repo.preselectionViews(sql, reqs.map((r) => ({ id: r.preselectionId, userId: r.userId }))));
    expect(readsOf(plan!, 'plate_preselection', 'i.', 'ps')).toEqual(['lookup']);
    // the preselection's draws, through the draw's unique key (migration 0033 dropped the index 0028 had added beside it)
    expect(readsOf(plan!, 'plate_draw', 'ps.id', 'd')).toEqual(['lookup']);
  });

  it("a pick's and a draw's reads: each preselection by its request's keys, a draw's pending commitment by its preselection", async () => {
    const [pick] = await plansOf(env.url, /FROM plate_preselection ps/, (sql) => repo.pickReadsBatch(sql, reqs));
    expect(readsOf(pick!, 'plate_preselection', 'i.', 'ps')).toEqual(['lookup']);
    const [draw] = await plansOf(env.url, /FROM plate_preselection ps/, (sql) => repo.drawReadsBatch(sql, reqs));
    expect(readsOf(draw!, 'plate_preselection', 'i.', 'ps')).toEqual(['lookup']);
    expect(readsOf(draw!, 'plate_draw_commitment', 'ps.id', 'c')).toEqual(['lookup']);
  });

  it("a start's reads: each vehicle by its VIN", async () => {
    const today = env.clock.now().toISOString().slice(0, 10);
    const [plan] = await plansOf(env.url, /FROM vehicle v/, (sql) =>
      repo.startReadsBatch(sql, reqs.map((r, n) => ({ userId: r.userId, planId: randomUUID(), vin: `LBV${n}TESTPLAN00000`.slice(0, 17), today, now: env.clock.now(), drawsUsed: true, calendar: false }))),
    );
    expect(readsOf(plan!, 'vehicle', 'i.', 'v')).toEqual(['lookup']);
  });
});

type Answer = { id: string; plateNo: string | null; nextDraw: { commitment: string }; offer: { id: string; numbers: string[] } | null };

/**
 * A test database and the app on a pool whose connections report the plan of
 * every statement they run, functions' statements too (test/query-plans.ts
 * `explainingSql`), and a citizen's POST through that app.
 */
async function explainedApp() {
  const env = await testEnv();
  const explaining = explainingSql(env.url);
  afterAll(() => explaining.sql.end({ timeout: 1 }));
  const app = createApp({ ...env.deps, sql: explaining.sql, reads: explaining.sql });
  const post = async (u: { cookie: string }, path: string, body: unknown): Promise<Answer> => {
    const r = await app.request(path, { method: 'POST', headers: { cookie: u.cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' }, body: JSON.stringify(body) });
    expect(r.status, path).toBeLessThan(300);
    return (await r.json()) as Answer;
  };
  return { env, explaining, post };
}

/**
 * Issue 23, ADR-040 "Plates: the walk in a few statements": a draw's walk of
 * its candidates (migration 0030; plate_draw_batch since migration 0036) is a
 * few statements inside the function, not an UPDATE and a peek per candidate, and it finds
 * each candidate by the pool's unique (plan, index) key. Every statement the
 * function runs is counted (auto_explain, nested statements).
 */
describe("a draw's walk of its candidates", async () => {
  const { env, explaining, post } = await explainedApp();

  it('PD-14 ten numbers offered in a few statements on the pool, each candidate looked up by its index', async () => {
    const plan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '8@@##' });
    const [u] = await makeUsers(env.sql, 1, env.clock.now(), 12);
    const send = (path: string, body: unknown) => post(u!, path, body);
    const started = await send('/api/v1/plates/preselections', preselectBody(plan.id, u!, vin(42_001), { mode: 'random' }));
    explaining.clear();
    const drawn = await send(`/api/v1/plates/preselections/${started.id}/draws`, { commitment: started.nextDraw.commitment, clientNonce: newNonce() });
    expect(drawn.offer!.numbers).toHaveLength(rules.DRAW_SIZE);

    const inDraw = explaining.executed.filter((s) => !/plate_draw_batch|plate_draw_numbers\(/.test(s.query));
    const onPool = inDraw.filter((s) => nodesOf(s.plan).some((n) => n['Relation Name'] === 'plate_number'));
    // the batch's lock of the previous offers' numbers, then the walk's locking read, the record of the candidates,
    // the batch's offers given back (none here) and its offers — not an UPDATE and a peek per candidate (migration
    // 0027: eleven or more for ten numbers)
    expect(onPool.map((s) => s.query.trim().split(/\s+/)[0])).toEqual(['SELECT', 'SELECT', 'SELECT', 'WITH', 'UPDATE']);
    const walk = onPool.filter((s) => /FOR UPDATE OF x SKIP LOCKED|LEFT JOIN plate_number x/.test(s.query));
    expect(walk).toHaveLength(2);
    for (const s of walk) {
      expect(nodesOf(s.plan).filter((n) => n['Relation Name'] === 'plate_number' && n['Node Type'] === 'Seq Scan')).toEqual([]);
      expect(nodesOf(s.plan).some((n) => n['Index Name'] === 'plate_number_plan_idx_key')).toBe(true);
    }
    // one write of the draw record: inserted complete, not inserted and then updated (the only UPDATE of a draw
    // is the statement that ends the batch's previous draws, none here)
    const drawWrites = inDraw.filter((s) => /^\s*(INSERT INTO|UPDATE) plate_draw /m.test(s.query));
    expect(drawWrites.filter((s) => /INSERT INTO plate_draw \(/.test(s.query))).toHaveLength(1);
    expect(drawWrites.filter((s) => /UPDATE plate_draw /.test(s.query)).map((s) => s.query.match(/UPDATE plate_draw d SET status = '(\w+)'/)?.[1])).toEqual(['superseded']);
  });
});

/**
 * Issue 23, ADR-040 "Plates: a draw batch in a few statements" (migration
 * 0036): the draws that share a batch each walk their own candidates and
 * record them, and the batch writes what they decided together — every offer
 * in one UPDATE, every draw record, audit row and offer-expiry job in one
 * statement — not one draw after another, each with its own writes (migration
 * 0029: the draw record, audit row, job and offer once per member).
 */
describe("a draw batch's writes", async () => {
  const { env, explaining, post } = await explainedApp();

  it('PD-14 eight draws at once: a walk and a record each, and the batch writes them all in the statements of one draw', async () => {
    const plan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '8@@##' });
    const users = await makeUsers(env.sql, 8, env.clock.now(), 14);
    const started = await Promise.all(users.map((u, i) => post(u, '/api/v1/plates/preselections', preselectBody(plan.id, u, vin(44_001 + i), { mode: 'random' }))));
    explaining.clear();
    const drawn = await Promise.all(
      users.map((u, i) => post(u, `/api/v1/plates/preselections/${started[i]!.id}/draws`, { commitment: started[i]!.nextDraw.commitment, clientNonce: newNonce() })),
    );
    expect(new Set(drawn.flatMap((d) => d.offer!.numbers)).size).toBe(8 * rules.DRAW_SIZE); // no number offered twice

    const count = (re: RegExp) => explaining.executed.filter((s) => re.test(s.query)).length;
    const batches = count(/plate_draw_batch\(/);
    expect(batches).toBeLessThan(8); // the draws shared statements
    // each member: its walk (one chunk of candidates: ten free numbers among its first sixteen) and its record
    expect(count(/FOR UPDATE OF x SKIP LOCKED/)).toBe(8);
    expect(count(/LEFT JOIN plate_number x/)).toBe(8);
    // each batch: one UPDATE of the offers, one statement of the draw records, audit rows and jobs
    expect(count(/UPDATE plate_number pn SET status = 'offered'/)).toBe(batches);
    expect(count(/INSERT INTO plate_draw \(/)).toBe(batches);
    expect(count(/'plates\.numbers_offered'/)).toBe(batches);
    const [n] = await env.sql<{ draws: number; audit: number; jobs: number }[]>`
      SELECT (SELECT count(*)::int FROM plate_draw WHERE plan_id = ${plan.id}) AS draws,
             (SELECT count(*)::int FROM audit_log WHERE action = 'plates.numbers_offered' AND entity_id = ANY(${drawn.map((d) => d.offer!.id)}::text[])) AS audit,
             (SELECT count(*)::int FROM job WHERE kind = 'plates.offer_expiry' AND payload->>'drawId' = ANY(${drawn.map((d) => d.offer!.id)}::text[])) AS jobs`;
    expect(n).toEqual({ draws: 8, audit: 8, jobs: 8 });
  });

  it('R-24.2 eight picks at once: the batch reserves, gives back and ends in one statement, and writes the audit rows, SMS and jobs in one (migration 0037)', async () => {
    const plan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '9@@##' });
    const users = await makeUsers(env.sql, 8, env.clock.now(), 15);
    const started = await Promise.all(users.map((u, i) => post(u, '/api/v1/plates/preselections', preselectBody(plan.id, u, vin(45_001 + i), { mode: 'random' }))));
    const drawn = await Promise.all(
      users.map((u, i) => post(u, `/api/v1/plates/preselections/${started[i]!.id}/draws`, { commitment: started[i]!.nextDraw.commitment, clientNonce: newNonce() })),
    );
    explaining.clear();
    const picked = await Promise.all(
      users.map((u, i) => post(u, `/api/v1/plates/preselections/${started[i]!.id}/pick`, { drawId: drawn[i]!.offer!.id, plateNo: drawn[i]!.offer!.numbers[i] })),
    );
    expect(picked.map((p) => p.plateNo)).toEqual(drawn.map((d, i) => d.offer!.numbers[i]));

    const count = (re: RegExp) => explaining.executed.filter((s) => re.test(s.query)).length;
    const batches = count(/plate_pick_batch"?\(/);
    expect(batches).toBeLessThan(8); // the picks shared statements
    // each batch: one statement of the numbers reserved and given back, the draws ended, the preselections
    // reserved; one of the audit rows, SMS and jobs — not those ten statements once per pick (migration 0026)
    expect(count(/UPDATE plate_number pn SET status = 'reserved'/)).toBe(batches);
    expect(count(/UPDATE plate_number pn SET status = 'free'/)).toBe(batches);
    expect(count(/'plates\.number_reserved'/)).toBe(batches);
    const [n] = await env.sql<{ reserved: number; offered: number; picked: number; audit: number; sms: number }[]>`
      SELECT (SELECT count(*)::int FROM plate_number WHERE plan_id = ${plan.id} AND status = 'reserved') AS reserved,
             (SELECT count(*)::int FROM plate_number WHERE plan_id = ${plan.id} AND status = 'offered') AS offered,
             (SELECT count(*)::int FROM plate_draw WHERE plan_id = ${plan.id} AND status = 'picked') AS picked,
             (SELECT count(*)::int FROM audit_log WHERE action = 'plates.number_reserved' AND entity_id = ANY(${started.map((s) => s.id)}::text[])) AS audit,
             (SELECT count(*)::int FROM outbox_message m JOIN outbox_event e ON e.message_id = m.id
              WHERE m.dedupe_key = ANY(${started.map((s) => `plates.reserved:${s.id}`)}::text[])) AS sms`;
    expect(n).toEqual({ reserved: 8, offered: 0, picked: 8, audit: 8, sms: 8 });
  });

  it('R-24.2 sixteen self-composed reservations at once: the batches read their checks once and write their winners in two statements each (migration 0038)', async () => {
    const plan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '7@@##' });
    const users = await makeUsers(env.sql, 16, env.clock.now(), 16);
    const serials = users.map((_, i) => `7${'ABCDEFGHJK'[i % 10]}${'LMNPQRSTUV'[Math.floor(i / 10)]}${String(10 + i).slice(-2)}`);
    explaining.clear();
    const reserved = await Promise.all(users.map((u, i) => post(u, '/api/v1/plates/preselections', preselectBody(plan.id, u, vin(46_001 + i), { mode: 'self', serial: serials[i] }))));
    expect(reserved.map((r) => r.plateNo)).toEqual(serials.map((s) => `${plan.prefix}${s}`));

    const count = (re: RegExp) => explaining.executed.filter((s) => re.test(s.query)).length;
    const batches = count(/plate_reserve_batch"?\(/);
    expect(batches).toBeLessThan(16); // some reservations shared a statement
    // each batch: one read of its members' checks, one statement of the preselections and numbers, one of the audit
    // rows, SMS and jobs — not five checks and six writes once per reservation (migration 0026)
    expect(count(/INSERT INTO plate_preselection \(/)).toBe(batches);
    expect(count(/UPDATE plate_number pn SET status = 'reserved'/)).toBe(batches);
    expect(count(/EXISTS \(SELECT 1 FROM plate_preselection ps WHERE ps\.vin = /)).toBe(batches);
    expect(count(/'plates\.number_reserved'/)).toBe(batches);
    const [n] = await env.sql<{ reserved: number; audit: number; sms: number; jobs: number }[]>`
      SELECT (SELECT count(*)::int FROM plate_number WHERE plan_id = ${plan.id} AND status = 'reserved') AS reserved,
             (SELECT count(*)::int FROM audit_log WHERE action = 'plates.number_reserved' AND entity_id = ANY(${reserved.map((r) => r.id)}::text[])) AS audit,
             (SELECT count(*)::int FROM outbox_message m JOIN outbox_event e ON e.message_id = m.id
              WHERE m.dedupe_key = ANY(${reserved.map((r) => `plates.reserved:${r.id}`)}::text[])) AS sms,
             (SELECT count(*)::int FROM job WHERE kind = 'plates.reservation_deadline' AND dedupe_key = ANY(${reserved.map((r) => r.id)}::text[])) AS jobs`;
    expect(n).toEqual({ reserved: 16, audit: 16, sms: 16, jobs: 16 });
  });
});

/**
 * Issue 23, ADR-040 "Plates: the offer's rows by the offer" (migration 0031):
 * a pick, a draw that gives its previous offer back, and a self-composed
 * reservation find the pool rows they change by the offer or by the number,
 * never by reading every held number. A pool's statistics are taken while its
 * numbers are free; a rush offers thousands of them within seconds. With
 * `status = 'offered'` beside the offer, the planner took the index of held
 * rows through its status column and read all offered numbers of every pool.
 */
describe("an offer's pool rows, found by the offer whatever the statistics say", async () => {
  const { env, explaining, post: send } = await explainedApp();

  it('R-24.2 a pick, a second draw and a self-composed reservation with 600 numbers offered since the statistics: no read of every held number', async () => {
    const plan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '8@@##' });
    const [a, b, c] = await makeUsers(env.sql, 3, env.clock.now(), 13);
    const draw = (u: { cookie: string }, ps: { id: string; nextDraw: { commitment: string } }) =>
      send(u, `/api/v1/plates/preselections/${ps.id}/draws`, { commitment: ps.nextDraw.commitment, clientNonce: newNonce() });
    // the statistics of a pool whose numbers are all free (taken when it was built, or by autovacuum before the rush) …
    await env.sql`ANALYZE plate_number`;
    const startedA = await send(a!, '/api/v1/plates/preselections', preselectBody(plan.id, a!, vin(43_001), { mode: 'random' }));
    const drawnA = await draw(a!, startedA);
    const startedB = await send(b!, '/api/v1/plates/preselections', preselectBody(plan.id, b!, vin(43_002), { mode: 'random' }));
    const drawnB = await draw(b!, startedB);

    // … then a rush's worth of numbers offered by other draws
    const offered = await env.sql`
      UPDATE plate_number SET status = 'offered', offer_id = gen_random_uuid(), held_until = ${new Date(env.clock.now().getTime() + 600_000)}
      WHERE id IN (SELECT id FROM plate_number WHERE plan_id = ${plan.id} AND status = 'free' ORDER BY idx DESC LIMIT 600) RETURNING id`;
    expect(offered).toHaveLength(600);

    explaining.clear();
    const picked = await send(a!, `/api/v1/plates/preselections/${startedA.id}/pick`, { drawId: drawnA.offer!.id, plateNo: drawnA.offer!.numbers[3] });
    expect(picked.plateNo).toBe(drawnA.offer!.numbers[3]);
    await draw(b!, drawnB); // gives its first offer back
    const self = await send(c!, '/api/v1/plates/preselections', preselectBody(plan.id, c!, vin(43_003), { mode: 'self', serial: `${drawnA.offer!.numbers[5]!.slice(plan.prefix.length)}` }));
    expect(self.plateNo).toBe(drawnA.offer!.numbers[5]);

    // the nodes that read the pool (not the UPDATE's own node, which names its table too)
    const onPool = explaining.executed.flatMap((s) => nodesOf(s.plan).filter((n) => n['Relation Name'] === 'plate_number' && /Scan/.test(n['Node Type'])).map((n) => ({ query: s.query, n })));
    // every held number read, through an index of held rows with no plan or number in its condition, as stale statistics chose before
    const readingAllHeld = onPool.filter(
      ({ n }) =>
        (n['Index Name'] === 'plate_number_held_idx' && !/plan_id/.test(n['Index Cond'] ?? '')) ||
        (n['Index Name'] === 'plate_number_one_holder' && !/plate_no/.test(n['Index Cond'] ?? '')),
    );
    expect(readingAllHeld.map(({ query, n }) => `${n['Index Cond'] ?? ''} ${n.Filter ?? ''} in ${query.trim().slice(0, 80)}`)).toEqual([]);
    // the pick's number, the rest of its offer, and the second draw's previous offer: through the offer's index (or the number's)
    const byOffer = explaining.executed.filter((s) => /pn\.offer_id = (m\."drawId"|v_prev|w\.prev|w\."drawId"|\(e\.j->>'drawId'\)::uuid)/.test(s.query));
    expect(byOffer.length).toBeGreaterThanOrEqual(3);
    for (const s of byOffer) {
      const indexes = nodesOf(s.plan).flatMap((n) => (n['Index Name'] && n['Relation Name'] === 'plate_number' ? [n['Index Name']] : []));
      // (a pick batch's writes, migration 0037, also reserve each picked number by its row id)
      expect(indexes.filter((i) => i !== 'plate_number_pkey'), s.query).toEqual([expect.stringMatching(/^plate_number_(offer_idx|plan_plate_key)$/)]);
    }
  });
});

/**
 * Issue 23, ADR-040 "Plates: one index of the number" (migration 0032): every
 * pool row a draw offers, a pick reserves or gives back and a reservation
 * takes writes a new row version with an entry in each of plate_number's
 * indexes (no update of it is HOT). The unique (plan, number) key and the
 * index of the number across pools were the same two columns in two orders;
 * one unique index on (number, plan) serves both.
 */
describe("a pool row's number: one index", async () => {
  const env = await testEnv();
  const indexes = async () => (await schemaIndexes(env.sql)).filter((i) => i.table === 'plate_number');

  it('plate_number has six indexes: an offered row version writes six entries, a free one three', async () => {
    const all = await indexes();
    expect(all.map((i) => i.name).sort()).toEqual([
      'plate_number_held_idx',
      'plate_number_offer_idx',
      'plate_number_one_holder',
      'plate_number_pkey',
      'plate_number_plan_idx_key',
      'plate_number_plan_plate_key',
    ]);
    expect(all.find((i) => i.name === 'plate_number_plan_plate_key')).toMatchObject({ unique: true, predicate: null, columns: ['plate_no', 'plan_id'] });
    expect(all.filter((i) => i.predicate === null).map((i) => i.name).sort()).toEqual(['plate_number_pkey', 'plate_number_plan_idx_key', 'plate_number_plan_plate_key']);
  });

  const plan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '8@@##' });
  /** the indexes a plan reads plate_number through (an index scan, or the bitmap under a heap scan) */
  const poolIndexes = (p: PlanNode) => nodesOf(p).flatMap((n) => (n['Index Name']?.startsWith('plate_number_') ? [n['Index Name']] : []));

  it('R-24.3 a number still enters a pool once: the unique key by its old name refuses a second row', async () => {
    const [row] = await env.sql<{ plate_no: string }[]>`SELECT plate_no FROM plate_number WHERE plan_id = ${plan.id} ORDER BY idx LIMIT 1`;
    const again = env.sql`INSERT INTO plate_number (plan_id, idx, plate_no, updated_at) VALUES (${plan.id}, 999999, ${row!.plate_no}, now())`;
    await expect(again).rejects.toMatchObject({ code: '23505', constraint_name: 'plate_number_plan_plate_key' });
  });

  it("the pool build's check of a number in other pools, and a number looked up in its pool, go through the one index", async () => {
    const [row] = await env.sql<{ plate_no: string }[]>`SELECT plate_no FROM plate_number WHERE plan_id = ${plan.id} ORDER BY idx LIMIT 1`;
    const [acrossPools] = await plansOf(env.url, /FROM plate_number n JOIN plate_segment_plan/, (sql) => repo.unavailablePlates(sql, randomUUID(), [row!.plate_no]));
    expect(poolIndexes(acrossPools!)).toEqual(['plate_number_plan_plate_key']);
    const [inPool] = await plansOf(env.url, /FROM plate_number WHERE plan_id/, (sql) => repo.findNumber(sql, plan.id, row!.plate_no));
    expect(poolIndexes(inPool!)).toEqual(['plate_number_plan_plate_key']);
  });
});
