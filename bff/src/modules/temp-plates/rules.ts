/**
 * 核发临时行驶车号牌 — the pure rules of 第三章第三节 (R-30 … R-33): the
 * dealer's qualification, blank plates and their accounting, issuing.
 * No SQL, no HTTP, no clock: "today" comes in as an Asia/Shanghai day.
 */
import { addCalendarMonths, addCalendarYears, addDays, startOfShanghaiDay } from '../../platform/calendar.ts';
import { validateVin } from '../../platform/check-digits.ts';

export type RefusalCode =
  | 'temp_plates.not_a_dealer'
  | 'temp_plates.organisation_dissolved'
  | 'temp_plates.city_not_entrusted'
  | 'temp_plates.reapply_banned'
  | 'temp_plates.documents_incomplete'
  | 'temp_plates.handout_documents_incomplete'
  | 'temp_plates.renewal_window_closed'
  | 'temp_plates.not_qualified'
  | 'temp_plates.qualification_expired'
  | 'temp_plates.model_not_authorised'
  | 'temp_plates.vehicle_registered'
  | 'temp_plates.vin_invalid'
  | 'temp_plates.quota_exceeded'
  | 'temp_plates.check_failed'
  | 'temp_plates.explanation_required'
  | 'temp_plates.wrong_status';
export type Refusal = { ok: false; code: RefusalCode; params?: Record<string, string | number> };
export type Ok = { ok: true };
const refuse = (code: RefusalCode, params?: Record<string, string | number>): Refusal => (params ? { ok: false, code, params } : { ok: false, code });
const OK: Ok = { ok: true };

export const QUALIFICATION_STATUSES = ['pending', 'active', 'rejected', 'suspended', 'revoked', 'lapsed'] as const;
export type QualificationStatus = (typeof QUALIFICATION_STATUSES)[number];
export const BLANK_STATUSES = ['in_stock', 'issued', 'damaged', 'returned', 'destroyed', 'recovered'] as const;
export type BlankStatus = (typeof BLANK_STATUSES)[number];

// ---------------------------------------------------------------------------
// who may apply
// ---------------------------------------------------------------------------

/** the five documents of an application or renewal. */
export const REQUIRED_DOCUMENTS = [
  'organisation_code_certificate', // 单位组织机构代码证
  'letter_of_authorisation', // 委托书
  'agent_identity', // 代理人身份证明
  'brand_model_list', // 本单位销售机动车品牌型号清单
  'sales_permit', // 准予销售证明
] as const;
export type DocumentKind = (typeof REQUIRED_DOCUMENTS)[number];

/** which documents are missing. */
export function missingDocuments(kinds: readonly string[]): DocumentKind[] {
  return REQUIRED_DOCUMENTS.filter((k) => !kinds.includes(k));
}

/** a dealer whose qualification was revoked or lapsed on `endDay` may apply again from this day. */
export function reapplyAfter(endDay: string): string {
  return addCalendarYears(endDay, 1);
}

export type ApplicantFacts = {
  isCarDealer: boolean;
  dissolved: boolean;
  cityEntrusted: boolean;
  /** the latest `reapply_after` of the dealer's revoked or lapsed qualifications */
  reapplyAfter: string | null;
  documentKinds: readonly string[];
};

/**
 * An application for the qualification: R-30 a car dealer only; the
 * city entrusts dealers; not within a year of revocation or lapse
 * (R-33.1.2, "no restricting condition"); every document.
 */
export function decideApplication(a: ApplicantFacts, today: string): Ok | Refusal {
  if (!a.isCarDealer) return refuse('temp_plates.not_a_dealer');
  if (a.dissolved) return refuse('temp_plates.organisation_dissolved');
  if (!a.cityEntrusted) return refuse('temp_plates.city_not_entrusted');
  if (a.reapplyAfter && today < a.reapplyAfter) return refuse('temp_plates.reapply_banned', { reapplyAfter: a.reapplyAfter });
  const missing = missingDocuments(a.documentKinds);
  return missing.length ? refuse('temp_plates.documents_incomplete', { missing: missing.join(',') }) : OK;
}

// ---------------------------------------------------------------------------
// one year, renewal in the last month, lapse
// ---------------------------------------------------------------------------

/** valid for one year from approval; `validUntil` is the last valid day. */
export function validityFrom(day: string): { validFrom: string; validUntil: string } {
  return { validFrom: day, validUntil: addDays(addCalendarYears(day, 1), -1) };
}

/** the renewal review happens within the month before the qualification ends. */
export function renewalWindow(validUntil: string): { opensOn: string; closesOn: string } {
  return { opensOn: addCalendarMonths(validUntil, -1), closesOn: validUntil };
}

/** a renewal may be submitted only by an active or suspended dealer inside the window. */
export function decideRenewal(q: { status: QualificationStatus; validUntil: string | null }, today: string): Ok | Refusal {
  if ((q.status !== 'active' && q.status !== 'suspended') || !q.validUntil) return refuse('temp_plates.wrong_status', { status: q.status });
  const w = renewalWindow(q.validUntil);
  if (today < w.opensOn || today > w.closesOn) return refuse('temp_plates.renewal_window_closed', w);
  return OK;
}

/** a passed renewal extends the qualification by one year from its old end. */
export function renewedUntil(validUntil: string): string {
  return addCalendarYears(validUntil, 1);
}

/** the instant a qualification not renewed lapses (00:00 after its last valid day). */
export function lapsesAt(validUntil: string): Date {
  return startOfShanghaiDay(addDays(validUntil, 1));
}

export function isLapsed(validUntil: string, today: string): boolean {
  return today > validUntil;
}

// ---------------------------------------------------------------------------
// handing out blanks
// ---------------------------------------------------------------------------

/**
 * the quota is the number of unused blanks a dealer may hold; a
 * hand-out tops the stock up to it at most.
 */
export function decideQuantity(quota: number, inStock: number, quantity: number): Ok | Refusal {
  if (!Number.isInteger(quantity) || quantity < 1 || inStock + quantity > quota) {
    return refuse('temp_plates.quota_exceeded', { quota, inStock, available: Math.max(0, quota - inStock) });
  }
  return OK;
}

/** what the collector shows at a hand-out: the unit's 组织机构代码证, 委托书, the collector's 身份证明. */
export const HAND_OUT_DOCUMENTS = [
  'organisation_code_certificate', // 单位组织机构代码证
  'letter_of_authorisation', // 委托书
  'collector_identity', // 领取人身份证明
] as const;
export type HandOutDocumentKind = (typeof HAND_OUT_DOCUMENTS)[number];

/**
 * 受理岗 checks the three documents before anything else of a
 * hand-out; a missing one is refused at its field, naming every one missing.
 */
export function checkHandOutDocuments(kinds: readonly string[]): Ok | (Refusal & { field: string }) {
  const missing = HAND_OUT_DOCUMENTS.filter((k) => !kinds.includes(k));
  if (!missing.length) return OK;
  return { ...refuse('temp_plates.handout_documents_incomplete', { missing: missing.join(',') }), field: `documents.${missing[0]}` };
}

/** What the dealer hands in at a collection. */
export type Declared = { returnedDamagedNos: string[]; issuedSinceLast: number; materialsComplete: boolean };
/** What the records show at the moment of the hand-out. */
export type Records = { damagedKeptNos: string[]; issuedSinceLast: number };

/**
 * the damaged blanks handed back are exactly those the records show
 * as damaged and kept; the issuance materials are complete and as many as
 * the records of plates issued since the last collection.
 */
export function checkHandOut(declared: Declared, records: Records): { ok: true } | { ok: false; code: 'temp_plates.check_failed'; problems: string[]; params: Record<string, string | number> } {
  const problems: string[] = [];
  const given = new Set(declared.returnedDamagedNos);
  const kept = new Set(records.damagedKeptNos);
  const missing = [...kept].filter((n) => !given.has(n)).sort();
  const unknown = [...given].filter((n) => !kept.has(n)).sort();
  if (missing.length) problems.push('damaged_missing');
  if (unknown.length) problems.push('damaged_unknown');
  if (declared.issuedSinceLast !== records.issuedSinceLast) problems.push('issued_count');
  if (!declared.materialsComplete) problems.push('materials');
  if (!problems.length) return { ok: true };
  return {
    ok: false,
    code: 'temp_plates.check_failed',
    problems,
    params: {
      problems: problems.join(','),
      damagedMissing: missing.join('、'),
      damagedUnknown: unknown.join('、'),
      issuedDeclared: declared.issuedSinceLast,
      issuedRecorded: records.issuedSinceLast,
    },
  };
}

/** "多次" — from this many owner-data mismatches, or damaged blanks, an explanation is required. */
export const MISMATCH_EXPLANATION_THRESHOLD = 2;
export const DAMAGE_EXPLANATION_THRESHOLD = 3;

/** whether the counters call for an explanation, and for what. */
export function explanationNeeded(mismatchCount: number, damageCount: number): 'mismatches' | 'damage' | null {
  if (mismatchCount >= MISMATCH_EXPLANATION_THRESHOLD) return 'mismatches';
  if (damageCount >= DAMAGE_EXPLANATION_THRESHOLD) return 'damage';
  return null;
}

export type QualificationFacts = {
  status: QualificationStatus;
  validUntil: string | null;
  brandModels: readonly string[];
  explanationPending: boolean;
};

/**
 * 受理岗 hands out blanks only to an active, unexpired qualification of an
 * entrusted city, without an explanation outstanding.
 */
export function decideHandOut(q: QualificationFacts, today: string, cityEntrusted: boolean): Ok | Refusal {
  if (!cityEntrusted) return refuse('temp_plates.city_not_entrusted');
  if (q.status !== 'active') return refuse('temp_plates.not_qualified', { status: q.status });
  if (!q.validUntil || today > q.validUntil) return refuse('temp_plates.qualification_expired', { validUntil: q.validUntil ?? '' });
  if (q.explanationPending) return refuse('temp_plates.explanation_required');
  return OK;
}

// ---------------------------------------------------------------------------
// issuing
// ---------------------------------------------------------------------------

/** Brand/model names compare without blanks and case. */
export function normaliseModel(s: string): string {
  return s.replace(/[\s·・]/g, '').toUpperCase();
}

export type IssueFacts = {
  qualification: QualificationFacts;
  cityEntrusted: boolean;
  brandModel: string;
  vin: string;
  /** the vehicle record of that VIN, if any: registered when it has a plate number */
  vehicle: { registered: boolean } | null;
};

/**
 * within the authorised scope (an active, unexpired qualification,
 * a model on its list) and only for a car that still needs registration
 * (no registered vehicle record with that VIN; the VIN's check digit valid).
 */
export function decideIssue(f: IssueFacts, today: string): Ok | Refusal {
  if (!f.cityEntrusted) return refuse('temp_plates.city_not_entrusted');
  if (f.qualification.status !== 'active') return refuse('temp_plates.not_qualified', { status: f.qualification.status });
  if (!f.qualification.validUntil || today > f.qualification.validUntil) {
    return refuse('temp_plates.qualification_expired', { validUntil: f.qualification.validUntil ?? '' });
  }
  const wanted = normaliseModel(f.brandModel);
  if (!f.qualification.brandModels.some((m) => normaliseModel(m) === wanted)) return refuse('temp_plates.model_not_authorised', { brandModel: f.brandModel });
  if (!validateVin(f.vin).ok) return refuse('temp_plates.vin_invalid');
  if (f.vehicle?.registered) return refuse('temp_plates.vehicle_registered');
  return OK;
}

/** A temporary plate issued by a dealer is valid for 15 days including the day of issue. */
export const TEMP_PLATE_DAYS = 15;
export function tempPlateValidUntil(issueDay: string): string {
  return addDays(issueDay, TEMP_PLATE_DAYS - 1);
}

export type OwnerData = { ownerName: string; ownerIdNumber: string; ownerPhone: string };

/** which owner data differ between the temporary plate and the registration. */
export function ownerMismatches(issued: OwnerData, registered: OwnerData): string[] {
  // Stryker disable next-line MethodExpression: equivalent — both sides are cased alike; for names, ID numbers (digits, X) and phones upper and lower case compare the same
  const norm = (s: string) => s.replace(/\s/g, '').toUpperCase();
  return (['ownerName', 'ownerIdNumber', 'ownerPhone'] as const).filter((k) => norm(issued[k]) !== norm(registered[k]));
}

/** Blank numbers: the city's plate prefix, 临, and a five-digit serial (粤B临00001). */
export function blankNumber(prefix: string, serial: number): string {
  return `${prefix}临${String(serial).padStart(5, '0')}`;
}

// ---------------------------------------------------------------------------
// Accounting
// ---------------------------------------------------------------------------

export type Stock = { handedOut: number; inStock: number; issued: number; damagedKept: number; returned: number; destroyed: number; recovered: number };

/** Every blank handed out is in stock, issued, damaged (kept or returned, then destroyed) or recovered. */
export function isBalanced(s: Stock): boolean {
  return s.handedOut === s.inStock + s.issued + s.damagedKept + s.returned + s.destroyed + s.recovered;
}

/** Stock counted from the blanks' statuses, the way the reconciliation screen shows it. */
export function stockFromStatuses(counts: Partial<Record<BlankStatus, number>>): Stock {
  const n = (s: BlankStatus) => counts[s] ?? 0;
  const s = { inStock: n('in_stock'), issued: n('issued'), damagedKept: n('damaged'), returned: n('returned'), destroyed: n('destroyed'), recovered: n('recovered') };
  return { handedOut: s.inStock + s.issued + s.damagedKept + s.returned + s.destroyed + s.recovered, ...s };
}
