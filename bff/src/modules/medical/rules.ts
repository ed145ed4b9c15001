/**
 * 医疗机构 and 身体条件证明 — the pure rules of 第四章第三节
 * and PD-12 (entrusted exactly like dealers for temporary plates).
 * No SQL, no HTTP, no clock: "today" comes in as an Asia/Shanghai day.
 */
import { addCalendarMonths, addCalendarYears, addDays, startOfShanghaiDay } from '../../platform/calendar.ts';

export type RefusalCode =
  | 'medical.not_medical_institution'
  | 'medical.organisation_dissolved'
  | 'medical.reapply_banned'
  | 'medical.documents_incomplete'
  | 'medical.renewal_window_closed'
  | 'medical.wrong_status'
  | 'medical.issued_in_future'
  | 'medical.certificate_expired'
  | 'medical.institution_not_qualified'
  | 'medical.purpose_not_applicable';
export type Refusal = { ok: false; code: RefusalCode; params?: Record<string, string | number> };
export type Ok = { ok: true };
const refuse = (code: RefusalCode, params?: Record<string, string | number>): Refusal => (params ? { ok: false, code, params } : { ok: false, code });
const OK: Ok = { ok: true };

export const CERTIFICATE_PURPOSES = ['renewal', 'age_70_yearly', 'disability_3y'] as const;
export type CertificatePurpose = (typeof CERTIFICATE_PURPOSES)[number];

// ---------------------------------------------------------------------------
// — a certificate is valid six months
// ---------------------------------------------------------------------------

/** six calendar months from the examination day, month-end clamped (PD-2); exclusive: usable while day < validUntil. */
export function certificateValidUntil(issuedOn: string): string {
  return addCalendarMonths(issuedOn, 6);
}

/** whether a certificate examined on `issuedOn` can be used on `day`. */
export function isWithinValidity(issuedOn: string, day: string): boolean {
  return issuedOn <= day && day < certificateValidUntil(issuedOn);
}

/** A certificate is recorded only for an examination that took place (not in the future) and is still within its six months. */
export function decideIssueDay(issuedOn: string, today: string): Ok | Refusal {
  if (issuedOn > today) return refuse('medical.issued_in_future', { today });
  const validUntil = certificateValidUntil(issuedOn);
  if (today >= validUntil) return refuse('medical.certificate_expired', { validUntil });
  return OK;
}

// ---------------------------------------------------------------------------
// who must submit, and for what
// ---------------------------------------------------------------------------

/** Completed years of age on `day` (a birthday on 29 February counts from 1 March in common years). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** 残疾人专用小型自动挡载客汽车: 准驾车型 C5. */
export function holdsDisabilityClass(classes: string): boolean {
  return /C5/.test(classes);
}

/** Licence states in which no certificate is taken for the licence (it is revoked or cancelled). */
const DEAD_LICENCE_STATES = ['revoked'];

/**
 * an entrusted institution submits certificates for drivers aged 70+
 * (age_70_yearly) and for holders of the disability class (disability_3y);
 * a renewal certificate for any licence holder.
 */
export function decidePurpose(p: { purpose: CertificatePurpose; birthDate: string; classes: string; licenceStatus: string }, today: string): Ok | Refusal {
  if (DEAD_LICENCE_STATES.includes(p.licenceStatus)) return refuse('medical.purpose_not_applicable', { reason: 'licence_state', status: p.licenceStatus });
  if (p.purpose === 'age_70_yearly') {
    const age = ageOn(p.birthDate, today);
    if (age < 70) return refuse('medical.purpose_not_applicable', { reason: 'under_70', age });
  }
  if (p.purpose === 'disability_3y' && !holdsDisabilityClass(p.classes)) return refuse('medical.purpose_not_applicable', { reason: 'no_disability_class' });
  return OK;
}

// ---------------------------------------------------------------------------
// PD-12 (mirroring) — the entrustment
// ---------------------------------------------------------------------------

export const QUALIFICATION_STATUSES = ['pending', 'active', 'rejected', 'revoked', 'lapsed'] as const;
export type QualificationStatus = (typeof QUALIFICATION_STATUSES)[number];

/** PD-12 (as ): the documents of an application or renewal. */
export const REQUIRED_DOCUMENTS = [
  'practice_licence', // 医疗机构执业许可证
  'organisation_code_certificate', // 单位组织机构代码证 / 统一社会信用代码证书
  'letter_of_authorisation', // 委托书
  'agent_identity', // 经办人身份证明
  'health_authority_listing', // 卫生健康主管部门公布的可出具身体条件证明的医疗机构名单
] as const;
export type DocumentKind = (typeof REQUIRED_DOCUMENTS)[number];

export function missingDocuments(kinds: readonly string[]): DocumentKind[] {
  return REQUIRED_DOCUMENTS.filter((k) => !kinds.includes(k));
}

/** ADR-031: 管理岗 decides an application or renewal within five working days (the queue's SLA timer). */
export const REVIEW_WORKING_DAYS = 5;

export type ApplicantFacts = {
  isMedicalInstitution: boolean;
  dissolved: boolean;
  /** the latest `reapply_after` of the institution's revoked or lapsed qualifications */
  reapplyAfter: string | null;
  documentKinds: readonly string[];
};

/**
 * PD-12 (as ): a medical institution only; not within a
 * year of revocation or lapse; every document.
 */
export function decideApplication(a: ApplicantFacts, today: string): Ok | Refusal {
  if (!a.isMedicalInstitution) return refuse('medical.not_medical_institution');
  if (a.dissolved) return refuse('medical.organisation_dissolved');
  if (a.reapplyAfter && today < a.reapplyAfter) return refuse('medical.reapply_banned', { reapplyAfter: a.reapplyAfter });
  const missing = missingDocuments(a.documentKinds);
  return missing.length ? refuse('medical.documents_incomplete', { missing: missing.join(',') }) : OK;
}

/** PD-12 (as ): a renewal only by an active institution, inside the last month of its term. */
export function decideRenewal(q: { status: QualificationStatus; validUntil: string | null }, today: string): Ok | Refusal {
  if (q.status !== 'active' || !q.validUntil) return refuse('medical.wrong_status', { status: q.status });
  const w = renewalWindow(q.validUntil);
  if (today < w.opensOn || today > w.closesOn) return refuse('medical.renewal_window_closed', w);
  return OK;
}

export function isLapsed(validUntil: string, today: string): boolean {
  return today > validUntil;
}

/** Whether an institution may submit certificates today: an active qualification within its term. */
export function decideMaySubmit(q: { status: QualificationStatus | 'none'; validUntil: string | null }, today: string): Ok | Refusal {
  if (q.status !== 'active' || !q.validUntil) return refuse('medical.institution_not_qualified', { status: q.status });
  if (today > q.validUntil) return refuse('medical.institution_not_qualified', { status: 'expired', validUntil: q.validUntil });
  return OK;
}

/** PD-12: one year from approval; `validUntil` is the last valid day. */
export function validityFrom(day: string): { validFrom: string; validUntil: string } {
  return { validFrom: day, validUntil: addDays(addCalendarYears(day, 1), -1) };
}

/** PD-12: the renewal review happens within the month before the qualification ends. */
export function renewalWindow(validUntil: string): { opensOn: string; closesOn: string } {
  return { opensOn: addCalendarMonths(validUntil, -1), closesOn: validUntil };
}

/** PD-12: a passed renewal extends the qualification by one year from its old end. */
export function renewedUntil(validUntil: string): string {
  return addCalendarYears(validUntil, 1);
}

/** PD-12: the instant a qualification not renewed lapses (00:00 after its last valid day). */
export function lapsesAt(validUntil: string): Date {
  return startOfShanghaiDay(addDays(validUntil, 1));
}

/** PD-12: an institution whose qualification was revoked or lapsed on `endDay` may apply again from this day. */
export function reapplyAfter(endDay: string): string {
  return addCalendarYears(endDay, 1);
}
