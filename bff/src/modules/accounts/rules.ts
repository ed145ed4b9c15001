/**
 * Pure rules of chapter 2 (用户注册及变更, R-7 … R-21; PD-2 – PD-9).
 * No SQL, no HTTP, no clock: time comes in as `now`, working days as a calendar.
 */
import { addHours, shanghaiDay, type WorkingDayCalendar } from '../../platform/calendar.ts';

export type PersonalType = 'owner_driver' | 'learner' | 'new_car_owner';
export type UserKind = 'personal' | 'organisation';
export type Channel = 'online' | 'counter';
export type AccountStatus = 'active' | 'suspended' | 'cancelled';

// ---------------------------------------------------------------------------
// Capabilities: which services each user type may use (R-9, R-10.3, R-15, R-26; PD-4, PD-6)
// ---------------------------------------------------------------------------

/** Every service of the platform a user may be offered, by its code. */
export const SERVICES = [
  'bind_own_vehicles', // 绑定/解绑本人机动车
  'bind_own_licence', // 绑定/解绑本人驾驶证
  'query_bound', // 查询绑定的机动车和驾驶证
  'plate_preselection', // 预选机动车号牌
  'inspection_booking', // 检验预约
  'exam_booking', // 考试预约
  'violation_handling', // 处理交通技术监控设备记录的违法行为
  'fine_payment', // 缴纳罚款
  'bind_licence_to_organisation', // 将本人驾驶证绑定至单位用户
  'replacement', // 补换领号牌/行驶证/检验合格标志 R-26 (window-registered personal users)
  'licence_services', // 补换领驾驶证、延期, X-4.2.1 (window-registered personal users)
  'certificate_photo_upload', // 提交驾驶证证件专用电子照片 R-15, R-18 (window-registered personal users)
  'bind_organisation_vehicles', // 绑定/解绑本单位机动车
  'manage_driver_licences', // 单位解绑驾驶人驾驶证 PD-6
  'delegated_business', // 办理交管部门委托的业务
  'special_services', // 使用授权的专项服务
  'change_contact', // 变更联系方式 / 用户信息
  'change_password', // 修改密码 R-15
  'suspend', // 暂停用户账号 R-15
  'cancel', // 注销
  'reactivate', // 恢复 (PD-4: SMS sign-in)
] as const;
export type Service = (typeof SERVICES)[number];

const ACCOUNT_SERVICES: Service[] = ['change_contact', 'change_password', 'suspend', 'cancel'];

const OWNER_DRIVER_ONLINE: Service[] = [
  'bind_own_vehicles', 'bind_own_licence', 'query_bound', 'plate_preselection', 'inspection_booking', 'exam_booking',
  'violation_handling', 'fine_payment', 'bind_licence_to_organisation', ...ACCOUNT_SERVICES,
];

/** a window-registered personal user gets every service offered to persons. */
const COUNTER_PERSONAL: Service[] = [...OWNER_DRIVER_ONLINE, 'replacement', 'licence_services', 'certificate_photo_upload'];

/** –5; PD-6: no replacement, exam booking or violation handling for units. */
const ORGANISATION: Service[] = [
  'bind_organisation_vehicles', 'query_bound', 'plate_preselection', 'inspection_booking', 'manage_driver_licences',
  'delegated_business', 'special_services', ...ACCOUNT_SERVICES,
];

export type CapabilitySubject = { kind: UserKind; personalType: PersonalType | null; registrationChannel: Channel; status: AccountStatus };

/**
 * The services a user may use (R-9.1–, PD-4 and PD-6). A
 * suspended account keeps only reactivation and cancellation; a cancelled one
 * nothing. Order follows {@link SERVICES}.
 */
export function capabilities(user: CapabilitySubject): Service[] {
  if (user.status === 'cancelled') return [];
  if (user.status === 'suspended') return ['cancel', 'reactivate'];
  let set: Service[];
  if (user.kind === 'organisation') set = ORGANISATION;
  else if (user.registrationChannel === 'counter') set = COUNTER_PERSONAL;
  else if (user.personalType === 'learner') set = ['exam_booking', 'plate_preselection', ...ACCOUNT_SERVICES];
  else if (user.personalType === 'new_car_owner') set = ['plate_preselection', ...ACCOUNT_SERVICES];
  else set = OWNER_DRIVER_ONLINE;
  return SERVICES.filter((s) => set.includes(s));
}

export const can = (user: CapabilitySubject, service: Service) => capabilities(user).includes(service);

// ---------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------

/** What the records hold about a person, as far as registration needs it. */
export type RecordsOfPerson = {
  /** owner_phone of registered vehicles (with a plate) the person owns */
  vehiclePhones: readonly string[];
  /** phone of the person's driving licences */
  licencePhones: readonly string[];
  /** phone of the person's accepted first-licence applications (初次申领驾驶证已受理) */
  firstLicenceApplicationPhones?: readonly string[];
  /** owner_phone of new cars (no plate yet) the person bought and must register */
  newCarPhones?: readonly string[];
};

export type RegistrationCode =
  | 'accounts.no_records'
  | 'accounts.phone_mismatch'
  | 'accounts.has_records'
  | 'accounts.no_licence_application'
  | 'accounts.no_new_car'
  | 'accounts.no_user_type';

export type OnlineRegistrationDecision = { ok: true; personalType: PersonalType } | { ok: false; code: RegistrationCode };

const hasRecords = (r: RecordsOfPerson) => r.vehiclePhones.length + r.licencePhones.length > 0;

/**
 * Online registration:
 * - 车主或驾驶人: owns a registered vehicle or a licence; the phone must equal
 *   the one recorded with one of them.
 * - 学员: owns neither, and a first-licence application was accepted; the
 *   phone must equal the one given in that application (驾驶证申领, R-11.2).
 * - 新车车主: owns neither, and bought a new car that still needs
 *   registration; the phone must equal the one recorded with that car.
 */
export function decideOnlineRegistration(records: RecordsOfPerson, phone: string, requested: PersonalType = 'owner_driver'): OnlineRegistrationDecision {
  const matches = (phones: readonly string[]): OnlineRegistrationDecision =>
    phones.includes(phone) ? { ok: true, personalType: requested } : { ok: false, code: 'accounts.phone_mismatch' };
  if (requested === 'owner_driver') {
    if (!hasRecords(records)) return { ok: false, code: 'accounts.no_records' };
    return matches([...records.vehiclePhones, ...records.licencePhones]);
  }
  if (hasRecords(records)) return { ok: false, code: 'accounts.has_records' };
  if (requested === 'learner') {
    const phones = records.firstLicenceApplicationPhones ?? [];
    if (phones.length === 0) return { ok: false, code: 'accounts.no_licence_application' };
    return matches(phones);
  }
  const phones = records.newCarPhones ?? [];
  if (phones.length === 0) return { ok: false, code: 'accounts.no_new_car' };
  return matches(phones);
}

/**
 * Window registration: the type follows from the records; the
 * phone is not compared — it replaces the phone in the records instead.
 */
export function counterPersonalType(records: RecordsOfPerson): { ok: true; personalType: PersonalType } | { ok: false; code: 'accounts.no_user_type' } {
  if (hasRecords(records)) return { ok: true, personalType: 'owner_driver' };
  if ((records.firstLicenceApplicationPhones ?? []).length > 0) return { ok: true, personalType: 'learner' };
  if ((records.newCarPhones ?? []).length > 0) return { ok: true, personalType: 'new_car_owner' };
  return { ok: false, code: 'accounts.no_user_type' };
}

/**
 * R-9.2.2/3, R-9.3.2/3: a learner or new-car owner becomes an owner-or-driver
 * once the licence is issued or the new car registered; others stay as they are.
 */
export function convertedType(current: PersonalType | null): PersonalType | null {
  return current === 'learner' || current === 'new_car_owner' ? 'owner_driver' : null;
}

/** vehicles in these states are not bound. */
export const notBindableStates: readonly string[] = ['deregistered', 'forcibly_deregistered', 'transferred_out'];

// ---------------------------------------------------------------------------
// Counter checks (R-12.1.2, PD-7 and PD-8)
// ---------------------------------------------------------------------------

export type Disqualification = { kind: string; since: string; until: string | null };

/** R-12.1.2 (公安部令第162号 第十五条（三）（四）（十三）): the bars in force on `today`. */
export function activeDisqualifications(rows: readonly Disqualification[], today: string): string[] {
  return rows.filter((d) => d.since <= today && (d.until === null || d.until >= today)).map((d) => d.kind);
}

export type PopulationCheck =
  | { ok: true }
  | { ok: false; code: 'accounts.person_not_found' | 'accounts.disqualified'; disqualifications?: string[] };

/**
 * the ID read against 人口信息库 (same name, not deceased) and none of
 * the disqualifying conditions.
 */
export function decidePopulationCheck(
  person: { name: string; deceased: boolean } | null | undefined,
  enteredName: string,
  disqualifications: readonly Disqualification[],
  today: string,
): PopulationCheck {
  if (!person || person.deceased || person.name !== enteredName) return { ok: false, code: 'accounts.person_not_found' };
  const active = activeDisqualifications(disqualifications, today);
  if (active.length > 0) return { ok: false, code: 'accounts.disqualified', disqualifications: active };
  return { ok: true };
}

/** PD-8: how long until a deferred ("network down") check runs again. */
export const DEFERRED_CHECK_DELAY_MS = 5 * 60_000;

// ---------------------------------------------------------------------------
// Counter applications
// ---------------------------------------------------------------------------

export type Subject = 'person' | 'organisation';
export type ApplicationKind = 'registration' | 'change';
export type ChangeKind = 'contact' | 'bind_non_own_vehicle' | 'organisation_info';
export type ApplicationStatus = 'review' | 'returned' | 'approved' | 'rejected' | 'completed';
export type CheckStatus = 'passed' | 'pending' | 'failed';

export const UPLOAD_PURPOSES = [
  'onsite_photo', 'application_form', 'identity_document', 'owner_identity_document', 'vehicle_licence',
  'organisation_certificate', 'letter_of_authorisation', 'agent_identity_document', 'certificate_photo',
] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

/**
 * The photo and scans 受理岗 must capture:
 * on-site photo, form and ID; R-19.1.1/3 plus the owner's ID and 行驶证
 * for a non-own vehicle; the agent's photo and the four documents.
 */
export function requiredUploads(subject: Subject, changeKind: ChangeKind | null): UploadPurpose[] {
  if (subject === 'organisation') return ['onsite_photo', 'application_form', 'organisation_certificate', 'letter_of_authorisation', 'agent_identity_document'];
  const base: UploadPurpose[] = ['onsite_photo', 'application_form', 'identity_document'];
  return changeKind === 'bind_non_own_vehicle' ? [...base, 'owner_identity_document', 'vehicle_licence'] : base;
}

export function missingUploads(subject: Subject, changeKind: ChangeKind | null, given: readonly string[]): UploadPurpose[] {
  return requiredUploads(subject, changeKind).filter((p) => !given.includes(p));
}

/** Which kinds of change fit which subject (R-16.1: the changes on the two forms). */
export function changeKindAllowed(subject: Subject, changeKind: ChangeKind): boolean {
  return subject === 'organisation' ? changeKind === 'organisation_info' : changeKind !== 'organisation_info';
}

export type Transition = 'approve' | 'reject' | 'return' | 'resubmit';
export type TransitionDecision =
  | { ok: true; to: ApplicationStatus }
  | { ok: false; code: 'accounts.application_wrong_status' | 'accounts.check_pending' | 'accounts.check_failed' };

/**
 * The review loop (R-12.2.4–6, R-19.2.4–6, PD-3 and PD-8):
 * review → approved | rejected | returned; returned → review (受理岗 corrected it).
 * No approval while the deferred check is pending or after it failed.
 */
export function applicationTransition(app: { status: ApplicationStatus; checkStatus: CheckStatus }, t: Transition): TransitionDecision {
  const wrong = { ok: false, code: 'accounts.application_wrong_status' } as const;
  switch (t) {
    case 'approve':
      if (app.status !== 'review') return wrong;
      if (app.checkStatus === 'pending') return { ok: false, code: 'accounts.check_pending' };
      if (app.checkStatus === 'failed') return { ok: false, code: 'accounts.check_failed' };
      return { ok: true, to: 'approved' };
    case 'reject':
      return app.status === 'review' ? { ok: true, to: 'rejected' } : wrong;
    case 'return':
      return app.status === 'review' ? { ok: true, to: 'returned' } : wrong;
    case 'resubmit':
      return app.status === 'returned' ? { ok: true, to: 'review' } : wrong;
  }
}

/**
 * 管理岗 acts "within one working day of submission":
 * 24:00 of the next working day (PD-2) — a Friday-evening submission is
 * due Monday 24:00. The deadline stays put when 受理岗 corrects a returned
 * case: the delay is the department's, not the citizen's.
 */
export function reviewDeadline(cal: WorkingDayCalendar, submittedAt: Date): Date {
  return cal.deadlineAfterWorkingDays(submittedAt, 1);
}

/** PD-3: an SLA flag only; nothing is approved by the clock. */
export function isOverdue(dueAt: Date | null, now: Date, open: boolean): boolean {
  return open && dueAt !== null && now.getTime() >= dueAt.getTime();
}

/** `YH` + authority + Shanghai day + sequence, e.g. YH4403002026112500012. */
export function applicationReference(authorityId: string, now: Date, seq: number): string {
  return `YH${authorityId}${shanghaiDay(now).replaceAll('-', '')}${String(seq % 100000).padStart(5, '0')}`;
}

// ---------------------------------------------------------------------------
// Archive (R-12.3/12.4, R-13.2/13.3)
// ---------------------------------------------------------------------------

export const ARCHIVE_DOCUMENTS = {
  person: ['application_form_original', 'identity_document_copy'],
  organisation: ['application_form_original', 'organisation_certificate_copy', 'letter_of_authorisation_original', 'agent_identity_document_copy'],
} as const satisfies Record<Subject, readonly string[]>;

/** Which registrations reach 档案岗: registrations only (R-20.1.3 returns a unit change's materials). */
export function needsArchive(kind: ApplicationKind): boolean {
  return kind === 'registration';
}

export function archiveProblem(required: readonly string[], checked: readonly string[], fileLocation: string): 'accounts.archive_incomplete' | 'accounts.archive_location_required' | null {
  if (required.some((d) => !checked.includes(d))) return 'accounts.archive_incomplete';
  if (fileLocation.trim().length === 0) return 'accounts.archive_location_required';
  return null;
}

// ---------------------------------------------------------------------------
// Bindings
// ---------------------------------------------------------------------------

/** at most three vehicles not owned by the user. */
export const MAX_NON_OWN_VEHICLES = 3;

export function nonOwnLimitReached(bound: number, pending: number): boolean {
  return bound + pending >= MAX_NON_OWN_VEHICLES;
}

export type RecordsEventKind = 'vehicle_transfer' | 'vehicle_deregistration' | 'vehicle_operating_to_non_operating' | 'licence_cancellation';

export type BindingHolder = { bindingId: string; userKind: UserKind; personId: string | null; organisationId: string | null };
export type Owner = { personId: string | null; organisationId: string | null };

/**
 * after 转移登记, 注销登记 or 营运转非营运 a vehicle is unbound from every
 * user other than its owner (after a transfer: the new owner); a cancelled
 * licence is unbound from every user. Returns the bindings to end.
 */
export function bindingsToEnd(kind: RecordsEventKind, holders: readonly BindingHolder[], owner: Owner): string[] {
  if (kind === 'licence_cancellation') return holders.map((h) => h.bindingId);
  const isOwner = (h: BindingHolder) =>
    h.userKind === 'organisation'
      ? owner.organisationId !== null && h.organisationId === owner.organisationId
      : owner.personId !== null && h.personId === owner.personId;
  return holders.filter((h) => !isOwner(h)).map((h) => h.bindingId);
}

export type BindingKind = 'own' | 'non_own' | 'organisation';

/**
 * R-17 after a transfer: the binding the new owner keeps is now the binding of
 * an own vehicle (or the owning unit's), whatever it was before — a non-own
 * binding of the buyer becomes own, so the services of own vehicles
 * (inspection booking, replacements) accept it. Returns the
 * bindings whose kind must change, with the kind they get.
 */
export function bindingsToMakeOwn(holders: readonly (BindingHolder & { kind: BindingKind })[], owner: Owner): { bindingId: string; kind: BindingKind }[] {
  return holders.flatMap((h): { bindingId: string; kind: BindingKind }[] => {
    if (h.userKind === 'organisation') {
      return owner.organisationId !== null && h.organisationId === owner.organisationId && h.kind !== 'organisation' ? [{ bindingId: h.bindingId, kind: 'organisation' as const }] : [];
    }
    return owner.personId !== null && h.personId === owner.personId && h.kind !== 'own' ? [{ bindingId: h.bindingId, kind: 'own' as const }] : [];
  });
}

export type VehicleFacts = { states: string[]; useNature: 'operating' | 'non_operating'; ownerPersonId: string | null };

/** Whether a records event applies to the vehicle as it stands. */
export function vehicleEventProblem(kind: Exclude<RecordsEventKind, 'licence_cancellation'>, v: VehicleFacts, newOwnerPersonId: string | null): 'accounts.event_not_applicable' | null {
  const gone = v.states.some((s) => notBindableStates.includes(s));
  if (gone) return 'accounts.event_not_applicable';
  if (kind === 'vehicle_operating_to_non_operating' && v.useNature !== 'operating') return 'accounts.event_not_applicable';
  if (kind === 'vehicle_transfer' && (!newOwnerPersonId || newOwnerPersonId === v.ownerPersonId)) return 'accounts.event_not_applicable';
  return null;
}

// ---------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Counter cancellation and unbinding (R-16.2, R-19.1.1, R-20.1.1, R-21.2 (二))
// ---------------------------------------------------------------------------

export type CounterIdentityProblem = { code: 'accounts.identity_mismatch'; field: 'identity.idNumber' | 'identity.uscc' };

/**
 * Who may cancel an account or end one of its bindings at the counter, once
 * the identity document presented has been read true against 人口信息库
 * (`presentedPersonId`): a personal account only by its holder in person
 * 本人, materials as R-8); a unit's account by an agent for that very
 * unit — the unit's code on the form is the account's (R-20.1.1 checks the
 * agent's ID and the unit's documents as ).
 */
export function counterIdentityProblem(
  account: { kind: UserKind; personId: string | null; uscc: string | null },
  presented: { personId: string; uscc: string | null },
): CounterIdentityProblem | null {
  if (account.kind === 'organisation') {
    return account.uscc !== null && presented.uscc === account.uscc ? null : { code: 'accounts.identity_mismatch', field: 'identity.uscc' };
  }
  // Stryker disable next-line ConditionalExpression: `account.personId !== null` → true is equivalent — the presented person id is never null, so it cannot equal a null one
  return account.personId !== null && presented.personId === account.personId ? null : { code: 'accounts.identity_mismatch', field: 'identity.idNumber' };
}

export type CancelReason = 'deceased' | 'dissolved' | 'false_materials' | 'user_request' | 'new_car_no_preselection' | 'new_car_not_registered';

/** R-21.1 (一)(三), R-21.2: forced cancellation by the department — death for persons, dissolution for units, false materials for both. */
export function forcedReasonAllowed(kind: UserKind, reason: CancelReason): boolean {
  if (reason === 'false_materials') return true;
  return kind === 'personal' ? reason === 'deceased' : reason === 'dissolved';
}

export type PreselectionFact = { status: string; deadline: Date | null };
export type NewCarOwnerCheck =
  | { action: 'none' }
  | { action: 'recheck'; at: Date }
  | { action: 'cancel'; reason: 'new_car_no_preselection' | 'new_car_not_registered' };

/** 二十四小时 = 24 clock hours from registration (PD-2). */
export const NEW_CAR_PRESELECT_HOURS = 24;

/**
 * a new-car owner who has not preselected a plate within 24 hours
 * of registering, or preselected but did not register the car within the
 * three working days of the reservation, is cancelled. Registration
 * converts the account, which ends the watch.
 */
export function decideNewCarOwnerCheck(
  account: { personalType: PersonalType | null; status: AccountStatus; createdAt: Date },
  preselections: readonly PreselectionFact[],
  now: Date,
): NewCarOwnerCheck {
  if (account.status === 'cancelled' || account.personalType !== 'new_car_owner') return { action: 'none' };
  if (preselections.some((p) => p.status === 'registered')) return { action: 'none' };
  const reserved = preselections.find((p) => p.status === 'reserved');
  if (reserved) {
    // The plates module's deadline job ends the reservation; look again just after it.
    // Stryker disable next-line EqualityOperator: equivalent — when the deadline is now, either branch gives the same instant
    const at = reserved.deadline && reserved.deadline > now ? reserved.deadline : now;
    return { action: 'recheck', at: new Date(at.getTime() + 60_000) };
  }
  // A random draw is open for ten minutes (PD-14); wait for its outcome.
  if (preselections.some((p) => p.status === 'drawing')) return { action: 'recheck', at: new Date(now.getTime() + 15 * 60_000) };
  const windowEnds = addHours(account.createdAt, NEW_CAR_PRESELECT_HOURS);
  if (now < windowEnds) return { action: 'recheck', at: windowEnds };
  // A number was held and lapsed (overdue or mismatched): not registered in time.
  if (preselections.some((p) => p.status === 'expired' || p.status === 'cancelled')) return { action: 'cancel', reason: 'new_car_not_registered' };
  return { action: 'cancel', reason: 'new_car_no_preselection' };
}

// ---------------------------------------------------------------------------
// Uploads, prefill codes, citizen timeline
// ---------------------------------------------------------------------------

/** No 0/O, 1/I: a code read aloud or typed from paper survives. 32 symbols × 10 = 50 bits. */
export const PREFILL_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const PREFILL_DAYS = 30;

export function prefillCode(random: (n: number) => number): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += PREFILL_ALPHABET[random(PREFILL_ALPHABET.length)];
  return s;
}

export type TimelineStep = {
  step: 'accepted' | 'check_pending' | 'check_passed' | 'check_failed' | 'returned' | 'resubmitted' | 'approved' | 'rejected' | 'completed' | 'archived' | 'overdue';
  at: string;
  dueBy?: string;
  reason?: string;
};

const STEP_OF: Record<string, TimelineStep['step']> = {
  'accounts.application_accepted': 'accepted',
  'accounts.application_check_passed': 'check_passed',
  'accounts.application_check_failed': 'check_failed',
  'accounts.application_returned': 'returned',
  'accounts.application_resubmitted': 'resubmitted',
  'accounts.application_approved': 'approved',
  'accounts.application_rejected': 'rejected',
  'accounts.application_overdue': 'overdue',
  'accounts.archived': 'archived',
};

/**
 * The citizen's view of an application from its audit entries: what happened
 * when, the review deadline, a rejection's reason — never who on the staff or
 * another person's data, and not the return note (an instruction to 受理岗).
 */
export function timelineOf(entries: readonly { action: string; at: Date; after: Record<string, unknown> | null }[]): TimelineStep[] {
  const out: TimelineStep[] = [];
  for (const e of entries) {
    let step = STEP_OF[e.action];
    if (!step) continue;
    const after = e.after ?? {};
    if (step === 'accepted' && after.status === 'completed') step = 'completed';
    const s: TimelineStep = { step, at: e.at.toISOString() };
    if (typeof after.reviewDueAt === 'string') s.dueBy = after.reviewDueAt;
    if (step === 'rejected' && typeof after.reason === 'string') s.reason = after.reason;
    out.push(s);
    if (step === 'accepted' && after.checkStatus === 'pending') out.push({ step: 'check_pending', at: e.at.toISOString() });
  }
  return out;
}
