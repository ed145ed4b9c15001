/**
 * Issue 23: the statements a plate request sends, counted on a pool that
 * records every statement (postgres.js `debug`), so that they cannot silently
 * grow back. Each count includes the session read of the auth guard. The
 * answers and the rows written are those of the single path (GROUP_COMMIT=false,
 * one transaction of many statements), compared side by side.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.ts';
import { createApp } from '../../app.ts';
import { createSql } from '../../db.ts';
import { groupCommitFor } from '../../platform/group-commit.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';
import { makeUsers, newNonce, openPlan, poolStatusCounts, preselectBody, staffCookie, vin, type TestUser } from './test-support.ts';

type Body = Record<string, unknown> & {
  id: string; code?: string; status?: string; plateNo?: string | null; drawsUsed?: number;
  offer?: { id: string; numbers: string[] } | null; nextDraw?: { commitment: string } | null; draws?: unknown[];
};

describe('plate requests send few statements (issue 23)', async () => {
  const env = await testEnv();
  const statements: string[] = [];
  // postgres.js's own type lookup when a connection opens is not the request's.
  const counted = createSql(env.url, { max: 4, debug: (_c, q) => !/pg_catalog\.pg_type/.test(q) && statements.push(q) });
  afterAll(() => counted.end({ timeout: 1 }));
  const app = createApp({ ...env.deps, sql: counted, reads: counted });
  const send = async (method: string, path: string, cookie: string, body?: unknown) => {
    statements.length = 0;
    const r = await app.request(path, {
      method, headers: { cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Body, statements: [...statements] };
  };
  const draw = (u: TestUser, ps: Body, nonce = newNonce()) =>
    send('POST', `/api/v1/plates/preselections/${ps.id}/draws`, u.cookie, { commitment: ps.nextDraw!.commitment, clientNonce: nonce });

  let plan: { id: string; poolSize: number; prefix: string };
  let users: TestUser[];
  let next = 0;
  const user = () => users[next++]!;
  beforeAll(async () => {
    plan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '7@@##', withheldSerials: ['7XY77'] });
    users = await makeUsers(env.sql, 20, env.clock.now(), 11);
  }, 120_000);

  it('R-24.2 a self-composed reservation: the session, one read, the batch and its answer (one round trip) — four; refused by the batch, the same four', async () => {
    const [a, b] = [user(), user()];
    const won = await send('POST', '/api/v1/plates/preselections', a.cookie, preselectBody(plan.id, a, vin(41_001), { serial: '7AB12' }));
    expect(won.status).toBe(201);
    expect(won.body).toMatchObject({ status: 'reserved', plateNo: `${plan.prefix}7AB12`, mode: 'self' });
    expect(won.statements).toHaveLength(4);
    expect(won.statements[2]).toMatch(/plate_reserve_batch/);
    const lost = await send('POST', '/api/v1/plates/preselections', b.cookie, preselectBody(plan.id, b, vin(41_002), { serial: '7AB12' }));
    expect(lost).toMatchObject({ status: 409, body: { code: 'plates.number_taken' } });
    // the answer is read with the batch, before its outcome is known: for nothing, here (ADR-040 "The answer with the write")
    expect(lost.statements).toHaveLength(4);
    const withheld = await send('POST', '/api/v1/plates/preselections', b.cookie, preselectBody(plan.id, b, vin(41_002), { serial: '7XY77' }));
    expect(withheld).toMatchObject({ status: 409, body: { code: 'plates.number_withheld' } });
    expect(withheld.statements).toHaveLength(4);
  });

  it('R-23.4 R-23.1 refusals before the write cost the session and one read', async () => {
    const c = user();
    const notOwn = await send('POST', '/api/v1/plates/preselections', c.cookie, { ...preselectBody(plan.id, c, vin(41_010), { serial: '7AC12' }), ownerName: '别人' });
    expect(notOwn).toMatchObject({ status: 422, body: { code: 'plates.not_own_vehicle' } });
    expect(notOwn.statements).toHaveLength(2);
    const random = await send('POST', '/api/v1/plates/preselections', c.cookie, { ...preselectBody(plan.id, c, vin(41_011)), mode: 'random', planId: '00000000-0000-4000-8000-000000000000' });
    expect(random).toMatchObject({ status: 422, body: { code: 'plates.segment_not_open' } });
    expect(random.statements).toHaveLength(2);
  });

  it('PD-14 random: start, draw, draw again, pick — four statements each; reading the preselection, two', async () => {
    const u = user();
    const started = await send('POST', '/api/v1/plates/preselections', u.cookie, preselectBody(plan.id, u, vin(41_020), { mode: 'random' }));
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'drawing', mode: 'random', drawsUsed: 0, drawsLeft: rules.MAX_DRAWS, offer: null, draws: [] });
    expect(started.body.nextDraw!.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(started.statements).toHaveLength(4);

    const read = await send('GET', `/api/v1/plates/preselections/${started.body.id}`, u.cookie);
    expect(read.body).toEqual({ ...started.body });
    expect(read.statements).toHaveLength(2);

    const first = await draw(u, started.body);
    expect(first.status).toBe(201);
    expect(first.body.offer!.numbers).toHaveLength(rules.DRAW_SIZE);
    expect(first.body).toMatchObject({ drawsUsed: 1, drawsLeft: rules.MAX_DRAWS - 1 });
    expect(first.statements).toHaveLength(4);
    expect(first.statements[2]).toMatch(/plate_draw_batch/);

    const second = await draw(u, first.body);
    expect(second.status).toBe(201);
    expect(second.statements).toHaveLength(4);
    expect(second.body.draws).toEqual([
      { id: first.body.offer!.id, drawNo: 1, status: 'superseded', proofAvailable: true },
      { id: second.body.offer!.id, drawNo: 2, status: 'open', proofAvailable: false },
    ]);
    // the stale commitment (already used): refused after the session and one read
    const stale = await draw(u, first.body);
    expect(stale).toMatchObject({ status: 409, body: { code: 'plates.draw_commitment_stale' } });
    expect(stale.statements).toHaveLength(2);

    const picked = await send('POST', `/api/v1/plates/preselections/${started.body.id}/pick`, u.cookie, { drawId: second.body.offer!.id, plateNo: second.body.offer!.numbers[4] });
    expect(picked.status).toBe(200);
    expect(picked.body).toMatchObject({ status: 'reserved', plateNo: second.body.offer!.numbers[4], offer: null, nextDraw: null });
    expect(picked.statements).toHaveLength(4);
    expect(picked.statements[2]).toMatch(/plate_pick_batch/);
    expect(await poolStatusCounts(env.sql, plan.id)).toMatchObject({ offered: 0, reserved: 2 });

    const mine = await send('GET', '/api/v1/plates/me', u.cookie);
    expect(mine.body.current).toEqual({ ...picked.body });
    expect(mine.statements).toHaveLength(4);
  });

  it('PD-14 a crowded pool: the draw hands over all the candidates once more, and still examines them in the published order', async () => {
    const u = user();
    const started = (await send('POST', '/api/v1/plates/preselections', u.cookie, preselectBody(plan.id, u, vin(41_030), { mode: 'random' }))).body;
    const [row] = await env.sql<{ seed: Buffer }[]>`SELECT seed FROM plate_draw_commitment WHERE preselection_id = ${started.id} AND used_at IS NULL`;
    const nonce = newNonce();
    // the first 80 candidates of this very draw taken: the first statement runs out of its 64
    const { indices } = rules.deriveCandidates(rules.drawSeed(row!.seed, Buffer.from(nonce, 'hex')), plan.poolSize, 80);
    await env.sql`UPDATE plate_number SET status = 'withheld' WHERE plan_id = ${plan.id} AND idx = ANY(${indices}::int[]) AND status = 'free'`;
    const drawn = await draw(u, started, nonce);
    expect(drawn.status).toBe(201);
    expect(drawn.statements).toHaveLength(6); // the draw and its answer twice
    const [d] = await env.sql<{ candidates: { n: number; idx: number; outcome: string }[]; offered: string[] }[]>`SELECT candidates, offered FROM plate_draw WHERE id = ${drawn.body.offer!.id}`;
    const examined = d!.candidates.length;
    expect(examined).toBeGreaterThan(80);
    expect(d!.candidates.map((c) => c.idx)).toEqual(rules.deriveCandidates(rules.drawSeed(row!.seed, Buffer.from(nonce, 'hex')), plan.poolSize, examined).indices);
    expect(d!.candidates.slice(0, 80).every((c) => c.outcome === 'withheld' || c.outcome === 'repeat' || c.outcome === 'reserved')).toBe(true);
    expect(d!.offered).toHaveLength(rules.DRAW_SIZE);
    await env.sql`UPDATE plate_number SET status = 'free' WHERE plan_id = ${plan.id} AND idx = ANY(${indices}::int[]) AND status = 'withheld' AND plate_no <> ${`${plan.prefix}7XY77`}`;
  });

  it('PD-14 a pool with nothing left to offer: 409 pool_exhausted and nothing written — the commitment still waits, the open offer still open', async () => {
    const u = user();
    const started = (await send('POST', '/api/v1/plates/preselections', u.cookie, preselectBody(plan.id, u, vin(41_040), { mode: 'random' }))).body;
    const first = (await draw(u, started)).body;
    await env.sql`UPDATE plate_number SET status = 'withheld' WHERE plan_id = ${plan.id} AND status = 'free'`;
    try {
      // The draw frees the first offer before it walks: a nonce whose candidates miss those ten numbers, so that none is left to offer.
      const [pending] = await env.sql<{ seed: Buffer }[]>`SELECT seed FROM plate_draw_commitment WHERE preselection_id = ${started.id} AND used_at IS NULL`;
      const held = new Set((await env.sql<{ idx: number }[]>`SELECT idx FROM plate_number WHERE offer_id = ${first.offer!.id}`).map((r) => r.idx));
      let nonce = newNonce();
      while (rules.deriveCandidates(rules.drawSeed(pending!.seed, Buffer.from(nonce, 'hex')), plan.poolSize, rules.MAX_CANDIDATES).indices.some((i) => held.has(i))) nonce = newNonce();
      const [audits] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`;
      const refused = await draw(u, first, nonce);
      expect(refused).toMatchObject({ status: 409, body: { code: 'plates.pool_exhausted' } });
      const after = (await send('GET', `/api/v1/plates/preselections/${started.id}`, u.cookie)).body;
      expect(after).toMatchObject({ drawsUsed: 1, offer: { id: first.offer!.id, numbers: first.offer!.numbers }, nextDraw: { commitment: first.nextDraw!.commitment } });
      expect((await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`)[0]!.n).toBe(audits!.n);
      expect(await env.sql`SELECT 1 FROM plate_draw WHERE preselection_id = ${started.id}`).toHaveLength(1);
    } finally {
      await env.sql`UPDATE plate_number SET status = 'free' WHERE plan_id = ${plan.id} AND status = 'withheld' AND plate_no <> ${`${plan.prefix}7XY77`}`;
    }
  });

  it('ADR-040 Reads: the reads of plate requests that arrive together go as one statement each, and read what each alone would have read', async () => {
    const crowd = Array.from({ length: 8 }, () => user());
    const stats = (name: string) => groupCommitFor(counted, name, () => { throw new Error(`no batcher ${name}`); }).stats;
    // (no batcher yet when this test runs alone)
    const answersOf = () => { try { return stats('plates.view').items; } catch { return 0; } };
    const answersBefore = answersOf();
    statements.length = 0;
    const started = await Promise.all(crowd.map((u, i) => Promise.resolve(app.request('/api/v1/plates/preselections', {
      method: 'POST', headers: { cookie: u.cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
      body: JSON.stringify(preselectBody(plan.id, u, vin(41_100 + i), { mode: 'random' })),
    })).then(async (r) => ({ status: r.status, body: (await r.json()) as Body }))));
    expect(started.map((r) => r.status)).toEqual(crowd.map(() => 201));
    // alone: 4 statements each; together: the sessions, the reads, the writes and the answers shared
    expect(statements.length).toBeLessThan(4 * crowd.length);
    expect(stats('plates.start-reads').largest).toBeGreaterThan(1);
    expect(stats('plates.start').largest).toBeGreaterThan(1);
    // the answers: one read with each start batch, in its round trip; none through the batcher of answers
    const writes = statements.filter((q) => /INSERT INTO plate_preselection/.test(q)).length;
    expect(statements.filter((q) => /LEFT JOIN LATERAL \(\s*SELECT ps\.id, ps\.reference/.test(q))).toHaveLength(writes);
    expect(writes).toBeLessThan(crowd.length);
    expect(answersOf()).toBe(answersBefore);
    expect(new Set(started.map((r) => r.body.reference)).size).toBe(crowd.length);

    // a batch reads what each request's own statement reads, in the requests' order (a stranger's id: not found)
    const asks = [...crowd.map((u, i) => ({ id: started[i]!.body.id, userId: u.userId })), { id: started[0]!.body.id, userId: crowd[1]!.userId }].reverse();
    const views = await repo.preselectionViews(env.sql, asks);
    expect(views).toEqual(await Promise.all(asks.map((a) => repo.preselectionView(env.sql, a.id, a.userId))));
    expect(views[0]).toBeUndefined();
    const pickAsks = asks.map((a) => ({ userId: a.userId, preselectionId: a.id }));
    expect(await repo.pickReadsBatch(env.sql, pickAsks)).toEqual(await Promise.all(pickAsks.map((a) => repo.pickReads(env.sql, a.userId, a.preselectionId))));
    expect(await repo.drawReadsBatch(env.sql, pickAsks)).toEqual(await Promise.all(pickAsks.map((a) => repo.drawReads(env.sql, a.userId, a.preselectionId))));
    const now = env.clock.now();
    const startAsks = crowd.map((u, i) => ({ userId: u.userId, planId: plan.id, vin: vin(41_200 + i), today: '2026-12-01', now, drawsUsed: i % 2 === 0, calendar: i % 3 === 0 }));
    const batch = await repo.startReadsBatch(env.sql, startAsks);
    const alone = await Promise.all(startAsks.map((a) => repo.startReads(env.sql, { ...a, calendar: true })));
    const noSeq = (r: repo.StartReads) => ({ ...r, ref_seq: r.ref_seq === null ? null : 'taken' });
    expect(batch.map(noSeq)).toEqual(alone.map(noSeq));
    expect(new Set(batch.map((r) => r.ref_seq)).size).toBe(crowd.length);
  });

  it('R-23.2 random starts at once: a user twice, or one VIN for two users — one starts, the other is refused as alone (the batch split)', async () => {
    const [a, b, c] = [user(), user(), user()];
    const start = (u: TestUser, v: string) => Promise.resolve(app.request('/api/v1/plates/preselections', {
      method: 'POST', headers: { cookie: u.cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
      body: JSON.stringify(preselectBody(plan.id, u, v, { mode: 'random' })),
    })).then(async (r) => `${r.status}${r.status >= 400 ? ` ${((await r.json()) as Body).code}` : ''}`);
    const answers = await Promise.all([start(a, vin(41_300)), start(a, vin(41_301)), start(b, vin(41_302)), start(c, vin(41_302))]);
    expect(answers.slice(0, 2).sort()).toEqual(['201', '409 plates.active_preselection_exists']);
    expect(answers.slice(2).sort()).toEqual(['201', '409 plates.vin_in_preselection']);
    const [{ n }] = await env.sql<[{ n: number }]>`
      SELECT count(*)::int AS n FROM plate_preselection ps JOIN plate_draw_commitment c ON c.preselection_id = ps.id
      JOIN audit_log l ON l.entity_id = ps.id::text AND l.action = 'plates.preselection_started' JOIN job j ON j.dedupe_key = 'start:' || ps.id
      WHERE ps.vin IN (${vin(41_300)}, ${vin(41_301)}, ${vin(41_302)})`;
    expect(n).toBe(2);
  });

  it('PD-14 the random start and the draw write the very rows the single path writes: preselection, commitment, draw, pool rows, audit, jobs', async () => {
    const off = await testEnv({ config: { GROUP_COMMIT: 'false' } });
    // a fresh segment in both databases (the same pool, number for number), half of it withheld alike so that draws skip
    const offPlan = await openPlan(off, () => staffCookie(off, 'sz.review'), { pattern: '8@@##' });
    const onPlan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '8@@##' });
    for (const [e, id] of [[off, offPlan.id], [env, onPlan.id]] as const) await e.sql`UPDATE plate_number SET status = 'withheld' WHERE plan_id = ${id} AND idx % 2 = 0`;
    const at = new Date(Math.max(off.clock.now().getTime(), env.clock.now().getTime()));
    off.clock.set(at);
    env.clock.set(at);
    // the same person, car, seeds, nonces and instant in both databases
    const [uOff] = await makeUsers(off.sql, 1, at, 12);
    const [uOn] = await makeUsers(env.sql, 1, at, 12);
    const nonces = [newNonce(), newNonce()];
    const seeds = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const run = async (e: TestEnv, planId: string, u: TestUser) => {
      const call = (method: string, path: string, body?: unknown) => e.call(method, path, { cookie: u.cookie, body });
      const ps = (await (await call('POST', '/api/v1/plates/preselections', preselectBody(planId, u, vin(41_050), { mode: 'random' }))).json()) as Body;
      // the same seeds in both: set while no draw has used them (the stored commitment follows its seed)
      const fixSeed = async (seed: Buffer) => {
        await e.sql`ALTER TABLE plate_draw_commitment DISABLE TRIGGER plate_draw_commitment_fixed`;
        await e.sql`UPDATE plate_draw_commitment SET seed = ${seed}, commitment = ${rules.commitmentOf(seed)} WHERE preselection_id = ${ps.id} AND used_at IS NULL`;
        await e.sql`ALTER TABLE plate_draw_commitment ENABLE TRIGGER plate_draw_commitment_fixed`;
        return rules.commitmentOf(seed);
      };
      for (const [i, nonce] of nonces.entries()) {
        const commitment = await fixSeed(seeds[i]!);
        const r = await call('POST', `/api/v1/plates/preselections/${ps.id}/draws`, { commitment, clientNonce: nonce });
        expect(r.status).toBe(201);
      }
      await fixSeed(seeds[2]!);
      const [p] = await e.sql`SELECT * FROM plate_preselection WHERE id = ${ps.id}`;
      const draws = await e.sql`
        SELECT d.draw_no, d.pool_version, d.pool_size, d.pool_digest, d.algorithm, d.seed, d.commitment, d.client_nonce, d.candidates, d.rejected_words, d.offered, d.status,
               d.drawn_at, d.expires_at, d.ended_at, d.picked_plate_no, c.committed_at AS commitment_committed_at, c.used_at AS commitment_used_at
        FROM plate_draw d JOIN plate_draw_commitment c ON c.id = d.commitment_id WHERE d.preselection_id = ${ps.id} ORDER BY d.draw_no`;
      const commitments = await e.sql`
        SELECT c.seed, c.commitment, c.committed_at, c.used_at FROM plate_draw_commitment c LEFT JOIN plate_draw d ON d.commitment_id = c.id
        WHERE c.preselection_id = ${ps.id} ORDER BY d.draw_no NULLS LAST`;
      const numbers = await e.sql`
        SELECT n.plate_no, n.status, n.held_until, n.updated_at, d.draw_no FROM plate_number n JOIN plate_draw d ON d.id = n.offer_id
        WHERE d.preselection_id = ${ps.id} ORDER BY n.plate_no`;
      const ids = (await e.sql<{ id: string }[]>`SELECT id::text FROM plate_draw WHERE preselection_id = ${ps.id} ORDER BY draw_no`).map((r) => r.id);
      const audit = await e.sql`
        SELECT at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, ip FROM audit_log
        WHERE entity_id = ANY(${[ps.id, ...ids]}::text[]) ORDER BY at, id`;
      const jobs = await e.sql`SELECT kind, payload, run_at, status, attempts, max_attempts, dedupe_key, created_at FROM job WHERE kind = 'plates.offer_expiry' AND payload->>'preselectionId' = ${ps.id} ORDER BY id`;
      const answer = (await (await call('GET', `/api/v1/plates/preselections/${ps.id}`)).json()) as Body;
      let text = JSON.stringify({ p, draws, commitments, numbers, audit, jobs, answer });
      for (const [v, as] of [[ps.id, '<id>'], ...ids.map((id, i) => [id, `<draw ${i + 1}>`]), [p!.reference as string, '<reference>'], [ps.nextDraw!.commitment, '<random first commitment>'], [u.userId, '<user>'], [planId, '<plan>']] as const) text = text.split(v).join(as);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const single = await run(off, offPlan.id, uOff!);
    const atOnce = await run(env, onPlan.id, uOn!);
    expect(atOnce).toEqual(single);
    expect(single).toMatchObject({
      p: { status: 'drawing', mode: 'random' },
      draws: [{ draw_no: 1, status: 'superseded' }, { draw_no: 2, status: 'open' }],
      audit: [{ action: 'plates.preselection_started' }, { action: 'plates.numbers_offered' }, { action: 'plates.numbers_offered' }],
      jobs: [{ dedupe_key: 'start:<id>' }, { dedupe_key: '<draw 1>' }, { dedupe_key: '<draw 2>' }],
    });
    expect((single.numbers as unknown[]).length).toBe(rules.DRAW_SIZE);
  }, 60_000);
});
