/**
 * 考试预约 use cases (X-4.4.1 –, PD-13; ADR-032, ADR-033). One
 * transaction each: load → decide (rules.ts) → write (repo.ts) → audit +
 * outbox, all in the transaction that makes the change.
 */
import type { Db, Sql } from '../../db.ts';
import { readsOf, type Actor, type Citizen, type Deps, type RequestMeta, type StaffPrincipal } from '../../core/context.ts';
import { deferredCitizen } from '../../platform/sessions.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { referenceSource, withFreshReference } from '../../platform/references.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { shanghaiDay, startOfShanghaiDay } from '../../platform/calendar.ts';
import { maskIdNumber, maskPhone } from '../../platform/check-digits.ts';
import * as repo from './repo.ts';
import { scheduleRefill } from './allocation.ts';
import {
  applicationReference, decideAccountKind, decideApplication, decideCancellation, decideSubject, maskReference, mayBookFrom, projectedDate, projectedOutcome,
  rankKey, waitingDays, type PermitFacts, type RankKey,
} from './rules.ts';

export type UserActor = Actor & { kind: 'user' };
export type StaffActor = Actor & { kind: 'staff' };
export const systemActor: Actor = { kind: 'system', label: 'exams' };

export const SUBJECT_NAMES = { 1: '科目一', 2: '科目二', 3: '科目三' } as const;
export const SESSION_NAMES = { am: '上午', pm: '下午' } as const;
/** The time a session starts (Asia/Shanghai): the "time of the exam" of. */
export const sessionStart = (examDate: string, session: 'am' | 'pm') =>
  new Date(startOfShanghaiDay(examDate).getTime() + (session === 'am' ? 8.5 : 13.5) * 3600_000);

// ---------------------------------------------------------------------------
// DTOs
// ---------------------------------------------------------------------------

export function permitFacts(p: repo.PermitRow): PermitFacts {
  return {
    class: p.class, status: p.status, issuedOn: p.issued_on, validUntil: p.valid_until, holdsAutomobileClass: p.holds_automobile_class,
    passed: { 1: p.subject1_passed_on, 2: p.subject2_passed_on, 3: p.subject3_passed_on },
    sittings: { 2: p.sittings2, 3: p.sittings3 },
    rebookFrom: { 2: p.rebook2_from, 3: p.rebook3_from },
    examStationId: p.exam_station_id, locationChanges: p.location_changes,
  };
}
export const permitKey = (p: repo.PermitRow): RankKey =>
  rankKey({ acceptedAt: p.accepted_at, lastExamAt: p.last_exam_at, lastCancelledAt: p.last_cancelled_at, lastNoShowAt: p.last_no_show_at });
const keyDto = (k: { at: Date; kind: string }) => ({ at: k.at.toISOString(), kind: k.kind as RankKey['kind'] });

function permitDto(p: repo.PermitRow, today: string) {
  const f = permitFacts(p);
  const subjects = ([1, 2, 3] as const).map((s) => {
    const d = decideSubject(f, s, today, true);
    return {
      subject: s, passedOn: f.passed[s], sittings: s === 1 ? null : f.sittings[s], waitingDays: waitingDays(p.class, s, p.holds_automobile_class),
      mayBookFrom: mayBookFrom(f, s), rebookFrom: s === 1 ? null : f.rebookFrom[s], bookable: d.ok, refusal: d.ok ? null : { code: d.code, params: d.params ?? null },
    };
  });
  return {
    id: p.id, kind: p.kind, class: p.class, issuedOn: p.issued_on, validUntil: p.valid_until, status: p.status, voidReason: p.void_reason,
    rankKey: keyDto(permitKey(p)), examStation: p.exam_station_id ? { id: p.exam_station_id, name: p.exam_station_name ?? '' } : null,
    locationChanges: p.location_changes, subjects,
  };
}

function planDto(x: repo.PlanRow) {
  return {
    id: x.id, subject: x.subject, classes: x.classes, examDate: x.exam_date, session: x.session, seats: x.seats, applicants: x.applicants,
    status: x.status, closesAt: x.closes_at.toISOString(), extended: x.extended, publishedAt: x.published_at.toISOString(),
    station: { id: x.station_id, name: x.station_name, address: x.station_address, phone: x.station_phone },
  };
}

/** The applicant's view of one application (PD-13): rank, key, seats, projected date, 预约凭证 once allocated — from rows already read. */
function applicationView(a: repo.ApplicationRow, x: repo.PlanRow, liveRank: number | null, plans: readonly { exam_date: string; session: 'am' | 'pm'; seats: number }[] | null) {
  const rank = a.status === 'applied' ? liveRank : a.rank;
  const allocated = ['allocated', 'passed', 'failed', 'absent'].includes(a.status);
  // PD-13 (ADR-039): the projected date from the live rank and the seats of the plans still collecting, from hers on
  const projection = a.status === 'applied' && rank !== null
    ? projectedDate(rank, (plans ?? []).map((p) => ({ examDate: p.exam_date, session: p.session, seatsFree: p.seats })))
    : null;
  return {
    id: a.id, reference: a.reference, subject: a.subject, status: a.status, appliedAt: a.applied_at.toISOString(),
    rank, rankKey: keyDto({ at: a.rank_key_at, kind: a.rank_key_kind }),
    projected: a.status === 'applied' && rank !== null ? projectedOutcome(rank, x.seats) : null,
    projectedDate: a.status === 'applied' && rank !== null ? { examDate: projection?.examDate ?? null, session: projection?.session ?? null } : null,
    decidedAt: a.decided_at?.toISOString() ?? null, cancelledAt: a.cancelled_at?.toISOString() ?? null, cancelledVia: a.cancelled_via,
    result: a.first_outcome ? { first: a.first_outcome, retake: a.retake_outcome } : null,
    plan: planDto(x),
    // 预约凭证: printable once allocated
    receipt: allocated ? { reference: a.reference, examDate: x.exam_date, session: x.session, stationName: x.station_name, stationAddress: x.station_address, rank: a.rank! } : null,
  };
}

async function applicationDto(db: Db, a: repo.ApplicationRow, x: repo.PlanRow) {
  const applied = a.status === 'applied';
  return applicationView(a, x, applied ? await repo.liveRank(db, a.plan_id, a.rank_key_at, a.id) : null, applied ? await repo.projectionPlans(db, a.plan_id, a.permit_id) : null);
}
export type ApplicationDto = Awaited<ReturnType<typeof applicationDto>>;

// ---------------------------------------------------------------------------
// Citizens
// ---------------------------------------------------------------------------

async function personOf(db: Db, userId: string) {
  const u = await repo.account(db, userId);
  if (!u) throw new DomainError('auth.required');
  if (u.status !== 'active') throw new DomainError('auth.account_suspended');
  const k = decideAccountKind(u.kind);
  if (!k.ok) throw refuse(k);
  return u as repo.AccountRow & { person_id: string };
}

/** My learner permits, each subject with whether it can be booked now and from when. */
export async function myPermits(sql: Sql, userId: string, now: Date) {
  const u = await personOf(sql, userId);
  const today = shanghaiDay(now);
  return { permits: (await repo.permitsOf(sql, u.person_id)).map((p) => permitDto(p, today)), asOf: now.toISOString() };
}

/** The plans still collecting for my live permit's class. */
export async function openPlans(sql: Sql, userId: string, q: { subject?: number }, now: Date) {
  const u = await personOf(sql, userId);
  const p = (await repo.permitsOf(sql, u.person_id)).find((x) => x.status === 'active');
  if (!p) return { plans: [], asOf: now.toISOString() };
  return { plans: (await repo.openPlans(sql, { cls: p.class, subject: q.subject, now })).map(planDto), asOf: now.toISOString() };
}

/**
 * Apply for a plan. Nothing is
 * allocated here: the application joins the plan's queue with the permit's
 * rank key and is allocated in the batch after the cut-off (PD-13).
 * The permit row is locked, so two requests of one person queue; the unique
 * index keeps one open application per subject.
 */
export async function apply(deps: Deps, actor: UserActor, input: { planId: string }, meta: RequestMeta) {
  const today = shanghaiDay(meta.now);
  // A second open application of the subject is refused by exam_application_one_open (descriptor's constraints).
  // The reference is drawn at random: one already taken fails the transaction on its unique index, and the
  // application is tried again with another (ADR-041).
  return withFreshReference([repo.APPLICATION_REFERENCE_KEY], () => deps.sql.begin(async (tx) => {
    const u = await personOf(tx, actor.id);
    const live = (await repo.permitsOf(tx, u.person_id)).find((x) => x.status === 'active') ?? (await repo.permitsOf(tx, u.person_id))[0];
    if (!live) throw new DomainError('exams.no_permit');
    const p = (await repo.permit(tx, live.id, true))!;
    const x = await repo.plan(tx, input.planId, 'share');
    if (!x) throw new DomainError('exams.plan_not_found', { field: 'planId' });
    const d = decideApplication(permitFacts(p), { subject: x.subject, classes: x.classes, examDate: x.exam_date, stationId: x.station_id, closesAt: x.closes_at, status: x.status, together23: x.together23 }, meta.now, today);
    if (!d.ok) throw refuse(d, 'planId');
    if (d.locationChange || p.exam_station_id === null) {
      await tx`UPDATE learner_permit SET exam_station_id = ${x.station_id}, location_changes = location_changes + ${d.locationChange ? 1 : 0}, updated_at = ${meta.now} WHERE id = ${p.id}`;
    }
    const key = permitKey(p);
    const reference = applicationReference(x.exam_date, referenceSource.bytes(6));
    const id = await repo.insertApplication(tx, { reference, planId: x.id, permitId: p.id, userId: actor.id, subject: x.subject, keyAt: key.at, keyKind: key.kind, now: meta.now });
    const a = (await repo.application(tx, id))!;
    const dto = await applicationDto(tx, a, (await repo.plan(tx, x.id))!);
    await writeAudit(tx, actor, meta, {
      action: 'exams.applied', entityType: 'exam_application', entityId: id, authorityId: x.authority_id,
      after: { reference, planId: x.id, subject: x.subject, rankKey: dto.rankKey, rank: dto.rank, locationChange: d.locationChange },
    });
    await enqueueMessage(tx, {
      channel: 'sms', recipient: u.phone, template: 'exams.applied', authorityId: x.authority_id, dedupeKey: `exams.applied:${id}`,
      payload: { reference, examDate: x.exam_date, stationName: x.station_name, subjectName: SUBJECT_NAMES[x.subject], rank: dto.rank ?? 0, seats: x.seats },
    }, meta.now);
    return dto;
  }));
}

async function ownApplication(db: Db, userId: string, id: string) {
  const a = await repo.application(db, id);
  if (!a || a.user_account_id !== userId) throw new DomainError('exams.application_not_found');
  return a;
}

/**
 * One of my applications: rank, key, seats, projected outcome and date, and
 * the 预约凭证 once allocated (PD-13). The rank page is one statement on the
 * pool of short reads, the session included (ADR-017, ADR-039).
 */
export async function getApplication(deps: Deps, citizen: Citizen, id: string, now: Date) {
  const who = 'deferredSession' in citizen ? { sessionId: citizen.deferredSession } : { userId: citizen.id };
  const r = await repo.rankPage(readsOf(deps), who, id);
  if ('deferredSession' in citizen) await deferredCitizen(deps.sql, r.session, now);
  if (!r.application || !r.plan) throw new DomainError('exams.application_not_found');
  return applicationView(r.application, r.plan, r.liveRank, r.projection);
}

export async function listApplications(sql: Sql, userId: string) {
  const rows = await repo.applicationsOf(sql, userId);
  const plans = new Map<string, repo.PlanRow>();
  const out = [];
  for (const a of rows) {
    if (!plans.has(a.plan_id)) plans.set(a.plan_id, (await repo.plan(sql, a.plan_id))!);
    out.push(await applicationDto(sql, a, plans.get(a.plan_id)!));
  }
  return { applications: out };
}

/**
 * cancellation, online (the applicant, until the cut-off) or at the
 * counter (受理岗, after it, until the day before).: an own
 * cancellation moves the permit's rank key to its time.
 */
export async function cancelApplication(tx: Db, actor: Actor, a: repo.ApplicationRow, via: 'online' | 'counter', meta: RequestMeta) {
  const x = (await repo.plan(tx, a.plan_id))!;
  const d = decideCancellation(a, { examDate: x.exam_date, closesAt: x.closes_at }, via, meta.now, shanghaiDay(meta.now));
  if (!d.ok) throw refuse(d);
  await tx`UPDATE exam_application SET status = 'cancelled', cancelled_at = ${meta.now}, cancelled_via = ${via},
    cancelled_by = ${actor.kind === 'staff' ? actor.id : null} WHERE id = ${a.id}`;
  await tx`UPDATE learner_permit SET last_cancelled_at = ${meta.now}, updated_at = ${meta.now} WHERE id = ${a.permit_id}`;
  const p = (await repo.permit(tx, a.permit_id))!;
  const key = permitKey(p);
  await repo.moveOpenKeys(tx, p.id, key.at, key.kind);
  // ADR-039: an allocated seat freed before the exam goes to the next waiting applicant by rank — a durable job, after this commits
  if (a.status === 'allocated') await scheduleRefill(tx, a.plan_id, a.id, meta.now);
  await writeAudit(tx, actor, meta, {
    action: via === 'online' ? 'exams.cancelled' : 'exams.cancelled_at_counter', entityType: 'exam_application', entityId: a.id, authorityId: x.authority_id,
    before: { status: a.status }, after: { status: 'cancelled', via, rankKey: keyDto(key) },
  });
  const [u] = a.user_account_id ? await tx<{ phone: string }[]>`SELECT phone FROM user_account WHERE id = ${a.user_account_id}` : [];
  if (u) {
    await enqueueMessage(tx, {
      channel: 'sms', recipient: u.phone, template: 'exams.cancelled', authorityId: x.authority_id, dedupeKey: `exams.cancelled:${a.id}`,
      payload: { reference: a.reference, examDate: x.exam_date, subjectName: SUBJECT_NAMES[x.subject] },
    }, meta.now);
  }
  return applicationDto(tx, (await repo.application(tx, a.id))!, (await repo.plan(tx, a.plan_id))!);
}

export async function cancelOnline(deps: Deps, actor: UserActor, id: string, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    await ownApplication(tx, actor.id, id);
    return cancelApplication(tx, actor, (await repo.application(tx, id, true))!, 'online', meta);
  });
}

/** The public ledger of an allocated plan: rank, masked reference, key, outcome; anyone can check the order (PD-13, ADR-033). */
export async function publicLedger(sql: Sql, planId: string) {
  const x = await repo.plan(sql, planId);
  const al = x && x.status === 'allocated' ? await repo.allocationOf(sql, planId) : undefined;
  if (!x || !al) throw new DomainError('exams.plan_not_found');
  const rows = await repo.ledger(sql, planId);
  return {
    plan: { id: x.id, subject: x.subject, classes: x.classes, examDate: x.exam_date, session: x.session, seats: x.seats, stationName: x.station_name },
    allocation: { allocatedAt: al.allocated_at.toISOString(), applicants: al.applicants, allocated: al.allocated, digest: al.digest },
    rows: rows.map((r) => ({
      rank: r.rank!, reference: maskReference(r.reference), rankKey: keyDto({ at: r.rank_key_at, kind: r.rank_key_kind }),
      // the current outcome: a seat freed after the batch moves to the next waiting rank (ADR-039)
      outcome: ['allocated', 'passed', 'failed', 'absent'].includes(r.status) ? ('allocated' as const) : r.status === 'cancelled' ? ('cancelled' as const) : ('not_allocated' as const),
    })),
  };
}

// ---------------------------------------------------------------------------
// Staff scope
// ---------------------------------------------------------------------------

/** Exam-station operators see their station's plans; 管理岗 / 受理岗 their authority's (and a province its cities'). */
export async function staffScope(db: Db, staff: StaffPrincipal): Promise<{ stationId?: string; authorityId?: string }> {
  if (staff.roles.includes('exam_operator')) {
    const stationId = await repo.staffExamStation(db, staff.id);
    if (!stationId) throw new DomainError('exams.no_station');
    return { stationId };
  }
  return { authorityId: staff.authorityId };
}

export function staffApplicationDto(r: repo.StaffApplicationRow) {
  return {
    id: r.id, reference: r.reference, planId: r.plan_id, subject: r.subject, status: r.status, rank: r.rank,
    rankKey: keyDto({ at: r.rank_key_at, kind: r.rank_key_kind }), appliedAt: r.applied_at.toISOString(),
    examDate: r.exam_date, session: r.session, stationId: r.station_id, stationName: r.station_name, closesAt: r.closes_at.toISOString(),
    personName: r.person_name, idNumberMasked: maskIdNumber(r.id_number), phoneMasked: r.phone ? maskPhone(r.phone) : null, class: r.class,
    cancelledVia: r.cancelled_via, result: r.first_outcome ? { first: r.first_outcome, retake: r.retake_outcome } : null,
  };
}

export { planDto, applicationDto };
