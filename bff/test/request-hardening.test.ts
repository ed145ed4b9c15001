import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testEnv, cookiesOf, staffSessionCookie, type TestEnv } from './support.ts';
import { openapiDocument, registeredRoutes, OUTSIDE_DOCUMENT } from './routes.ts';
import { loadConfig } from '../src/env.ts';
import { JPEG, personForm, ZHAO_LEI } from '../src/modules/accounts/testing.ts';

/**
 * Issue 17, "Transport, headers and requests" (ADR-023): one test per promise,
 * each failing on the code before it. The fuzz cases for bad input are in
 * test/fuzz.test.ts; `redocly lint` of the OpenAPI document runs in `npm test`
 * (scripts/openapi-lint.ts).
 */

const ZHANG_WEI = { phone: '13800138000', password: 'Demo#2026pass' };
const DB_URL = 'postgres://x@127.0.0.1:1/x';

/** A request as it reaches the bff over a socket from `socket`, with the headers given. */
function fromSocket(env: TestEnv, socket: string, method: string, p: string, headers: Record<string, string>, body?: unknown) {
  const h: Record<string, string> = { ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  return env.app.request(p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }, { incoming: { socket: { remoteAddress: socket } } });
}

describe('issue 17 · trusted proxy hops: a spoofed X-Forwarded-For does not bypass the sign-in IP limit', async () => {
  it('behind one proxy (TRUSTED_PROXY_HOPS=1), the address the proxy appended counts, not what the caller wrote before it', async () => {
    const env = await testEnv({ config: { TRUSTED_PROXY_HOPS: '1' } });
    for (let i = 0; i < 30; i++) {
      const r = await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: `1390000${1000 + i}`, password: 'whatever1' }, headers: { 'x-forwarded-for': `10.${i}.0.1, 198.51.100.20` } });
      expect(r.status).toBe(401);
    }
    const spoofed = await env.call('POST', '/api/v1/auth/sign-in', { body: ZHANG_WEI, headers: { 'x-forwarded-for': '10.200.0.1, 198.51.100.20' } });
    expect(spoofed.status).toBe(429);
    expect((await spoofed.json()).code).toBe('auth.throttled');
    const other = await env.call('POST', '/api/v1/auth/sign-in', { body: ZHANG_WEI, headers: { 'x-forwarded-for': '198.51.100.21' } });
    expect(other.status).toBe(200);
  });

  it('with no trusted proxy (TRUSTED_PROXY_HOPS=0, the default) X-Forwarded-For is ignored: the socket address counts', async () => {
    expect(loadConfig({ DATABASE_URL: DB_URL }).TRUSTED_PROXY_HOPS).toBe(0);
    const env = await testEnv({ config: { TRUSTED_PROXY_HOPS: '0' } });
    for (let i = 0; i < 30; i++) {
      const r = await fromSocket(env, '192.0.2.50', 'POST', '/api/v1/auth/sign-in', { 'x-forwarded-for': `10.${i}.0.1` }, { phone: `1390000${1000 + i}`, password: 'whatever1' });
      expect(r.status).toBe(401);
    }
    const spoofed = await fromSocket(env, '192.0.2.50', 'POST', '/api/v1/auth/sign-in', { 'x-forwarded-for': '10.200.0.1' }, ZHANG_WEI);
    expect(spoofed.status).toBe(429);
    const other = await fromSocket(env, '192.0.2.51', 'POST', '/api/v1/auth/sign-in', {}, ZHANG_WEI);
    expect(other.status).toBe(200);
  });
});

describe('issue 17 · cross-site requests: a state change sent from another site is refused with 403 request.cross_site', async () => {
  const env = await testEnv();
  const signIn = async () => cookiesOf(await env.call('POST', '/api/v1/auth/sign-in', { body: ZHANG_WEI }));
  const evil = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

  it('a cross-site form post or bodyless POST with the session cookie is refused, and the session survives', async () => {
    const cookie = await signIn();
    for (const extra of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, {}] as Record<string, string>[]) {
      const r = await env.call('POST', '/api/v1/auth/sign-out', { cookie, headers: { ...evil, ...extra }, ...(extra['content-type'] ? { raw: 'a=1' } : {}) });
      expect(r.status, JSON.stringify(extra)).toBe(403);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect((await r.json()).code).toBe('request.cross_site');
    }
    // Only the Origin (no Fetch Metadata, an older browser): still refused.
    const r = await env.call('POST', '/api/v1/auth/sign-out', { cookie, headers: { origin: 'https://evil.example' } });
    expect(r.status).toBe(403);
    expect((await env.call('GET', '/api/v1/me', { cookie })).status).toBe(200);
  });

  it('a cross-site JSON request cannot even be sent: the preflight is granted nothing', async () => {
    const r = await env.call('OPTIONS', '/api/v1/me/contact', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('same-origin requests, the configured web and admin origins, and non-browser callers (web’s server, no Origin) pass', async () => {
    const allowed = await testEnv({ config: { PUBLIC_WEB_URL: 'https://www.jg.example', PUBLIC_ADMIN_URL: 'https://admin.jg.example' } });
    const cookie = cookiesOf(await allowed.call('POST', '/api/v1/auth/sign-in', { body: ZHANG_WEI }));
    for (const headers of [
      { origin: 'https://www.jg.example', 'sec-fetch-site': 'same-site' },
      { origin: 'https://admin.jg.example', 'sec-fetch-site': 'same-site' },
      { origin: 'https://elsewhere.example', 'sec-fetch-site': 'same-origin' },
      {},
    ] as Record<string, string>[]) {
      const r = await allowed.call('POST', '/api/v1/me/contact', { cookie, headers, body: { email: 'zw@example.com', postalAddress: null, postcode: null } });
      expect(r.status, JSON.stringify(headers)).toBe(200);
    }
    // Signing in from the web origin is a state change too, and passes.
    const r = await allowed.call('POST', '/api/v1/auth/sign-in', { headers: { origin: 'https://www.jg.example' }, body: ZHANG_WEI });
    expect(r.status).toBe(200);
  });
});

describe('issue 17 · security headers: CSP without inline scripts, frame-ancestors none, nosniff (downloads too), Referrer-Policy, HSTS only over TLS', async () => {
  const adminDist = mkdtempSync(path.join(tmpdir(), 'jg-admin-'));
  writeFileSync(path.join(adminDist, 'index.html'), '<!doctype html><html><head><script type="module" src="/admin/assets/index.js"></script></head><body><div id="root"></div></body></html>');
  const env = await testEnv({ config: { ADMIN_DIST: adminDist } });

  const scriptSources = (csp: string) => (/(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? /(?:^|;)\s*default-src ([^;]*)/.exec(csp)?.[1] ?? '');
  function expectHardened(res: Response, what: string) {
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(scriptSources(csp), what).not.toContain('unsafe-inline');
    expect(scriptSources(csp), what).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(res.headers.get('referrer-policy'), what).toBeTruthy();
    expect(res.headers.get('strict-transport-security'), what).toBeNull();
  }

  it('API answers, problems and file downloads', async () => {
    expectHardened(await env.call('GET', '/api/v1/inspections/notices'), 'a JSON answer');
    expectHardened(await env.call('GET', '/api/v1/nothing-here'), 'a 404 problem');
    expectHardened(await env.call('POST', '/api/v1/auth/sign-in', { raw: '{', headers: { 'content-type': 'application/json' } }), 'a 400 problem');
    const intake = await staffSessionCookie(env, 'sz.intake');
    const up = await env.app.request('/admin-api/uploads?purpose=onsite_photo', { method: 'POST', headers: { cookie: intake, 'content-type': 'image/jpeg' }, body: JPEG });
    expect(up.status).toBe(201);
    expectHardened(up, 'an upload');
    const file = await env.call('GET', `/admin-api/uploads/${((await up.json()) as { id: string }).id}`, { cookie: intake });
    expect(file.status).toBe(200);
    expectHardened(file, 'a file download');
  });

  it('the API reference runs without an inline script', async () => {
    const page = await env.call('GET', '/api/docs');
    expectHardened(page, '/api/docs');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(1);
    for (const s of scripts) {
      const js = await env.call('GET', s);
      expect(js.status, s).toBe(200);
      expect(js.headers.get('content-type'), s).toContain('javascript');
    }
  });

  it('the staff console’s files', async () => {
    const page = await env.call('GET', '/admin/');
    expect(page.status).toBe(200);
    expectHardened(page, '/admin/');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('HSTS only when served over TLS (COOKIE_SECURE), and COOKIE_SECURE is on by default in production', async () => {
    const tls = await testEnv({ config: { COOKIE_SECURE: 'true' } });
    expect((await tls.call('GET', '/api/v1/inspections/notices')).headers.get('strict-transport-security')).toContain('max-age=');
    const signedIn = await tls.call('POST', '/api/v1/auth/sign-in', { body: ZHANG_WEI });
    expect(signedIn.headers.getSetCookie().join('\n')).toContain('Secure');
    expect(loadConfig({ DATABASE_URL: DB_URL, NODE_ENV: 'production' }).COOKIE_SECURE).toBe(true);
    expect(loadConfig({ DATABASE_URL: DB_URL, NODE_ENV: 'production', COOKIE_SECURE: 'false' }).COOKIE_SECURE).toBe(false);
    expect(loadConfig({ DATABASE_URL: DB_URL, NODE_ENV: 'development' }).COOKIE_SECURE).toBe(false);
  });
});

describe('issue 17 · development tools: /dev/inbox and /dev/clock exist only with DEV_TOOLS=1, never in production', async () => {
  it('absent unless enabled: not mounted, not documented, 404', async () => {
    const env = await testEnv();
    expect(registeredRoutes(env).filter((r) => r.path.startsWith('/dev/'))).toEqual([]);
    expect(Object.keys((await openapiDocument(env)).paths).filter((p) => p.startsWith('/dev/'))).toEqual([]);
    for (const p of ['/dev/inbox', '/dev/clock']) expect((await env.call('GET', p)).status).toBe(404);
    expect((await env.call('POST', '/dev/clock', { body: { offsetMs: 3600_000 } })).status).toBe(404);
    expect(await (await env.call('GET', '/api/v1/public/platform')).json()).toEqual({ devTools: false });
  });

  it('enabled with DEV_TOOLS=1, and the apps are told so (their banner)', async () => {
    const env = await testEnv({ config: { DEV_TOOLS: '1' } });
    expect((await env.call('GET', '/dev/inbox')).status).toBe(200);
    expect((await env.call('GET', '/dev/clock')).status).toBe(200);
    expect(await (await env.call('GET', '/api/v1/public/platform')).json()).toEqual({ devTools: true });
  });

  it('cannot be enabled in production: the configuration is refused at boot', () => {
    expect(() => loadConfig({ DATABASE_URL: DB_URL, NODE_ENV: 'production', DEV_TOOLS: '1' })).toThrow(/DEV_TOOLS/);
    expect(() => loadConfig({ DATABASE_URL: DB_URL, NODE_ENV: 'production', ALLOW_TEST_CLOCK: 'true' })).toThrow(/ALLOW_TEST_CLOCK/);
    expect(loadConfig({ DATABASE_URL: DB_URL, NODE_ENV: 'production' }).DEV_TOOLS).toBe(false);
    expect(loadConfig({ DATABASE_URL: DB_URL, NODE_ENV: 'development' }).DEV_TOOLS).toBe(false);
    // The shared test clock is a development tool too: off, nothing reads it.
    expect(loadConfig({ DATABASE_URL: DB_URL, NODE_ENV: 'development' }).allowTestClock).toBe(false);
  });
});

describe('issue 17 · bad input never reaches 500: control characters, names, lengths in characters, list ranges, dates, expanded date ranges', async () => {
  const env = await testEnv();
  const fieldsOf = (p: { errors?: { field: string; code: string }[] }) => Object.fromEntries((p.errors ?? []).map((e) => [e.field, e.code]));

  it('NUL and other control characters in any text are refused with 400 at their field', async () => {
    for (const bad of ['赵\u0000磊', '赵磊\u0007', '赵\u001b[31m磊', '赵磊\u0085', '赵\ud800磊']) {
      const r = await env.call('POST', '/api/v1/applications/prefills', { body: { form: personForm({ ...ZHAO_LEI }, { postalAddress: `广东省深圳市龙岗区${bad}99号` }) } });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(fieldsOf(await r.json())).toEqual({ 'form.postalAddress': 'validation.control_characters' });
    }
    const cookie = cookiesOf(await env.call('POST', '/api/v1/auth/sign-in', { body: ZHANG_WEI }));
    const r = await env.call('POST', '/api/v1/me/contact', { cookie, body: { email: null, postalAddress: '广东省深圳市\u0000福田区', postcode: null } });
    expect(r.status).toBe(400);
    const q = await env.call('GET', `/api/v1/plates/segments/00000000-0000-4000-8000-000000000001/check?serial=${encodeURIComponent('A\u0000123')}`, { cookie });
    expect(q.status).toBe(400);
  });

  it('names refuse bidi overrides and zero-width-only values; lengths count characters, not UTF-16 units', async () => {
    for (const bad of ['\u202e磊赵', '赵\u2066磊', '\u200b\u200b', '\u200b\u200c\u200d\ufeff', '赵\n磊']) {
      const r = await env.call('POST', '/api/v1/applications/prefills', { body: { form: personForm({ ...ZHAO_LEI, name: bad }) } });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(fieldsOf(await r.json())['form.name'], JSON.stringify(bad)).toMatch(/^validation\.(name|control_characters)$/);
    }
    // 16 characters outside the BMP (32 UTF-16 units) are within a 30-character name.
    const rare = '𠮷'.repeat(16);
    const ok = await env.call('POST', '/api/v1/applications/prefills', { body: { form: personForm({ ...ZHAO_LEI, name: rare }) } });
    expect(ok.status, await ok.clone().text()).toBe(201);
    const tooLong = await env.call('POST', '/api/v1/applications/prefills', { body: { form: personForm({ ...ZHAO_LEI, name: '𠮷'.repeat(31) }) } });
    expect(tooLong.status).toBe(400);
  });

  it('list ranges out of bounds are refused with 400', async () => {
    const staff = await staffSessionCookie(env, 'sz.review');
    for (const range of ['[0,1e300]', '[1e300,1e300]', '[9007199254740991,9007199254740992]', '[5000000,5000010]', '[0,100000]', '[-1,5]']) {
      const r = await env.call('GET', `/admin-api/outbox?range=${encodeURIComponent(range)}`, { cookie: staff });
      expect(r.status, range).toBe(400);
      expect(fieldsOf(await r.json()), range).toEqual({ range: 'validation.range' });
    }
    expect(fieldsOf(await (await env.call('GET', `/admin-api/outbox?range=${encodeURIComponent('[3,1]')}`, { cookie: staff })).json())).toEqual({ range: 'validation.invalid' });
    expect((await env.call('GET', `/admin-api/outbox?range=${encodeURIComponent('[0,99]')}`, { cookie: staff })).status).toBeLessThan(400);
  });

  it('dates are real calendar days between 1900-01-01 and 2100-12-31', async () => {
    for (const birthDate of ['0000-99-99', '2999-02-31', '2026-02-30', '1899-12-31', '2101-01-01', '19790214']) {
      const r = await env.call('POST', '/api/v1/applications/prefills', { body: { form: personForm({ ...ZHAO_LEI, birthDate }) } });
      expect(r.status, birthDate).toBe(400);
      expect(fieldsOf(await r.json()), birthDate).toEqual({ 'form.birthDate': 'validation.date' });
    }
    const op = await staffSessionCookie(env, 'station.futian');
    for (const [from, to] of [['0000-99-99', '2026-12-01'], ['2026-12-01', '2999-02-31'], ['1000-01-01', '2026-12-01']]) {
      const r = await env.call('POST', '/admin-api/inspection-slots/publish', { cookie: op, body: { from, to } });
      expect(r.status, `${from}..${to}`).toBe(400);
    }
  });

  it('a date range the server expands is bounded: publishing slots from 1000-01-01 to 9999-12-30 is refused at once', async () => {
    const op = await staffSessionCookie(env, 'station.futian');
    const rules = await import('../src/modules/inspections/rules.ts');
    const started = performance.now();
    const planned = rules.plannedSlots({ from: '1900-01-01', to: '2100-12-31', openingDays: [1, 2, 3, 4, 5], times: [{ startsAt: '09:00', endsAt: '10:00', capacity: 5 }] }, '2026-11-26');
    expect(planned).toEqual({ ok: false, problem: 'too_long' });
    expect(performance.now() - started).toBeLessThan(20);
    const t = performance.now();
    const r = await env.call('POST', '/admin-api/inspection-slots/publish', { cookie: op, body: { from: '1000-01-01', to: '9999-12-30' } });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(performance.now() - t).toBeLessThan(300);
  });
});

describe('issue 17 · signed-out idempotency keys: one caller’s key never clashes with another’s', async () => {
  const env = await testEnv();
  const prefill = (ip: string, key: string) =>
    env.call('POST', '/api/v1/applications/prefills', { headers: { 'x-forwarded-for': ip, 'idempotency-key': key }, body: { form: personForm({ ...ZHAO_LEI }) } });

  it('two signed-out callers sending the same key and body each get their own answer, never the other’s', async () => {
    const key = randomUUID();
    const a = await prefill('198.51.100.31', key);
    expect(a.status).toBe(201);
    const b = await prefill('198.51.100.32', key);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect((await b.json()).code).not.toBe((await a.json()).code);
    // The same caller retrying gets its own answer back.
    const again = await prefill('198.51.100.31', key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('a signed-out key must be a random UUID (v4): a guessable key is refused', async () => {
    for (const key of ['1', 'order-1', '00000000-0000-0000-0000-000000000000', '123e4567-e89b-12d3-a456-426614174000']) {
      const r = await prefill('198.51.100.33', key);
      expect(r.status, key).toBe(400);
      expect((await r.json()).code).toBe('idempotency.key_invalid');
    }
  });
});

describe('issue 17 · OpenAPI: security schemes, each operation’s security and operationId, every route', async () => {
  const env = await testEnv();
  type Op = { operationId?: string; security?: Record<string, string[]>[] };
  const doc = (await openapiDocument(env)) as unknown as {
    paths: Record<string, Record<string, Op>>;
    components?: { securitySchemes?: Record<string, unknown> };
    servers?: unknown[];
  };
  const mounted = registeredRoutes(env).filter((r) => !(`${r.method} ${r.path}` in OUTSIDE_DOCUMENT));

  it('declares the citizen and staff session cookies as security schemes', () => {
    expect(doc.components?.securitySchemes).toEqual({
      citizenSession: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'jg_session' }),
      staffSession: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'jg_staff_session' }),
    });
    expect(doc.servers?.length).toBeGreaterThan(0);
  });

  it('every mounted route is an operation with a unique operationId and the security its guard demands', () => {
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const r of mounted) {
      const op = doc.paths[r.docPath]?.[r.method.toLowerCase()];
      const where = `${r.method} ${r.docPath}`;
      if (!op) {
        problems.push(`${where}: not in the document`);
        continue;
      }
      if (!op.operationId || !/^[A-Za-z][A-Za-z0-9]*$/.test(op.operationId)) problems.push(`${where}: operationId ${op.operationId}`);
      else if (ids.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} twice`);
      else ids.add(op.operationId);
      const expected = !r.guard ? [] : r.guard.kind === 'user' ? [{ citizenSession: [] }] : [{ staffSession: r.guard.roles }];
      if (JSON.stringify(op.security) !== JSON.stringify(expected)) problems.push(`${where}: security ${JSON.stringify(op.security)}, guard wants ${JSON.stringify(expected)}`);
    }
    expect(problems).toEqual([]);
  });
});
