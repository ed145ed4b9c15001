/**
 * The staff side of 考试预约: exam-station operators publish plans
 * and enter results; 管理岗 sees plans, allocations and
 * anomalies; 受理岗 cancels at the counter after the cut-off.
 */
import type { Db, Sql } from '../../db.ts';
import type { Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import type { RevealTarget } from '../../platform/personal-data.ts';
import * as repo from './repo.ts';
import { cutOffAt, decidePublish, decideResult, type FirstOutcome, type RetakeOutcome } from './rules.ts';
import { applicationDto, cancelApplication, permitKey, planDto, sessionStart, staffApplicationDto, staffScope, SUBJECT_NAMES, type StaffActor } from './service.ts';
import { checkAllocation, scheduleAllocation } from './allocation.ts';

export type PlanInput = { subject: 1 | 2 | 3; classes: string[]; examDate: string; session: 'am' | 'pm'; seats: number };

/** the operator publishes a plan of her station ≥ 10 days ahead; its batch is queued at the cut-off. */
export async function publishPlan(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: PlanInput, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const scope = await staffScope(tx, staff);
    if (!scope.stationId) throw new DomainError('exams.no_station');
    const st = (await repo.station(tx, scope.stationId))!;
    const d = decidePublish(input.examDate, shanghaiDay(meta.now));
    if (!d.ok) throw refuse(d, 'examDate');
    const closesAt = cutOffAt(input.examDate);
    const id = await repo.insertPlan(tx, { stationId: st.id, authorityId: st.authority_id, ...input, classes: [...new Set(input.classes)].sort(), closesAt, now: meta.now, staffId: actor.id });
    await scheduleAllocation(tx, id, closesAt, meta.now);
    await writeAudit(tx, actor, meta, { action: 'exams.plan_published', entityType: 'exam_plan', entityId: id, authorityId: st.authority_id, after: { ...input, closesAt: closesAt.toISOString() } });
    return staffPlanDto({ ...(await repo.plan(tx, id))!, allocated: null, digest: null, allocated_at: null });
  });
}

type StaffPlanRow = repo.PlanRow & { allocated: number | null; digest: string | null; allocated_at: Date | null };
/** What 管理岗 is warned about: a batch overdue, a plan nobody applied for, a plan allocated with seats left. */
export function anomaliesOf(x: StaffPlanRow, now: Date): string[] {
  const out: string[] = [];
  if (x.status === 'open' && now.getTime() > x.closes_at.getTime() + 15 * 60_000) out.push('allocation_overdue');
  if (x.status === 'allocated' && x.applicants === 0) out.push('no_applicants');
  if (x.status === 'allocated' && x.allocated !== null && x.allocated < x.seats) out.push('seats_left');
  return out;
}
export function staffPlanDto(x: StaffPlanRow, now?: Date) {
  return {
    ...planDto(x), stationId: x.station_id, stationName: x.station_name,
    allocation: x.digest ? { allocated: x.allocated!, digest: x.digest, allocatedAt: x.allocated_at!.toISOString() } : null,
    anomalies: now ? anomaliesOf(x, now) : [],
  };
}

export async function listPlans(sql: Sql, staff: StaffPrincipal, q: { offset: number; limit: number; desc: boolean; status?: string; subject?: number }, now: Date) {
  const scope = await staffScope(sql, staff);
  const { rows, total } = await repo.staffPlans(sql, { ...scope, status: q.status, subject: q.subject }, q);
  return { rows: rows.map((r) => staffPlanDto(r, now)), total };
}

/** Plans past their cut-off (allocated, or overdue): the batches and their anomalies. */
export async function listAllocations(sql: Sql, staff: StaffPrincipal, q: { offset: number; limit: number; desc: boolean }, now: Date) {
  const scope = await staffScope(sql, staff);
  const { rows, total } = await repo.staffPlans(sql, { ...scope, closedBy: now }, q);
  return { rows: rows.map((r) => staffPlanDto(r, now)), total };
}

export async function getPlan(sql: Sql, staff: StaffPrincipal, id: string, now: Date) {
  const scope = await staffScope(sql, staff);
  const { rows } = await repo.staffPlans(sql, scope, { offset: 0, limit: 1000, desc: false });
  const x = rows.find((r) => r.id === id);
  if (!x) throw new DomainError('exams.plan_not_found');
  const check = x.status === 'allocated' ? await checkAllocation(sql, id) : null;
  return { ...staffPlanDto(x, now), check };
}

export async function listApplications(sql: Sql, staff: StaffPrincipal, f: { planId?: string; status?: string; reference?: string }, page: { offset: number; limit: number }) {
  const scope = await staffScope(sql, staff);
  const { rows, total } = await repo.staffApplications(sql, { ...scope, ...f }, page);
  return { rows: rows.map(staffApplicationDto), total };
}

async function applicationInScope(db: Db, staff: StaffPrincipal, id: string, lock = false) {
  const scope = await staffScope(db, staff);
  const a = await repo.application(db, id, lock);
  if (!a) throw new DomainError('exams.application_not_found');
  const { rows } = await repo.staffApplications(db, { ...scope, reference: a.reference }, { offset: 0, limit: 1 });
  if (rows.length === 0) throw new DomainError('exams.application_not_found');
  return { a, row: rows[0]! };
}

/** ADR-024 / ADR-039: the candidate's full ID number, for a logged reveal — read in the staff member's scope, as the show endpoint. */
export async function revealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const { a, row } = await applicationInScope(db, staff, id);
  const [p] = await db<{ person_id: string }[]>`SELECT person_id FROM learner_permit WHERE id = ${a.permit_id}`;
  return { subject: { userAccountId: a.user_account_id, personId: p?.person_id ?? null }, fields: { idNumber: { kind: 'id_number', value: row.id_number } } };
}

export async function getApplication(sql: Sql, staff: StaffPrincipal, id: string) {
  return staffApplicationDto((await applicationInScope(sql, staff, id)).row);
}

/**
 * The exam station enters a sitting's result:
 * pass; fail with the free retake's outcome; absent (a no-show counts as a
 * fail and moves the rank key to its time). A failed sitting of 科目二/三 is a
 * sitting of the five and blocks re-booking for ten days;
 * the fifth failed one voids the permit.
 */
export async function recordResult(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { first: FirstOutcome; retake?: RetakeOutcome | null }, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const { a } = await applicationInScope(tx, staff, id, true);
    if (a.status !== 'allocated') throw new DomainError('exams.result_not_allowed');
    const x = (await repo.plan(tx, a.plan_id))!;
    const p = (await repo.permit(tx, a.permit_id, true))!;
    const sittingsBefore = a.subject === 2 ? p.sittings2 : a.subject === 3 ? p.sittings3 : 0;
    const eff = decideResult(input, { subject: a.subject, examDate: x.exam_date, sittingsBefore }, shanghaiDay(meta.now));
    if ('ok' in eff) throw refuse(eff, 'first');
    const examAt = sessionStart(x.exam_date, x.session);
    await tx`UPDATE exam_application SET status = ${eff.status}, first_outcome = ${input.first}, retake_outcome = ${input.retake ?? null},
      result_at = ${meta.now}, result_by = ${actor.id} WHERE id = ${a.id}`;
    const s = a.subject;
    await tx`UPDATE learner_permit SET
        subject1_passed_on = CASE WHEN ${s}::int = 1 AND ${eff.status} = 'passed' THEN ${x.exam_date}::date ELSE subject1_passed_on END,
        subject2_passed_on = CASE WHEN ${s}::int = 2 AND ${eff.status} = 'passed' THEN ${x.exam_date}::date ELSE subject2_passed_on END,
        subject3_passed_on = CASE WHEN ${s}::int = 3 AND ${eff.status} = 'passed' THEN ${x.exam_date}::date ELSE subject3_passed_on END,
        sittings2 = sittings2 + CASE WHEN ${s}::int = 2 AND ${eff.sitting} THEN 1 ELSE 0 END,
        sittings3 = sittings3 + CASE WHEN ${s}::int = 3 AND ${eff.sitting} THEN 1 ELSE 0 END,
        rebook2_from = CASE WHEN ${s}::int = 2 THEN ${eff.rebookFrom}::date ELSE rebook2_from END,
        rebook3_from = CASE WHEN ${s}::int = 3 THEN ${eff.rebookFrom}::date ELSE rebook3_from END,
        last_exam_at = CASE WHEN ${eff.noShow} THEN last_exam_at ELSE ${examAt}::timestamptz END,
        last_no_show_at = CASE WHEN ${eff.noShow} THEN ${examAt}::timestamptz ELSE last_no_show_at END,
        status = CASE WHEN ${eff.voidsPermit} THEN 'void' ELSE status END,
        void_reason = CASE WHEN ${eff.voidsPermit} THEN 'fifth_failed_sitting' ELSE void_reason END,
        updated_at = ${meta.now}
      WHERE id = ${p.id}`;
    const after = (await repo.permit(tx, p.id))!;
    const key = permitKey(after);
    await repo.moveOpenKeys(tx, p.id, key.at, key.kind);
    await writeAudit(tx, actor, meta, {
      action: 'exams.result_recorded', entityType: 'exam_application', entityId: a.id, authorityId: x.authority_id,
      before: { status: a.status, rankKey: { at: permitKey(p).at.toISOString(), kind: permitKey(p).kind } },
      after: { status: eff.status, first: input.first, retake: input.retake ?? null, rebookFrom: eff.rebookFrom, voidsPermit: eff.voidsPermit, rankKey: { at: key.at.toISOString(), kind: key.kind } },
    });
    const [u] = a.user_account_id ? await tx<{ phone: string }[]>`SELECT phone FROM user_account WHERE id = ${a.user_account_id}` : [];
    if (u) {
      const resultName = eff.status === 'passed' ? '合格' : eff.status === 'absent' ? '缺考（按不合格处理），十日后可再次预约' : '不合格，十日后可再次预约';
      await enqueueMessage(tx, { channel: 'sms', recipient: u.phone, template: 'exams.result', authorityId: x.authority_id, dedupeKey: `exams.result_entered:${a.id}`,
        payload: { examDate: x.exam_date, subjectName: SUBJECT_NAMES[x.subject], resultName } }, meta.now);
    }
    // the sitting is over — its case (booking, allocation, result) goes to the electronic archive
    await archiveCase(tx, actor, meta, {
      businessType: 'exam', caseRef: a.reference, entityIds: [a.id], authorityId: x.authority_id, personId: p.person_id, userAccountId: a.user_account_id,
      data: {
        subject: a.subject, planId: x.id, examDate: x.exam_date, session: x.session, result: eff.status, first: input.first, retake: input.retake ?? null,
        rebookFrom: eff.rebookFrom, voidsPermit: eff.voidsPermit, permitId: p.id, permitClass: p.class,
      },
      finishedAt: meta.now,
    });
    return getApplicationTx(tx, staff, a.id);
  });
}

const getApplicationTx = async (tx: Db, staff: StaffPrincipal, id: string) => staffApplicationDto((await applicationInScope(tx, staff, id)).row);

/** after the cut-off, 受理岗 cancels at the window (the candidate shows her ID), until the day before the exam. */
export async function counterCancel(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const { a } = await applicationInScope(tx, staff, id, true);
    const x = (await repo.plan(tx, a.plan_id))!;
    if (meta.now.getTime() < x.closes_at.getTime()) throw new DomainError('exams.counter_cut_off_first');
    await cancelApplication(tx, actor, a, 'counter', meta);
    return getApplicationTx(tx, staff, a.id);
  });
}

export { applicationDto };
