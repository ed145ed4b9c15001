/**
 * Counter cancellation and counter unbinding (issue 18, ADR-027): 受理岗 of
 * the account's city reads the holder's identity document (R-16.2, R-19.1.1;
 * a unit's agent and code, R-20.1.1) and cancels the account at the holder's
 * request (R-21.1 (二), R-21.2) or ends one binding (R-15, R-19, R-20.1).
 */
import { describe, expect, it } from 'vitest';
import { concurrentApp, fieldsOf, testEnv, type TestResponse } from '../../../test/support.ts';
import { auditActions, SHUNDATONG, smsTo, staffCookie, userCookie, WANG_FANG, ZHANG_WEI } from './testing.ts';

const LIULI_NON_OWN = '30000000-0000-4000-8000-000000000003'; // 粤B8K2M9, bound by 张伟 as non-own
const ZW_LAVIDA = '30000000-0000-4000-8000-000000000001';
const SDT_TRUCK = '30000000-0000-4000-8000-000000000008'; // 粤BH3256 of 顺达通
const SUN_QIANG = { idType: 'resident_id', idNumber: '440306198306184395', name: '孙强' }; // 顺达通's agent
const zwId = { idType: 'resident_id', idNumber: ZHANG_WEI.idNumber, name: ZHANG_WEI.name };

async function body(r: TestResponse, status: number) {
  const b = await r.json();
  expect(r.status, JSON.stringify(b)).toBe(status);
  return b;
}

describe('R-19 / R-20 counter unbinding by 受理岗', async () => {
  const env = await testEnv();
  const intake = await staffCookie(env, 'sz.intake');
  const unbind = (cookie: string, id: string, b: unknown) => env.call('POST', `/admin-api/user-accounts/${id}/counter-unbind`, { cookie, body: b });
  const bound = async (id: string) => (await env.sql<{ vehicle_id: string }[]>`SELECT vehicle_id FROM vehicle_binding WHERE user_account_id = ${id} AND unbound_at IS NULL`).map((r) => r.vehicle_id);

  it('R-19.1 only 受理岗 of the account’s city; the document must be valid, read true, and the holder’s own — otherwise nothing changes', async () => {
    const before = await bound(ZHANG_WEI.userId);
    expect((await unbind(await staffCookie(env, 'sz.review'), ZHANG_WEI.userId, { vehicleId: LIULI_NON_OWN, identity: zwId, confirm: true })).status).toBe(403);
    expect((await body(await unbind(await staffCookie(env, 'gz.intake'), ZHANG_WEI.userId, { vehicleId: LIULI_NON_OWN, identity: zwId, confirm: true }), 404)).code).toBe('accounts.not_found');
    const noConfirm = await body(await unbind(intake, ZHANG_WEI.userId, { vehicleId: LIULI_NON_OWN, identity: zwId }), 400);
    expect(fieldsOf(noConfirm)).toHaveProperty('confirm');
    const bad = await body(await unbind(intake, ZHANG_WEI.userId, { vehicleId: LIULI_NON_OWN, identity: { ...zwId, idNumber: '440304198503122757' }, confirm: true }), 400);
    expect(fieldsOf(bad)).toEqual({ 'identity.idNumber': 'validation.id_number_checksum' });
    const both = await body(await unbind(intake, ZHANG_WEI.userId, { vehicleId: LIULI_NON_OWN, licenceId: LIULI_NON_OWN, identity: zwId, confirm: true }), 400);
    expect(fieldsOf(both)).toEqual({ vehicleId: 'validation.required' });
    const wrongName = await body(await unbind(intake, ZHANG_WEI.userId, { vehicleId: LIULI_NON_OWN, identity: { ...zwId, name: '张卫' }, confirm: true }), 422);
    expect(wrongName).toMatchObject({ code: 'accounts.person_not_found', errors: [{ field: 'identity.idNumber' }] });
    // 王芳's own, genuine document does not let her unbind 张伟's vehicle
    const other = await body(await unbind(intake, ZHANG_WEI.userId, { vehicleId: LIULI_NON_OWN, identity: { idType: 'resident_id', idNumber: WANG_FANG.idNumber, name: '王芳' }, confirm: true }), 422);
    expect(other).toMatchObject({ code: 'accounts.identity_mismatch', errors: [{ field: 'identity.idNumber' }] });
    expect(other.detail).toContain('本人');
    expect((await body(await unbind(intake, ZHANG_WEI.userId, { vehicleId: SDT_TRUCK, identity: zwId, confirm: true }), 404)).code).toBe('accounts.not_bound');
    expect(await bound(ZHANG_WEI.userId)).toEqual(before);
  });

  it('R-19.1 the holder in person unbinds one vehicle: a reference number, audited, told by SMS; the account stays', async () => {
    const list = await body(await env.call('GET', `/admin-api/user-accounts/${ZHANG_WEI.userId}/bindings`, { cookie: intake }), 200);
    expect(list.vehicles.map((v: { plateNo: string; kind: string }) => `${v.plateNo} ${v.kind}`)).toContain('粤B8K2M9 non_own');
    const done = await body(await unbind(intake, ZHANG_WEI.userId, { vehicleId: LIULI_NON_OWN, identity: zwId, note: '本人申请', confirm: true }), 200);
    expect(done).toMatchObject({ kind: 'unbind_vehicle', plateNo: '粤B8K2M9', accountStatus: 'active', unbound: 1 });
    expect(done.reference).toMatch(/^YH440300\d{13}$/);
    expect(await bound(ZHANG_WEI.userId)).not.toContain(LIULI_NON_OWN);
    expect(await bound(ZHANG_WEI.userId)).toContain(ZW_LAVIDA);
    expect(await auditActions(env, 'user_account', ZHANG_WEI.userId)).toContain('accounts.vehicle_unbound');
    const [action] = await env.sql`SELECT kind, id_number, staff_id IS NOT NULL AS by_staff, authority_id FROM account_counter_action WHERE reference = ${done.reference}`;
    expect(action).toEqual({ kind: 'unbind_vehicle', id_number: ZHANG_WEI.idNumber, by_staff: true, authority_id: '440300' });
    const sms = await smsTo(env, ZHANG_WEI.phone, 'accounts.unbound_at_counter');
    expect(sms).toHaveLength(1);
    expect((await body(await unbind(intake, ZHANG_WEI.userId, { vehicleId: LIULI_NON_OWN, identity: zwId, confirm: true }), 404)).code).toBe('accounts.not_bound');
  });

  it('R-20.1 a unit’s binding is ended for its agent with the unit’s own code, at once', async () => {
    const agent = { ...SUN_QIANG, uscc: '91440300MA5F28360P' };
    const noCode = await body(await unbind(intake, SHUNDATONG.userId, { vehicleId: SDT_TRUCK, identity: SUN_QIANG, confirm: true }), 422);
    expect(noCode).toMatchObject({ code: 'accounts.identity_mismatch', errors: [{ field: 'identity.uscc' }] });
    const otherUnit = await body(await unbind(intake, SHUNDATONG.userId, { vehicleId: SDT_TRUCK, identity: { ...SUN_QIANG, uscc: '91440300MA5DC2LB6W' }, confirm: true }), 422);
    expect(otherUnit.errors[0].field).toBe('identity.uscc');
    const done = await body(await unbind(intake, SHUNDATONG.userId, { vehicleId: SDT_TRUCK, identity: agent, confirm: true }), 200);
    expect(done).toMatchObject({ kind: 'unbind_vehicle', plateNo: '粤BH3256', accountStatus: 'active' });
    expect(await bound(SHUNDATONG.userId)).not.toContain(SDT_TRUCK);
  });
});

describe('R-21.2 counter cancellation by 受理岗', async () => {
  const env = await testEnv();
  const intake = await staffCookie(env, 'sz.intake');
  const cancel = (cookie: string, id: string, b: unknown) => env.call('POST', `/admin-api/user-accounts/${id}/counter-cancel`, { cookie, body: b });

  it('R-21.2 (二) the holder in person: cancelled with a reference, every binding and session ended, recorded as the user’s request', async () => {
    const zw = await userCookie(env, ZHANG_WEI.userId);
    expect((await env.call('GET', '/api/v1/me', { cookie: zw })).status).toBe(200);
    const wrong = await body(await cancel(intake, ZHANG_WEI.userId, { identity: { idType: 'resident_id', idNumber: WANG_FANG.idNumber, name: '王芳' }, confirm: true }), 422);
    expect(wrong.code).toBe('accounts.identity_mismatch');
    const done = await body(await cancel(intake, ZHANG_WEI.userId, { identity: zwId, confirm: true }), 200);
    expect(done).toMatchObject({ kind: 'cancel', accountStatus: 'cancelled' });
    expect(done.unbound).toBeGreaterThanOrEqual(3);
    expect(done.reference).toMatch(/^YH440300/);
    const [u] = await env.sql`SELECT status FROM user_account WHERE id = ${ZHANG_WEI.userId}`;
    expect(u!.status).toBe('cancelled');
    const [c] = await env.sql`SELECT kind, reason, staff_id IS NOT NULL AS by_staff, authority_id FROM account_cancellation WHERE user_account_id = ${ZHANG_WEI.userId}`;
    expect(c).toEqual({ kind: 'counter', reason: 'user_request', by_staff: true, authority_id: '440300' });
    const [{ n }] = await env.sql<[{ n: number }]>`SELECT count(*)::int AS n FROM vehicle_binding WHERE user_account_id = ${ZHANG_WEI.userId} AND unbound_at IS NULL`;
    expect(n).toBe(0);
    expect((await env.call('GET', '/api/v1/me', { cookie: zw })).status).toBe(401);
    const sms = await smsTo(env, ZHANG_WEI.phone, 'accounts.cancelled');
    expect(sms[0]!.payload).toMatchObject({ kind: 'counter', reason: 'user_request', reference: done.reference });
    expect(await auditActions(env, 'user_account', ZHANG_WEI.userId)).toContain('accounts.cancelled');
    expect((await body(await cancel(intake, ZHANG_WEI.userId, { identity: zwId, confirm: true }), 409)).code).toBe('accounts.not_active');
  });

  it('R-21.2 a national (online) account at another city’s counter: the act belongs to that counter (PD-9)', async () => {
    const gz = await staffCookie(env, 'gz.intake');
    const done = await body(await cancel(gz, WANG_FANG.userId, { identity: { idType: 'resident_id', idNumber: WANG_FANG.idNumber, name: '王芳' }, confirm: true }), 200);
    expect(done.reference).toMatch(/^YH440100/);
    const [c] = await env.sql`SELECT kind, authority_id FROM account_cancellation WHERE user_account_id = ${WANG_FANG.userId}`;
    expect(c).toEqual({ kind: 'counter', authority_id: '440100' });
  });

  it('R-21.2 two counters cancelling the same unit at once: one cancellation, the other told the account is no longer active', async () => {
    const { app } = concurrentApp(env, 4);
    const body = JSON.stringify({ identity: { ...SUN_QIANG, uscc: '91440300MA5F28360P' }, confirm: true });
    const send = () => Promise.resolve(app.request(`/admin-api/user-accounts/${SHUNDATONG.userId}/counter-cancel`, { method: 'POST', headers: { cookie: intake, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' }, body }));
    const answers = await Promise.all([send(), send()]);
    const codes = await Promise.all(answers.map(async (r) => `${r.status}${r.status >= 400 ? ` ${((await r.json()) as { code: string }).code}` : ''}`));
    expect(codes.sort()).toEqual(['200', '409 accounts.not_active']);
    const [{ n }] = await env.sql<[{ n: number }]>`SELECT count(*)::int AS n FROM account_counter_action WHERE user_account_id = ${SHUNDATONG.userId} AND kind = 'cancel'`;
    expect(n).toBe(1);
  });

  it('R-21.2 the database keeps a counter cancellation the staff member’s act at the user’s request', async () => {
    const [u] = await env.sql<{ id: string }[]>`SELECT id FROM user_account WHERE id = ${SHUNDATONG.userId}`;
    await expect(env.sql`INSERT INTO account_cancellation (user_account_id, kind, reason, at) VALUES (${u!.id}, 'counter', 'user_request', now())`).rejects.toMatchObject({ constraint_name: 'account_cancellation_staff_kinds' });
    const [s] = await env.sql<{ id: string }[]>`SELECT id FROM staff_member WHERE username = 'sz.intake'`;
    await expect(env.sql`INSERT INTO account_cancellation (user_account_id, kind, reason, staff_id, at) VALUES (${u!.id}, 'counter', 'deceased', ${s!.id}, now())`).rejects.toMatchObject({ constraint_name: 'account_cancellation_counter_is_request' });
  });
});
