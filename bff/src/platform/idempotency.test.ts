import { createHash, randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { generateHOTP } from '@oslojs/otp';
import { keyedByArray, nodesOf, plansOf } from '../../test/query-plans.ts';
import { testEnv, cookiesOf, lastSmsCode, type TestEnv } from '../../test/support.ts';
import { createApp } from '../app.ts';
import { createSql } from '../db.ts';
import { claimKeys, finishKeys } from './idempotency.ts';

const RFC6238_KEY = new TextEncoder().encode('12345678901234567890');
const totpAt = (at: Date) => generateHOTP(RFC6238_KEY, BigInt(Math.floor(at.getTime() / 30_000)), 6);

async function adminCookie(env: TestEnv): Promise<string> {
  const r = await env.call('POST', '/admin-api/auth/sign-in', { body: { username: 'admin', password: 'Staff#2026pass', totp: totpAt(env.clock.now()) } });
  expect(r.status).toBe(200);
  return cookiesOf(r);
}

describe('Idempotency-Key (Stripe model) on POST /admin-api/calendar-days', async () => {
  const env = await testEnv();
  const cookie = await adminCookie(env);
  const post = (body: unknown, key?: string) =>
    env.call('POST', '/admin-api/calendar-days', { body, cookie, headers: key === undefined ? {} : { 'idempotency-key': key } });
  const effects = async (day: string) =>
    (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'calendar.day_set' AND entity_id = ${day}`)[0]!.n;

  it('without a key every retry is a new effect (the baseline the key protects against)', async () => {
    const body = { day: '2027-03-01', kind: 'holiday', note: 'no key' };
    expect((await post(body)).status).toBe(201);
    expect((await post(body)).status).toBe(201);
    expect(await effects('2027-03-01')).toBe(2);
  });

  it('the same key and body replayed 5 times in sequence: one effect, byte-identical answers marked idempotent-replayed', async () => {
    const body = { day: '2027-03-02', kind: 'holiday', note: '补假' };
    const first = await post(body, 'seq-5c1f0e7a-2b8e-4c9a');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstText = await first.text();
    expect(JSON.parse(firstText)).toMatchObject({ id: '2027-03-02', kind: 'holiday', note: '补假' });
    env.clock.advance(1000); // a replay answers what the first request answered, not the present
    for (let i = 0; i < 5; i++) {
      const again = await post(body, 'seq-5c1f0e7a-2b8e-4c9a');
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
      expect(again.headers.get('x-request-id')).toBeTruthy();
      expect(await again.text()).toBe(firstText);
    }
    expect(await effects('2027-03-02')).toBe(1);
    expect(await env.sql`SELECT 1 FROM calendar_override WHERE day = '2027-03-02'`).toHaveLength(1);
  });

  it('the same key sent 5 times concurrently: exactly one effect; the others replay it or answer 409 idempotency.in_progress', async () => {
    const body = { day: '2027-03-03', kind: 'workday', note: 'concurrent' };
    const key = 'concurrent-1b7e9d44';
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(body, key)));
    const texts = await Promise.all(answers.map((a) => a.text()));
    const original = answers.map((a, i) => ({ a, text: texts[i]! })).filter(({ a }) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
    expect(original).toHaveLength(1);
    for (const [i, a] of answers.entries()) {
      if (a === original[0]!.a) continue;
      if (a.status === 201) {
        expect(a.headers.get('idempotent-replayed')).toBe('true');
        expect(texts[i]).toBe(original[0]!.text);
      } else {
        expect(a.status).toBe(409);
        expect(a.headers.get('content-type')).toContain('application/problem+json');
        expect(JSON.parse(texts[i]!).code).toBe('idempotency.in_progress');
      }
    }
    expect(await effects('2027-03-03')).toBe(1);
    // Once settled, a retry replays.
    const late = await post(body, key);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(await late.text()).toBe(original[0]!.text);
    expect(await effects('2027-03-03')).toBe(1);
  });

  it('a duplicate while the first request is still running answers 409 idempotency.in_progress; after it ends, the replay', async () => {
    const day = '2027-03-10';
    expect((await post({ day, kind: 'holiday', note: 'setup' })).status).toBe(201);
    const body = { day, kind: 'workday', note: 'held' };
    const key = 'held-3e3e';
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // Another transaction holds the day's row, so the first request stops inside its handler.
    const holder = env.sql.begin(async (tx) => {
      await tx`SELECT 1 FROM calendar_override WHERE day = ${day} FOR UPDATE`;
      locked();
      await released;
    });
    await isLocked;
    const first = post(body, key);
    for (let i = 0; i < 200; i++) {
      const [row] = await env.sql<{ status: string }[]>`SELECT status FROM idempotency_key WHERE key = ${key}`;
      const waiting = await env.sql`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`;
      if (row?.status === 'in_progress' && waiting.length > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const duplicate = await post(body, key);
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).code).toBe('idempotency.in_progress');
    release();
    await holder;
    const done = await first;
    expect(done.status).toBe(201);
    const text = await done.text();
    const replay = await post(body, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).toBe(text);
    expect(await effects(day)).toBe(2); // the setup and the one keyed request
  });

  it('a key left in progress by a process that died is taken over once its lock lapses (60 s)', async () => {
    const body = { day: '2027-03-11', kind: 'holiday', note: 'abandoned' };
    const key = 'abandoned-0a0a';
    const [admin] = await env.sql<{ id: string }[]>`SELECT id FROM staff_member WHERE username = 'admin'`;
    const hash = createHash('sha256').update(`POST\n/admin-api/calendar-days\n${JSON.stringify(body)}`).digest('hex');
    const now = env.clock.now();
    await env.sql`INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, created_at, locked_until)
                  VALUES (${'staff:' + admin!.id}, ${key}, 'POST', '/admin-api/calendar-days', ${hash}, 'in_progress', ${now}, ${new Date(now.getTime() + 60_000)})`;
    const early = await post(body, key);
    expect(early.status).toBe(409);
    expect(await effects('2027-03-11')).toBe(0);
    env.clock.advance(61_000);
    const late = await post(body, key);
    expect(late.status).toBe(201);
    expect(late.headers.get('idempotent-replayed')).toBeNull();
    expect(await effects('2027-03-11')).toBe(1);
    expect((await post(body, key)).headers.get('idempotent-replayed')).toBe('true');
    expect(await effects('2027-03-11')).toBe(1);
  });

  it('the same key with another body answers 422 idempotency.key_reused and has no effect', async () => {
    const key = 'reused-7a8b9c';
    expect((await post({ day: '2027-03-04', kind: 'holiday', note: 'a' }, key)).status).toBe(201);
    const other = await post({ day: '2027-03-05', kind: 'holiday', note: 'a' }, key);
    expect(other.status).toBe(422);
    const p = await other.json();
    expect(p.code).toBe('idempotency.key_reused');
    expect(p.requestId).toBe(other.headers.get('x-request-id'));
    expect(await effects('2027-03-05')).toBe(0);
    expect(await env.sql`SELECT 1 FROM calendar_override WHERE day = '2027-03-05'`).toHaveLength(0);
    // The same key on another route is another request too.
    const elsewhere = await env.call('DELETE', '/admin-api/calendar-days/2027-03-04', { cookie, headers: { 'idempotency-key': key } });
    expect(elsewhere.status).toBe(422);
    expect(await env.sql`SELECT 1 FROM calendar_override WHERE day = '2027-03-04'`).toHaveLength(1);
  });

  it('non-negotiable 4: a malformed JSON body with a key answers 400 request.malformed (never 500), and its replay the same', async () => {
    for (const [i, raw] of ['{"day": "2027-03-08", ', '{not json', '[1,'].entries()) {
      for (let n = 0; n < 2; n++) {
        const r = await env.call('POST', '/admin-api/calendar-days', { raw, cookie, headers: { 'content-type': 'application/json', 'idempotency-key': `malformed-${i}` } });
        expect(r.status).toBe(400);
        expect((await r.json()).code).toBe('request.malformed');
      }
    }
    expect(await effects('2027-03-08')).toBe(0);
  });

  it('the key covers the bytes sent: the same JSON with other spacing is another request (422)', async () => {
    const key = 'bytes-6d2c4b';
    const sent = (raw: string) => env.call('POST', '/admin-api/calendar-days', { raw, cookie, headers: { 'content-type': 'application/json', 'idempotency-key': key } });
    expect((await sent('{"day":"2027-03-09","kind":"holiday","note":"x"}')).status).toBe(201);
    expect((await sent('{"day":"2027-03-09","kind":"holiday","note":"x"}')).headers.get('idempotent-replayed')).toBe('true');
    expect((await sent('{"day":"2027-03-09", "kind":"holiday","note":"x"}')).status).toBe(422);
    expect(await effects('2027-03-09')).toBe(1);
  });

  it('an invalid key (too long, spaces, non-ASCII, control characters, empty) answers 400 idempotency.key_invalid and changes nothing', async () => {
    const body = { day: '2027-03-08', kind: 'holiday', note: 'bad key' };
    for (const key of ['k'.repeat(300), 'has spaces in it', 'clé-1', 'tab\there', '']) {
      const r = await post(body, key);
      expect(r.status, JSON.stringify(key.slice(0, 20))).toBe(400);
      const p = await r.json();
      expect(p.code).toBe('idempotency.key_invalid');
    }
    // 200 printable ASCII characters is the documented maximum.
    expect((await post(body, 'k'.repeat(200))).status).toBe(201);
    expect(await effects('2027-03-08')).toBe(1);
  });

  it('a refused request is stored as well: its replay answers the same problem without running again', async () => {
    const key = 'refused-4d2c';
    const bad = { day: '2027-02-30', kind: 'holiday', note: 'no such day' };
    const first = await post(bad, key);
    expect(first.status).toBe(400);
    const text = await first.text();
    const again = await post(bad, key);
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(text);
  });

  it('keys are scoped to the caller: anonymous callers cannot replay the admin answer', async () => {
    // A key a signed-out caller may send at all: a random UUID (ADR-023).
    const key = randomUUID();
    const body = { day: '2027-03-09', kind: 'holiday', note: 'scoped' };
    expect((await post(body, key)).status).toBe(201);
    const anon = await env.call('POST', '/admin-api/calendar-days', { body, headers: { 'idempotency-key': key } });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('idempotent-replayed')).toBeNull();
  });

  it('with group commit, keyed requests that arrive together share their claim and answer statements; a key twice in one batch still has one effect (ADR-040)', async () => {
    const statements: string[] = [];
    const counted = createSql(env.url, { max: 4, debug: (_c, q) => !/pg_catalog\.pg_type/.test(q) && statements.push(q) });
    const app = createApp({ ...env.deps, sql: counted, reads: counted });
    const send = (day: string, key: string) =>
      app.request('/admin-api/calendar-days', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'idempotency-key': key, origin: env.deps.config.PUBLIC_ADMIN_URL ?? 'http://localhost' },
        body: JSON.stringify({ day, kind: 'holiday', note: 'batched keys' }),
      });
    const days = Array.from({ length: 12 }, (_, i) => `2027-04-${String(i + 1).padStart(2, '0')}`);
    statements.length = 0;
    // twelve keys, and the first key sent a second time in the same instant
    const answers = await Promise.all([...days.map((d, i) => send(d, `batch-key-${i}`)), send(days[0]!, 'batch-key-0')]);
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(1, 12)).toEqual(Array(11).fill(201));
    // the two with the first key: whichever arrived first ran, the other is a concurrent duplicate (409) or its replay
    const pair = [answers[0]!, answers[12]!];
    expect(pair.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(pair.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    for (const d of days) expect(await effects(d)).toBe(1);
    const claims = statements.filter((q) => q.includes('INSERT INTO idempotency_key') && q.includes('jsonb_to_recordset'));
    const finishes = statements.filter((q) => q.includes('UPDATE idempotency_key k SET status'));
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.length).toBeLessThan(13);
    expect(finishes.length).toBeGreaterThan(0);
    expect(finishes.length).toBeLessThan(12);
    const stored = await env.sql<{ status: string; response_status: number }[]>`SELECT status, response_status FROM idempotency_key WHERE key LIKE 'batch-key-%'`;
    expect(stored).toHaveLength(12);
    expect(stored.every((k) => k.status === 'done' && k.response_status === 201)).toBe(true);
    await counted.end({ timeout: 1 });
  });
});

describe('Idempotency-Key on POST /api/v1/auth/sign-up (anonymous caller)', async () => {
  const env = await testEnv();
  const LI_NA = { name: '李娜', idNumber: '440303198811057101', phone: '13900139000', password: 'Lina#2026pass' };

  it('the first answer keeps its session cookie; replays give the same body and create no second account', async () => {
    expect((await env.call('POST', '/api/v1/auth/sms-codes', { body: { phone: LI_NA.phone, purpose: 'sign_up' } })).status).toBe(202);
    const body = { ...LI_NA, smsCode: await lastSmsCode(env.sql, LI_NA.phone) };
    const key = randomUUID();
    const first = await env.call('POST', '/api/v1/auth/sign-up', { body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(first.headers.getSetCookie().some((c) => c.startsWith('jg_session='))).toBe(true);
    const text = await first.text();
    for (let i = 0; i < 3; i++) {
      const again = await env.call('POST', '/api/v1/auth/sign-up', { body, headers: { 'idempotency-key': key } });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.text()).toBe(text);
    }
    expect(await env.sql`SELECT 1 FROM user_account WHERE phone = ${LI_NA.phone}`).toHaveLength(1);
    expect(await env.sql`SELECT 1 FROM audit_log WHERE action = 'accounts.registered_online'`).toHaveLength(1);
    // The stored answer never holds the session token.
    const token = cookiesOf(first).split('=')[1]!;
    const [stored] = await env.sql<{ response_body: string }[]>`SELECT response_body FROM idempotency_key WHERE key = ${key}`;
    expect(stored!.response_body).not.toContain(token);
  });

  it('the first answer survives a garbage collection before the client reads it', async () => {
    // undici's Response.clone() cancels the original's stream once the original object is
    // collected; the middleware must not hand the client a body that a GC can empty.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    for (let i = 0; i < 5; i++) {
      env.clock.advance(61_000);
      const r = await env.call('POST', '/api/v1/auth/sms-codes', { body: { phone: '13800138000', purpose: 'sign_in' }, headers: { 'idempotency-key': randomUUID() } });
      expect(r.status).toBe(202);
      gc();
      await new Promise((res) => setTimeout(res, 5));
      expect(JSON.parse(await r.text())).toHaveProperty('expiresAt');
    }
  });
});

describe('keys finished in a batch (issue 23, ADR-040)', async () => {
  const env = await testEnv();

  it('each key gets its own answer, found through the primary key however the join is planned, never by a scan of every key', async () => {
    const at = env.clock.now();
    const claims = ['a', 'b', 'c'].map((k) => ({ principal: `user:${randomUUID()}`, key: `k-${k}-${randomUUID()}`, method: 'POST', path: '/x', hash: 'h', at, lockedUntil: at }));
    expect(await claimKeys(env.sql, claims)).toEqual([true, true, true]);
    const done = claims.slice(0, 2).map((c, i) => ({ principal: c.principal, key: c.key, status: 201 + i, body: `{"n":${i}}`, type: 'application/json' }));
    await finishKeys(env.sql, done);
    const rows = await env.sql<{ key: string; status: string; response_status: number | null; response_body: string | null }[]>`
      SELECT key, status, response_status, response_body FROM idempotency_key WHERE key = ANY(${env.sql.array(claims.map((c) => c.key))}) ORDER BY key`;
    expect(rows.map((r) => [r.status, r.response_status, r.response_body])).toEqual([['done', 201, '{"n":0}'], ['done', 202, '{"n":1}'], ['in_progress', null, null]]);

    const [plan] = await plansOf(env.url, /UPDATE idempotency_key/, (sql) => finishKeys(sql, done));
    const nodes = nodesOf(plan!);
    expect(nodes.filter((n) => n['Relation Name'] === 'idempotency_key').map((n) => n['Node Type'])).not.toContain('Seq Scan');
    expect(keyedByArray(plan!, 'idempotency_key_pkey')).toBe(true);
  });
});
