import { describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/core/context.ts';
import { testEnv, cookiesOf, STAFF_PASSWORD, staffTotp, type TestEnv } from './support.ts';
import { concretePath, openapiDocument, OUTSIDE_DOCUMENT, registeredRoutes } from './routes.ts';

/**
 * Authorisation matrix over every route the app mounts (non-negotiable 7,
 * issues 7 and 16): the list comes from Hono's registered routes, not from the
 * OpenAPI document, so a route declared outside `createRoute` cannot escape it —
 * and such a route fails the document test below. Each guarded route refuses
 * anonymous callers, the other kind of session, and every staff post it does
 * not name. A route without a guard must be on the explicit public list below
 * (or be infrastructure outside the API, test/routes.ts), so a forgotten guard
 * fails this test.
 */
const PUBLIC = new Set([
  'POST /api/v1/auth/sms-codes',
  'POST /api/v1/auth/sign-in',
  'POST /api/v1/auth/sign-in/sms',
  'POST /api/v1/auth/sign-up',
  'POST /api/v1/auth/password-reset/sms-code', // issue 18: forgot password (the code is the credential)
  'POST /api/v1/auth/password-reset',
  'POST /admin-api/auth/sign-in',
]);
// Development tools are refused outside development and are not part of the product API.
const isDev = (path: string) => path.startsWith('/dev/');
// Public reads that may be added by modules, each named with its reason.
const PUBLIC_PREFIXES: { prefix: string; why: string }[] = [
  { prefix: 'GET /api/v1/public/', why: 'published information (plans, notices) anyone may read' },
  { prefix: 'GET /api/v1/applications/track/', why: 'tokenised SMS link, the token is the credential' },
  { prefix: 'POST /api/v1/applications/prefills', why: 'the counter form filled in advance by someone who has no account yet (R-8)' },
  { prefix: 'GET /api/v1/applications/prefills/', why: 'that form again by its 10-character code (50 bits), for the QR page' },
  { prefix: 'GET /api/v1/plates/segments', why: 'published segment plans (R-25.3)' },
  { prefix: 'POST /api/v1/applications/prefills', why: 'the counter form filled in advance by someone who has no account yet (R-8)' },
  { prefix: 'GET /api/v1/applications/prefills/', why: 'read back by its unguessable code, which is the credential' },
  { prefix: 'GET /api/v1/inspections/cross-city-plans', why: 'published province cross-city plan (R-36.2.2)' },
  { prefix: 'GET /api/v1/inspections/notices', why: 'published station notices (R-36.6)' },
  { prefix: 'POST /payment-notify/alipay', why: 'the payment provider’s asynchronous notification: its RSA2 signature is the credential (ADR-035)' },
];

const STAFF: Record<StaffRole, string> = {
  intake: 'sz.intake',
  review: 'sz.review',
  archive: 'sz.archive',
  station_operator: 'station.futian',
  dealer: 'dealer.pengcheng',
  system_admin: 'admin',
  auditor: 'sz.audit',
  medical_operator: 'medical.binhai',
  exam_operator: 'exam.szks',
};
const ROLES = Object.keys(STAFF) as StaffRole[];

async function signInStaff(env: TestEnv, role: StaffRole): Promise<string> {
  // every staff account signs in with its second factor (issue 17)
  const body: Record<string, string> = { username: STAFF[role], password: STAFF_PASSWORD, totp: await staffTotp(env, STAFF[role]) };
  const res = await env.call('POST', '/admin-api/auth/sign-in', { body });
  expect(res.status, `sign-in ${role}`).toBe(200);
  return cookiesOf(res);
}

const DEAD = '00000000-0000-4000-8000-00000000dead';
const concrete = (path: string) => concretePath(path, DEAD);

describe('authorisation matrix over every mounted route (non-negotiable 7)', async () => {
  const env = await testEnv();
  const mounted = registeredRoutes(env);
  const doc = await openapiDocument(env);
  // `path` as mounted (`:id`), `docPath` as documented (`{id}`): the lists above are written in the document's form.
  const ops = mounted.filter((o) => !isDev(o.path) && !(`${o.method} ${o.path}` in OUTSIDE_DOCUMENT));
  const citizen = cookiesOf(await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: '13800138000', password: 'Demo#2026pass' } }));
  const staff = {} as Record<StaffRole, string>;
  for (const role of ROLES) staff[role] = await signInStaff(env, role);

  it('finds the endpoints, the upload routes among them', () => {
    expect(ops.length).toBeGreaterThan(15);
    const keys = ops.map((o) => `${o.method} ${o.docPath}`);
    expect(keys).toEqual(expect.arrayContaining([
      'POST /api/v1/uploads', 'POST /admin-api/uploads', 'GET /admin-api/uploads/{id}',
      'POST /api/v1/replacements/uploads', 'PUT /api/v1/replacements/uploads/{id}/chunks/{index}', 'POST /api/v1/replacements/uploads/{id}/complete',
      'POST /admin-api/temp-plate-uploads', 'PUT /admin-api/temp-plate-uploads/{id}/chunks/{index}', 'POST /admin-api/temp-plate-uploads/{id}/complete',
    ]));
  });

  it('every mounted route is an operation of the OpenAPI document, unless it is infrastructure named in test/routes.ts', () => {
    const undocumented = mounted
      .filter((o) => !(`${o.method} ${o.path}` in OUTSIDE_DOCUMENT))
      .filter((o) => !doc.paths[o.docPath]?.[o.method.toLowerCase()])
      .map((o) => `${o.method} ${o.path}`);
    expect(undocumented).toEqual([]);
  });

  it('every operation of the document is mounted', () => {
    const keys = new Set(mounted.map((o) => `${o.method} ${o.docPath}`));
    const missing = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)).filter((k) => !keys.has(k));
    expect(missing).toEqual([]);
  });

  it('every endpoint is guarded, or deliberately public', () => {
    const unguarded = ops
      .filter((o) => !o.guard)
      .map((o) => `${o.method} ${o.docPath}`)
      .filter((k) => !PUBLIC.has(k) && !PUBLIC_PREFIXES.some((p) => k.startsWith(p.prefix)));
    expect(unguarded).toEqual([]);
  });

  it('staff endpoints live under /admin-api and citizen endpoints under /api/v1', () => {
    for (const o of ops) {
      if (o.guard?.kind === 'staff') expect(o.path.startsWith('/admin-api/'), o.path).toBe(true);
      if (o.guard?.kind === 'user') expect(o.path.startsWith('/api/v1/'), o.path).toBe(true);
    }
  });

  it('anonymous callers get 401 problem+json from every guarded endpoint', async () => {
    for (const o of ops.filter((x) => x.guard)) {
      const res = await env.call(o.method, concrete(o.path), o.method === 'GET' || o.method === 'DELETE' ? {} : { body: {} });
      expect(res.status, `${o.method} ${o.path}`).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('a citizen session does not open staff endpoints, a staff session does not open citizen endpoints', async () => {
    for (const o of ops.filter((x) => x.guard)) {
      const cookie = o.guard!.kind === 'staff' ? citizen : staff.system_admin;
      const res = await env.call(o.method, concrete(o.path), { cookie, ...(o.method === 'GET' || o.method === 'DELETE' ? {} : { body: {} }) });
      expect(res.status, `${o.method} ${o.path} with the other kind of session`).toBe(401);
    }
  });

  it('each staff post reaches only the endpoints that name it (posts are separate duties)', async () => {
    const failures: string[] = [];
    // Signing out ends the very sessions this loop uses; those two are covered in auth.test.ts.
    for (const o of ops.filter((x) => x.guard?.kind === 'staff' && !x.path.includes('/sign-out'))) {
      const allowed = (o.guard as { roles: StaffRole[] }).roles;
      for (const role of ROLES) {
        const res = await env.call(o.method, concrete(o.path), { cookie: staff[role], ...(o.method === 'GET' || o.method === 'DELETE' ? {} : { body: {} }) });
        const permitted = allowed.length === 0 || allowed.includes(role);
        // A permitted post may still be refused for scope (a city reviewer publishing the province plan).
        if (permitted && res.status === 401) failures.push(`${role} refused by ${o.method} ${o.path} (${res.status})`);
        if (!permitted && res.status !== 403) failures.push(`${role} not refused by ${o.method} ${o.path} (${res.status})`);
        expect(res.status, `${role} ${o.method} ${o.path}`).toBeLessThan(500);
      }
    }
    expect(failures).toEqual([]);
  });
});
