/**
 * Issue 19 (medical part) — entrusted medical institutions and health
 * certificates (第四章第三节, X-4.3.1, X-4.3.4, PD-12; ADR-031). The demo
 * block of db/migrations/0017_medical_institutions.sql, appended to demo.sql
 * by generate.ts (one call). Deterministic: fixed ids, dates, names and ID
 * number sequences.
 *
 *   - 深圳市滨海人民医院 (seeded organisation, operator medical.binhai): active
 *     entrustment 2026-11-20 … 2027-11-19 (lapse job booked at 2027-11-20 00:00) —
 *     as late as a one-year term allows, so that specs moving the shared clock
 *     forward leave it valid as long as possible.
 *   - 深圳市蛇口人民医院 (new, operator medical.shekou): active entrustment
 *     2026-11-23 … 2027-11-22 — the one the e2e story revokes.
 *   - 深圳市龙华区中心医院 (new, no operator): a pending first application,
 *     due 2026-11-27 24:00 in 管理岗's queue, with its five documents.
 *   - Drivers of this block only (no other block or spec uses them):
 *       汪桂芳 (1953, C1) — 70+, yearly certificate from 滨海 issued 2026-11-10;
 *       邹建新 (1981, C5) — disability class, three-yearly certificate from 滨海 2026-10-15;
 *       任国栋 (1950, C1) — 70+, yearly certificate from 蛇口 2026-11-18 (no longer
 *                           accepted once 蛇口 is revoked);
 *       祁卫东 (1976, C1) — no certificate: the e2e hospital sends his renewal one.
 */

type SqlValue = string | number | boolean | null | { raw: string };
export type MedicalSeedKit = {
  insert: (table: string, columns: string[], rows: { values: SqlValue[]; comment?: string }[]) => string;
  staffPasswordHash: string;
  makeIdNumber: (region: string, birth: string, sex: 'M' | 'F', seq?: number) => string;
  makeUscc: (prefix2: string, region: string, orgBody8: string) => string;
  reservePhone: (p: string) => string;
  personId: (n: number) => string;
  licenceId: (n: number) => string;
  organisationId: (n: number) => string;
  staffId: (n: number) => string;
  /** the seeded 深圳市滨海人民医院 and its operator, and 管理岗 sz.review */
  hospitalId: string;
  binhaiOperatorId: string;
  reviewerId: string;
  /** base32 → bytes, for the new operator's TOTP key */
  totpKeyHex: (username: string) => string;
};

const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const medicalIds = {
  qualification: (n: number) => id('d1', n),
  review: (n: number) => id('d2', n),
  certificate: (n: number) => id('d3', n),
  upload: (n: number) => id('d4', n),
};

const DOCS = ['practice_licence', 'organisation_code_certificate', 'letter_of_authorisation', 'agent_identity', 'health_authority_listing'];

/** A tiny PDF (a real PDF header, so the store's type check would accept it) and its sha256. */
async function pdf(text: string): Promise<{ hex: string; size: number; sha256: string }> {
  const { createHash } = await import('node:crypto');
  const bytes = Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8');
  return { hex: bytes.toString('hex'), size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function medicalSeed(k: MedicalSeedKit): Promise<string> {
  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 19: entrusted medical institutions and health certificates (needs db/migrations/0017_medical_institutions.sql)',
    '-- ---------------------------------------------------------------------------'];

  const shekou = { id: k.organisationId(901), uscc: k.makeUscc('12', '440305', '45579012'), name: '深圳市蛇口人民医院' };
  const longhua = { id: k.organisationId(902), uscc: k.makeUscc('12', '440309', '45579034'), name: '深圳市龙华区中心医院' };
  out.push('-- 医疗机构 (X-4.3.1)');
  out.push(k.insert('organisation', ['id', 'uscc', 'name', 'kind', 'is_car_dealer', 'is_medical_institution', 'address', 'postcode', 'legal_rep_name', 'legal_rep_phone', 'authority_id'], [
    { values: [shekou.id, shekou.uscc, shekou.name, 'public_institution', false, true, '广东省深圳市南山区蛇口工业八路36号', '518067', '廖启明', k.reservePhone('13926550901'), '440300'] },
    { values: [longhua.id, longhua.uscc, longhua.name, 'public_institution', false, true, '广东省深圳市龙华区观澜大道187号', '518110', '朱丽娟', k.reservePhone('13926550902'), '440300'] },
  ]));
  const shekouOperator = k.staffId(901);
  out.push(k.insert('staff_member', ['id', 'username', 'display_name', 'password_hash', 'roles', 'authority_id', 'station_id', 'organisation_id', 'totp_key', 'totp_enabled'], [
    { values: [shekouOperator, 'medical.shekou', '蛇口人民医院 体检中心 操作员 范文杰', k.staffPasswordHash, '{medical_operator}', '440300', null, shekou.id, { raw: `'\\x${k.totpKeyHex('medical.shekou')}'::bytea` }, true] },
  ]));

  out.push('-- 受委托资格 (PD-12): two active, one pending first application');
  const q = [
    { n: 1, org: k.hospitalId, name: '深圳市滨海人民医院', uscc: null as string | null, rep: '郭志远', phone: '', licenceNo: 'PDY44030512345', status: 'active', from: '2026-11-20', until: '2027-11-19', applied: '2026-11-16 09:30:00+08', decided: '2026-11-20 15:00:00+08' },
    { n: 2, org: shekou.id, name: shekou.name, uscc: shekou.uscc, rep: '廖启明', phone: '13926550901', licenceNo: 'PDY44030523456', status: 'active', from: '2026-11-23', until: '2027-11-22', applied: '2026-11-17 10:00:00+08', decided: '2026-11-23 16:20:00+08' },
    { n: 3, org: longhua.id, name: longhua.name, uscc: longhua.uscc, rep: '朱丽娟', phone: '13926550902', licenceNo: 'PDY44030934567', status: 'pending', from: null, until: null, applied: '2026-11-20 11:00:00+08', decided: null },
  ];
  // 滨海's own USCC and phone come from the organisation row (the base block computes them)
  out.push(`INSERT INTO medical_qualification (id, organisation_id, authority_id, status, organisation_name, organisation_code, legal_rep_name, legal_rep_phone, practice_licence_no, valid_from, valid_until, applied_at, applied_by, decided_at, decided_by, decision_note, updated_at)
SELECT v.id::uuid, o.id, o.authority_id, v.status, o.name, o.uscc, o.legal_rep_name, o.legal_rep_phone, v.licence_no, v.valid_from::date, v.valid_until::date,
       v.applied::timestamptz, v.applied_by::uuid, v.decided::timestamptz, v.decided_by::uuid, v.note, coalesce(v.decided, v.applied)::timestamptz
FROM (VALUES
${q.map((x, i) => `  ('${medicalIds.qualification(x.n)}', '${x.org}', '${x.status}', '${x.licenceNo}', ${x.from ? `'${x.from}'` : 'NULL'}, ${x.until ? `'${x.until}'` : 'NULL'}, '${x.applied}', ${x.n === 1 ? `'${k.binhaiOperatorId}'` : x.n === 2 ? `'${shekouOperator}'` : 'NULL'}, ${x.decided ? `'${x.decided}'` : 'NULL'}, ${x.decided ? `'${k.reviewerId}'` : 'NULL'}, '${x.decided ? '资料齐全，准予委托' : ''}')${i === q.length - 1 ? '' : ','}  -- ${x.name}`).join('\n')}
) AS v(id, org, status, licence_no, valid_from, valid_until, applied, applied_by, decided, decided_by, note)
JOIN organisation o ON o.id = v.org::uuid;
`);
  out.push(k.insert('medical_qualification_review', ['id', 'qualification_id', 'kind', 'status', 'submitted_at', 'submitted_by', 'due_at', 'decided_at', 'decided_by', 'note'], [
    { values: [medicalIds.review(1), medicalIds.qualification(1), 'initial', 'approved', '2026-11-16 09:30:00+08', k.binhaiOperatorId, '2026-11-24 00:00:00+08', '2026-11-20 15:00:00+08', k.reviewerId, '资料齐全，准予委托'], comment: '滨海' },
    { values: [medicalIds.review(2), medicalIds.qualification(2), 'initial', 'approved', '2026-11-17 10:00:00+08', shekouOperator, '2026-11-25 00:00:00+08', '2026-11-23 16:20:00+08', k.reviewerId, '资料齐全，准予委托'], comment: '蛇口' },
    // 2026-11-20 (Friday) + 5 working days = Friday 2026-11-27, due 24:00 (PD-2)
    { values: [medicalIds.review(3), medicalIds.qualification(3), 'initial', 'pending', '2026-11-20 11:00:00+08', null, '2026-11-28 00:00:00+08', null, null, ''], comment: '龙华 — in the queue' },
  ]));

  // the pending application's five documents, scanned at the counter by 管理岗
  const files: { n: number; purpose: string; name: string; owner: string; text: string }[] = DOCS.map((d, i) => ({ n: 1 + i, purpose: 'medical_qualification_document', name: `${d}.pdf`, owner: k.reviewerId, text: `longhua ${d}` }));
  const certs = [
    { n: 1, person: 1901, name: '汪桂芳', sex: 'F' as const, region: '440303', birth: '1953-03-14', seq: 102, classes: 'C1', phone: '13926551901', issuer: k.hospitalId, qn: 1, purpose: 'age_70_yearly', issued: '2026-11-10', until: '2027-05-10', by: k.binhaiOperatorId, at: '2026-11-10 15:20:00+08' },
    { n: 2, person: 1902, name: '邹建新', sex: 'M' as const, region: '440306', birth: '1981-09-09', seq: 215, classes: 'C5', phone: '13926551902', issuer: k.hospitalId, qn: 1, purpose: 'disability_3y', issued: '2026-10-15', until: '2027-04-15', by: k.binhaiOperatorId, at: '2026-10-15 10:05:00+08' },
    { n: 3, person: 1903, name: '任国栋', sex: 'M' as const, region: '440305', birth: '1950-12-02', seq: 331, classes: 'C1', phone: '13926551903', issuer: shekou.id, qn: 2, purpose: 'age_70_yearly', issued: '2026-11-18', until: '2027-05-18', by: shekouOperator, at: '2026-11-18 14:40:00+08' },
  ];
  const drivers = [...certs, { n: 0, person: 1904, name: '祁卫东', sex: 'M' as const, region: '440304', birth: '1976-04-20', seq: 417, classes: 'C1', phone: '13926551904' }]
    .map((d) => ({ ...d, idNumber: k.makeIdNumber(d.region, d.birth, d.sex, d.seq), phone: k.reservePhone(d.phone) }));
  for (const c of certs) files.push({ n: 10 + c.n, purpose: 'health_certificate_scan', name: `身体条件证明-${c.name}.pdf`, owner: c.by, text: `health certificate ${c.n}` });

  out.push('-- the upload store (ADR-021): the pending application\'s documents and the certificates\' scans');
  const uploads = await Promise.all(files.map(async (f) => ({ f, p: await pdf(f.text) })));
  out.push(k.insert('upload', ['id', 'purpose', 'content_type', 'size_bytes', 'sha256', 'content', 'owner_kind', 'owner_id', 'authority_id', 'created_at', 'file_name', 'status', 'next_chunk', 'completed_at'],
    uploads.map(({ f, p }) => ({ values: [medicalIds.upload(f.n), f.purpose, 'application/pdf', p.size, p.sha256, { raw: `'\\x${p.hex}'::bytea` }, 'staff', f.owner, '440300', '2026-11-20 10:50:00+08', f.name, 'complete', 1, '2026-11-20 10:50:00+08'] }))));
  out.push(k.insert('medical_qualification_document', ['review_id', 'kind', 'upload_id'], DOCS.map((d, i) => ({ values: [medicalIds.review(3), d, medicalIds.upload(1 + i)] }))));

  out.push('-- drivers of this block (人口信息库 + 驾驶证)');
  out.push(k.insert('person', ['id', 'id_type', 'id_number', 'name', 'sex', 'birth_date', 'address', 'phone'],
    drivers.map((d) => ({ values: [k.personId(d.person), 'resident_id', d.idNumber, d.name, d.sex, d.birth, '广东省深圳市南山区蛇口街道', d.phone] }))));
  out.push(k.insert('driving_licence', ['id', 'licence_no', 'person_id', 'classes', 'first_issued_on', 'valid_from', 'valid_until', 'review_valid_until', 'status', 'points', 'phone', 'issuing_authority_id', 'has_certificate_photo'],
    drivers.map((d) => ({ values: [k.licenceId(d.person), d.idNumber, k.personId(d.person), d.classes, '2008-06-18', '2024-06-18', '2034-06-18', null, 'valid', 0, d.phone, '440300', true], comment: d.name }))));

  out.push('-- 身体条件证明 (X-4.3.4: six months from the examination day)');
  out.push(k.insert('health_certificate', ['id', 'reference', 'person_id', 'licence_id', 'issuer_organisation_id', 'qualification_id', 'authority_id', 'source', 'purpose', 'issued_on', 'valid_until', 'conclusion', 'upload_id', 'created_by_kind', 'created_by', 'created_at'],
    certs.map((c) => ({ values: [medicalIds.certificate(c.n), `TJ90000000${String(c.n).padStart(2, '0')}`, k.personId(c.person), k.licenceId(c.person), c.issuer, medicalIds.qualification(c.qn), '440300', 'institution', c.purpose, c.issued, c.until, 'fit', medicalIds.upload(10 + c.n), 'staff', c.by, c.at], comment: c.name }))));

  out.push('-- PD-12: each active entrustment lapses at 00:00 after its last day unless renewed (durable job)');
  out.push(k.insert('job', ['kind', 'payload', 'run_at', 'dedupe_key', 'max_attempts', 'created_at'], [
    { values: ['medical.qualification_lapse', `{"qualificationId":"${medicalIds.qualification(1)}"}`, '2027-11-20 00:00:00+08', medicalIds.qualification(1), 10, '2026-11-20 15:00:00+08'] },
    { values: ['medical.qualification_lapse', `{"qualificationId":"${medicalIds.qualification(2)}"}`, '2027-11-23 00:00:00+08', medicalIds.qualification(2), 10, '2026-11-23 16:20:00+08'] },
  ]));
  return out.join('\n');
}
