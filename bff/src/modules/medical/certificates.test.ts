import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.ts';
import type { Actor, RequestMeta } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { certificatesIssuedBetween, insertHealthCertificate, usableHealthCertificate } from './certificates.ts';
import { HOSPITAL_ID, makeHolder, qualify } from './testing.ts';

let env: TestEnv;
const system: Actor = { kind: 'system', label: 'test' };
const meta = (iso = '2026-11-25T02:00:00Z'): RequestMeta => ({ requestId: 'test', ip: '127.0.0.1', now: new Date(iso) });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('health certificates (the API the licences module reads), on a real database', () => {
  beforeAll(async () => {
    env = await testEnv();
    await qualify(env.sql, HOSPITAL_ID, '2026-06-01');
  });

  it('X-4.3.4 a certificate is valid six calendar months from its examination day (PD-2 month-end clamp)', async () => {
    const h = await makeHolder(env.sql, { birth: '1980-05-05' });
    const c = await env.sql.begin((tx) => insertHealthCertificate(tx, system, meta(), {
      personId: h.personId, licenceId: h.licenceId, issuerOrganisationId: HOSPITAL_ID, source: 'institution', purpose: 'renewal',
      issuedOn: '2026-08-31', conclusion: 'fit', uploadId: null,
    }));
    expect(c.validUntil).toBe('2027-02-28');
    const usable = (day: string) => usableHealthCertificate(env.sql, { personId: h.personId, purposes: ['renewal'], day });
    expect((await usable('2026-08-31'))?.id).toBe(c.id);
    expect((await usable('2027-02-27'))?.id).toBe(c.id);
    expect(await usable('2027-02-28')).toBeNull();
    expect(await usable('2026-08-30')).toBeNull();
    // another purpose does not count
    expect(await usableHealthCertificate(env.sql, { personId: h.personId, purposes: ['age_70_yearly'], day: '2026-11-25' })).toBeNull();
    const [audit] = await env.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE entity_type = 'health_certificate' AND entity_id = ${c.id}`;
    expect(audit?.action).toBe('medical.certificate_recorded');
  });

  it('X-4.3.4 the newest fit certificate is the usable one; an unfit or void one is not', async () => {
    const h = await makeHolder(env.sql, { birth: '1950-02-02' });
    const ins = (issuedOn: string, conclusion: 'fit' | 'unfit') => env.sql.begin((tx) => insertHealthCertificate(tx, system, meta(), {
      personId: h.personId, licenceId: h.licenceId, issuerOrganisationId: HOSPITAL_ID, source: 'institution', purpose: 'age_70_yearly', issuedOn, conclusion, uploadId: null,
    }));
    const older = await ins('2026-10-01', 'fit');
    const newer = await ins('2026-11-01', 'fit');
    await ins('2026-11-20', 'unfit');
    expect((await usableHealthCertificate(env.sql, { personId: h.personId, purposes: ['age_70_yearly', 'renewal'], day: '2026-11-25' }))?.id).toBe(newer.id);
    await env.sql`UPDATE health_certificate SET status = 'void', void_reason = 'test' WHERE id = ${newer.id}`;
    expect((await usableHealthCertificate(env.sql, { personId: h.personId, purposes: ['age_70_yearly'], day: '2026-11-25' }))?.id).toBe(older.id);
    const between = await certificatesIssuedBetween(env.sql, { personId: h.personId, purposes: ['age_70_yearly'], from: '2026-10-01', to: '2026-11-20' });
    expect(between.map((c) => c.issuedOn)).toEqual(['2026-10-01']);
    const all = await certificatesIssuedBetween(env.sql, { personId: h.personId, purposes: ['age_70_yearly'], from: '2026-10-01', to: '2026-11-21' });
    expect(all.map((c) => [c.issuedOn, c.conclusion])).toEqual([['2026-10-01', 'fit'], ['2026-11-20', 'unfit']]);
  });

  it('X-4.3.4 refuses an examination day in the future or more than six months ago; a second send of the same certificate is refused', async () => {
    const h = await makeHolder(env.sql, { birth: '1981-01-01' });
    const ins = (issuedOn: string) => env.sql.begin((tx) => insertHealthCertificate(tx, system, meta('2026-11-25T02:00:00Z'), {
      personId: h.personId, licenceId: null, issuerOrganisationId: null, source: 'self', purpose: 'renewal', issuedOn, conclusion: 'fit', uploadId: null,
    }));
    expect(await codeOf(ins('2026-11-26'))).toBe('medical.issued_in_future');
    expect(await codeOf(ins('2026-05-25'))).toBe('medical.certificate_expired');
    const self = await ins('2026-05-26');
    expect(self.source).toBe('self');
    await expect(ins('2026-05-26')).rejects.toMatchObject({ constraint_name: 'health_certificate_one_per_day' });
  });

  it('X-4.3.1 PD-12 an institution without an active qualification cannot submit a certificate', async () => {
    const h = await makeHolder(env.sql, { birth: '1982-01-01' });
    const [org] = await env.sql<{ id: string }[]>`SELECT id FROM organisation WHERE NOT is_medical_institution LIMIT 1`;
    const code = await codeOf(env.sql.begin((tx) => insertHealthCertificate(tx, system, meta(), {
      personId: h.personId, licenceId: h.licenceId, issuerOrganisationId: org!.id, source: 'institution', purpose: 'renewal', issuedOn: '2026-11-20', conclusion: 'fit', uploadId: null,
    })));
    expect(code).toBe('medical.institution_not_qualified');
  });

  it('X-4.3.1 once the institution is revoked for false certificates, its certificates are no longer accepted', async () => {
    const h = await makeHolder(env.sql, { birth: '1953-03-03' });
    const [org] = await env.sql<{ id: string }[]>`
      INSERT INTO organisation (uscc, name, kind, is_medical_institution, legal_rep_name, legal_rep_phone, authority_id)
      VALUES ('12440300MB2C00003X', '测试医院', 'public_institution', true, '王医生', '13900000000', '440300') RETURNING id`;
    const qid = await qualify(env.sql, org!.id, '2026-06-01');
    const c = await env.sql.begin((tx) => insertHealthCertificate(tx, system, meta(), {
      personId: h.personId, licenceId: h.licenceId, issuerOrganisationId: org!.id, source: 'institution', purpose: 'age_70_yearly', issuedOn: '2026-11-10', conclusion: 'fit', uploadId: null,
    }));
    const q = { personId: h.personId, purposes: ['age_70_yearly'] as const, day: '2026-11-25' };
    expect((await usableHealthCertificate(env.sql, q))?.id).toBe(c.id);
    await env.sql`UPDATE medical_qualification SET status = 'revoked', ended_at = now(), end_reason = 'false_certificates', reapply_after = '2027-11-25' WHERE id = ${qid}`;
    expect(await usableHealthCertificate(env.sql, q)).toBeNull();
    expect(await certificatesIssuedBetween(env.sql, { ...q, from: '2026-01-01', to: '2027-01-01' })).toEqual([]);
  });
});
