/**
 * 考试预约 — the pure rules of 第四章第四节 (X-4.4.1 –, PD-13).
 * No SQL, no HTTP, no clock: "today" comes in as an Asia/Shanghai calendar
 * day ('YYYY-MM-DD'), instants as Dates, decided by the caller from `now`.
 */
import { createHash } from 'node:crypto';
import { addCalendarYears, addDays, startOfShanghaiDay } from '../../platform/calendar.ts';

export type RefusalCode =
  | 'exams.units_cannot_book'
  | 'exams.no_permit'
  | 'exams.permit_void'
  | 'exams.permit_expired'
  | 'exams.subject_passed'
  | 'exams.subject_order'
  | 'exams.waiting_period'
  | 'exams.sittings_exhausted'
  | 'exams.rebook_wait'
  | 'exams.plan_closed'
  | 'exams.plan_class'
  | 'exams.location_changes'
  | 'exams.location_large_class'
  | 'exams.cancel_after_cut_off'
  | 'exams.cancel_too_late'
  | 'exams.not_cancellable'
  | 'exams.publish_too_late'
  | 'exams.result_too_early'
  | 'exams.result_retake_needed'
  | 'exams.permit_application_not_accepted'
  | 'exams.permit_class';
export type Refusal = { ok: false; code: RefusalCode; params?: Record<string, string | number> };
const refuse = (code: RefusalCode, params?: Record<string, string | number>): Refusal => (params ? { ok: false, code, params } : { ok: false, code });

export type Subject = 1 | 2 | 3;
export type LicenceClass = 'A1' | 'A2' | 'A3' | 'B1' | 'B2' | 'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'D' | 'E' | 'F';

/** 大型车: the large classes of X-4.4.3 (and the only ones that may not change location, X-4.4.9). */
export const LARGE_CLASSES: readonly LicenceClass[] = ['A1', 'A2', 'A3', 'B1', 'B2'];
export const isLarge = (c: string) => (LARGE_CLASSES as readonly string[]).includes(c);

// ---------------------------------------------------------------------------
// the permit's validity and sittings
// ---------------------------------------------------------------------------

export const PERMIT_YEARS = 3;
export const MAX_SITTINGS = 5;
/** a permit issued on `issuedOn` is valid for three years; the last valid day. */
export const permitValidUntil = (issuedOn: string) => addDays(addCalendarYears(issuedOn, PERMIT_YEARS), -1);

// ---------------------------------------------------------------------------
// waiting periods after the permit is issued
// ---------------------------------------------------------------------------

/**
 * days after the permit's issue before a subject may be booked.
 * 科目二: 10 (small classes), 20 (large classes and C6 轻型牵引挂车).
 * 科目三: 20 (C2 小型自动挡, C5 残疾人专用, C3 低速载货, C4 三轮汽车), 30 (C1 小型汽车),
 * 40 (large classes; 30 when an automobile class is already held).
 */
export function waitingDays(cls: string, subject: Subject, holdsAutomobileClass: boolean): number {
  if (subject === 1) return 0;
  if (subject === 2) return isLarge(cls) || cls === 'C6' ? 20 : 10;
  if (isLarge(cls)) return holdsAutomobileClass ? 30 : 40;
  if (cls === 'C1') return 30;
  return 20;
}

// ---------------------------------------------------------------------------
// the rank key
// ---------------------------------------------------------------------------

export type RankKeyKind = 'accepted' | 'last_exam' | 'cancelled' | 'no_show';
export type RankKey = { at: Date; kind: RankKeyKind };

/**
 * first booking → the time the application was accepted; later →
 * the time of the last exam; an own cancellation or no-show → the time of
 * that event; the latest of these counts (equal times: the later event in
 * this order wins, so a no-show at its exam's time reads "no-show").
 */
export function rankKey(p: { acceptedAt: Date; lastExamAt: Date | null; lastCancelledAt: Date | null; lastNoShowAt: Date | null }): RankKey {
  const candidates: RankKey[] = [{ at: p.acceptedAt, kind: 'accepted' }];
  if (p.lastExamAt) candidates.push({ at: p.lastExamAt, kind: 'last_exam' });
  if (p.lastCancelledAt) candidates.push({ at: p.lastCancelledAt, kind: 'cancelled' });
  if (p.lastNoShowAt) candidates.push({ at: p.lastNoShowAt, kind: 'no_show' });
  return candidates.reduce((best, c) => (c.at.getTime() >= best.at.getTime() ? c : best));
}

/** Text order, the one tie-break of every list here (ids, days): deterministic (ADR-033). */
const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** order: the earlier key first; equal keys by application id (deterministic, ADR-033). */
export function compareRank(a: { rankKeyAt: Date; id: string }, b: { rankKeyAt: Date; id: string }): number {
  const d = a.rankKeyAt.getTime() - b.rankKeyAt.getTime();
  if (d !== 0) return d;
  return byText(a.id, b.id);
}

export type Ranked<T> = T & { rank: number; outcome: 'allocated' | 'not_allocated' };

/** the batch — rank ≤ seats is allocated. Pure and deterministic: the same inputs give the same list. */
export function allocate<T extends { rankKeyAt: Date; id: string }>(applications: readonly T[], seats: number): Ranked<T>[] {
  return [...applications].sort(compareRank).map((a, i) => ({ ...a, rank: i + 1, outcome: i < seats ? 'allocated' : 'not_allocated' }));
}

/** The batch's digest: sha256 over "rank|id|outcome" lines, checkable from the public ledger (ADR-033). */
export function allocationDigest(ranked: readonly { rank: number; id: string; outcome: string }[]): string {
  const h = createHash('sha256');
  for (const r of ranked) h.update(`${r.rank}|${r.id}|${r.outcome}\n`);
  return h.digest('hex');
}

/** What the applicant is shown while collecting: seats left for her rank or not (PD-13). */
export const projectedOutcome = (rank: number, seats: number): 'within_seats' | 'beyond_seats' => (rank <= seats ? 'within_seats' : 'beyond_seats');

// ---------------------------------------------------------------------------
// plans and their cut-off
// ---------------------------------------------------------------------------

export const PUBLISH_DAYS_AHEAD = 10;
export const CUT_OFF_DAYS = 5;
export const EXTENDED_CUT_OFF_DAYS = 3;

/** a plan is published at least ten days before its exam day. */
export function decidePublish(examDate: string, today: string): { ok: true } | Refusal {
  const earliest = addDays(today, PUBLISH_DAYS_AHEAD);
  if (examDate < earliest) return refuse('exams.publish_too_late', { examDate, earliest });
  return { ok: true };
}

/** bookings stop on the 5th day before the exam: collection ends at 00:00 of that day (Asia/Shanghai). */
export const cutOffAt = (examDate: string) => startOfShanghaiDay(addDays(examDate, -CUT_OFF_DAYS));
/** an unfilled plan stays open until the 3rd day before. */
export const extendedCutOffAt = (examDate: string) => startOfShanghaiDay(addDays(examDate, -EXTENDED_CUT_OFF_DAYS));

/** at the 5th-day cut-off, a plan with fewer applications than seats stays open until the 3rd day. */
export function atCutOff(p: { extended: boolean; applicants: number; seats: number }): 'allocate' | 'extend' {
  return !p.extended && p.applicants < p.seats ? 'extend' : 'allocate';
}

// ---------------------------------------------------------------------------
// may this permit apply for this plan?
// ---------------------------------------------------------------------------

export type PermitFacts = {
  class: string;
  status: 'active' | 'void' | 'completed';
  issuedOn: string;
  validUntil: string;
  holdsAutomobileClass: boolean;
  passed: { 1: string | null; 2: string | null; 3: string | null };
  sittings: { 2: number; 3: number };
  rebookFrom: { 2: string | null; 3: string | null };
  examStationId: string | null;
  locationChanges: number;
};
export type PlanFacts = { subject: Subject; classes: readonly string[]; examDate: string; stationId: string; closesAt: Date; status: string; together23: boolean };

/** X-4.4.1 / PD-6: only personal accounts; units do not book exams. */
export function decideAccountKind(kind: 'personal' | 'organisation'): { ok: true } | Refusal {
  return kind === 'personal' ? { ok: true } : refuse('exams.units_cannot_book');
}

/** the first day the subject may be booked. */
export const mayBookFrom = (p: Pick<PermitFacts, 'class' | 'issuedOn' | 'holdsAutomobileClass'>, subject: Subject) =>
  addDays(p.issuedOn, waitingDays(p.class, subject, p.holdsAutomobileClass));

/**
 * The permit's own rules for a subject, in the order an applicant meets them:
 * X-4.4.4 (void, expired, five sittings), X-4.4.2 (order), X-4.4.3 (waiting
 * period, with the day from which she may book), X-4.4.5 (ten days after an
 * ended sitting).
 */
export function decideSubject(p: PermitFacts, subject: Subject, today: string, together23: boolean): { ok: true } | Refusal {
  if (p.status === 'void') return refuse('exams.permit_void');
  if (today > p.validUntil || p.status === 'completed') return refuse('exams.permit_expired', { validUntil: p.validUntil });
  if (p.passed[subject]) return refuse('exams.subject_passed', { subject, passedOn: p.passed[subject]! });
  if (subject !== 1 && !p.passed[1]) return refuse('exams.subject_order', { subject, required: 1 });
  if (subject === 3 && !p.passed[2] && !together23) return refuse('exams.subject_order', { subject, required: 2 });
  const from = mayBookFrom(p, subject);
  if (today < from) return refuse('exams.waiting_period', { subject, from, days: waitingDays(p.class, subject, p.holdsAutomobileClass), issuedOn: p.issuedOn });
  // Stryker disable next-line ConditionalExpression: `subject !== 1` → true is equivalent — PermitFacts holds sittings and re-booking days only for 科目二/三, so for 科目一 both read undefined and refuse nothing (rules-mutation.test.ts)
  if (subject !== 1) {
    if (p.sittings[subject] >= MAX_SITTINGS) return refuse('exams.sittings_exhausted', { subject, max: MAX_SITTINGS });
    const rebook = p.rebookFrom[subject];
    if (rebook && today < rebook) return refuse('exams.rebook_wait', { subject, from: rebook });
  }
  return { ok: true };
}

/** Is the change of exam station a location change, and is it allowed (X-4.4.9: at most three, small classes only)? */
export function decideLocation(p: Pick<PermitFacts, 'class' | 'examStationId' | 'locationChanges'>, stationId: string): { ok: true; change: boolean } | Refusal {
  if (p.examStationId === null || p.examStationId === stationId) return { ok: true, change: false };
  if (isLarge(p.class)) return refuse('exams.location_large_class');
  if (p.locationChanges >= 3) return refuse('exams.location_changes', { max: 3, used: p.locationChanges });
  return { ok: true, change: true };
}

/** Everything for one application: the plan still collecting, the class, the subject's rules, the location. */
export function decideApplication(p: PermitFacts, plan: PlanFacts, now: Date, today: string): { ok: true; locationChange: boolean } | Refusal {
  if (plan.status !== 'open' || now.getTime() >= plan.closesAt.getTime()) return refuse('exams.plan_closed', { closesAt: plan.closesAt.toISOString() });
  if (!plan.classes.includes(p.class)) return refuse('exams.plan_class', { class: p.class });
  const s = decideSubject(p, plan.subject, today, plan.together23);
  if (!s.ok) return s;
  if (plan.examDate > p.validUntil) return refuse('exams.permit_expired', { validUntil: p.validUntil });
  const loc = decideLocation(p, plan.stationId);
  if (!loc.ok) return loc;
  return { ok: true, locationChange: loc.change };
}

// ---------------------------------------------------------------------------
// cancellation
// ---------------------------------------------------------------------------

/**
 * cancel at least one day before the exam; online only until the
 * plan's cut-off, after that at the counter (with ID).
 */
export function decideCancellation(a: { status: string }, plan: { examDate: string; closesAt: Date }, via: 'online' | 'counter', now: Date, today: string): { ok: true } | Refusal {
  if (a.status !== 'applied' && a.status !== 'allocated') return refuse('exams.not_cancellable', { status: a.status });
  if (today > addDays(plan.examDate, -1)) return refuse('exams.cancel_too_late', { examDate: plan.examDate, lastDay: addDays(plan.examDate, -1) });
  if (via === 'online' && now.getTime() >= plan.closesAt.getTime()) return refuse('exams.cancel_after_cut_off', { closesAt: plan.closesAt.toISOString() });
  return { ok: true };
}

// ---------------------------------------------------------------------------
// results
// ---------------------------------------------------------------------------

export const REBOOK_WAIT_DAYS = 10;
export type FirstOutcome = 'pass' | 'fail' | 'absent';
export type RetakeOutcome = 'pass' | 'fail' | 'skipped';
export type ResultEffect = {
  status: 'passed' | 'failed' | 'absent';
  /** counts as a sitting of 科目二/三 */
  sitting: boolean;
  /** the day from which the subject may be re-booked */
  rebookFrom: string | null;
  /** a no-show moves the key to its own time */
  noShow: boolean;
  /** the fifth failed sitting voids the permit and the subjects passed */
  voidsPermit: boolean;
};

/**
 * The result of one sitting: a pass; a fail with the free retake
 * passed or not; an absence, which counts as a fail. A sitting that
 * ends failed may be re-booked only ten days later (十日后); the fifth failed
 * sitting of 科目二/三 voids the permit.
 */
export function decideResult(
  input: { first: FirstOutcome; retake?: RetakeOutcome | null },
  ctx: { subject: Subject; examDate: string; sittingsBefore: number },
  today: string,
): ResultEffect | Refusal {
  if (today < ctx.examDate) return refuse('exams.result_too_early', { examDate: ctx.examDate });
  if (input.first === 'fail' && !input.retake) return refuse('exams.result_retake_needed');
  const passed = input.first === 'pass' || (input.first === 'fail' && input.retake === 'pass');
  const sitting = ctx.subject !== 1;
  if (passed) return { status: 'passed', sitting, rebookFrom: null, noShow: false, voidsPermit: false };
  const rebookFrom = addDays(ctx.examDate, REBOOK_WAIT_DAYS);
  const voidsPermit = sitting && ctx.sittingsBefore + 1 >= MAX_SITTINGS;
  return { status: input.first === 'absent' ? 'absent' : 'failed', sitting, rebookFrom, noShow: input.first === 'absent', voidsPermit };
}

/** The 预约凭证 / application reference: EX + exam day + 6 characters (no I, O, 0, 1). */
export function applicationReference(examDate: string, random: Uint8Array): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let s = '';
  for (let i = 0; i < 6; i++) s += alphabet[random[i]! % alphabet.length];
  return `EX${examDate.replaceAll('-', '')}${s}`;
}

/** The public ledger masks the reference: the last four characters only. */
export const maskReference = (ref: string) => `${'*'.repeat(Math.max(0, ref.length - 4))}${ref.slice(-4)}`;

// ---------------------------------------------------------------------------
// PD-13 — the projected exam date (ADR-039)
// ---------------------------------------------------------------------------

export type SeatsOfPlan = { examDate: string; session: 'am' | 'pm'; seatsFree: number };

/**
 * X-4.4.8 / PD-13: the projected exam date of an applicant at `rank`. The
 * published plans still collecting for her station, subject and class, from
 * her own plan on, are taken in date order (morning before afternoon); the
 * first one at which their free seats, added up, reach her rank is her
 * projected date. `null` ("no date yet") when the published plans do not
 * reach it. Pure: the same rank and plans give the same date.
 */
export function projectedDate(rank: number, plans: readonly SeatsOfPlan[]): { examDate: string; session: 'am' | 'pm'; seatsCounted: number } | null {
  if (!Number.isInteger(rank) || rank < 1) return null;
  // 'YYYY-MM-DD' + 'am'/'pm': the text order is date order, morning before afternoon
  const ordered = [...plans].sort((a, b) => byText(a.examDate + a.session, b.examDate + b.session));
  let seats = 0;
  for (const p of ordered) {
    seats += Math.max(0, p.seatsFree);
    if (seats >= rank) return { examDate: p.examDate, session: p.session, seatsCounted: seats };
  }
  return null;
}

// ---------------------------------------------------------------------------
// — a seat freed after the batch (ADR-039)
// ---------------------------------------------------------------------------

/**
 * a seat freed after the batch (an allocated applicant
 * cancels, online or at the counter, at the latest the day before the exam)
 * goes to the next applicants by rank who were not allocated and still wait.
 * How many seats to fill: the free seats of an allocated plan, and none from
 * the exam day on (the rule book's last day to cancel is the day before, so a
 * seat freed later could not be taken up in time).
 */
export function seatsToRefill(p: { status: string; seats: number; held: number; examDate: string }, today: string): number {
  if (p.status !== 'allocated') return 0;
  if (today >= p.examDate) return 0;
  return Math.max(0, p.seats - p.held);
}

/** who gets the freed seats — the waiting applicants in rank order, the first `free` of them. */
export function nextByRank<T extends { rank: number; id: string }>(waiting: readonly T[], free: number): T[] {
  return [...waiting].sort((a, b) => a.rank - b.rank || byText(a.id, b.id)).slice(0, Math.max(0, free));
}

// ---------------------------------------------------------------------------
// issuing the learner permit (ADR-039)
// ---------------------------------------------------------------------------

/**
 * a 学习驾驶证明 is issued after an accepted first application (学员);
 * issuing it starts the waiting periods of and the three-year
 * validity of X-4.4.4 (both counted from `issuedOn`).
 */
export function decidePermitIssue(app: { status: string; classes: string }, today: string): { ok: true; class: LicenceClass; issuedOn: string; validUntil: string } | Refusal {
  if (app.status !== 'accepted') return refuse('exams.permit_application_not_accepted', { status: app.status });
  const cls = app.classes.trim().toUpperCase();
  if (!(['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'D', 'E', 'F'] as const).includes(cls as LicenceClass)) {
    return refuse('exams.permit_class', { class: app.classes });
  }
  return { ok: true, class: cls as LicenceClass, issuedOn: today, validUntil: permitValidUntil(today) };
}
