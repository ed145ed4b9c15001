/** SQL of the medical module: entrustments, their reviews and documents, and staff reads of health certificates. */
import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import type { QualificationStatus } from './rules.ts';

export { visibleAuthorities } from '../../platform/authorities.ts';

/** Whose rows a staff member sees: an institution's operator its own organisation's, the posts their authorities'. */
export type Scope = { organisationId: string } | { authorities: string[] };

const scopeWhere = (db: Db, scope: Scope, column: { org: string; authority: string }) =>
  'organisationId' in scope ? db`${db(column.org)} = ${scope.organisationId}` : db`${db(column.authority)} = ANY(${scope.authorities})`;

// ---------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------

export async function findOrganisation(db: Db, id: string) {
  const [row] = await db<{ id: string; name: string; uscc: string; is_medical_institution: boolean; dissolved: boolean; legal_rep_name: string; legal_rep_phone: string; authority_id: string }[]>`
    SELECT id, name, uscc, is_medical_institution, dissolved, legal_rep_name, legal_rep_phone, authority_id FROM organisation WHERE id = ${id}`;
  return row;
}

// ---------------------------------------------------------------------------
// Qualifications and reviews
// ---------------------------------------------------------------------------

export type QualificationRow = {
  id: string;
  organisation_id: string;
  authority_id: string;
  status: QualificationStatus;
  organisation_name: string;
  organisation_code: string;
  legal_rep_name: string;
  legal_rep_phone: string;
  practice_licence_no: string;
  valid_from: string | null;
  valid_until: string | null;
  applied_at: Date;
  decided_at: Date | null;
  decision_note: string;
  ended_at: Date | null;
  end_reason: string | null;
  reapply_after: string | null;
  updated_at: Date;
  review_id: string | null;
  review_kind: 'initial' | 'renewal' | null;
  review_submitted_at: Date | null;
  review_due_at: Date | null;
  certificate_count: number;
};

const qualificationSelect = (db: Db) => db`
  SELECT q.*, r.id AS review_id, r.kind AS review_kind, r.submitted_at AS review_submitted_at, r.due_at AS review_due_at,
         (SELECT count(*)::int FROM health_certificate hc WHERE hc.qualification_id = q.id) AS certificate_count
  FROM medical_qualification q
  LEFT JOIN medical_qualification_review r ON r.qualification_id = q.id AND r.status = 'pending'`;

export async function findQualification(db: Db, id: string, scope: Scope | 'system', forUpdate = false) {
  if (forUpdate) await db`SELECT 1 FROM medical_qualification WHERE id = ${id} FOR UPDATE`;
  const [row] = await db<QualificationRow[]>`
    ${qualificationSelect(db)}
    WHERE q.id = ${id} ${scope === 'system' ? db`` : db`AND ${scopeWhere(db, scope, { org: 'q.organisation_id', authority: 'q.authority_id' })}`}`;
  return row;
}

/** The institution's live qualification (pending or active), else its latest. */
export async function currentQualification(db: Db, organisationId: string) {
  const [row] = await db<QualificationRow[]>`
    ${qualificationSelect(db)}
    WHERE q.organisation_id = ${organisationId}
    ORDER BY (q.status IN ('pending', 'active')) DESC, q.applied_at DESC LIMIT 1`;
  return row;
}

/** PD-12 (as R-32.5): the latest day from which a revoked or lapsed institution may apply again. */
export async function latestReapplyAfter(db: Db, organisationId: string): Promise<string | null> {
  const [row] = await db<{ d: string | null }[]>`SELECT max(reapply_after)::text AS d FROM medical_qualification WHERE organisation_id = ${organisationId}`;
  return row?.d ?? null;
}

const QUALIFICATION_SORT: Record<string, string> = {
  appliedAt: 'q.applied_at', validUntil: 'q.valid_until', status: 'q.status', organisationName: 'q.organisation_name', updatedAt: 'q.updated_at', reviewDueAt: 'r.due_at',
};

export async function listQualifications(db: Db, q: ListQuery, scope: Scope) {
  const status = filterString(q.filter, 'status');
  const search = filterString(q.filter, 'q');
  const reviewPending = q.filter.reviewPending === true || q.filter.reviewPending === 'true';
  const where = db`WHERE ${scopeWhere(db, scope, { org: 'q.organisation_id', authority: 'q.authority_id' })}
    ${status ? db`AND q.status = ${status}` : db``}
    ${search ? db`AND (q.organisation_name ILIKE ${'%' + search + '%'} OR q.practice_licence_no ILIKE ${'%' + search + '%'})` : db``}
    ${reviewPending ? db`AND r.id IS NOT NULL` : db``}`;
  const column = QUALIFICATION_SORT[q.sortField] ?? 'q.applied_at';
  const rows = await db<QualificationRow[]>`
    ${qualificationSelect(db)} ${where}
    ORDER BY ${db(column)} ${q.sortDesc ? db`DESC NULLS LAST` : db`ASC NULLS LAST`}, q.id OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM medical_qualification q LEFT JOIN medical_qualification_review r ON r.qualification_id = q.id AND r.status = 'pending' ${where}`;
  return { rows, total: count?.n ?? 0 };
}

export async function insertQualification(db: Db, x: {
  organisationId: string; authorityId: string; organisationName: string; organisationCode: string; legalRepName: string; legalRepPhone: string;
  practiceLicenceNo: string; staffId: string; now: Date;
}) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO medical_qualification (organisation_id, authority_id, status, organisation_name, organisation_code, legal_rep_name, legal_rep_phone,
      practice_licence_no, applied_at, applied_by, updated_at)
    VALUES (${x.organisationId}, ${x.authorityId}, 'pending', ${x.organisationName}, ${x.organisationCode}, ${x.legalRepName}, ${x.legalRepPhone},
      ${x.practiceLicenceNo}, ${x.now}, ${x.staffId}, ${x.now})
    RETURNING id`;
  return row!.id;
}

export async function updateQualification(db: Db, id: string, patch: Record<string, unknown>) {
  await db`UPDATE medical_qualification SET ${db(patch as Record<string, string>)} WHERE id = ${id}`;
}

export type ReviewRow = {
  id: string;
  qualification_id: string;
  kind: 'initial' | 'renewal';
  status: 'pending' | 'approved' | 'rejected';
  submitted_at: Date;
  due_at: Date;
  decided_at: Date | null;
  note: string;
};

export async function insertReview(db: Db, r: { qualificationId: string; kind: 'initial' | 'renewal'; staffId: string; now: Date; dueAt: Date; documents: { kind: string; uploadId: string }[] }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO medical_qualification_review (qualification_id, kind, submitted_at, submitted_by, due_at)
    VALUES (${r.qualificationId}, ${r.kind}, ${r.now}, ${r.staffId}, ${r.dueAt}) RETURNING id`;
  for (const d of r.documents) {
    await db`INSERT INTO medical_qualification_document (review_id, kind, upload_id) VALUES (${row!.id}, ${d.kind}, ${d.uploadId})`;
  }
  return row!.id;
}

export async function reviewsOf(db: Db, qualificationId: string) {
  return db<ReviewRow[]>`SELECT * FROM medical_qualification_review WHERE qualification_id = ${qualificationId} ORDER BY submitted_at DESC, id`;
}

export async function pendingReview(db: Db, qualificationId: string) {
  const [row] = await db<ReviewRow[]>`SELECT * FROM medical_qualification_review WHERE qualification_id = ${qualificationId} AND status = 'pending' FOR UPDATE`;
  return row;
}

export async function decideReview(db: Db, id: string, status: 'approved' | 'rejected', staffId: string | null, note: string, now: Date) {
  await db`UPDATE medical_qualification_review SET status = ${status}, decided_at = ${now}, decided_by = ${staffId}, note = ${note} WHERE id = ${id}`;
}

export async function documentsOf(db: Db, reviewIds: string[]) {
  if (!reviewIds.length) return [];
  return db<{ review_id: string; kind: string; upload_id: string; file_name: string | null; content_type: string; size_bytes: number }[]>`
    SELECT d.review_id, d.kind, d.upload_id, u.file_name, u.content_type, u.size_bytes
    FROM medical_qualification_document d JOIN upload u ON u.id = d.upload_id WHERE d.review_id = ANY(${reviewIds}) ORDER BY d.kind`;
}

// ---------------------------------------------------------------------------
// Holders and certificates (staff reads)
// ---------------------------------------------------------------------------

export async function findHolder(db: Db, idNumber: string) {
  const [row] = await db<{ id: string; name: string; birth_date: string; deceased: boolean }[]>`
    SELECT id, name, birth_date, deceased FROM person WHERE id_type = 'resident_id' AND id_number = ${idNumber}`;
  return row;
}

export async function findLicence(db: Db, personId: string, licenceNo: string) {
  const [row] = await db<{ id: string; classes: string; status: string; licence_no: string }[]>`
    SELECT id, classes, status, licence_no FROM driving_licence WHERE person_id = ${personId} AND licence_no = ${licenceNo}`;
  return row;
}

export type CertificateRow = {
  id: string;
  reference: string;
  person_id: string;
  holder_name: string;
  holder_id_number: string;
  licence_id: string | null;
  licence_no: string | null;
  licence_classes: string | null;
  issuer_organisation_id: string | null;
  issuer_name: string | null;
  qualification_id: string | null;
  qualification_status: string | null;
  authority_id: string | null;
  source: 'institution' | 'self';
  purpose: 'renewal' | 'age_70_yearly' | 'disability_3y';
  issued_on: string;
  valid_until: string;
  conclusion: 'fit' | 'unfit';
  status: 'valid' | 'void';
  void_reason: string | null;
  upload_id: string | null;
  created_at: Date;
  created_by_label: string | null;
};

const certificateSelect = (db: Db) => db`
  SELECT hc.id, hc.reference, hc.person_id, p.name AS holder_name, p.id_number AS holder_id_number, hc.licence_id, dl.licence_no, dl.classes AS licence_classes,
         hc.issuer_organisation_id, o.name AS issuer_name, hc.qualification_id, mq.status AS qualification_status, hc.authority_id,
         hc.source, hc.purpose, hc.issued_on, hc.valid_until, hc.conclusion, hc.status, hc.void_reason, hc.upload_id, hc.created_at,
         sm.display_name AS created_by_label
  FROM health_certificate hc
  JOIN person p ON p.id = hc.person_id
  LEFT JOIN driving_licence dl ON dl.id = hc.licence_id
  LEFT JOIN organisation o ON o.id = hc.issuer_organisation_id
  LEFT JOIN medical_qualification mq ON mq.id = hc.qualification_id
  LEFT JOIN staff_member sm ON hc.created_by_kind = 'staff' AND sm.id::text = hc.created_by`;

const certificateScope = (db: Db, scope: Scope) => scopeWhere(db, scope, { org: 'hc.issuer_organisation_id', authority: 'hc.authority_id' });

export async function findCertificate(db: Db, id: string, scope: Scope) {
  const [row] = await db<CertificateRow[]>`${certificateSelect(db)} WHERE hc.id = ${id} AND ${certificateScope(db, scope)}`;
  return row;
}

const CERTIFICATE_SORT: Record<string, string> = { createdAt: 'hc.created_at', issuedOn: 'hc.issued_on', validUntil: 'hc.valid_until', reference: 'hc.reference', purpose: 'hc.purpose' };

/** Filters: q (reference, holder name, or an ID / licence number typed in full), purpose, source, conclusion, status. */
export async function listCertificates(db: Db, q: ListQuery, scope: Scope) {
  const search = filterString(q.filter, 'q')?.trim();
  const purpose = filterString(q.filter, 'purpose');
  const source = filterString(q.filter, 'source');
  const conclusion = filterString(q.filter, 'conclusion');
  const status = filterString(q.filter, 'status');
  const where = db`WHERE ${certificateScope(db, scope)}
    ${purpose ? db`AND hc.purpose = ${purpose}` : db``}
    ${source ? db`AND hc.source = ${source}` : db``}
    ${conclusion ? db`AND hc.conclusion = ${conclusion}` : db``}
    ${status ? db`AND hc.status = ${status}` : db``}
    ${search ? db`AND (hc.reference ILIKE ${'%' + search + '%'} OR p.name ILIKE ${'%' + search + '%'} OR p.id_number = ${search.toUpperCase()} OR dl.licence_no = ${search.toUpperCase()})` : db``}`;
  const column = CERTIFICATE_SORT[q.sortField] ?? 'hc.created_at';
  const rows = await db<CertificateRow[]>`
    ${certificateSelect(db)} ${where}
    ORDER BY ${db(column)} ${q.sortDesc ? db`DESC` : db`ASC`}, hc.id OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM health_certificate hc JOIN person p ON p.id = hc.person_id LEFT JOIN driving_licence dl ON dl.id = hc.licence_id ${where}`;
  return { rows, total: count?.n ?? 0 };
}
