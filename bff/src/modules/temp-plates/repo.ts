import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import type { BlankStatus, QualificationStatus } from './rules.ts';

export { visibleAuthorities } from '../../platform/authorities.ts';

/** Whose rows a staff member sees: a dealer its own organisation's, the posts their authorities'. */
export type Scope = { organisationId: string } | { authorities: string[] };

const scopeWhere = (db: Db, scope: Scope, alias = 'q') =>
  'organisationId' in scope ? db`${db(alias + '.organisation_id')} = ${scope.organisationId}` : db`${db(alias + '.authority_id')} = ANY(${scope.authorities})`;

// ---------------------------------------------------------------------------
// Organisations and city settings
// ---------------------------------------------------------------------------

export async function findOrganisation(db: Db, id: string) {
  const [row] = await db<{ id: string; name: string; uscc: string; is_car_dealer: boolean; dissolved: boolean; legal_rep_name: string; legal_rep_phone: string; authority_id: string }[]>`
    SELECT id, name, uscc, is_car_dealer, dissolved, legal_rep_name, legal_rep_phone, authority_id FROM organisation WHERE id = ${id}`;
  return row;
}

export async function authorityPrefix(db: Db, authorityId: string) {
  const [row] = await db<{ plate_prefix: string | null }[]>`SELECT plate_prefix FROM authority WHERE id = ${authorityId}`;
  return row?.plate_prefix ?? null;
}

export async function cityEntrusted(db: Db, authorityId: string): Promise<boolean> {
  const [row] = await db<{ dealers_enabled: boolean }[]>`SELECT dealers_enabled FROM temp_plate_city_setting WHERE authority_id = ${authorityId}`;
  return row?.dealers_enabled ?? false;
}

export type CitySettingRow = { authority_id: string; authority_name: string; dealers_enabled: boolean; note: string; updated_at: Date | null; updated_by_label: string | null };

export async function citySettings(db: Db, authorityIds: string[]) {
  if (!authorityIds.length) return [];
  return db<CitySettingRow[]>`
    SELECT a.id AS authority_id, a.name AS authority_name, COALESCE(s.dealers_enabled, false) AS dealers_enabled, COALESCE(s.note, '') AS note,
           s.updated_at, sm.display_name AS updated_by_label
    FROM authority a LEFT JOIN temp_plate_city_setting s ON s.authority_id = a.id LEFT JOIN staff_member sm ON sm.id = s.updated_by
    WHERE a.id = ANY(${authorityIds}) AND a.level = 'city'
    ORDER BY a.id`;
}

export async function upsertCitySetting(db: Db, s: { authorityId: string; dealersEnabled: boolean; note: string; staffId: string; now: Date }) {
  await db`
    INSERT INTO temp_plate_city_setting (authority_id, dealers_enabled, note, updated_by, updated_at)
    VALUES (${s.authorityId}, ${s.dealersEnabled}, ${s.note}, ${s.staffId}, ${s.now})
    ON CONFLICT (authority_id) DO UPDATE SET dealers_enabled = EXCLUDED.dealers_enabled, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`;
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
  brand_models: string[];
  valid_from: string | null;
  valid_until: string | null;
  quota: number;
  blanks_handed_out: number;
  blanks_in_stock: number;
  blanks_issued: number;
  blanks_damaged_kept: number;
  blanks_returned: number;
  blanks_destroyed: number;
  blanks_recovered: number;
  mismatch_count: number;
  damage_count: number;
  explanation_required_at: Date | null;
  explanation_reason: 'mismatches' | 'damage' | null;
  explanation_text: string | null;
  explanation_submitted_at: Date | null;
  applied_at: Date;
  decided_at: Date | null;
  decision_note: string;
  ended_at: Date | null;
  end_reason: string | null;
  reapply_after: string | null;
  suspended_at: Date | null;
  suspend_reason: string | null;
  updated_at: Date;
};

export async function findQualification(db: Db, id: string, scope: Scope | 'system', forUpdate = false) {
  const [row] = await db<QualificationRow[]>`
    SELECT q.* FROM dealer_qualification q WHERE q.id = ${id} ${scope === 'system' ? db`` : db`AND ${scopeWhere(db, scope)}`}
    ${forUpdate ? db`FOR UPDATE` : db``}`;
  return row;
}

/** The dealer's live qualification (pending, active or suspended), else its latest. */
export async function currentQualification(db: Db, organisationId: string, forUpdate = false) {
  const [row] = await db<QualificationRow[]>`
    SELECT q.* FROM dealer_qualification q WHERE q.organisation_id = ${organisationId}
    ORDER BY (q.status IN ('pending', 'active', 'suspended')) DESC, q.applied_at DESC LIMIT 1
    ${forUpdate ? db`FOR UPDATE` : db``}`;
  return row;
}

/** R-32.5: the latest day from which a revoked or lapsed dealer may apply again. */
export async function latestReapplyAfter(db: Db, organisationId: string): Promise<string | null> {
  const [row] = await db<{ d: string | null }[]>`SELECT max(reapply_after)::text AS d FROM dealer_qualification WHERE organisation_id = ${organisationId}`;
  return row?.d ?? null;
}

export async function listQualifications(db: Db, q: ListQuery, scope: Scope) {
  const status = filterString(q.filter, 'status');
  const search = filterString(q.filter, 'q');
  const where = db`WHERE ${scopeWhere(db, scope)} ${status ? db`AND q.status = ${status}` : db``} ${search ? db`AND q.organisation_name ILIKE ${'%' + search + '%'}` : db``}`;
  const column = ({ validUntil: 'valid_until', appliedAt: 'applied_at', status: 'status', organisationName: 'organisation_name', updatedAt: 'updated_at' } as Record<string, string>)[q.sortField] ?? 'applied_at';
  const rows = await db<QualificationRow[]>`
    SELECT q.* FROM dealer_qualification q ${where}
    ORDER BY ${db('q.' + column)} ${q.sortDesc ? db`DESC NULLS LAST` : db`ASC NULLS LAST`}, q.id OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM dealer_qualification q ${where}`;
  return { rows, total: count?.n ?? 0 };
}

export async function insertQualification(db: Db, x: {
  organisationId: string; authorityId: string; organisationName: string; organisationCode: string; legalRepName: string; legalRepPhone: string;
  brandModels: string[]; staffId: string; now: Date;
}) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO dealer_qualification (organisation_id, authority_id, status, organisation_name, organisation_code, legal_rep_name, legal_rep_phone,
      brand_models, applied_at, applied_by, updated_at)
    VALUES (${x.organisationId}, ${x.authorityId}, 'pending', ${x.organisationName}, ${x.organisationCode}, ${x.legalRepName}, ${x.legalRepPhone},
      ${x.brandModels}, ${x.now}, ${x.staffId}, ${x.now})
    RETURNING id`;
  return row!.id;
}

export async function updateQualification(db: Db, id: string, patch: Record<string, unknown>) {
  await db`UPDATE dealer_qualification SET ${db(patch as Record<string, string>)} WHERE id = ${id}`;
}

/**
 * Moves blanks between the counters of R-31.7 in one statement; the
 * accounting CHECK of the table refuses any change that loses a blank.
 */
export async function moveCounters(db: Db, id: string, delta: Partial<Record<'handed_out' | 'in_stock' | 'issued' | 'damaged_kept' | 'returned' | 'destroyed' | 'recovered', number>>, now: Date) {
  const d = (k: keyof typeof delta) => delta[k] ?? 0;
  await db`
    UPDATE dealer_qualification SET
      blanks_handed_out = blanks_handed_out + ${d('handed_out')}, blanks_in_stock = blanks_in_stock + ${d('in_stock')},
      blanks_issued = blanks_issued + ${d('issued')}, blanks_damaged_kept = blanks_damaged_kept + ${d('damaged_kept')},
      blanks_returned = blanks_returned + ${d('returned')}, blanks_destroyed = blanks_destroyed + ${d('destroyed')},
      blanks_recovered = blanks_recovered + ${d('recovered')}, updated_at = ${now}
    WHERE id = ${id}`;
}

/** R-32.6 at the database: the stock grows only while it stays within the quota. */
export async function addToStockWithinQuota(db: Db, id: string, n: number, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE dealer_qualification SET blanks_handed_out = blanks_handed_out + ${n}, blanks_in_stock = blanks_in_stock + ${n}, updated_at = ${now}
    WHERE id = ${id} AND blanks_in_stock + ${n} <= quota RETURNING id`;
  return rows.length === 1;
}

export type ReviewRow = {
  id: string;
  qualification_id: string;
  kind: 'initial' | 'renewal';
  brand_models: string[];
  status: 'pending' | 'approved' | 'rejected';
  submitted_at: Date;
  decided_at: Date | null;
  note: string;
};

export async function insertReview(db: Db, r: { qualificationId: string; kind: 'initial' | 'renewal'; brandModels: string[]; staffId: string; now: Date; documents: { kind: string; uploadId: string }[] }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO dealer_qualification_review (qualification_id, kind, brand_models, submitted_at, submitted_by)
    VALUES (${r.qualificationId}, ${r.kind}, ${r.brandModels}, ${r.now}, ${r.staffId}) RETURNING id`;
  for (const d of r.documents) {
    await db`INSERT INTO dealer_qualification_document (review_id, kind, upload_id) VALUES (${row!.id}, ${d.kind}, ${d.uploadId})`;
  }
  return row!.id;
}

export async function reviewsOf(db: Db, qualificationId: string) {
  return db<ReviewRow[]>`SELECT * FROM dealer_qualification_review WHERE qualification_id = ${qualificationId} ORDER BY submitted_at DESC, id`;
}

export async function pendingReview(db: Db, qualificationId: string) {
  const [row] = await db<ReviewRow[]>`SELECT * FROM dealer_qualification_review WHERE qualification_id = ${qualificationId} AND status = 'pending' FOR UPDATE`;
  return row;
}

export async function decideReview(db: Db, id: string, status: 'approved' | 'rejected', staffId: string, note: string, now: Date) {
  await db`UPDATE dealer_qualification_review SET status = ${status}, decided_at = ${now}, decided_by = ${staffId}, note = ${note} WHERE id = ${id}`;
}

export async function documentsOf(db: Db, reviewIds: string[]) {
  if (!reviewIds.length) return [];
  return db<{ review_id: string; kind: string; upload_id: string; file_name: string; content_type: string; size_bytes: number }[]>`
    SELECT d.review_id, d.kind, d.upload_id, u.file_name, u.content_type, u.size_bytes
    FROM dealer_qualification_document d JOIN upload u ON u.id = d.upload_id WHERE d.review_id = ANY(${reviewIds}) ORDER BY d.kind`;
}

// ---------------------------------------------------------------------------
// Blanks and batches
// ---------------------------------------------------------------------------

/** Consecutive serials for `n` blanks of an authority; the row lock serialises hand-outs. */
export async function takeSerials(db: Db, authorityId: string, n: number): Promise<number> {
  await db`INSERT INTO temp_plate_serial (authority_id) VALUES (${authorityId}) ON CONFLICT (authority_id) DO NOTHING`;
  const [row] = await db<{ first: number }[]>`
    UPDATE temp_plate_serial SET next_serial = next_serial + ${n} WHERE authority_id = ${authorityId} RETURNING next_serial - ${n} AS first`;
  return row!.first;
}

export async function insertBatch(db: Db, b: {
  qualificationId: string; authorityId: string; quantity: number; firstPlateNo: string; lastPlateNo: string; declared: Record<string, unknown>;
  checkStatus: 'passed' | 'deferred'; checkResult: Record<string, unknown> | null; staffId: string; now: Date;
}) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO temp_plate_batch (qualification_id, authority_id, quantity, first_plate_no, last_plate_no, declared, check_status, check_result, checked_at, handed_out_by, handed_out_at)
    VALUES (${b.qualificationId}, ${b.authorityId}, ${b.quantity}, ${b.firstPlateNo}, ${b.lastPlateNo}, ${db.json(b.declared as never)}, ${b.checkStatus},
      ${b.checkResult ? db.json(b.checkResult as never) : null}, ${b.checkStatus === 'deferred' ? null : b.now}, ${b.staffId}, ${b.now})
    RETURNING id`;
  return row!.id;
}

/** R-33.2.1: the documents checked at a hand-out. */
export async function insertBatchDocuments(db: Db, batchId: string, documents: { kind: string; uploadId: string }[]) {
  for (const d of documents) await db`INSERT INTO temp_plate_batch_document (batch_id, kind, upload_id) VALUES (${batchId}, ${d.kind}, ${d.uploadId})`;
}

export async function batchDocuments(db: Db, batchId: string) {
  return db<{ kind: string; upload_id: string; file_name: string | null }[]>`
    SELECT d.kind, d.upload_id, u.file_name FROM temp_plate_batch_document d JOIN upload u ON u.id = d.upload_id WHERE d.batch_id = ${batchId} ORDER BY d.kind`;
}

export async function insertBlanks(db: Db, b: { plateNos: string[]; authorityId: string; qualificationId: string; batchId: string; now: Date }) {
  await db`
    INSERT INTO temp_plate_blank (plate_no, authority_id, qualification_id, batch_id, status, updated_at)
    SELECT p, ${b.authorityId}, ${b.qualificationId}, ${b.batchId}, 'in_stock', ${b.now} FROM unnest(${b.plateNos}::text[]) AS p`;
}

export type BatchRow = {
  id: string;
  qualification_id: string;
  authority_id: string;
  organisation_name: string;
  quantity: number;
  first_plate_no: string;
  last_plate_no: string;
  declared: { returnedDamagedNos: string[]; issuedSinceLast: number; materialsComplete: boolean };
  check_status: 'passed' | 'deferred' | 'failed';
  check_result: Record<string, unknown> | null;
  checked_at: Date | null;
  handed_out_at: Date;
  handed_out_by_label: string;
};

const batchSelect = (db: Db) => db`
  SELECT b.*, q.organisation_name, q.organisation_id, sm.display_name AS handed_out_by_label
  FROM temp_plate_batch b JOIN dealer_qualification q ON q.id = b.qualification_id JOIN staff_member sm ON sm.id = b.handed_out_by`;

export async function findBatch(db: Db, id: string, scope: Scope | 'system', forUpdate = false) {
  const [row] = await db<BatchRow[]>`
    ${batchSelect(db)} WHERE b.id = ${id} ${scope === 'system' ? db`` : db`AND ${scopeWhere(db, scope)}`} ${forUpdate ? db`FOR UPDATE OF b` : db``}`;
  return row;
}

export async function listBatches(db: Db, q: ListQuery, scope: Scope) {
  const qualificationId = filterString(q.filter, 'qualificationId');
  const check = filterString(q.filter, 'checkStatus');
  const where = db`WHERE ${scopeWhere(db, scope)}
    ${qualificationId && /^[0-9a-f-]{36}$/i.test(qualificationId) ? db`AND b.qualification_id = ${qualificationId}` : db``}
    ${check ? db`AND b.check_status = ${check}` : db``}`;
  const rows = await db<BatchRow[]>`${batchSelect(db)} ${where} ORDER BY b.handed_out_at ${q.sortDesc ? db`DESC` : db`ASC`}, b.id OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM temp_plate_batch b JOIN dealer_qualification q ON q.id = b.qualification_id ${where}`;
  return { rows, total: count?.n ?? 0 };
}

export async function hasDeferredBatch(db: Db, qualificationId: string): Promise<boolean> {
  const [row] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM temp_plate_batch WHERE qualification_id = ${qualificationId} AND check_status = 'deferred'`;
  return (row?.n ?? 0) > 0;
}

export async function setBatchCheck(db: Db, id: string, status: 'passed' | 'failed', result: Record<string, unknown>, now: Date) {
  await db`UPDATE temp_plate_batch SET check_status = ${status}, check_result = ${db.json(result as never)}, checked_at = ${now} WHERE id = ${id}`;
}

/**
 * R-33.2.2: what the records show at `cutoff` — the blanks damaged and kept,
 * and the plates issued since the hand-out before it.
 */
export async function recordsAt(db: Db, qualificationId: string, cutoff: Date, excludeBatchId?: string) {
  const damaged = await db<{ plate_no: string }[]>`
    SELECT plate_no FROM temp_plate_blank WHERE qualification_id = ${qualificationId} AND status = 'damaged' AND damaged_at <= ${cutoff} ORDER BY plate_no`;
  const [prev] = await db<{ at: Date | null }[]>`
    SELECT max(handed_out_at) AS at FROM temp_plate_batch
    WHERE qualification_id = ${qualificationId} AND handed_out_at < ${cutoff} ${excludeBatchId ? db`AND id <> ${excludeBatchId}` : db``}`;
  const [issued] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM temp_plate_issuance
    WHERE qualification_id = ${qualificationId} AND issued_at <= ${cutoff} ${prev?.at ? db`AND issued_at > ${prev.at}` : db``}`;
  return { damagedKeptNos: damaged.map((d) => d.plate_no), issuedSinceLast: issued?.n ?? 0, lastHandOutAt: prev?.at ?? null };
}

/** R-31.7: the damaged blanks handed back are recorded as returned. */
export async function markReturned(db: Db, qualificationId: string, plateNos: string[], batchId: string, now: Date): Promise<number> {
  if (!plateNos.length) return 0;
  const rows = await db`
    UPDATE temp_plate_blank SET status = 'returned', returned_at = ${now}, returned_batch_id = ${batchId}, updated_at = ${now}
    WHERE qualification_id = ${qualificationId} AND status = 'damaged' AND plate_no = ANY(${plateNos}) RETURNING id`;
  return rows.length;
}

/** R-33.2.4 / R-32.4: the unused blanks go back to the authority. */
export async function recoverStock(db: Db, qualificationId: string, now: Date): Promise<number> {
  const rows = await db`
    UPDATE temp_plate_blank SET status = 'recovered', recovered_at = ${now}, updated_at = ${now}
    WHERE qualification_id = ${qualificationId} AND status = 'in_stock' RETURNING id`;
  return rows.length;
}

export type BlankRow = {
  id: string;
  plate_no: string;
  authority_id: string;
  qualification_id: string;
  organisation_name: string;
  batch_id: string;
  status: BlankStatus;
  damaged_at: Date | null;
  damage_note: string | null;
  returned_at: Date | null;
  destroyed_at: Date | null;
  recovered_at: Date | null;
  updated_at: Date;
  issuance_id: string | null;
};

const blankSelect = (db: Db) => db`
  SELECT bl.*, q.organisation_name, q.organisation_id, i.id AS issuance_id
  FROM temp_plate_blank bl JOIN dealer_qualification q ON q.id = bl.qualification_id LEFT JOIN temp_plate_issuance i ON i.blank_id = bl.id`;

export async function findBlank(db: Db, id: string, scope: Scope, forUpdate = false) {
  const [row] = await db<BlankRow[]>`${blankSelect(db)} WHERE bl.id = ${id} AND ${scopeWhere(db, scope)} ${forUpdate ? db`FOR UPDATE OF bl` : db``}`;
  return row;
}

export async function listBlanks(db: Db, q: ListQuery, scope: Scope) {
  const status = filterString(q.filter, 'status');
  const qualificationId = filterString(q.filter, 'qualificationId');
  const search = filterString(q.filter, 'q');
  const where = db`WHERE ${scopeWhere(db, scope)}
    ${status ? db`AND bl.status = ${status}` : db``}
    ${qualificationId && /^[0-9a-f-]{36}$/i.test(qualificationId) ? db`AND bl.qualification_id = ${qualificationId}` : db``}
    ${search ? db`AND bl.plate_no ILIKE ${'%' + search + '%'}` : db``}`;
  const column = ({ plateNo: 'plate_no', status: 'status', updatedAt: 'updated_at' } as Record<string, string>)[q.sortField] ?? 'plate_no';
  const rows = await db<BlankRow[]>`
    ${blankSelect(db)} ${where} ORDER BY ${db('bl.' + column)} ${q.sortDesc ? db`DESC` : db`ASC`}, bl.id OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM temp_plate_blank bl JOIN dealer_qualification q ON q.id = bl.qualification_id ${where}`;
  return { rows, total: count?.n ?? 0 };
}

/** A blank status change that happens only from the expected status (no double transition). */
export async function moveBlank(db: Db, id: string, from: BlankStatus, to: BlankStatus, patch: Record<string, unknown>, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE temp_plate_blank SET ${db({ ...patch, status: to, updated_at: now } as unknown as Record<string, string>)}
    WHERE id = ${id} AND status = ${from} RETURNING id`;
  return rows.length === 1;
}

export async function blankCounts(db: Db, qualificationId: string) {
  const rows = await db<{ status: BlankStatus; n: number }[]>`
    SELECT status, count(*)::int AS n FROM temp_plate_blank WHERE qualification_id = ${qualificationId} GROUP BY status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<BlankStatus, number>>;
}

// ---------------------------------------------------------------------------
// Issuances
// ---------------------------------------------------------------------------

export async function findVehicleByVin(db: Db, vin: string) {
  const [row] = await db<{ id: string; plate_no: string | null }[]>`SELECT id, plate_no FROM vehicle WHERE vin = ${vin}`;
  return row;
}

export type IssuanceRow = {
  id: string;
  blank_id: string;
  plate_no: string;
  qualification_id: string;
  authority_id: string;
  organisation_name: string;
  vin: string;
  brand_model: string;
  owner_name: string;
  owner_id_type: string;
  owner_id_number: string;
  owner_phone: string;
  valid_until: string;
  status: 'issued' | 'registered';
  issued_at: Date;
  issued_by_label: string;
  registered_at: Date | null;
  mismatch_fields: string[] | null;
};

const issuanceSelect = (db: Db) => db`
  SELECT i.*, q.organisation_name, q.organisation_id, sm.display_name AS issued_by_label
  FROM temp_plate_issuance i JOIN dealer_qualification q ON q.id = i.qualification_id JOIN staff_member sm ON sm.id = i.issued_by`;

export async function insertIssuance(db: Db, x: {
  blankId: string; plateNo: string; qualificationId: string; authorityId: string; vin: string; brandModel: string; ownerName: string; ownerIdType: string;
  ownerIdNumber: string; ownerPhone: string; validUntil: string; staffId: string; now: Date;
}) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO temp_plate_issuance (blank_id, plate_no, qualification_id, authority_id, vin, brand_model, owner_name, owner_id_type, owner_id_number, owner_phone,
      valid_until, issued_by, issued_at)
    VALUES (${x.blankId}, ${x.plateNo}, ${x.qualificationId}, ${x.authorityId}, ${x.vin}, ${x.brandModel}, ${x.ownerName}, ${x.ownerIdType}, ${x.ownerIdNumber}, ${x.ownerPhone},
      ${x.validUntil}, ${x.staffId}, ${x.now})
    RETURNING id`;
  return row!.id;
}

export async function findIssuance(db: Db, id: string, scope: Scope, forUpdate = false) {
  const [row] = await db<IssuanceRow[]>`${issuanceSelect(db)} WHERE i.id = ${id} AND ${scopeWhere(db, scope)} ${forUpdate ? db`FOR UPDATE OF i` : db``}`;
  return row;
}

export async function listIssuances(db: Db, q: ListQuery, scope: Scope) {
  const status = filterString(q.filter, 'status');
  const search = filterString(q.filter, 'q')?.toUpperCase();
  const where = db`WHERE ${scopeWhere(db, scope)} ${status ? db`AND i.status = ${status}` : db``}
    ${search ? db`AND (i.plate_no ILIKE ${'%' + search + '%'} OR i.vin = ${search})` : db``}`;
  const rows = await db<IssuanceRow[]>`${issuanceSelect(db)} ${where} ORDER BY i.issued_at ${q.sortDesc ? db`DESC` : db`ASC`}, i.id OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM temp_plate_issuance i JOIN dealer_qualification q ON q.id = i.qualification_id ${where}`;
  return { rows, total: count?.n ?? 0 };
}

export async function markRegistered(db: Db, id: string, staffId: string, mismatchFields: string[], now: Date) {
  await db`UPDATE temp_plate_issuance SET status = 'registered', registered_at = ${now}, registered_by = ${staffId}, mismatch_fields = ${mismatchFields} WHERE id = ${id}`;
}

/** The registry's person with this identity document, if any: whose "who viewed my data" a reveal joins (issue 17). */
export async function personIdOf(db: Db, idType: string, idNumber: string): Promise<string | null> {
  const [row] = await db<{ id: string }[]>`SELECT id FROM person WHERE id_type = ${idType} AND id_number = ${idNumber}`;
  return row?.id ?? null;
}
