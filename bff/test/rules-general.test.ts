/**
 * Rule fidelity of chapter 1 总则 (issue 18): jurisdiction, data
 * entered to the national standards and nationally unified code
 * formats, on the real Postgres and through the staff API.
 */
import { describe, expect, it } from 'vitest';
import { visibleAuthorities } from '../src/platform/authorities.ts';
import { idDocumentProblem, validateIdNumber, validateUscc } from '../src/platform/check-digits.ts';
import { fieldsOf, staffSessionCookie, testEnv } from './support.ts';
import { CHEN_JING, PERSON_DOCS, personForm, scan } from '../src/modules/accounts/testing.ts';

describe('总则 (R-3.1, R-5, R-6)', async () => {
  const env = await testEnv({ start: '2026-11-25T02:00:00Z' });

  it('R-3.1 a city department works within its own jurisdiction; the province sees (to guide and supervise) every city of its own', async () => {
    const [province] = await env.sql<{ id: string }[]>`SELECT id FROM authority WHERE parent_id IS NULL AND id = '440000'`;
    expect(province).toBeDefined();
    const cities = (await env.sql<{ id: string }[]>`SELECT id FROM authority WHERE parent_id = '440000' ORDER BY id`).map((r) => r.id);
    expect(cities).toEqual(expect.arrayContaining(['440100', '440300']));
    expect((await visibleAuthorities(env.sql, '440000')).sort()).toEqual(['440000', ...cities].sort());
    expect(await visibleAuthorities(env.sql, '440300')).toEqual(['440300']);
    expect(await visibleAuthorities(env.sql, '440100')).toEqual(['440100']);
  });

  it('R-3.1 through the API: a 深圳 case is in 深圳’s queue, 广州 staff cannot open it, and the province can', async () => {
    const sz = await staffSessionCookie(env, 'sz.intake');
    const res = await env.call('POST', '/admin-api/account-applications', {
      cookie: sz, body: { subject: 'person', kind: 'registration', form: personForm({ ...CHEN_JING, phone: '15800158333' }), documents: await scan(env, sz, PERSON_DOCS) },
    });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    expect((await env.call('GET', `/admin-api/account-applications/${id}`, { cookie: sz })).status).toBe(200);
    const gz = await staffSessionCookie(env, 'gz.intake');
    expect((await env.call('GET', `/admin-api/account-applications/${id}`, { cookie: gz })).status).toBe(404);
    const gzQueue = (await (await env.call('GET', '/admin-api/account-applications', { cookie: gz })).json()) as { id: string }[];
    expect(gzQueue.map((a) => a.id)).not.toContain(id);
    expect((await env.call('GET', `/admin-api/account-applications/${id}`, { cookie: await staffSessionCookie(env, 'gd.review') })).status).toBe(200);
  });

  it('R-5 an identity number is entered to GB 11643 (region, birth date, check digit) and a unit code to GB 32100', () => {
    expect(validateIdNumber('440304198503122756')).toEqual({ ok: true, birthDate: '1985-03-12', sex: 'M' });
    expect(validateIdNumber('440304198503122757')).toMatchObject({ ok: false, reason: 'checksum' });
    expect(validateIdNumber('990304198503122756')).toMatchObject({ ok: false, reason: 'region' });
    expect(validateIdNumber('440304198502302756')).toMatchObject({ ok: false, reason: 'birth_date' });
    expect(validateUscc('91440300MA5F28360P')).toEqual({ ok: true });
    expect(validateUscc('91440300MA5F28360Q')).toMatchObject({ ok: false, reason: 'checksum' });
    expect(idDocumentProblem('resident_id', '440304198503122757')).toBe('validation.id_number_checksum');
  });

  it('R-5 the counter refuses a form whose ID number breaks GB 11643, at that field, and records nothing', async () => {
    const intake = await staffSessionCookie(env, 'sz.intake');
    const before = await env.sql`SELECT count(*)::int AS n FROM account_application`;
    const res = await env.call('POST', '/admin-api/account-applications', {
      cookie: intake,
      body: {
        subject: 'person', kind: 'registration', documents: {},
        form: { name: '陈静', sex: 'F', birthDate: '1995-09-30', idType: 'resident_id', idNumber: '440307199509300706', phone: '15800158222', postalAddress: '广东省深圳市龙岗区龙城大道99号', postcode: '518172' },
      },
    });
    expect(res.status).toBe(400);
    const p = await res.json();
    expect(Object.keys(fieldsOf(p))).toContain('form.idNumber');
    expect(await env.sql`SELECT count(*)::int AS n FROM account_application`).toEqual(before);
  });

  it('R-6 one national code format: authorities carry their 6-digit GB/T 2260 行政区划代码, a city under its province’s two-digit prefix', async () => {
    const rows = await env.sql<{ id: string; parent_id: string | null }[]>`SELECT id, parent_id FROM authority`;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.id).toMatch(/^\d{6}$/);
      if (r.parent_id === null) expect(r.id).toMatch(/0000$/);
      else expect(r.id.slice(0, 2)).toBe(r.parent_id.slice(0, 2));
    }
  });
});
