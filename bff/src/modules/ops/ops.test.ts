import { describe, expect, it } from 'vitest';
import { testEnv, cookiesOf, type TestEnv, type TestResponse, fieldsOf, fieldMessagesOf, STAFF_PASSWORD, staffSessionCookie, staffTotp } from '../../../test/support.ts';
import { dispatchDue, devProviders } from '../../platform/outbox.ts';

const PHONE_11 = /(?<!\d)1[3-9]\d{9}(?!\d)/;

async function staffCookie(env: TestEnv, username: string): Promise<string> {
  const body: Record<string, string> = { username, password: STAFF_PASSWORD, totp: await staffTotp(env, username) };
  const r = await env.call('POST', '/admin-api/auth/sign-in', { body });
  expect(r.status, username).toBe(200);
  return cookiesOf(r);
}

const list = (sort?: unknown, range?: unknown, filter?: unknown) => {
  const q = new URLSearchParams();
  if (sort !== undefined) q.set('sort', JSON.stringify(sort));
  if (range !== undefined) q.set('range', JSON.stringify(range));
  if (filter !== undefined) q.set('filter', JSON.stringify(filter));
  return `?${q}`;
};
const contentRange = (r: TestResponse) => {
  const m = /^([a-z-]+) (\d+)-(\d+)\/(\d+)$/.exec(r.headers.get('content-range') ?? '');
  expect(m, r.headers.get('content-range') ?? 'no Content-Range').not.toBeNull();
  return { resource: m![1], start: Number(m![2]), end: Number(m![3]), total: Number(m![4]) };
};

describe('staff API: audit log (simple-rest dialect, scoped by authority)', async () => {
  const env = await testEnv();
  // Activity in two cities: a Shenzhen citizen signs in, Shenzhen and Guangzhou staff sign in.
  const citizenSignIn = await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: '13800138000', password: 'Demo#2026pass' } });
  expect(citizenSignIn.status).toBe(200);
  const citizen = cookiesOf(citizenSignIn);
  await staffCookie(env, 'gz.intake');
  await staffCookie(env, 'sz.intake');
  const admin = await staffCookie(env, 'admin');
  // The log's readers are 审计员 (issue 17): Shenzhen's from the seed, and one in Guangzhou.
  await env.sql`INSERT INTO staff_member (username, display_name, password_hash, roles, authority_id, totp_key, totp_enabled)
                SELECT 'gz.audit', '广州审计员', password_hash, '{auditor}', '440100', totp_key, true FROM staff_member WHERE username = 'sz.audit'`;
  const gz = await staffSessionCookie(env, 'gz.audit');
  const sz = await staffSessionCookie(env, 'sz.audit');
  const totalRows = async () => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`)[0]!.n;

  it('lists with Content-Range, sort and range (ra-data-simple-rest)', async () => {
    const total = await totalRows();
    expect(total).toBeGreaterThanOrEqual(4);
    const r = await env.call('GET', `/admin-api/audit-log${list(['id', 'ASC'], [1, 3])}`, { cookie: admin });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-expose-headers')).toContain('Content-Range');
    const rows = await r.json();
    expect(rows).toHaveLength(3);
    expect(contentRange(r)).toEqual({ resource: 'audit-log', start: 1, end: 3, total });
    const ids = (await env.sql<{ id: number }[]>`SELECT id FROM audit_log ORDER BY id LIMIT 3 OFFSET 1`).map((x) => Number(x.id));
    expect(rows.map((x: { id: number }) => x.id)).toEqual(ids);
    expect(rows[0]).toEqual(expect.objectContaining({ id: ids[0], at: expect.any(String), action: expect.any(String), actorKind: expect.any(String) }));

    const desc = await (await env.call('GET', `/admin-api/audit-log${list(['id', 'DESC'], [0, 0])}`, { cookie: admin })).json();
    expect(desc).toHaveLength(1);
    expect(desc[0].id).toBe(Math.max(...(await env.sql<{ id: number }[]>`SELECT id FROM audit_log`).map((x) => Number(x.id))));

    // Default: newest first, 25 at most.
    const def = await env.call('GET', '/admin-api/audit-log', { cookie: admin });
    expect(contentRange(def)).toMatchObject({ start: 0, total });
  });

  it('filters by action and by free text', async () => {
    const r = await env.call('GET', `/admin-api/audit-log${list(['at', 'DESC'], [0, 99], { action: 'auth.staff_signed_in' })}`, { cookie: admin });
    const rows = await r.json();
    expect(rows.map((x: { action: string }) => x.action)).toEqual(['auth.staff_signed_in', 'auth.staff_signed_in', 'auth.staff_signed_in']);
    expect(contentRange(r).total).toBe(3);
    const q = await (await env.call('GET', `/admin-api/audit-log${list(undefined, undefined, { q: 'gz.intake' })}`, { cookie: admin })).json();
    expect(q.length).toBeGreaterThan(0);
    expect(q.every((x: { actorLabel: string }) => x.actorLabel.includes('gz.intake'))).toBe(true);
  });

  it('refuses an unknown sort column with 400 and fields.sort; a bad range or filter too', async () => {
    const r = await env.call('GET', `/admin-api/audit-log${list(['password_hash', 'ASC'])}`, { cookie: admin });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const p = await r.json();
    expect(p.code).toBe('request.invalid');
    expect(fieldsOf(p)).toEqual({ sort: 'validation.enum' });
    expect(fieldMessagesOf(p).sort).toBeTruthy();
    expect(fieldsOf(await (await env.call('GET', `/admin-api/audit-log${list(['id', 'ASC'], [5, 2])}`, { cookie: admin })).json())).toEqual({ range: 'validation.invalid' });
    expect(fieldsOf(await (await env.call('GET', '/admin-api/audit-log?filter=%7Bnot-json', { cookie: admin })).json())).toEqual({ filter: 'validation.invalid' });
    // SQL in a sort column never reaches the database.
    expect((await env.call('GET', `/admin-api/audit-log${list(['at; DROP TABLE audit_log', 'ASC'])}`, { cookie: admin })).status).toBe(400);
  });

  it('PD-9: the Guangzhou 审计员 sees only Guangzhou entries, not Shenzhen sign-ins; the admin sees all', async () => {
    const [szSignIn] = await env.sql<{ id: number }[]>`SELECT id FROM audit_log WHERE action = 'auth.signed_in' AND authority_id = '440300'`;
    expect(szSignIn).toBeDefined();

    const gzAll = await env.call('GET', `/admin-api/audit-log${list(['id', 'ASC'], [0, 499])}`, { cookie: gz });
    const gzRows = await gzAll.json();
    expect(gzRows.length).toBeGreaterThan(0); // gz.intake's sign-in
    expect(gzRows.every((x: { authorityId: string }) => x.authorityId === '440100')).toBe(true);
    expect(contentRange(gzAll).total).toBe(gzRows.length);
    const gzSignIns = await (await env.call('GET', `/admin-api/audit-log${list(undefined, undefined, { action: 'auth.signed_in' })}`, { cookie: gz })).json();
    expect(gzSignIns).toEqual([]);
    // Not yours looks like not found.
    expect((await env.call('GET', `/admin-api/audit-log/${szSignIn!.id}`, { cookie: gz })).status).toBe(404);

    const szRows = await (await env.call('GET', `/admin-api/audit-log${list(undefined, undefined, { action: 'auth.signed_in' })}`, { cookie: sz })).json();
    expect(szRows.map((x: { id: number }) => x.id)).toContain(Number(szSignIn!.id));

    const all = await env.call('GET', `/admin-api/audit-log${list(['id', 'ASC'], [0, 499])}`, { cookie: admin });
    expect(contentRange(all).total).toBe(await totalRows());
    const authorities = new Set((await all.json()).map((x: { authorityId: string | null }) => x.authorityId));
    expect(authorities.has('440300')).toBe(true);
    expect(authorities.has('440100')).toBe(true);
    const one = await env.call('GET', `/admin-api/audit-log/${szSignIn!.id}`, { cookie: admin });
    expect(one.status).toBe(200);
    expect((await one.json())).toMatchObject({ id: Number(szSignIn!.id), action: 'auth.signed_in', authorityId: '440300', actorKind: 'user' });
  });

  it('anonymous callers get 401 and a citizen session is not a staff session', async () => {
    expect((await env.call('GET', '/admin-api/audit-log')).status).toBe(401);
    expect((await env.call('GET', '/admin-api/audit-log/1')).status).toBe(401);
    const asCitizen = await env.call('GET', '/admin-api/audit-log', { cookie: citizen });
    expect(asCitizen.status).toBe(401);
    expect((await asCitizen.json()).code).toBe('auth.required');
    expect(asCitizen.headers.get('content-range')).toBeNull();
  });
});

describe('staff API: outbox', async () => {
  const env = await testEnv();
  // Codes to two phones; one is delivered.
  expect((await env.call('POST', '/api/v1/auth/sms-codes', { body: { phone: '13900139000', purpose: 'sign_up' } })).status).toBe(202);
  expect((await env.call('POST', '/api/v1/auth/sms-codes', { body: { phone: '13800138000', purpose: 'sign_in' } })).status).toBe(202);
  await dispatchDue(env.sql, devProviders(), env.clock.now());
  const admin = await staffCookie(env, 'admin');

  it('non-negotiable 7: lists messages with delivery states and never shows a full phone number', async () => {
    const r = await env.call('GET', `/admin-api/outbox${list(['createdAt', 'DESC'], [0, 24], { channel: 'sms' })}`, { cookie: admin });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).not.toMatch(PHONE_11);
    expect(text).not.toContain('13900139000');
    expect(text).not.toContain('13800138000');
    const rows = JSON.parse(text);
    expect(rows).toHaveLength(2);
    expect(contentRange(r)).toEqual({ resource: 'outbox', start: 0, end: 1, total: 2 });
    expect(rows.map((x: { recipient: string }) => x.recipient).sort()).toEqual(['138****8000', '139****9000']);
    expect(rows.every((x: { status: string; attempts: number }) => x.status === 'delivered' && x.attempts === 1)).toBe(true);
    // The code itself is not in the list either.
    const codes = await env.sql<{ code: string }[]>`SELECT payload->>'code' AS code FROM outbox_message`;
    for (const { code } of codes) expect(text).not.toContain(`"${code}"`);

    const one = await env.call('GET', `/admin-api/outbox/${rows[0].id}`, { cookie: admin });
    const oneText = await one.text();
    expect(oneText).not.toMatch(PHONE_11);
    expect(JSON.parse(oneText).events.map((e: { status: string }) => e.status)).toEqual(['pending', 'sending', 'delivered']);
  });

  it('Content-Range keeps the total when the range is past the end (outbox, jobs, calendar days, audit log)', async () => {
    const r = await env.call('GET', `/admin-api/outbox${list(['createdAt', 'DESC'], [10, 19])}`, { cookie: admin });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual([]);
    expect(contentRange(r).total).toBe(2);
    await env.sql`INSERT INTO job (kind, run_at, created_at) VALUES ('test.a', now(), now()), ('test.b', now(), now())`;
    await env.call('POST', '/admin-api/calendar-days', { cookie: admin, body: { day: '2026-12-29', kind: 'holiday', note: '' } });
    const counts = {
      jobs: (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM job`)[0]!.n,
      'calendar-days': 1,
      'audit-log': (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`)[0]!.n,
    };
    for (const [resource, total] of Object.entries(counts)) {
      const past = await env.call('GET', `/admin-api/${resource}${list(undefined, [100, 109])}`, { cookie: admin });
      expect(past.status, resource).toBe(200);
      expect(await past.json()).toEqual([]);
      expect(contentRange(past), resource).toMatchObject({ resource, total });
    }
  });

  it('R-4: the archive post has no outbox (403); intake sees only its own authority’s messages; anonymous 401', async () => {
    const archive = await staffCookie(env, 'sz.archive');
    expect((await env.call('GET', '/admin-api/outbox', { cookie: archive })).status).toBe(403);
    const [m] = await env.sql<{ id: string }[]>`SELECT id FROM outbox_message LIMIT 1`;
    expect((await env.call('GET', `/admin-api/outbox/${m!.id}`, { cookie: archive })).status).toBe(403);
    const intake = await staffCookie(env, 'sz.intake');
    const r = await env.call('GET', '/admin-api/outbox', { cookie: intake });
    expect(r.status).toBe(200);
    // Sign-up codes belong to no authority yet: a city's intake does not see them.
    expect(await r.json()).toEqual([]);
    expect((await env.call('GET', `/admin-api/outbox/${m!.id}`, { cookie: intake })).status).toBe(404);
    expect((await env.call('GET', '/admin-api/outbox')).status).toBe(401);
  });

  it('jobs are for the system administrator only', async () => {
    expect((await env.call('GET', '/admin-api/jobs', { cookie: admin })).status).toBe(200);
    expect((await env.call('GET', '/admin-api/jobs', { cookie: await staffCookie(env, 'sz.review') })).status).toBe(403);
  });
});

describe('staff API: working-day calendar (PD-2)', async () => {
  const env = await testEnv({ start: '2026-11-25T02:00:00Z' });
  const admin = await staffCookie(env, 'admin');
  const audits = async (action: string, entityId: string) =>
    (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action} AND entity_id = ${entityId}`)[0]!.n;

  it('the admin sets a day, lists it by year, deletes it; each change is audited', async () => {
    const set = await env.call('POST', '/admin-api/calendar-days', { cookie: admin, body: { day: '2026-12-31', kind: 'holiday', note: '测试 调休' } });
    expect(set.status).toBe(201);
    expect(await set.json()).toMatchObject({ id: '2026-12-31', day: '2026-12-31', kind: 'holiday', note: '测试 调休' });
    await env.call('POST', '/admin-api/calendar-days', { cookie: admin, body: { day: '2025-06-03', kind: 'holiday', note: 'other year' } });

    const listed = await env.call('GET', `/admin-api/calendar-days${list(['day', 'ASC'], [0, 24], { year: 2026 })}`, { cookie: admin });
    expect(listed.status).toBe(200);
    const rows = await listed.json();
    expect(rows.map((r: { day: string }) => r.day)).toEqual(['2026-12-31']);
    expect(contentRange(listed)).toEqual({ resource: 'calendar-days', start: 0, end: 0, total: 1 });
    expect(await audits('calendar.day_set', '2026-12-31')).toBe(1);

    // Changing it keeps the old value in the audit row.
    await env.call('POST', '/admin-api/calendar-days', { cookie: admin, body: { day: '2026-12-31', kind: 'workday', note: '' } });
    const [changed] = await env.sql<{ before: unknown; after: unknown }[]>`
      SELECT before, after FROM audit_log WHERE action = 'calendar.day_set' AND entity_id = '2026-12-31' ORDER BY id DESC LIMIT 1`;
    expect(changed).toEqual({ before: { kind: 'holiday', note: '测试 调休' }, after: { kind: 'workday', note: '' } });

    const del = await env.call('DELETE', '/admin-api/calendar-days/2026-12-31', { cookie: admin });
    expect(del.status).toBe(200);
    expect((await del.json()).day).toBe('2026-12-31');
    expect(await audits('calendar.day_removed', '2026-12-31')).toBe(1);
    expect(await (await env.call('GET', `/admin-api/calendar-days${list(undefined, undefined, { year: 2026 })}`, { cookie: admin })).json()).toEqual([]);
    expect((await env.call('DELETE', '/admin-api/calendar-days/2026-12-31', { cookie: admin })).status).toBe(404);
    expect(await audits('calendar.day_removed', '2026-12-31')).toBe(1);
  });

  it('PD-2: calendar/status in 2026 reports 2027 missing; after the admin enters 2027 it reports staff', async () => {
    const archive = await staffCookie(env, 'sz.archive');
    const before = await env.call('GET', '/admin-api/calendar/status', { cookie: archive });
    expect(before.status).toBe(200);
    const s = await before.json();
    expect(s.missingNextYear).toBe(true);
    expect(s.nextYear).toBe(2027);
    expect(s.years).toContainEqual({ year: 2027, source: 'missing' });
    expect(s.years).toContainEqual({ year: 2026, source: 'package' });

    const entry = {
      year: 2027,
      holidays: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-10-01'],
      workdays: ['2027-02-13'],
    };
    const entered = await env.call('POST', '/admin-api/calendar/years', { cookie: admin, body: entry });
    expect(entered.status).toBe(200);
    expect(await entered.json()).toMatchObject({ missingNextYear: false, years: expect.arrayContaining([{ year: 2027, source: 'staff' }]) });
    const after = await (await env.call('GET', '/admin-api/calendar/status', { cookie: archive })).json();
    expect(after.missingNextYear).toBe(false);
    expect(after.years).toContainEqual({ year: 2027, source: 'staff' });

    const days = await (await env.call('GET', `/admin-api/calendar-days${list(['day', 'ASC'], [0, 99], { year: 2027 })}`, { cookie: admin })).json();
    expect(days).toHaveLength(11);
    expect(days.find((d: { day: string }) => d.day === '2027-02-13')).toMatchObject({ kind: 'workday' });
    const [audit] = await env.sql<{ after: { holidays: string[]; workdays: string[] } }[]>`SELECT after FROM audit_log WHERE action = 'calendar.year_entered' AND entity_id = '2027'`;
    expect(audit!.after.workdays).toEqual(['2027-02-13']);

    // Re-entering the year replaces it; the status is unchanged.
    const again = await env.call('POST', '/admin-api/calendar/years', { cookie: admin, body: { ...entry, holidays: ['2027-01-01'], workdays: [] } });
    expect(again.status).toBe(200);
    expect(await (await env.call('GET', `/admin-api/calendar-days${list(undefined, undefined, { year: 2027 })}`, { cookie: admin })).json()).toHaveLength(1);
  });

  it('PD-2: a day outside the year answers 422 calendar.day_outside_year and changes nothing', async () => {
    const before = (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM calendar_override`)[0]!.n;
    const r = await env.call('POST', '/admin-api/calendar/years', { cookie: admin, body: { year: 2028, holidays: ['2028-01-01', '2029-01-01'], workdays: [] }, headers: { 'accept-language': 'en' } });
    expect(r.status).toBe(422);
    const p = await r.json();
    expect(p.code).toBe('calendar.day_outside_year');
    expect(p.title).toBe('A date lies outside the chosen year');
    const conflict = await env.call('POST', '/admin-api/calendar/years', { cookie: admin, body: { year: 2028, holidays: ['2028-01-01'], workdays: ['2028-01-01'] } });
    expect((await conflict.json()).code).toBe('calendar.day_conflict');
    expect((await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM calendar_override`)[0]!.n).toBe(before);
    expect(await env.sql`SELECT 1 FROM calendar_year WHERE year = 2028`).toHaveLength(0);
    expect(await env.sql`SELECT 1 FROM audit_log WHERE entity_id = '2028'`).toHaveLength(0);
  });

  it('R-4: other staff get 403 on calendar changes, anonymous callers 401', async () => {
    const review = await staffCookie(env, 'sz.review');
    const body = { day: '2026-12-30', kind: 'holiday', note: '' };
    expect((await env.call('POST', '/admin-api/calendar-days', { cookie: review, body })).status).toBe(403);
    expect((await env.call('GET', '/admin-api/calendar-days', { cookie: review })).status).toBe(403);
    expect((await env.call('DELETE', '/admin-api/calendar-days/2026-12-30', { cookie: review })).status).toBe(403);
    expect((await env.call('POST', '/admin-api/calendar/years', { cookie: review, body: { year: 2027, holidays: [], workdays: [] } })).status).toBe(403);
    for (const [method, path, b] of [
      ['POST', '/admin-api/calendar-days', body],
      ['GET', '/admin-api/calendar-days', undefined],
      ['DELETE', '/admin-api/calendar-days/2026-12-30', undefined],
      ['POST', '/admin-api/calendar/years', { year: 2027, holidays: [], workdays: [] }],
      ['GET', '/admin-api/calendar/status', undefined],
    ] as const) {
      const r = await env.call(method, path, { body: b });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect((await r.json()).code).toBe('auth.required');
    }
    expect(await env.sql`SELECT 1 FROM calendar_override WHERE day = '2026-12-30'`).toHaveLength(0);
  });
});
