import { describe, expect, it } from 'vitest';
import { testEnv, concurrentApp, staffSessionCookie, userSessionCookie } from '../../../test/support.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { jobHandlers } from '../index.ts';
import * as repo from './repo.ts';
import { confirmCode, makeDriver, makeRecord, makeVehicle, settle } from './test-support.ts';

const env = await testEnv({ start: '2026-12-06T02:00:00Z' });
const post = (path: string, cookie: string, body?: unknown) => env.call('POST', path, { cookie, body: body ?? {} });
const get = (path: string, cookie: string) => env.call('GET', path, { cookie });

/** Confirm code → handle: the two steps of. */
async function handle(cookie: string, phone: string, violationIds: string[]) {
  const code = await post('/api/v1/violations/confirm-code', cookie, { violationIds });
  if (code.status !== 200) return code;
  env.clock.advance(1000);
  return post('/api/v1/violations/handle', cookie, { violationIds, smsCode: await confirmCode(env, phone) });
}

describe('violations (第五章) against Postgres', () => {
  it('X-5.5 X-5.6 two records of one vehicle: SMS code → decision served; handling counts only once paid; a duplicated settlement assesses once', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env, { points: 2 });
    const a = await makeRecord(env, d.vehicleId, { fineFen: 200_00, points: 3 });
    const b = await makeRecord(env, d.vehicleId, { fineFen: 100_00, points: 6 });
    const list = await (await get('/api/v1/violations', d.cookie)).json();
    expect(list.vehicles[0].records.map((r: { canHandle: boolean }) => r.canHandle)).toEqual([true, true]);

    const wrong = await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [a, b] });
    expect(wrong.status).toBe(200);
    expect(await wrong.json()).toMatchObject({ fineFen: 300_00, points: 9 });
    env.clock.advance(1000);
    const bad = await post('/api/v1/violations/handle', d.cookie, { violationIds: [a, b], smsCode: '000000' === (await confirmCode(env, d.phone)) ? '111111' : '000000' });
    expect((await bad.json()).code).toBe('auth.sms_code_invalid');

    env.clock.advance(61_000);
    const res = await handle(d.cookie, d.phone, [a, b]);
    expect(res.status).toBe(201);
    const decision = await res.json();
    expect(decision).toMatchObject({ fineFen: 300_00, points: 9, status: 'awaiting_payment', due: { day: 0, lateFeeFen: 0, totalFen: 300_00 } });
    expect(decision.verificationCode).toMatch(/^[0-9A-HJ-NP-Z]{12}$/);
    // served, not yet counted — no points on the licence, records in handling
    const [before] = await env.sql<{ points: number }[]>`SELECT points FROM driving_licence WHERE id = ${d.licenceId}`;
    expect(before!.points).toBe(2);
    const statuses = await env.sql<{ status: string }[]>`SELECT status FROM violation WHERE id IN (${a}, ${b})`;
    expect(statuses.map((s) => s.status)).toEqual(['handling', 'handling']);

    // today's amount, and an order for it with the payments module
    const pay = await post(`/api/v1/violations/decisions/${decision.id}/pay`, d.cookie);
    expect(pay.status).toBe(200);
    const order = await pay.json();
    expect(order).toMatchObject({ fineFen: 300_00, lateFeeFen: 0, totalFen: 300_00, status: 'open' });
    const [po] = await env.sql<{ amount_fen: number; settled_job: string; expires_at: Date }[]>`SELECT amount_fen, settled_job, expires_at FROM payment_order WHERE id = ${order.orderId}`;
    expect(po).toMatchObject({ amount_fen: 300_00, settled_job: 'violations.fine_paid' });
    expect(po!.expires_at.toISOString()).toBe('2026-12-06T16:00:00.000Z'); // 24:00 Asia/Shanghai today

    // the notification arrives three times: one payment, one ledger entry, one SMS
    await settle(env, decision.id, 300_00, env.clock.now(), 3);
    const paid = await (await get(`/api/v1/violations/decisions/${decision.id}`, d.cookie)).json();
    expect(paid).toMatchObject({ status: 'paid', paidFen: 300_00, paidLateFeeFen: 0, due: null });
    const [after] = await env.sql<{ points: number }[]>`SELECT points FROM driving_licence WHERE id = ${d.licenceId}`;
    expect(after!.points).toBe(11);
    const ledger = await env.sql`SELECT * FROM licence_points_entry WHERE licence_id = ${d.licenceId}`;
    expect(ledger.length).toBe(1);
    const sms = await env.sql`SELECT 1 FROM outbox_message WHERE template = 'violations.fine_paid' AND recipient = ${d.phone}`;
    expect(sms.length).toBe(1);
    const handled = await env.sql<{ status: string }[]>`SELECT status FROM violation WHERE id IN (${a}, ${b})`;
    expect(handled.map((s) => s.status)).toEqual(['handled', 'handled']);
    const audit = await env.sql`SELECT 1 FROM audit_log WHERE action = 'violations.fine_paid' AND entity_id = ${decision.id}`;
    expect(audit.length).toBe(1);    // handled and paid, the case is in the electronic archive once (three notifications, one record), with its payment
    const archived = await env.sql<{ paid: number; records: number }[]>`SELECT (content->'data'->'payment'->>'paidFen')::int AS paid, jsonb_array_length(content->'data'->'records')::int AS records
      FROM archive_record WHERE business_type = 'violation' AND case_ref = (SELECT decision_no FROM penalty_decision WHERE id = ${decision.id})`;
    expect(archived).toEqual([{ paid: 300_00, records: 2 }]);
  });

  it('X-5.4 a record that would reach 12 points is refused with its reason, at the record; the points of unpaid decisions count', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env, { points: 9 });
    const r = await makeRecord(env, d.vehicleId, { fineFen: 100_00, points: 3 });
    const list = await (await get('/api/v1/violations', d.cookie)).json();
    expect(list.vehicles[0].records[0]).toMatchObject({ canHandle: false, reason: { code: 'violations.points_would_reach_limit' } });
    expect(list.vehicles[0].records[0].reason.detail).toContain('12');
    const res = await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [r] });
    expect(res.status).toBe(422);
    const p = await res.json();
    expect(p.code).toBe('violations.points_would_reach_limit');
    expect(p.errors?.[0]?.field ?? p.field).toBeDefined();

    // pending points: 6 points served unpaid + 6 more would reach 12
    const e = await makeDriver(env, { points: 0 });
    const first = await makeRecord(env, e.vehicleId, { points: 6, fineFen: 50_00 });
    const second = await makeRecord(env, e.vehicleId, { points: 6, fineFen: 50_00 });
    expect((await handle(e.cookie, e.phone, [first])).status).toBe(201);
    env.clock.advance(61_000);
    const refused = await post('/api/v1/violations/confirm-code', e.cookie, { violationIds: [second] });
    expect((await refused.json()).code).toBe('violations.points_would_reach_limit');
  });

  it('X-5.4 two handlings racing on one licence: the database lock lets only one pass the limit', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env, { points: 4 });
    const r1 = await makeRecord(env, d.vehicleId, { points: 6, fineFen: 50_00 });
    const r2 = await makeRecord(env, d.vehicleId, { points: 6, fineFen: 50_00 });
    // two codes, one per batch (a minute apart: one SMS a minute)
    expect((await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [r1] })).status).toBe(200);
    const c1 = await confirmCode(env, d.phone);
    env.clock.advance(61_000);
    expect((await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [r2] })).status).toBe(200);
    const c2 = await confirmCode(env, d.phone);
    const { app } = concurrentApp(env, 10);
    const call = (ids: string[], smsCode: string) =>
      app.request('/api/v1/violations/handle', { method: 'POST', headers: { cookie: d.cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' }, body: JSON.stringify({ violationIds: ids, smsCode }) });
    const answers = await Promise.all([call([r1], c1), call([r2], c2)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    const decisions = await env.sql`SELECT 1 FROM penalty_decision WHERE licence_id = ${d.licenceId}`;
    expect(decisions.length).toBe(1);
  });

  it('X-5.5 one record cannot go into two decisions (two tabs): the second confirmation is refused', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env);
    const r = await makeRecord(env, d.vehicleId, { points: 1, fineFen: 50_00 });
    expect((await handle(d.cookie, d.phone, [r])).status).toBe(201);
    env.clock.advance(61_000);
    const again = await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [r] });
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('violations.record_not_open');
  });

  it('X-5.2 X-5.3 onsite records and fines over 200 元 go to a counter; the refusal says where', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env);
    const onsite = await makeRecord(env, d.vehicleId, { source: 'onsite', points: 1, fineFen: 50_00 });
    const big = await makeRecord(env, d.vehicleId, { fineFen: 200_01, points: 1 });
    const list = await (await get('/api/v1/violations', d.cookie)).json();
    const byId = Object.fromEntries(list.vehicles[0].records.map((r: { id: string }) => [r.id, r]));
    expect(byId[onsite].reason.code).toBe('violations.not_camera_recorded');
    expect(byId[big].reason.code).toBe('violations.fine_over_limit');
    expect(byId[big].reason.detail).toContain('窗口');
    const res = await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [big] });
    expect(res.status).toBe(422);
  });

  it('X-5.6 records of two vehicles are two handlings', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env);
    const other = await makeVehicle(env, d.personId, d.phone);
    await env.sql`INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind) VALUES (${d.userId}, ${other}, 'own')`;
    const a = await makeRecord(env, d.vehicleId, { points: 1, fineFen: 50_00 });
    const b = await makeRecord(env, other, { points: 1, fineFen: 50_00 });
    const res = await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [a, b] });
    expect((await res.json()).code).toBe('violations.batch_one_vehicle');
  });

  it('X-5.1 records of vehicles that are not bound are not found; a non-own bound vehicle is handled; no licence → 未绑定驾驶证', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env);
    const stranger = await makeDriver(env);
    const theirs = await makeRecord(env, stranger.vehicleId, { points: 1, fineFen: 50_00 });
    expect((await get(`/api/v1/violations/${theirs}`, d.cookie)).status).toBe(404);
    expect((await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [theirs] })).status).toBe(404);
    // bound as non-own (PD-5): visible and handled with the user's licence
    await env.sql`INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind) VALUES (${d.userId}, ${stranger.vehicleId}, 'non_own')`;
    expect((await get(`/api/v1/violations/${theirs}`, d.cookie)).status).toBe(200);
    expect((await handle(d.cookie, d.phone, [theirs])).status).toBe(201);
    const [dec] = await env.sql<{ non_owner: boolean; licence_id: string }[]>`SELECT non_owner, licence_id FROM penalty_decision WHERE vehicle_id = ${stranger.vehicleId}`;
    expect(dec).toEqual({ non_owner: true, licence_id: d.licenceId });
    // without a bound licence
    await env.sql`UPDATE licence_binding SET unbound_at = now() WHERE user_account_id = ${stranger.userId}`;
    const mine = await makeRecord(env, stranger.vehicleId, { points: 1, fineFen: 50_00 });
    env.clock.advance(61_000);
    const res = await post('/api/v1/violations/confirm-code', stranger.cookie, { violationIds: [mine] });
    expect((await res.json()).code).toBe('violations.licence_not_bound');
  });

  it('X-5.10 a camera record made in another city is handled online all the same; that city’s staff keep its case file', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env); // 深圳 vehicle and licence
    const r = await makeRecord(env, d.vehicleId, { points: 2, fineFen: 100_00, authorityId: '440100' }); // recorded in 广州
    const res = await handle(d.cookie, d.phone, [r]);
    expect(res.status).toBe(201);
    expect((await res.json()).authorityName).toBe('广州市');
    const gz = await staffSessionCookie(env, 'gz.intake');
    const sz = await staffSessionCookie(env, 'sz.intake');
    expect((await env.call('GET', `/admin-api/violations/${r}`, { cookie: gz })).status).toBe(200);
    expect((await env.call('GET', `/admin-api/violations/${r}`, { cookie: sz })).status).toBe(404);
  });

  it('PD-10 a seized (扣押) licence cannot handle online; PD-6 an organisation user cannot', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env, { licenceStatus: 'seized' });
    const r = await makeRecord(env, d.vehicleId, { points: 1, fineFen: 50_00 });
    expect((await (await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [r] })).json()).code).toBe('violations.licence_not_usable');
    const o = await makeDriver(env, { kind: 'organisation' });
    const r2 = await makeRecord(env, o.vehicleId, { points: 1, fineFen: 50_00 });
    const res = await post('/api/v1/violations/confirm-code', o.cookie, { violationIds: [r2] });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('violations.personal_only');
  });

  it('X-5.7 X-5.8 a decision paid on day 20 shows and charges its late fee; payable by 决定书编号; verifiable in public', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env);
    const r = await makeRecord(env, d.vehicleId, { points: 2, fineFen: 150_00 });
    const decision = await (await handle(d.cookie, d.phone, [r])).json();
    env.clock.advance(20 * 86_400_000);
    d.cookie = await userSessionCookie(env, d.userId); // a new session twenty days later
    const shown = await (await get(`/api/v1/violations/decisions/${decision.id}`, d.cookie)).json();
    expect(shown.due).toMatchObject({ day: 20, fineFen: 150_00, lateFeeFen: 22_50, totalFen: 172_50 });
    // by number, from another citizen's account, without the verification code
    const other = await makeDriver(env);
    const byNo = await (await get(`/api/v1/violations/decisions/by-number?decisionNo=${decision.decisionNo}`, other.cookie)).json();
    expect(byNo).toMatchObject({ decisionNo: decision.decisionNo, verificationCode: null, due: { lateFeeFen: 22_50 } });
    expect(byNo.plateNo).toBe(`${d.plateNo.slice(0, 3)}***${d.plateNo.slice(-1)}`); // not the stranger's to read in full
    const pay = await (await post('/api/v1/violations/decisions/pay-by-number', other.cookie, { decisionNo: decision.decisionNo })).json();
    expect(pay).toMatchObject({ totalFen: 172_50, lateFeeFen: 22_50 });
    await settle(env, decision.id, 172_50, env.clock.now());
    const [paid] = await env.sql`SELECT status, paid_fen, late_fee_fen FROM penalty_decision WHERE id = ${decision.id}`;
    expect(paid).toEqual({ status: 'paid', paid_fen: 172_50, late_fee_fen: 22_50 });
    const again = await post(`/api/v1/violations/decisions/${decision.id}/pay`, d.cookie);
    expect((await again.json()).code).toBe('violations.already_paid');
    const verified = await (await env.call('GET', `/api/v1/public/violations/decisions/verify?decisionNo=${decision.decisionNo}&code=${decision.verificationCode}`)).json();
    expect(verified).toMatchObject({ valid: true, fineFen: 150_00, status: 'paid' });
    const forged = await (await env.call('GET', `/api/v1/public/violations/decisions/verify?decisionNo=${decision.decisionNo}&code=AAAAAAAAAAAA`)).json();
    expect(forged).toEqual({ valid: false });
  });

  it('X-5.5 two decisions may draw the same verification code: each is served, and each verifies only with its own number (ADR-041, migration 0034)', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const [a, b] = [await makeDriver(env), await makeDriver(env)];
    const serve = async (d: typeof a, seq: number) =>
      repo.insertDecision(env.sql, {
        decisionNo: `4403002026120699${String(seq).padStart(4, '0')}`, verificationCode: 'K7M2P9Q4R8T3', userId: d.userId, licenceId: d.licenceId, vehicleId: d.vehicleId,
        plateNo: d.plateNo, authorityId: '440300', fineFen: 100_00, points: 1, servedAt: env.clock.now(), servedDay: '2026-12-06', nonOwner: false, flagged: false, flagReason: null,
      });
    await serve(a, 1);
    await serve(b, 2); // refused by a UNIQUE code before migration 0034
    const verify = async (no: string) => (await env.call('GET', `/api/v1/public/violations/decisions/verify?decisionNo=${no}&code=K7M2P9Q4R8T3`)).json();
    expect(await verify('44030020261206990001')).toMatchObject({ valid: true, plateNo: `${a.plateNo.slice(0, 3)}***${a.plateNo.slice(-1)}` });
    expect(await verify('44030020261206990002')).toMatchObject({ valid: true, plateNo: `${b.plateNo.slice(0, 3)}***${b.plateNo.slice(-1)}` });
    expect(await verify('44030020261206990003')).toEqual({ valid: false });
  });

  it('X-5.9 the ledger per cycle: at the cycle end unpaid fines keep their points, paid ones are cleared', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env, { firstIssuedOn: '2015-12-20' }); // cycle 2026-12-20 … ends 2026-12-19
    const r = await makeRecord(env, d.vehicleId, { points: 3, fineFen: 50_00 });
    const dec = await (await handle(d.cookie, d.phone, [r])).json();
    await settle(env, dec.id, 50_00, env.clock.now());
    // a counter decision with points assessed at once, left unpaid
    const [unpaid] = await env.sql<{ id: string }[]>`
      INSERT INTO penalty_decision (decision_no, verification_code, channel, licence_id, plate_no, authority_id, fine_fen, points, served_at, served_day, status, points_assessed_at, created_at)
      VALUES ('44030020261201999999', 'ABCDEFGHJKLM', 'counter', ${d.licenceId}, ${d.plateNo}, '440300', 10000, 2, '2026-12-01T02:00:00Z', '2026-12-01', 'awaiting_payment', '2026-12-01T02:00:00Z', '2026-12-01T02:00:00Z') RETURNING id`;
    await env.sql`INSERT INTO licence_points_entry (licence_id, cycle_start, points, decision_id, assessed_at) VALUES (${d.licenceId}, '2025-12-20', 2, ${unpaid!.id}, '2026-12-01T02:00:00Z')`;
    await env.sql`UPDATE driving_licence SET points = points + 2 WHERE id = ${d.licenceId}`;
    const ledger = await (await get('/api/v1/violations/points', d.cookie)).json();
    expect(ledger).toMatchObject({ points: 5, cycleStart: '2025-12-20', cycleEnd: '2026-12-19' });
    expect(ledger.cycles[0]).toMatchObject({ current: true, ledgerPoints: 5 });
    env.clock.set('2026-12-19T16:00:01Z'); // 00:00:01 on 2026-12-20 in Shanghai
    await runDueJobs(env.deps, jobHandlers, env.clock.now(), 50);
    d.cookie = await userSessionCookie(env, d.userId);
    const [lic] = await env.sql<{ points: number }[]>`SELECT points FROM driving_licence WHERE id = ${d.licenceId}`;
    expect(lic!.points).toBe(2);
    const next = await (await get('/api/v1/violations/points', d.cookie)).json();
    expect(next.cycles[0]).toMatchObject({ start: '2026-12-20', current: true, ledgerPoints: 2 });
    expect(next.cycles[0].entries[0]).toMatchObject({ carried: true, points: 2 });
  });

  it('X-5.12 a licence taking points for three vehicles it does not own within a cycle is flagged for staff', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env);
    const decisions: { id: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const owner = await makeDriver(env);
      await env.sql`INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind) VALUES (${d.userId}, ${owner.vehicleId}, 'non_own')`;
      const r = await makeRecord(env, owner.vehicleId, { points: 1, fineFen: 20_00 });
      env.clock.advance(61_000);
      decisions.push(await (await handle(d.cookie, d.phone, [r])).json());
    }
    const flags = await env.sql<{ flagged: boolean }[]>`SELECT flagged FROM penalty_decision WHERE id IN ${env.sql(decisions.map((x) => x.id))} ORDER BY served_at`;
    expect(flags.map((f) => f.flagged)).toEqual([false, false, true]);
    const staff = await staffSessionCookie(env, 'sz.intake');
    const list = await (await env.call('GET', `/admin-api/violations?filter=${encodeURIComponent(JSON.stringify({ flagged: true }))}`, { cookie: staff })).json();
    expect(list.length).toBeGreaterThanOrEqual(1);
  });

  it('X-5.11 staff enter and import camera records (review due in five working days), review notifies the owner by SMS; masked lists', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env);
    const intake = await staffSessionCookie(env, 'sz.intake');
    const entered = await env.call('POST', '/admin-api/violations', { cookie: intake, body: {
      plateNo: d.plateNo, occurredAt: '2026-12-04T08:15:00+08:00', place: '福田区深南大道', actCode: '1625', act: '驾驶机动车违反道路交通信号灯通行', fineFen: 200_00, points: 6,
    } });
    expect(entered.status).toBe(201);
    const rec = await entered.json();
    // captured Friday 2026-12-04: five working days → 24:00 Friday 2026-12-11
    expect(rec).toMatchObject({ status: 'pending_review', reviewDueAt: '2026-12-11T16:00:00.000Z', allowedSteps: ['review', 'reject', 'clear'] });
    expect(rec.ownerPhoneMasked).not.toContain(d.phone);
    // not visible to the citizen before review
    expect((await get(`/api/v1/violations/${rec.id}`, d.cookie)).status).toBe(404);
    const reviewed = await (await env.call('POST', `/admin-api/violations/${rec.id}/review`, { cookie: intake })).json();
    expect(reviewed).toMatchObject({ status: 'open', notifyDueAt: expect.any(String), notifiedAt: expect.any(String) });
    const sms = await env.sql`SELECT 1 FROM outbox_message WHERE template = 'violations.notified' AND recipient = ${d.phone}`;
    expect(sms.length).toBe(1);
    expect((await get(`/api/v1/violations/${rec.id}`, d.cookie)).status).toBe(200);

    const csv = ['plate_no,occurred_at,place,act_code,act,fine_yuan,points,device_no,captured_at',
      `${d.plateNo},2026-12-05 09:00,宝安大道,1352,超速不到20%,200,3,SZ-BA-01,`,
      `${d.plateNo},2026-12-05 10:00,宝安大道,1039,违反禁令标志,100.5,3,SZ-BA-02,2026-12-05 10:01`].join('\n');
    const imported = await env.call('POST', '/admin-api/violations/import', { cookie: intake, body: { csv } });
    expect(imported.status).toBe(201);
    expect((await imported.json()).imported).toBe(2);
    const [fine] = await env.sql<{ fine_fen: number }[]>`SELECT fine_fen FROM violation WHERE act_code = '1039' AND plate_no = ${d.plateNo}`;
    expect(fine!.fine_fen).toBe(100_50);
    // all or nothing, the problem at its line and column; the same rows again are duplicates
    const bad = await env.call('POST', '/admin-api/violations/import', { cookie: intake, body: { csv: csv.replace('100.5', '1e2') } });
    expect(bad.status).toBe(422);
    const p = await bad.json();
    expect(p.code).toBe('violations.import_invalid');
    expect(p.detail).toContain('第2行');
    const twice = await env.call('POST', '/admin-api/violations/import', { cookie: intake, body: { csv } });
    expect((await twice.json()).code).toBe('violations.import_invalid');
    // another city's staff see nothing of it (PD-9)
    const gz = await staffSessionCookie(env, 'gz.intake');
    expect((await env.call('GET', `/admin-api/violations/${rec.id}`, { cookie: gz })).status).toBe(404);
  });

  it('X-5.11 X-5.13 objections online: reviewed by 管理岗 within five working days, exemptions within three; the case file holds the trail', async () => {
    env.clock.set('2026-12-06T02:00:00Z');
    const d = await makeDriver(env);
    const r1 = await makeRecord(env, d.vehicleId, { points: 1, fineFen: 50_00 });
    const r2 = await makeRecord(env, d.vehicleId, { points: 1, fineFen: 50_00 });
    const objection = await post(`/api/v1/violations/${r1}/objections`, d.cookie, { ground: 'facts_wrong', statement: '当时车辆停放在小区内，有停车记录。' });
    expect(objection.status).toBe(201);
    expect((await objection.json()).objections[0]).toMatchObject({ kind: 'objection', status: 'pending', dueAt: '2026-12-11T16:00:00.000Z' });
    const exemption = await (await post(`/api/v1/violations/${r2}/objections`, d.cookie, { ground: 'emergency_vehicle', statement: '执行急救任务' })).json();
    expect(exemption.objections[0]).toMatchObject({ kind: 'exemption', dueAt: '2026-12-09T16:00:00.000Z' });
    // while objected it cannot be handled
    expect((await (await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [r1] })).json()).code).toBe('violations.record_not_open');
    const again = await post(`/api/v1/violations/${r1}/objections`, d.cookie, { ground: 'other', statement: '再次' });
    expect(again.status).toBe(409);

    const intake = await staffSessionCookie(env, 'sz.intake');
    const review = await staffSessionCookie(env, 'sz.review');
    const list = await (await env.call('GET', '/admin-api/violation-objections?filter=%7B%22status%22%3A%22pending%22%7D', { cookie: review })).json();
    const mine = list.filter((o: { violationId: string }) => [r1, r2].includes(o.violationId));
    expect(mine.length).toBe(2);
    const o1 = mine.find((o: { violationId: string }) => o.violationId === r1);
    const o2 = mine.find((o: { violationId: string }) => o.violationId === r2);
    // only 管理岗 decides
    expect((await env.call('POST', `/admin-api/violation-objections/${o1.id}/dismiss`, { cookie: intake, body: { note: '有抓拍照片' } })).status).toBe(403);
    expect((await env.call('POST', `/admin-api/violation-objections/${o1.id}/dismiss`, { cookie: review, body: { note: '有抓拍照片为证' } })).status).toBe(200);
    expect((await env.call('POST', `/admin-api/violation-objections/${o2.id}/uphold`, { cookie: review, body: { note: '急救任务属实' } })).status).toBe(200);
    const [s1] = await env.sql<{ status: string }[]>`SELECT status FROM violation WHERE id = ${r1}`;
    const [s2] = await env.sql<{ status: string }[]>`SELECT status FROM violation WHERE id = ${r2}`;
    expect([s1!.status, s2!.status]).toEqual(['open', 'cleared']);
    const file = await (await env.call('GET', `/admin-api/violations/${r2}`, { cookie: intake })).json();
    expect(file.trail.map((t: { action: string }) => t.action)).toEqual(expect.arrayContaining(['violations.objection_raised', 'violations.objection_upheld']));
    expect(file.messages.map((m: { template: string }) => m.template)).toEqual(expect.arrayContaining(['violations.objection_received', 'violations.objection_decided']));
  });
});

describe('the demo block (db/seed/violations.ts)', () => {
  it('X-5.4 X-5.8 PD-10 孙浩然 may handle two records together, 吴秀兰 would reach 12, 郭明辉 owes the late fee of day 20', async () => {
    const [sun, wu, guo] = await env.sql<{ id: string }[]>`
      SELECT ua.id FROM user_account ua WHERE ua.phone IN ('13760123401', '13760123402', '13760123403') ORDER BY ua.phone`;
    const loadedDay = (await env.sql<{ d: string }[]>`SELECT served_day AS d FROM penalty_decision WHERE decision_no = '44030020261103900001'`)[0]!.d;
    env.clock.set(new Date(Date.parse(`${loadedDay}T02:00:00Z`) + 20 * 86_400_000));
    const list = await (await get('/api/v1/violations', await userSessionCookie(env, sun!.id))).json();
    const handleable = list.vehicles[0].records.filter((r: { canHandle: boolean }) => r.canHandle);
    expect(handleable.map((r: { fineFen: number; points: number }) => [r.fineFen, r.points])).toEqual([[100_00, 3], [200_00, 3]]);
    const refusals = list.vehicles[0].records.filter((r: { canHandle: boolean }) => !r.canHandle).map((r: { reason: { code: string } }) => r.reason.code).sort();
    expect(refusals).toEqual(['violations.fine_over_limit', 'violations.not_camera_recorded']);
    const wuList = await (await get('/api/v1/violations', await userSessionCookie(env, wu!.id))).json();
    expect(wuList.vehicles[0].records[0].reason.code).toBe('violations.points_would_reach_limit');
    const guoDecisions = await (await get('/api/v1/violations/decisions', await userSessionCookie(env, guo!.id))).json();
    expect(guoDecisions.decisions[0].due).toMatchObject({ day: 20, fineFen: 150_00, lateFeeFen: 22_50, totalFen: 172_50 });
  });
});
