import type { Db, Sql, SqlFragment } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import type { OwnerIdType, PlanStatus, PlateKind } from './rules.ts';

// ---------------------------------------------------------------------------
// Users and records
// ---------------------------------------------------------------------------

export type UserIdentityRow = {
  id: string;
  kind: 'personal' | 'organisation';
  personal_type: 'owner_driver' | 'learner' | 'new_car_owner' | null;
  status: 'active' | 'suspended' | 'cancelled';
  person_id: string | null;
  organisation_id: string | null;
  id_type: OwnerIdType;
  id_number: string;
  name: string;
};

/** The user as owner: a person's ID, or for an organisation its USCC and name. */
export async function findUserIdentity(db: Db, userId: string): Promise<UserIdentityRow | undefined> {
  const [row] = await db<UserIdentityRow[]>`${userIdentityQuery(db, userId)}`;
  return row;
}

/** The account and the identity it stands for; the user as a value or as a column of a batched read. */
const userIdentityQuery = (db: Db, userId: string | SqlFragment) => db`
  SELECT ua.id, ua.kind, ua.personal_type, ua.status, ua.person_id, ua.organisation_id,
         CASE WHEN ua.kind = 'organisation' THEN 'uscc' ELSE p.id_type END AS id_type,
         CASE WHEN ua.kind = 'organisation' THEN o.uscc ELSE p.id_number END AS id_number,
         CASE WHEN ua.kind = 'organisation' THEN o.name ELSE p.name END AS name
  FROM user_account ua
  LEFT JOIN person p ON p.id = ua.person_id
  LEFT JOIN organisation o ON o.id = ua.organisation_id
  WHERE ua.id = ${userId}`;

export type VehicleRow = { id: string; plate_no: string | null; plate_kind: string; owner_person_id: string | null; owner_organisation_id: string | null };

export async function findVehicleByVin(db: Db, vin: string, lock = false): Promise<VehicleRow | undefined> {
  const [row] = await db<VehicleRow[]>`
    SELECT id, plate_no, plate_kind, owner_person_id, owner_organisation_id FROM vehicle WHERE vin = ${vin}
    ${lock ? db`FOR UPDATE` : db``}`;
  return row;
}

export { visibleAuthorities } from '../../platform/authorities.ts';

export async function findAuthority(db: Db, id: string) {
  const [row] = await db<{ id: string; name: string; level: 'province' | 'city'; parent_id: string | null; plate_prefix: string | null }[]>`
    SELECT id, name, level, parent_id, plate_prefix FROM authority WHERE id = ${id}`;
  return row;
}

// ---------------------------------------------------------------------------
// Segment plans
// ---------------------------------------------------------------------------

export type PlanRow = {
  id: string;
  authority_id: string;
  authority_name: string;
  authority_parent_id: string | null;
  prefix: string;
  plate_kind: PlateKind;
  pattern: string;
  size: number;
  exclude_digits: string;
  withheld_serials: string[];
  start_at: Date;
  note: string;
  status: PlanStatus;
  created_at: Date;
  submitted_at: Date | null;
  approval_kind: 'approved' | 'filed' | null;
  approval_authority_id: string | null;
  approval_authority_name: string | null;
  approval_ref: string | null;
  approval_recorded_by_label: string | null;
  approval_recorded_at: Date | null;
  published_at: Date | null;
  build_started_at: Date | null;
  build_finished_at: Date | null;
  build_total: number;
  build_cursor: number;
  build_excluded_taken: number;
  build_excluded_digits: number;
  pool_size: number;
  pool_version: number;
  pool_digest: string | null;
  opened_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
};

const planSelect = (db: Db) => db`
  SELECT p.id, p.authority_id, a.name AS authority_name, a.parent_id AS authority_parent_id, p.prefix, p.plate_kind, p.pattern, p.size,
         p.exclude_digits, p.withheld_serials, p.start_at, p.note, p.status, p.created_at, p.submitted_at,
         p.approval_kind, p.approval_authority_id, aa.name AS approval_authority_name, p.approval_ref,
         s.display_name AS approval_recorded_by_label, p.approval_recorded_at, p.published_at,
         p.build_started_at, p.build_finished_at, p.build_total, p.build_cursor, p.build_excluded_taken, p.build_excluded_digits,
         p.pool_size, p.pool_version, p.pool_digest, p.opened_at, p.closed_at, p.updated_at
  FROM plate_segment_plan p
  JOIN authority a ON a.id = p.authority_id
  LEFT JOIN authority aa ON aa.id = p.approval_authority_id
  LEFT JOIN staff_member s ON s.id = p.approval_recorded_by`;

export async function findPlan(db: Db, id: string, opts: { lock?: boolean; authorities?: string[] } = {}): Promise<PlanRow | undefined> {
  const [row] = await db<PlanRow[]>`
    ${planSelect(db)}
    WHERE p.id = ${id} ${opts.authorities ? db`AND p.authority_id = ANY(${opts.authorities})` : db``}
    ${opts.lock ? db`FOR UPDATE OF p` : db``}`;
  return row;
}

export async function listPlans(db: Db, q: ListQuery, authorities: string[]) {
  const status = filterString(q.filter, 'status');
  const plateKind = filterString(q.filter, 'plateKind');
  const search = filterString(q.filter, 'q');
  const where = db`
    WHERE p.authority_id = ANY(${authorities})
    ${status ? db`AND p.status = ${status}` : db``}
    ${plateKind ? db`AND p.plate_kind = ${plateKind}` : db``}
    ${search ? db`AND (p.pattern ILIKE ${'%' + search + '%'} OR p.prefix ILIKE ${'%' + search + '%'} OR p.note ILIKE ${'%' + search + '%'})` : db``}`;
  const column = { startAt: 'start_at', createdAt: 'created_at', status: 'status', size: 'size', updatedAt: 'updated_at' }[q.sortField] ?? 'start_at';
  const rows = await db<(PlanRow & { total: number })[]>`
    SELECT * FROM (${planSelect(db)} ${where}) x
    ORDER BY ${db(column)} ${q.sortDesc ? db`DESC` : db`ASC`}, id
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM plate_segment_plan p ${where}`;
  return { rows, total: count?.n ?? 0 };
}

export async function insertPlan(
  db: Db,
  p: { authorityId: string; prefix: string; plateKind: PlateKind; pattern: string; size: number; excludeDigits: string; withheldSerials: string[]; startAt: Date; note: string; staffId: string; now: Date },
): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO plate_segment_plan (authority_id, prefix, plate_kind, pattern, size, exclude_digits, withheld_serials, start_at, note, created_by, created_at, updated_at)
    VALUES (${p.authorityId}, ${p.prefix}, ${p.plateKind}, ${p.pattern}, ${p.size}, ${p.excludeDigits}, ${db.array(p.withheldSerials)}::text[], ${p.startAt}, ${p.note},
            ${p.staffId}, ${p.now}, ${p.now})
    RETURNING id`;
  return row!.id;
}

export async function markSubmitted(db: Db, id: string, staffId: string, now: Date) {
  await db`UPDATE plate_segment_plan SET status = 'submitted', submitted_by = ${staffId}, submitted_at = ${now}, updated_at = ${now} WHERE id = ${id}`;
}

export async function markApproved(db: Db, id: string, a: { kind: 'approved' | 'filed'; authorityId: string; documentRef: string; staffId: string; now: Date }) {
  await db`
    UPDATE plate_segment_plan SET status = 'approved', approval_kind = ${a.kind}, approval_authority_id = ${a.authorityId}, approval_ref = ${a.documentRef},
      approval_recorded_by = ${a.staffId}, approval_recorded_at = ${a.now}, updated_at = ${a.now}
    WHERE id = ${id}`;
}

export async function markPublished(db: Db, id: string, staffId: string, now: Date) {
  await db`UPDATE plate_segment_plan SET status = 'published', published_by = ${staffId}, published_at = ${now}, updated_at = ${now} WHERE id = ${id}`;
}

export async function markBuildStarted(db: Db, id: string, staffId: string, total: number, now: Date) {
  await db`
    UPDATE plate_segment_plan SET status = 'building', build_started_by = ${staffId}, build_started_at = ${now}, build_total = ${total},
      build_cursor = 0, pool_size = 0, pool_digest = NULL, updated_at = ${now}
    WHERE id = ${id}`;
}

export async function recordBuildChunk(db: Db, id: string, c: { cursor: number; poolSize: number; digest: string; excludedTaken: number; excludedDigits: number; now: Date }) {
  await db`
    UPDATE plate_segment_plan SET build_cursor = ${c.cursor}, pool_size = ${c.poolSize}, pool_digest = ${c.digest},
      build_excluded_taken = build_excluded_taken + ${c.excludedTaken}, build_excluded_digits = build_excluded_digits + ${c.excludedDigits}, updated_at = ${c.now}
    WHERE id = ${id}`;
}

export async function markBuildFinished(db: Db, id: string, now: Date) {
  await db`
    UPDATE plate_segment_plan SET status = 'pool_built', build_finished_at = ${now}, pool_version = pool_version + 1, updated_at = ${now}
    WHERE id = ${id}`;
}

export async function markOpened(db: Db, id: string, staffId: string, now: Date) {
  await db`UPDATE plate_segment_plan SET status = 'open', opened_by = ${staffId}, opened_at = ${now}, updated_at = ${now} WHERE id = ${id}`;
}

export async function markClosed(db: Db, id: string, staffId: string, now: Date) {
  await db`UPDATE plate_segment_plan SET status = 'closed', closed_by = ${staffId}, closed_at = ${now}, updated_at = ${now} WHERE id = ${id}`;
}

export type PoolCounts = { free: number; offered: number; reserved: number; issued: number; withheld: number };

/** Counts by status without reading the free rows: they are pool_size minus the rest (the partial index). */
export async function poolCounts(db: Db, planId: string, poolSize: number): Promise<PoolCounts> {
  const rows = await db<{ status: keyof PoolCounts; n: number }[]>`
    SELECT status, count(*)::int AS n FROM plate_number WHERE plan_id = ${planId} AND status <> 'free' GROUP BY status`;
  const c: PoolCounts = { free: 0, offered: 0, reserved: 0, issued: 0, withheld: 0 };
  for (const r of rows) c[r.status] = r.n;
  c.free = poolSize - c.offered - c.reserved - c.issued - c.withheld;
  return c;
}

/** R-24.3: available numbers of the authority's open segments of one plate kind (optionally plus one more plan). */
export async function openPoolAvailable(db: Db, authorityId: string, plateKind: string, plusPlanId?: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    SELECT COALESCE(sum(p.pool_size - COALESCE(h.n, 0)), 0)::int AS n
    FROM plate_segment_plan p
    LEFT JOIN LATERAL (SELECT count(*) AS n FROM plate_number WHERE plan_id = p.id AND status <> 'free') h ON true
    WHERE p.authority_id = ${authorityId} AND p.plate_kind = ${plateKind}
      AND (p.status = 'open' ${plusPlanId ? db`OR p.id = ${plusPlanId}` : db``})`;
  return row?.n ?? 0;
}

/** Segments citizens see: announced (published, R-25.3) and open ones. */
export async function listPublicSegments(db: Db) {
  return db<(PlanRow & { held: number })[]>`
    SELECT x.*, COALESCE(h.n, 0)::int AS held FROM (${planSelect(db)} WHERE p.status IN ('published', 'building', 'pool_built', 'open')) x
    LEFT JOIN LATERAL (SELECT count(*) AS n FROM plate_number WHERE plan_id = x.id AND status <> 'free' AND x.status = 'open') h ON true
    ORDER BY x.status = 'open' DESC, x.start_at, x.id`;
}

// ---------------------------------------------------------------------------
// The pool
// ---------------------------------------------------------------------------

/**
 * Of these plate numbers, the ones that may not enter a new pool: issued in
 * the vehicle records, or held (offered, reserved, issued, withheld) or still
 * free in another segment that is not closed.
 */
export async function unavailablePlates(db: Db, planId: string, plateNos: string[]): Promise<Set<string>> {
  if (plateNos.length === 0) return new Set();
  const rows = await db<{ plate_no: string }[]>`
    SELECT plate_no FROM vehicle WHERE plate_no = ANY(${db.array(plateNos)}::text[])
    UNION
    SELECT n.plate_no FROM plate_number n JOIN plate_segment_plan p ON p.id = n.plan_id
    WHERE n.plate_no = ANY(${db.array(plateNos)}::text[]) AND n.plan_id <> ${planId} AND (n.status <> 'free' OR p.status <> 'closed')`;
  return new Set(rows.map((r) => r.plate_no));
}

export async function insertPoolRows(db: Db, planId: string, firstIdx: number, rows: { plateNo: string; status: 'free' | 'withheld' }[], now: Date) {
  if (rows.length === 0) return;
  const idxs = rows.map((_, i) => firstIdx + i);
  await db`
    INSERT INTO plate_number (plan_id, idx, plate_no, status, updated_at)
    SELECT ${planId}, t.idx, t.plate_no, t.status, ${now}
    FROM unnest(${db.array(idxs)}::int[], ${db.array(rows.map((r) => r.plateNo))}::text[], ${db.array(rows.map((r) => r.status))}::text[]) AS t(idx, plate_no, status)`;
}

/**
 * Offers the candidate at `idx` if it is free and nobody is taking it this
 * instant: SKIP LOCKED means two concurrent draws never wait on each other
 * (no deadlocks), and the status condition means a number is never offered
 * twice. Returns the plate number, or null when skipped.
 */
export async function offerIfFree(db: Db, planId: string, idx: number, drawId: string, until: Date, now: Date): Promise<string | null> {
  const [row] = await db<{ plate_no: string }[]>`
    UPDATE plate_number SET status = 'offered', offer_id = ${drawId}, held_until = ${until}, updated_at = ${now}
    WHERE id = (SELECT id FROM plate_number WHERE plan_id = ${planId} AND idx = ${idx} AND status = 'free' FOR UPDATE SKIP LOCKED)
    RETURNING plate_no`;
  return row?.plate_no ?? null;
}

export async function peekNumber(db: Db, planId: string, idx: number) {
  const [row] = await db<{ plate_no: string; status: string; offer_id: string | null }[]>`
    SELECT plate_no, status, offer_id FROM plate_number WHERE plan_id = ${planId} AND idx = ${idx}`;
  return row;
}

export async function findNumber(db: Db, planId: string, plateNo: string) {
  const [row] = await db<{ plate_no: string; status: string }[]>`SELECT plate_no, status FROM plate_number WHERE plan_id = ${planId} AND plate_no = ${plateNo}`;
  return row;
}

export async function isIssuedInRecords(db: Db, plateNo: string): Promise<boolean> {
  const [row] = await db<{ one: number }[]>`SELECT 1 AS one FROM vehicle WHERE plate_no = ${plateNo}`;
  return Boolean(row);
}

/** Self-composed: takes the number only if it is free (the row lock makes concurrent takers queue, then fail). */
export async function reserveIfFree(db: Db, planId: string, plateNo: string, preselectionId: string, deadline: Date, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE plate_number SET status = 'reserved', preselection_id = ${preselectionId}, held_until = ${deadline}, updated_at = ${now}
    WHERE plan_id = ${planId} AND plate_no = ${plateNo} AND status = 'free'
    RETURNING id`;
  return rows.length === 1;
}

/**
 * Random: the picked number must still be offered by this very draw. The
 * offer's rows are found by the offer alone: `offer_id` is set exactly when a
 * row is offered (the table's CHECK), and a status condition beside it let the
 * index of held rows serve, which stale statistics chose, then read every
 * offered number of every pool (migration 0031, ADR-040).
 */
export async function reserveOffered(db: Db, drawId: string, plateNo: string, preselectionId: string, deadline: Date, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE plate_number SET status = 'reserved', offer_id = NULL, preselection_id = ${preselectionId}, held_until = ${deadline}, updated_at = ${now}
    WHERE offer_id = ${drawId} AND plate_no = ${plateNo}
    RETURNING id`;
  return rows.length === 1;
}

/** The offer's numbers back to the pool, found by the offer alone (as {@link reserveOffered}). */
export async function releaseOffered(db: Db, drawId: string, now: Date): Promise<number> {
  const rows = await db`
    UPDATE plate_number SET status = 'free', offer_id = NULL, held_until = NULL, updated_at = ${now}
    WHERE offer_id = ${drawId} RETURNING id`;
  return rows.length;
}

export async function releaseReserved(db: Db, preselectionId: string, now: Date): Promise<number> {
  const rows = await db`
    UPDATE plate_number SET status = 'free', preselection_id = NULL, held_until = NULL, updated_at = ${now}
    WHERE preselection_id = ${preselectionId} AND status = 'reserved' RETURNING id`;
  return rows.length;
}

export async function issueReserved(db: Db, preselectionId: string, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE plate_number SET status = 'issued', held_until = NULL, updated_at = ${now}
    WHERE preselection_id = ${preselectionId} AND status = 'reserved' RETURNING id`;
  return rows.length === 1;
}

// ---------------------------------------------------------------------------
// Preselections, draws, bans
// ---------------------------------------------------------------------------

export type PreselectionRow = {
  id: string;
  reference: string;
  user_account_id: string;
  plan_id: string;
  authority_id: string;
  authority_name: string;
  prefix: string;
  plate_kind: PlateKind;
  mode: 'self' | 'random';
  vin: string;
  owner_id_type: OwnerIdType;
  owner_id_number: string;
  owner_name: string;
  phone: string;
  plate_no: string | null;
  status: 'drawing' | 'reserved' | 'registered' | 'expired' | 'cancelled' | 'lapsed';
  created_at: Date;
  reserved_at: Date | null;
  deadline: Date | null;
  registered_at: Date | null;
  ended_at: Date | null;
  mismatch_fields: string[] | null;
  vehicle_id: string | null;
};

const preselectionSelect = (db: Db) => db`
  SELECT ps.id, ps.reference, ps.user_account_id, ps.plan_id, ps.authority_id, a.name AS authority_name, p.prefix, p.plate_kind, ps.mode,
         ps.vin, ps.owner_id_type, ps.owner_id_number, ps.owner_name, ps.phone, ps.plate_no, ps.status, ps.created_at, ps.reserved_at,
         ps.deadline, ps.registered_at, ps.ended_at, ps.mismatch_fields, ps.vehicle_id
  FROM plate_preselection ps
  JOIN plate_segment_plan p ON p.id = ps.plan_id
  JOIN authority a ON a.id = ps.authority_id`;

export async function nextReferenceSeq(db: Db): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT nextval('plate_preselection_ref_seq')::bigint AS n`;
  return row!.n;
}

export async function insertPreselection(
  db: Db,
  p: {
    reference: string; userId: string; planId: string; authorityId: string; mode: 'self' | 'random'; vin: string; ownerIdType: string; ownerIdNumber: string;
    ownerName: string; phone: string; status: 'drawing' | 'reserved'; plateNo: string | null; reservedAt: Date | null; deadline: Date | null; now: Date;
  },
): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO plate_preselection (reference, user_account_id, plan_id, authority_id, mode, vin, owner_id_type, owner_id_number, owner_name, phone,
                                    plate_no, status, created_at, reserved_at, deadline)
    VALUES (${p.reference}, ${p.userId}, ${p.planId}, ${p.authorityId}, ${p.mode}, ${p.vin}, ${p.ownerIdType}, ${p.ownerIdNumber}, ${p.ownerName}, ${p.phone},
            ${p.plateNo}, ${p.status}, ${p.now}, ${p.reservedAt}, ${p.deadline})
    RETURNING id`;
  return row!.id;
}

export async function findPreselection(db: Db, id: string, opts: { userId?: string; authorities?: string[]; lock?: boolean } = {}): Promise<PreselectionRow | undefined> {
  const [row] = await db<PreselectionRow[]>`
    ${preselectionSelect(db)}
    WHERE ps.id = ${id}
    ${opts.userId ? db`AND ps.user_account_id = ${opts.userId}` : db``}
    ${opts.authorities ? db`AND ps.authority_id = ANY(${opts.authorities})` : db``}
    ${opts.lock ? db`FOR UPDATE OF ps` : db``}`;
  return row;
}

export async function listPreselections(db: Db, q: ListQuery, authorities: string[]) {
  const status = filterString(q.filter, 'status');
  const planId = filterString(q.filter, 'planId');
  const search = filterString(q.filter, 'q')?.toUpperCase();
  const where = db`
    WHERE ps.authority_id = ANY(${authorities})
    ${status ? db`AND ps.status = ${status}` : db``}
    ${planId && /^[0-9a-f-]{36}$/i.test(planId) ? db`AND ps.plan_id = ${planId}` : db``}
    ${search ? db`AND (ps.reference = ${search} OR ps.plate_no ILIKE ${'%' + search + '%'} OR ps.vin = ${search})` : db``}`;
  const column = { deadline: 'deadline', createdAt: 'created_at', status: 'status', reference: 'reference', plateNo: 'plate_no' }[q.sortField] ?? 'deadline';
  const rows = await db<(PreselectionRow & BanColumns)[]>`
    SELECT x.*, b.reason AS ban_reason, b.starts_at AS ban_starts_at, b.ends_on AS ban_ends_on
    FROM (${preselectionSelect(db)} ${where}) x
    LEFT JOIN plate_ban b ON b.preselection_id = x.id
    ORDER BY ${db('x.' + column)} ${q.sortDesc ? db`DESC NULLS LAST` : db`ASC NULLS LAST`}, x.created_at DESC, x.id
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM plate_preselection ps ${where}`;
  return { rows, total: count?.n ?? 0 };
}

export type BanColumns = { ban_reason: 'overdue' | 'mismatch' | null; ban_starts_at: Date | null; ban_ends_on: string | null };

export async function banOfPreselection(db: Db, preselectionId: string) {
  const [row] = await db<{ reason: 'overdue' | 'mismatch'; starts_at: Date; ends_on: string }[]>`
    SELECT reason, starts_at, ends_on FROM plate_ban WHERE preselection_id = ${preselectionId}`;
  return row;
}

export async function markReserved(db: Db, id: string, plateNo: string, reservedAt: Date, deadline: Date) {
  await db`UPDATE plate_preselection SET status = 'reserved', plate_no = ${plateNo}, reserved_at = ${reservedAt}, deadline = ${deadline} WHERE id = ${id}`;
}

export async function markPreselectionEnded(db: Db, id: string, status: 'expired' | 'cancelled' | 'lapsed', now: Date, mismatchFields: string[] | null = null) {
  await db`UPDATE plate_preselection SET status = ${status}, ended_at = ${now}, mismatch_fields = ${mismatchFields ? db.array(mismatchFields) : null}::text[] WHERE id = ${id}`;
}

export async function markRegistered(db: Db, id: string, staffId: string, vehicleId: string, now: Date) {
  await db`UPDATE plate_preselection SET status = 'registered', registered_at = ${now}, registered_by = ${staffId}, vehicle_id = ${vehicleId}, ended_at = ${now} WHERE id = ${id}`;
}

/** PD-14 counts draws per vehicle: every draw this user made for this VIN. */
export async function drawsUsed(db: Db, userId: string, vin: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT ${drawsUsedCount(db, userId, vin)} AS n`;
  return row!.n;
}

/** PD-14: the draws a user has made for a vehicle, as a subquery; user and VIN as values or as columns of a batched read. */
const drawsUsedCount = (db: Db, userId: string | SqlFragment, vin: string | SqlFragment) => db`
  (SELECT count(*)::int FROM plate_draw d JOIN plate_preselection dp ON dp.id = d.preselection_id
   WHERE dp.user_account_id = ${userId} AND dp.vin = ${vin})`;

export type DrawRow = {
  id: string;
  preselection_id: string;
  draw_no: number;
  plan_id: string;
  pool_version: number;
  pool_size: number;
  pool_digest: string | null;
  algorithm: string;
  seed: Buffer;
  commitment: string;
  /** v2 draws (issue 18): the commitment stored before the nonce came, and the browser's nonce */
  commitment_id: string | null;
  client_nonce: Buffer | null;
  candidates: { n: number; idx: number; plateNo: string; outcome: string }[];
  rejected_words: number;
  offered: string[];
  status: 'open' | 'picked' | 'expired' | 'superseded' | 'lapsed';
  drawn_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  picked_plate_no: string | null;
};

export async function insertDraw(
  db: Db,
  d: {
    preselectionId: string; drawNo: number; planId: string; poolVersion: number; poolSize: number; poolDigest: string | null; algorithm: string; seed: Buffer; commitment: string;
    commitmentId: string; clientNonce: Buffer; drawnAt: Date; expiresAt: Date;
  },
): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO plate_draw (preselection_id, draw_no, plan_id, pool_version, pool_size, pool_digest, algorithm, seed, commitment, commitment_id, client_nonce, status, drawn_at, expires_at)
    VALUES (${d.preselectionId}, ${d.drawNo}, ${d.planId}, ${d.poolVersion}, ${d.poolSize}, ${d.poolDigest}, ${d.algorithm}, ${d.seed}, ${d.commitment},
            ${d.commitmentId}, ${d.clientNonce}, 'open', ${d.drawnAt}, ${d.expiresAt})
    RETURNING id`;
  return row!.id;
}

export type CommitmentRow = { id: string; preselection_id: string; seed: Buffer; commitment: string; committed_at: Date; used_at: Date | null };

/** Stores the seed of a preselection's next draw and its commitment (issue 18): before any nonce for that draw can arrive. */
export async function insertCommitment(db: Db, c: { preselectionId: string; seed: Buffer; commitment: string; now: Date }): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO plate_draw_commitment (preselection_id, seed, commitment, committed_at)
    VALUES (${c.preselectionId}, ${c.seed}, ${c.commitment}, ${c.now}) RETURNING id`;
  return row!.id;
}

/** The commitment waiting for the preselection's next draw, locked. */
export async function pendingCommitment(db: Db, preselectionId: string): Promise<CommitmentRow | undefined> {
  const [row] = await db<CommitmentRow[]>`
    SELECT id, preselection_id, seed, commitment, committed_at, used_at FROM plate_draw_commitment
    WHERE preselection_id = ${preselectionId} AND used_at IS NULL FOR UPDATE`;
  return row;
}

/** A commitment is used by one draw only: the conditional update decides. */
export async function useCommitment(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db`UPDATE plate_draw_commitment SET used_at = ${now} WHERE id = ${id} AND used_at IS NULL RETURNING id`;
  return rows.length === 1;
}

export async function commitmentTime(db: Db, id: string): Promise<Date | null> {
  const [row] = await db<{ committed_at: Date }[]>`SELECT committed_at FROM plate_draw_commitment WHERE id = ${id}`;
  return row?.committed_at ?? null;
}

export async function finishDrawRecord(db: Db, id: string, candidates: unknown[], rejectedWords: number, offered: string[]) {
  await db`
    UPDATE plate_draw SET candidates = ${db.json(candidates as Parameters<Db['json']>[0])}, rejected_words = ${rejectedWords}, offered = ${db.array(offered)}::text[]
    WHERE id = ${id}`;
}

export async function endDraw(db: Db, id: string, status: 'picked' | 'expired' | 'superseded' | 'lapsed', now: Date, picked: string | null = null) {
  const rows = await db`
    UPDATE plate_draw SET status = ${status}, ended_at = ${now}, picked_plate_no = ${picked} WHERE id = ${id} AND status = 'open' RETURNING id`;
  return rows.length === 1;
}

export async function findDraw(db: Db, id: string, opts: { lock?: boolean } = {}): Promise<(DrawRow & { user_account_id: string }) | undefined> {
  const [row] = await db<(DrawRow & { user_account_id: string })[]>`
    SELECT d.*, ps.user_account_id FROM plate_draw d JOIN plate_preselection ps ON ps.id = d.preselection_id
    WHERE d.id = ${id} ${opts.lock ? db`FOR UPDATE OF d` : db``}`;
  return row;
}

export async function openDrawOf(db: Db, preselectionId: string): Promise<DrawRow | undefined> {
  const [row] = await db<DrawRow[]>`SELECT * FROM plate_draw WHERE preselection_id = ${preselectionId} AND status = 'open' FOR UPDATE`;
  return row;
}

export type BanRow = { reason: 'overdue' | 'mismatch'; starts_at: Date; ends_on: string; reference: string };

/** The latest ban still running for this user or this ID number (R-23.4). */
export async function activeBan(db: Db, userId: string, idNumber: string, today: string): Promise<BanRow | undefined> {
  const [row] = await db<BanRow[]>`${activeBanQuery(db, userId, idNumber, db`${today}::date`)}`;
  return row;
}

/** R-23.4: the running ban of an account or of its ID number (the longest); values or columns of a batched read. */
const activeBanQuery = (db: Db, userId: string | SqlFragment, idNumber: string | SqlFragment, today: SqlFragment) => db`
  SELECT b.reason, b.starts_at, b.ends_on, ps.reference FROM plate_ban b JOIN plate_preselection ps ON ps.id = b.preselection_id
  WHERE (b.user_account_id = ${userId} OR b.subject_id_number = ${idNumber}) AND b.ends_on > ${today}
  ORDER BY b.ends_on DESC LIMIT 1`;

export async function insertBan(db: Db, b: { userId: string; subjectIdNumber: string; preselectionId: string; reason: 'overdue' | 'mismatch'; startsAt: Date; endsOn: string; authorityId: string }) {
  await db`
    INSERT INTO plate_ban (user_account_id, subject_id_number, preselection_id, reason, starts_at, ends_on, authority_id)
    VALUES (${b.userId}, ${b.subjectIdNumber}, ${b.preselectionId}, ${b.reason}, ${b.startsAt}, ${b.endsOn}, ${b.authorityId})`;
}

// ---------------------------------------------------------------------------
// Registration at the counter
// ---------------------------------------------------------------------------

export async function setVehiclePlate(db: Db, vehicleId: string, plateNo: string, authorityId: string, day: string, phone: string): Promise<boolean> {
  const rows = await db`
    UPDATE vehicle SET plate_no = ${plateNo}, registration_authority_id = ${authorityId}, registered_on = ${day}, owner_phone = ${phone}
    WHERE id = ${vehicleId} AND plate_no IS NULL RETURNING id`;
  return rows.length === 1;
}

export async function insertVehicle(
  db: Db,
  v: { vin: string; plateNo: string; plateKind: string; vehicleType: string; brandModel: string; personId: string | null; organisationId: string | null; phone: string; authorityId: string; day: string },
): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO vehicle (vin, plate_no, plate_kind, vehicle_type, brand_model, owner_person_id, owner_organisation_id, owner_phone, registration_authority_id, registered_on)
    VALUES (${v.vin}, ${v.plateNo}, ${v.plateKind}, ${v.vehicleType}, ${v.brandModel}, ${v.personId}, ${v.organisationId}, ${v.phone}, ${v.authorityId}, ${v.day})
    RETURNING id`;
  return row!.id;
}

export async function bindOwnVehicle(db: Db, userId: string, vehicleId: string, kind: 'own' | 'organisation', now: Date) {
  await db`
    INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind, bound_at)
    SELECT ${userId}, ${vehicleId}, ${kind}, ${now}
    WHERE NOT EXISTS (SELECT 1 FROM vehicle_binding WHERE user_account_id = ${userId} AND vehicle_id = ${vehicleId} AND unbound_at IS NULL)`;
}

/** R-9.2.3 / R-9.3.2: a learner or new-car owner becomes an owner once the new car is registered. */
export async function convertToOwner(db: Db, userId: string): Promise<string | null> {
  const [row] = await db<{ personal_type: string | null }[]>`SELECT personal_type FROM user_account WHERE id = ${userId} FOR UPDATE`;
  if (!row || (row.personal_type !== 'learner' && row.personal_type !== 'new_car_owner')) return null;
  await db`UPDATE user_account SET personal_type = 'owner_driver' WHERE id = ${userId}`;
  return row.personal_type;
}

// ---------------------------------------------------------------------------
// Group commit (issue 23, ADR-040 "Plates"): many reservations, one statement
// ---------------------------------------------------------------------------

/** The audit row of a winner, as the bff built it (actor label and snapshot masked there). */
export type BatchedAudit = { actorKind: string; actorId: string | null; actorLabel: string | null; after: unknown; requestId: string; ip: string };

/** One self-composed reservation of a batch (plate_reserve_batch, migrations 0026 and 0038). */
export type BatchedReservation = {
  id: string; reference: string; userId: string; planId: string; authorityId: string; vin: string; ownerIdType: string; ownerIdNumber: string; ownerName: string;
  phone: string; plateNo: string; deadline: Date; at: Date; audit: BatchedAudit; sms: { payload: Record<string, unknown> };
};
export type ReservationOutcome = 'reserved' | 'active_preselection_exists' | 'vin_in_preselection' | 'number_taken' | 'number_withheld';

/** One pick of a batch (plate_pick_batch, migrations 0026 and 0037). */
export type BatchedPick = {
  preselectionId: string; userId: string; drawId: string; plateNo: string; deadline: Date; at: Date; authorityId: string; phone: string;
  audit: BatchedAudit; sms: { payload: Record<string, unknown> };
};
export type PickOutcome = 'reserved' | 'preselection_not_found' | 'preselection_wrong_status' | 'draw_not_found' | 'offer_expired' | 'number_not_offered';

async function runBatch<O extends string>(db: Db, fn: 'plate_reserve_batch' | 'plate_pick_batch', members: unknown[]): Promise<O[]> {
  const rows = await db<{ n: number; outcome: O }[]>`SELECT n, outcome FROM ${db(fn)}(${db.json(members as Parameters<Db['json']>[0])})`;
  if (rows.length !== members.length) throw new Error(`${fn}: ${members.length} requests, ${rows.length} outcomes`);
  const out: O[] = new Array(members.length);
  for (const r of rows) out[r.n - 1] = r.outcome;
  return out;
}

/**
 * Self-composed reservations in ONE statement (one round trip, one commit),
 * each decided in arrival order by the write-time guards of the single path
 * (insertPreselection's unique indexes, then reserveIfFree / findNumber), read
 * once for the batch; the winners' preselections, pool rows, audit rows, SMS and
 * deadline jobs written together (migration 0038). A concurrent transaction's
 * uncommitted holder fails the whole statement on a unique index: nothing of it
 * commits and the caller splits the batch.
 */
export function reserveBatch(db: Db, members: BatchedReservation[]): Promise<ReservationOutcome[]> {
  return runBatch<ReservationOutcome>(db, 'plate_reserve_batch', members);
}

/** Picks of open offers in ONE statement, each decided in arrival order by the single pick's guards (see plate_pick_batch). */
export function pickBatch(db: Db, members: BatchedPick[]): Promise<PickOutcome[]> {
  return runBatch<PickOutcome>(db, 'plate_pick_batch', members);
}

// ---------------------------------------------------------------------------
// Fewer statements per request (issue 23, migration 0027): the reads a plate
// request needs in one statement each, the random start's write in one.
// ---------------------------------------------------------------------------

/** A draw as the citizen's preselection shows it (no seed, no candidates). */
export type DrawSummary = Pick<DrawRow, 'id' | 'draw_no' | 'offered' | 'drawn_at' | 'expires_at' | 'commitment' | 'status'>;

/** A preselection with everything its DTO shows: its draws, the draws used for its vehicle, the commitment of its next draw. */
export type PreselectionView = PreselectionRow & {
  draws: DrawSummary[];
  draws_used: number;
  pending: { commitment: string; committed_at: Date } | null;
};

type ViewRow = PreselectionRow & {
  draws_json: (Omit<DrawSummary, 'drawn_at' | 'expires_at'> & { drawn_at: string; expires_at: string })[];
  draws_used: number;
  pending_commitment: string | null;
  pending_committed_at: Date | null;
};

/**
 * The preselection, its draws (by draw_no), the draws used for the vehicle
 * (counted as drawsUsed counts them) and the pending commitment without its
 * seed (the seed stays secret until its draw has ended): the four reads the
 * answer took before issue 23, in one statement.
 */
const viewSelect = (db: Db) => db`
  SELECT ps.id, ps.reference, ps.user_account_id, ps.plan_id, ps.authority_id, a.name AS authority_name, p.prefix, p.plate_kind, ps.mode,
         ps.vin, ps.owner_id_type, ps.owner_id_number, ps.owner_name, ps.phone, ps.plate_no, ps.status, ps.created_at, ps.reserved_at,
         ps.deadline, ps.registered_at, ps.ended_at, ps.mismatch_fields, ps.vehicle_id,
         COALESCE((SELECT json_agg(json_build_object('id', d.id, 'draw_no', d.draw_no, 'offered', d.offered, 'drawn_at', d.drawn_at,
                                                     'expires_at', d.expires_at, 'commitment', d.commitment, 'status', d.status) ORDER BY d.draw_no)
                   FROM plate_draw d WHERE d.preselection_id = ps.id), '[]'::json) AS draws_json,
         ${drawsUsedCount(db, db`ps.user_account_id`, db`ps.vin`)} AS draws_used,
         c.commitment AS pending_commitment, c.committed_at AS pending_committed_at
  FROM plate_preselection ps
  JOIN plate_segment_plan p ON p.id = ps.plan_id
  JOIN authority a ON a.id = ps.authority_id
  LEFT JOIN LATERAL (SELECT commitment, committed_at FROM plate_draw_commitment WHERE preselection_id = ps.id AND used_at IS NULL LIMIT 1) c ON true`;

function toView(r: ViewRow): PreselectionView {
  const { draws_json, pending_commitment, pending_committed_at, ...ps } = r;
  return {
    ...ps,
    draws: draws_json.map((d) => ({ ...d, drawn_at: new Date(d.drawn_at), expires_at: new Date(d.expires_at) })),
    pending: pending_commitment && pending_committed_at ? { commitment: pending_commitment, committed_at: pending_committed_at } : null,
  };
}

/** One of the user's preselections with its draws, draws used and pending commitment: ONE statement. */
export async function preselectionView(db: Db, id: string, userId: string): Promise<PreselectionView | undefined> {
  const [row] = await db<ViewRow[]>`${viewSelect(db)} WHERE ps.id = ${id} AND ps.user_account_id = ${userId}`;
  return row && toView(row);
}

/**
 * {@link preselectionView} of many requests in ONE statement (the answers of
 * plate requests that arrived together, ADR-040 "Reads"): each request's id
 * and user from its row of the JSON input. One entry per request, in order.
 * `LIMIT 1`: a lookup by key per request (ADR-040 "Batched reads look up by key").
 */
export async function preselectionViews(db: Db, reqs: { id: string; userId: string }[]): Promise<(PreselectionView | undefined)[]> {
  const rows = await db<(ViewRow & { n: number; found: boolean })[]>`
    SELECT i.n, v.id IS NOT NULL AS found, v.*
    FROM jsonb_to_recordset(${db.json(reqs.map((r, n) => ({ n, id: r.id, user_id: r.userId })))}) AS i(n int, id uuid, user_id uuid)
    LEFT JOIN LATERAL (${viewSelect(db)} WHERE ps.id = i.id AND ps.user_account_id = i.user_id LIMIT 1) v ON true
    ORDER BY i.n`;
  return rows.map(({ n: _n, found, ...r }) => (found ? toView(r as ViewRow) : undefined));
}

/** A batch member's outcome with its answer (see {@link writeThenViews}). */
export type Answered<O> = { outcome: O; view: PreselectionView | undefined | null };

/**
 * A batch's write and its members' answers in ONE round trip (ADR-040
 * "Plates: the answer with the write"): both statements go at once on one
 * connection, and PostgreSQL runs them in order, each its own transaction, so
 * the read runs after the write has committed and sees it. A member the write
 * refused gets whatever the read found (nothing, for a reservation never
 * written). Should the read fail after the write, every answer is `null` and
 * the caller reads it again: the write is never run twice.
 */
export async function writeThenViews<O>(sql: Sql, write: (db: Db) => Promise<O[]>, views: { id: string; userId: string }[]): Promise<Answered<O>[]> {
  const conn = await sql.reserve();
  try {
    // Both settle before the connection goes back.
    const [written, found] = await Promise.all([
      write(conn).then((outcomes) => ({ outcomes }), (error: unknown) => ({ error })),
      preselectionViews(conn, views).then((v) => v, () => null),
    ]);
    if ('error' in written) throw written.error;
    return written.outcomes.map((outcome, i) => ({ outcome, view: found ? found[i] : null }));
  } finally {
    conn.release();
  }
}

/** The user's preselections (the live one first, then the newest), each with its draws, draws used and pending commitment: ONE statement. */
export async function userPreselectionViews(db: Db, userId: string, limit = 10): Promise<PreselectionView[]> {
  const rows = await db<ViewRow[]>`
    ${viewSelect(db)}
    WHERE ps.user_account_id = ${userId}
    ORDER BY ps.status IN ('drawing', 'reserved') DESC, ps.created_at DESC, ps.id
    LIMIT ${limit}`;
  return rows.map(toView);
}

/** What the preselection's checks need of its plan. */
export type PlanFacts = Pick<PlanRow, 'id' | 'authority_id' | 'prefix' | 'plate_kind' | 'pattern' | 'exclude_digits' | 'status' | 'start_at' | 'pool_size' | 'pool_version' | 'pool_digest'>;

/** The working-day calendar's rows as loadCalendar reads them (platform/calendar-store.ts), as two columns of a statement. */
export type CalendarRows = { cal_overrides: { day: string; kind: 'workday' | 'holiday' }[]; cal_years: number[] };
const calendarJoin = (db: Db) => db`
  CROSS JOIN (SELECT COALESCE((SELECT json_agg(json_build_object('day', day, 'kind', kind)) FROM calendar_override), '[]'::json) AS cal_overrides,
                     COALESCE((SELECT json_agg(year) FROM calendar_year), '[]'::json) AS cal_years) cal`;

export type StartReadsRequest = { userId: string; planId: string; vin: string; today: string; now: Date; drawsUsed: boolean; calendar: boolean };
export type StartReads = CalendarRows & {
  user: UserIdentityRow | null;
  ban: BanRow | null;
  plan: PlanFacts | null;
  vehicle: VehicleRow | null;
  draws_used: number | null;
  ref_seq: number | null;
};

/**
 * The lock-free reads of a new preselection in ONE statement: the account
 * (findUserIdentity), its running ban (activeBan), the plan (findPlan), the
 * vehicle (findVehicleByVin), optionally the draws used for the VIN
 * (drawsUsed) and the calendar, and — only when the account is active, not
 * banned and the plan open, so that those refusals take no number — the next
 * reference number. The nextval makes it a statement for the main pool.
 */
export async function startReads(db: Db, q: StartReadsRequest): Promise<StartReads> {
  return (await startReadsBatch(db, [q]))[0]!;
}

/** {@link startReads} of many requests in ONE statement (ADR-040 "Reads"), each request's values from its row of the JSON input. In order. */
export async function startReadsBatch(db: Db, reqs: StartReadsRequest[]): Promise<StartReads[]> {
  const input = reqs.map((q, n) => ({ n, user_id: q.userId, plan_id: q.planId, vin: q.vin, today: q.today, now: q.now.toISOString(), want_draws: q.drawsUsed }));
  const calendar = reqs.some((q) => q.calendar);
  const rows = await db<(Record<string, unknown> & { n: number; ref_seq: number | null; draws_used: number | null })[]>`
    SELECT i.n,
           u.id AS u_id, u.kind AS u_kind, u.personal_type AS u_personal_type, u.status AS u_status, u.person_id AS u_person_id,
           u.organisation_id AS u_organisation_id, u.id_type AS u_id_type, u.id_number AS u_id_number, u.name AS u_name,
           b.reason AS b_reason, b.starts_at AS b_starts_at, b.ends_on AS b_ends_on, b.reference AS b_reference,
           p.id AS p_id, p.authority_id AS p_authority_id, p.prefix AS p_prefix, p.plate_kind AS p_plate_kind, p.pattern AS p_pattern,
           p.exclude_digits AS p_exclude_digits, p.status AS p_status, p.start_at AS p_start_at, p.pool_size AS p_pool_size,
           p.pool_version AS p_pool_version, p.pool_digest AS p_pool_digest,
           v.id AS v_id, v.plate_no AS v_plate_no, v.plate_kind AS v_plate_kind, v.owner_person_id AS v_owner_person_id, v.owner_organisation_id AS v_owner_organisation_id,
           CASE WHEN i.want_draws THEN ${drawsUsedCount(db, db`i.user_id`, db`i.vin`)} END AS draws_used,
           CASE WHEN u.status = 'active' AND b.reason IS NULL AND p.status = 'open' AND p.start_at <= i.now
                THEN nextval('plate_preselection_ref_seq')::bigint END AS ref_seq
           ${calendar ? db`, cal.cal_overrides, cal.cal_years` : db``}
    FROM jsonb_to_recordset(${db.json(input)}) AS i(n int, user_id uuid, plan_id uuid, vin text, today date, now timestamptz, want_draws boolean)
    LEFT JOIN LATERAL (${userIdentityQuery(db, db`i.user_id`)}) u ON true
    LEFT JOIN LATERAL (${activeBanQuery(db, db`u.id`, db`u.id_number`, db`i.today`)}) b ON true
    LEFT JOIN plate_segment_plan p ON p.id = i.plan_id
    LEFT JOIN LATERAL (SELECT v.id, v.plate_no, v.plate_kind, v.owner_person_id, v.owner_organisation_id FROM vehicle v WHERE v.vin = i.vin LIMIT 1) v ON true
    ${calendar ? calendarJoin(db) : db``}
    ORDER BY i.n`;
  return rows.map((r) => {
    const pick = <T>(prefix: string, present: string): T | null => {
      if (r[present] === null || r[present] === undefined) return null;
      return Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v])) as T;
    };
    return {
      user: pick<UserIdentityRow>('u_', 'u_id'),
      ban: pick<BanRow>('b_', 'b_reason'),
      plan: pick<PlanFacts>('p_', 'p_id'),
      vehicle: pick<VehicleRow>('v_', 'v_id'),
      draws_used: r.draws_used,
      ref_seq: r.ref_seq,
      cal_overrides: (r.cal_overrides as CalendarRows['cal_overrides'] | undefined) ?? [],
      cal_years: (r.cal_years as number[] | undefined) ?? [],
    };
  });
}

export type PickReads = CalendarRows & {
  user_status: UserIdentityRow['status'] | null;
  ps: Pick<PreselectionRow, 'id' | 'reference' | 'authority_id' | 'phone'> | null;
};

/** The pick's lock-free reads in ONE statement: the account's status, the user's preselection (its fixed fields), the calendar. */
export async function pickReads(db: Db, userId: string, preselectionId: string): Promise<PickReads> {
  return (await pickReadsBatch(db, [{ userId, preselectionId }]))[0]!;
}

/** {@link pickReads} of many requests in ONE statement (ADR-040 "Reads"). In order. */
export async function pickReadsBatch(db: Db, reqs: { userId: string; preselectionId: string }[]): Promise<PickReads[]> {
  const rows = await db<(CalendarRows & { n: number; user_status: UserIdentityRow['status'] | null; ps_id: string | null; reference: string; authority_id: string; phone: string })[]>`
    SELECT i.n, (SELECT status FROM user_account WHERE id = i.user_id) AS user_status,
           ps.id AS ps_id, ps.reference, ps.authority_id, ps.phone, cal.cal_overrides, cal.cal_years
    FROM jsonb_to_recordset(${db.json(reqs.map((r, n) => ({ n, user_id: r.userId, preselection_id: r.preselectionId })))}) AS i(n int, user_id uuid, preselection_id uuid)
    LEFT JOIN LATERAL (SELECT ps.id, ps.reference, ps.authority_id, ps.phone FROM plate_preselection ps
                       WHERE ps.id = i.preselection_id AND ps.user_account_id = i.user_id LIMIT 1) ps ON true
    ${calendarJoin(db)}
    ORDER BY i.n`;
  return rows.map((r) => ({
    user_status: r.user_status,
    ps: r.ps_id ? { id: r.ps_id, reference: r.reference, authority_id: r.authority_id, phone: r.phone } : null,
    cal_overrides: r.cal_overrides,
    cal_years: r.cal_years,
  }));
}

export type DrawReads = {
  user_status: UserIdentityRow['status'] | null;
  ps: Pick<PreselectionRow, 'id' | 'status' | 'plan_id' | 'vin' | 'authority_id'> | null;
  plan: Pick<PlanRow, 'id' | 'status' | 'start_at' | 'pool_size' | 'pool_version'> | null;
  draws_used: number;
  pending: Pick<CommitmentRow, 'id' | 'seed' | 'commitment' | 'committed_at'> | null;
};

/**
 * A draw's lock-free reads in ONE statement: the account's status, the user's
 * preselection, its plan, the draws used for its vehicle and the pending
 * commitment with its seed (the candidates are derived from it in the bff;
 * plate_draw_batch re-checks all of it under the preselection's lock).
 */
export async function drawReads(db: Db, userId: string, preselectionId: string): Promise<DrawReads> {
  return (await drawReadsBatch(db, [{ userId, preselectionId }]))[0]!;
}

/** {@link drawReads} of many requests in ONE statement (ADR-040 "Reads"). In order. */
export async function drawReadsBatch(db: Db, reqs: { userId: string; preselectionId: string }[]): Promise<DrawReads[]> {
  const rows = await db<Record<string, unknown>[]>`
    SELECT i.n, (SELECT status FROM user_account WHERE id = i.user_id) AS user_status,
           ps.id AS ps_id, ps.status AS ps_status, ps.plan_id AS ps_plan_id, ps.vin AS ps_vin, ps.authority_id AS ps_authority_id,
           p.id AS p_id, p.status AS p_status, p.start_at AS p_start_at, p.pool_size AS p_pool_size, p.pool_version AS p_pool_version,
           ${drawsUsedCount(db, db`i.user_id`, db`ps.vin`)} AS draws_used,
           c.id AS c_id, c.seed AS c_seed, c.commitment AS c_commitment, c.committed_at AS c_committed_at
    FROM jsonb_to_recordset(${db.json(reqs.map((r, n) => ({ n, user_id: r.userId, preselection_id: r.preselectionId })))}) AS i(n int, user_id uuid, preselection_id uuid)
    LEFT JOIN LATERAL (SELECT ps.id, ps.status, ps.plan_id, ps.vin, ps.authority_id FROM plate_preselection ps
                       WHERE ps.id = i.preselection_id AND ps.user_account_id = i.user_id LIMIT 1) ps ON true
    LEFT JOIN plate_segment_plan p ON p.id = ps.plan_id
    LEFT JOIN LATERAL (SELECT c.id, c.seed, c.commitment, c.committed_at FROM plate_draw_commitment c
                       WHERE c.preselection_id = ps.id AND c.used_at IS NULL LIMIT 1) c ON true
    ORDER BY i.n`;
  return rows.map((r) => ({
    user_status: r.user_status as DrawReads['user_status'],
    ps: r.ps_id
      ? { id: r.ps_id as string, status: r.ps_status as PreselectionRow['status'], plan_id: r.ps_plan_id as string, vin: r.ps_vin as string, authority_id: r.ps_authority_id as string }
      : null,
    plan: r.p_id
      ? { id: r.p_id as string, status: r.p_status as PlanStatus, start_at: r.p_start_at as Date, pool_size: r.p_pool_size as number, pool_version: r.p_pool_version as number }
      : null,
    draws_used: (r.draws_used as number | null) ?? 0,
    pending: r.c_id ? { id: r.c_id as string, seed: r.c_seed as Buffer, commitment: r.c_commitment as string, committed_at: r.c_committed_at as Date } : null,
  }));
}

/** One random preselection's start of a batch ({@link startRandomBatch}); the audit row built (and masked) by the bff. */
export type BatchedStart = {
  id: string; reference: string; userId: string; planId: string; authorityId: string; vin: string; ownerIdType: string; ownerIdNumber: string;
  ownerName: string; phone: string; at: Date; seed: string; commitment: string; audit: BatchedAudit;
  job: { kind: string; payload: Record<string, unknown>; runAt: Date; dedupeKey: string };
};

/**
 * Random preselections' starts in ONE statement (one round trip, one commit),
 * each with insertPreselection's row — its partial unique indexes decide
 * R-23.2 exactly as the single path's INSERT; a violation fails the whole
 * statement, nothing of it commits, and the batcher splits it until the
 * member alone meets the index — the commitment of its first draw (issue 18),
 * its audit row and its offer-expiry job (enqueueJob's columns).
 */
export async function startRandomBatch(db: Db, members: BatchedStart[]): Promise<'started'[]> {
  const [row] = await db<{ n: number }[]>`
    WITH m AS (
      SELECT * FROM jsonb_to_recordset(${db.json(members as unknown as Parameters<Db['json']>[0])}) AS x(
        id uuid, reference text, "userId" uuid, "planId" uuid, "authorityId" text, vin text, "ownerIdType" text, "ownerIdNumber" text, "ownerName" text,
        phone text, at timestamptz, seed text, commitment text, audit jsonb, job jsonb)
    ), ps AS (
      INSERT INTO plate_preselection (id, reference, user_account_id, plan_id, authority_id, mode, vin, owner_id_type, owner_id_number, owner_name, phone,
                                      plate_no, status, created_at, reserved_at, deadline)
      SELECT m.id, m.reference, m."userId", m."planId", m."authorityId", 'random', m.vin, m."ownerIdType", m."ownerIdNumber", m."ownerName", m.phone,
             NULL, 'drawing', m.at, NULL, NULL
      FROM m
      RETURNING id
    ), commitment AS (
      INSERT INTO plate_draw_commitment (preselection_id, seed, commitment, committed_at)
      SELECT m.id, decode(m.seed, 'hex'), m.commitment, m.at FROM m
    ), audit AS (
      INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
      SELECT m.at, m.audit->>'actorKind', m.audit->>'actorId', m.audit->>'actorLabel', m."authorityId", 'plates.preselection_started', 'plate_preselection', m.id::text,
             NULL, m.audit->'after', m.audit->>'requestId', m.audit->>'ip'
      FROM m
    ), job AS (
      INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
      SELECT m.job->>'kind', m.job->'payload', (m.job->>'runAt')::timestamptz, m.job->>'dedupeKey', 10, m.at FROM m
      ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued' DO NOTHING
    )
    SELECT count(*)::int AS n FROM ps`;
  if (row!.n !== members.length) throw new Error(`startRandomBatch: ${members.length} starts, ${row!.n} preselections`);
  return members.map(() => 'started' as const);
}

export type DrawOutcome =
  | 'drawn' | 'preselection_not_found' | 'preselection_wrong_status' | 'segment_not_open' | 'draws_exhausted' | 'draw_commitment_stale'
  | 'more_candidates' | 'pool_exhausted';

export type DrawRequest = {
  preselectionId: string; userId: string; commitmentId: string; commitment: string; clientNonce: Buffer; poolSize: number; poolVersion: number; drawNo: number;
  now: Date; expiresAt: Date;
  algorithm: string; idx: number[]; rejected: number[]; maxCandidates: number; drawSize: number; maxDraws: number; skipped: Record<string, string>;
  nextSeed: Buffer; nextCommitment: string; audit: BatchedAudit; jobKind: string;
};
export type DrawResult = { outcome: DrawOutcome; drawId: string | null };

/**
 * Draws in ONE statement (plate_draw_batch, migration 0036): the members'
 * preselections locked in id order, then their previous offers' numbers,
 * commitments and open draws; each member decided in arrival order with the
 * single path's checks, then its candidates walked in order, each offered if
 * free (offerIfFree) or recorded with why it was skipped (the outcome looked
 * up in `skipped`, built by rules.skippedOutcome); then the winners' writes
 * together: commitments used, previous offers given back, offers, draw
 * records, next commitments, audit rows and offer-expiry jobs.
 * 'more_candidates' / 'pool_exhausted' write nothing for that member. Any
 * other error fails the whole statement, which committed nothing.
 */
export async function drawBatch(db: Db, members: DrawRequest[]): Promise<DrawResult[]> {
  const input = members.map(({ clientNonce, nextSeed, ...rest }) => ({ ...rest, clientNonce: clientNonce.toString('hex'), nextSeed: nextSeed.toString('hex') }));
  const rows = await db<{ n: number; outcome: DrawOutcome; draw_id: string | null }[]>`
    SELECT n, outcome, draw_id FROM plate_draw_batch(${db.json(input as unknown as Parameters<Db['json']>[0])})`;
  if (rows.length !== members.length) throw new Error(`plate_draw_batch: ${members.length} draws, ${rows.length} outcomes`);
  const out: DrawResult[] = new Array(members.length);
  for (const r of rows) out[r.n - 1] = { outcome: r.outcome, drawId: r.draw_id };
  return out;
}
