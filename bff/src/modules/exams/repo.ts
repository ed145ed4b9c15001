/** SQL of the exams module (X-4.4). */
import type { Db } from '../../db.ts';
import { userSessionQuery } from '../../platform/sessions.ts';

export const ALLOCATE_JOB = 'exams.allocate';

export type AccountRow = { id: string; kind: 'personal' | 'organisation'; status: string; person_id: string | null; phone: string };
export async function account(db: Db, userId: string): Promise<AccountRow | undefined> {
  const [r] = await db<AccountRow[]>`SELECT id, kind, status, person_id, phone FROM user_account WHERE id = ${userId}`;
  return r;
}

export type PermitRow = {
  id: string; person_id: string; kind: 'first_licence' | 'add_class'; class: string; holds_automobile_class: boolean; authority_id: string;
  issued_on: string; valid_until: string; accepted_at: Date;
  subject1_passed_on: string | null; subject2_passed_on: string | null; subject3_passed_on: string | null;
  sittings2: number; sittings3: number; last_exam_at: Date | null; last_cancelled_at: Date | null; last_no_show_at: Date | null;
  rebook2_from: string | null; rebook3_from: string | null; exam_station_id: string | null; exam_station_name: string | null; location_changes: number;
  status: 'active' | 'void' | 'completed'; void_reason: string | null;
};
const permitCols = (db: Db) => db`
  p.id, p.person_id, p.kind, p.class, p.holds_automobile_class, p.authority_id, p.issued_on::text, p.valid_until::text, p.accepted_at,
  p.subject1_passed_on::text, p.subject2_passed_on::text, p.subject3_passed_on::text, p.sittings2, p.sittings3,
  p.last_exam_at, p.last_cancelled_at, p.last_no_show_at, p.rebook2_from::text, p.rebook3_from::text,
  p.exam_station_id, (SELECT name FROM exam_station WHERE id = p.exam_station_id) AS exam_station_name, p.location_changes, p.status, p.void_reason`;

/** The person's permits, the live ones first. */
export async function permitsOf(db: Db, personId: string): Promise<PermitRow[]> {
  return db<PermitRow[]>`SELECT ${permitCols(db)} FROM learner_permit p WHERE p.person_id = ${personId}
    ORDER BY (p.status = 'active') DESC, p.issued_on DESC`;
}
export async function permit(db: Db, id: string, lock = false): Promise<PermitRow | undefined> {
  const [r] = lock
    ? await db<PermitRow[]>`SELECT ${permitCols(db)} FROM learner_permit p WHERE p.id = ${id} FOR UPDATE`
    : await db<PermitRow[]>`SELECT ${permitCols(db)} FROM learner_permit p WHERE p.id = ${id}`;
  return r;
}

export type PlanRow = {
  id: string; station_id: string; station_name: string; station_address: string; station_phone: string | null; together23: boolean;
  authority_id: string; subject: 1 | 2 | 3; classes: string[]; exam_date: string; session: 'am' | 'pm'; seats: number;
  status: 'open' | 'allocated' | 'cancelled'; closes_at: Date; extended: boolean; published_at: Date; applicants: number;
};
const planBaseCols = (db: Db) => db`
  x.id, x.station_id, s.name AS station_name, s.address AS station_address, s.phone AS station_phone, s.subjects_2_and_3_together AS together23,
  x.authority_id, x.subject, x.classes, x.exam_date::text, x.session, x.seats, x.status, x.closes_at, x.extended, x.published_at`;
const planCols = (db: Db) => db`${planBaseCols(db)},
  (SELECT count(*)::int FROM exam_application a WHERE a.plan_id = x.id AND a.status <> 'cancelled') AS applicants`;

/** `share`: an application holds the plan row against the batch (which locks it FOR UPDATE), so none slips in while it runs. */
export async function plan(db: Db, id: string, lock: false | 'share' = false): Promise<PlanRow | undefined> {
  const [r] = lock
    ? await db<PlanRow[]>`SELECT ${planCols(db)} FROM exam_plan x JOIN exam_station s ON s.id = x.station_id WHERE x.id = ${id} FOR SHARE OF x`
    : await db<PlanRow[]>`SELECT ${planCols(db)} FROM exam_plan x JOIN exam_station s ON s.id = x.station_id WHERE x.id = ${id}`;
  return r;
}

export async function openPlans(db: Db, q: { cls: string; subject?: number; now: Date }): Promise<PlanRow[]> {
  return db<PlanRow[]>`SELECT ${planCols(db)} FROM exam_plan x JOIN exam_station s ON s.id = x.station_id
    WHERE x.status = 'open' AND x.closes_at > ${q.now} AND ${q.cls} = ANY (x.classes) ${q.subject ? db`AND x.subject = ${q.subject}` : db``}
    ORDER BY x.exam_date, x.session, s.name LIMIT 200`;
}

export type StaffPlanFilter = { stationId?: string; authorityId?: string; status?: string; subject?: number; closedBy?: Date };
export async function staffPlans(db: Db, f: StaffPlanFilter, page: { offset: number; limit: number; desc: boolean }) {
  const where = db`WHERE true
    ${f.stationId ? db`AND x.station_id = ${f.stationId}` : db``}
    ${f.authorityId ? db`AND (x.authority_id = ${f.authorityId} OR x.authority_id IN (SELECT id FROM authority WHERE parent_id = ${f.authorityId}))` : db``}
    ${f.status ? db`AND x.status = ${f.status}` : db``}
    ${f.subject ? db`AND x.subject = ${f.subject}` : db``}
    ${f.closedBy ? db`AND (x.status = 'allocated' OR x.closes_at <= ${f.closedBy})` : db``}`;
  const rows = await db<(PlanRow & { allocated: number | null; digest: string | null; allocated_at: Date | null })[]>`
    SELECT ${planCols(db)}, al.allocated, al.digest, al.allocated_at
    FROM exam_plan x JOIN exam_station s ON s.id = x.station_id LEFT JOIN exam_allocation al ON al.plan_id = x.id
    ${where} ORDER BY x.exam_date ${page.desc ? db`DESC` : db`ASC`}, x.session, x.id OFFSET ${page.offset} LIMIT ${page.limit}`;
  const [t] = await db<{ total: number }[]>`SELECT count(*)::int AS total FROM exam_plan x ${where}`;
  const total = t!.total;
  return { rows, total };
}

export async function insertPlan(db: Db, p: { stationId: string; authorityId: string; subject: number; classes: string[]; examDate: string; session: string; seats: number; closesAt: Date; now: Date; staffId: string }) {
  const [r] = await db<{ id: string }[]>`
    INSERT INTO exam_plan (station_id, authority_id, subject, classes, exam_date, session, seats, closes_at, published_at, published_by)
    VALUES (${p.stationId}, ${p.authorityId}, ${p.subject}, ${p.classes}, ${p.examDate}, ${p.session}, ${p.seats}, ${p.closesAt}, ${p.now}, ${p.staffId})
    RETURNING id`;
  return r!.id;
}

export type ApplicationRow = {
  id: string; reference: string; plan_id: string; permit_id: string; user_account_id: string | null; subject: 1 | 2 | 3;
  status: 'applied' | 'allocated' | 'not_allocated' | 'cancelled' | 'passed' | 'failed' | 'absent';
  rank_key_at: Date; rank_key_kind: 'accepted' | 'last_exam' | 'cancelled' | 'no_show'; applied_at: Date; rank: number | null;
  decided_at: Date | null; cancelled_at: Date | null; cancelled_via: string | null; first_outcome: string | null; retake_outcome: string | null; result_at: Date | null;
};
const appCols = (db: Db) => db`a.id, a.reference, a.plan_id, a.permit_id, a.user_account_id, a.subject, a.status, a.rank_key_at, a.rank_key_kind,
  a.applied_at, a.rank, a.decided_at, a.cancelled_at, a.cancelled_via, a.first_outcome, a.retake_outcome, a.result_at`;

export async function application(db: Db, id: string, lock = false): Promise<ApplicationRow | undefined> {
  const [r] = lock
    ? await db<ApplicationRow[]>`SELECT ${appCols(db)} FROM exam_application a WHERE a.id = ${id} FOR UPDATE`
    : await db<ApplicationRow[]>`SELECT ${appCols(db)} FROM exam_application a WHERE a.id = ${id}`;
  return r;
}
export async function applicationByReference(db: Db, reference: string): Promise<ApplicationRow | undefined> {
  const [r] = await db<ApplicationRow[]>`SELECT ${appCols(db)} FROM exam_application a WHERE a.reference = ${reference}`;
  return r;
}
export async function applicationsOf(db: Db, userId: string): Promise<ApplicationRow[]> {
  return db<ApplicationRow[]>`SELECT ${appCols(db)} FROM exam_application a WHERE a.user_account_id = ${userId} ORDER BY a.applied_at DESC, a.id LIMIT 100`;
}

/** An application's reference is unique: a random reference drawn twice is refused here and drawn again (ADR-041). */
export const APPLICATION_REFERENCE_KEY = 'exam_application_reference_key';

export async function insertApplication(db: Db, a: { reference: string; planId: string; permitId: string; userId: string | null; subject: number; keyAt: Date; keyKind: string; now: Date }) {
  const [r] = await db<{ id: string }[]>`
    INSERT INTO exam_application (reference, plan_id, permit_id, user_account_id, subject, rank_key_at, rank_key_kind, applied_at)
    VALUES (${a.reference}, ${a.planId}, ${a.permitId}, ${a.userId}, ${a.subject}, ${a.keyAt}, ${a.keyKind}, ${a.now})
    RETURNING id`;
  return r!.id;
}

/** X-4.4.8: the live rank while collecting — one plus the applications before mine in the plan's order (index exam_application_rank_idx). */
export async function liveRank(db: Db, planId: string, keyAt: Date, id: string): Promise<number> {
  const [r] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM exam_application
    WHERE plan_id = ${planId} AND status = 'applied' AND (rank_key_at, id) < (${keyAt}::timestamptz, ${id}::uuid)`;
  return r!.n + 1;
}

/** X-4.4.8: a later event of the permit moves the key of its applications still collecting. */
export async function moveOpenKeys(db: Db, permitId: string, keyAt: Date, keyKind: string) {
  return db<{ id: string; plan_id: string }[]>`
    UPDATE exam_application SET rank_key_at = ${keyAt}, rank_key_kind = ${keyKind}
    WHERE permit_id = ${permitId} AND status = 'applied' RETURNING id, plan_id`;
}

export type LedgerRow = { id: string; reference: string; rank: number | null; rank_key_at: Date; rank_key_kind: string; status: string; first_outcome: string | null };
export async function ledger(db: Db, planId: string): Promise<LedgerRow[]> {
  return db<LedgerRow[]>`SELECT id, reference, rank, rank_key_at, rank_key_kind, status, first_outcome FROM exam_application
    WHERE plan_id = ${planId} AND rank IS NOT NULL ORDER BY rank`;
}

export type AllocationRow = { plan_id: string; allocated_at: Date; applicants: number; seats: number; allocated: number; digest: string };
export async function allocationOf(db: Db, planId: string): Promise<AllocationRow | undefined> {
  const [r] = await db<AllocationRow[]>`SELECT plan_id, allocated_at, applicants, seats, allocated, digest FROM exam_allocation WHERE plan_id = ${planId}`;
  return r;
}

export async function staffExamStation(db: Db, staffId: string): Promise<string | null> {
  const [r] = await db<{ exam_station_id: string | null }[]>`SELECT exam_station_id FROM staff_member WHERE id = ${staffId}`;
  return r?.exam_station_id ?? null;
}
export async function station(db: Db, id: string) {
  const [r] = await db<{ id: string; name: string; authority_id: string; status: string }[]>`SELECT id, name, authority_id, status FROM exam_station WHERE id = ${id}`;
  return r;
}

export type StaffApplicationRow = ApplicationRow & {
  exam_date: string; session: string; station_id: string; station_name: string; authority_id: string; closes_at: Date; plan_status: string;
  person_name: string; id_number: string; phone: string | null; class: string;
};
export async function staffApplications(db: Db, f: { stationId?: string; authorityId?: string; planId?: string; status?: string; reference?: string }, page: { offset: number; limit: number }) {
  const where = db`WHERE true
    ${f.stationId ? db`AND x.station_id = ${f.stationId}` : db``}
    ${f.authorityId ? db`AND (x.authority_id = ${f.authorityId} OR x.authority_id IN (SELECT id FROM authority WHERE parent_id = ${f.authorityId}))` : db``}
    ${f.planId ? db`AND a.plan_id = ${f.planId}` : db``}
    ${f.status ? db`AND a.status = ${f.status}` : db``}
    ${f.reference ? db`AND a.reference = ${f.reference}` : db``}`;
  const rows = await db<StaffApplicationRow[]>`
    SELECT ${appCols(db)}, x.exam_date::text, x.session, x.station_id, s.name AS station_name, x.authority_id, x.closes_at, x.status AS plan_status,
      pe.name AS person_name, pe.id_number, u.phone, p.class
    FROM exam_application a JOIN exam_plan x ON x.id = a.plan_id JOIN exam_station s ON s.id = x.station_id
    JOIN learner_permit p ON p.id = a.permit_id JOIN person pe ON pe.id = p.person_id LEFT JOIN user_account u ON u.id = a.user_account_id
    ${where} ORDER BY x.exam_date DESC, a.plan_id, a.rank NULLS LAST, a.rank_key_at, a.id OFFSET ${page.offset} LIMIT ${page.limit}`;
  const [t] = await db<{ total: number }[]>`SELECT count(*)::int AS total FROM exam_application a JOIN exam_plan x ON x.id = a.plan_id ${where}`;
  const total = t!.total;
  return { rows, total };
}

export const REALLOCATE_JOB = 'exams.reallocate';

/**
 * PD-13 (ADR-039): the free seats of the published plans still collecting at
 * the station of `planId`, same subject, covering the permit's class, from
 * that plan on in date order — one range scan of the (station, subject, day,
 * session) unique index.
 */
export async function projectionPlans(db: Db, planId: string, permitId: string) {
  return db<{ exam_date: string; session: 'am' | 'pm'; seats: number }[]>`
    SELECT y.exam_date::text, y.session, y.seats
    FROM exam_plan x JOIN exam_plan y
      ON y.station_id = x.station_id AND y.subject = x.subject AND (y.exam_date, y.session) >= (x.exam_date, x.session) AND y.status = 'open'
    WHERE x.id = ${planId} AND (SELECT class FROM learner_permit WHERE id = ${permitId}) = ANY (y.classes)
    ORDER BY y.exam_date, y.session LIMIT 200`;
}

/** Applications holding a seat of the plan (allocated, or with a result). */
export async function heldSeats(db: Db, planId: string): Promise<number> {
  const [r] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM exam_application WHERE plan_id = ${planId} AND status IN ('allocated', 'passed', 'failed', 'absent')`;
  return r!.n;
}

/**
 * X-4.4.8 (ADR-039): the applicants of an allocated plan who were not
 * allocated and still wait — their permit active and no other open
 * application of the subject (the one-open index would refuse the seat) —
 * in rank order, locked; SKIP LOCKED leaves a row another run holds.
 */
export async function waitingByRank(db: Db, planId: string, limit: number) {
  return db<{ id: string; rank: number; reference: string; permit_id: string; user_account_id: string | null }[]>`
    SELECT a.id, a.rank, a.reference, a.permit_id, a.user_account_id FROM exam_application a
    JOIN learner_permit p ON p.id = a.permit_id AND p.status = 'active'
    WHERE a.plan_id = ${planId} AND a.status = 'not_allocated'
      AND NOT EXISTS (SELECT 1 FROM exam_application o WHERE o.permit_id = a.permit_id AND o.subject = a.subject AND o.status IN ('applied', 'allocated'))
    ORDER BY a.rank, a.id LIMIT ${limit}
    FOR UPDATE OF a SKIP LOCKED`;
}

/** The seat goes to one applicant only: the update holds only while she is still `not_allocated`. */
export async function promote(db: Db, id: string, now: Date): Promise<boolean> {
  const r = await db`UPDATE exam_application SET status = 'allocated', decided_at = ${now} WHERE id = ${id} AND status = 'not_allocated'`;
  return r.count === 1;
}

export type FirstApplicationRow = {
  id: string; person_id: string; classes: string; status: string; authority_id: string; accepted_at: Date; person_name: string; id_number: string; phone: string;
  permit_id: string | null;
};
/** 初次申领 of a person (学员), with the permit already issued for it if any. */
export async function firstApplication(db: Db, id: string, lock = false): Promise<FirstApplicationRow | undefined> {
  const [r] = await db<FirstApplicationRow[]>`
    SELECT la.id, la.person_id, la.classes, la.status, la.authority_id, la.accepted_at, pe.name AS person_name, pe.id_number, la.phone,
      (SELECT id FROM learner_permit WHERE licence_application_id = la.id ORDER BY issued_on DESC LIMIT 1) AS permit_id
    FROM licence_application la JOIN person pe ON pe.id = la.person_id WHERE la.id = ${id} ${lock ? db`FOR UPDATE OF la` : db``}`;
  return r;
}

export type StaffPermitRow = PermitRow & { person_name: string; id_number: string; licence_application_id: string | null; issued_by: string | null };
export async function staffPermits(db: Db, f: { authorityId: string; id?: string; q?: string }, page: { offset: number; limit: number }) {
  const where = db`WHERE (p.authority_id = ${f.authorityId} OR p.authority_id IN (SELECT id FROM authority WHERE parent_id = ${f.authorityId}))
    ${f.id ? db`AND p.id = ${f.id}` : db``}
    ${f.q ? db`AND (pe.name = ${f.q} OR pe.id_number = ${f.q.toUpperCase()})` : db``}`;
  const rows = await db<StaffPermitRow[]>`
    SELECT ${permitCols(db)}, pe.name AS person_name, pe.id_number, p.licence_application_id,
      sm.display_name AS issued_by
    FROM learner_permit p JOIN person pe ON pe.id = p.person_id LEFT JOIN staff_member sm ON sm.id = p.issued_by ${where}
    ORDER BY p.issued_on DESC, p.id OFFSET ${page.offset} LIMIT ${page.limit}`;
  const [t] = await db<{ total: number }[]>`SELECT count(*)::int AS total FROM learner_permit p JOIN person pe ON pe.id = p.person_id ${where}`;
  return { rows, total: t!.total };
}

const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/**
 * The rank page in one statement (ADR-039; PD-13): with a deferred session
 * (ADR-017) the session too, then the applicant's own application, its plan,
 * the live rank and the applicants while collecting (one scan of the
 * plan's entries in the partial index exam_application_rank_idx) and the seats of the plans still collecting for
 * the projected date (a range of the plan's unique index). Plain reads: they
 * take no row lock, so a batch holding the plan `FOR UPDATE` and rewriting
 * its applications never makes them wait (they read the last committed rows).
 */
export async function rankPage(db: Db, who: { userId: string } | { sessionId: string }, id: string) {
  const deferred = 'sessionId' in who;
  const me = deferred ? db`(SELECT user_id FROM me)` : db`${who.userId}::uuid`;
  const [row] = await db<{ session: Record<string, unknown> | null; application: Record<string, unknown> | null; plan: Record<string, unknown> | null; live_rank: number | null; projection: { exam_date: string; session: 'am' | 'pm'; seats: number }[] | null }[]>`
    ${deferred ? db`WITH me AS (${userSessionQuery(db, who.sessionId)})` : db``}
    SELECT
      ${deferred ? db`(SELECT to_json(me) FROM me)` : db`NULL::json`} AS session,
      to_json(a) AS application,
      -- while collecting, the applicants are the applied ones: counted in the same index scan as the rank
      (SELECT to_json(x) FROM (SELECT ${planBaseCols(db)},
         CASE WHEN x.status = 'open' AND a.status = 'applied' THEN q.applied ELSE (SELECT count(*)::int FROM exam_application c WHERE c.plan_id = x.id AND c.status <> 'cancelled') END AS applicants
         FROM exam_plan x JOIN exam_station s ON s.id = x.station_id WHERE x.id = a.plan_id) x) AS plan,
      CASE WHEN a.status = 'applied' THEN q.ahead + 1 END AS live_rank,
      -- the plans of the projection (projectedDate in rules.ts decides): those up to the one whose seats reach the rank (all when none does)
      CASE WHEN a.status = 'applied' THEN (
        SELECT coalesce(json_agg(json_build_object('exam_date', p.exam_date, 'session', p.session, 'seats', p.seats) ORDER BY p.exam_date, p.session), '[]'::json)
        FROM (SELECT y.exam_date::text AS exam_date, y.session, y.seats,
                     sum(y.seats) OVER (ORDER BY y.exam_date, y.session) - y.seats AS before
              FROM exam_plan x JOIN exam_plan y
                ON y.station_id = x.station_id AND y.subject = x.subject AND (y.exam_date, y.session) >= (x.exam_date, x.session) AND y.status = 'open'
              WHERE x.id = a.plan_id AND (SELECT class FROM learner_permit WHERE id = a.permit_id) = ANY (y.classes)
              ORDER BY y.exam_date, y.session LIMIT 200) p
        WHERE p.before < q.ahead + 1) END AS projection
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (SELECT ${appCols(db)} FROM exam_application a WHERE a.id = ${id} AND a.user_account_id = ${me}) a ON true
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS applied, (count(*) FILTER (WHERE (b.rank_key_at, b.id) < (a.rank_key_at, a.id)))::int AS ahead
      FROM exam_application b WHERE a.status = 'applied' AND b.plan_id = a.plan_id AND b.status = 'applied') q ON true`;
  const r = row!;
  const j = r.application;
  const application: ApplicationRow | null = j ? {
    ...(j as unknown as ApplicationRow),
    rank_key_at: new Date(j.rank_key_at as string), applied_at: new Date(j.applied_at as string),
    decided_at: dateOrNull(j.decided_at), cancelled_at: dateOrNull(j.cancelled_at), result_at: dateOrNull(j.result_at),
  } : null;
  const plan: PlanRow | null = r.plan ? {
    ...(r.plan as unknown as PlanRow), closes_at: new Date(r.plan.closes_at as string), published_at: new Date(r.plan.published_at as string),
  } : null;
  return { session: r.session, application, plan, liveRank: r.live_rank, projection: r.projection };
}
