import { createHash } from 'node:crypto';
import { describe, expect, it, beforeAll } from 'vitest';
import { testEnv, fieldsOf } from '../../../test/support.ts';
import type { Db } from '../../db.ts';
import { BUILD_CHUNK } from './service.ts';
import { candidateAt, candidateCount, deriveCandidates, drawSeed, hasExcludedDigit, parsePattern, serialProblems } from './rules.ts';
import { drawFor, makeUsers, newNonce, openPlan, preselectBody, staffCookie, startInWorkingDays, vin } from './test-support.ts';

/**
 * Issue 18: counted on what the pool holds, random offers the platform
 * cannot steer (the server commits to its seed before the browser's nonce),
 * the open button that says the server's reason, the demo's open segment.
 */
describe('plates fairness and segment rules (issue 18)', async () => {
  const env = await testEnv();
  const review = () => staffCookie(env, 'sz.review');
  const create = async (body: Record<string, unknown>, headers?: Record<string, string>) =>
    env.call('POST', '/admin-api/plate-plans', { cookie: await review(), headers, body: { plateKind: 'small_blue', startAt: startInWorkingDays(env.clock.now()).toISOString(), ...body } });

  describe('R-24.1 a segment offers at least 1,000 usable numbers', () => {
    it('R-24.1 a pattern of 1,000 numbers that excludes the digit 4 is refused at the excluded digits, with the count', async () => {
      const res = await create({ pattern: 'A1###', excludeDigits: '4' }, { 'accept-language': 'en' });
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.code).toBe('plates.segment_too_small_after_exclusions');
      expect(Object.keys(fieldsOf(body))).toEqual(['excludeDigits']);
      expect(body.detail).toContain('729'); // 9 × 9 × 9 numbers without a 4
      expect(body.detail).toMatch(/Exclude fewer digits/);
      expect(await env.sql`SELECT 1 FROM plate_segment_plan WHERE pattern = 'A1###'`).toHaveLength(0);
    });

    it('R-24.1 withheld numbers that leave fewer than 1,000 are refused at the withheld numbers', async () => {
      const res = await create({ pattern: 'B2###', withheldSerials: ['B2000', 'B2001'] });
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.code).toBe('plates.segment_too_small_after_exclusions');
      expect(Object.keys(fieldsOf(body))).toEqual(['withheldSerials']);
      expect(body.detail).toContain('998');
    });

    it('R-24.1 a pattern too narrow by itself is refused at the pattern, with a next step', async () => {
      const body = await (await create({ pattern: 'C12##' })).json();
      expect(body.code).toBe('plates.segment_too_small');
      expect(Object.keys(fieldsOf(body))).toEqual(['pattern']);
      expect(body.detail).toContain('100');
    });

    it('R-24.1 the stored size is what the pool will hold, and the build agrees', async () => {
      const created = await (await create({ pattern: 'E####', excludeDigits: '4', withheldSerials: ['E0000', 'E4000'] })).json();
      // 9^4 without a 4; E4000 holds a 4 (never in the pool), E0000 is withheld
      expect(created.size).toBe(9 ** 4 - 1);
    });

    it('R-24.1 the database refuses a segment plan of 999 numbers written directly, bypassing the service', async () => {
      const insert = env.sql`
        INSERT INTO plate_segment_plan (authority_id, prefix, plate_kind, pattern, size, start_at, created_by, created_at, updated_at)
        VALUES ('440300', '粤B', 'small_blue', 'G1###', 999, now() + interval '30 days', '90000000-0000-4000-8000-000000000002', now(), now())`;
      await expect(insert).rejects.toMatchObject({ code: '23514', constraint_name: 'plate_segment_plan_size_check' });
      const [demo] = await env.sql<{ id: string }[]>`SELECT id FROM plate_segment_plan LIMIT 1`;
      await expect(env.sql`UPDATE plate_segment_plan SET size = 999 WHERE id = ${demo!.id}`).rejects.toMatchObject({ code: '23514' });
    });
  });

  describe('the demo has an open segment (issue 18)', () => {
    const DEMO_PLAN = 'b0000000-0000-4000-8000-000000000901';

    it('R-24.3 the demo segment 粤BD##### without 4 is open for preselection, with at least 50,000 numbers', async () => {
      const segments = await (await env.call('GET', '/api/v1/plates/segments')).json();
      expect(segments.find((s: { id: string }) => s.id === DEMO_PLAN)).toMatchObject({ state: 'open', prefix: '粤B', plateKind: 'small_new_energy', pattern: 'D#####', excludeDigits: '4', available: 59_045 });
    });

    it('R-25.4 the demo pool is the one the build job would write: dense, in order, with the same chained digest', async () => {
      const [plan] = await env.sql<{ pool_size: number; pool_digest: string; size: number }[]>`SELECT pool_size, pool_digest, size FROM plate_segment_plan WHERE id = ${DEMO_PLAN}`;
      const rows = await env.sql<{ idx: number; plate_no: string }[]>`SELECT idx, plate_no FROM plate_number WHERE plan_id = ${DEMO_PLAN} ORDER BY idx`;
      expect(rows.length).toBe(plan!.pool_size);
      expect(rows.every((r, i) => r.idx === i)).toBe(true);
      const issued = new Set((await env.sql<{ plate_no: string }[]>`SELECT plate_no FROM vehicle WHERE plate_no IS NOT NULL`).map((v) => v.plate_no));
      const p = parsePattern('small_new_energy', 'D#####');
      if (!p.ok) throw new Error('pattern');
      let digest = '';
      const all: string[] = [];
      for (let from = 0; from < candidateCount(p.value); from += BUILD_CHUNK) {
        const chunk: string[] = [];
        for (let i = from; i < Math.min(candidateCount(p.value), from + BUILD_CHUNK); i++) {
          const s = candidateAt(p.value, i);
          if (serialProblems('small_new_energy', s).length === 0 && !hasExcludedDigit(s, '4') && !issued.has(`粤B${s}`)) chunk.push(`粤B${s}`);
        }
        digest = createHash('sha256').update(`${digest}\n${chunk.join('\n')}`).digest('hex');
        all.push(...chunk);
      }
      expect(rows.map((r) => r.plate_no)).toEqual(all);
      expect(plan!.pool_digest).toBe(digest);
      expect(plan!.size).toBe(9 ** 5);
    });
  });

  describe('R-24.2 / PD-14 random offers: the server commits before the browser sends its nonce', () => {
    let plan: { id: string; poolSize: number };
    let users: Awaited<ReturnType<typeof makeUsers>>;
    beforeAll(async () => {
      plan = await openPlan(env, review, { pattern: '3@@##' });
      users = await makeUsers(env.sql, 6, env.clock.now(), 18);
    });
    const start = async (i: number) => {
      const u = users[i]!;
      const res = await env.call('POST', '/api/v1/plates/preselections', { cookie: u.cookie, body: preselectBody(plan.id, u, vin(1800 + i), { mode: 'random' }) });
      expect(res.status).toBe(201);
      return { u, ps: await res.json() };
    };

    it('PD-14 a draw is recomputed from the revealed seed and the browser’s nonce: the same candidates and offered numbers', async () => {
      const { u, ps } = await start(0);
      const shown = ps.nextDraw.commitment as string; // on the page before the nonce exists
      expect(shown).toMatch(/^[0-9a-f]{64}$/);
      const nonce = newNonce();
      const drawn = await env.call('POST', `/api/v1/plates/preselections/${ps.id}/draws`, { cookie: u.cookie, body: { commitment: shown, clientNonce: nonce } });
      expect(drawn.status).toBe(201);
      const offer = (await drawn.json()).offer;
      expect(offer.commitment).toBe(shown);
      // a new draw ends this one and reveals its seed
      expect((await drawFor(env, ps.id, u.cookie)).status).toBe(201);
      const proof = await (await env.call('GET', `/api/v1/plates/draws/${offer.id}/proof`, { cookie: u.cookie })).json();
      expect(proof).toMatchObject({ verified: true, commitment: shown, clientNonce: nonce, algorithm: expect.stringMatching(/^jg-plate-draw-v2/) });
      const seed = Buffer.from(proof.seed, 'hex');
      expect(createHash('sha256').update(seed).digest('hex')).toBe(shown);
      const mixed = createHash('sha256').update('jg-plate-draw-v2').update(seed).update(Buffer.from(nonce, 'hex')).digest();
      expect(proof.drawSeed).toBe(mixed.toString('hex'));
      expect(drawSeed(seed, Buffer.from(nonce, 'hex')).equals(mixed)).toBe(true);
      const { indices } = deriveCandidates(mixed, proof.poolSize, proof.candidates.length);
      expect(proof.candidates.map((c: { idx: number }) => c.idx)).toEqual(indices);
      const rows = await env.sql<{ idx: number; plate_no: string }[]>`SELECT idx, plate_no FROM plate_number WHERE plan_id = ${plan.id} AND idx = ANY(${env.sql.array(indices)}::int[])`;
      const byIdx = new Map(rows.map((r) => [r.idx, r.plate_no]));
      const offered = indices.filter((_, n) => proof.candidates[n].outcome === 'offered').map((i) => byIdx.get(i));
      expect(offered).toEqual(offer.numbers);
      // the same seed with another nonce gives other numbers: the browser's nonce counts
      const other = deriveCandidates(drawSeed(seed, Buffer.from(newNonce(), 'hex')), proof.poolSize, 10).indices;
      expect(other).not.toEqual(indices.slice(0, 10));
      // the commitment was stored before the draw, and the audit log has both
      expect(Date.parse(proof.committedAt)).toBeLessThanOrEqual(Date.parse(proof.drawnAt));
      const [audit] = await env.sql<{ after: { commitment: string; clientNonce: string } }[]>`SELECT after FROM audit_log WHERE action = 'plates.numbers_offered' AND entity_id = ${offer.id}`;
      expect(audit!.after).toMatchObject({ commitment: shown, clientNonce: nonce });
    });

    it('PD-14 a nonce sent against another commitment than the stored one draws nothing (409, the draw does not count)', async () => {
      const { u, ps } = await start(1);
      const forged = createHash('sha256').update('a seed the server picked after seeing the nonce').digest('hex');
      const res = await env.call('POST', `/api/v1/plates/preselections/${ps.id}/draws`, { cookie: u.cookie, body: { commitment: forged, clientNonce: newNonce() } });
      expect(res.status).toBe(409);
      const body = await res.json();
      expect(body.code).toBe('plates.draw_commitment_stale');
      expect(body.detail).toBeTruthy(); // the next step
      expect(await env.sql`SELECT 1 FROM plate_draw WHERE preselection_id = ${ps.id}`).toHaveLength(0);
      const after = await (await env.call('GET', `/api/v1/plates/preselections/${ps.id}`, { cookie: u.cookie })).json();
      expect(after).toMatchObject({ drawsLeft: 5, nextDraw: { commitment: ps.nextDraw.commitment } });
      // a malformed nonce is a field error, not a 500
      const bad = await env.call('POST', `/api/v1/plates/preselections/${ps.id}/draws`, { cookie: u.cookie, body: { commitment: ps.nextDraw.commitment, clientNonce: 'xyz' } });
      expect(bad.status).toBe(400);
      expect(Object.keys(fieldsOf(await bad.json()))).toEqual(['clientNonce']);
    });

    it('PD-14 a commitment is used by one draw only; each draw commits to the next seed before its nonce', async () => {
      const { u, ps } = await start(2);
      const first = ps.nextDraw.commitment;
      const once = await env.call('POST', `/api/v1/plates/preselections/${ps.id}/draws`, { cookie: u.cookie, body: { commitment: first, clientNonce: newNonce() } });
      expect(once.status).toBe(201);
      const after = await once.json();
      expect(after.nextDraw.commitment).not.toBe(first);
      const replay = await env.call('POST', `/api/v1/plates/preselections/${ps.id}/draws`, { cookie: u.cookie, body: { commitment: first, clientNonce: newNonce() } });
      expect((await replay.json()).code).toBe('plates.draw_commitment_stale');
    });

    it('PD-14 the database keeps the order: the server cannot pick the seed after seeing the nonce', async () => {
      const { ps } = await start(3);
      const [pending] = await env.sql<{ id: string; seed: Buffer; commitment: string }[]>`
        SELECT id, seed, commitment FROM plate_draw_commitment WHERE preselection_id = ${ps.id} AND used_at IS NULL`;
      expect(pending!.commitment).toBe(ps.nextDraw.commitment);
      // the stored seed (or its commitment) can never be replaced, nor the row removed
      const otherSeed = Buffer.alloc(32, 7);
      await expect(env.sql`UPDATE plate_draw_commitment SET seed = ${otherSeed}, commitment = encode(sha256(${otherSeed}), 'hex') WHERE id = ${pending!.id}`).rejects.toThrow(/fixed once stored/);
      await expect(env.sql`DELETE FROM plate_draw_commitment WHERE id = ${pending!.id}`).rejects.toThrow(/never deleted/);
      // a commitment must be the hash of its seed
      await expect(env.sql`INSERT INTO plate_draw_commitment (preselection_id, seed, commitment, committed_at) VALUES (${ps.id}, ${otherSeed}, ${'0'.repeat(64)}, now())`)
        .rejects.toMatchObject({ constraint_name: 'plate_draw_commitment_is_hash' });

      const draw = (tx: Db, commitmentId: string, seed: Buffer, commitment: string) => tx`
        INSERT INTO plate_draw (preselection_id, draw_no, plan_id, pool_version, pool_size, algorithm, seed, commitment, commitment_id, client_nonce, status, drawn_at, expires_at)
        VALUES (${ps.id}, 1, ${plan.id}, 1, ${plan.poolSize}, 'jg-plate-draw-v2: test', ${seed}, ${commitment}, ${commitmentId}, ${Buffer.alloc(32, 1)}, 'open', now(), now() + interval '10 minutes')`;
      // a draw with another seed than the one committed to is refused
      await expect(env.sql.begin((tx) => draw(tx, pending!.id, otherSeed, pending!.commitment))).rejects.toMatchObject({ constraint_name: 'plate_draw_seed_of_commitment' });
      // a commitment stored in the draw's own transaction (after the nonce came) is refused
      await expect(
        env.sql.begin(async (tx) => {
          await tx`UPDATE plate_draw_commitment SET used_at = now() WHERE id = ${pending!.id}`;
          const [late] = await tx<{ id: string }[]>`
            INSERT INTO plate_draw_commitment (preselection_id, seed, commitment, committed_at) VALUES (${ps.id}, ${otherSeed}, encode(sha256(${otherSeed}), 'hex'), now()) RETURNING id`;
          await draw(tx, late!.id, otherSeed, createHash('sha256').update(otherSeed).digest('hex'));
        }),
      ).rejects.toMatchObject({ constraint_name: 'plate_draw_commitment_stored_before' });
      // a v2 draw without a nonce is refused
      await expect(env.sql`
        INSERT INTO plate_draw (preselection_id, draw_no, plan_id, pool_version, pool_size, algorithm, seed, commitment, status, drawn_at, expires_at)
        VALUES (${ps.id}, 1, ${plan.id}, 1, ${plan.poolSize}, 'jg-plate-draw-v2: test', ${pending!.seed}, ${pending!.commitment}, 'open', now(), now() + interval '10 minutes')`).rejects.toMatchObject({ code: '23514' });
      // and the honest draw, with the commitment stored by the earlier request, is accepted
      await env.sql.begin((tx) => draw(tx, pending!.id, pending!.seed, pending!.commitment));
      // once made, its seed and nonce never change
      await expect(env.sql`UPDATE plate_draw SET client_nonce = ${Buffer.alloc(32, 2)} WHERE commitment_id = ${pending!.id}`).rejects.toThrow(/fixed/);
    });
  });

  describe('管理岗: the open button states the server’s reason (R-24.3, R-25.3)', () => {
    const throughBuild = async (plateKind: string, pattern: string) => {
      const startAt = startInWorkingDays(env.clock.now());
      const plan = await (await create({ plateKind, pattern, startAt: startAt.toISOString() })).json();
      for (const [cmd, body] of [['submit'], ['approve', { kind: 'filed', documentRef: '备案2026-18' }], ['publish'], ['build-pool']] as [string, unknown?][]) {
        expect((await env.call('POST', `/admin-api/plate-plans/${plan.id}/${cmd}`, body ? { cookie: await review(), body } : { cookie: await review() })).status).toBe(200);
      }
      const { runJobs } = await import('./test-support.ts');
      await runJobs(env);
      return { id: plan.id as string, startAt };
    };

    it('R-24.3 a pool under 50,000 is not openable, and the plan says why in the words the command refuses with', async () => {
      const { id, startAt } = await throughBuild('large_yellow', '7####');
      // before the start: the start is the reason, as the command says
      const early = await (await env.call('GET', `/admin-api/plate-plans/${id}`, { cookie: await review() })).json();
      expect(early.open).toMatchObject({ allowed: false, code: 'plates.plan_not_started' });
      const earlyRefusal = await (await env.call('POST', `/admin-api/plate-plans/${id}/open`, { cookie: await review() })).json();
      expect(earlyRefusal.code).toBe(early.open.code);
      expect(earlyRefusal.title).toBe(early.open.title);
      env.clock.set(new Date(startAt.getTime() + 60_000));
      for (const lang of ['zh-CN', 'en']) {
        const shown = await (await env.call('GET', `/admin-api/plate-plans/${id}`, { cookie: await review(), headers: { 'accept-language': lang } })).json();
        expect(shown.poolLevel).toBe('below_minimum');
        expect(shown.openPoolAvailable).toBeGreaterThan(9_990); // 10,000 numbers, less the demo's own 粤B7… trucks
        expect(shown.open).toMatchObject({ allowed: false, warning: false, code: 'plates.pool_below_minimum' });
        const refused = await env.call('POST', `/admin-api/plate-plans/${id}/open`, { cookie: await review(), headers: { 'accept-language': lang } });
        expect(refused.status).toBe(422);
        const body = await refused.json();
        expect({ code: body.code, title: body.title, detail: body.detail }).toEqual({ code: shown.open.code, title: shown.open.title, detail: shown.open.detail });
        expect(shown.open.detail).toContain(String(shown.openPoolAvailable));
      }
      // in the list as well
      const list = await (await env.call('GET', '/admin-api/plate-plans', { cookie: await review() })).json();
      expect(list.find((p: { id: string }) => p.id === id).open.allowed).toBe(false);
    });

    it('R-24.3 a pool of 50,000 or more is openable; within 20 % of the minimum it asks for confirmation', async () => {
      const { id, startAt } = await throughBuild('large_yellow', '6@@##');
      env.clock.set(new Date(startAt.getTime() + 60_000));
      const shown = await (await env.call('GET', `/admin-api/plate-plans/${id}`, { cookie: await review() })).json();
      expect(shown.open).toEqual({ allowed: true, warning: true, code: null, title: null, detail: null });
      expect((await env.call('POST', `/admin-api/plate-plans/${id}/open`, { cookie: await review() })).status).toBe(200);
      const opened = await (await env.call('GET', `/admin-api/plate-plans/${id}`, { cookie: await review() })).json();
      expect(opened.open).toMatchObject({ allowed: false, code: 'plates.plan_wrong_status' });
    });
  });

  describe('the rule checker answers with no segment needed (issue 18)', () => {
    it('R-24.2 a wanted number is checked against GA 36 for its plate kind, and the open segments holding it are named', async () => {
      const [u] = await makeUsers(env.sql, 1, env.clock.now(), 19);
      const ask = async (plateKind: string, serial: string) => (await env.call('GET', `/api/v1/plates/rules-check?plateKind=${plateKind}&serial=${encodeURIComponent(serial)}`, { cookie: u!.cookie })).json();
      const bad = await ask('small_blue', 'AI123');
      expect(bad).toMatchObject({ status: 'invalid', segments: [] });
      expect(bad.problems.map((p: { code: string }) => p.code)).toEqual(['plates.serial_letter_i_o']);
      const ok = await ask('small_new_energy', '粤B·D12356');
      expect(ok).toMatchObject({ status: 'valid', serial: 'D12356', problems: [] });
      expect(ok.segments).toEqual([expect.objectContaining({ id: 'b0000000-0000-4000-8000-000000000901', state: 'open', plateNo: '粤BD12356' })]);
      const withFour = await ask('small_new_energy', 'D12345');
      expect(withFour).toMatchObject({ status: 'valid', segments: [] }); // GA 36 allows it; the open segment leaves out 4s
      expect((await env.call('GET', '/api/v1/plates/rules-check?plateKind=small_blue&serial=A1234')).status).toBe(401);
      expect((await env.call('GET', '/api/v1/plates/rules-check?plateKind=tank&serial=A1234', { cookie: u!.cookie })).status).toBe(400);
    });
  });
});
