/**
 * Issue 19 — driving-licence services (第四章第一–三节, X-4.1 补换领, X-4.2 延期,
 * X-4.3.2/X-4.3.3 obligations). The demo block of
 * db/migrations/0016_licence_services.sql, appended to demo.sql by
 * generate.ts (one call, after the medical block: the renewal's certificate
 * is issued under 滨海's qualification). Deterministic: fixed ids, dates, names.
 *
 * Each holder has a counter-registered account (phone + Demo#2026pass) with
 * the own licence bound; persons 1951–1957 (new, used by no other story):
 *   - 赵丽华 13826601951: valid C1 until 2032-05-10 (the deferral story).
 *   - 孙志强 13826601952: C1 valid until 2026-12-28 — due for renewal next
 *     month — with a 身体条件证明 滨海人民医院 uploaded on 2026-11-20 (the e2e renewal by post).
 *   - 钱永福 13826601953: 62, holds B2 → 超龄换证 due (no certificate yet).
 *   - 周秀英 13826601954: 71, C1; her cycle ended 2026-06-01 and she uploaded her own 体检 report on 2026-06-10.
 *   - 吴德胜 13826601955: 76, C1, first issued 1990-10-20: nothing came after
 *     the cycle that ended 2025-10-20 → the obligations job cancels the licence (X-4.3.3).
 *   - 郑海波 13826601956: C1 扣押 (seized) — every 补换领 refused.
 *   - 冯玉兰 13826601957: C1 注销 (cancelled).
 * And the first run of the daily obligations sweep (durable job, 2026-11-26 01:00).
 */

type SqlValue = string | number | boolean | null | { raw: string };
export type LicencesSeedKit = {
  insert: (table: string, columns: string[], rows: { values: SqlValue[]; comment?: string }[]) => string;
  citizenPasswordHash: string;
  makeIdNumber: (region: string, birth: string, sex: 'M' | 'F', seq?: number) => string;
  reservePhone: (p: string) => string;
  personId: (n: number) => string;
  licenceId: (n: number) => string;
  accountId: (n: number) => string;
  licenceBindingId: (n: number) => string;
  /** 深圳市滨海人民医院 and its qualification (db/seed/medical.ts) */
  hospitalId: string;
  hospitalQualificationId: string;
  hospitalOperatorId: string;
};

type Holder = {
  n: number; name: string; sex: 'M' | 'F'; birth: string; seq: number; phone: string; classes: string;
  firstIssued: string; validFrom: string; validUntil: string; status: string; note: string;
};

export const LICENCE_HOLDERS: Holder[] = [
  { n: 1951, name: '赵丽华', sex: 'F', birth: '1986-04-12', seq: 602, phone: '13826601951', classes: 'C1', firstIssued: '2008-05-10', validFrom: '2022-05-10', validUntil: '2032-05-10', status: 'valid', note: 'valid' },
  { n: 1952, name: '孙志强', sex: 'M', birth: '1979-08-21', seq: 613, phone: '13826601952', classes: 'C1', firstIssued: '2010-12-28', validFrom: '2020-12-28', validUntil: '2026-12-28', status: 'valid', note: 'due for renewal next month, hospital certificate' },
  { n: 1953, name: '钱永福', sex: 'M', birth: '1964-07-03', seq: 625, phone: '13826601953', classes: 'B2', firstIssued: '1996-09-02', validFrom: '2022-09-02', validUntil: '2032-09-02', status: 'valid', note: '60+ holding B2' },
  { n: 1954, name: '周秀英', sex: 'F', birth: '1955-08-01', seq: 636, phone: '13826601954', classes: 'C1', firstIssued: '1999-06-01', validFrom: '2025-06-01', validUntil: '2031-06-01', status: 'valid', note: '70+ with a certificate' },
  { n: 1955, name: '吴德胜', sex: 'M', birth: '1950-02-01', seq: 647, phone: '13826601955', classes: 'C1', firstIssued: '1990-10-20', validFrom: '2024-10-20', validUntil: '2030-10-20', status: 'valid', note: '70+ without a certificate' },
  { n: 1956, name: '郑海波', sex: 'M', birth: '1983-11-02', seq: 659, phone: '13826601956', classes: 'C1', firstIssued: '2006-03-15', validFrom: '2022-03-15', validUntil: '2031-03-15', status: 'seized', note: 'seized (扣押)' },
  { n: 1957, name: '冯玉兰', sex: 'F', birth: '1968-01-20', seq: 660, phone: '13826601957', classes: 'C1', firstIssued: '2001-01-10', validFrom: '2011-01-10', validUntil: '2021-01-10', status: 'cancelled', note: 'cancelled (注销)' },
];

export function licencesSeed(k: LicencesSeedKit): string {
  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 19: driving-licence services (needs db/migrations/0016_licence_services.sql)',
    '-- ---------------------------------------------------------------------------', ''];
  const people = LICENCE_HOLDERS.map((h) => ({ ...h, idNumber: k.makeIdNumber('440304', h.birth, h.sex, h.seq), phone: k.reservePhone(h.phone) }));
  out.push('-- holders in each licence state (X-4.1.3), new persons');
  out.push(k.insert('person', ['id', 'id_type', 'id_number', 'name', 'sex', 'birth_date', 'address', 'phone'],
    people.map((p) => ({ values: [k.personId(p.n), 'resident_id', p.idNumber, p.name, p.sex, p.birth, `广东省深圳市福田区莲花街道红荔路${p.n - 1900}号`, p.phone], comment: p.note }))));
  out.push(k.insert('driving_licence', ['id', 'licence_no', 'person_id', 'classes', 'first_issued_on', 'valid_from', 'valid_until', 'review_valid_until', 'status', 'points', 'phone', 'issuing_authority_id', 'has_certificate_photo'],
    people.map((p) => ({ values: [k.licenceId(p.n), p.idNumber, k.personId(p.n), p.classes, p.firstIssued, p.validFrom, p.validUntil, null, p.status, 0, p.phone, '440300', true], comment: `${p.name} ${p.note}` }))));
  out.push(k.insert('user_account', [
    'id', 'kind', 'personal_type', 'registration_channel', 'person_id', 'organisation_id', 'phone', 'email',
    'postal_address', 'postcode', 'password_hash', 'status', 'authority_id', 'created_at',
  ], people.map((p) => ({ values: [k.accountId(p.n), 'personal', 'owner_driver', 'counter', k.personId(p.n), null, p.phone, null,
    `广东省深圳市福田区莲花街道红荔路${p.n - 1900}号`, '518036', k.citizenPasswordHash, 'active', '440300', '2026-03-02 10:00:00+08'], comment: p.name }))));
  out.push(k.insert('licence_binding', ['id', 'user_account_id', 'licence_id', 'kind', 'bound_at'],
    people.map((p) => ({ values: [k.licenceBindingId(p.n), k.accountId(p.n), k.licenceId(p.n), 'own', '2026-03-02 10:05:00+08'], comment: p.name }))));
  out.push('-- X-4.1.7: the renewal certificate 滨海人民医院 uploaded for 孙志强; X-4.3.2: 周秀英’s yearly one (her own report)');
  out.push(k.insert('health_certificate', ['id', 'reference', 'person_id', 'licence_id', 'issuer_organisation_id', 'qualification_id', 'authority_id', 'source', 'purpose', 'issued_on', 'valid_until', 'conclusion', 'created_by_kind', 'created_by', 'created_at'], [
    { values: ['d3000000-0000-4000-8000-000000001952', 'TJ9000001952', k.personId(1952), k.licenceId(1952), k.hospitalId, k.hospitalQualificationId, '440300', 'institution', 'renewal', '2026-11-20', '2027-05-20', 'fit', 'staff', k.hospitalOperatorId, '2026-11-20 16:10:00+08'], comment: '孙志强' },
    { values: ['d3000000-0000-4000-8000-000000001954', 'TJ9000001954', k.personId(1954), k.licenceId(1954), null, null, '440300', 'self', 'age_70_yearly', '2026-06-10', '2026-12-10', 'fit', 'user', k.accountId(1954), '2026-06-10 11:30:00+08'], comment: '周秀英, her own report (X-4.3.5)' },
  ]));
  out.push('-- X-4.3.2, X-4.3.3: the first run of the daily obligations sweep (it queues the next one itself)');
  out.push(k.insert('job', ['kind', 'payload', 'run_at', 'dedupe_key', 'max_attempts', 'created_at'], [
    { values: ['licences.obligations_sweep', '{}', '2026-11-26 01:00:00+08', 'daily', 10, '2026-11-25 09:00:00+08'] },
  ]));
  return out.join('\n');
}
