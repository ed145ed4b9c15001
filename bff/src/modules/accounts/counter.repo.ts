/**
 * SQL of the counter (R-12, R-13, R-19, R-20): account applications and
 * their documents, the pre-filled forms, 档案岗's archive records (R-12.3,
 * R-13.2), the application's audit trail for its timeline and the units
 * registered or changed at the counter (R-13, R-16.5).
 */
import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';

// ---------------------------------------------------------------------------
// Counter applications
// ---------------------------------------------------------------------------

export type ApplicationRow = {
  id: string; reference: string; authority_id: string; subject: 'person' | 'organisation'; kind: 'registration' | 'change';
  change_kind: 'contact' | 'bind_non_own_vehicle' | 'organisation_info' | null;
  status: 'review' | 'returned' | 'approved' | 'rejected' | 'completed';
  id_type: string; id_number: string; phone: string; form: Record<string, unknown>;
  person_id: string | null; organisation_id: string | null; user_account_id: string | null; vehicle_id: string | null;
  check_status: 'passed' | 'pending' | 'failed'; check_detail: Record<string, unknown>; checked_at: Date | null; photo_prompts: string[];
  prefill_code: string | null; accepted_by: string; accepted_by_name: string; accepted_at: Date; review_due_at: Date | null; overdue_at: Date | null;
  returned_note: string | null; returned_at: Date | null; resubmitted_at: Date | null; decided_by: string | null; decided_at: Date | null;
  reject_reason: string | null; updated_at: Date;
};

const APP_COLUMNS = (db: Db) => db`
  a.id, a.reference, a.authority_id, a.subject, a.kind, a.change_kind, a.status, a.id_type, a.id_number, a.phone, a.form,
  a.person_id, a.organisation_id, a.user_account_id, a.vehicle_id, a.check_status, a.check_detail, a.checked_at, a.photo_prompts,
  a.prefill_code, a.accepted_by, s.display_name AS accepted_by_name, a.accepted_at, a.review_due_at, a.overdue_at, a.returned_note, a.returned_at,
  a.resubmitted_at, a.decided_by, a.decided_at, a.reject_reason, a.updated_at`;

export async function nextApplicationSeq(db: Db): Promise<number> {
  const [row] = await db<{ n: string }[]>`SELECT nextval('account_application_ref_seq') AS n`;
  return Number(row!.n);
}

export async function insertApplication(
  db: Db,
  a: {
    reference: string; authorityId: string; subject: string; kind: string; changeKind: string | null; status: string; idType: string; idNumber: string; phone: string;
    form: Record<string, unknown>; personId: string | null; organisationId: string | null; userAccountId: string | null; vehicleId: string | null;
    checkStatus: string; checkDetail: Record<string, unknown>; checkedAt: Date | null; photoPrompts: string[]; prefillCode: string | null; trackTokenHash: string;
    acceptedBy: string; now: Date; reviewDueAt: Date | null;
  },
) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO account_application (reference, authority_id, subject, kind, change_kind, status, id_type, id_number, phone, form, person_id, organisation_id,
      user_account_id, vehicle_id, check_status, check_detail, checked_at, photo_prompts, prefill_code, track_token_hash, accepted_by, accepted_at, review_due_at, updated_at)
    VALUES (${a.reference}, ${a.authorityId}, ${a.subject}, ${a.kind}, ${a.changeKind}, ${a.status}, ${a.idType}, ${a.idNumber}, ${a.phone},
      ${db.json(a.form as Parameters<Db['json']>[0])}, ${a.personId}, ${a.organisationId}, ${a.userAccountId}, ${a.vehicleId}, ${a.checkStatus},
      ${db.json(a.checkDetail as Parameters<Db['json']>[0])}, ${a.checkedAt}, ${a.photoPrompts}, ${a.prefillCode}, ${a.trackTokenHash}, ${a.acceptedBy},
      ${a.now}, ${a.reviewDueAt}, ${a.now})
    RETURNING id`;
  return row!.id;
}

export async function setDocuments(db: Db, applicationId: string, docs: Record<string, string>) {
  await db`DELETE FROM account_application_document WHERE application_id = ${applicationId}`;
  for (const [purpose, uploadId] of Object.entries(docs)) {
    await db`INSERT INTO account_application_document (application_id, purpose, upload_id) VALUES (${applicationId}, ${purpose}, ${uploadId})`;
  }
}

export async function documentsOf(db: Db, applicationId: string) {
  return db<{ purpose: string; upload_id: string; content_type: string; size_bytes: number; sha256: string }[]>`
    SELECT d.purpose, d.upload_id, u.content_type, u.size_bytes, u.sha256
    FROM account_application_document d JOIN upload u ON u.id = d.upload_id
    WHERE d.application_id = ${applicationId} ORDER BY d.purpose`;
}

export async function findApplication(db: Db, id: string, opts: { authorities?: string[]; lock?: boolean } = {}): Promise<ApplicationRow | undefined> {
  const [row] = await db<ApplicationRow[]>`
    SELECT ${APP_COLUMNS(db)} FROM account_application a JOIN staff_member s ON s.id = a.accepted_by
    WHERE a.id = ${id} ${opts.authorities ? db`AND a.authority_id = ANY(${opts.authorities})` : db``}
    ${opts.lock ? db`FOR UPDATE OF a` : db``}`;
  return row;
}

export async function findApplicationByReference(db: Db, reference: string): Promise<ApplicationRow | undefined> {
  const [row] = await db<ApplicationRow[]>`
    SELECT ${APP_COLUMNS(db)} FROM account_application a JOIN staff_member s ON s.id = a.accepted_by WHERE a.reference = ${reference}`;
  return row;
}

export async function findApplicationByToken(db: Db, tokenHash: string): Promise<ApplicationRow | undefined> {
  const [row] = await db<ApplicationRow[]>`
    SELECT ${APP_COLUMNS(db)} FROM account_application a JOIN staff_member s ON s.id = a.accepted_by WHERE a.track_token_hash = ${tokenHash}`;
  return row;
}

export async function applicationsOfApplicant(db: Db, idType: string, idNumber: string, userId: string) {
  return db<ApplicationRow[]>`
    SELECT ${APP_COLUMNS(db)} FROM account_application a JOIN staff_member s ON s.id = a.accepted_by
    WHERE (a.id_type = ${idType} AND a.id_number = ${idNumber}) OR a.user_account_id = ${userId}
    ORDER BY a.accepted_at DESC LIMIT 50`;
}

const APP_SORT: Record<string, string> = { reviewDueAt: 'a.review_due_at', acceptedAt: 'a.accepted_at', reference: 'a.reference', status: 'a.status', id: 'a.id' };

export async function listApplications(db: Db, q: ListQuery, authorities: string[], f: { statuses?: string[]; checkStatus?: string; q?: string; subject?: string }) {
  const col = APP_SORT[q.sortField] ?? 'a.review_due_at';
  const rows = await db<(ApplicationRow & { total: number })[]>`
    SELECT ${APP_COLUMNS(db)}, count(*) OVER ()::int AS total
    FROM account_application a JOIN staff_member s ON s.id = a.accepted_by
    WHERE a.authority_id = ANY(${authorities})
      ${f.statuses ? db`AND a.status = ANY(${f.statuses})` : db``}
      ${f.checkStatus ? db`AND a.check_status = ${f.checkStatus}` : db``}
      ${f.subject ? db`AND a.subject = ${f.subject}` : db``}
      ${f.q ? db`AND (a.reference = ${f.q} OR a.id_number = ${f.q} OR a.phone = ${f.q})` : db``}
    ORDER BY ${db(col)} ${q.sortDesc ? db`DESC NULLS LAST` : db`ASC NULLS LAST`}, a.accepted_at, a.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function updateApplication(db: Db, id: string, set: Partial<{
  status: string; form: Record<string, unknown>; phone: string; personId: string | null; userAccountId: string | null; organisationId: string | null; vehicleId: string | null;
  checkStatus: string; checkDetail: Record<string, unknown>; checkedAt: Date | null; photoPrompts: string[]; returnedNote: string | null; returnedBy: string | null;
  returnedAt: Date | null; resubmittedAt: Date | null; decidedBy: string | null; decidedAt: Date | null; rejectReason: string | null; overdueAt: Date | null;
}>, now: Date) {
  const cols: Record<string, unknown> = { updated_at: now };
  const map: Record<string, string> = {
    status: 'status', phone: 'phone', personId: 'person_id', userAccountId: 'user_account_id', organisationId: 'organisation_id', vehicleId: 'vehicle_id',
    checkStatus: 'check_status', checkedAt: 'checked_at', photoPrompts: 'photo_prompts', returnedNote: 'returned_note', returnedBy: 'returned_by',
    returnedAt: 'returned_at', resubmittedAt: 'resubmitted_at', decidedBy: 'decided_by', decidedAt: 'decided_at', rejectReason: 'reject_reason', overdueAt: 'overdue_at',
  };
  for (const [k, v] of Object.entries(set)) {
    if (k === 'form' || k === 'checkDetail') cols[k === 'form' ? 'form' : 'check_detail'] = db.json(v as Parameters<Db['json']>[0]);
    else cols[map[k]!] = v;
  }
  await db`UPDATE account_application SET ${db(cols)} WHERE id = ${id}`;
}

// ---------------------------------------------------------------------------
// Prefill and archive
// ---------------------------------------------------------------------------

/** A prefill's code is the table's key: a random code drawn twice is refused here and drawn again (ADR-041). */
export const PREFILL_CODE_KEY = 'account_prefill_pkey';

export async function insertPrefill(db: Db, code: string, form: Record<string, unknown>, now: Date, expiresAt: Date) {
  await db`INSERT INTO account_prefill (code, form, created_at, expires_at) VALUES (${code}, ${db.json(form as Parameters<Db['json']>[0])}, ${now}, ${expiresAt})`;
}

export async function findPrefill(db: Db, code: string, now: Date) {
  const [row] = await db<{ code: string; form: Record<string, unknown>; created_at: Date; expires_at: Date; used_at: Date | null }[]>`
    SELECT code, form, created_at, expires_at, used_at FROM account_prefill WHERE code = ${code} AND expires_at > ${now}`;
  return row;
}

export async function markPrefillUsed(db: Db, code: string, applicationId: string, now: Date) {
  await db`UPDATE account_prefill SET used_at = ${now}, application_id = ${applicationId} WHERE code = ${code}`;
}

export async function insertArchive(db: Db, applicationId: string, authorityId: string, required: readonly string[], now: Date) {
  await db`
    INSERT INTO account_archive (application_id, authority_id, required_documents, created_at, updated_at)
    VALUES (${applicationId}, ${authorityId}, ${required as string[]}, ${now}, ${now})`;
}

export type ArchiveRow = {
  id: string; application_id: string; reference: string; subject: string; applicant_name: string; authority_id: string; status: 'pending' | 'archived';
  required_documents: string[]; checked_documents: string[]; file_location: string | null; note: string; archived_at: Date | null;
  archived_by_name: string | null; created_at: Date; decided_at: Date | null; user_account_id: string | null;
};

const ARCHIVE_COLUMNS = (db: Db) => db`
  r.id, r.application_id, a.reference, a.subject, COALESCE(a.form->>'organisationName', a.form->>'name') AS applicant_name, r.authority_id, r.status,
  r.required_documents, r.checked_documents, r.file_location, r.note, r.archived_at, s.display_name AS archived_by_name, r.created_at,
  COALESCE(a.decided_at, a.accepted_at) AS decided_at, a.user_account_id`;

export async function listArchives(db: Db, q: ListQuery, authorities: string[], status: string | undefined) {
  const rows = await db<(ArchiveRow & { total: number })[]>`
    SELECT ${ARCHIVE_COLUMNS(db)}, count(*) OVER ()::int AS total
    FROM account_archive r JOIN account_application a ON a.id = r.application_id LEFT JOIN staff_member s ON s.id = r.archived_by
    WHERE r.authority_id = ANY(${authorities}) ${status ? db`AND r.status = ${status}` : db``}
    ORDER BY r.created_at ${q.sortDesc ? db`DESC` : db`ASC`}, r.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function findArchive(db: Db, id: string, authorities: string[], lock = false) {
  const [row] = await db<ArchiveRow[]>`
    SELECT ${ARCHIVE_COLUMNS(db)}
    FROM account_archive r JOIN account_application a ON a.id = r.application_id LEFT JOIN staff_member s ON s.id = r.archived_by
    WHERE r.id = ${id} AND r.authority_id = ANY(${authorities}) ${lock ? db`FOR UPDATE OF r` : db``}`;
  return row;
}

export async function archiveFile(db: Db, id: string, a: { checked: string[]; fileLocation: string; note: string; staffId: string | null; archive: boolean }, now: Date) {
  await db`
    UPDATE account_archive SET checked_documents = ${a.checked}, file_location = ${a.fileLocation}, note = ${a.note},
      status = ${a.archive ? 'archived' : db`status`}, archived_by = COALESCE(${a.staffId}, archived_by),
      archived_at = ${a.archive ? now : db`archived_at`}, updated_at = ${now}
    WHERE id = ${id}`;
}

// ---------------------------------------------------------------------------
// The timeline, and units at the counter (R-13, R-16.5)
// ---------------------------------------------------------------------------

export async function auditOf(db: Db, entityType: string, entityId: string) {
  return db<{ action: string; at: Date; after: Record<string, unknown> | null; actor_label: string | null }[]>`
    SELECT action, at, after, actor_label FROM audit_log WHERE entity_type = ${entityType} AND entity_id = ${entityId} ORDER BY at, id`;
}

export async function findOrganisationByUscc(db: Db, uscc: string) {
  const [row] = await db<{ id: string; name: string; authority_id: string; dissolved: boolean }[]>`
    SELECT id, name, authority_id, dissolved FROM organisation WHERE uscc = ${uscc} FOR UPDATE`;
  return row;
}

export async function insertOrganisation(db: Db, o: { uscc: string; name: string; kind: string; address: string; postcode: string; legalRepName: string; legalRepPhone: string; authorityId: string; now: Date }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO organisation (uscc, name, kind, address, postcode, legal_rep_name, legal_rep_phone, authority_id, created_at)
    VALUES (${o.uscc}, ${o.name}, ${o.kind}, ${o.address}, ${o.postcode}, ${o.legalRepName}, ${o.legalRepPhone}, ${o.authorityId}, ${o.now})
    RETURNING id`;
  return row!.id;
}

/** R-16.5: the unit's registration data follow the latest form. */
export async function updateOrganisation(db: Db, id: string, o: { name: string; kind: string; address: string; postcode: string; legalRepName: string; legalRepPhone: string }) {
  await db`
    UPDATE organisation SET name = ${o.name}, kind = ${o.kind}, address = ${o.address}, postcode = ${o.postcode},
      legal_rep_name = ${o.legalRepName}, legal_rep_phone = ${o.legalRepPhone}
    WHERE id = ${id}`;
}

export async function vehiclesOfOrganisation(db: Db, organisationId: string) {
  return db<{ id: string; states: string[] }[]>`SELECT id, states FROM vehicle WHERE owner_organisation_id = ${organisationId} AND plate_no IS NOT NULL`;
}
