import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import type { ViolationStatus } from './rules.ts';

export { visibleAuthorities } from '../../platform/authorities.ts';

// ---------------------------------------------------------------------------
// The citizen, the licence, the vehicles
// ---------------------------------------------------------------------------

export type UserRow = { id: string; kind: 'personal' | 'organisation'; status: string; phone: string; person_id: string | null };

export async function findUser(db: Db, userId: string) {
  const [row] = await db<UserRow[]>`SELECT id, kind, status, phone, person_id FROM user_account WHERE id = ${userId}`;
  return row;
}

export type LicenceRow = {
  id: string; licence_no: string; person_id: string; holder_name: string; classes: string; first_issued_on: string;
  status: string; points: number; issuing_authority_id: string; phone: string;
};

/** X-5.1: the user's own bound licence (kind 'own'), optionally locked (X-5.4 is decided under this lock). */
export async function ownLicence(db: Db, userId: string, lock = false) {
  const [row] = await db<LicenceRow[]>`
    SELECT l.id, l.licence_no, l.person_id, p.name AS holder_name, l.classes, l.first_issued_on, l.status, l.points, l.issuing_authority_id, l.phone
    FROM licence_binding b JOIN driving_licence l ON l.id = b.licence_id JOIN person p ON p.id = l.person_id
    WHERE b.user_account_id = ${userId} AND b.kind = 'own' AND b.unbound_at IS NULL
    ORDER BY b.bound_at LIMIT 1 ${lock ? db`FOR UPDATE OF l` : db``}`;
  return row;
}

export async function licenceById(db: Db, id: string, lock = false) {
  const [row] = await db<LicenceRow[]>`
    SELECT l.id, l.licence_no, l.person_id, p.name AS holder_name, l.classes, l.first_issued_on, l.status, l.points, l.issuing_authority_id, l.phone
    FROM driving_licence l JOIN person p ON p.id = l.person_id WHERE l.id = ${id} ${lock ? db`FOR UPDATE OF l` : db``}`;
  return row;
}

export type BoundVehicleRow = { id: string; plate_no: string | null; brand_model: string; binding: 'own' | 'non_own' | 'organisation'; owner_person_id: string | null; registration_authority_id: string };

/** X-5.1: the user's bound vehicles — own, and at most three non-own (the binding rules of R-16.3 keep the count). */
export async function boundVehicles(db: Db, userId: string) {
  return db<BoundVehicleRow[]>`
    SELECT v.id, v.plate_no, v.brand_model, b.kind AS binding, v.owner_person_id, v.registration_authority_id
    FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id
    WHERE b.user_account_id = ${userId} AND b.unbound_at IS NULL AND b.kind IN ('own', 'non_own')
    ORDER BY b.kind, b.bound_at, v.id`;
}

// ---------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------

export type ViolationRow = {
  id: string; reference: string; source: 'camera' | 'onsite'; vehicle_id: string | null; plate_no: string; licence_id: string | null;
  authority_id: string; authority_name: string; occurred_at: Date; place: string; act_code: string; act: string; fine_fen: number; points: number;
  device_no: string | null; status: ViolationStatus; captured_at: Date; entered_at: Date; entered_by: string | null; import_batch: string | null;
  review_due_at: Date; reviewed_at: Date | null; reviewed_by: string | null; notify_due_at: Date | null; notified_at: Date | null;
  decision_id: string | null; handled_at: Date | null; cleared_at: Date | null; cleared_reason: string | null; updated_at: Date;
  photo_count: number; owner_name: string | null; owner_phone: string | null; owner_id_number: string | null;
};

const violationColumns = (db: Db) => db`
  v.id, v.reference, v.source, v.vehicle_id, v.plate_no, v.licence_id, v.authority_id, a.name AS authority_name, v.occurred_at, v.place,
  v.act_code, v.act, v.fine_fen, v.points, v.device_no, v.status, v.captured_at, v.entered_at, v.entered_by, v.import_batch,
  v.review_due_at, v.reviewed_at, v.reviewed_by, v.notify_due_at, v.notified_at, v.decision_id, v.handled_at, v.cleared_at, v.cleared_reason, v.updated_at,
  (SELECT count(*)::int FROM violation_photo ph WHERE ph.violation_id = v.id) AS photo_count,
  COALESCE(op.name, org.name) AS owner_name, veh.owner_phone, COALESCE(op.id_number, org.uscc) AS owner_id_number`;
const violationFrom = (db: Db) => db`
  violation v JOIN authority a ON a.id = v.authority_id
  LEFT JOIN vehicle veh ON veh.id = v.vehicle_id LEFT JOIN person op ON op.id = veh.owner_person_id LEFT JOIN organisation org ON org.id = veh.owner_organisation_id`;

/** X-5.1: the records a citizen sees: of the bound vehicles and the bound licence, once reviewed. */
export async function citizenViolations(db: Db, vehicleIds: readonly string[], licenceId: string | null) {
  return db<ViolationRow[]>`
    SELECT ${violationColumns(db)} FROM ${violationFrom(db)}
    WHERE (v.vehicle_id = ANY(${vehicleIds as string[]}::uuid[]) OR v.licence_id = ${licenceId}) AND v.status NOT IN ('pending_review', 'rejected')
    ORDER BY v.occurred_at DESC, v.id`;
}

export async function findViolation(db: Db, id: string, scope: { authorities: string[] } | 'system') {
  const [row] = await db<ViolationRow[]>`
    SELECT ${violationColumns(db)} FROM ${violationFrom(db)}
    WHERE v.id = ${id} ${scope === 'system' ? db`` : db`AND v.authority_id = ANY(${scope.authorities})`}`;
  return row;
}

export async function violationsByIds(db: Db, ids: readonly string[], lock = false) {
  return db<ViolationRow[]>`
    SELECT ${violationColumns(db)} FROM ${violationFrom(db)} WHERE v.id = ANY(${ids as string[]}::uuid[]) ORDER BY v.occurred_at, v.id
    ${lock ? db`FOR UPDATE OF v` : db``}`;
}

export async function violationsOfDecision(db: Db, decisionId: string) {
  return db<ViolationRow[]>`SELECT ${violationColumns(db)} FROM ${violationFrom(db)} WHERE v.decision_id = ${decisionId} ORDER BY v.occurred_at, v.id`;
}

export async function lockViolation(db: Db, id: string) {
  await db`SELECT id FROM violation WHERE id = ${id} FOR UPDATE`;
}

/** X-5.5: the records go into the decision only if they are still open — a conditional update, so two confirmations cannot both take them. */
export async function markHandling(db: Db, ids: readonly string[], decisionId: string, now: Date): Promise<number> {
  const rows = await db`
    UPDATE violation SET status = 'handling', decision_id = ${decisionId}, licence_id = COALESCE(licence_id, (SELECT licence_id FROM penalty_decision WHERE id = ${decisionId})), updated_at = ${now}
    WHERE id = ANY(${ids as string[]}::uuid[]) AND status = 'open' RETURNING id`;
  return rows.length;
}

export async function markHandled(db: Db, decisionId: string, now: Date) {
  await db`UPDATE violation SET status = 'handled', handled_at = ${now}, updated_at = ${now} WHERE decision_id = ${decisionId} AND status = 'handling'`;
}

export async function updateViolation(db: Db, id: string, patch: Record<string, unknown>) {
  await db`UPDATE violation SET ${db(patch as Record<string, never>)} WHERE id = ${id}`;
}

export type NewViolation = {
  reference: string; source: 'camera' | 'onsite'; vehicleId: string | null; plateNo: string; authorityId: string; occurredAt: Date; place: string;
  actCode: string; act: string; fineFen: number; points: number; deviceNo: string | null; capturedAt: Date; enteredAt: Date; enteredBy: string | null;
  importBatch: string | null; reviewDueAt: Date;
};

export async function insertViolation(db: Db, v: NewViolation): Promise<string | null> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO violation (reference, source, vehicle_id, plate_no, authority_id, occurred_at, place, act_code, act, fine_fen, points, device_no,
                           status, captured_at, entered_at, entered_by, import_batch, review_due_at, updated_at)
    VALUES (${v.reference}, ${v.source}, ${v.vehicleId}, ${v.plateNo}, ${v.authorityId}, ${v.occurredAt}, ${v.place}, ${v.actCode}, ${v.act}, ${v.fineFen}, ${v.points},
            ${v.deviceNo}, 'pending_review', ${v.capturedAt}, ${v.enteredAt}, ${v.enteredBy}, ${v.importBatch}, ${v.reviewDueAt}, ${v.enteredAt})
    ON CONFLICT (plate_no, occurred_at, act_code) DO NOTHING
    RETURNING id`;
  return row?.id ?? null;
}

export async function nextViolationSeq(db: Db): Promise<number> {
  const [r] = await db<{ n: number }[]>`SELECT nextval('violation_ref_seq')::int AS n`;
  return r!.n;
}

export async function vehicleByPlate(db: Db, plateNo: string) {
  const [row] = await db<{ id: string; plate_no: string }[]>`SELECT id, plate_no FROM vehicle WHERE plate_no = ${plateNo}`;
  return row;
}

export async function insertPhotos(db: Db, violationId: string, uploadIds: readonly string[]) {
  for (const [i, uploadId] of uploadIds.entries()) {
    await db`INSERT INTO violation_photo (violation_id, upload_id, position) VALUES (${violationId}, ${uploadId}, ${i + 1})`;
  }
}

export async function photosOf(db: Db, violationId: string) {
  return db<{ upload_id: string; position: number }[]>`SELECT upload_id, position FROM violation_photo WHERE violation_id = ${violationId} ORDER BY position`;
}

export async function photoOf(db: Db, violationId: string, position: number) {
  const [row] = await db<{ upload_id: string }[]>`SELECT upload_id FROM violation_photo WHERE violation_id = ${violationId} AND position = ${position}`;
  return row;
}

// ---------------------------------------------------------------------------
// Decisions and the points ledger
// ---------------------------------------------------------------------------

export type DecisionRow = {
  id: string; decision_no: string; verification_code: string; channel: 'online' | 'counter'; user_account_id: string | null; licence_id: string;
  vehicle_id: string | null; plate_no: string; authority_id: string; authority_name: string; fine_fen: number; points: number; served_at: Date; served_day: string;
  status: 'awaiting_payment' | 'paid'; points_assessed_at: Date | null; paid_at: Date | null; paid_fen: number | null; late_fee_fen: number | null;
  payment_order_id: string | null; non_owner: boolean; flagged: boolean; flag_reason: string | null; created_at: Date;
  licence_no: string; holder_name: string; holder_person_id: string;
};

const decisionSelect = (db: Db) => db`
  SELECT d.*, a.name AS authority_name, l.licence_no, p.name AS holder_name, p.id AS holder_person_id
  FROM penalty_decision d JOIN authority a ON a.id = d.authority_id JOIN driving_licence l ON l.id = d.licence_id JOIN person p ON p.id = l.person_id`;

export async function findDecision(db: Db, id: string, lock = false) {
  const [row] = await db<DecisionRow[]>`${decisionSelect(db)} WHERE d.id = ${id} ${lock ? db`FOR UPDATE OF d` : db``}`;
  return row;
}

export async function findDecisionByNumber(db: Db, decisionNo: string) {
  const [row] = await db<DecisionRow[]>`${decisionSelect(db)} WHERE d.decision_no = ${decisionNo}`;
  return row;
}

/** X-5.7: decisions of the user's bound vehicles and licence, and those the user handled. */
export async function decisionsFor(db: Db, userId: string, vehicleIds: readonly string[], licenceId: string | null) {
  return db<DecisionRow[]>`${decisionSelect(db)}
    WHERE d.user_account_id = ${userId} OR d.licence_id = ${licenceId} OR d.vehicle_id = ANY(${vehicleIds as string[]}::uuid[])
    ORDER BY d.served_at DESC, d.id`;
}

export async function decisionsInScope(db: Db, authorities: string[], flaggedOnly: boolean) {
  return db<DecisionRow[]>`${decisionSelect(db)} WHERE d.authority_id = ANY(${authorities}) ${flaggedOnly ? db`AND d.flagged` : db``} ORDER BY d.served_at DESC, d.id LIMIT 500`;
}

/** X-5.4: points of decisions served but not paid yet (assessed on payment, X-5.5). */
export async function pendingPoints(db: Db, licenceId: string): Promise<number> {
  const [r] = await db<{ n: number }[]>`
    SELECT COALESCE(sum(points), 0)::int AS n FROM penalty_decision WHERE licence_id = ${licenceId} AND status = 'awaiting_payment' AND points_assessed_at IS NULL`;
  return r!.n;
}

export async function nextDecisionSeq(db: Db): Promise<number> {
  const [r] = await db<{ n: number }[]>`SELECT nextval('penalty_decision_seq')::int AS n`;
  return r!.n;
}

export type NewDecision = {
  decisionNo: string; verificationCode: string; userId: string; licenceId: string; vehicleId: string | null; plateNo: string; authorityId: string;
  fineFen: number; points: number; servedAt: Date; servedDay: string; nonOwner: boolean; flagged: boolean; flagReason: string | null;
};

export async function insertDecision(db: Db, d: NewDecision): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO penalty_decision (decision_no, verification_code, channel, user_account_id, licence_id, vehicle_id, plate_no, authority_id, fine_fen, points,
                                  served_at, served_day, status, non_owner, flagged, flag_reason, created_at)
    VALUES (${d.decisionNo}, ${d.verificationCode}, 'online', ${d.userId}, ${d.licenceId}, ${d.vehicleId}, ${d.plateNo}, ${d.authorityId}, ${d.fineFen}, ${d.points},
            ${d.servedAt}, ${d.servedDay}, 'awaiting_payment', ${d.nonOwner}, ${d.flagged}, ${d.flagReason}, ${d.servedAt})
    RETURNING id`;
  return row!.id;
}

/** X-5.12: the vehicles a licence handled as a non-owner within a cycle (served in [from, to]). */
export async function nonOwnVehiclesHandled(db: Db, licenceId: string, fromDay: string, toDay: string): Promise<string[]> {
  const rows = await db<{ vehicle_id: string }[]>`
    SELECT DISTINCT vehicle_id FROM penalty_decision
    WHERE licence_id = ${licenceId} AND non_owner AND vehicle_id IS NOT NULL AND served_day BETWEEN ${fromDay} AND ${toDay}`;
  return rows.map((r) => r.vehicle_id);
}

/** X-5.5: the payment settles the decision once — a conditional update. */
export async function markPaid(db: Db, id: string, p: { paidAt: Date; paidFen: number; lateFeeFen: number; orderId: string }): Promise<boolean> {
  const rows = await db`
    UPDATE penalty_decision SET status = 'paid', paid_at = ${p.paidAt}, paid_fen = ${p.paidFen}, late_fee_fen = ${p.lateFeeFen}, payment_order_id = ${p.orderId}
    WHERE id = ${id} AND status = 'awaiting_payment' RETURNING id`;
  return rows.length === 1;
}

/** ADR-038: the payment that counted was refunded — the decision is unpaid again (only if it was paid by that order). */
export async function markUnpaid(db: Db, id: string, orderId: string): Promise<boolean> {
  const rows = await db`
    UPDATE penalty_decision SET status = 'awaiting_payment', paid_at = NULL, paid_fen = NULL, late_fee_fen = NULL, payment_order_id = NULL
    WHERE id = ${id} AND status = 'paid' AND payment_order_id = ${orderId} RETURNING id`;
  return rows.length === 1;
}

/** ADR-038 (X-5.5): handling no longer counts — the decision's records are back in `handling`. */
export async function markUnhandled(db: Db, decisionId: string, now: Date): Promise<string[]> {
  const rows = await db<{ id: string }[]>`
    UPDATE violation SET status = 'handling', handled_at = NULL, updated_at = ${now} WHERE decision_id = ${decisionId} AND status = 'handled' RETURNING id`;
  return rows.map((r) => r.id);
}

/** ADR-038: the points assessed when the fine was paid are withdrawn with the payment; answers the removed entry. */
export async function withdrawPointsEntry(db: Db, decisionId: string): Promise<{ cycle_start: string; points: number } | null> {
  const [e] = await db<{ cycle_start: string; points: number }[]>`
    DELETE FROM licence_points_entry WHERE decision_id = ${decisionId} RETURNING to_char(cycle_start, 'YYYY-MM-DD') AS cycle_start, points`;
  if (e) await db`UPDATE penalty_decision SET points_assessed_at = NULL WHERE id = ${decisionId}`;
  return e ?? null;
}

export async function markPointsAssessed(db: Db, id: string, now: Date) {
  await db`UPDATE penalty_decision SET points_assessed_at = ${now} WHERE id = ${id} AND points_assessed_at IS NULL`;
}

export async function insertPointsEntry(db: Db, e: { licenceId: string; cycleStart: string; points: number; decisionId: string; at: Date }): Promise<boolean> {
  const rows = await db`
    INSERT INTO licence_points_entry (licence_id, cycle_start, points, decision_id, assessed_at)
    VALUES (${e.licenceId}, ${e.cycleStart}, ${e.points}, ${e.decisionId}, ${e.at})
    ON CONFLICT (decision_id) DO NOTHING RETURNING id`;
  return rows.length === 1;
}

export async function addLicencePoints(db: Db, licenceId: string, points: number) {
  await db`UPDATE driving_licence SET points = points + ${points} WHERE id = ${licenceId}`;
}

export async function setLicencePoints(db: Db, licenceId: string, points: number) {
  await db`UPDATE driving_licence SET points = ${points} WHERE id = ${licenceId}`;
}

export type LedgerRow = { id: number; cycle_start: string; points: number; decision_id: string; decision_no: string; assessed_at: Date; paid_at: Date | null; plate_no: string; status: string };

export async function ledgerOf(db: Db, licenceId: string) {
  return db<LedgerRow[]>`
    SELECT e.id, e.cycle_start, e.points, e.decision_id, d.decision_no, e.assessed_at, d.paid_at, d.plate_no, d.status
    FROM licence_points_entry e JOIN penalty_decision d ON d.id = e.decision_id
    WHERE e.licence_id = ${licenceId} ORDER BY e.assessed_at, e.id`;
}

// ---------------------------------------------------------------------------
// Objections
// ---------------------------------------------------------------------------

export type ObjectionRow = {
  id: string; violation_id: string; user_account_id: string | null; kind: 'objection' | 'exemption'; ground: string; statement: string;
  status: 'pending' | 'upheld' | 'dismissed'; submitted_at: Date; due_at: Date; decided_at: Date | null; decided_by: string | null; decision_note: string | null;
  authority_id: string; reference: string; plate_no: string; applicant_phone: string | null; applicant_name: string | null;
};

const objectionSelect = (db: Db) => db`
  SELECT o.*, v.reference, v.plate_no, ua.phone AS applicant_phone, p.name AS applicant_name
  FROM violation_objection o JOIN violation v ON v.id = o.violation_id
  LEFT JOIN user_account ua ON ua.id = o.user_account_id LEFT JOIN person p ON p.id = ua.person_id`;

export async function insertObjection(db: Db, o: { violationId: string; userId: string; kind: string; ground: string; statement: string; now: Date; dueAt: Date; authorityId: string }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO violation_objection (violation_id, user_account_id, kind, ground, statement, submitted_at, due_at, authority_id)
    VALUES (${o.violationId}, ${o.userId}, ${o.kind}, ${o.ground}, ${o.statement}, ${o.now}, ${o.dueAt}, ${o.authorityId}) RETURNING id`;
  return row!.id;
}

export async function objectionsOfViolation(db: Db, violationId: string) {
  return db<ObjectionRow[]>`${objectionSelect(db)} WHERE o.violation_id = ${violationId} ORDER BY o.submitted_at`;
}

export async function findObjection(db: Db, id: string, authorities: string[], lock = false) {
  const [row] = await db<ObjectionRow[]>`${objectionSelect(db)} WHERE o.id = ${id} AND o.authority_id = ANY(${authorities}) ${lock ? db`FOR UPDATE OF o` : db``}`;
  return row;
}

export async function decideObjection(db: Db, id: string, p: { status: 'upheld' | 'dismissed'; staffId: string; note: string; now: Date }): Promise<boolean> {
  const rows = await db`
    UPDATE violation_objection SET status = ${p.status}, decided_at = ${p.now}, decided_by = ${p.staffId}, decision_note = ${p.note}
    WHERE id = ${id} AND status = 'pending' RETURNING id`;
  return rows.length === 1;
}

const OBJECTION_SORT: Record<string, string> = { dueAt: 'o.due_at', submittedAt: 'o.submitted_at', status: 'o.status', id: 'o.id' };

export async function listObjections(db: Db, authorities: string[], q: ListQuery) {
  const status = filterString(q.filter, 'status');
  const where = db`o.authority_id = ANY(${authorities}) ${status ? db`AND o.status = ${status}` : db``}`;
  const rows = await db<(ObjectionRow & { total: number })[]>`
    SELECT x.*, count(*) OVER ()::int AS total FROM (${objectionSelect(db)} WHERE ${where}) x
    ORDER BY ${db.unsafe(OBJECTION_SORT[q.sortField]?.replace('o.', 'x.') ?? 'x.due_at')} ${db.unsafe(q.sortDesc ? 'DESC' : 'ASC')}, x.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

// ---------------------------------------------------------------------------
// Staff queue
// ---------------------------------------------------------------------------

const VIOLATION_SORT: Record<string, string> = {
  reviewDueAt: 'v.review_due_at', occurredAt: 'v.occurred_at', enteredAt: 'v.entered_at', status: 'v.status', plateNo: 'v.plate_no', reference: 'v.reference', id: 'v.id',
};

export async function listViolations(db: Db, authorities: string[], q: ListQuery) {
  const status = filterString(q.filter, 'status');
  const text = filterString(q.filter, 'q');
  const flagged = q.filter.flagged === true || q.filter.flagged === 'true';
  const where = db`v.authority_id = ANY(${authorities})
    ${status ? db`AND v.status = ${status}` : db``}
    ${text ? db`AND (v.plate_no LIKE ${'%' + text + '%'} OR v.reference = ${text})` : db``}
    ${flagged ? db`AND EXISTS (SELECT 1 FROM penalty_decision d WHERE d.id = v.decision_id AND d.flagged)` : db``}`;
  const rows = await db<(ViolationRow & { total: number })[]>`
    SELECT ${violationColumns(db)}, count(*) OVER ()::int AS total FROM ${violationFrom(db)} WHERE ${where}
    ORDER BY ${db.unsafe(VIOLATION_SORT[q.sortField] ?? 'v.review_due_at')} ${db.unsafe(q.sortDesc ? 'DESC' : 'ASC')}, v.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

/** X-5.13: the electronic case file's trail — the record's audit entries and the SMS sent about it. */
export async function auditTrail(db: Db, entityIds: readonly string[]) {
  return db<{ at: Date; action: string; actor_kind: string; actor_label: string | null; before: unknown; after: unknown }[]>`
    SELECT at, action, actor_kind, actor_label, before, after FROM audit_log WHERE entity_id = ANY(${entityIds as string[]}) ORDER BY at, id`;
}

export async function messagesAbout(db: Db, dedupePrefixes: readonly string[]) {
  return db<{ id: string; template: string; status: string; created_at: Date; recipient: string }[]>`
    SELECT id, template, status, created_at, recipient FROM outbox_message
    WHERE dedupe_key LIKE ANY(${dedupePrefixes.map((p) => p + '%')}) ORDER BY created_at, id`;
}
