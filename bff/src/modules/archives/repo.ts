/** SQL of the archives (migration 0021): records, chains, retention, destructions, paper files, loans, transfers, returned certificates. */
import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';

export type RecordRow = {
  id: string; business_type: string; case_ref: string; version: number; authority_id: string; authority_name: string;
  person_id: string | null; organisation_id: string | null; user_account_id: string | null; person_id_number: string | null; person_name: string | null;
  plate_no: string | null; licence_no: string | null; finished_at: Date; archived_at: Date; retain_until: string | null;
  chain: string; chain_seq: number; prev_digest: string; content_digest: string; digest: string; status: 'kept' | 'destroyed'; destroyed_at: Date | null;
  files: number;
};
export type RecordFull = RecordRow & { content: Record<string, unknown> | null };

const recordColumns = (db: Db) => db`
  r.id, r.business_type, r.case_ref, r.version, r.authority_id, au.name AS authority_name, r.person_id, r.organisation_id, r.user_account_id,
  p.id_number AS person_id_number, p.name AS person_name, r.plate_no, r.licence_no, r.finished_at, r.archived_at, r.retain_until::text AS retain_until,
  r.chain, r.chain_seq, r.prev_digest, r.content_digest, r.digest, r.status, r.destroyed_at,
  (SELECT count(*)::int FROM archive_record_object o WHERE o.record_id = r.id) AS files`;
const recordFrom = (db: Db) => db`archive_record r JOIN authority au ON au.id = r.authority_id LEFT JOIN person p ON p.id = r.person_id`;

export type RecordFilter = {
  q?: string; caseRef?: string; plateNo?: string; licenceNo?: string; idNumber?: string; businessType?: string; from?: string; to?: string;
  status?: string; userAccountId?: string;
};

const SORTS: Record<string, string> = { finishedAt: 'r.finished_at', archivedAt: 'r.archived_at', caseRef: 'r.case_ref', businessType: 'r.business_type', id: 'r.id' };
export const RECORD_SORTS = Object.keys(SORTS);

export async function listRecords(db: Db, authorities: string[], q: ListQuery, f: RecordFilter) {
  const where = db`
    r.authority_id = ANY(${authorities})
    ${f.q ? db`AND (r.case_ref ILIKE ${'%' + escapeLike(f.q) + '%'} OR r.plate_no = ${f.q} OR r.licence_no = ${f.q} OR r.content->'data'->'plates' ? ${f.q})` : db``}
    ${f.caseRef ? db`AND r.case_ref = ${f.caseRef}` : db``}
    ${f.plateNo ? db`AND (r.plate_no = ${f.plateNo} OR r.content->'data'->'plates' ? ${f.plateNo})` : db``}
    ${f.licenceNo ? db`AND r.licence_no = ${f.licenceNo}` : db``}
    ${f.idNumber ? db`AND p.id_number = ${f.idNumber.toUpperCase()}` : db``}
    ${f.businessType ? db`AND r.business_type = ${f.businessType}` : db``}
    ${f.from ? db`AND r.finished_at >= ${f.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai'` : db``}
    ${f.to ? db`AND r.finished_at < (${f.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'` : db``}
    ${f.status ? db`AND r.status = ${f.status}` : db``}
    ${f.userAccountId ? db`AND r.user_account_id = ${f.userAccountId}` : db``}`;
  const order = db.unsafe(`${SORTS[q.sortField] ?? 'r.finished_at'} ${q.sortDesc ? 'DESC' : 'ASC'}, r.id`);
  const rows = await db<RecordRow[]>`SELECT ${recordColumns(db)} FROM ${recordFrom(db)} WHERE ${where} ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`;
  const [{ total }] = (await db<{ total: number }[]>`SELECT count(*)::int AS total FROM ${recordFrom(db)} WHERE ${where}`) as unknown as [{ total: number }];
  return { rows, total };
}

export async function findRecord(db: Db, id: string, authorities: string[]) {
  const [row] = await db<RecordFull[]>`SELECT ${recordColumns(db)}, r.content FROM ${recordFrom(db)} WHERE r.id = ${id} AND r.authority_id = ANY(${authorities})`;
  return row;
}

export async function versionsOf(db: Db, businessType: string, caseRef: string) {
  return db<{ id: string; version: number; archived_at: Date; status: string }[]>`
    SELECT id, version, archived_at, status FROM archive_record WHERE business_type = ${businessType} AND case_ref = ${caseRef} ORDER BY version`;
}

export async function recordObject(db: Db, recordId: string, position: number) {
  const [row] = await db<{ sha256: string; content_type: string; content: Buffer | null; file_name: string | null }[]>`
    SELECT o.sha256, ob.content_type, ob.content, o.file_name FROM archive_record_object o JOIN archive_object ob ON ob.sha256 = o.sha256
    WHERE o.record_id = ${recordId} AND o.position = ${position}`;
  return row;
}

export type ChainRow = {
  id: string; chain: string; chain_seq: number; prev_digest: string; content_digest: string; digest: string; status: 'kept' | 'destroyed';
  business_type: string; case_ref: string; version: number; authority_id: string; person_id: string | null; organisation_id: string | null;
  user_account_id: string | null; plate_no: string | null; licence_no: string | null; finished_at: Date; content: unknown;
  objects_ok: boolean;
};

export async function chainsOf(db: Db, authorities: string[]) {
  return db<{ chain: string; seq: number; head_digest: string }[]>`
    SELECT c.chain, c.seq, c.head_digest FROM archive_chain c WHERE split_part(c.chain, '/', 1) = ANY(${authorities}) ORDER BY c.chain`;
}

export async function chainRecords(db: Db, chain: string) {
  return db<ChainRow[]>`
    SELECT r.id, r.chain, r.chain_seq, r.prev_digest, r.content_digest, r.digest, r.status, r.business_type, r.case_ref, r.version, r.authority_id,
           r.person_id, r.organisation_id, r.user_account_id, r.plate_no, r.licence_no, r.finished_at, r.content,
           r.status = 'destroyed' OR NOT EXISTS (
             SELECT 1 FROM archive_record_object o JOIN archive_object ob ON ob.sha256 = o.sha256
             WHERE o.record_id = r.id AND (ob.content IS NULL OR encode(sha256(ob.content), 'hex') <> ob.sha256)) AS objects_ok
    FROM archive_record r WHERE r.chain = ${chain} ORDER BY r.chain_seq`;
}

// retention and destruction ---------------------------------------------------

export async function retentionRows(db: Db) {
  return db<{ business_type: string; years: number | null; note: string; updated_at: Date }[]>`SELECT business_type, years, note, updated_at FROM archive_retention ORDER BY business_type`;
}

export async function updateRetention(db: Db, businessType: string, years: number | null, note: string, staffId: string, now: Date) {
  const [before] = await db<{ years: number | null; note: string }[]>`SELECT years, note FROM archive_retention WHERE business_type = ${businessType} FOR UPDATE`;
  if (!before) return undefined;
  await db`UPDATE archive_retention SET years = ${years}, note = ${note}, updated_by = ${staffId}, updated_at = ${now} WHERE business_type = ${businessType}`;
  return before;
}

/** Records kept past their retention without an open entry in the schedule: proposed now. */
export async function proposeDue(db: Db, today: string, now: Date) {
  return db<{ id: string; record_id: string; authority_id: string }[]>`
    INSERT INTO archive_destruction (record_id, authority_id, proposed_at)
    SELECT r.id, r.authority_id, ${now} FROM archive_record r
    WHERE r.status = 'kept' AND r.retain_until < ${today}::date
      AND NOT EXISTS (SELECT 1 FROM archive_destruction d WHERE d.record_id = r.id AND d.status IN ('proposed', 'approved'))
      AND NOT EXISTS (SELECT 1 FROM archive_destruction d WHERE d.record_id = r.id AND d.status = 'kept' AND d.decided_at > ${now}::timestamptz - interval '1 year')
    ON CONFLICT DO NOTHING
    RETURNING id, record_id, authority_id`;
}

export type DestructionRow = {
  id: string; record_id: string; authority_id: string; status: 'proposed' | 'approved' | 'kept'; proposed_at: Date; decided_at: Date | null; decided_by_name: string | null; note: string;
  business_type: string; case_ref: string; version: number; retain_until: string | null; finished_at: Date; record_status: string; digest: string;
};
const destructionSelect = (db: Db) => db`
  SELECT d.id, d.record_id, d.authority_id, d.status, d.proposed_at, d.decided_at, s.display_name AS decided_by_name, d.note,
         r.business_type, r.case_ref, r.version, r.retain_until::text AS retain_until, r.finished_at, r.status AS record_status, r.digest
  FROM archive_destruction d JOIN archive_record r ON r.id = d.record_id LEFT JOIN staff_member s ON s.id = d.decided_by`;

export async function listDestructions(db: Db, authorities: string[], q: ListQuery, status: string | undefined) {
  const where = db`d.authority_id = ANY(${authorities}) ${status ? db`AND d.status = ${status}` : db``}`;
  const rows = await db<DestructionRow[]>`${destructionSelect(db)} WHERE ${where} ORDER BY d.proposed_at ${q.sortDesc ? db`DESC` : db`ASC`}, d.id LIMIT ${q.limit} OFFSET ${q.offset}`;
  const [{ total }] = (await db<{ total: number }[]>`SELECT count(*)::int AS total FROM archive_destruction d WHERE ${where}`) as unknown as [{ total: number }];
  return { rows, total };
}

export async function findDestruction(db: Db, id: string, authorities: string[], lock = false) {
  const [row] = await db<DestructionRow[]>`${destructionSelect(db)} WHERE d.id = ${id} AND d.authority_id = ANY(${authorities}) ${lock ? db`FOR UPDATE OF d` : db``}`;
  return row;
}

export async function decideDestruction(db: Db, id: string, status: 'approved' | 'kept', staffId: string, note: string, now: Date) {
  const rows = await db`UPDATE archive_destruction SET status = ${status}, decided_by = ${staffId}, decided_at = ${now}, note = ${note} WHERE id = ${id} AND status = 'proposed' RETURNING id`;
  return rows.length === 1;
}

/** The record's content and personal search columns dropped; its digests kept (the tombstone). Files no kept record needs are purged. */
export async function destroyRecord(db: Db, recordId: string, now: Date) {
  const rows = await db`
    UPDATE archive_record SET status = 'destroyed', content = NULL, destroyed_at = ${now}, person_id = NULL, organisation_id = NULL, user_account_id = NULL, plate_no = NULL, licence_no = NULL
    WHERE id = ${recordId} AND status = 'kept' RETURNING id`;
  if (rows.length === 0) return false;
  await db`
    UPDATE archive_object ob SET content = NULL, purged_at = ${now}
    WHERE ob.content IS NOT NULL AND ob.sha256 IN (SELECT sha256 FROM archive_record_object WHERE record_id = ${recordId})
      AND NOT EXISTS (SELECT 1 FROM archive_record_object o JOIN archive_record r ON r.id = o.record_id WHERE o.sha256 = ob.sha256 AND r.status = 'kept')`;
  return true;
}

// views (X-6.3, ADR-024) ---------------------------------------------------------

export async function logView(db: Db, v: { recordId: string; personId: string | null; organisationId: string | null; userAccountId: string | null; staffId: string; roles: string[]; authorityId: string; requestId: string; now: Date }) {
  await db`
    INSERT INTO personal_data_access (at, user_account_id, person_id, organisation_id, staff_member_id, staff_roles, authority_id, resource, record_id, field, data_kind, reason, request_id)
    VALUES (${v.now}, ${v.userAccountId}, ${v.personId}, ${v.organisationId}, ${v.staffId}, ${v.roles}, ${v.authorityId}, 'archive-records', ${v.recordId}, 'record', 'archive_record', '查阅业务档案', ${v.requestId})`;
}

export function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
