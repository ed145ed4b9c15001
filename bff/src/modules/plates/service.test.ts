import { describe, expect, it, beforeAll } from 'vitest';
import { testEnv, fieldsOf } from '../../../test/support.ts';
import { deriveCandidates, drawSeed } from './rules.ts';
import {
  drawFor, makeUsers, openPlan, staffSignIn, SHUNDATONG, poolStatusCounts, preselectBody, runJobs, SEED_NEW_CAR_VIN, SEED_REGISTERED_VIN, staffCookie, startInWorkingDays, userCookie, vin, ZHANG_WEI, WANG_FANG,
} from './test-support.ts';

describe('plate segment plans (管理岗, R-24, R-25)', async () => {
  const env = await testEnv();
  const review = () => staffCookie(env, 'sz.review');
  const intake = () => staffCookie(env, 'sz.intake');

  const create = async (body: Record<string, unknown>) =>
    env.call('POST', '/admin-api/plate-plans', { cookie: await review(), body: { plateKind: 'small_blue', startAt: startInWorkingDays(env.clock.now()).toISOString(), ...body } });

  it('anonymous callers get 401, other posts 403; staff sign in through the API', async () => {
    expect((await env.call('GET', '/admin-api/plate-plans')).status).toBe(401);
    expect((await env.call('GET', '/admin-api/plate-plans', { cookie: await staffSignIn(env, 'sz.review') })).status).toBe(200);
    expect((await env.call('GET', '/admin-api/plate-plans', { cookie: await intake() })).status).toBe(403);
    expect((await env.call('POST', '/admin-api/plate-plans', { cookie: await intake(), body: { plateKind: 'small_blue', pattern: 'A####', startAt: '2026-12-01T00:00:00+08:00' } })).status).toBe(403);
  });

  it('R-24.1 a segment of fewer than 1,000 numbers is refused with its code', async () => {
    const res = await create({ pattern: 'A12##' });
    expect(res.status).toBe(422);
    const p = await res.json();
    expect(p.code).toBe('plates.segment_too_small');
    expect(fieldsOf(p)).toEqual({ pattern: p.code });
  });

  it('GA 36 a pattern that breaks the format rules is refused', async () => {
    const res = await env.call('POST', '/admin-api/plate-plans', { cookie: await review(), body: { plateKind: 'small_new_energy', pattern: 'A*####', startAt: startInWorkingDays(env.clock.now()).toISOString() } });
    expect((await res.json()).code).toBe('plates.pattern_invalid');
  });

  it('R-24.4 a start too soon to publish three working days ahead is refused at once', async () => {
    const res = await create({ pattern: '9@@##', startAt: startInWorkingDays(env.clock.now(), 2).toISOString() });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('plates.publish_too_late');
  });

  it('R-25.1 … R-25.4 draft → submitted → approved (recorded) → published → pool built → open; every step audited', async () => {
    const startAt = startInWorkingDays(env.clock.now());
    const created = await create({ pattern: '8@@##', startAt: startAt.toISOString(), excludeDigits: '', withheldSerials: ['8AA88', '8BB88'] });
    expect(created.status).toBe(201);
    const plan = await created.json();
    // the size counts what the pool will hold for use — 57,600 numbers without the two withheld (issue 18)
    expect(plan).toMatchObject({ status: 'draft', prefix: '粤B', size: 57_598, authorityId: '440300' });

    // approval before submission is refused; the superior must be the parent authority
    expect((await env.call('POST', `/admin-api/plate-plans/${plan.id}/approve`, { cookie: await review(), body: { kind: 'approved', documentRef: 'X' + '1' } })).status).toBe(409);
    expect((await env.call('POST', `/admin-api/plate-plans/${plan.id}/submit`, { cookie: await review() })).status).toBe(200);
    const wrong = await env.call('POST', `/admin-api/plate-plans/${plan.id}/approve`, { cookie: await review(), body: { kind: 'approved', authorityId: '440100', documentRef: '粤公交管〔2026〕1号' } });
    expect((await wrong.json()).code).toBe('plates.approval_authority_invalid');
    const approved = await (await env.call('POST', `/admin-api/plate-plans/${plan.id}/approve`, { cookie: await review(), body: { kind: 'approved', documentRef: '粤公交管〔2026〕1号' } })).json();
    expect(approved.approval).toMatchObject({ kind: 'approved', authorityId: '440000', authorityName: '广东省', documentRef: '粤公交管〔2026〕1号', recordedBy: '深圳审核员 陈国华' });
    expect(approved.approval.recordedAt).toBe(env.clock.now().toISOString());

    // the province's review post sees the city's plans (PD-9)
    const province = await staffCookie(env, 'gd.review');
    expect((await env.call('GET', `/admin-api/plate-plans/${plan.id}`, { cookie: province })).status).toBe(200);

    expect((await env.call('POST', `/admin-api/plate-plans/${plan.id}/publish`, { cookie: await review() })).status).toBe(200);
    const segments = await (await env.call('GET', '/api/v1/plates/segments')).json();
    expect(segments.find((s: { id: string }) => s.id === plan.id)).toMatchObject({ state: 'announced', available: null });

    const building = await (await env.call('POST', `/admin-api/plate-plans/${plan.id}/build-pool`, { cookie: await review() })).json();
    expect(building).toMatchObject({ status: 'building', build: { cursor: 0, total: 24 * 24 * 10 * 10 } });
    // the build is a durable job in chunks: progress is visible after the first one
    const { runDueJobs } = await import('../../platform/jobs.ts');
    const { jobHandlers } = await import('../index.ts');
    await runDueJobs(env.deps, jobHandlers, env.clock.now(), 1);
    const half = await (await env.call('GET', `/admin-api/plate-plans/${plan.id}`, { cookie: await review() })).json();
    expect(half.status).toBe('building');
    expect(half.build.percent).toBeGreaterThan(0);
    expect(half.build.percent).toBeLessThan(100);
    await runJobs(env);
    const built = await (await env.call('GET', `/admin-api/plate-plans/${plan.id}`, { cookie: await review() })).json();
    expect(built).toMatchObject({ status: 'pool_built', poolSize: 57_600, poolVersion: 1, build: { percent: 100 } });
    expect(built.counts).toEqual({ free: 57_598, offered: 0, reserved: 0, issued: 0, withheld: 2 });
    expect(built.poolDigest).toMatch(/^[0-9a-f]{64}$/);

    // not before the announced start
    const early = await env.call('POST', `/admin-api/plate-plans/${plan.id}/open`, { cookie: await review() });
    expect((await early.json()).code).toBe('plates.plan_not_started');
    env.clock.set(new Date(startAt.getTime() + 60_000));
    const opened = await (await env.call('POST', `/admin-api/plate-plans/${plan.id}/open`, { cookie: await review() })).json();
    expect(opened).toMatchObject({ status: 'open', openPoolAvailable: 57_598, poolLevel: 'low' });

    const audit = await env.sql<{ action: string; actor_kind: string }[]>`
      SELECT action, actor_kind FROM audit_log WHERE entity_type = 'plate_segment_plan' AND entity_id = ${plan.id} ORDER BY id`;
    expect(audit.map((a) => a.action)).toEqual([
      'plates.plan_created', 'plates.plan_submit', 'plates.plan_approve', 'plates.plan_publish', 'plates.plan_build', 'plates.pool_built', 'plates.plan_open',
    ]);
    const [openAudit] = await env.sql<{ after: { warning: boolean } }[]>`SELECT after FROM audit_log WHERE action = 'plates.plan_open' AND entity_id = ${plan.id}`;
    expect(openAudit!.after.warning).toBe(true);
  });

  it('R-24.3 a segment whose open pool would stay below 50,000 is refused', async () => {
    // a large new-energy segment of 10,000 numbers: no other open large new-energy pool (the demo's open segment is small new-energy)
    const startAt = startInWorkingDays(env.clock.now());
    const plan = await (await create({ plateKind: 'large_new_energy', pattern: '1####D', startAt: startAt.toISOString() })).json();
    for (const [cmd, body] of [['submit'], ['approve', { kind: 'filed', documentRef: '备案2026-7' }], ['publish'], ['build-pool']] as [string, unknown?][]) {
      expect((await env.call('POST', `/admin-api/plate-plans/${plan.id}/${cmd}`, body ? { cookie: await review(), body } : { cookie: await review() })).status).toBe(200);
    }
    await runJobs(env);
    env.clock.set(new Date(startAt.getTime() + 1000));
    const shown = await (await env.call('GET', `/admin-api/plate-plans/${plan.id}`, { cookie: await review() })).json();
    expect(shown).toMatchObject({ poolSize: 10_000, openPoolAvailable: 10_000, poolLevel: 'below_minimum' });
    const res = await env.call('POST', `/admin-api/plate-plans/${plan.id}/open`, { cookie: await review() });
    expect(res.status).toBe(422);
    const refusal = await res.json();
    expect(refusal.code).toBe('plates.pool_below_minimum');
    // issue 18: the plan resource said so before the click, in the same words
    expect(shown.open).toMatchObject({ allowed: false, code: 'plates.pool_below_minimum', title: refusal.title });
  });

  it('R-25.4 the pool leaves out numbers already issued in the records and numbers with an excluded digit', async () => {
    // 粤BA1234 (张伟) is in the records: a segment A#### must not contain it
    const plan = await (await create({ pattern: 'A####', excludeDigits: '9' })).json();
    for (const [cmd, body] of [['submit'], ['approve', { kind: 'filed', documentRef: '备案2026-8' }], ['publish'], ['build-pool']] as [string, unknown?][]) {
      await env.call('POST', `/admin-api/plate-plans/${plan.id}/${cmd}`, body ? { cookie: await review(), body } : { cookie: await review() });
    }
    await runJobs(env);
    const built = await (await env.call('GET', `/admin-api/plate-plans/${plan.id}`, { cookie: await review() })).json();
    expect(built.build).toMatchObject({ excludedDigits: 10_000 - 9 ** 4, excludedTaken: 1 });
    expect(built.poolSize).toBe(9 ** 4 - 1);
    expect(await env.sql`SELECT 1 FROM plate_number WHERE plan_id = ${plan.id} AND plate_no = '粤BA1234'`).toHaveLength(0);
    const [dense] = await env.sql<{ n: number; max: number }[]>`SELECT count(DISTINCT idx)::int AS n, max(idx) AS max FROM plate_number WHERE plan_id = ${plan.id}`;
    expect(dense).toEqual({ n: built.poolSize, max: built.poolSize - 1 }); // dense index 0 … size-1
  });
});

describe('plate preselection by citizens (R-23, PD-14)', async () => {
  const env = await testEnv();
  const review = () => staffCookie(env, 'sz.review');
  const intake = () => staffCookie(env, 'sz.intake');
  let plan: { id: string; poolSize: number; prefix: string };
  let zhang: string;
  let wang: string;
  let other: Awaited<ReturnType<typeof makeUsers>>[number];
  beforeAll(async () => {
    plan = await openPlan(env, review, { pattern: '7@@##', withheldSerials: ['7AA77'] });
    other = (await makeUsers(env.sql, 1, env.clock.now(), 2))[0]!;
    zhang = await userCookie(env.sql, ZHANG_WEI.userId, env.clock.now());
    wang = await userCookie(env.sql, WANG_FANG.userId, env.clock.now());
  });

  const check = (serial: string, cookie = zhang) => env.call('GET', `/api/v1/plates/segments/${plan.id}/check?serial=${encodeURIComponent(serial)}`, { cookie });

  it('R-24.2 the checker names the broken rule at once, or says the number is free', async () => {
    expect(await (await check('7AI12')).json()).toMatchObject({ status: 'invalid', problems: [{ code: 'plates.serial_letter_i_o', message: '号牌号码不能使用字母 I 和 O' }] });
    expect(await (await check('7ABC1')).json()).toMatchObject({ status: 'invalid', problems: [{ code: 'plates.serial_too_many_letters' }] });
    expect(await (await check('7AB1')).json()).toMatchObject({ status: 'invalid', problems: [{ code: 'plates.serial_length' }] });
    expect(await (await check('6AB12')).json()).toMatchObject({ status: 'invalid', problems: [{ code: 'plates.serial_not_in_segment' }] });
    expect(await (await check('粤B7AB12')).json()).toMatchObject({ plateNo: '粤B7AB12', status: 'free', problems: [] });
    expect(await (await check('7aa77')).json()).toMatchObject({ status: 'withheld' });
    const en = await env.call('GET', `/api/v1/plates/segments/${plan.id}/check?serial=7AI12`, { cookie: zhang, headers: { 'accept-language': 'en' } });
    expect((await en.json()).problems[0].message).toBe('Plate serials never use the letters I and O');
    expect((await env.call('GET', `/api/v1/plates/segments/${plan.id}/check?serial=7AB12`)).status).toBe(401);
  });

  it('R-23.1 only for the user’s own vehicle that still needs registration', async () => {
    const notMine = await env.call('POST', '/api/v1/plates/preselections', { cookie: zhang, body: preselectBody(plan.id, WANG_FANG, vin(1), { serial: '7AB12' }) });
    expect(notMine.status).toBe(422);
    expect((await notMine.json()).code).toBe('plates.not_own_vehicle');
    const registered = await env.call('POST', '/api/v1/plates/preselections', { cookie: zhang, body: preselectBody(plan.id, ZHANG_WEI, SEED_REGISTERED_VIN, { serial: '7AB12' }) });
    expect((await registered.json()).code).toBe('plates.vehicle_already_registered');
    const othersNewCar = await env.call('POST', '/api/v1/plates/preselections', { cookie: zhang, body: preselectBody(plan.id, ZHANG_WEI, SEED_NEW_CAR_VIN, { serial: '7AB12' }) });
    expect((await othersNewCar.json()).code).toBe('plates.not_own_vehicle');
    const badVin = await env.call('POST', '/api/v1/plates/preselections', { cookie: zhang, body: preselectBody(plan.id, ZHANG_WEI, vin(1).slice(0, 8) + (vin(1)[8] === '1' ? '2' : '1') + vin(1).slice(9), { serial: '7AB12' }) });
    expect(badVin.status).toBe(400);
    expect(fieldsOf(await badVin.json()).vin).toBe('validation.vin_checksum');
  });

  it('R-24.2 a self-composed number is reserved at once; R-23.4 the deadline is 24:00 of the third working day; SMS and audit', async () => {
    const res = await env.call('POST', '/api/v1/plates/preselections', { cookie: zhang, body: preselectBody(plan.id, ZHANG_WEI, vin(2), { serial: '7ab12' }) });
    expect(res.status).toBe(201);
    const ps = await res.json();
    expect(ps).toMatchObject({ status: 'reserved', plateNo: '粤B7AB12', mode: 'self', ownerNameMasked: '张*', phoneMasked: '138****8000' });
    expect(ps.reference).toMatch(/^YX440300\d{8}\d{6}$/);
    const { createCalendar } = await import('../../platform/calendar.ts');
    expect(ps.deadline).toBe(createCalendar().deadlineAfterWorkingDays(env.clock.now(), 3).toISOString());
    expect((await (await check('7AB12', wang)).json()).status).toBe('taken');
    const [sms] = await env.sql`SELECT template, payload FROM outbox_message WHERE recipient = ${ZHANG_WEI.phone} AND template = 'plates.reserved'`;
    expect(sms!.payload).toMatchObject({ plateNo: '粤B7AB12', reference: ps.reference, deadlineDay: ps.lastDay });
    const { renderText } = await import('../../platform/outbox.ts');
    expect(renderText('sms', 'plates.reserved', sms!.payload)).toContain(`请于${ps.lastDay}前`);
    const [audit] = await env.sql`SELECT actor_kind, after FROM audit_log WHERE action = 'plates.number_reserved' AND entity_id = ${ps.id}`;
    expect(audit!.actor_kind).toBe('user');
    const me = await (await env.call('GET', '/api/v1/plates/me', { cookie: zhang })).json();
    expect(me.current).toMatchObject({ id: ps.id, status: 'reserved', deadline: ps.deadline });
    expect(me.ban).toBeNull();
  });

  it('R-23.2 one vehicle at a time: a second preselection waits for the registration', async () => {
    const res = await env.call('POST', '/api/v1/plates/preselections', { cookie: zhang, body: preselectBody(plan.id, ZHANG_WEI, vin(3), { serial: '7AB13' }) });
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('plates.active_preselection_exists');
  });

  it('R-24.2 a taken number answers 409 plates.number_taken; a withheld one plates.number_withheld', async () => {
    const taken = await env.call('POST', '/api/v1/plates/preselections', { cookie: wang, body: preselectBody(plan.id, WANG_FANG, vin(4), { serial: '7AB12' }) });
    expect(taken.status).toBe(409);
    expect((await taken.json()).code).toBe('plates.number_taken');
    const withheld = await env.call('POST', '/api/v1/plates/preselections', { cookie: wang, body: preselectBody(plan.id, WANG_FANG, vin(4), { serial: '7AA77' }) });
    expect((await withheld.json()).code).toBe('plates.number_withheld');
    const badRule = await env.call('POST', '/api/v1/plates/preselections', { cookie: wang, body: preselectBody(plan.id, WANG_FANG, vin(4), { serial: '7OB12' }) });
    expect(badRule.status).toBe(422);
    expect((await badRule.json()).code).toBe('plates.serial_letter_i_o');
  });

  it('PD-14 random: 10 numbers held for the user, a new draw releases the last, at most 5 draws, pick one; the proof re-derives them', async () => {
    const started = await env.call('POST', '/api/v1/plates/preselections', { cookie: wang, body: preselectBody(plan.id, WANG_FANG, vin(5), { mode: 'random' }) });
    expect(started.status).toBe(201);
    const ps = await started.json();
    expect(ps).toMatchObject({ status: 'drawing', plateNo: null, drawsLeft: 5, offer: null });

    const first = await (await drawFor(env, ps.id, wang)).json();
    expect(first.offer.numbers).toHaveLength(10);
    expect(new Set(first.offer.numbers).size).toBe(10);
    expect(first.offer.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(first.offer.expiresAt).toBe(new Date(env.clock.now().getTime() + 10 * 60_000).toISOString());
    expect(first.drawsLeft).toBe(4);
    const held = await env.sql<{ plate_no: string }[]>`SELECT plate_no FROM plate_number WHERE offer_id = ${first.offer.id} AND status = 'offered'`;
    expect(held.map((h) => h.plate_no).sort()).toEqual([...first.offer.numbers].sort());
    // while the offer runs, nobody else can take an offered number
    const grab = await env.call('POST', '/api/v1/plates/preselections', { cookie: other.cookie, body: preselectBody(plan.id, other, vin(6), { serial: first.offer.numbers[0].slice(2) }) });
    expect(grab.status).toBe(409);
    expect((await grab.json()).code).toBe('plates.number_taken');
    // no seed before the offer ends
    expect((await env.call('GET', `/api/v1/plates/draws/${first.offer.id}/proof`, { cookie: wang })).status).toBe(409);

    const second = await (await drawFor(env, ps.id, wang)).json();
    expect(second.offer.drawNo).toBe(2);
    const stillHeld = await env.sql`SELECT 1 FROM plate_number WHERE offer_id = ${first.offer.id}`;
    expect(stillHeld).toHaveLength(0);

    // the proof of the superseded draw: the seed hashes to the commitment and re-derives exactly the offered numbers
    const proof = await (await env.call('GET', `/api/v1/plates/draws/${first.offer.id}/proof`, { cookie: wang })).json();
    expect(proof).toMatchObject({ verified: true, commitment: first.offer.commitment, poolSize: plan.poolSize, status: 'superseded' });
    const { createHash } = await import('node:crypto');
    const seed = Buffer.from(proof.seed, 'hex');
    expect(createHash('sha256').update(seed).digest('hex')).toBe(first.offer.commitment);
    const { indices } = deriveCandidates(drawSeed(seed, Buffer.from(proof.clientNonce, 'hex')), proof.poolSize, proof.candidates.length);
    const rows = await env.sql<{ idx: number; plate_no: string }[]>`SELECT idx, plate_no FROM plate_number WHERE plan_id = ${plan.id} AND idx = ANY(${env.sql.array(indices)}::int[])`;
    const byIdx = new Map(rows.map((r) => [r.idx, r.plate_no]));
    const rederived = indices.map((i, n) => ({ plateNo: byIdx.get(i), outcome: proof.candidates[n].outcome })).filter((c) => c.outcome === 'offered').map((c) => c.plateNo);
    expect(rederived).toEqual(first.offer.numbers);
    // someone else's proof is not found
    expect((await env.call('GET', `/api/v1/plates/draws/${first.offer.id}/proof`, { cookie: zhang })).status).toBe(404);

    for (let i = 3; i <= 5; i++) expect((await drawFor(env, ps.id, wang)).status).toBe(201);
    const sixth = await drawFor(env, ps.id, wang);
    expect((await sixth.json()).code).toBe('plates.draws_exhausted');

    const current = await (await env.call('GET', `/api/v1/plates/preselections/${ps.id}`, { cookie: wang })).json();
    expect(current.drawsLeft).toBe(0);
    const notOffered = await env.call('POST', `/api/v1/plates/preselections/${ps.id}/pick`, { cookie: wang, body: { drawId: current.offer.id, plateNo: '粤B7ZZ99' } });
    expect((await notOffered.json()).code).toBe('plates.number_not_offered');
    const chosen = current.offer.numbers[3];
    const picked = await env.call('POST', `/api/v1/plates/preselections/${ps.id}/pick`, { cookie: wang, body: { drawId: current.offer.id, plateNo: chosen } });
    expect(picked.status).toBe(200);
    expect(await picked.json()).toMatchObject({ status: 'reserved', plateNo: chosen, offer: null });
    const after = await env.sql<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM plate_number WHERE plate_no = ANY(${env.sql.array(current.offer.numbers)}::text[]) GROUP BY status ORDER BY status`;
    expect(after).toEqual([{ status: 'free', n: 9 }, { status: 'reserved', n: 1 }]);
    const last = await (await env.call('GET', `/api/v1/plates/draws/${current.offer.id}/proof`, { cookie: wang })).json();
    expect(last).toMatchObject({ verified: true, picked: chosen, status: 'picked' });
    const counts = await poolStatusCounts(env.sql, plan.id);
    expect(counts.free + counts.offered + counts.reserved + counts.issued + counts.withheld).toBe(plan.poolSize);
  });

  it('R-23.3 registration at the counter with matching data issues the number; the user may preselect again', async () => {
    const me = await (await env.call('GET', '/api/v1/plates/me', { cookie: zhang })).json();
    const id = me.current.id;
    // another city's intake post does not see it; the review post may not register
    const gz = await staffCookie(env, 'gz.intake');
    expect((await env.call('GET', `/admin-api/plate-preselections/${id}`, { cookie: gz })).status).toBe(404);
    const facts = { vin: vin(2), ownerIdType: 'resident_id', ownerIdNumber: ZHANG_WEI.idNumber, ownerName: ZHANG_WEI.name, phone: ZHANG_WEI.phone, brandModel: '比亚迪海豹' };
    expect((await env.call('POST', `/admin-api/plate-preselections/${id}/register`, { cookie: await review(), body: facts })).status).toBe(403);
    const list = await env.call('GET', `/admin-api/plate-preselections?filter=${encodeURIComponent(JSON.stringify({ status: 'reserved' }))}`, { cookie: await intake() });
    expect(list.headers.get('content-range')).toMatch(/^plate-preselections 0-\d+\/\d+$/);
    expect((await list.json()).map((p: { id: string }) => p.id)).toContain(id);

    const res = await env.call('POST', `/admin-api/plate-preselections/${id}/register`, { cookie: await intake(), body: facts });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ outcome: 'issued', mismatchFields: [], preselection: { status: 'registered', plateNo: '粤B7AB12' } });
    const [v] = await env.sql`SELECT plate_no, owner_person_id, brand_model FROM vehicle WHERE vin = ${vin(2)}`;
    expect(v).toMatchObject({ plate_no: '粤B7AB12', owner_person_id: '10000000-0000-4000-8000-000000000001', brand_model: '比亚迪海豹' });
    const [n] = await env.sql`SELECT status FROM plate_number WHERE plate_no = '粤B7AB12'`;
    expect(n!.status).toBe('issued');
    const again = await env.call('POST', '/api/v1/plates/preselections', { cookie: zhang, body: preselectBody(plan.id, ZHANG_WEI, vin(7), { serial: '7AB14' }) });
    expect(again.status).toBe(201);
    // the user's bound vehicles now include the registered car
    const mine = await (await env.call('GET', '/api/v1/me', { cookie: zhang })).json();
    expect(mine.vehicles.map((x: { plateNo: string }) => x.plateNo)).toContain('粤B7AB12');
  });

  it('X-6.1 the registered preselection is in the electronic archive, exactly once', async () => {
    const rows = await env.sql<{ case_ref: string; plate_no: string }[]>`SELECT case_ref, plate_no FROM archive_record WHERE business_type = 'plate_registration' AND plate_no = '粤B7AB12'`;
    expect(rows).toHaveLength(1);
  });

  it('R-23.3 a mismatch at the counter cancels the reservation, frees the number and bans for two years (R-23.4)', async () => {
    const me = await (await env.call('GET', '/api/v1/plates/me', { cookie: zhang })).json();
    const id = me.current.id;
    const plateNo = me.current.plateNo;
    const res = await env.call('POST', `/admin-api/plate-preselections/${id}/register`, {
      cookie: await intake(), body: { vin: vin(7), ownerIdType: 'resident_id', ownerIdNumber: ZHANG_WEI.idNumber, ownerName: ZHANG_WEI.name, phone: '13912345678' },
    });
    const body = await res.json();
    expect(body).toMatchObject({ outcome: 'mismatch', mismatchFields: ['phone'], preselection: { status: 'cancelled', ban: { reason: 'mismatch' } } });
    const [n] = await env.sql`SELECT status FROM plate_number WHERE plate_no = ${plateNo}`;
    expect(n!.status).toBe('free');
    const mine = await (await env.call('GET', '/api/v1/plates/me', { cookie: zhang })).json();
    const { shanghaiDay, addCalendarYears } = await import('../../platform/calendar.ts');
    expect(mine.ban).toMatchObject({ reason: 'mismatch', endsOn: addCalendarYears(shanghaiDay(env.clock.now()), 2) });
    const refused = await env.call('POST', '/api/v1/plates/preselections', { cookie: zhang, body: preselectBody(plan.id, ZHANG_WEI, vin(8), { serial: '7AB15' }) });
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe('plates.banned');
    const [sms] = await env.sql`SELECT payload FROM outbox_message WHERE template = 'plates.cancelled' AND recipient = ${ZHANG_WEI.phone}`;
    expect(sms!.payload).toMatchObject({ reason: 'mismatch', plateNo });
  });
});

describe('deadlines with the manual clock (R-23.4, PD-14)', async () => {
  const env = await testEnv({ start: '2026-11-23T02:00:00Z' }); // Monday 10:00 in Shanghai
  const review = () => staffCookie(env, 'sz.review');
  const intake = () => staffCookie(env, 'sz.intake');
  let plan: { id: string; poolSize: number };
  let users: Awaited<ReturnType<typeof makeUsers>>;
  beforeAll(async () => {
    plan = await openPlan(env, review, { pattern: '6@@##' }); // opens Thursday 26 Nov 00:01
    env.clock.set('2026-11-27T10:00:00Z'); // Friday 18:00 in Shanghai
    users = await makeUsers(env.sql, 4, env.clock.now(), 1);
  });

  it('R-23.4 reserved on Friday evening: nothing happens over the weekend; at Wednesday 24:00 the number is released and a two-year ban starts', async () => {
    const u = users[0]!;
    const ps = await (await env.call('POST', '/api/v1/plates/preselections', { cookie: u.cookie, body: preselectBody(plan.id, u, vin(100), { serial: '6AB10' }) })).json();
    expect(ps.lastDay).toBe('2026-12-02');
    expect(ps.deadline).toBe('2026-12-02T16:00:00.000Z');
    env.clock.set('2026-12-02T15:59:00Z'); // Wednesday 23:59
    await runJobs(env);
    expect((await (await env.call('GET', `/api/v1/plates/preselections/${ps.id}`, { cookie: u.cookie })).json()).status).toBe('reserved');
    env.clock.set('2026-12-02T16:00:00Z');
    await runJobs(env);
    const me = await (await env.call('GET', '/api/v1/plates/me', { cookie: u.cookie })).json();
    expect(me.current).toBeNull();
    expect(me.history[0]).toMatchObject({ id: ps.id, status: 'expired' });
    expect(me.ban).toMatchObject({ reason: 'overdue', endsOn: '2028-12-03', reference: ps.reference });
    const [n] = await env.sql`SELECT status FROM plate_number WHERE plate_no = '粤B6AB10'`;
    expect(n!.status).toBe('free');
    const [audit] = await env.sql`SELECT actor_kind FROM audit_log WHERE action = 'plates.reservation_expired' AND entity_id = ${ps.id}`;
    expect(audit!.actor_kind).toBe('system');
    const [sms] = await env.sql`SELECT payload FROM outbox_message WHERE template = 'plates.cancelled' AND recipient = ${u.phone}`;
    expect(sms!.payload).toMatchObject({ reason: 'overdue', banEndsOn: '2028-12-03' });
    // staff see the ban on the preselection
    const shown = await (await env.call('GET', `/admin-api/plate-preselections/${ps.id}`, { cookie: await intake() })).json();
    expect(shown).toMatchObject({ status: 'expired', ban: { reason: 'overdue', endsOn: '2028-12-03' } });
    // two years later the user may preselect again
    env.clock.set('2028-12-02T16:00:00Z'); // 3 Dec 2028 00:00 Shanghai
    const back = await (await env.call('GET', '/api/v1/plates/me', { cookie: await userCookie(env.sql, u.userId, env.clock.now()) })).json();
    expect(back.ban).toBeNull();
    env.clock.set('2026-12-03T02:00:00Z');
  });

  it('R-23.4 a holiday set by staff moves the deadline one working day on', async () => {
    await env.sql`INSERT INTO calendar_override (day, kind, note, updated_at) VALUES ('2026-12-07', 'holiday', 'test', now())`;
    const u = users[1]!;
    env.clock.set('2026-12-03T02:00:00Z'); // Thursday
    const ps = await (await env.call('POST', '/api/v1/plates/preselections', { cookie: u.cookie, body: preselectBody(plan.id, u, vin(101), { serial: '6AB11' }) })).json();
    // Fri 4 (1), Mon 7 holiday, Tue 8 (2), Wed 9 (3)
    expect(ps.lastDay).toBe('2026-12-09');
    await env.sql`DELETE FROM calendar_override WHERE day = '2026-12-07'`;
  });

  it('PD-14 an offer not picked within 10 minutes goes back to the pool; the random preselection lapses without a ban', async () => {
    const u = users[2]!;
    const ps = await (await env.call('POST', '/api/v1/plates/preselections', { cookie: u.cookie, body: preselectBody(plan.id, u, vin(102), { mode: 'random' }) })).json();
    const drawn = await (await drawFor(env, ps.id, u.cookie)).json();
    env.clock.advance(9 * 60_000);
    await runJobs(env);
    expect((await env.sql`SELECT 1 FROM plate_number WHERE offer_id = ${drawn.offer.id}`).length).toBe(10);
    env.clock.advance(60_000);
    const late = await env.call('POST', `/api/v1/plates/preselections/${ps.id}/pick`, { cookie: u.cookie, body: { drawId: drawn.offer.id, plateNo: drawn.offer.numbers[0] } });
    expect((await late.json()).code).toBe('plates.offer_expired');
    await runJobs(env);
    expect((await env.sql`SELECT 1 FROM plate_number WHERE offer_id = ${drawn.offer.id}`).length).toBe(0);
    const me = await (await env.call('GET', '/api/v1/plates/me', { cookie: u.cookie })).json();
    expect(me.current).toBeNull();
    expect(me.history[0]).toMatchObject({ status: 'lapsed', drawsUsed: 1, drawsLeft: 4 });
    expect(me.ban).toBeNull();
    const proof = await (await env.call('GET', `/api/v1/plates/draws/${drawn.offer.id}/proof`, { cookie: u.cookie })).json();
    expect(proof).toMatchObject({ status: 'expired', verified: true });
    // PD-14 counts draws per vehicle: a new random preselection of the same car has 4 left
    const again = await (await env.call('POST', '/api/v1/plates/preselections', { cookie: u.cookie, body: preselectBody(plan.id, u, vin(102), { mode: 'random' }) })).json();
    expect(again.drawsLeft).toBe(4);
  });

  it('PD-14 a random preselection with no draw lapses after 10 minutes', async () => {
    const u = users[3]!;
    const ps = await (await env.call('POST', '/api/v1/plates/preselections', { cookie: u.cookie, body: preselectBody(plan.id, u, vin(103), { mode: 'random' }) })).json();
    env.clock.advance(10 * 60_000);
    await runJobs(env);
    expect((await (await env.call('GET', `/api/v1/plates/preselections/${ps.id}`, { cookie: u.cookie })).json()).status).toBe('lapsed');
  });

  it('R-22 an organisation preselects for its own new vehicle with its USCC; registered, the vehicle is bound to the organisation', async () => {
    const cookie = await userCookie(env.sql, SHUNDATONG.userId, env.clock.now());
    const body = { planId: plan.id, mode: 'self', serial: '6EF34', vin: vin(105), ownerIdType: 'uscc', ownerIdNumber: SHUNDATONG.uscc, ownerName: SHUNDATONG.name, phone: SHUNDATONG.phone };
    const wrongType = await env.call('POST', '/api/v1/plates/preselections', { cookie, body: { ...body, ownerIdType: 'resident_id' } });
    expect(wrongType.status).toBe(400); // a USCC is not a resident ID number
    const ps = await (await env.call('POST', '/api/v1/plates/preselections', { cookie, body })).json();
    expect(ps).toMatchObject({ status: 'reserved', plateNo: '粤B6EF34', ownerIdType: 'uscc' });
    const res = await env.call('POST', `/admin-api/plate-preselections/${ps.id}/register`, {
      cookie: await intake(), body: { vin: vin(105), ownerIdType: 'uscc', ownerIdNumber: SHUNDATONG.uscc, ownerName: SHUNDATONG.name, phone: SHUNDATONG.phone, vehicleType: 'H11', brandModel: '东风天龙KL' },
    });
    expect((await res.json()).outcome).toBe('issued');
    const [v] = await env.sql`SELECT v.owner_organisation_id, b.kind FROM vehicle v JOIN vehicle_binding b ON b.vehicle_id = v.id WHERE v.vin = ${vin(105)}`;
    expect(v).toMatchObject({ owner_organisation_id: '20000000-0000-4000-8000-000000000002', kind: 'organisation' });
  });

  it('R-9.3 a new-car owner whose car is registered becomes an owner; a new vehicle record carries the number', async () => {
    const u = users[3]!;
    const ps = await (await env.call('POST', '/api/v1/plates/preselections', { cookie: u.cookie, body: preselectBody(plan.id, u, vin(104), { serial: '6CD12' }) })).json();
    const res = await env.call('POST', `/admin-api/plate-preselections/${ps.id}/register`, {
      cookie: await intake(), body: { vin: vin(104), ownerIdType: 'resident_id', ownerIdNumber: u.idNumber, ownerName: u.name, phone: u.phone, vehicleType: 'K33' },
    });
    expect((await res.json()).outcome).toBe('issued');
    const [acct] = await env.sql`SELECT personal_type FROM user_account WHERE id = ${u.userId}`;
    expect(acct!.personal_type).toBe('owner_driver');
    const [audit] = await env.sql`SELECT before, after FROM audit_log WHERE action = 'accounts.personal_type_converted' AND entity_id = ${u.userId}`;
    expect(audit).toMatchObject({ before: { personalType: 'new_car_owner' }, after: { personalType: 'owner_driver' } });
    // past the deadline the counter refuses; the job releases it
    const u2 = users[1]!;
    const late = (await (await env.call('GET', '/api/v1/plates/me', { cookie: u2.cookie })).json()).current;
    env.clock.set(new Date(new Date(late.deadline).getTime() + 1000));
    const refused = await env.call('POST', `/admin-api/plate-preselections/${late.id}/register`, {
      cookie: await intake(), body: { vin: vin(101), ownerIdType: 'resident_id', ownerIdNumber: u2.idNumber, ownerName: u2.name, phone: u2.phone },
    });
    expect((await refused.json()).code).toBe('plates.reservation_overdue');
  });
});

describe('PD-14 a draw over a crowded pool', async () => {
  const env = await testEnv();
  const review = () => staffCookie(env, 'sz.review');
  let plan: { id: string; poolSize: number };
  let user: Awaited<ReturnType<typeof makeUsers>>[number];
  beforeAll(async () => {
    plan = await openPlan(env, review, { pattern: '5@@##' });
    user = (await makeUsers(env.sql, 1, env.clock.now(), 3))[0]!;
  });

  it('PD-14 candidates are tried in the published order, skipped ones recorded with why, and the draw stops at the tenth number offered', async () => {
    // Nine numbers in ten are withheld: a draw tries about a hundred candidates, several at a time.
    await env.sql`UPDATE plate_number SET status = 'withheld' WHERE plan_id = ${plan.id} AND idx % 10 <> 3`;
    const ps = await (await env.call('POST', '/api/v1/plates/preselections', { cookie: user.cookie, body: preselectBody(plan.id, user, vin(301), { mode: 'random' }) })).json();
    const drawn = await drawFor(env, ps.id, user.cookie);
    expect(drawn.status).toBe(201);
    const offer = (await drawn.json()).offer as { id: string; numbers: string[] };
    const [draw] = await env.sql<{ seed: Buffer; client_nonce: Buffer; pool_size: number; candidates: { n: number; idx: number; plateNo: string; outcome: string }[]; offered: string[] }[]>`
      SELECT seed, client_nonce, pool_size, candidates, offered FROM plate_draw WHERE id = ${offer.id}`;
    const { indices } = deriveCandidates(drawSeed(draw!.seed, draw!.client_nonce), draw!.pool_size, draw!.candidates.length);
    const rows = await env.sql<{ idx: number; plate_no: string }[]>`SELECT idx, plate_no FROM plate_number WHERE plan_id = ${plan.id} AND idx = ANY(${env.sql.array(indices)}::int[])`;
    const plateOf = new Map(rows.map((r) => [r.idx, r.plate_no]));
    // The one-at-a-time algorithm, replayed: free (idx % 10 = 3) and not yet offered → offered; else why it was skipped.
    const expected: { n: number; idx: number; plateNo: string; outcome: string }[] = [];
    const taken = new Set<number>();
    for (const [i, idx] of indices.entries()) {
      const outcome = idx % 10 !== 3 ? 'withheld' : taken.has(idx) ? 'repeat' : 'offered';
      if (outcome === 'offered') taken.add(idx);
      expected.push({ n: i + 1, idx, plateNo: plateOf.get(idx)!, outcome });
    }
    expect(draw!.candidates.length).toBeGreaterThan(20);
    expect(draw!.candidates).toEqual(expected);
    expect(draw!.candidates.at(-1)!.outcome).toBe('offered');
    const offered = expected.filter((c) => c.outcome === 'offered').map((c) => c.plateNo);
    expect(offered).toHaveLength(10);
    expect(draw!.offered).toEqual(offered);
    expect(offer.numbers).toEqual(offered);
    expect(await poolStatusCounts(env.sql, plan.id)).toMatchObject({ offered: 10, reserved: 0 });
  });
});
