/**
 * Issue 17, "Second factor and sign-in" — the citizen's password, sessions and
 * SMS codes, tried as an attacker would: guessable passwords, sessions that
 * outlive a password or phone change, unlimited guesses at the current
 * password, one SMS code serving many sign-up attempts, and "phone already in
 * use" as an oracle for which phones have accounts.
 */
import { describe, expect, it } from 'vitest';
import { cookiesOf, fieldMessagesOf, fieldsOf, lastSmsCode, testEnv, type TestEnv } from '../../../test/support.ts';
import { LI_NA, PERSON_DOCS, personForm, scan, staffCookie, userCookie, WANG_FANG, ZHANG_WEI, ZHAO_LEI } from './testing.ts';

const DEMO_PASSWORD = 'Demo#2026pass';
const STRONG = 'Brisk#Lantern47';
const MINUTE = 60_000;

/** A fresh sign-up code (a minute after the last one, as the resend rule wants). */
async function signUpCode(env: TestEnv, phone: string): Promise<string> {
  env.clock.advance(61_000);
  const r = await env.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'sign_up' } });
  expect(r.status).toBe(202);
  return lastSmsCode(env.sql, phone);
}

const signUp = (env: TestEnv, who: { name: string; idNumber: string; phone: string }, smsCode: string, password: string, headers: Record<string, string> = {}) =>
  env.call('POST', '/api/v1/auth/sign-up', { body: { ...who, smsCode, password }, headers });

const me = async (env: TestEnv, cookie: string) => (await env.call('GET', '/api/v1/me', { cookie })).status;

/** `n` more online accounts (the seed has five), each with the demo password, for the per-IP limits. */
async function moreAccounts(env: TestEnv, n: number) {
  return env.sql<{ id: string; phone: string }[]>`
    INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, password_hash)
    SELECT 'personal', 'owner_driver', 'online', p.id, '1990000' || lpad((row_number() OVER (ORDER BY p.id))::text, 4, '0'),
           (SELECT password_hash FROM user_account WHERE id = ${ZHANG_WEI.userId})
    FROM person p WHERE NOT EXISTS (SELECT 1 FROM user_account ua WHERE ua.person_id = p.id)
    ORDER BY p.id LIMIT ${n}
    RETURNING id, phone`;
}

describe('issue 17: password rules', async () => {
  const env = await testEnv();

  it('issue 17: a new password is refused when common or guessable (zxcvbn score ≥ 3, the user’s own phone, name and ID number count against it) at its field, in the server’s words — sign-up and password change', async () => {
    // Sign-up: a common password, then one built from her own phone number.
    const common = await signUp(env, LI_NA, await signUpCode(env, LI_NA.phone), 'password1');
    expect(common.status).toBe(422);
    const p = await common.json();
    expect(p.code).toBe('auth.weak_password');
    expect(fieldsOf(p)).toEqual({ password: 'auth.weak_password' });
    expect(fieldMessagesOf(p).password).toMatch(/^密码太容易被猜到。.*常见.*至少8位/);

    const personal = await signUp(env, LI_NA, await signUpCode(env, LI_NA.phone), 'Qx!13900139000', { 'accept-language': 'en' });
    expect(personal.status).toBe(422);
    const q = await personal.json();
    expect(fieldsOf(q)).toEqual({ password: 'auth.weak_password' });
    expect(fieldMessagesOf(q).password).toMatch(/^This password is too easy to guess\. .*your phone number/);
    expect(await env.sql`SELECT 1 FROM user_account WHERE phone = ${LI_NA.phone}`).toHaveLength(0);
    // The same password is fine for someone whose phone it does not contain (only her own data counts against it) …
    expect((await signUp(env, ZHAO_LEI, await signUpCode(env, ZHAO_LEI.phone), 'Qx!13900139000')).status).toBe(201);
    // … and a strong one is accepted for her.
    expect((await signUp(env, LI_NA, await signUpCode(env, LI_NA.phone), STRONG)).status).toBe(201);

    // Password change: common, her own phone, the current one.
    const wang = await userCookie(env, WANG_FANG.userId);
    for (const newPassword of ['qwerty123', 'Wfang13700137000']) {
      const r = await env.call('POST', '/api/v1/me/password', { cookie: wang, body: { currentPassword: DEMO_PASSWORD, newPassword } });
      expect(r.status, newPassword).toBe(422);
      expect(fieldsOf(await r.json()), newPassword).toEqual({ newPassword: 'auth.weak_password' });
    }
    const same = await env.call('POST', '/api/v1/me/password', { cookie: wang, body: { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD } });
    expect(same.status).toBe(422);
    const s = await same.json();
    expect(fieldsOf(s)).toEqual({ newPassword: 'auth.password_unchanged' });
    expect(fieldMessagesOf(s).newPassword).toContain('新密码不能与当前密码相同');
    // Too short stays a format error of the schema.
    const short = await env.call('POST', '/api/v1/me/password', { cookie: wang, body: { currentPassword: DEMO_PASSWORD, newPassword: 'Qx!9z' } });
    expect(short.status).toBe(400);
    expect(fieldsOf(await short.json())).toEqual({ newPassword: 'validation.password_weak' });
    // Nothing changed: the demo password still signs in (sign-in never re-checks strength).
    expect((await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: WANG_FANG.phone, password: DEMO_PASSWORD } })).status).toBe(200);
    expect((await env.call('POST', '/api/v1/me/password', { cookie: wang, body: { currentPassword: DEMO_PASSWORD, newPassword: STRONG } })).status).toBe(204);
    expect((await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: WANG_FANG.phone, password: STRONG } })).status).toBe(200);
  });
});

describe('issue 17: a change of password or phone ends the other sessions', async () => {
  const env = await testEnv();

  it('issue 17: a change of password or of phone ends every other session of the user and keeps the current one', async () => {
    const here = await userCookie(env, WANG_FANG.userId);
    const laptop = await userCookie(env, WANG_FANG.userId);
    const zhang = await userCookie(env, ZHANG_WEI.userId);
    expect((await env.call('POST', '/api/v1/me/password', { cookie: here, body: { currentPassword: DEMO_PASSWORD, newPassword: STRONG } })).status).toBe(204);
    expect(await me(env, here)).toBe(200);
    expect(await me(env, laptop)).toBe(401);
    expect(await me(env, zhang)).toBe(200); // another user's sessions are untouched
    const [pw] = await env.sql`SELECT after FROM audit_log WHERE action = 'accounts.password_changed' AND entity_id = ${WANG_FANG.userId}`;
    expect(pw!.after).toMatchObject({ otherSessionsEnded: 1 });

    const phone = cookiesOf(await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: WANG_FANG.phone, password: STRONG } }));
    expect((await env.call('POST', '/api/v1/me/phone/sms-code', { cookie: here, body: { phone: '13700137222' } })).status).toBe(202);
    const smsCode = await lastSmsCode(env.sql, '13700137222');
    expect((await env.call('POST', '/api/v1/me/phone', { cookie: here, body: { phone: '13700137222', smsCode } })).status).toBe(200);
    expect(await me(env, here)).toBe(200);
    expect(await me(env, phone)).toBe(401);
    const [ph] = await env.sql`SELECT after FROM audit_log WHERE action = 'accounts.phone_changed' AND entity_id = ${WANG_FANG.userId}`;
    expect(ph!.after).toMatchObject({ otherSessionsEnded: 1 });
  });

  it('issue 17: a phone changed at the counter ends every session of the user', async () => {
    const intake = await staffCookie(env, 'sz.intake');
    const review = await staffCookie(env, 'sz.review');
    const zhang = await userCookie(env, ZHANG_WEI.userId);
    const accepted = await env.call('POST', '/admin-api/account-applications', {
      cookie: intake,
      body: { subject: 'person', kind: 'change', changeKind: 'contact', form: personForm({ ...ZHANG_WEI, phone: '13800138222' }), documents: await scan(env, intake, PERSON_DOCS) },
    });
    expect(accepted.status).toBe(201);
    expect(await me(env, zhang)).toBe(200);
    const approved = await env.call('POST', `/admin-api/account-applications/${(await accepted.json()).id}/approve`, { cookie: review });
    expect(approved.status).toBe(200);
    expect(await me(env, zhang)).toBe(401);
  });
});

describe('issue 17: wrong current passwords are limited like sign-in', async () => {
  const env = await testEnv();

  it('issue 17: wrong current passwords (password change and cancellation together) lock the account after 5 like sign-in: auth.throttled even for the right password, for 15 minutes', async () => {
    const zhang = await userCookie(env, ZHANG_WEI.userId);
    for (let i = 0; i < 3; i++) {
      const r = await env.call('POST', '/api/v1/me/password', { cookie: zhang, body: { currentPassword: `wrong-pass-${i}`, newPassword: STRONG } });
      expect((await r.json()).code).toBe('accounts.wrong_password');
    }
    for (let i = 0; i < 2; i++) {
      const r = await env.call('POST', '/api/v1/me/cancel', { cookie: zhang, body: { password: `wrong-pass-${i}`, confirm: true } });
      expect((await r.json()).code).toBe('accounts.wrong_password');
    }
    const right = await env.call('POST', '/api/v1/me/password', { cookie: zhang, body: { currentPassword: DEMO_PASSWORD, newPassword: STRONG } });
    expect(right.status).toBe(429);
    expect((await right.json()).code).toBe('auth.throttled');
    const cancel = await env.call('POST', '/api/v1/me/cancel', { cookie: zhang, body: { password: DEMO_PASSWORD, confirm: true } });
    expect((await cancel.json()).code).toBe('auth.throttled');
    // The same lock as sign-in's: the account's guesses are counted once, wherever they are made.
    expect((await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: ZHANG_WEI.phone, password: DEMO_PASSWORD } })).status).toBe(429);
    expect(await env.sql`SELECT 1 FROM audit_log WHERE action = 'auth.password_confirmation_failed' AND entity_id = ${ZHANG_WEI.userId}`).toHaveLength(5);
    env.clock.advance(16 * MINUTE);
    expect((await env.call('POST', '/api/v1/me/password', { cookie: zhang, body: { currentPassword: DEMO_PASSWORD, newPassword: STRONG } })).status).toBe(204);
  });

  it('issue 17: wrong current passwords from one IP across accounts lock that IP after 30, like sign-in', async () => {
    const users = await moreAccounts(env, 7);
    expect(users).toHaveLength(7);
    const ip = { 'x-forwarded-for': '198.51.100.77' };
    for (const u of users.slice(0, 6)) {
      const cookie = await userCookie(env, u.id);
      for (let i = 0; i < 5; i++) {
        const r = await env.call('POST', '/api/v1/me/password', { cookie, body: { currentPassword: `wrong-pass-${i}`, newPassword: STRONG }, headers: ip });
        expect((await r.json()).code).toBe('accounts.wrong_password');
      }
    }
    const last = await userCookie(env, users[6]!.id);
    const locked = await env.call('POST', '/api/v1/me/cancel', { cookie: last, body: { password: 'wrong-pass', confirm: true }, headers: ip });
    expect((await locked.json()).code).toBe('auth.throttled');
    const elsewhere = await env.call('POST', '/api/v1/me/cancel', { cookie: last, body: { password: 'wrong-pass', confirm: true }, headers: { 'x-forwarded-for': '198.51.100.78' } });
    expect((await elsewhere.json()).code).toBe('accounts.wrong_password');
  });
});

describe('issue 17: an SMS code is burnt by its first use', async () => {
  const env = await testEnv();

  it('issue 17: an SMS code is burnt by its first use, successful or not: a sign-up refused after the code was checked cannot try another name or ID number with it', async () => {
    const smsCode = await signUpCode(env, LI_NA.phone);
    const guess = await signUp(env, { ...LI_NA, name: '李四' }, smsCode, STRONG);
    expect((await guess.json()).code).toBe('accounts.person_not_found');
    // The right name with the same code: the code is spent.
    const again = await signUp(env, LI_NA, smsCode, STRONG);
    expect(again.status).toBe(422);
    const p = await again.json();
    expect(p.code).toBe('auth.sms_code_invalid');
    expect(fieldsOf(p)).toEqual({ smsCode: 'auth.sms_code_invalid' });
    const [row] = await env.sql`SELECT consumed_at, attempts FROM sms_code WHERE phone = ${LI_NA.phone} AND purpose = 'sign_up' ORDER BY created_at DESC LIMIT 1`;
    expect(row).toMatchObject({ consumed_at: env.clock.now(), attempts: 1 });
    expect(await env.sql`SELECT 1 FROM user_account WHERE phone = ${LI_NA.phone}`).toHaveLength(0);

    // An earlier code does not come back once a later one was used: only the newest code counts.
    const first = await signUpCode(env, LI_NA.phone);
    const second = await signUpCode(env, LI_NA.phone);
    expect((await signUp(env, { ...LI_NA, idNumber: ZHAO_LEI.idNumber }, second, STRONG)).status).toBe(422);
    expect((await (await signUp(env, LI_NA, first, STRONG)).json()).code).toBe('auth.sms_code_invalid');

    // A mistyped code is a guess (five burn the code), not a use: the right one still works after it.
    const code = await signUpCode(env, LI_NA.phone);
    const typo = await signUp(env, LI_NA, code === '000000' ? '111111' : '000000', STRONG);
    expect((await typo.json()).code).toBe('auth.sms_code_invalid');
    expect((await signUp(env, LI_NA, code, STRONG)).status).toBe(201);
  });
});

describe('issue 17: "phone already in use" is rate-limited', async () => {
  const env = await testEnv();

  it('issue 17: "phone already in use" answers are rate-limited per account (5 in 15 minutes) — then auth.throttled for any number, before any lookup', async () => {
    const wang = await userCookie(env, WANG_FANG.userId);
    const taken = (await env.sql<{ phone: string }[]>`SELECT phone FROM user_account WHERE status <> 'cancelled' AND id <> ${WANG_FANG.userId} ORDER BY id`).map((r) => r.phone);
    for (let i = 0; i < 5; i++) {
      const r = await env.call('POST', '/api/v1/me/phone/sms-code', { cookie: wang, body: { phone: taken[i % taken.length] }, headers: { 'x-forwarded-for': `192.0.2.${i + 1}` } });
      expect(r.status).toBe(409);
      expect((await r.json()).code).toBe('accounts.phone_in_use');
    }
    for (const phone of [ZHANG_WEI.phone, '13700137333']) {
      const r = await env.call('POST', '/api/v1/me/phone/sms-code', { cookie: wang, body: { phone }, headers: { 'x-forwarded-for': '192.0.2.50' } });
      expect(r.status, phone).toBe(429);
      expect((await r.json()).code).toBe('auth.throttled');
    }
    expect(await env.sql`SELECT 1 FROM outbox_message WHERE recipient = '13700137333'`).toHaveLength(0);
    env.clock.advance(16 * MINUTE);
    expect((await env.call('POST', '/api/v1/me/phone/sms-code', { cookie: wang, body: { phone: '13700137333' } })).status).toBe(202);
  });

  it('issue 17: "phone already in use" answers are rate-limited per IP (30 in 15 minutes, across accounts)', async () => {
    const users = await moreAccounts(env, 8);
    expect(users).toHaveLength(8);
    const ip = { 'x-forwarded-for': '198.51.100.88' };
    let answers = 0;
    for (const u of users.slice(0, 6)) {
      const cookie = await userCookie(env, u.id);
      for (let i = 0; i < 5; i++) {
        const r = await env.call('POST', '/api/v1/me/phone/sms-code', { cookie, body: { phone: users[7]!.phone }, headers: ip });
        if ((await r.json()).code === 'accounts.phone_in_use') answers++;
      }
    }
    expect(answers).toBe(30);
    const next = await userCookie(env, users[6]!.id);
    const locked = await env.call('POST', '/api/v1/me/phone/sms-code', { cookie: next, body: { phone: users[7]!.phone }, headers: ip });
    expect((await locked.json()).code).toBe('auth.throttled');
    const elsewhere = await env.call('POST', '/api/v1/me/phone/sms-code', { cookie: next, body: { phone: users[7]!.phone }, headers: { 'x-forwarded-for': '198.51.100.89' } });
    expect((await elsewhere.json()).code).toBe('accounts.phone_in_use');
  });
});
