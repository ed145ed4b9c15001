/**
 * 补换领驾驶证 / 延期 / 提交身体条件证明 — the pure rules of 第四章第一–三节
 * (X-4.1, X-4.2, X-4.3.2, X-4.3.3; PD-2, PD-11). No SQL, no HTTP, no clock:
 * "today" comes in as an Asia/Shanghai calendar day ('YYYY-MM-DD').
 */
import { addCalendarMonths, addCalendarYears, addDays, shanghaiDay, startOfShanghaiDay, type WorkingDayCalendar } from '../../platform/calendar.ts';
import { licenceStateBlocks, type LicenceService } from './licence-states.ts';

/** the four services offered online. */
export const KINDS = ['renewal', 'age_renewal', 'damage_exchange', 'loss_replacement'] as const;
export type Kind = (typeof KINDS)[number];
export const DELIVERIES = ['post', 'pickup'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export const STATUSES = [
  'submitted', 'accepted', 'rejected', 'cancelled', 'produced', 'sent', 'ready_for_pickup',
  'delivered', 'picked_up', 'refused', 'not_collected', 'archived', 'withdrawn', 'core_number_restored',
] as const;
export type Status = (typeof STATUSES)[number];
export const OPEN_STATUSES: readonly Status[] = ['submitted', 'accepted', 'produced', 'sent', 'ready_for_pickup'];

/** */
export const DEFERRAL_KINDS = ['renewal', 'review', 'health_certificate'] as const;
export type DeferralKind = (typeof DEFERRAL_KINDS)[number];
export const DEFERRAL_REASONS = ['military_service', 'abroad', 'other'] as const;
export type DeferralReason = (typeof DEFERRAL_REASONS)[number];

export type RefusalCode =
  | 'licences.personal_only'
  | 'licences.counter_registered_only'
  | 'licences.licence_not_own'
  | 'licences.state_blocked'
  | 'licences.renewal_too_early'
  | 'licences.renewal_counter_only'
  | 'licences.renewal_overdue_cancelled'
  | 'licences.age_renewal_not_due'
  | 'licences.health_certificate_required'
  | 'licences.no_certificate_photo'
  | 'licences.declaration_required'
  | 'licences.onsite_only'
  | 'licences.application_open'
  | 'licences.old_licence_required'
  | 'licences.pickup_not_overdue'
  | 'licences.wrong_status'
  | 'licences.archive_first'
  | 'licences.already_archived'
  | 'licences.nothing_to_destroy'
  | 'licences.deferral_expired'
  | 'licences.deferral_too_late'
  | 'licences.deferral_until_invalid'
  | 'licences.deferral_too_long'
  | 'licences.deferral_note_required'
  | 'licences.no_review_due'
  | 'licences.no_health_obligation'
  | 'licences.not_restorable';
export type Refusal = { ok: false; code: RefusalCode; params?: Record<string, string | number> };
export type Ok = { ok: true };

const refuse = (code: RefusalCode, params?: Record<string, string | number>): Refusal => (params ? { ok: false, code, params } : { ok: false, code });
const OK: Ok = { ok: true };

// ---------------------------------------------------------------------------
// who may apply, for which licence
// ---------------------------------------------------------------------------

export type UserFacts = { kind: 'personal' | 'organisation'; registrationChannel: 'online' | 'counter' };

/** window-registered personal users only. */
export function decideUser(u: UserFacts): Ok | Refusal {
  if (u.kind !== 'personal') return refuse('licences.personal_only');
  if (u.registrationChannel !== 'counter') return refuse('licences.counter_registered_only');
  return OK;
}

/** only the user's own bound licence (an organisation's binding of a driver's licence is not his). */
export function decideBinding(binding: 'own' | 'organisation'): Ok | Refusal {
  return binding === 'own' ? OK : refuse('licences.licence_not_own');
}

/** the licence-state vocabulary decides (licence-states.ts, PD-1). */
export function decideState(state: string, service: LicenceService): Ok | Refusal {
  return licenceStateBlocks(state, service) ? refuse('licences.state_blocked', { state, service }) : OK;
}

// ---------------------------------------------------------------------------
// the 期满换证 window
// ---------------------------------------------------------------------------

/** the first day 期满换证 may be applied for (90 days before the last valid day). */
export function renewalOpensOn(validUntil: string): string {
  return addDays(validUntil, -90);
}

/**
 * online from 90 days before expiry until 11 months after it; from
 * 11 to 12 months after, at the issuing office's counter only; more than a
 * year after, the licence is cancelled (注销) and can be restored within two
 * years by passing 科目一.
 */
export function decideRenewalWindow(validUntil: string, today: string): Ok | Refusal {
  const opensOn = renewalOpensOn(validUntil);
  if (today < opensOn) return refuse('licences.renewal_too_early', { opensOn, validUntil });
  const onlineUntil = addCalendarMonths(validUntil, 11);
  if (today <= onlineUntil) return OK;
  const counterUntil = addCalendarYears(validUntil, 1);
  if (today <= counterUntil) return refuse('licences.renewal_counter_only', { validUntil, counterUntil });
  return refuse('licences.renewal_overdue_cancelled', { validUntil, cancelledOn: addDays(counterUntil, 1), restoreUntil: addCalendarYears(counterUntil, 2) });
}

// ---------------------------------------------------------------------------
// — 超龄换证
// ---------------------------------------------------------------------------

/** Completed years of age on `day`. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const CLASS_ORDER = ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'D', 'E', 'F', 'M', 'N', 'P'];
/** 大型客车, 重型牵引挂车, 城市公交车, 中型客车, 大型货车, 无轨电车, 有轨电车 */
const LARGE = ['A1', 'A2', 'A3', 'B1', 'B2', 'N', 'P'];
/** 普通三轮摩托车, 普通二轮摩托车 */
const MOTORCYCLES = ['D', 'E'];

export function parseClasses(classes: string): string[] {
  return classes.match(/[A-P]\d?/g) ?? [];
}
const joinClasses = (xs: Iterable<string>) => [...new Set(xs)].sort((a, b) => CLASS_ORDER.indexOf(a) - CLASS_ORDER.indexOf(b)).join('');

/**
 * at 60 a holder of large classes changes them for 小型汽车 (C1);
 * at 70 a holder of 普通三轮/二轮摩托 (D, E) changes them for 轻便摩托车 (F).
 * Null when nothing is due.
 */
export function ageDowngrade(classes: string, age: number): string | null {
  const held = parseClasses(classes);
  let next = [...held];
  if (age >= 60 && next.some((c) => LARGE.includes(c))) next = [...next.filter((c) => !LARGE.includes(c)), 'C1'];
  if (age >= 70 && next.some((c) => MOTORCYCLES.includes(c))) next = [...next.filter((c) => !MOTORCYCLES.includes(c)), 'F'];
  const after = joinClasses(next);
  return after === joinClasses(held) ? null : after;
}

export function decideAgeRenewal(classes: string, birthDate: string, today: string): { ok: true; classesAfter: string } | Refusal {
  const age = ageOn(birthDate, today);
  const after = ageDowngrade(classes, age);
  return after ? { ok: true, classesAfter: after } : refuse('licences.age_renewal_not_due', { age, classes });
}

// ---------------------------------------------------------------------------
// what an application needs
// ---------------------------------------------------------------------------

/** 期满 and 超龄 换证 need a 身体条件证明. */
export function needsHealthCertificate(kind: Kind): boolean {
  return kind === 'renewal' || kind === 'age_renewal';
}

/** a networked hospital's certificate, fit, within its six months (the medical module decides "usable"). */
export function decideHealthCertificate(kind: Kind, cert: { source: 'institution' | 'self'; conclusion: 'fit' | 'unfit' } | null): Ok | Refusal {
  if (!needsHealthCertificate(kind)) return OK;
  if (!cert || cert.source !== 'institution' || cert.conclusion !== 'fit') return refuse('licences.health_certificate_required');
  return OK;
}

/** no stored certificate photo → upload one first (R-18 review). */
export function decideCertificatePhoto(hasPhoto: boolean): Ok | Refusal {
  return hasPhoto ? OK : refuse('licences.no_certificate_photo');
}

/** the 申告 must be made. */
export function decideDeclaration(declared: boolean | undefined): Ok | Refusal {
  return declared === true ? OK : refuse('licences.declaration_required');
}

/** two 补换领 of one licence within a year make a third one an on-site case. */
export const SUSPICIOUS_REPLACEMENTS_PER_YEAR = 2;
export function suspiciousSince(today: string): string {
  return addCalendarYears(today, -1);
}
export function decideFrequency(replacementsWithinYear: number): Ok | Refusal {
  return replacementsWithinYear >= SUSPICIOUS_REPLACEMENTS_PER_YEAR ? refuse('licences.onsite_only', { count: replacementsWithinYear }) : OK;
}

export type LicenceFacts = {
  binding: 'own' | 'organisation';
  status: string;
  classes: string;
  validUntil: string;
  birthDate: string;
  hasCertificatePhoto: boolean;
};

/**
 * Whether one kind may be applied for now, before the application's own
 * choices: binding, X-4.1.3/X-4.1.4 state, X-4.1.5 window, X-4.1.6
 * age, X-4.1.8 photo, X-4.1.12 frequency, one open application.
 */
export function decideKind(l: LicenceFacts, kind: Kind, ctx: { today: string; open: boolean; recentReplacements: number }): { ok: true; classesAfter: string } | Refusal {
  const b = decideBinding(l.binding);
  if (!b.ok) return b;
  const s = decideState(l.status, kind);
  if (!s.ok) return s;
  let classesAfter = l.classes;
  if (kind === 'renewal') {
    const w = decideRenewalWindow(l.validUntil, ctx.today);
    if (!w.ok) return w;
  }
  if (kind === 'age_renewal') {
    const a = decideAgeRenewal(l.classes, l.birthDate, ctx.today);
    if (!a.ok) return a;
    classesAfter = a.classesAfter;
  }
  const p = decideCertificatePhoto(l.hasCertificatePhoto);
  if (!p.ok) return p;
  const f = decideFrequency(ctx.recentReplacements);
  if (!f.ok) return f;
  if (ctx.open) return refuse('licences.application_open');
  return { ok: true, classesAfter };
}

/** The new licence's last valid day: 期满换证 adds ten years; the others keep the validity. */
export function newValidUntil(kind: Kind, validUntil: string): string {
  return kind === 'renewal' ? addCalendarYears(validUntil, 10) : validUntil;
}

/** : for 换证 the old licence is handed in at delivery or pickup; a lost one is void. */
export function oldLicenceMustBeHandedIn(kind: Kind): boolean {
  return kind !== 'loss_replacement';
}

// ---------------------------------------------------------------------------
// Deadlines (PD-2, PD-3)
// ---------------------------------------------------------------------------

/** 受理岗 accepts by 24:00 of the next working day (an SLA timer, never auto-approved). */
export function acceptDeadline(cal: WorkingDayCalendar, submittedAt: Date): Date {
  return cal.deadlineAfterWorkingDays(submittedAt, 1);
}

/** one calendar month to collect. */
export function pickupDeadlineDay(readyDay: string): string {
  return addCalendarMonths(readyDay, 1);
}
export function notCollectedAt(deadlineDay: string): Date {
  return startOfShanghaiDay(addDays(deadlineDay, 1));
}
export function isPickupOverdue(deadlineDay: string, now: Date): boolean {
  return shanghaiDay(now) > deadlineDay;
}

// ---------------------------------------------------------------------------
// The lifecycle (X-4.1.10; 档案岗 as)
// ---------------------------------------------------------------------------

export type Command =
  | 'cancel' | 'accept' | 'reject' | 'produce' | 'send' | 'deliver' | 'refuse' | 'pick_up' | 'not_collected'
  | 'archive' | 'destroy_old_licence' | 'restore_core_number' | 'withdraw';

export type AppFacts = {
  status: Status;
  kind: Kind;
  delivery: Delivery;
  archived: boolean;
  oldLicenceHandedOver: boolean | null;
  oldLicenceDestroyed: boolean;
  pickupDeadlineDay: string | null;
};

const FROM: Record<Command, readonly Status[]> = {
  cancel: ['submitted'],
  accept: ['submitted'],
  reject: ['submitted'],
  produce: ['accepted'],
  send: ['produced'],
  deliver: ['sent'],
  refuse: ['sent'],
  pick_up: ['ready_for_pickup'],
  not_collected: ['ready_for_pickup'],
  archive: ['produced', 'sent', 'ready_for_pickup', 'delivered', 'picked_up'],
  destroy_old_licence: ['delivered', 'picked_up', 'archived'],
  restore_core_number: ['refused', 'not_collected'],
  withdraw: ['refused', 'not_collected'],
};

export function transition(app: AppFacts, command: Command, opts: { oldLicenceHandedOver?: boolean; now?: Date } = {}): { ok: true; to: Status } | Refusal {
  if (!FROM[command].includes(app.status)) return refuse('licences.wrong_status', { status: app.status, command });
  switch (command) {
    case 'cancel':
      return { ok: true, to: 'cancelled' };
    case 'accept':
      return { ok: true, to: 'accepted' };
    case 'reject':
      return { ok: true, to: 'rejected' };
    case 'produce':
      return { ok: true, to: 'produced' };
    case 'send':
      return { ok: true, to: app.delivery === 'post' ? 'sent' : 'ready_for_pickup' };
    case 'deliver':
    case 'pick_up':
      if (oldLicenceMustBeHandedIn(app.kind) && opts.oldLicenceHandedOver !== true) return refuse('licences.old_licence_required');
      if (app.archived) return { ok: true, to: 'archived' };
      return { ok: true, to: command === 'deliver' ? 'delivered' : 'picked_up' };
    case 'refuse':
      return { ok: true, to: 'refused' };
    case 'not_collected':
      if (!app.pickupDeadlineDay || !opts.now || !isPickupOverdue(app.pickupDeadlineDay, opts.now)) {
        return refuse('licences.pickup_not_overdue', { lastDay: app.pickupDeadlineDay ?? '' });
      }
      return { ok: true, to: 'not_collected' };
    case 'archive':
      if (app.archived) return refuse('licences.already_archived');
      return { ok: true, to: app.status === 'delivered' || app.status === 'picked_up' ? 'archived' : app.status };
    case 'destroy_old_licence':
      if (app.oldLicenceHandedOver !== true || app.oldLicenceDestroyed) return refuse('licences.nothing_to_destroy');
      return { ok: true, to: app.status };
    case 'restore_core_number':
      return app.archived ? { ok: true, to: 'core_number_restored' } : refuse('licences.archive_first');
    case 'withdraw':
      return app.archived ? refuse('licences.already_archived') : { ok: true, to: 'withdrawn' };
  }
}

/** Reference number: LZ (驾驶证) + authority + Shanghai day + 6 digits. */
export function licenceReference(prefix: 'LZ' | 'YQ', authorityId: string, now: Date, seq: number): string {
  return `${prefix}${authorityId}${shanghaiDay(now).replace(/-/g, '')}${String(seq % 1_000_000).padStart(6, '0')}`;
}

// ---------------------------------------------------------------------------
// deferral (PD-11)
// ---------------------------------------------------------------------------

export type DeferralInput = { kind: DeferralKind; reason: DeferralReason; reasonNote: string; deferredUntil: string };

/**
 * X-4.2.6 (PD-11): the licence's state and end date allow a
 * deferral; online at least one calendar month before the end date; the new
 * date after it and at most three years later; "other" needs its words.
 * (Once per validity period is the database's partial unique index.)
 */
export function decideDeferral(state: string, endDate: string, input: DeferralInput, today: string): Ok | Refusal {
  const s = decideState(state, 'deferral');
  if (!s.ok) return s;
  if (today > endDate) return refuse('licences.deferral_expired', { endDate });
  const lastDay = addCalendarMonths(endDate, -1);
  if (today > lastDay) return refuse('licences.deferral_too_late', { endDate, lastDay });
  if (input.deferredUntil <= endDate) return refuse('licences.deferral_until_invalid', { endDate });
  const maxUntil = addCalendarYears(endDate, 3);
  if (input.deferredUntil > maxUntil) return refuse('licences.deferral_too_long', { endDate, maxUntil });
  if (input.reason === 'other' && input.reasonNote.trim() === '') return refuse('licences.deferral_note_required');
  return OK;
}

/** A verification code for the 延期回执: 8 characters of 0-9 A-Z without look-alikes, from random bytes. */
export function verificationCode(bytes: Uint8Array): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  return Array.from(bytes.slice(0, 8), (b) => alphabet[b % alphabet.length]).join('');
}

// ---------------------------------------------------------------------------
// the health-certificate obligations
// ---------------------------------------------------------------------------

/** 30 days after the 记分周期 ends to submit. */
export const OBLIGATION_WINDOW_DAYS = 30;
/** Reminders before the window closes: when it opens, and 7 days before it closes. */
export const REMINDER_DAYS_BEFORE_CLOSE = 7;

export type HolderFacts = { birthDate: string; classes: string; firstIssuedOn: string };
export type ObligationPurpose = 'age_70_yearly' | 'disability_3y';

/**
 * The scoring cycle runs twelve months from the anniversary of the first
 * issue; a cycle "ends" on an anniversary `A` (the first day of the next
 * one). The latest end on or before `today`, or null before the first.
 */
export function latestCycleEnd(firstIssuedOn: string, today: string): string | null {
  let latest: string | null = null;
  for (let n = 1; ; n++) {
    const a = addCalendarYears(firstIssuedOn, n);
    if (a > today) return latest;
    latest = a;
  }
}

/**
 * what the cycle ending on `cycleEnd` obliges the holder to submit:
 * aged 70 or over on that day → yearly; a disability-vehicle class (C5) →
 * every third cycle. Null when nothing.
 */
export function obligationAt(h: HolderFacts, cycleEnd: string): ObligationPurpose | null {
  if (ageOn(h.birthDate, cycleEnd) >= 70) return 'age_70_yearly';
  const years = Number(cycleEnd.slice(0, 4)) - Number(h.firstIssuedOn.slice(0, 4));
  if (/C5/.test(h.classes) && years > 0 && years % 3 === 0) return 'disability_3y';
  return null;
}

/** the certificates that answer an obligation (a renewal's certificate states the same fitness). */
export function purposesAnswering(p: ObligationPurpose): ('renewal' | 'age_70_yearly' | 'disability_3y')[] {
  return p === 'age_70_yearly' ? ['age_70_yearly', 'renewal'] : ['disability_3y', 'renewal'];
}

/** the submission window of a cycle: from its end, 30 days (last day inclusive). */
export function obligationWindow(cycleEnd: string): { opensOn: string; lastDay: string } {
  return { opensOn: cycleEnd, lastDay: addDays(cycleEnd, OBLIGATION_WINDOW_DAYS - 1) };
}

/** a cycle's obligation lapses into cancellation one year after the cycle ended. */
export function cancellationDay(cycleEnd: string): string {
  return addCalendarYears(cycleEnd, 1);
}

export type SweepFacts = {
  holder: HolderFacts;
  status: string;
  /** Certificates answering the latest cycle (issued on or after its end). */
  answeredLatest: boolean;
  /** Certificates answering the cycle before it, issued within the year after its end. */
  answeredPrevious: boolean;
  /** An accepted 延期提交身体条件证明 covering today. */
  deferredUntil: string | null;
};

export type SweepAction =
  | { kind: 'remind'; which: 'opened' | 'closing'; purpose: ObligationPurpose; cycleEnd: string; lastDay: string }
  | { kind: 'cancel'; cycleEnd: string }
  | { kind: 'none' };

/**
 * The daily decision for one licence:
 * - the cycle before the latest ended a year ago or more, the holder was 70+
 *   then and nothing came within that year → cancel (unless a deferral covers today);
 * - the latest cycle's window is open and nothing came yet → a reminder on
 *   the day it opens and 7 days before it closes.
 */
export function sweepDecision(f: SweepFacts, today: string): SweepAction {
  const dead = ['cancelled', 'revoked'];
  if (dead.includes(f.status)) return { kind: 'none' };
  const latest = latestCycleEnd(f.holder.firstIssuedOn, today);
  if (!latest) return { kind: 'none' };
  const previous = addCalendarYears(latest, -1);
  const deferred = (f.deferredUntil ?? '') >= today;
  // The previous cycle's cancellation day (a year after it ended) is the latest cycle's end, so it has begun.
  if (previous > f.holder.firstIssuedOn && obligationAt(f.holder, previous) === 'age_70_yearly' && !f.answeredPrevious && !deferred) {
    return { kind: 'cancel', cycleEnd: previous };
  }
  const purpose = obligationAt(f.holder, latest);
  if (!purpose || f.answeredLatest || deferred) return { kind: 'none' };
  const w = obligationWindow(latest);
  if (today === w.opensOn) return { kind: 'remind', which: 'opened', purpose, cycleEnd: latest, lastDay: w.lastDay };
  if (today === addDays(w.lastDay, -REMINDER_DAYS_BEFORE_CLOSE)) return { kind: 'remind', which: 'closing', purpose, cycleEnd: latest, lastDay: w.lastDay };
  return { kind: 'none' };
}

/** the obligation the holder has now or next, for the citizen's page and the deferral's end date. */
export function currentObligation(h: HolderFacts, today: string): { purpose: ObligationPurpose; cycleEnd: string; lastDay: string } | null {
  const latest = latestCycleEnd(h.firstIssuedOn, today);
  for (const end of [latest, latest ? addCalendarYears(latest, 1) : addCalendarYears(h.firstIssuedOn, 1), latest ? addCalendarYears(latest, 2) : addCalendarYears(h.firstIssuedOn, 2), latest ? addCalendarYears(latest, 3) : addCalendarYears(h.firstIssuedOn, 3)]) {
    if (!end) continue;
    const purpose = obligationAt(h, end);
    const w = obligationWindow(end);
    if (purpose && w.lastDay >= today) return { purpose, cycleEnd: end, lastDay: w.lastDay };
  }
  return null;
}

/**
 * a licence cancelled for a missing certificate is restored by
 * submitting one while the licence is still valid or less than a year past its expiry.
 */
export function decideRestore(validUntil: string, today: string): Ok | Refusal {
  const until = addCalendarYears(validUntil, 1);
  return today < until ? OK : refuse('licences.not_restorable', { validUntil, until });
}
