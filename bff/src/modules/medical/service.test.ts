import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.ts';
import { runJobs, staffSession } from '../replacements/test-support.ts';
import { chunkedUpload as upload } from '../../platform/uploads/testing.ts';
import { usableHealthCertificate } from './certificates.ts';
import { REQUIRED_DOCUMENTS } from './rules.ts';
import { HOSPITAL_ID, makeHolder, qualify } from './testing.ts';

let env: TestEnv;
let hospital: string; // medical.binhai
let review: string; // sz.review
let intake: string;

type Res = Awaited<ReturnType<TestEnv['call']>>;
async function ok(res: Res, status = 200) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
async function refused(res: Res, status: number, code: string, field?: string) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.code).toBe(code);
  if (field) expect(body.errors?.map((e: { field: string }) => e.field) ?? [], JSON.stringify(body)).toContain(field);
  return body;
}
const post = (cookie: string, path: string, body: unknown = {}) => env.call('POST', path, { cookie, body });
const get = (cookie: string, path: string) => env.call('GET', path, { cookie });

async function documents(cookie: string, kinds: readonly string[] = REQUIRED_DOCUMENTS) {
  const out: Record<string, string> = {};
  for (const k of kinds) out[k] = await upload(env, cookie, '/admin-api/medical-qualification-uploads', Buffer.from(`%PDF-1.7 ${k}`), { fileName: `${k}.pdf` }, 'application/pdf');
  return out;
}
const scan = (cookie: string) => upload(env, cookie, '/admin-api/health-certificate-uploads', Buffer.from('%PDF-1.7 身体条件证明'), { fileName: 'tj.pdf' }, 'application/pdf');

/** A second medical institution with its own operator, for the entrustment's life cycle. */
async function newInstitution(n: number, medical = true) {
  const [org] = await env.sql<{ id: string }[]>`
    INSERT INTO organisation (uscc, name, kind, is_medical_institution, legal_rep_name, legal_rep_phone, authority_id)
    VALUES (${`12440300TEST${String(n).padStart(5, '0')}X`}, ${`深圳市测试第${n}医院`}, 'public_institution', ${medical}, '王院长', '13912345678', '440300') RETURNING id`;
  await env.sql`
    INSERT INTO staff_member (username, display_name, password_hash, roles, authority_id, organisation_id, totp_key, totp_enabled)
    VALUES (${`medical.test${n}`}, ${`测试第${n}医院 操作员`}, 'x', '{medical_operator}', '440300', ${org!.id}, '\\x00'::bytea, true)`;
  return { orgId: org!.id, username: `medical.test${n}`, cookie: await staffSession(env, `medical.test${n}`) };
}

/** Fresh sessions at the test clock's now (a staff session idles out after 30 minutes of clock time). */
async function signIn() {
  [hospital, review, intake] = [await staffSession(env, 'medical.binhai'), await staffSession(env, 'sz.review'), await staffSession(env, 'sz.intake')];
}
async function setClock(iso: string) {
  env.clock.set(new Date(iso));
  await signIn();
}

describe('entrusted medical institutions (X-4.3.1, PD-12), on a real database', () => {
  beforeAll(async () => {
    env = await testEnv();
  });
  beforeEach(async () => {
    await setClock('2026-11-25T02:00:00Z');
  });

  it('X-4.3.1 PD-12 only a medical institution may apply, with every document', async () => {
    const notMedical = await newInstitution(1, false);
    await refused(await post(notMedical.cookie, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY12345', documents: await documents(notMedical.cookie) }), 403, 'medical.not_medical_institution');
    const inst = await newInstitution(2);
    const docs = await documents(inst.cookie, REQUIRED_DOCUMENTS.slice(0, 3));
    const body = await refused(await post(inst.cookie, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY12345', documents: docs }), 422, 'medical.documents_incomplete', 'documents');
    expect(body.detail).toContain('经办人身份证明');
    // another operator's upload is not usable
    const foreign = await documents(hospital, ['practice_licence']);
    await refused(await post(inst.cookie, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY12345', documents: { ...docs, ...foreign } }), 422, 'uploads.not_usable', 'documents.practice_licence');
    expect((await env.sql`SELECT 1 FROM medical_qualification WHERE organisation_id = ${inst.orgId}`).length).toBe(0);
  });

  it('X-4.3.1 PD-12 application → 管理岗 review queue with its deadline → approved for one year; renewal only in the last month', async () => {
    const inst = await newInstitution(3);
    const applied = await ok(await post(inst.cookie, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY44030012', documents: await documents(inst.cookie) }), 201);
    expect(applied.status).toBe('pending');
    expect(applied.maySubmit).toBe(false);
    // 2026-11-25 (Wednesday) + 5 working days = Wednesday 2026-12-02, due 24:00 (PD-2)
    expect(applied.reviewDueAt).toBe('2026-12-02T16:00:00.000Z');
    // a second live application is refused by the database (one live entrustment)
    await refused(await post(inst.cookie, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY44030012', documents: await documents(inst.cookie) }), 409, 'medical.qualification_exists');

    const queue = await ok(await get(review, `/admin-api/medical-qualifications?filter=${encodeURIComponent(JSON.stringify({ reviewPending: true }))}&sort=["reviewDueAt","ASC"]`));
    expect(queue.map((q: { id: string }) => q.id)).toContain(applied.id);
    // the operator sees only its own institution's entrustment; 受理岗 has no access to the queue
    expect((await ok(await get(hospital, `/admin-api/medical-qualifications`))).map((q: { id: string }) => q.id)).not.toContain(applied.id);
    await refused(await get(hospital, `/admin-api/medical-qualifications/${applied.id}`), 404, 'medical.qualification_not_found');
    expect((await get(intake, '/admin-api/medical-qualifications')).status).toBe(403);
    // 管理岗 reads the documents
    const doc = await get(review, `/admin-api/medical-qualifications/${applied.id}/documents/practice_licence`);
    expect(doc.status).toBe(200);
    expect(Buffer.from(await doc.arrayBuffer()).toString()).toContain('practice_licence');

    const approved = await ok(await post(review, `/admin-api/medical-qualifications/${applied.id}/approve`, { note: '资料齐全' }));
    expect(approved).toMatchObject({ status: 'active', validFrom: '2026-11-25', validUntil: '2027-11-24', maySubmit: true, mayRenew: false });
    expect(approved.renewalWindow).toEqual({ opensOn: '2027-10-24', closesOn: '2027-11-24' });
    await refused(await post(review, `/admin-api/medical-qualifications/${applied.id}/approve`, {}), 409, 'medical.no_pending_review');

    // PD-12: renewal only within the last month
    await refused(await post(inst.cookie, `/admin-api/medical-qualifications/${applied.id}/renew`, { practiceLicenceNo: 'PDY44030012', documents: await documents(inst.cookie) }), 422, 'medical.renewal_window_closed');
    await setClock('2027-10-25T02:00:00Z');
    inst.cookie = await staffSession(env, inst.username);
    {
      const docs = await documents(inst.cookie);
      const renewing = await ok(await post(inst.cookie, `/admin-api/medical-qualifications/${applied.id}/renew`, { practiceLicenceNo: 'PDY44030012', documents: docs }));
      expect(renewing.pendingReview.kind).toBe('renewal');
      expect(renewing.status).toBe('active');
      const renewed = await ok(await post(review, `/admin-api/medical-qualifications/${applied.id}/approve`, {}));
      expect(renewed.validUntil).toBe('2028-11-24');
      const audit = await env.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE entity_type = 'medical_qualification' AND entity_id = ${applied.id} ORDER BY id`;
      expect(audit.map((a) => a.action)).toEqual(['medical.qualification_applied', 'medical.qualification_approved', 'medical.renewal_requested', 'medical.qualification_renewed']);
      // X-6.1: each decision files the entrustment's archive record again — a new version, with the review documents and the trail
      const records = await env.sql<{ version: number; authority_id: string; decision: string; files: number; trail: number }[]>`
        SELECT version, authority_id, content->'data'->>'decision' AS decision, jsonb_array_length(content->'files') AS files, jsonb_array_length(content->'trail') AS trail
        FROM archive_record WHERE business_type = 'medical_qualification' AND case_ref = ${applied.id} ORDER BY version`;
      expect(records.map((r) => [r.version, r.decision])).toEqual([[1, 'approved'], [2, 'renewed']]);
      expect(records.every((r) => r.authority_id === '440300' && r.files > 0)).toBe(true);
      expect(records[1]!.trail).toBe(4);
    }
  });

  it('PD-12 an entrustment not renewed lapses by the durable job at 00:00 after its last day; no new application for a year', async () => {
    const inst = await newInstitution(4);
    const applied = await ok(await post(inst.cookie, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY44030013', documents: await documents(inst.cookie) }), 201);
    await ok(await post(review, `/admin-api/medical-qualifications/${applied.id}/approve`, {}));
    await setClock('2027-11-24T15:59:00Z'); // 23:59 of the last day in Shanghai
    {
      await runJobs(env);
      expect((await ok(await get(review, `/admin-api/medical-qualifications/${applied.id}`))).status).toBe('active');
      env.clock.advance(2 * 60_000);
      await runJobs(env);
      inst.cookie = await staffSession(env, inst.username);
      const lapsed = await ok(await get(review, `/admin-api/medical-qualifications/${applied.id}`));
      expect(lapsed).toMatchObject({ status: 'lapsed', reapplyAfter: '2028-11-25', maySubmit: false });
      await refused(await post(inst.cookie, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY44030013', documents: await documents(inst.cookie) }), 422, 'medical.reapply_banned');
    }
  });

  it('X-4.3.1 the operator sends a certificate for a driver by ID number and licence; lists mask the ID number; CSV export as the other lists', async () => {
    await qualify(env.sql, HOSPITAL_ID, '2026-06-01');
    const h = await makeHolder(env.sql, { birth: '1952-04-04', name: '测试七十' });
    const created = await ok(await post(hospital, '/admin-api/health-certificates', {
      idNumber: h.idNumber, licenceNo: h.licenceNo, purpose: 'age_70_yearly', issuedOn: '2026-11-24', conclusion: 'fit', scanUploadId: await scan(hospital),
    }), 201);
    expect(created).toMatchObject({ purpose: 'age_70_yearly', issuedOn: '2026-11-24', validUntil: '2027-05-24', acceptedToday: true, issuerName: '深圳市滨海人民医院', hasScan: true });
    expect(created.reference).toMatch(/^TJ\d{10}$/);
    expect(created.holderIdNumberMasked).not.toContain(h.idNumber.slice(6, 14));
    expect((await usableHealthCertificate(env.sql, { personId: h.personId, purposes: ['age_70_yearly'], day: '2026-11-25' }))?.id).toBe(created.id);

    const mine = await ok(await get(hospital, `/admin-api/health-certificates?filter=${encodeURIComponent(JSON.stringify({ q: h.idNumber }))}`));
    expect(mine.map((c: { id: string }) => c.id)).toEqual([created.id]);
    expect(JSON.stringify(mine)).not.toContain(h.idNumber);
    // 管理岗 of the city sees it too; another institution does not
    expect((await ok(await get(review, `/admin-api/health-certificates/${created.id}`))).reference).toBe(created.reference);
    const other = await newInstitution(5);
    await refused(await get(other.cookie, `/admin-api/health-certificates/${created.id}`), 404, 'medical.certificate_not_found');
    const scanRes = await get(hospital, `/admin-api/health-certificates/${created.id}/scan`);
    expect(scanRes.status).toBe(200);
    const csv = await get(hospital, '/admin-api/health-certificates/export.csv');
    expect(csv.status).toBe(200);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('身份证明号码');
    expect(text).toContain(created.reference);
    expect(text).not.toContain(h.idNumber);
    // the audit row is masked too
    const [a] = await env.sql<{ after: string }[]>`SELECT after::text FROM audit_log WHERE action = 'medical.certificate_recorded' AND entity_id = ${created.id}`;
    expect(a?.after).toContain(created.reference);
  });

  it('X-4.3.1 refuses a driver who does not fit the purpose: under 70 for the yearly one, no disability class for the three-yearly one', async () => {
    await qualify(env.sql, HOSPITAL_ID, '2026-06-01');
    const young = await makeHolder(env.sql, { birth: '1985-05-05' });
    const c5 = await makeHolder(env.sql, { birth: '1986-06-06', classes: 'C5' });
    const send = async (h: { idNumber: string; licenceNo: string }, purpose: string, extra: Record<string, unknown> = {}) =>
      post(hospital, '/admin-api/health-certificates', { idNumber: h.idNumber, licenceNo: h.licenceNo, purpose, issuedOn: '2026-11-20', conclusion: 'fit', scanUploadId: await scan(hospital), ...extra });
    const under = await refused(await send(young, 'age_70_yearly'), 422, 'medical.purpose_not_applicable', 'purpose');
    expect(under.detail).toContain('41');
    await refused(await send(young, 'disability_3y'), 422, 'medical.purpose_not_applicable', 'purpose');
    await ok(await send(c5, 'disability_3y'), 201);
    await ok(await send(young, 'renewal'), 201);
    // a person or licence that is not in the records
    await refused(await send({ idNumber: '11010519491231002X', licenceNo: '11010519491231002X' }, 'renewal'), 404, 'medical.person_not_found', 'idNumber');
    await refused(await send({ idNumber: young.idNumber, licenceNo: c5.licenceNo }, 'renewal'), 404, 'medical.licence_not_found', 'licenceNo');
  });

  it('X-4.3.4 refuses an examination day in the future or older than six months, a missing scan, and the same certificate twice', async () => {
    await qualify(env.sql, HOSPITAL_ID, '2026-06-01');
    const h = await makeHolder(env.sql, { birth: '1979-07-07' });
    const send = async (issuedOn: string, scanUploadId?: string) =>
      post(hospital, '/admin-api/health-certificates', { idNumber: h.idNumber, licenceNo: h.licenceNo, purpose: 'renewal', issuedOn, conclusion: 'fit', scanUploadId: scanUploadId ?? (await scan(hospital)) });
    await refused(await send('2026-11-26'), 422, 'medical.issued_in_future', 'issuedOn');
    await refused(await send('2026-05-25'), 422, 'medical.certificate_expired', 'issuedOn');
    await refused(await send('2026-11-20', '00000000-0000-4000-8000-00000000dead'), 422, 'uploads.not_usable', 'scanUploadId');
    const before = await env.sql`SELECT count(*)::int AS n FROM health_certificate WHERE person_id = ${h.personId}`;
    expect(before[0]!.n).toBe(0);
    const first = await ok(await send('2026-05-26'), 201);
    expect(first.validUntil).toBe('2026-11-26');
    await refused(await send('2026-05-26'), 409, 'medical.certificate_duplicate', 'issuedOn');
  });

  it('X-4.3.1 PD-12 revocation for false certificates: the institution can no longer send, its certificates are no longer accepted, and it may not apply again for a year', async () => {
    const qid = await qualify(env.sql, HOSPITAL_ID, '2026-06-01');
    const h = await makeHolder(env.sql, { birth: '1951-01-15' });
    const sent = await ok(await post(hospital, '/admin-api/health-certificates', {
      idNumber: h.idNumber, licenceNo: h.licenceNo, purpose: 'age_70_yearly', issuedOn: '2026-11-23', conclusion: 'fit', scanUploadId: await scan(hospital),
    }), 201);
    const q = { personId: h.personId, purposes: ['age_70_yearly'] as const, day: '2026-11-25' };
    expect((await usableHealthCertificate(env.sql, q))?.id).toBe(sent.id);
    // X-6.1: the certificate is a case of its own in the electronic archive, once, with its scan, under the licence number
    const archived = await env.sql<{ licence_no: string; files: number; conclusion: string }[]>`
      SELECT licence_no, jsonb_array_length(content->'files') AS files, content->'data'->>'conclusion' AS conclusion
      FROM archive_record WHERE business_type = 'medical_certificate' AND case_ref = ${sent.reference}`;
    expect(archived).toEqual([{ licence_no: h.licenceNo, files: 1, conclusion: 'fit' }]);

    await refused(await post(review, `/admin-api/medical-qualifications/${qid}/revoke`, {}), 400, 'request.invalid');
    const revoked = await ok(await post(review, `/admin-api/medical-qualifications/${qid}/revoke`, { reason: '出具虚假身体条件证明（卫健委通报）' }));
    expect(revoked).toMatchObject({ status: 'revoked', reapplyAfter: '2027-11-25', maySubmit: false });
    // departments stop accepting that institution's certificates
    expect(await usableHealthCertificate(env.sql, q)).toBeNull();
    expect((await ok(await get(review, `/admin-api/health-certificates/${sent.id}`))).acceptedToday).toBe(false);
    // it can no longer send
    const body = await refused(await post(hospital, '/admin-api/health-certificates', {
      idNumber: h.idNumber, licenceNo: h.licenceNo, purpose: 'age_70_yearly', issuedOn: '2026-11-24', conclusion: 'fit', scanUploadId: await scan(hospital),
    }), 422, 'medical.institution_not_qualified');
    expect(body.detail).toContain('虚假');
    // one-year ban
    const ban = await refused(await post(hospital, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY00001', documents: await documents(hospital) }), 422, 'medical.reapply_banned');
    expect(ban.params.reapplyAfter >= '2027-11-25').toBe(true);
    await refused(await post(review, `/admin-api/medical-qualifications/${qid}/revoke`, { reason: '再次' }), 409, 'medical.wrong_status');
    const [a] = await env.sql<{ before: { status: string }; after: { status: string } }[]>`SELECT before, after FROM audit_log WHERE action = 'medical.qualification_revoked' AND entity_id = ${qid}`;
    expect(a).toMatchObject({ before: { status: 'active' }, after: { status: 'revoked' } });
    // X-6.1: the revocation is archived as the entrustment's latest version
    const [last] = await env.sql<{ decision: string }[]>`
      SELECT content->'data'->>'decision' AS decision FROM archive_record WHERE business_type = 'medical_qualification' AND case_ref = ${qid} ORDER BY version DESC LIMIT 1`;
    expect(last?.decision).toBe('revoked');
    // (the seeded entrustment's own lapse job may have run in an earlier test: the latest ban counts)
    await setClock(`${ban.params.reapplyAfter}T02:00:00Z`);
    {
      const again = await ok(await post(hospital, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY00001', documents: await documents(hospital) }), 201);
      expect(again.status).toBe('pending');
    }
  });

  it('X-4.3.1 two 管理岗 deciding the same review at once: exactly one decision counts', async () => {
    const inst = await newInstitution(6);
    const applied = await ok(await post(inst.cookie, '/admin-api/medical-qualifications', { practiceLicenceNo: 'PDY44030016', documents: await documents(inst.cookie) }), 201);
    const other = await staffSession(env, 'gd.review'); // the province's 管理岗 sees its cities (PD-9)
    const answers = await Promise.all([
      post(review, `/admin-api/medical-qualifications/${applied.id}/approve`, {}),
      post(other, `/admin-api/medical-qualifications/${applied.id}/reject`, { note: '资料不实' }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const reviews = await env.sql`SELECT status FROM medical_qualification_review WHERE qualification_id = ${applied.id}`;
    expect(reviews.length).toBe(1);
    expect(reviews[0]!.status).not.toBe('pending');
  });
});
