import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { testEnv, type TestEnv, type TestResponse, fieldsOf, fieldMessagesOf } from '../../test/support.ts';
import { createLogger } from './log.ts';

/** Row counts of every table a request could write to. */
async function snapshot(env: TestEnv) {
  const [row] = await env.sql<Record<string, number>[]>`
    SELECT (SELECT count(*)::int FROM audit_log) AS audit_log, (SELECT count(*)::int FROM user_account) AS user_account,
           (SELECT count(*)::int FROM session) AS session, (SELECT count(*)::int FROM sms_code) AS sms_code,
           (SELECT count(*)::int FROM outbox_message) AS outbox_message, (SELECT count(*)::int FROM sign_in_throttle) AS sign_in_throttle,
           (SELECT count(*)::int FROM idempotency_key) AS idempotency_key, (SELECT count(*)::int FROM vehicle_binding) AS vehicle_binding`;
  return row!;
}

async function expectProblem(res: TestResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const p = await res.json();
  expect(p).toMatchObject({ status, code, type: `https://jiaoguan.example/problems/${code}` });
  expect(typeof p.title).toBe('string');
  expect(p.requestId).toBeTruthy();
  expect(res.headers.get('x-request-id')).toBe(p.requestId);
  return p;
}

describe('HTTP edge: bad requests are problems, never 500s, and change nothing (non-negotiable 4)', async () => {
  const env = await testEnv();
  const signIn = '/api/v1/auth/sign-in';

  it('non-negotiable 4: a malformed JSON body answers 400 request.malformed, zh-CN by default and en on request', async () => {
    const before = await snapshot(env);
    const zh = await expectProblem(await env.call('POST', signIn, { raw: '{"phone": "13800138000", "password": ', headers: { 'content-type': 'application/json' } }), 400, 'request.malformed');
    expect(zh.title).toBe('请求格式不正确');
    const en = await expectProblem(
      await env.call('POST', signIn, { raw: '{not json', headers: { 'content-type': 'application/json', 'accept-language': 'en-GB,en;q=0.9' } }),
      400,
      'request.malformed',
    );
    expect(en.title).toBe('The request is malformed');
    // A charset parameter and the sign-up route behave the same.
    await expectProblem(await env.call('POST', '/api/v1/auth/sign-up', { raw: '[1,', headers: { 'content-type': 'application/json; charset=utf-8' } }), 400, 'request.malformed');
    await expectProblem(await env.call('POST', '/admin-api/auth/sign-in', { raw: '{', headers: { 'content-type': 'application/json' } }), 400, 'request.malformed');
    expect(await snapshot(env)).toEqual(before);
  });

  it('non-negotiable 4: a body that is not JSON answers 415', async () => {
    const before = await snapshot(env);
    const p = await expectProblem(await env.call('POST', signIn, { raw: 'phone=13800138000&password=Demo%232026pass', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'request.unsupported_media_type');
    expect(p.title).toBe('请求内容必须是 JSON');
    await expectProblem(await env.call('POST', signIn, { raw: '{"phone":"13800138000","password":"Demo#2026pass"}', headers: { 'content-type': 'text/plain' } }), 415, 'request.unsupported_media_type');
    await expectProblem(await env.call('POST', signIn, { raw: '{"phone":"13800138000","password":"Demo#2026pass"}' }), 415, 'request.unsupported_media_type');
    expect(await snapshot(env)).toEqual(before);
  });

  it('non-negotiable 4: an unknown field in a strict body answers 400 with a field map, localised', async () => {
    const before = await snapshot(env);
    const p = await expectProblem(
      await env.call('POST', signIn, { body: { phone: '13800138000', password: 'Demo#2026pass', admin: true }, headers: { 'accept-language': 'en' } }),
      400,
      'request.invalid',
    );
    expect(fieldsOf(p)).toEqual({ admin: 'validation.unknown_field' });
    expect(Object.values(fieldMessagesOf(p))).toContain('This field is not accepted');
    const missing = await expectProblem(await env.call('POST', signIn, { body: { phone: '12345' } }), 400, 'request.invalid');
    expect(fieldsOf(missing)).toEqual({ phone: 'validation.phone', password: 'validation.required' });
    expect(fieldMessagesOf(missing).password).toBe('此项为必填项');
    const wrongType = await expectProblem(await env.call('POST', signIn, { body: ['13800138000'] }), 400, 'request.invalid');
    expect(fieldsOf(wrongType)).toBeDefined();
    expect(await snapshot(env)).toEqual(before);
  });

  it('non-negotiable 4: a body over 256 KiB answers 413, with or without Content-Length', async () => {
    const before = await snapshot(env);
    const big = JSON.stringify({ phone: '13800138000', password: 'x'.repeat(300 * 1024) });
    await expectProblem(await env.call('POST', signIn, { raw: big, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) } }), 413, 'request.too_large');
    await expectProblem(await env.call('POST', signIn, { raw: big, headers: { 'content-type': 'application/json' } }), 413, 'request.too_large');
    // Just under the limit is parsed (and refused for its content, not its size).
    const under = JSON.stringify({ phone: '13800138000', password: 'x'.repeat(250 * 1024) });
    expect((await env.call('POST', signIn, { raw: under, headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect(await snapshot(env)).toEqual(before);
  });

  it('ADR-021: a file body only where the route declares one, in the document, with the limit it declares; JSON only everywhere else', async () => {
    const doc = await (await env.call('GET', '/api/openapi.json')).json();
    for (const path of ['/api/v1/uploads', '/admin-api/uploads']) {
      const content = doc.paths[path].post.requestBody.content;
      expect(Object.keys(content).sort(), path).toEqual(['application/octet-stream', 'application/pdf', 'image/jpeg', 'image/png']);
      expect(content['image/jpeg'].schema).toMatchObject({ type: 'string', format: 'binary' });
    }
    expect(Object.keys(doc.paths['/admin-api/uploads/{id}'].get.responses['200'].content)).toEqual(['image/jpeg', 'image/png', 'application/pdf']);
    const before = await snapshot(env);
    const image = new Uint8Array(300 * 1024);
    image.set([0xff, 0xd8, 0xff]);
    const send = (path: string) => env.app.request(path, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: image }) as Promise<TestResponse>;
    // 300 KiB passes the upload route's own limit and meets its guard…
    await expectProblem(await send('/api/v1/uploads?purpose=certificate_photo'), 401, 'auth.required');
    // …while every other route keeps 256 KiB of JSON.
    await expectProblem(await send('/api/v1/me/certificate-photos'), 413, 'request.too_large');
    await expectProblem(await env.call('POST', '/api/v1/me/certificate-photos', { raw: 'abc', headers: { 'content-type': 'image/jpeg', 'content-length': '3' } }), 415, 'request.unsupported_media_type');
    expect(await snapshot(env)).toEqual(before);
  });

  it('non-negotiable 4: an unknown route answers a 404 problem', async () => {
    const before = await snapshot(env);
    const p = await expectProblem(await env.call('GET', '/api/v1/no-such-thing'), 404, 'request.not_found');
    expect(p.title).toBe('未找到该页面或资源');
    await expectProblem(await env.call('POST', '/admin-api/no-such-resource', { body: {} }), 404, 'request.not_found');
    await expectProblem(await env.call('GET', '/no/such/page', { headers: { 'accept-language': 'en' } }), 404, 'request.not_found');
    expect(await snapshot(env)).toEqual(before);
  });

  it('every problem carries a request id; a caller-supplied id is echoed, an unsafe one replaced', async () => {
    const mine = await env.call('POST', signIn, { raw: '{', headers: { 'content-type': 'application/json', 'x-request-id': 'trace-abc-12345678' } });
    expect((await mine.json()).requestId).toBe('trace-abc-12345678');
    expect(mine.headers.get('x-request-id')).toBe('trace-abc-12345678');
    const unsafe = await env.call('GET', '/api/v1/nope', { headers: { 'x-request-id': '<script>alert(1)</script>' } });
    const p = await unsafe.json();
    expect(p.requestId).not.toContain('<');
    expect(unsafe.headers.get('x-request-id')).toBe(p.requestId);
    // Two requests, two ids.
    const a = await (await env.call('GET', '/api/v1/me')).json();
    const b = await (await env.call('GET', '/api/v1/me')).json();
    expect(a.code).toBe('auth.required');
    expect(a.requestId).not.toBe(b.requestId);
  });

  it('the OpenAPI document is OpenAPI 3.1, lists the citizen and staff routes, and every $ref resolves', async () => {
    const r = await env.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    const doc = await r.json();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const path of ['/api/v1/auth/sign-in', '/api/v1/auth/sign-up', '/api/v1/me', '/admin-api/audit-log', '/admin-api/calendar/status']) expect(doc.paths, path).toHaveProperty([path]);
    expect(doc.paths['/api/v1/auth/sign-in'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(doc.paths['/admin-api/audit-log'].get.responses['200']).toBeDefined();
    // Structural validity: every operation has responses, every $ref points at a component.
    const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
    for (const [path, item] of Object.entries<Record<string, { responses?: object }>>(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      for (const [m, op] of Object.entries(item)) if (methods.includes(m)) expect(Object.keys(op.responses ?? {}).length, `${m} ${path}`).toBeGreaterThan(0);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.startsWith('#/')).toBe(true);
      const target = ref.slice(2).split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('/api/docs serves the browsable reference from the local swagger-ui package', async () => {
    const r = await env.call('GET', '/api/docs');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    const html = await r.text();
    expect(html).toContain('swagger-ui-bundle.js');
    // Started by a file of its own, not an inline script (the page's CSP allows none, ADR-023).
    const init = /<script src="(\/api\/docs\/assets\/[^"]*init[^"]*)"/.exec(html)?.[1];
    expect(await (await env.call('GET', init!)).text()).toContain('/api/openapi.json');
    const css = await env.call('GET', '/api/docs/assets/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await env.call('GET', '/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
    expect((await env.call('GET', '/api/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });
});

describe('log masking (non-negotiable 7)', () => {
  const capture = () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { lines, log: createLogger('debug', stream) };
  };
  const ID = '440304198503122756';
  const PHONE = '13800138000';

  it('non-negotiable 7: ID numbers and phones are masked in messages and in object fields', () => {
    const { lines, log } = capture();
    log.info({ idNumber: ID, user: { phone: PHONE, contacts: [PHONE] }, note: `身份证${ID}，手机${PHONE}` }, `sign-up by ${ID} from ${PHONE}`);
    log.warn('printf style %s / %s', ID, PHONE);
    log.error({ err: new Error(`registry lookup failed for ${ID} (${PHONE})`) }, 'lookup failed');
    log.child({ phone: PHONE, idNumber: ID }).child({ nested: { phone: PHONE } }).info('child bindings');
    const out = lines.join('');
    expect(lines.length).toBe(4);
    expect(out).not.toContain(ID);
    expect(out).not.toContain(PHONE);
    const first = JSON.parse(lines[0]!);
    expect(first.msg).toBe('sign-up by 440304********2756 from 138****8000');
    expect(first.idNumber).toBe('440304********2756');
    expect(first.user).toEqual({ phone: '138****8000', contacts: ['138****8000'] });
    expect(first.note).toBe('身份证440304********2756，手机138****8000');
    expect(JSON.parse(lines[1]!).msg).toBe('printf style 440304********2756 / 138****8000');
    expect(lines[2]).toContain('registry lookup failed for 440304********2756 (138****8000)');
    expect(JSON.parse(lines[3]!)).toMatchObject({ phone: '138****8000', idNumber: '440304********2756', nested: { phone: '138****8000' } });
  });

  it('non-negotiable 7: a database error is logged with its class and code, its detail masked', () => {
    class PostgresError extends Error {
      code = '23505';
      detail = `Key (id_number)=(${ID}) already exists.`;
    }
    const { lines, log } = capture();
    log.error({ err: new PostgresError('duplicate key value violates unique constraint') }, 'insert failed');
    const out = JSON.parse(lines[0]!);
    expect(out.err).toMatchObject({ type: 'PostgresError', code: '23505', detail: 'Key (id_number)=(440304********2756) already exists.', message: 'duplicate key value violates unique constraint' });
    expect(lines[0]).not.toContain(ID);
  });

  it('secrets are redacted, not just masked', () => {
    const { lines, log } = capture();
    log.info({ password: 'Demo#2026pass', body: { smsCode: '123456', totp: '654321' }, headers: { cookie: 'jg_session=abc' } }, 'request');
    const out = JSON.parse(lines[0]!);
    expect(out.password).toBe('[redacted]');
    expect(out.body).toEqual({ smsCode: '[redacted]', totp: '[redacted]' });
    expect(out.headers.cookie).toBe('[redacted]');
  });

  it('a 500 is logged with its request id, masked, and its message never reaches the client', async () => {
    const env = await testEnv();
    const { lines, log } = capture();
    const boom = new Error(`invariant broken for ${ID}`);
    // A route that fails unexpectedly: the database is asked something impossible.
    env.deps.log = log;
    env.deps.sql = new Proxy(env.deps.sql, {
      apply() {
        throw boom;
      },
    });
    const r = await env.app.request('/healthz', { headers: { 'x-request-id': 'boom-request-0001', 'accept-language': 'en' } });
    expect(r.status).toBe(500);
    const p = (await r.json()) as { code: string; requestId: string };
    expect(p.code).toBe('request.internal');
    expect(p.requestId).toBe('boom-request-0001');
    expect(JSON.stringify(p)).not.toContain('invariant');
    const out = lines.join('');
    expect(out).toContain('boom-request-0001');
    expect(out).toContain('440304********2756');
    expect(out).not.toContain(ID);
  });
});
