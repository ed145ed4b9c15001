import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateHOTP } from '@oslojs/otp';
import { testEnv, cookiesOf, type TestEnv } from './support.ts';
import { concretePath, openapiDocument, registeredRoutes } from './routes.ts';
import { uploadKinds } from '../src/modules/index.ts';

/**
 * Malformed input against every route the app mounts (non-negotiable 4,
 * issues 7 and 16; the list is Hono's registered routes, test/routes.ts):
 * seeded property-based bodies — bytes, with and without a file's signature,
 * where the route takes a file —, path params, query strings and headers. Invariants: never a 5xx; every error is a
 * localised problem+json; a request refused as malformed (400/404/405/413/415)
 * changes nothing — checked by a fingerprint of every table (row count and
 * the sum of row versions, so inserts, updates and deletes all show).
 */
const SEED = 20261125;
const RUNS_PER_OP = Number(process.env.FUZZ_RUNS ?? 6);
const MALFORMED = new Set([400, 404, 405, 413, 415]);
// sign_in_throttle: counting a miss (an unknown code, a failed sign-in) is the point of the throttle, not a state change.
const IGNORED_TABLES = new Set(['idempotency_key', 'schema_migration', 'seed_run', 'sign_in_throttle']);

async function fingerprint(env: TestEnv): Promise<string> {
  const tables = await env.sql<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const parts = tables
    .map((t) => t.table_name)
    .filter((t) => !IGNORED_TABLES.has(t))
    .map((t) => `(SELECT count(*) || ':' || coalesce(sum(xmin::text::numeric), 0) FROM "${t}")`);
  const [row] = await env.sql.unsafe<{ f: string }[]>(`SELECT concat_ws('|', ${parts.join(', ')}) AS f`);
  return row!.f;
}

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '../../etc/passwd', "' OR 1=1 --", '%00', '\u0000', '𠮷𠮷', 'NaN', '-1', '1e309', '9'.repeat(40), 'null', '{"a":1}', 'x'.repeat(3000)),
);
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('phone', 'password', 'idNumber', 'name', 'smsCode', 'vin', 'day', 'kind', 'year', 'id', 'slotId', 'vehicleId', 'mode', 'serial', 'note', 'reason', 'capacity', 'username', 'totp'), fc.oneof(fc.jsonValue({ maxDepth: 2 }), weirdString)),
);
const rawBody = fc.oneof(
  jsonish.map((v) => ({ raw: JSON.stringify(v), type: 'application/json' })),
  fc.string({ maxLength: 60 }).map((s) => ({ raw: s, type: 'application/json' })),
  fc.constantFrom('{', '{"a":', '[1,2', 'null', '"str"', '{"__proto__":{"x":1}}').map((s) => ({ raw: s, type: 'application/json' })),
  jsonish.map((v) => ({ raw: JSON.stringify(v), type: fc.sample(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml'), 1)[0]! })),
);
const SIGNATURES = [[0xff, 0xd8, 0xff, 0xe0], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0x25, 0x50, 0x44, 0x46, 0x2d]];
/** A file body (routes declaring a binary request body): random bytes, or bytes behind a JPEG / PNG / PDF signature, under any content type. */
const fileBody = (types: string[]) =>
  fc.oneof(
    fc.record({ bytes: fc.uint8Array({ maxLength: 2000 }), type: fc.constantFrom(...types, 'text/plain', 'application/json', 'multipart/form-data; boundary=x') }),
    fc.record({ sig: fc.constantFrom(...SIGNATURES), rest: fc.uint8Array({ maxLength: 500 }), type: fc.constantFrom(...types) })
      .map(({ sig, rest, type }) => ({ bytes: Uint8Array.from([...sig, ...rest]), type })),
  );
const queryValue = fc.oneof(weirdString, fc.constantFrom(...Object.keys(uploadKinds)));
const headers = fc.record({
  'accept-language': fc.constantFrom('en', 'zh-CN', 'fr;q=abc', '*', ''),
  'idempotency-key': fc.option(fc.oneof(fc.uuid(), fc.constantFrom('', 'has space', 'k'.repeat(300))), { nil: undefined }),
  'x-request-id': fc.option(fc.oneof(fc.uuid(), fc.constantFrom('<script>', 'short')), { nil: undefined }),
});

describe('malformed input never breaks the bff (non-negotiable 4)', async () => {
  const env = await testEnv();
  const doc = await openapiDocument(env);
  const ops = registeredRoutes(env)
    .filter((o) => !o.path.startsWith('/dev/'))
    // Signing out would end the sessions the fuzzer uses.
    .filter((o) => !o.path.includes('/sign-out'))
    .map((o) => {
      // The media types a route documents beyond JSON: it takes a file (http/uploads.ts binaryUpload).
      const content = doc.paths[o.docPath]?.[o.method.toLowerCase()]?.requestBody?.content ?? {};
      return { ...o, fileTypes: Object.keys(content).filter((t) => !t.includes('json')) };
    });
  const citizen = cookiesOf(await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: '13800138000', password: 'Demo#2026pass' } }));
  const totp = generateHOTP(new TextEncoder().encode('12345678901234567890'), BigInt(Math.floor(env.clock.now().getTime() / 30_000)), 6);
  const admin = cookiesOf(await env.call('POST', '/admin-api/auth/sign-in', { body: { username: 'admin', password: 'Staff#2026pass', totp } }));
  const sessions = [citizen, admin, ''];

  it('covers every mounted route, the file uploads among them', () => {
    expect(ops.length).toBeGreaterThan(15);
    expect(ops.filter((o) => o.fileTypes.length > 0).map((o) => `${o.method} ${o.path}`).sort()).toEqual(['POST /admin-api/uploads', 'POST /api/v1/uploads']);
    expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['GET /admin-api/uploads/:id', 'PUT /api/v1/replacements/uploads/:id/chunks/:index', 'PUT /admin-api/temp-plate-uploads/:id/chunks/:index']));
  });

  it('refuses a file over the limit a route declares with 413, before reading it, and changes nothing', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 4096);
    big.set(SIGNATURES[0]!);
    for (const op of ops.filter((o) => o.fileTypes.length > 0)) {
      for (const cookie of sessions) {
        const before = await fingerprint(env);
        const res = await env.app.request(`${op.path}?purpose=certificate_photo`, { method: op.method, headers: { cookie, 'content-type': 'image/jpeg', 'x-forwarded-for': '203.0.113.7' }, body: big });
        expect(res.status, op.path).toBe(413);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(await fingerprint(env)).toBe(before);
      }
    }
  });

  it('answers every malformed request below 500 with a problem+json, and changes nothing when it refuses the input', async () => {
    const problems: string[] = [];
    let i = 0;
    for (const op of ops) {
      const body = op.fileTypes.length > 0 ? fc.oneof(rawBody, fileBody(op.fileTypes)) : rawBody;
      const cases = fc.sample(fc.tuple(body, headers, weirdString, fc.dictionary(fc.constantFrom('sort', 'range', 'filter', 'q', 'page', 'day', 'date', 'purpose'), queryValue)), {
        seed: SEED + i++,
        numRuns: RUNS_PER_OP,
      });
      for (const [k, [body, hdrs, param, query]] of cases.entries()) {
        const path = concretePath(op.path, encodeURIComponent(param) || 'x');
        const qs = new URLSearchParams(query).toString();
        const h: Record<string, string> = { 'x-forwarded-for': '203.0.113.7' };
        for (const [name, v] of Object.entries(hdrs)) if (v !== undefined) h[name] = v;
        const withBody = op.method !== 'GET' && op.method !== 'DELETE';
        if (withBody) h['content-type'] = body.type;
        const cookie = sessions[k % sessions.length];
        if (cookie) h.cookie = cookie;
        const before = await fingerprint(env);
        const res = await env.app.request(`${path}${qs ? `?${qs}` : ''}`, {
          method: op.method,
          headers: h,
          ...(withBody ? { body: 'raw' in body ? body.raw : body.bytes } : {}),
        });
        const where = `${op.method} ${op.path} case ${k}`;
        const text = await res.text();
        if (res.status >= 500) problems.push(`${where}: ${res.status} ${text}`);
        if (res.status >= 400) {
          const type = res.headers.get('content-type') ?? '';
          if (!type.includes('application/problem+json')) problems.push(`${where}: ${res.status} as ${type}`);
          else {
            const p = JSON.parse(text);
            if (!p.code || !p.title || !p.requestId) problems.push(`${where}: incomplete problem ${JSON.stringify(p)}`);
          }
          if (MALFORMED.has(res.status) && (await fingerprint(env)) !== before) problems.push(`${where}: ${res.status} but the database changed`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
