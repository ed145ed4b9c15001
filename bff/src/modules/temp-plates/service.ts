import { citySettingInScope, citySettingReads } from '../../platform/city-settings.ts';
import type { Db } from '../../db.ts';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import type { Locale } from '../../core/catalog.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { cancelJobs, enqueueJob } from '../../platform/jobs.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import { idDocumentProblem, maskIdNumber, maskName, maskPhone, maskVin } from '../../platform/check-digits.ts';
import { fileOf, usableUpload } from '../../platform/uploads/service.ts';
import type { RevealTarget } from '../../platform/personal-data.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';

/** Durable job kinds of the module (handlers in jobs.ts). */
export const TEMP_PLATE_JOBS = {
  /** the qualification ends at 00:00 after its last valid day unless renewed */
  lapse: 'temp_plates.qualification_lapse',
  /** R-33.2.4 / PD-8: the check of a hand-out made while the records could not be consulted */
  deferredCheck: 'temp_plates.deferred_check',
} as const;

/** How long after a "network down" hand-out the deferred check first runs; it retries by itself if it fails. */
export const DEFERRED_CHECK_DELAY_MS = 5 * 60_000;

export type Meta = RequestMeta & { locale: Locale };
type StaffActor = Actor & { kind: 'staff' };
const systemActor: Actor = { kind: 'system', label: 'temp-plates' };
const iso = (d: Date | null) => (d ? d.toISOString() : null);



/** Dealers see their own organisation's rows; the posts those of their authority and its cities. */
async function scopeOf(db: Db, staff: StaffPrincipal): Promise<repo.Scope> {
  if (staff.roles.includes('dealer') && !staff.roles.some((r) => r === 'intake' || r === 'review')) {
    if (!staff.organisationId) throw new DomainError('temp_plates.not_a_dealer');
    return { organisationId: staff.organisationId };
  }
  return { authorities: await repo.visibleAuthorities(db, staff.authorityId) };
}

function dealerOrganisation(staff: StaffPrincipal): string {
  if (!staff.roles.includes('dealer') || !staff.organisationId) throw new DomainError('temp_plates.not_a_dealer');
  return staff.organisationId;
}

// ---------------------------------------------------------------------------
// DTOs
// ---------------------------------------------------------------------------

function stockOf(q: repo.QualificationRow): rules.Stock {
  return {
    handedOut: q.blanks_handed_out, inStock: q.blanks_in_stock, issued: q.blanks_issued, damagedKept: q.blanks_damaged_kept,
    returned: q.blanks_returned, destroyed: q.blanks_destroyed, recovered: q.blanks_recovered,
  };
}

async function qualificationDto(db: Db, q: repo.QualificationRow, now: Date, detail = false) {
  const reviews = detail ? await repo.reviewsOf(db, q.id) : [];
  const docs = await repo.documentsOf(db, reviews.map((r) => r.id));
  const pending = reviews.find((r) => r.status === 'pending') ?? null;
  const records = detail && q.status !== 'pending' ? await repo.recordsAt(db, q.id, now) : null;
  const stock = stockOf(q);
  return {
    id: q.id,
    organisationId: q.organisation_id,
    organisationName: q.organisation_name,
    organisationCode: q.organisation_code,
    legalRepName: q.legal_rep_name,
    legalRepPhoneMasked: maskPhone(q.legal_rep_phone),
    authorityId: q.authority_id,
    brandModels: q.brand_models,
    status: q.status,
    validFrom: q.valid_from,
    validUntil: q.valid_until,
    renewalWindow: q.valid_until ? rules.renewalWindow(q.valid_until) : null,
    quota: q.quota,
    stock: { ...stock, balanced: rules.isBalanced(stock) },
    mismatchCount: q.mismatch_count,
    damageCount: q.damage_count,
    explanation: {
      required: q.explanation_required_at !== null,
      requiredAt: iso(q.explanation_required_at),
      reason: q.explanation_reason,
      text: q.explanation_text,
      submittedAt: iso(q.explanation_submitted_at),
    },
    appliedAt: q.applied_at.toISOString(),
    decidedAt: iso(q.decided_at),
    decisionNote: q.decision_note,
    endedAt: iso(q.ended_at),
    endReason: q.end_reason,
    reapplyAfter: q.reapply_after,
    suspendedAt: iso(q.suspended_at),
    suspendReason: q.suspend_reason,
    updatedAt: q.updated_at.toISOString(),
    pendingReview: pending
      ? {
          id: pending.id, kind: pending.kind, brandModels: pending.brand_models, submittedAt: pending.submitted_at.toISOString(),
          documents: docs.filter((d) => d.review_id === pending.id).map((d) => ({ kind: d.kind, uploadId: d.upload_id, fileName: d.file_name, contentType: d.content_type, sizeBytes: d.size_bytes })),
        }
      : null,
    reviews: reviews.map((r) => ({ id: r.id, kind: r.kind, status: r.status, submittedAt: r.submitted_at.toISOString(), decidedAt: iso(r.decided_at), note: r.note })),
    // what 受理岗 compares with what the dealer hands in
    handOutCheck: records ? { damagedKeptNos: records.damagedKeptNos, issuedSinceLast: records.issuedSinceLast, lastHandOutAt: iso(records.lastHandOutAt) } : null,
  };
}

function batchDto(b: repo.BatchRow) {
  return {
    id: b.id,
    qualificationId: b.qualification_id,
    organisationName: b.organisation_name,
    quantity: b.quantity,
    firstPlateNo: b.first_plate_no,
    lastPlateNo: b.last_plate_no,
    declared: b.declared,
    checkStatus: b.check_status,
    checkResult: b.check_result,
    checkedAt: iso(b.checked_at),
    handedOutAt: b.handed_out_at.toISOString(),
    handedOutBy: b.handed_out_by_label,
  };
}

function blankDto(b: repo.BlankRow) {
  return {
    id: b.id,
    plateNo: b.plate_no,
    qualificationId: b.qualification_id,
    organisationName: b.organisation_name,
    batchId: b.batch_id,
    status: b.status,
    damagedAt: iso(b.damaged_at),
    damageNote: b.damage_note,
    returnedAt: iso(b.returned_at),
    destroyedAt: iso(b.destroyed_at),
    recoveredAt: iso(b.recovered_at),
    issuanceId: b.issuance_id,
    updatedAt: b.updated_at.toISOString(),
  };
}

function issuanceDto(i: repo.IssuanceRow) {
  return {
    id: i.id,
    blankId: i.blank_id,
    plateNo: i.plate_no,
    qualificationId: i.qualification_id,
    organisationName: i.organisation_name,
    vinMasked: maskVin(i.vin),
    brandModel: i.brand_model,
    ownerNameMasked: maskName(i.owner_name),
    ownerIdType: i.owner_id_type,
    ownerIdNumberMasked: maskIdNumber(i.owner_id_number),
    ownerPhoneMasked: maskPhone(i.owner_phone),
    validUntil: i.valid_until,
    status: i.status,
    issuedAt: i.issued_at.toISOString(),
    issuedBy: i.issued_by_label,
    registeredAt: iso(i.registered_at),
    mismatchFields: i.mismatch_fields,
  };
}

// ---------------------------------------------------------------------------
// Qualification: apply, renew (dealer); review (管理岗)
// ---------------------------------------------------------------------------

export type DocumentsInput = Partial<Record<rules.DocumentKind, string>>;

async function checkedDocuments(tx: Db, staff: StaffPrincipal, docs: DocumentsInput) {
  const list: { kind: string; uploadId: string }[] = [];
  for (const kind of rules.REQUIRED_DOCUMENTS) {
    const id = docs[kind];
    if (!id) continue;
    await usableUpload(tx, { kind: 'staff', id: staff.id }, id, 'qualification_document', `documents.${kind}`);
    list.push({ kind, uploadId: id });
  }
  return list;
}

const cleanModels = (models: string[]) => [...new Set(models.map((m) => m.trim()).filter(Boolean))];

/** the dealer applies with its documents and its brands/models (R-30, R-32.1, R-32.5 checked). */
export async function applyForQualification(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: { brandModels: string[]; documents: DocumentsInput }, meta: Meta) {
  const organisationId = dealerOrganisation(staff);
  const id = await deps.sql.begin(async (tx) => {
    const org = await repo.findOrganisation(tx, organisationId);
    if (!org) throw new DomainError('temp_plates.not_a_dealer');
    const docs = await checkedDocuments(tx, staff, input.documents);
    const decision = rules.decideApplication(
      { isCarDealer: org.is_car_dealer, dissolved: org.dissolved, cityEntrusted: await repo.cityEntrusted(tx, org.authority_id), reapplyAfter: await repo.latestReapplyAfter(tx, org.id), documentKinds: docs.map((d) => d.kind) },
      shanghaiDay(meta.now),
    );
    if (!decision.ok) throw refuse(decision, decision.code === 'temp_plates.documents_incomplete' ? 'documents' : undefined);
    const brandModels = cleanModels(input.brandModels);
    const id = await repo.insertQualification(tx, {
      organisationId: org.id, authorityId: org.authority_id, organisationName: org.name, organisationCode: org.uscc, legalRepName: org.legal_rep_name,
      legalRepPhone: org.legal_rep_phone, brandModels, staffId: staff.id, now: meta.now,
    });
    await repo.insertReview(tx, { qualificationId: id, kind: 'initial', brandModels, staffId: staff.id, now: meta.now, documents: docs });
    await writeAudit(tx, actor, meta, { action: 'temp_plates.qualification_applied', entityType: 'dealer_qualification', entityId: id, authorityId: org.authority_id, after: { organisation: org.name, brandModels, documents: docs.map((d) => d.kind) } });
    return id;
  });
  return getQualification(deps, staff, id, meta.now);
}

/** the renewal review, submitted in the last month before the qualification ends. */
export async function requestRenewal(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { brandModels: string[]; documents: DocumentsInput }, meta: Meta) {
  const organisationId = dealerOrganisation(staff);
  await deps.sql.begin(async (tx) => {
    const q = await repo.findQualification(tx, id, { organisationId }, true);
    if (!q) throw new DomainError('temp_plates.qualification_not_found');
    const window = rules.decideRenewal({ status: q.status, validUntil: q.valid_until }, shanghaiDay(meta.now));
    if (!window.ok) throw refuse(window);
    const docs = await checkedDocuments(tx, staff, input.documents);
    const missing = rules.missingDocuments(docs.map((d) => d.kind));
    if (missing.length) throw refuse({ code: 'temp_plates.documents_incomplete', params: { missing: missing.join(',') } }, 'documents');
    const brandModels = cleanModels(input.brandModels);
    await repo.insertReview(tx, { qualificationId: id, kind: 'renewal', brandModels, staffId: staff.id, now: meta.now, documents: docs });
    await writeAudit(tx, actor, meta, { action: 'temp_plates.renewal_requested', entityType: 'dealer_qualification', entityId: id, authorityId: q.authority_id, after: { brandModels, validUntil: q.valid_until } });
  });
  return getQualification(deps, staff, id, meta.now);
}

async function lockForReview(tx: Db, staff: StaffPrincipal, id: string) {
  const q = await repo.findQualification(tx, id, { authorities: await repo.visibleAuthorities(tx, staff.authorityId) }, true);
  if (!q) throw new DomainError('temp_plates.qualification_not_found');
  return q;
}

/**
 * 管理岗 approves the pending review. The first admission activates
 * the qualification for one year with its quota; a renewal
 * extends it by a year. The lapse job is (re)booked for the new end.
 */
export async function approveReview(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { quota?: number; note?: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const q = await lockForReview(tx, staff, id);
    const review = await repo.pendingReview(tx, id);
    if (!review) throw new DomainError('temp_plates.no_pending_review');
    const today = shanghaiDay(meta.now);
    let patch: Record<string, unknown>;
    if (review.kind === 'initial') {
      if (q.status !== 'pending') throw new DomainError('temp_plates.wrong_status');
      if (input.quota === undefined) throw new DomainError('temp_plates.quota_required', { field: 'quota' });
      const v = rules.validityFrom(today);
      patch = { status: 'active', valid_from: v.validFrom, valid_until: v.validUntil, quota: input.quota, brand_models: review.brand_models };
    } else {
      const window = rules.decideRenewal({ status: q.status, validUntil: q.valid_until }, today);
      if (!window.ok) throw refuse(window);
      patch = { valid_until: rules.renewedUntil(q.valid_until!), brand_models: review.brand_models, ...(input.quota !== undefined ? { quota: input.quota } : {}) };
    }
    Object.assign(patch, { decided_at: meta.now, decided_by: staff.id, decision_note: input.note ?? '', updated_at: meta.now });
    await repo.decideReview(tx, review.id, 'approved', staff.id, input.note ?? '', meta.now);
    await repo.updateQualification(tx, id, patch);
    await cancelJobs(tx, TEMP_PLATE_JOBS.lapse, id, meta.now);
    await enqueueJob(tx, { kind: TEMP_PLATE_JOBS.lapse, runAt: rules.lapsesAt(String(patch.valid_until ?? q.valid_until)), payload: { qualificationId: id }, dedupeKey: id }, meta.now);
    await writeAudit(tx, actor, meta, {
      action: review.kind === 'initial' ? 'temp_plates.qualification_approved' : 'temp_plates.qualification_renewed', entityType: 'dealer_qualification', entityId: id,
      authorityId: q.authority_id, before: { status: q.status, validUntil: q.valid_until, quota: q.quota }, after: { ...patch, decided_at: undefined, updated_at: undefined },
    });
  });
  return getQualification(deps, staff, id, meta.now);
}

export async function rejectReview(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const q = await lockForReview(tx, staff, id);
    const review = await repo.pendingReview(tx, id);
    if (!review) throw new DomainError('temp_plates.no_pending_review');
    await repo.decideReview(tx, review.id, 'rejected', staff.id, input.note, meta.now);
    if (review.kind === 'initial') {
      await repo.updateQualification(tx, id, { status: 'rejected', ended_at: meta.now, end_reason: input.note, decided_at: meta.now, decided_by: staff.id, decision_note: input.note, updated_at: meta.now });
    }
    await writeAudit(tx, actor, meta, { action: 'temp_plates.review_rejected', entityType: 'dealer_qualification', entityId: id, authorityId: q.authority_id, after: { kind: review.kind, note: input.note } });
  });
  return getQualification(deps, staff, id, meta.now);
}

/** Ends a qualification (R-32.3 lapse, R-32.4 revocation): one-year reapply ban, unused blanks recovered. */
async function endQualification(tx: Db, q: repo.QualificationRow, status: 'revoked' | 'lapsed', reason: string, now: Date) {
  const recovered = await repo.recoverStock(tx, q.id, now);
  await repo.moveCounters(tx, q.id, { in_stock: -recovered, recovered }, now);
  const reapplyAfter = rules.reapplyAfter(shanghaiDay(now));
  await repo.updateQualification(tx, q.id, { status, ended_at: now, end_reason: reason, reapply_after: reapplyAfter, suspended_at: null, updated_at: now });
  await cancelJobs(tx, TEMP_PLATE_JOBS.lapse, q.id, now);
  return { recovered, reapplyAfter };
}

/** no good reason for repeated mismatches or damage → revoked; applies. */
export async function revokeQualification(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { reason: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const q = await lockForReview(tx, staff, id);
    if (q.status !== 'active' && q.status !== 'suspended') throw new DomainError('temp_plates.wrong_status');
    const r = await endQualification(tx, q, 'revoked', input.reason, meta.now);
    await writeAudit(tx, actor, meta, { action: 'temp_plates.qualification_revoked', entityType: 'dealer_qualification', entityId: id, authorityId: q.authority_id, before: { status: q.status }, after: { status: 'revoked', reason: input.reason, ...r } });
  });
  return getQualification(deps, staff, id, meta.now);
}

export async function setQuota(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { quota: number }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const q = await lockForReview(tx, staff, id);
    await repo.updateQualification(tx, id, { quota: input.quota, updated_at: meta.now });
    await writeAudit(tx, actor, meta, { action: 'temp_plates.quota_set', entityType: 'dealer_qualification', entityId: id, authorityId: q.authority_id, before: { quota: q.quota }, after: { quota: input.quota } });
  });
  return getQualification(deps, staff, id, meta.now);
}

/** the dealer explains; 管理岗 accepts it (counters start again) or revokes. */
export async function submitExplanation(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { text: string }, meta: Meta) {
  const organisationId = dealerOrganisation(staff);
  await deps.sql.begin(async (tx) => {
    const q = await repo.findQualification(tx, id, { organisationId }, true);
    if (!q) throw new DomainError('temp_plates.qualification_not_found');
    if (!q.explanation_required_at) throw new DomainError('temp_plates.explanation_not_required');
    await repo.updateQualification(tx, id, { explanation_text: input.text, explanation_submitted_at: meta.now, updated_at: meta.now });
    await writeAudit(tx, actor, meta, { action: 'temp_plates.explanation_submitted', entityType: 'dealer_qualification', entityId: id, authorityId: q.authority_id, after: { reason: q.explanation_reason } });
  });
  return getQualification(deps, staff, id, meta.now);
}

export async function acceptExplanation(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note?: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const q = await lockForReview(tx, staff, id);
    if (!q.explanation_required_at) throw new DomainError('temp_plates.explanation_not_required');
    await repo.updateQualification(tx, id, {
      explanation_required_at: null, explanation_reason: null, explanation_text: null, explanation_submitted_at: null, mismatch_count: 0, damage_count: 0, updated_at: meta.now,
    });
    await writeAudit(tx, actor, meta, {
      action: 'temp_plates.explanation_accepted', entityType: 'dealer_qualification', entityId: id, authorityId: q.authority_id,
      before: { reason: q.explanation_reason, text: q.explanation_text, mismatchCount: q.mismatch_count, damageCount: q.damage_count }, after: { note: input.note ?? '' },
    });
  });
  return getQualification(deps, staff, id, meta.now);
}

/** After a failed deferred check is cleared up, 管理岗 lifts the suspension. */
export async function reinstateQualification(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note?: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const q = await lockForReview(tx, staff, id);
    if (q.status !== 'suspended') throw new DomainError('temp_plates.wrong_status');
    await repo.updateQualification(tx, id, { status: 'active', suspended_at: null, suspend_reason: null, updated_at: meta.now });
    await writeAudit(tx, actor, meta, { action: 'temp_plates.qualification_reinstated', entityType: 'dealer_qualification', entityId: id, authorityId: q.authority_id, before: { status: 'suspended', reason: q.suspend_reason }, after: { status: 'active', note: input.note ?? '' } });
  });
  return getQualification(deps, staff, id, meta.now);
}

export async function listQualifications(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const { rows, total } = await repo.listQualifications(deps.sql, q, await scopeOf(deps.sql, staff));
  return { total, rows: await Promise.all(rows.map((r) => qualificationDto(deps.sql, r, now))) };
}

export async function getQualification(deps: Deps, staff: StaffPrincipal, id: string, now: Date) {
  const q = await repo.findQualification(deps.sql, id, await scopeOf(deps.sql, staff));
  if (!q) throw new DomainError('temp_plates.qualification_not_found');
  return qualificationDto(deps.sql, q, now, true);
}

/** A document of the qualification's latest review of that kind, for 管理岗 to read. */
export async function qualificationDocument(deps: Deps, staff: StaffPrincipal, id: string, kind: string) {
  const q = await repo.findQualification(deps.sql, id, await scopeOf(deps.sql, staff));
  if (!q) throw new DomainError('temp_plates.qualification_not_found');
  const reviews = await repo.reviewsOf(deps.sql, id);
  const doc = (await repo.documentsOf(deps.sql, reviews.map((r) => r.id))).filter((d) => d.kind === kind).sort((a, b) => reviews.findIndex((r) => r.id === a.review_id) - reviews.findIndex((r) => r.id === b.review_id))[0];
  if (!doc) throw new DomainError('uploads.not_found');
  const f = await fileOf(deps.sql, doc.upload_id);
  return { content: f.content, contentType: f.content_type, fileName: f.file_name ?? kind };
}

// ---------------------------------------------------------------------------
// lapse (job)
// ---------------------------------------------------------------------------

/** Job: the qualification was not renewed in time → lapsed, reapply ban, stock recovered. */
export async function lapseQualification(tx: Db, qualificationId: string, now: Date) {
  const q = await repo.findQualification(tx, qualificationId, 'system', true);
  if (!q || (q.status !== 'active' && q.status !== 'suspended') || !q.valid_until) return;
  if (!rules.isLapsed(q.valid_until, shanghaiDay(now))) return; // renewed meanwhile: its own job is booked
  const meta: RequestMeta = { requestId: `job:${TEMP_PLATE_JOBS.lapse}:${qualificationId}`, ip: 'system', now };
  const r = await endQualification(tx, q, 'lapsed', 'not_renewed', now);
  await writeAudit(tx, systemActor, meta, {
    action: 'temp_plates.qualification_lapsed', entityType: 'dealer_qualification', entityId: qualificationId, authorityId: q.authority_id,
    before: { status: q.status, validUntil: q.valid_until }, after: { status: 'lapsed', ...r },
  });
}

// ---------------------------------------------------------------------------
// handing out blanks (受理岗)
// ---------------------------------------------------------------------------

export type HandOutInput = {
  qualificationId: string;
  quantity: number;
  returnedDamagedNos: string[];
  issuedSinceLast: number;
  materialsComplete: boolean;
  /** the records cannot be consulted now — hand out, check later */
  deferCheck?: boolean;
  /** upload ids of the collector's documents */
  documents?: Partial<Record<rules.HandOutDocumentKind, string>>;
};

/**
 * 受理岗 hands out numbered blanks: the dealer is qualified, the
 * quota holds, what was handed in matches the records —
 * or, with the network down, the check is queued (R-33.2.4, PD-8).
 * Numbers come from the authority's serial; each exists once (UNIQUE).
 */
export async function handOutBlanks(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: HandOutInput, meta: Meta) {
  const authorities = await repo.visibleAuthorities(deps.sql, staff.authorityId);
  const today = shanghaiDay(meta.now);
  const batchId = await deps.sql.begin(async (tx) => {
    const q = await repo.findQualification(tx, input.qualificationId, { authorities }, true);
    if (!q) throw new DomainError('temp_plates.qualification_not_found', { field: 'qualificationId' });
    const facts = { status: q.status, validUntil: q.valid_until, brandModels: q.brand_models, explanationPending: q.explanation_required_at !== null };
    const may = rules.decideHandOut(facts, today, await repo.cityEntrusted(tx, q.authority_id));
    if (!may.ok) throw refuse(may);
    // the unit's 组织机构代码证, 委托书 and the collector's 身份证明, scanned by this 受理岗
    const documents: { kind: string; uploadId: string }[] = [];
    for (const kind of rules.HAND_OUT_DOCUMENTS) {
      const id = input.documents?.[kind];
      if (!id) continue;
      await usableUpload(tx, { kind: 'staff', id: staff.id }, id, 'handout_document', `documents.${kind}`);
      documents.push({ kind, uploadId: id });
    }
    const docs = rules.checkHandOutDocuments(documents.map((d) => d.kind));
    if (!docs.ok) throw refuse(docs, docs.field);
    if (await repo.hasDeferredBatch(tx, q.id)) throw new DomainError('temp_plates.check_pending');
    const qty = rules.decideQuantity(q.quota, q.blanks_in_stock, input.quantity);
    if (!qty.ok) throw refuse(qty, 'quantity');
    const declared = { returnedDamagedNos: [...new Set(input.returnedDamagedNos.map((n) => n.trim()).filter(Boolean))].sort(), issuedSinceLast: input.issuedSinceLast, materialsComplete: input.materialsComplete };
    let checkResult: Record<string, unknown> | null = null;
    if (!input.deferCheck) {
      const records = await repo.recordsAt(tx, q.id, meta.now);
      const check = rules.checkHandOut(declared, records);
      if (!check.ok) throw refuse(check, 'returnedDamagedNos');
      checkResult = { ok: true, records: { damagedKeptNos: records.damagedKeptNos, issuedSinceLast: records.issuedSinceLast } };
    }
    const prefix = await repo.authorityPrefix(tx, q.authority_id);
    if (!prefix) throw new DomainError('temp_plates.city_not_entrusted');
    const first = await repo.takeSerials(tx, q.authority_id, input.quantity);
    if (first + input.quantity - 1 > 99_999) throw new DomainError('temp_plates.serial_exhausted');
    const plateNos = Array.from({ length: input.quantity }, (_, i) => rules.blankNumber(prefix, first + i));
    const batchId = await repo.insertBatch(tx, {
      qualificationId: q.id, authorityId: q.authority_id, quantity: input.quantity, firstPlateNo: plateNos[0]!, lastPlateNo: plateNos.at(-1)!,
      declared, checkStatus: input.deferCheck ? 'deferred' : 'passed', checkResult, staffId: staff.id, now: meta.now,
    });
    if (!input.deferCheck && declared.returnedDamagedNos.length) {
      const n = await repo.markReturned(tx, q.id, declared.returnedDamagedNos, batchId, meta.now);
      await repo.moveCounters(tx, q.id, { damaged_kept: -n, returned: n }, meta.now);
    }
    await repo.insertBatchDocuments(tx, batchId, documents);
    await repo.insertBlanks(tx, { plateNos, authorityId: q.authority_id, qualificationId: q.id, batchId, now: meta.now });
    // at the database: a concurrent hand-out that would pass the quota changes nothing
    if (!(await repo.addToStockWithinQuota(tx, q.id, input.quantity, meta.now))) throw new DomainError('temp_plates.quota_exceeded', { field: 'quantity' });
    if (input.deferCheck) {
      await enqueueJob(tx, { kind: TEMP_PLATE_JOBS.deferredCheck, runAt: new Date(meta.now.getTime() + DEFERRED_CHECK_DELAY_MS), payload: { batchId }, dedupeKey: batchId }, meta.now);
    }
    await writeAudit(tx, actor, meta, {
      action: 'temp_plates.blanks_handed_out', entityType: 'temp_plate_batch', entityId: batchId, authorityId: q.authority_id,
      after: { qualificationId: q.id, organisation: q.organisation_name, quantity: input.quantity, first: plateNos[0], last: plateNos.at(-1), declared, documents, check: input.deferCheck ? 'deferred' : 'passed' },
    });
    // the hand-out of blanks is a finished case: to the electronic archive (ADR-036).
    await archiveCase(tx, actor, meta, {
      businessType: 'temp_plate_stock', caseRef: batchId, authorityId: q.authority_id, organisationId: q.organisation_id,
      data: { qualificationId: q.id, organisation: q.organisation_name, quantity: input.quantity, plateNos, declared, check: input.deferCheck ? 'deferred' : 'passed', documents: documents.map((d) => d.kind) },
      uploadIds: documents.map((d) => d.uploadId), finishedAt: meta.now,
    });
    return batchId;
  });
  return batchWithDocuments(deps.sql, (await repo.findBatch(deps.sql, batchId, 'system'))!);
}

async function batchWithDocuments(db: Db, b: repo.BatchRow) {
  return { ...batchDto(b), documents: (await repo.batchDocuments(db, b.id)).map((d) => ({ kind: d.kind, fileName: d.file_name })) };
}

/**
 * Job (R-33.2.4, PD-8): the check of a hand-out made while the records
 * could not be consulted, against the records as they stood at the hand-out.
 * Failed → the qualification is suspended and the unused blanks recovered.
 */
export async function runDeferredCheck(tx: Db, batchId: string, now: Date) {
  const b = await repo.findBatch(tx, batchId, 'system', true);
  if (!b || b.check_status !== 'deferred') return;
  const q = (await repo.findQualification(tx, b.qualification_id, 'system', true))!;
  const records = await repo.recordsAt(tx, q.id, b.handed_out_at, b.id);
  const check = rules.checkHandOut(b.declared, records);
  const meta: RequestMeta = { requestId: `job:${TEMP_PLATE_JOBS.deferredCheck}:${batchId}`, ip: 'system', now };
  if (check.ok) {
    const n = await repo.markReturned(tx, q.id, b.declared.returnedDamagedNos, b.id, now);
    await repo.moveCounters(tx, q.id, { damaged_kept: -n, returned: n }, now);
    await repo.setBatchCheck(tx, b.id, 'passed', { ok: true, deferred: true, records: { damagedKeptNos: records.damagedKeptNos, issuedSinceLast: records.issuedSinceLast } }, now);
    await writeAudit(tx, systemActor, meta, { action: 'temp_plates.deferred_check_passed', entityType: 'temp_plate_batch', entityId: b.id, authorityId: b.authority_id, after: { returned: n } });
    return;
  }
  await repo.setBatchCheck(tx, b.id, 'failed', { ok: false, deferred: true, problems: check.problems, params: check.params }, now);
  let recovered = 0;
  if (q.status === 'active' || q.status === 'suspended') {
    recovered = await repo.recoverStock(tx, q.id, now);
    await repo.moveCounters(tx, q.id, { in_stock: -recovered, recovered }, now);
    await repo.updateQualification(tx, q.id, { status: 'suspended', suspended_at: now, suspend_reason: `deferred_check_failed:${check.problems.join(',')}`, updated_at: now });
  }
  await writeAudit(tx, systemActor, meta, {
    action: 'temp_plates.deferred_check_failed', entityType: 'dealer_qualification', entityId: q.id, authorityId: b.authority_id,
    before: { status: q.status }, after: { status: q.status === 'active' || q.status === 'suspended' ? 'suspended' : q.status, batchId: b.id, problems: check.problems, recovered },
  });
}

export async function listBatches(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const { rows, total } = await repo.listBatches(deps.sql, q, await scopeOf(deps.sql, staff));
  return { total, rows: rows.map(batchDto) };
}

export async function getBatch(deps: Deps, staff: StaffPrincipal, id: string) {
  const b = await repo.findBatch(deps.sql, id, await scopeOf(deps.sql, staff));
  if (!b) throw new DomainError('temp_plates.blank_not_found');
  return batchWithDocuments(deps.sql, b);
}

// ---------------------------------------------------------------------------
// Blanks: damaged (dealer), destroyed (受理岗); the stock
// ---------------------------------------------------------------------------

export async function listBlanks(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const { rows, total } = await repo.listBlanks(deps.sql, q, await scopeOf(deps.sql, staff));
  return { total, rows: rows.map(blankDto) };
}

export async function getBlank(deps: Deps, staff: StaffPrincipal, id: string) {
  const b = await repo.findBlank(deps.sql, id, await scopeOf(deps.sql, staff));
  if (!b) throw new DomainError('temp_plates.blank_not_found');
  return blankDto(b);
}

/** Sets the explanation requirement when the counters call for it. */
async function maybeRequireExplanation(tx: Db, q: repo.QualificationRow, mismatchCount: number, damageCount: number, now: Date) {
  const need = rules.explanationNeeded(mismatchCount, damageCount);
  if (need && !q.explanation_required_at) await repo.updateQualification(tx, q.id, { explanation_required_at: now, explanation_reason: need, updated_at: now });
  return need;
}

/** a blank damaged by bad storage or a printing fault is kept for the next collection. */
export async function reportDamaged(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note?: string }, meta: Meta) {
  const organisationId = dealerOrganisation(staff);
  await deps.sql.begin(async (tx) => {
    const b = await repo.findBlank(tx, id, { organisationId }, true);
    if (!b) throw new DomainError('temp_plates.blank_not_found');
    const q = (await repo.findQualification(tx, b.qualification_id, 'system', true))!;
    if (!(await repo.moveBlank(tx, id, 'in_stock', 'damaged', { damaged_at: meta.now, damage_note: input.note ?? '' }, meta.now))) throw new DomainError('temp_plates.blank_not_in_stock');
    await repo.moveCounters(tx, q.id, { in_stock: -1, damaged_kept: 1 }, meta.now);
    await repo.updateQualification(tx, q.id, { damage_count: q.damage_count + 1, updated_at: meta.now });
    const need = await maybeRequireExplanation(tx, q, q.mismatch_count, q.damage_count + 1, meta.now);
    await writeAudit(tx, actor, meta, { action: 'temp_plates.blank_damaged', entityType: 'temp_plate_blank', entityId: id, authorityId: b.authority_id, after: { plateNo: b.plate_no, note: input.note ?? '', explanationRequired: need } });
  });
  return getBlank(deps, staff, id);
}

/** the authority destroys a damaged blank handed back. */
export async function destroyBlank(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: Meta) {
  const authorities = await repo.visibleAuthorities(deps.sql, staff.authorityId);
  await deps.sql.begin(async (tx) => {
    const b = await repo.findBlank(tx, id, { authorities }, true);
    if (!b) throw new DomainError('temp_plates.blank_not_found');
    if (!(await repo.moveBlank(tx, id, 'returned', 'destroyed', { destroyed_at: meta.now, destroyed_by: staff.id }, meta.now))) throw new DomainError('temp_plates.blank_not_returned');
    await repo.moveCounters(tx, b.qualification_id, { returned: -1, destroyed: 1 }, meta.now);
    await writeAudit(tx, actor, meta, { action: 'temp_plates.blank_destroyed', entityType: 'temp_plate_blank', entityId: id, authorityId: b.authority_id, after: { plateNo: b.plate_no } });
  });
  return getBlank(deps, staff, id);
}

/** The dealer's reconciliation: the counters, the blanks counted by status, and whether both agree and balance. */
export async function stockOfDealer(deps: Deps, staff: StaffPrincipal, now: Date) {
  const organisationId = dealerOrganisation(staff);
  const q = await repo.currentQualification(deps.sql, organisationId);
  if (!q) throw new DomainError('temp_plates.qualification_not_found');
  const counted = rules.stockFromStatuses(await repo.blankCounts(deps.sql, q.id));
  const counters = stockOf(q);
  return {
    qualificationId: q.id,
    status: q.status,
    validUntil: q.valid_until,
    quota: q.quota,
    counters,
    counted,
    balanced: rules.isBalanced(counters),
    matches: JSON.stringify(counters) === JSON.stringify(counted),
    asOf: now.toISOString(),
  };
}

// ---------------------------------------------------------------------------
// issuing (dealer), the registration comparison (受理岗)
// ---------------------------------------------------------------------------

export type IssueInput = { blankId: string; vin: string; brandModel: string; ownerName: string; ownerIdType: string; ownerIdNumber: string; ownerPhone: string };

/** the dealer issues a blank of its stock for an authorised model of a car still to be registered. */
export async function issueTempPlate(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: IssueInput, meta: Meta) {
  const organisationId = dealerOrganisation(staff);
  const today = shanghaiDay(meta.now);
  const id = await deps.sql.begin(async (tx) => {
    const q = await repo.currentQualification(tx, organisationId, true);
    if (!q) throw new DomainError('temp_plates.not_qualified');
    const vehicle = await repo.findVehicleByVin(tx, input.vin);
    const decision = rules.decideIssue(
      {
        qualification: { status: q.status, validUntil: q.valid_until, brandModels: q.brand_models, explanationPending: q.explanation_required_at !== null },
        cityEntrusted: await repo.cityEntrusted(tx, q.authority_id),
        brandModel: input.brandModel,
        vin: input.vin,
        vehicle: vehicle ? { registered: vehicle.plate_no !== null } : null,
      },
      today,
    );
    if (!decision.ok) {
      const field = decision.code === 'temp_plates.model_not_authorised' ? 'brandModel' : decision.code === 'temp_plates.vehicle_registered' || decision.code === 'temp_plates.vin_invalid' ? 'vin' : undefined;
      throw refuse(decision, field);
    }
    const b = await repo.findBlank(tx, input.blankId, { organisationId }, true);
    if (!b || b.qualification_id !== q.id) throw new DomainError('temp_plates.blank_not_found', { field: 'blankId' });
    if (!(await repo.moveBlank(tx, b.id, 'in_stock', 'issued', {}, meta.now))) throw new DomainError('temp_plates.blank_not_in_stock', { field: 'blankId' });
    await repo.moveCounters(tx, q.id, { in_stock: -1, issued: 1 }, meta.now);
    const id = await repo.insertIssuance(tx, {
      blankId: b.id, plateNo: b.plate_no, qualificationId: q.id, authorityId: q.authority_id, vin: input.vin, brandModel: input.brandModel.trim(),
      ownerName: input.ownerName, ownerIdType: input.ownerIdType, ownerIdNumber: input.ownerIdNumber, ownerPhone: input.ownerPhone,
      validUntil: rules.tempPlateValidUntil(today), staffId: staff.id, now: meta.now,
    });
    await writeAudit(tx, actor, meta, {
      action: 'temp_plates.issued', entityType: 'temp_plate_issuance', entityId: id, authorityId: q.authority_id,
      after: { plateNo: b.plate_no, vin: maskVin(input.vin), brandModel: input.brandModel, owner: maskName(input.ownerName) },
    });
    await archiveCase(tx, actor, meta, {
      businessType: 'temp_plate_issuance', caseRef: id, authorityId: q.authority_id, organisationId, plateNo: b.plate_no,
      data: { ...input, plateNo: b.plate_no, qualificationId: q.id, validUntil: rules.tempPlateValidUntil(today) }, finishedAt: meta.now,
    });
    return id;
  });
  return getIssuance(deps, staff, id);
}

export async function listIssuances(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const { rows, total } = await repo.listIssuances(deps.sql, q, await scopeOf(deps.sql, staff));
  return { total, rows: rows.map(issuanceDto) };
}

export async function getIssuance(deps: Deps, staff: StaffPrincipal, id: string) {
  const i = await repo.findIssuance(deps.sql, id, await scopeOf(deps.sql, staff));
  if (!i) throw new DomainError('temp_plates.issuance_not_found');
  return issuanceDto(i);
}

/** The owner's ID number and phone of an issuance in my scope, for a logged reveal (issue 17, ADR-024). */
export async function revealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const i = await repo.findIssuance(db, id, await scopeOf(db, staff));
  if (!i) throw new DomainError('temp_plates.issuance_not_found');
  return {
    subject: { personId: await repo.personIdOf(db, i.owner_id_type, i.owner_id_number) },
    fields: { ownerIdNumber: { kind: 'id_number', value: i.owner_id_number }, ownerPhone: { kind: 'phone', value: i.owner_phone } },
  };
}

/**
 * at registration 受理岗 records the owner data; a
 * difference is counted against the dealer, and repeated ones require an explanation.
 */
export async function recordRegistration(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: rules.OwnerData & { ownerIdType?: string }, meta: Meta) {
  const authorities = await repo.visibleAuthorities(deps.sql, staff.authorityId);
  await deps.sql.begin(async (tx) => {
    const i = await repo.findIssuance(tx, id, { authorities }, true);
    if (!i) throw new DomainError('temp_plates.issuance_not_found');
    // a number sent without its type is read as the type the dealer recorded, with the one shared check.
    const problem = idDocumentProblem(input.ownerIdType ?? i.owner_id_type, input.ownerIdNumber);
    if (problem) throw new DomainError('request.invalid', { fields: { ownerIdNumber: problem } });
    if (i.status !== 'issued') throw new DomainError('temp_plates.already_registered');
    const mismatches = rules.ownerMismatches({ ownerName: i.owner_name, ownerIdNumber: i.owner_id_number, ownerPhone: i.owner_phone }, input);
    await repo.markRegistered(tx, id, staff.id, mismatches, meta.now);
    let need: string | null = null;
    if (mismatches.length) {
      const q = (await repo.findQualification(tx, i.qualification_id, 'system', true))!;
      await repo.updateQualification(tx, q.id, { mismatch_count: q.mismatch_count + 1, updated_at: meta.now });
      need = await maybeRequireExplanation(tx, q, q.mismatch_count + 1, q.damage_count, meta.now);
    }
    await writeAudit(tx, actor, meta, { action: 'temp_plates.registration_recorded', entityType: 'temp_plate_issuance', entityId: id, authorityId: i.authority_id, after: { plateNo: i.plate_no, mismatches, explanationRequired: need } });
  });
  return getIssuance(deps, staff, id);
}

// ---------------------------------------------------------------------------
// the city switch (管理岗)
// ---------------------------------------------------------------------------

function settingDto(s: repo.CitySettingRow) {
  return { id: s.authority_id, authorityName: s.authority_name, dealersEnabled: s.dealers_enabled, note: s.note, updatedAt: iso(s.updated_at), updatedBy: s.updated_by_label };
}

export const { list: listCitySettings, get: getCitySetting } = citySettingReads(repo.citySettings, settingDto, 'temp_plates.city_not_found');

export async function updateCitySetting(deps: Deps, staff: StaffPrincipal, actor: StaffActor, authorityId: string, input: { dealersEnabled: boolean; note?: string }, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const before = await citySettingInScope(tx, staff, authorityId, repo.citySettings, 'temp_plates.city_not_found');
    await repo.upsertCitySetting(tx, { authorityId, dealersEnabled: input.dealersEnabled, note: input.note ?? '', staffId: staff.id, now: meta.now });
    await writeAudit(tx, actor, meta, { action: 'temp_plates.city_setting_updated', entityType: 'temp_plate_city_setting', entityId: authorityId, authorityId, before: { dealersEnabled: before.dealers_enabled }, after: { dealersEnabled: input.dealersEnabled } });
  });
  return getCitySetting(deps, staff, authorityId);
}

