/**
 * Issue 18 — sign-in that warns before the lock, and password reset by SMS
 * code with sign-in's limits (ch. 2 accounts: R-15 修改密码 online; issue 17's
 * lockout, single-use codes and no account enumeration).
 */
import { describe, expect, it } from 'vitest';
import type { Sql } from '../../db.ts';
import { cookiesOf, fieldMessagesOf, fieldsOf, testEnv, type TestEnv } from '../../../test/support.ts';
import { smsTemplates } from './messages.ts';

const ZHANG_WEI = { phone: '13800138000', password: 'Demo#2026pass' };
const NEW_PASSWORD = 'lantern-orchid-42-ferry';
const NO_ACCOUNT = '19900000077';

/** The last password-reset code the dev SMS adapter would deliver to a phone. */
async function lastResetCode(sql: Sql, phone: string): Promise<string> {
  const [row] = await sql<{ payload: { code: string } }[]>`
    SELECT payload FROM outbox_message WHERE channel = 'sms' AND recipient = ${phone} AND template = 'auth.password_reset_code' ORDER BY created_at DESC, id DESC LIMIT 1`;
  if (!row) throw new Error(`no reset code for ${phone}`);
  return row.payload.code;
}

const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

function requestCode(env: TestEnv, phone: string, ip = '203.0.113.7', lang = 'zh-CN') {
  return env.call('POST', '/api/v1/auth/password-reset/sms-code', { body: { phone }, headers: { 'x-forwarded-for': ip, 'accept-language': lang } });
}

function reset(env: TestEnv, body: { phone: string; smsCode: string; newPassword?: string }, opts: { ip?: string; cookie?: string; lang?: string } = {}) {
  return env.call('POST', '/api/v1/auth/password-reset', {
    body: { newPassword: NEW_PASSWORD, ...body },
    headers: { 'x-forwarded-for': opts.ip ?? '203.0.113.7', 'accept-language': opts.lang ?? 'zh-CN' },
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
  });
}

function signIn(env: TestEnv, phone: string, password: string, ip = '203.0.113.7', lang = 'zh-CN') {
  return env.call('POST', '/api/v1/auth/sign-in', { body: { phone, password }, headers: { 'x-forwarded-for': ip, 'accept-language': lang } });
}

describe('issue 18: sign-in warns before the last attempt and says how long a lock lasts', async () => {
  const env = await testEnv();

  it('issue 18: the 4th wrong password warns "one attempt left before the account is locked for 15 minutes" at the phone; the 5th says until when (Beijing time); then auth.throttled says it too', async () => {
    const phone = '13700137000';
    for (let i = 0; i < 3; i++) {
      const r = await signIn(env, phone, `bad-pass-${i}`, '198.51.100.1', 'en');
      const p = await r.json();
      expect(p.code).toBe('auth.invalid_credentials');
      expect(p.params).toBeUndefined();
      expect(fieldMessagesOf(p).phone).toBe('The account or password is incorrect');
    }
    const fourth = await (await signIn(env, phone, 'bad-pass-3', '198.51.100.1', 'en')).json();
    expect(fourth.detail).toBe('One attempt left before the account is locked for 15 minutes.');
    expect(fieldMessagesOf(fourth).phone).toBe('The account or password is incorrect. One attempt left before the account is locked for 15 minutes.');
    // The test clock is 2026-11-25T02:00Z = 10:00 in Beijing; the lock ends 15 minutes later.
    const fifth = await signIn(env, phone, 'bad-pass-4', '198.51.100.1');
    expect(fifth.status).toBe(401);
    expect(fieldMessagesOf(await fifth.json()).phone).toContain('账号已锁定15分钟，将于2026-11-25 10:15（北京时间）解锁');
    env.clock.advance(5 * 60_000);
    const locked = await signIn(env, phone, 'Demo#2026pass', '198.51.100.1', 'en');
    expect(locked.status).toBe(429);
    const p = await locked.json();
    expect(p.code).toBe('auth.throttled');
    expect(p.params).toMatchObject({ scope: 'account', minutes: 15, until: '2026-11-25 10:15' });
    expect(fieldMessagesOf(p).phone).toContain('the account is locked for 15 minutes, until 2026-11-25 10:15 (Beijing time)');
  });

  it('issue 18: the warning is the same for a phone without an account (no enumeration)', async () => {
    const answers: string[] = [];
    for (const phone of ['13600136000', NO_ACCOUNT]) {
      let last: { detail?: string; errors?: unknown } = {};
      for (let i = 0; i < 4; i++) last = await (await signIn(env, phone, `bad-pass-${i}`, '198.51.100.2')).json();
      answers.push(JSON.stringify({ detail: last.detail, errors: last.errors }));
    }
    expect(answers[0]).toBe(answers[1]);
    expect(answers[0]).toContain('还剩1次机会');
  });

  it('issue 18: an address lock says it is the network, for how long and until when, at no field', async () => {
    const ip = '198.51.100.3';
    for (let i = 0; i < 30; i++) await signIn(env, `1390000${2000 + i}`, 'whatever1', ip);
    const r = await signIn(env, ZHANG_WEI.phone, ZHANG_WEI.password, ip);
    expect(r.status).toBe(429);
    const p = await r.json();
    expect(p.params.scope).toBe('ip');
    expect(p.errors).toBeUndefined();
    expect(p.detail).toContain('此网络的尝试次数过多，已暂停15分钟');
  });
});

describe('issue 18: password reset by SMS code', async () => {
  const env = await testEnv();

  it('R-15 / issue 18: resets the password with the code sent through the outbox; the old password stops working, the new one signs in, audited, and the phone is told', async () => {
    const sent = await requestCode(env, ZHANG_WEI.phone);
    expect(sent.status).toBe(202);
    expect(await sent.json()).toMatchObject({ resendAfterSeconds: 60 });
    const code = await lastResetCode(env.sql, ZHANG_WEI.phone);
    const [msg] = await env.sql<{ payload: Record<string, unknown> }[]>`SELECT payload FROM outbox_message WHERE template = 'auth.password_reset_code' ORDER BY id DESC LIMIT 1`;
    expect(smsTemplates['auth.password_reset_code']!(msg!.payload)).toContain(code);
    const r = await reset(env, { phone: ZHANG_WEI.phone, smsCode: code });
    expect(r.status).toBe(200);
    expect((await signIn(env, ZHANG_WEI.phone, ZHANG_WEI.password)).status).toBe(401);
    expect((await signIn(env, ZHANG_WEI.phone, NEW_PASSWORD)).status).toBe(200);
    const [audit] = await env.sql`SELECT actor_kind, entity_id, after FROM audit_log WHERE action = 'auth.password_reset' ORDER BY id DESC LIMIT 1`;
    expect(audit).toMatchObject({ actor_kind: 'user', after: { by: 'sms_code' } });
    const [hash] = await env.sql<{ password_hash: string }[]>`SELECT password_hash FROM user_account WHERE phone = ${ZHANG_WEI.phone}`;
    expect(hash!.password_hash).toMatch(/^\$argon2id\$/);
    const done = await env.sql`SELECT 1 FROM outbox_message WHERE recipient = ${ZHANG_WEI.phone} AND template = 'auth.password_reset_done'`;
    expect(done).toHaveLength(1);
  });

  it('issue 18: the reset ends every session of the account (signed out), or every other one (from a session of the same account)', async () => {
    const phone = '13700137000';
    const a = cookiesOf(await signIn(env, phone, 'Demo#2026pass'));
    const b = cookiesOf(await signIn(env, phone, 'Demo#2026pass'));
    const other = cookiesOf(await signIn(env, '13600136000', 'Demo#2026pass'));
    await requestCode(env, phone);
    const r = await reset(env, { phone, smsCode: await lastResetCode(env.sql, phone) });
    expect((await r.json()).sessionsEnded).toBe(2);
    expect((await env.call('GET', '/api/v1/me', { cookie: a })).status).toBe(401);
    expect((await env.call('GET', '/api/v1/me', { cookie: b })).status).toBe(401);
    expect((await env.call('GET', '/api/v1/me', { cookie: other })).status).toBe(200);

    const c = cookiesOf(await signIn(env, phone, NEW_PASSWORD));
    const d = cookiesOf(await signIn(env, phone, NEW_PASSWORD));
    env.clock.advance(61_000);
    await requestCode(env, phone);
    const fromC = await reset(env, { phone, smsCode: await lastResetCode(env.sql, phone), newPassword: 'quiet-harbour-lamp-77' }, { cookie: c });
    expect((await fromC.json()).sessionsEnded).toBe(1);
    expect((await env.call('GET', '/api/v1/me', { cookie: c })).status).toBe(200);
    expect((await env.call('GET', '/api/v1/me', { cookie: d })).status).toBe(401);
  });

  it('issue 18: the code is single-use: a second reset with it is refused', async () => {
    const phone = '13600136000';
    await requestCode(env, phone);
    const code = await lastResetCode(env.sql, phone);
    expect((await reset(env, { phone, smsCode: code })).status).toBe(200);
    const again = await reset(env, { phone, smsCode: code, newPassword: 'another-long-phrase-9' });
    expect(again.status).toBe(422);
    const p = await again.json();
    expect(p.code).toBe('auth.sms_code_invalid');
    expect(fieldsOf(p)).toEqual({ smsCode: 'auth.sms_code_invalid' });
    expect((await signIn(env, phone, NEW_PASSWORD)).status).toBe(200);
  });

  it('issue 18: the code expires after 5 minutes (injectable clock)', async () => {
    const phone = '18656166424';
    await requestCode(env, phone);
    const code = await lastResetCode(env.sql, phone);
    env.clock.advance(5 * 60_000 + 1000);
    const late = await reset(env, { phone, smsCode: code });
    expect(late.status).toBe(422);
    expect((await late.json()).code).toBe('auth.sms_code_invalid');
    expect((await signIn(env, phone, 'Demo#2026pass')).status).toBe(200);
    // A new code works.
    await requestCode(env, phone);
    expect((await reset(env, { phone, smsCode: await lastResetCode(env.sql, phone) })).status).toBe(200);
  });

  it('issue 18: a sign-in code does not reset the password', async () => {
    const phone = '13800138000';
    env.clock.advance(10 * 60_000);
    await env.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'sign_in' } });
    const [row] = await env.sql<{ payload: { code: string } }[]>`
      SELECT payload FROM outbox_message WHERE recipient = ${phone} AND template = 'auth.sms_code' ORDER BY id DESC LIMIT 1`;
    expect((await reset(env, { phone, smsCode: row!.payload.code })).status).toBe(422);
  });
});

describe('issue 18: password reset limits and no enumeration', async () => {
  const env = await testEnv();

  it('issue 18: asking for a code answers the same for a phone without an account, and sends it nothing', async () => {
    const withAccount = await requestCode(env, '13700137000');
    const without = await requestCode(env, NO_ACCOUNT);
    expect(without.status).toBe(withAccount.status);
    const a = await withAccount.json();
    const b = await without.json();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(b.resendAfterSeconds).toBe(a.resendAfterSeconds);
    expect(await env.sql`SELECT 1 FROM outbox_message WHERE recipient = ${NO_ACCOUNT}`).toHaveLength(0);
    // A guessed code for either answers the same words.
    const guessA = await (await reset(env, { phone: '13700137000', smsCode: wrongCode(await lastResetCode(env.sql, '13700137000')) }, { ip: '198.51.100.50' })).json();
    const guessB = await (await reset(env, { phone: NO_ACCOUNT, smsCode: '123456' }, { ip: '198.51.100.51' })).json();
    expect({ ...guessB, requestId: undefined }).toEqual({ ...guessA, requestId: undefined });
    // A phone never asked for a code, too.
    const never = await (await reset(env, { phone: '19900000078', smsCode: '123456' }, { ip: '198.51.100.52' })).json();
    expect({ ...never, requestId: undefined }).toEqual({ ...guessA, requestId: undefined });
  });

  it('issue 18: one code a minute and ten a day per phone, refused at the phone', async () => {
    const phone = '13600136000';
    expect((await requestCode(env, phone, '198.51.100.60')).status).toBe(202);
    const soon = await requestCode(env, phone, '198.51.100.61');
    expect(soon.status).toBe(429);
    expect(fieldsOf(await soon.json())).toEqual({ phone: 'auth.sms_code_too_soon' });
  });

  it('issue 18: ten codes an hour per client address, whatever the phones; then auth.code_requests_throttled says until when', async () => {
    const ip = '198.51.100.70';
    for (let i = 0; i < 10; i++) expect((await requestCode(env, `1391111${String(1000 + i)}`, ip)).status).toBe(202);
    const r = await requestCode(env, '13911112000', ip, 'en');
    expect(r.status).toBe(429);
    const p = await r.json();
    expect(p.code).toBe('auth.code_requests_throttled');
    expect(p.detail).toContain('until 2026-11-25 11:00 (Beijing time)');
    expect((await requestCode(env, '13911112000', '198.51.100.71')).status).toBe(202);
  });

  it('issue 18: wrong codes count toward the sign-in lockout of the account: a warning before the last, then locked — even for the right code — and sign-in is locked too', async () => {
    const phone = '13600136000';
    await requestCode(env, phone);
    const code = await lastResetCode(env.sql, phone);
    const wrong = wrongCode(code);
    for (let i = 0; i < 3; i++) await reset(env, { phone, smsCode: wrong }, { ip: `192.0.2.${i}` });
    const fourth = await (await reset(env, { phone, smsCode: wrong }, { ip: '192.0.2.3', lang: 'en' })).json();
    expect(fieldMessagesOf(fourth).smsCode).toContain('One attempt left before the account is locked for 15 minutes.');
    await reset(env, { phone, smsCode: wrong }, { ip: '192.0.2.4' });
    const locked = await reset(env, { phone, smsCode: code }, { ip: '192.0.2.5' });
    expect(locked.status).toBe(429);
    const p = await locked.json();
    expect(p.code).toBe('auth.throttled');
    expect(fieldsOf(p)).toEqual({ smsCode: 'auth.throttled' });
    expect((await signIn(env, phone, 'Demo#2026pass', '192.0.2.6')).status).toBe(429);
    expect((await requestCode(env, phone, '192.0.2.7')).status).toBe(429);
    // The right code was burnt by five wrong guesses: after the lock a new one is needed.
    env.clock.advance(16 * 60_000);
    expect((await reset(env, { phone, smsCode: code }, { ip: '192.0.2.8' })).status).toBe(422);
  });

  it('issue 18: wrong codes from one client address across phones lock the address after 30', async () => {
    const ip = '198.51.100.80';
    for (let i = 0; i < 30; i++) await reset(env, { phone: `1392222${String(1000 + i)}`, smsCode: '123456' }, { ip });
    const r = await reset(env, { phone: '13700137000', smsCode: '123456' }, { ip });
    expect(r.status).toBe(429);
    expect((await r.json()).params.scope).toBe('ip');
  });

  it('issue 18: the new password follows the sign-up policy, checked only with the right code; a refused one does not use the code up', async () => {
    const phone = '13700137000';
    env.clock.advance(2 * 3600_000);
    await requestCode(env, phone, '198.51.100.90');
    const code = await lastResetCode(env.sql, phone);
    const short = await reset(env, { phone, smsCode: code, newPassword: 'short' }, { ip: '198.51.100.90' });
    expect(short.status).toBe(400);
    const common = await reset(env, { phone, smsCode: code, newPassword: 'password123' }, { ip: '198.51.100.90' });
    expect(common.status).toBe(422);
    expect(fieldsOf(await common.json())).toEqual({ newPassword: 'auth.weak_password' });
    // With a wrong code, the weak password is not judged: the answer is the code's.
    const guess = await reset(env, { phone, smsCode: wrongCode(code), newPassword: 'password123' }, { ip: '198.51.100.90' });
    expect(fieldsOf(await guess.json())).toEqual({ smsCode: 'auth.sms_code_invalid' });
    expect((await reset(env, { phone, smsCode: code }, { ip: '198.51.100.90' })).status).toBe(200);
  });
});
