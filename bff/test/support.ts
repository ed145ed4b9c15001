import { createSession } from '../src/platform/sessions.ts';
import { generateHOTP } from '@oslojs/otp';
import { randomBytes } from 'node:crypto';
import { inject, afterAll } from 'vitest';
import postgres from 'postgres';
import { databaseUrlFor } from 'db';
import { createApp } from '../src/app.ts';
import { createSql, type Sql } from '../src/db.ts';
import { loadConfig } from '../src/env.ts';
import type { Deps } from '../src/core/context.ts';
import { createLogger } from '../src/platform/log.ts';
import { devProviders } from '../src/platform/outbox.ts';
import { manualClock, type ManualClock } from '../src/platform/calendar.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely
export type TestResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export type TestEnv = {
  sql: Sql;
  url: string;
  deps: Deps;
  clock: ManualClock;
  app: ReturnType<typeof createApp>;
  /** Sends a request through the whole app; `cookie` is sent as is. */
  call: (method: string, path: string, opts?: { body?: unknown; cookie?: string; headers?: Record<string, string>; raw?: string }) => Promise<TestResponse>;
};

/** A fresh database cloned from the migrated, seeded template, and an app on it. */
export async function testEnv(opts: { start?: string; config?: Record<string, string> } = {}): Promise<TestEnv> {
  const server = inject('pgServerUrl');
  const template = inject('pgTemplate');
  const name = `jg_t${inject('pgTemplate').slice(7)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(databaseUrlFor(server, 'postgres'), { max: 1, onnotice: () => {} });
  try {
    // CREATE DATABASE … TEMPLATE needs the template unused; retry briefly if another file is cloning it.
    for (let i = 0; ; i++) {
      try {
        await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (e) {
        if (i > 50) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(server, name);
  const sql = createSql(url, { max: 10 });
  const clock = manualClock(opts.start ?? '2026-11-25T02:00:00Z');
  // One trusted hop: tests send the client's address as X-Forwarded-For, as web's server does (ADR-023).
  const config = loadConfig({ DATABASE_URL: url, NODE_ENV: 'test', LOG_LEVEL: 'silent', ALLOW_TEST_CLOCK: 'false', TRUSTED_PROXY_HOPS: '1', ...opts.config });
  const deps: Deps = { sql, config, log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), clock, providers: devProviders() };
  const app = createApp(deps);
  afterAll(async () => {
    await sql.end({ timeout: 1 });
    // Each file drops its own database: a long-lived runner (StrykerJS runs the files again for every
    // mutant, in one process) or a killed run would otherwise leave one database per file behind —
    // thousands in a mutation run; global-setup's teardown sweeps up whatever is left.
    const dropper = postgres(databaseUrlFor(server, 'postgres'), { max: 1, onnotice: () => {} });
    try {
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } catch {
      // best effort: the teardown sweep drops it
    } finally {
      await dropper.end();
    }
  });
  const call: TestEnv['call'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { 'x-forwarded-for': '203.0.113.7', ...o.headers };
    if (o.cookie) headers.cookie = o.cookie;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    return Promise.resolve(app.request(path, { method, headers, body })) as Promise<TestResponse>;
  };
  return { sql, url, deps, clock, app, call };
}

/** `name=value` pairs of the Set-Cookie headers, ready to send back. */
export function cookiesOf(res: TestResponse): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');
}

/** The last SMS code the dev adapter would deliver to a phone. */
export async function lastSmsCode(sql: Sql, phone: string): Promise<string> {
  const [row] = await sql<{ payload: { code: string } }[]>`
    SELECT payload FROM outbox_message WHERE channel = 'sms' AND recipient = ${phone} AND template = 'auth.sms_code' ORDER BY created_at DESC, id DESC LIMIT 1`;
  if (!row) throw new Error(`no SMS code for ${phone}`);
  return row.payload.code;
}

/**
 * The app on a pool of its own with `max` connections (ended after the file),
 * so that concurrent requests in a race test really run side by side in the
 * database: row locks, unique indexes and CHECKs decide, not the pool queue.
 */
export function concurrentApp(env: TestEnv, max = 40) {
  const sql = createSql(env.url, { max });
  afterAll(async () => {
    await sql.end({ timeout: 1 });
  });
  return { sql, app: createApp({ ...env.deps, sql }) };
}

/** A problem's `errors`, as field → code (what a form puts at each field). */
export const fieldsOf = (p: { errors?: { field: string; code: string }[] }): Record<string, string> =>
  Object.fromEntries((p.errors ?? []).map((e) => [e.field, e.code]));
/** A problem's `errors`, as field → the message shown there. */
export const fieldMessagesOf = (p: { errors?: { field: string; detail: string }[] }): Record<string, string> =>
  Object.fromEntries((p.errors ?? []).map((e) => [e.field, e.detail]));

/** The demo staff password (db/seed/README.md). */
export const STAFF_PASSWORD = 'Staff#2026pass';

/**
 * The current TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) of a staff member's
 * enabled key, for a step the member has not used yet. The server accepts one
 * step either side of its clock and never the same step twice; a test that
 * signs the same member in more often than its manual clock moves finds all
 * three used — then the fixture moves the member's last used step back, as if
 * those sign-ins were a minute earlier (replay itself is tested in
 * modules/auth/auth.test.ts and totp.test.ts).
 */
export async function staffTotp(env: TestEnv, username: string): Promise<string> {
  const [m] = await env.sql<{ id: string; totp_key: Buffer | null; totp_last_step: string | null }[]>`
    SELECT id, totp_key, totp_last_step FROM staff_member WHERE username = ${username} AND totp_enabled`;
  if (!m?.totp_key) throw new Error(`${username} has no second factor`);
  const now = Math.floor(env.clock.now().getTime() / 30_000);
  const last = m.totp_last_step === null ? -Infinity : Number(m.totp_last_step);
  // the server refuses the last used step and the two before it (modules/auth/repo.ts useTotpStep)
  let step = [now - 1, now, now + 1].find((s) => s > last || s < last - 2);
  if (step === undefined) {
    await env.sql`UPDATE staff_member SET totp_last_step = ${now - 2} WHERE id = ${m.id}`;
    step = now - 1;
  }
  return generateHOTP(new Uint8Array(m.totp_key), BigInt(step), 6);
}

/** Signs a staff member in through the API, password and second factor, and answers the session cookie. */
export async function staffSignIn(env: TestEnv, username: string): Promise<string> {
  const res = await env.call('POST', '/admin-api/auth/sign-in', { body: { username, password: STAFF_PASSWORD, totp: await staffTotp(env, username) } });
  if (res.status !== 200) throw new Error(`staff sign-in of ${username}: ${res.status} ${await res.text()}`);
  return cookiesOf(res);
}

/** A staff session at the test clock's now, without the argon2 round trip (staff sessions idle out after 30 minutes, and tests move the clock). */
export async function staffSessionCookie(env: TestEnv, username: string): Promise<string> {
  const [m] = await env.sql<{ id: string }[]>`SELECT id FROM staff_member WHERE username = ${username}`;
  const { token } = await createSession(env.sql, 'staff', m!.id, env.clock.now(), { ip: '203.0.113.7', userAgent: 'vitest' });
  return `jg_staff_session=${token}`;
}

/** A citizen's session at the test clock's now. */
export async function userSessionCookie(env: TestEnv, userId: string): Promise<string> {
  const { token } = await createSession(env.sql, 'user', userId, env.clock.now(), { ip: '203.0.113.7', userAgent: 'vitest' });
  return `jg_session=${token}`;
}
