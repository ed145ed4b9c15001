import { describe, expect, it } from 'vitest';
import { testEnv, cookiesOf, lastSmsCode, type TestEnv, fieldsOf, fieldMessagesOf } from '../../../test/support.ts';

const LI_NA = { name: '李娜', idNumber: '440303198811057101', phone: '13900139000' };
const ZHAO_LEI = { name: '赵磊', idNumber: '440306197902142234', phone: '13500135000' };
const ZHANG_WEI = { name: '张伟', idNumber: '440304198503122756', phone: '13800138000' };
const PASSWORD = 'Lina#2026pass';

/** Asks for a sign-up code (a minute after the last one, as the resend rule wants) and returns it. */
async function signUpCode(env: TestEnv, phone: string): Promise<string> {
  env.clock.advance(61_000);
  const r = await env.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'sign_up' } });
  expect(r.status).toBe(202);
  return lastSmsCode(env.sql, phone);
}

async function signUp(env: TestEnv, who: { name: string; idNumber: string; phone: string }, headers: Record<string, string> = {}) {
  const smsCode = await signUpCode(env, who.phone);
  return env.call('POST', '/api/v1/auth/sign-up', { body: { ...who, smsCode, password: PASSWORD }, headers });
}

const accountCount = async (env: TestEnv) => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM user_account`)[0]!.n;

describe('online registration as owner or driver (R-7.1, R-11.2)', async () => {
  const env = await testEnv();
  let liNaCookie = '';

  it('R-7.1 a person with vehicles and a licence registers online with the recorded phone; own records are bound', async () => {
    const res = await signUp(env, LI_NA);
    expect(res.status).toBe(201);
    const { user } = await res.json();
    expect(user).toMatchObject({
      name: '李娜',
      phoneMasked: '139****9000',
      idNumberMasked: '440303********7101',
      kind: 'personal',
      personalType: 'owner_driver',
      registrationChannel: 'online',
      status: 'active',
    });
    liNaCookie = cookiesOf(res);
    expect(liNaCookie).toMatch(/^jg_session=/);

    const me = await env.call('GET', '/api/v1/me', { cookie: liNaCookie });
    expect(me.status).toBe(200);
    const body = await me.json();
    expect(body.vehicles.map((v: { plateNo: string }) => v.plateNo).sort()).toEqual(['粤B12345', '粤BD23456']);
    expect(body.vehicles.every((v: { binding: string; vinMasked: string }) => v.binding === 'own' && v.vinMasked.includes('*'))).toBe(true);
    expect(body.licences).toHaveLength(1);
    expect(body.licences[0]).toMatchObject({ classes: 'C1' });
    expect(body.licences[0].licenceNoMasked).toContain('*');
    expect(body.asOf).toBe(env.clock.now().toISOString());
    // Nothing unmasked leaves the server.
    expect(JSON.stringify(body)).not.toContain(LI_NA.idNumber);
    expect(JSON.stringify(body)).not.toContain(LI_NA.phone);

    // Audited in the same transaction, and the welcome SMS is queued through the outbox.
    const [audit] = await env.sql<{ actor_id: string; after: Record<string, unknown> }[]>`
      SELECT actor_id, after FROM audit_log WHERE action = 'accounts.registered_online'`;
    expect(audit!.actor_id).toBe(user.id);
    expect(audit!.after).toMatchObject({ channel: 'online', boundVehicles: 2, boundLicences: 1, phone: '139****9000' });
    expect(await env.sql`SELECT 1 FROM outbox_message WHERE recipient = ${LI_NA.phone} AND template = 'auth.signed_up'`).toHaveLength(1);

    // The password works for the next sign-in.
    const signIn = await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: LI_NA.phone, password: PASSWORD } });
    expect(signIn.status).toBe(200);
  });

  it('R-11.2 online registration refuses a phone that differs from the records', async () => {
    const before = await accountCount(env);
    const res = await signUp(env, { ...ZHAO_LEI, phone: '13500135009' }, { 'accept-language': 'en' });
    expect(res.status).toBe(422);
    const p = await res.json();
    expect(p.code).toBe('accounts.phone_mismatch');
    expect(p.title).toBe('The phone number differs from the one recorded with your vehicle or driving licence');
    expect(fieldsOf(p)).toHaveProperty('phone');
    expect(await accountCount(env)).toBe(before);
    expect(await env.sql`SELECT 1 FROM audit_log WHERE action = 'accounts.registered_online' AND after->>'phone' = '135****5009'`).toHaveLength(0);
  });

  it('R-7.1 a person with neither a vehicle nor a licence cannot register as owner or driver', async () => {
    const [person] = await env.sql<{ name: string; id_number: string }[]>`
      SELECT p.name, p.id_number FROM person p
      WHERE p.id_type = 'resident_id' AND NOT p.deceased
        AND NOT EXISTS (SELECT 1 FROM vehicle v WHERE v.owner_person_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM driving_licence l WHERE l.person_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM user_account ua WHERE ua.person_id = p.id)
      ORDER BY p.id LIMIT 1`;
    expect(person).toBeDefined();
    const before = await accountCount(env);
    const res = await signUp(env, { name: person!.name, idNumber: person!.id_number, phone: '15900159000' });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('accounts.no_records');
    expect(await accountCount(env)).toBe(before);
  });

  it('R-7.1 a name that does not match the population registry is refused (422)', async () => {
    const res = await signUp(env, { ...ZHAO_LEI, name: '赵雷' });
    expect(res.status).toBe(422);
    const p = await res.json();
    expect(p.code).toBe('accounts.person_not_found');
    expect(p.title).toBe('身份信息与人口信息库不一致');
    // An ID number that is valid but not in the registry looks the same.
    const unknown = await signUp(env, { ...ZHAO_LEI, idNumber: '11010519491231002X' });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).code).toBe('accounts.person_not_found');
    expect(await env.sql`SELECT 1 FROM user_account ua JOIN person p ON p.id = ua.person_id WHERE p.id_number = ${ZHAO_LEI.idNumber}`).toHaveLength(0);
  });

  it('R-7.1 a deceased person cannot be registered', async () => {
    const [dead] = await env.sql<{ name: string; id_number: string; phone: string }[]>`
      SELECT p.name, p.id_number, COALESCE(l.phone, v.owner_phone) AS phone FROM person p
      LEFT JOIN driving_licence l ON l.person_id = p.id LEFT JOIN vehicle v ON v.owner_person_id = p.id
      WHERE p.deceased AND COALESCE(l.phone, v.owner_phone) IS NOT NULL LIMIT 1`;
    expect(dead).toBeDefined();
    const res = await signUp(env, { name: dead!.name, idNumber: dead!.id_number, phone: dead!.phone });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('accounts.person_not_found');
  });

  it('a bad ID number check digit answers 400 with fields.idNumber and a localised field message, before any lookup', async () => {
    const body = { ...ZHAO_LEI, idNumber: '440306197902142235', smsCode: '123456', password: PASSWORD };
    const zh = await env.call('POST', '/api/v1/auth/sign-up', { body });
    expect(zh.status).toBe(400);
    const p = await zh.json();
    expect(p.code).toBe('request.invalid');
    expect(fieldsOf(p)).toEqual({ idNumber: 'validation.id_number_checksum' });
    expect(fieldMessagesOf(p).idNumber).toBe('身份证号码校验位不正确，请核对');
    const en = await (await env.call('POST', '/api/v1/auth/sign-up', { body, headers: { 'accept-language': 'en' } })).json();
    expect(fieldMessagesOf(en).idNumber).toBe('The check digit of the ID number is wrong; please check it');
  });

  it('a wrong SMS code registers nothing', async () => {
    await signUpCode(env, ZHAO_LEI.phone);
    const code = await lastSmsCode(env.sql, ZHAO_LEI.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const res = await env.call('POST', '/api/v1/auth/sign-up', { body: { ...ZHAO_LEI, smsCode: wrong, password: PASSWORD } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await res.json()).code).toBe('auth.sms_code_invalid');
    expect(await env.sql`SELECT 1 FROM user_account WHERE phone = ${ZHAO_LEI.phone}`).toHaveLength(0);
  });

  it('R-7.1 one account per person: a second sign-up of the same person answers 409 accounts.already_registered', async () => {
    const before = await accountCount(env);
    const again = await signUp(env, LI_NA);
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('accounts.already_registered');
    // Also for a person registered at the counter.
    const counter = await signUp(env, ZHANG_WEI);
    expect(counter.status).toBe(409);
    expect((await counter.json()).code).toBe('accounts.already_registered');
    expect(await accountCount(env)).toBe(before);
    // The existing account is untouched.
    expect((await env.call('GET', '/api/v1/me', { cookie: liNaCookie })).status).toBe(200);
  });

  it('R-7.1 two sign-ups of the same person at once create one account', async () => {
    // A double submit: both requests carry the phone's latest (only valid) code. The code row lock
    // serialises them; the loser is refused as a used code, never a second account.
    const smsCode = await signUpCode(env, ZHAO_LEI.phone);
    const body = { ...ZHAO_LEI, smsCode, password: PASSWORD };
    const answers = await Promise.all([env.call('POST', '/api/v1/auth/sign-up', { body }), env.call('POST', '/api/v1/auth/sign-up', { body })]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses[0]).toBe(201);
    expect(statuses[1]).toBeGreaterThanOrEqual(400);
    expect(statuses[1]).toBeLessThan(500);
    const loser = answers.find((a) => a.status !== 201)!;
    expect(['auth.sms_code_invalid', 'accounts.already_registered']).toContain((await loser.json()).code);
    expect(await env.sql`SELECT 1 FROM user_account WHERE phone = ${ZHAO_LEI.phone}`).toHaveLength(1);
    expect(await env.sql`SELECT 1 FROM audit_log WHERE action = 'accounts.registered_online'`).toHaveLength(2);
  });

  it('non-negotiable 7: a user never sees another user’s vehicles or licences', async () => {
    const zhang = cookiesOf(await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: ZHANG_WEI.phone, password: 'Demo#2026pass' } }));
    const zhangMe = await (await env.call('GET', '/api/v1/me', { cookie: zhang })).json();
    const zhangPlates = zhangMe.vehicles.map((v: { plateNo: string }) => v.plateNo);
    expect(zhangPlates).toEqual(expect.arrayContaining(['粤BA1234', '粤BD12345', '粤B8K2M9']));
    expect(zhangPlates).not.toContain('粤B12345');
    expect(zhangPlates).not.toContain('粤BD23456');

    const liNaMe = await (await env.call('GET', '/api/v1/me', { cookie: liNaCookie })).json();
    const liNaPlates = liNaMe.vehicles.map((v: { plateNo: string }) => v.plateNo);
    for (const plate of zhangPlates) expect(liNaPlates).not.toContain(plate);
    const zhangLicenceIds = new Set(zhangMe.licences.map((l: { id: string }) => l.id));
    expect(liNaMe.licences.some((l: { id: string }) => zhangLicenceIds.has(l.id))).toBe(false);
    expect(liNaMe.user.id).not.toBe(zhangMe.user.id);
  });
});
