import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { testEnv, cookiesOf, staffSessionCookie, staffSignIn, staffTotp, STAFF_PASSWORD, type TestEnv } from '../../../test/support.ts';
import { concretePath, registeredRoutes } from '../../../test/routes.ts';

/**
 * Issue 17, "Second factor and sign-in": every staff member on two factors
 * (GB/T 22239 level 3, OWASP ASVS 5.0 V6). Each `it` is named after the item
 * it proves; README.md's security table points here.
 */

const stepOf = (at: Date) => Math.floor(at.getTime() / 30_000);
const codeAt = (key: Uint8Array, step: number) => generateHOTP(key, BigInt(step), 6);
const wrongCode = (right: string) => (right === '000000' ? '111111' : '000000');

async function keyOf(env: TestEnv, username: string, column: 'totp_key' | 'totp_pending_key' = 'totp_key'): Promise<Uint8Array> {
  const [row] = await env.sql<{ key: Buffer | null }[]>`SELECT ${env.sql(column)} AS key FROM staff_member WHERE username = ${username}`;
  if (!row?.key) throw new Error(`${username} has no ${column}`);
  return new Uint8Array(row.key);
}

/** A staff account as a system administrator would create it: a password, no second factor yet. */
async function newcomer(env: TestEnv, username: string, roles = '{intake}'): Promise<string> {
  const [m] = await env.sql<{ id: string }[]>`
    INSERT INTO staff_member (username, display_name, password_hash, roles, authority_id)
    SELECT ${username}, '深圳受理员 新人', password_hash, ${roles}, '440300' FROM staff_member WHERE username = 'sz.intake'
    RETURNING id`;
  return m!.id;
}

const signIn = (env: TestEnv, username: string, totp?: string, ip?: string) =>
  env.call('POST', '/admin-api/auth/sign-in', { body: { username, password: STAFF_PASSWORD, ...(totp ? { totp } : {}) }, ...(ip ? { headers: { 'x-forwarded-for': ip } } : {}) });

describe('issue 17 · replacing or turning off TOTP needs the current password and a current code; enrolment is two steps', async () => {
  const env = await testEnv();

  it('issue 17 · POST /admin-api/auth/totp/setup with an empty body no longer turns an enrolled TOTP off: it asks for the current password and a current code', async () => {
    const admin = await staffSignIn(env, 'admin');
    const empty = await env.call('POST', '/admin-api/auth/totp/setup', { cookie: admin, body: {} });
    expect(empty.status).toBe(422);
    expect((await empty.json()).code).toBe('auth.totp_reauth_required');
    const noBody = await env.call('POST', '/admin-api/auth/totp/setup', { cookie: admin });
    expect(noBody.status).toBeGreaterThanOrEqual(400);
    const [row] = await env.sql<{ totp_enabled: boolean; totp_pending_key: Buffer | null }[]>`SELECT totp_enabled, totp_pending_key FROM staff_member WHERE username = 'admin'`;
    expect(row).toEqual({ totp_enabled: true, totp_pending_key: null });
    // the password alone is not enough either, nor a wrong code
    env.clock.advance(60_000);
    const passwordOnly = await env.call('POST', '/admin-api/auth/totp/setup', { cookie: admin, body: { password: STAFF_PASSWORD } });
    expect((await passwordOnly.json()).code).toBe('auth.totp_reauth_required');
    const right = await staffTotp(env, 'admin');
    const wrong = await env.call('POST', '/admin-api/auth/totp/setup', { cookie: admin, body: { password: STAFF_PASSWORD, code: wrongCode(right) } });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).code).toBe('auth.reauth_invalid');
    const wrongPassword = await env.call('POST', '/admin-api/auth/totp/setup', { cookie: admin, body: { password: 'Not#the-password1', code: right } });
    expect((await wrongPassword.json()).code).toBe('auth.reauth_invalid');
    // sign-in still needs the admin's code
    env.clock.advance(60_000);
    expect((await (await signIn(env, 'admin')).json()).code).toBe('auth.totp_required');
  });

  it('issue 17 · enrolment is two steps: start shows the secret and the otpauth URI; the old key keeps working until a code from the new one confirms it', async () => {
    env.clock.advance(120_000);
    const cookie = await staffSignIn(env, 'sz.review');
    const oldKey = await keyOf(env, 'sz.review');
    const start = await env.call('POST', '/admin-api/auth/totp/setup', { cookie, body: { password: STAFF_PASSWORD, code: await staffTotp(env, 'sz.review') } });
    expect(start.status).toBe(200);
    const { secretBase32, otpauthUri, qrDataUrl } = await start.json();
    expect(secretBase32).toMatch(/^[A-Z2-7]{32}$/);
    // and the same link as a QR code for the authenticator app to scan
    expect(Buffer.from(qrDataUrl.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString()).toMatch(/^<svg[^>]*>.*<path/s);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(otpauthUri).toContain(`secret=${secretBase32}`);
    const newKey = decodeBase32IgnorePadding(secretBase32);
    expect(await keyOf(env, 'sz.review', 'totp_pending_key')).toEqual(newKey);
    // not confirmed yet: sign-in takes the old key, not the new one
    env.clock.advance(60_000);
    const step = stepOf(env.clock.now());
    expect((await signIn(env, 'sz.review', codeAt(newKey, step), '198.51.100.40')).status).toBe(401);
    const other = await signIn(env, 'sz.review', codeAt(oldKey, step));
    expect(other.status).toBe(200);
    // confirmed with a code of the new key: the new key signs in, the old one no longer; other sessions end
    env.clock.advance(60_000);
    const confirm = await env.call('POST', '/admin-api/auth/totp/confirm', { cookie, body: { code: codeAt(newKey, stepOf(env.clock.now())) } });
    expect(confirm.status).toBe(204);
    expect((await env.call('GET', '/admin-api/auth/me', { cookie })).status).toBe(200);
    expect((await env.call('GET', '/admin-api/auth/me', { cookie: cookiesOf(other) })).status).toBe(401);
    env.clock.advance(60_000);
    expect((await signIn(env, 'sz.review', codeAt(oldKey, stepOf(env.clock.now())), '198.51.100.41')).status).toBe(401);
    expect((await signIn(env, 'sz.review', codeAt(newKey, stepOf(env.clock.now())))).status).toBe(200);
    const [audit] = await env.sql`SELECT action FROM audit_log WHERE action = 'auth.totp_replaced' AND entity_id = (SELECT id::text FROM staff_member WHERE username = 'sz.review')`;
    expect(audit).toBeDefined();
  });
});

describe('issue 17 · wrong TOTP codes count toward the account lockout like wrong passwords', async () => {
  const env = await testEnv();

  it('issue 17 · five wrong TOTP codes lock the account for 15 minutes, even for the right password and code, then it signs in again', async () => {
    const right = await staffTotp(env, 'sz.archive');
    for (let i = 0; i < 5; i++) {
      const r = await signIn(env, 'sz.archive', wrongCode(right), `192.0.2.${10 + i}`);
      expect(r.status).toBe(401);
      expect((await r.json()).code).toBe('auth.totp_invalid');
    }
    const locked = await signIn(env, 'sz.archive', right, '192.0.2.30');
    expect(locked.status).toBe(429);
    expect((await locked.json()).code).toBe('auth.throttled');
    env.clock.advance(16 * 60_000);
    expect((await signIn(env, 'sz.archive', await staffTotp(env, 'sz.archive'), '192.0.2.30')).status).toBe(200);
    const failures = await env.sql`SELECT 1 FROM audit_log WHERE action = 'auth.sign_in_failed' AND after->>'factor' = 'totp'`;
    expect(failures.length).toBe(5);
  });

  it('issue 17 · a replayed code and wrong codes when replacing or confirming the factor count too; the IP is counted with the same threshold as sign-in', async () => {
    const cookie = await staffSignIn(env, 'gz.intake');
    const used = await staffTotp(env, 'gz.intake');
    // replace: a wrong current code, twice
    for (let i = 0; i < 2; i++) {
      const r = await env.call('POST', '/admin-api/auth/totp/setup', { cookie, body: { password: STAFF_PASSWORD, code: wrongCode(used) } });
      expect((await r.json()).code).toBe('auth.reauth_invalid');
    }
    // start with the right factors, then two wrong confirmations
    const start = await env.call('POST', '/admin-api/auth/totp/setup', { cookie, body: { password: STAFF_PASSWORD, code: await staffTotp(env, 'gz.intake') } });
    expect(start.status).toBe(200);
    const newKey = decodeBase32IgnorePadding((await start.json()).secretBase32);
    const rightNew = codeAt(newKey, stepOf(env.clock.now()));
    for (let i = 0; i < 2; i++) {
      const r = await env.call('POST', '/admin-api/auth/totp/confirm', { cookie, body: { code: wrongCode(rightNew) } });
      expect((await r.json()).code).toBe('auth.totp_invalid');
    }
    // the fifth: a replayed sign-in code (the step was used by the start above)
    const replay = await env.call('POST', '/admin-api/auth/sign-in', { body: { username: 'gz.intake', password: STAFF_PASSWORD, totp: codeAt(await keyOf(env, 'gz.intake'), stepOf(env.clock.now()) - 1) } });
    expect(replay.status).toBe(401);
    const locked = await env.call('POST', '/admin-api/auth/totp/confirm', { cookie, body: { code: rightNew } });
    expect(locked.status).toBe(429);
    // the IP's bucket counted them too (30 lock it, as at sign-in)
    const [bucket] = await env.sql<{ failures: number }[]>`SELECT max(failures)::int AS failures FROM sign_in_throttle WHERE bucket LIKE 'ip:%'`;
    expect(bucket!.failures).toBeGreaterThanOrEqual(5);
  });
});

describe('issue 17 · a TOTP code is used once', async () => {
  const env = await testEnv();

  it('issue 17 · after a code of step S, the codes of S and the steps before it in the window are refused; after the clock is set back the member signs in again', async () => {
    const key = await keyOf(env, 'station.futian');
    const now = stepOf(env.clock.now());
    expect((await signIn(env, 'station.futian', codeAt(key, now + 1))).status).toBe(200);
    for (const step of [now + 1, now, now - 1]) {
      const r = await signIn(env, 'station.futian', codeAt(key, step), `198.51.100.${60 + now + 1 - step}`);
      expect(r.status, `step ${step - now}`).toBe(401);
      expect((await r.json()).code).toBe('auth.totp_invalid');
    }
    env.clock.advance(-3600_000);
    expect((await signIn(env, 'station.futian', codeAt(key, stepOf(env.clock.now())))).status).toBe(200);
  });
});

describe('issue 17 · every staff account enrols TOTP at first sign-in (GB/T 22239 level 3)', async () => {
  const env = await testEnv();
  const ENROLMENT_ROUTES = new Set(['GET /admin-api/auth/me', 'POST /admin-api/auth/sign-out', 'POST /admin-api/auth/totp/setup', 'POST /admin-api/auth/totp/confirm']);

  it('issue 17 · a staff member without TOTP who signs in with the right password gets only an enrolment session: every other /admin-api route answers 403 auth.totp_enrolment_required', async () => {
    await newcomer(env, 'sz.newcomer');
    const res = await signIn(env, 'sz.newcomer');
    expect(res.status).toBe(200);
    expect((await res.json()).staff).toMatchObject({ username: 'sz.newcomer', totpEnabled: false, totpEnrolmentRequired: true });
    const cookie = cookiesOf(res);
    const me = await env.call('GET', '/admin-api/auth/me', { cookie });
    expect(me.status).toBe(200);
    expect((await me.json()).staff.totpEnrolmentRequired).toBe(true);
    const refused: string[] = [];
    const routes = registeredRoutes(env).filter((r) => r.path.startsWith('/admin-api/') && r.path !== '/admin-api/auth/sign-in');
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes.filter((x) => !ENROLMENT_ROUTES.has(`${x.method} ${x.path}`))) {
      const path = concretePath(r.path, '00000000-0000-4000-8000-00000000dead');
      const answer = await env.call(r.method, path, { cookie, ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} }) });
      const code = answer.headers.get('content-type')?.includes('json') ? (await answer.json()).code : null;
      if (answer.status !== 403 || code !== 'auth.totp_enrolment_required') refused.push(`${r.method} ${r.path} → ${answer.status} ${code}`);
    }
    expect(refused).toEqual([]);
    // the enrolment itself is open to it
    const start = await env.call('POST', '/admin-api/auth/totp/setup', { cookie, body: {} });
    expect(start.status).toBe(200);
  });

  it('issue 17 · once enrolled, the session opens the console and sign-in needs the code', async () => {
    await newcomer(env, 'sz.newcomer2');
    const cookie = cookiesOf(await signIn(env, 'sz.newcomer2'));
    const start = await env.call('POST', '/admin-api/auth/totp/setup', { cookie, body: {} });
    const key = decodeBase32IgnorePadding((await start.json()).secretBase32);
    expect((await env.call('GET', '/admin-api/audit-log', { cookie })).status).toBe(403);
    expect((await env.call('POST', '/admin-api/auth/totp/confirm', { cookie, body: { code: codeAt(key, stepOf(env.clock.now())) } })).status).toBe(204);
    expect((await env.call('GET', '/admin-api/account-applications', { cookie })).status).toBe(200);
    env.clock.advance(60_000);
    const again = await signIn(env, 'sz.newcomer2');
    expect(again.status).toBe(401);
    expect((await again.json()).code).toBe('auth.totp_required');
    expect((await signIn(env, 'sz.newcomer2', codeAt(key, stepOf(env.clock.now())))).status).toBe(200);
  });

  it('issue 17 · the system administrator lists staff accounts with their posts, city and 2FA state; no other post may', async () => {
    const admin = await staffSignIn(env, 'admin');
    const list = await env.call('GET', `/admin-api/staff-accounts?${new URLSearchParams({ sort: JSON.stringify(['username', 'ASC']), range: '[0,99]' })}`, { cookie: admin });
    expect(list.status).toBe(200);
    const rows = (await list.json()) as { username: string; roles: string[]; authorityId: string; authorityName: string; totpState: string }[];
    expect(rows.find((r) => r.username === 'gz.intake')).toMatchObject({ roles: ['intake'], authorityId: '440100', authorityName: expect.stringContaining('广州'), totpState: 'enabled' });
    expect(rows.find((r) => r.username === 'station.futian')).toMatchObject({ roles: ['station_operator'], totpState: 'enabled' });
    expect(rows.find((r) => r.username === 'sz.newcomer')).toMatchObject({ totpState: 'pending' });
    expect(JSON.stringify(rows)).not.toMatch(/totp_key|secret|password/i);
    const notEnrolled = await env.call('GET', `/admin-api/staff-accounts?${new URLSearchParams({ filter: JSON.stringify({ totpState: 'not_enrolled' }) })}`, { cookie: admin });
    expect(((await notEnrolled.json()) as { username: string }[]).map((r) => r.username)).toEqual(['sz.newcomer']);
    for (const username of ['sz.intake', 'sz.review', 'dealer.pengcheng']) {
      const r = await env.call('GET', '/admin-api/staff-accounts', { cookie: await staffSessionCookie(env, username) });
      expect(r.status, username).toBe(403);
    }
  });

  it("issue 17 · the system administrator resets a member's TOTP with a reason, audited; the member's sessions end and the member enrols again at the next sign-in", async () => {
    const admin = await staffSignIn(env, 'admin');
    const member = await staffSignIn(env, 'sz.intake');
    const [m] = await env.sql<{ id: string }[]>`SELECT id FROM staff_member WHERE username = 'sz.intake'`;
    const noReason = await env.call('POST', `/admin-api/staff-accounts/${m!.id}/reset-totp`, { cookie: admin, body: {} });
    expect(noReason.status).toBe(400);
    const byReviewer = await env.call('POST', `/admin-api/staff-accounts/${m!.id}/reset-totp`, { cookie: await staffSessionCookie(env, 'sz.review'), body: { reason: '手机遗失' } });
    expect(byReviewer.status).toBe(403);
    const own = await env.call('POST', `/admin-api/staff-accounts/${(await env.sql<{ id: string }[]>`SELECT id FROM staff_member WHERE username = 'admin'`)[0]!.id}/reset-totp`, { cookie: admin, body: { reason: '手机遗失' } });
    expect((await own.json()).code).toBe('auth.totp_reset_own');
    const reset = await env.call('POST', `/admin-api/staff-accounts/${m!.id}/reset-totp`, { cookie: admin, body: { reason: '手机遗失，本人申请重置' } });
    expect(reset.status).toBe(200);
    expect((await reset.json()).totpState).toBe('not_enrolled');
    const [audit] = await env.sql<{ actor_label: string; authority_id: string; after: { reason: string; totpEnabled: boolean } }[]>`
      SELECT actor_label, authority_id, after FROM audit_log WHERE action = 'auth.totp_reset' AND entity_id = ${m!.id}`;
    expect(audit).toMatchObject({ actor_label: '系统管理员(admin)', authority_id: '440300', after: { reason: '手机遗失，本人申请重置', totpEnabled: false } });
    // the member's session ended; the password now opens only the enrolment
    expect((await env.call('GET', '/admin-api/auth/me', { cookie: member })).status).toBe(401);
    const again = await signIn(env, 'sz.intake');
    expect(again.status).toBe(200);
    expect((await again.json()).staff.totpEnrolmentRequired).toBe(true);
    const r = await env.call('GET', '/admin-api/account-applications', { cookie: cookiesOf(again) });
    expect(r.status).toBe(403);
    expect((await r.json()).code).toBe('auth.totp_enrolment_required');
  });
});

describe('issue 17 · demo staff accounts come with documented TOTP keys', async () => {
  const env = await testEnv();
  const root = new URL('../../../../', import.meta.url);
  const seedReadme = readFileSync(new URL('db/seed/README.md', root), 'utf8');
  const readme = readFileSync(new URL('README.md', root), 'utf8');

  /** The base32 key written on the same table row as the username, in a Markdown file. */
  const documentedKey = (markdown: string, username: string): string | undefined => {
    const row = markdown.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${username}\``));
    return row && /`([A-Z2-7]{32})`/.exec(row)?.[1];
  };

  it('issue 17 · every demo staff account has TOTP on with its own key, the one db/seed/README.md and the README demo table document, and signs in with it', async () => {
    const staff = await env.sql<{ username: string; totp_enabled: boolean; totp_key: Buffer | null }[]>`SELECT username, totp_enabled, totp_key FROM staff_member ORDER BY username`;
    expect(staff.length).toBeGreaterThanOrEqual(8);
    const keys = new Set<string>();
    for (const s of staff) {
      expect(s.totp_enabled, s.username).toBe(true);
      const seeded = Buffer.from(s.totp_key!).toString('hex');
      keys.add(seeded);
      for (const [file, md] of [['db/seed/README.md', seedReadme], ['README.md', readme]] as const) {
        const documented = documentedKey(md, s.username);
        expect(documented, `${s.username} in ${file}`).toBeDefined();
        expect(Buffer.from(decodeBase32IgnorePadding(documented!)).toString('hex'), `${s.username}'s key in ${file}`).toBe(seeded);
      }
      const code = codeAt(decodeBase32IgnorePadding(documentedKey(seedReadme, s.username)!), stepOf(env.clock.now()));
      expect((await signIn(env, s.username, code)).status, s.username).toBe(200);
    }
    expect(keys.size).toBe(staff.length);
  });
});
