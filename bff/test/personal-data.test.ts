import { describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/core/context.ts';
import { testEnv, staffSessionCookie, userSessionCookie, type TestEnv, type TestResponse } from './support.ts';
import { registeredRoutes } from './routes.ts';
import { CHEN_JING, ORG_DOCS, PERSON_DOCS, personForm, scan, smsSignIn } from '../src/modules/accounts/testing.ts';
import { FUTIAN, makeSlot, ZW_LAVIDA } from '../src/modules/inspections/testing.ts';

/**
 * Issue 17 (ADR-024), personal data in staff screens: ID numbers, phones,
 * e-mail and postal addresses are masked in every staff list, show and
 * export; the full value is a reveal of one field of one record with a
 * reason, audited and shown to the citizen as "who viewed my data"; exports
 * are CSV with zh-CN headers, a UTF-8 BOM and an audit entry each.
 */
const STAFF: Record<StaffRole, string> = {
  intake: 'sz.intake', review: 'sz.review', archive: 'sz.archive', station_operator: 'station.futian', dealer: 'dealer.pengcheng', system_admin: 'admin', auditor: 'sz.audit',
  medical_operator: 'medical.binhai', exam_operator: 'exam.szks',
};
const ROLES = Object.keys(STAFF) as StaffRole[];
const ZHANG_WEI = { userId: '50000000-0000-4000-8000-000000000001', idNumber: '440304198503122756', phone: '13800138000' };
const CHEN_EMAIL = 'chen.jing.1995@example.cn';
const CHEN_ADDRESS = '广东省深圳市龙岗区龙城大道99号碧海名苑1栋2106';
const HOSPITAL = {
  organisationKind: 'public_institution', organisationName: '深圳市滨海人民医院', uscc: '1244030045571806XX', postalAddress: '广东省深圳市南山区后海大道2108号',
  postcode: '518057', legalRepName: '郭志远', legalRepPhone: '19170466362',
  agent: { name: '任静怡', sex: 'F', birthDate: '1998-01-05', idType: 'resident_id', idNumber: '440309199801053521', phone: '13312345678', email: 'fleet@binhai.example.com' },
  matters: '注册单位用户，绑定本单位机动车',
};
/** Deliberately unmasked, each with its reason. */
const UNMASKED: Record<string, string> = {
  'GET /admin-api/account-prefills/{code}': 'the form a citizen hands over in person at the counter (its QR code), loaded into 受理岗’s intake form',
};

/** Every ID number, phone, e-mail and postal address of a citizen the database holds (and those this test entered). */
async function personalValues(env: TestEnv): Promise<string[]> {
  const rows = await env.sql<{ v: string }[]>`
    SELECT id_number AS v FROM person WHERE length(id_number) >= 15
    UNION SELECT phone FROM person UNION SELECT address FROM person
    UNION SELECT phone FROM user_account UNION SELECT email FROM user_account UNION SELECT postal_address FROM user_account
    UNION SELECT legal_rep_phone FROM organisation UNION SELECT owner_phone FROM vehicle
    UNION SELECT phone FROM driving_licence UNION SELECT licence_no FROM driving_licence
    UNION SELECT recipient_phone FROM replacement_application UNION SELECT postal_address FROM replacement_application
    UNION SELECT id_number FROM account_application UNION SELECT phone FROM account_application
    UNION SELECT form->>'email' FROM account_application UNION SELECT form->>'postalAddress' FROM account_application
    UNION SELECT form->'agent'->>'idNumber' FROM account_application UNION SELECT form->'agent'->>'email' FROM account_application`;
  return [...new Set([...rows.map((r) => r.v), CHEN_EMAIL, CHEN_ADDRESS, HOSPITAL.legalRepPhone, HOSPITAL.agent.idNumber, HOSPITAL.agent.email])]
    .filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

const leaks = (text: string, values: string[]) => values.filter((v) => text.includes(v));
const isText = (r: TestResponse) => /json|csv|text/.test(r.headers.get('content-type') ?? '');

describe('issue 17: personal data in staff screens', async () => {
  const env = await testEnv();
  const staff = {} as Record<StaffRole, string>;
  for (const role of ROLES) staff[role] = await staffSessionCookie(env, STAFF[role]);
  const gzIntake = await staffSessionCookie(env, 'gz.intake');

  // Records with every kind of personal data: a counter registration (with e-mail and address) and an
  // organisation's, a replacement sent by post, an inspection booking.
  const created = await env.call('POST', '/admin-api/account-applications', {
    cookie: staff.intake,
    body: { subject: 'person', kind: 'registration', form: personForm(CHEN_JING, { email: CHEN_EMAIL, postalAddress: CHEN_ADDRESS }), documents: await scan(env, staff.intake, PERSON_DOCS) },
  });
  expect(created.status).toBe(201);
  const application = (await created.json()) as { id: string };
  const org = await env.call('POST', '/admin-api/account-applications', {
    cookie: staff.intake, body: { subject: 'organisation', kind: 'registration', form: HOSPITAL, documents: await scan(env, staff.intake, ORG_DOCS) },
  });
  expect(org.status).toBe(201);
  const zw = await userSessionCookie(env, ZHANG_WEI.userId);
  const replacement = await env.call('POST', '/api/v1/replacements', {
    cookie: zw,
    body: { vehicleId: ZW_LAVIDA, item: 'plate', kind: 'replacement', reasonNote: '前号牌丢失', delivery: 'post', recipientName: '张伟', recipientPhone: '13800138000', postalAddress: '广东省深圳市南山区科技园科苑路15号', postcode: '518057' },
  });
  expect(replacement.status).toBe(201);
  const slot = await makeSlot(env.sql, FUTIAN, '2026-12-03', '09:00', 5, env.clock.now());
  expect((await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_LAVIDA, slotId: slot } })).status).toBe(201);

  it('issue 17: ID numbers, phones, e-mail and postal addresses are masked in every staff list and show (every /admin-api GET, every post)', async () => {
    const values = await personalValues(env);
    expect(values).toEqual(expect.arrayContaining([CHEN_JING.idNumber, CHEN_EMAIL, CHEN_ADDRESS, ZHANG_WEI.phone, '广东省深圳市南山区科技园科苑路15号']));
    const routes = registeredRoutes(env).filter((o) => o.method === 'GET' && o.path.startsWith('/admin-api/') && o.guard?.kind === 'staff');
    const lists = routes.filter((o) => !o.path.includes(':'));
    const failures: string[] = [];
    let checked = 0;
    for (const role of ROLES) {
      const permitted = (o: (typeof routes)[number]) => o.guard?.kind === 'staff' && (o.guard.roles.length === 0 || o.guard.roles.includes(role));
      for (const list of lists.filter(permitted)) {
        const r = await env.call('GET', `${list.path}?range=${encodeURIComponent('[0,99]')}`, { cookie: staff[role] });
        if (r.status !== 200 || !isText(r)) continue;
        const text = await r.text();
        checked++;
        for (const v of leaks(text, values)) failures.push(`${role} ${list.path}: ${v}`);
        // The records' own pages: `/{id}` under the list, for the first rows.
        const show = routes.find((o) => o.docPath === `${list.docPath}/{id}` && permitted(o));
        if (!show || `GET ${show.docPath}` in UNMASKED || !text.startsWith('[')) continue;
        for (const row of (JSON.parse(text) as { id?: unknown }[]).slice(0, 5)) {
          if (row.id === undefined) continue;
          const one = await env.call('GET', `${list.path}/${encodeURIComponent(String(row.id))}`, { cookie: staff[role] });
          if (one.status !== 200 || !isText(one)) continue;
          checked++;
          for (const v of leaks(await one.text(), values)) failures.push(`${role} ${list.path}/{id}: ${v}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(failures).toEqual([]);
    // What staff see instead: the masked forms.
    const shown = await (await env.call('GET', `/admin-api/account-applications/${application.id}`, { cookie: staff.review })).json();
    expect(shown).toMatchObject({ idNumber: '440307********0705', phone: '158****8000', form: { idNumber: '440307********0705', phone: '158****8000', email: 'c***@example.cn', postalAddress: '广东省深圳市龙岗区****' } });
  });

  it('issue 17: a reveal with a reason answers the one value, is audited and is written to the citizen’s access log', async () => {
    const reason = '核对申请人身份证件';
    const r = await env.call('POST', `/admin-api/account-applications/${application.id}/reveal`, { cookie: staff.review, body: { field: 'idNumber', reason } });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await r.json()).toEqual({ field: 'idNumber', kind: 'id_number', value: CHEN_JING.idNumber });
    const email = await (await env.call('POST', `/admin-api/account-applications/${application.id}/reveal`, { cookie: staff.intake, body: { field: 'email', reason: '电话联系不上，改发邮件' } })).json();
    expect(email.value).toBe(CHEN_EMAIL);

    const [audit] = await env.sql<{ actor_label: string; authority_id: string; after: Record<string, unknown> }[]>`
      SELECT actor_label, authority_id, after FROM audit_log WHERE action = 'data_access.revealed' ORDER BY id LIMIT 1`;
    expect(audit).toMatchObject({ authority_id: '440300', after: { resource: 'account-applications', recordId: application.id, field: 'idNumber', kind: 'id_number', reason } });
    expect(audit!.actor_label).toContain('sz.review');
    expect(JSON.stringify(audit)).not.toContain(CHEN_JING.idNumber);
    const [access] = await env.sql<{ staff_roles: string[]; authority_id: string; data_kind: string; reason: string; person_id: string | null }[]>`
      SELECT staff_roles, authority_id, data_kind, reason, person_id FROM personal_data_access WHERE record_id = ${application.id} ORDER BY id LIMIT 1`;
    expect(access).toMatchObject({ staff_roles: ['review'], authority_id: '440300', data_kind: 'id_number', reason });
    expect(access!.person_id).not.toBeNull();
    await expect(env.sql`UPDATE personal_data_access SET reason = 'x'`).rejects.toThrow(/append-only/);

    // Other records: an account, a replacement's address, a booking's phone.
    expect((await (await env.call('POST', `/admin-api/user-accounts/${ZHANG_WEI.userId}/reveal`, { cookie: staff.intake, body: { field: 'phone', reason: '核实联系电话' } })).json()).value).toBe(ZHANG_WEI.phone);
    const rid = (await replacement.json()).id as string;
    expect((await (await env.call('POST', `/admin-api/replacements/${rid}/reveal`, { cookie: staff.archive, body: { field: 'postalAddress', reason: '邮件退回，核对地址' } })).json()).value).toBe('广东省深圳市南山区科技园科苑路15号');
    const [booking] = await env.sql<{ id: string }[]>`SELECT id FROM inspection_booking WHERE slot_id = ${slot}`;
    expect((await (await env.call('POST', `/admin-api/inspection-bookings/${booking!.id}/reveal`, { cookie: staff.station_operator, body: { field: 'phone', reason: '检测线故障，电话通知改期' } })).json()).value).toBe(ZHANG_WEI.phone);
  });

  it('issue 17: a reveal needs a reason and a revealable field of a record in the member’s scope', async () => {
    const path = `/admin-api/account-applications/${application.id}/reveal`;
    const before = (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM personal_data_access`)[0]!.n;
    expect((await env.call('POST', path, { cookie: staff.review, body: { field: 'idNumber' } })).status).toBe(400);
    expect((await env.call('POST', path, { cookie: staff.review, body: { field: 'idNumber', reason: ' ' } })).status).toBe(400);
    const unknown = await env.call('POST', path, { cookie: staff.review, body: { field: 'name', reason: '核对' } });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ code: 'data_access.field_unknown', errors: [expect.objectContaining({ field: 'field' })] });
    // Another city's counter, another post, a citizen, nobody.
    expect((await env.call('POST', path, { cookie: gzIntake, body: { field: 'idNumber', reason: '核对' } })).status).toBe(404);
    expect((await env.call('POST', path, { cookie: staff.archive, body: { field: 'idNumber', reason: '核对' } })).status).toBe(403);
    expect((await env.call('POST', path, { cookie: staff.auditor, body: { field: 'idNumber', reason: '核对' } })).status).toBe(403);
    expect((await env.call('POST', path, { cookie: await userSessionCookie(env, ZHANG_WEI.userId), body: { field: 'idNumber', reason: '核对' } })).status).toBe(401);
    expect((await env.call('POST', path, { body: { field: 'idNumber', reason: '核对' } })).status).toBe(401);
    expect((await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM personal_data_access`)[0]!.n).toBe(before);
  });

  it('issue 17: the citizen’s “who viewed my data” shows each reveal with the post, city, time and reason — never the staff member’s name', async () => {
    const mine = await env.call('GET', '/api/v1/me/data-access', { cookie: await userSessionCookie(env, ZHANG_WEI.userId) });
    expect(mine.status).toBe(200);
    const text = await mine.text();
    const log = JSON.parse(text) as { entries: { posts: string[]; cityName: string; at: string; reason: string; dataKind: string; resource: string }[] };
    expect(log.entries.map((e) => e.reason)).toEqual(['检测线故障，电话通知改期', '邮件退回，核对地址', '核实联系电话']);
    expect(log.entries[0]).toMatchObject({ posts: ['station_operator'], cityName: '深圳市', dataKind: 'phone', resource: 'inspection-bookings', at: env.clock.now().toISOString() });
    for (const name of ['王磊', '何丽', '林晓', 'station.futian', 'sz.archive', 'sz.intake']) expect(text).not.toContain(name);
    const ids = await env.sql<{ id: string }[]>`SELECT id::text FROM staff_member`;
    for (const { id } of ids) expect(text).not.toContain(id);

    // A reveal before the account existed joins it through the person: 陈静's application, approved, then she signs in.
    expect((await env.call('POST', `/admin-api/account-applications/${application.id}/approve`, { cookie: staff.review, body: {} })).status).toBe(200);
    const chen = await smsSignIn(env, CHEN_JING.phone);
    const hers = await (await env.call('GET', '/api/v1/me/data-access', { cookie: chen.cookie })).json();
    expect(hers.entries.map((e: { dataKind: string; posts: string[] }) => [e.dataKind, e.posts])).toEqual([['email', ['intake']], ['id_number', ['review']]]);
    // Nobody else's.
    expect((await env.call('GET', '/api/v1/me/data-access')).status).toBe(401);
  });

  it('issue 17: staff exports have zh-CN column headers, masked values, a UTF-8 BOM and one audit entry per export', async () => {
    const values = await personalValues(env);
    const exported = async () => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'data_access.exported'`)[0]!.n;
    const r = await env.call('GET', `/admin-api/account-applications/export.csv?filter=${encodeURIComponent('{"subject":"person"}')}`, { cookie: staff.review });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="account-applications-2026-11-25\.csv"; filename\*=UTF-8''/);
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes).split('\r\n').filter(Boolean);
    expect(header!.split(',').slice(0, 6)).toEqual(['受理编号', '申请人', '身份证明号码', '手机号码', '电子邮箱', '邮寄地址']);
    expect(lines.find((l) => l.includes('陈静'))).toContain('440307********0705,158****8000,c***@example.cn,广东省深圳市龙岗区****');
    const [audit] = await env.sql<{ entity_id: string; after: { rows: number; filter: unknown } }[]>`
      SELECT entity_id, after FROM audit_log WHERE action = 'data_access.exported' ORDER BY id DESC LIMIT 1`;
    expect(audit).toEqual({ entity_id: 'account-applications', after: expect.objectContaining({ rows: lines.length, filter: { subject: 'person' } }) });

    // Every export the staff API offers, by a post that may read the list.
    const exports = registeredRoutes(env).filter((o) => o.method === 'GET' && o.path.endsWith('/export.csv'));
    expect(exports.map((o) => o.path)).toEqual(expect.arrayContaining([
      '/admin-api/account-applications/export.csv', '/admin-api/user-accounts/export.csv', '/admin-api/replacements/export.csv', '/admin-api/audit-log/export.csv',
    ]));
    for (const o of exports) {
      const role = ROLES.find((x) => o.guard?.kind === 'staff' && o.guard.roles.includes(x))!;
      const before = await exported();
      const res = await env.call('GET', o.path, { cookie: staff[role] });
      expect(res.status, o.path).toBe(200);
      const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(await res.arrayBuffer()));
      expect(body.charCodeAt(0), o.path).toBe(0xfeff);
      const head = body.slice(1).split('\r\n')[0]!.split(',');
      expect(head.every((h) => /\p{Script=Han}/u.test(h)), `${o.path}: ${head.join(',')}`).toBe(true);
      expect(leaks(body, values), o.path).toEqual([]);
      expect(await exported(), o.path).toBe(before + 1);
    }
    // An export is the list's: its guard and scope.
    expect((await env.call('GET', '/admin-api/account-applications/export.csv', { cookie: staff.archive })).status).toBe(403);
    expect((await env.call('GET', '/admin-api/account-applications/export.csv')).status).toBe(401);
    const gz = await env.call('GET', '/admin-api/account-applications/export.csv', { cookie: gzIntake });
    expect((await gz.text()).split('\r\n').filter(Boolean)).toHaveLength(1);
  });

  it('issue 17: a revealed value is never kept in the Idempotency-Key table (the key is ignored on a reveal)', async () => {
    const withKey = await env.call('POST', `/admin-api/account-applications/${application.id}/reveal`, {
      cookie: staff.review, body: { field: 'idNumber', reason: '再次核对身份证件' }, headers: { 'idempotency-key': 'reveal-once-please' },
    });
    expect((await withKey.json()).value).toBe(CHEN_JING.idNumber);
    expect(await env.sql`SELECT 1 FROM idempotency_key WHERE key = 'reveal-once-please'`).toHaveLength(0);
  });
});
