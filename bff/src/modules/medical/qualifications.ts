/**
 * 医疗机构受委托资格 — the entrustment of a medical institution,
 * exactly like a dealer's for temporary plates (PD-12, as R-31 … R-33):
 * application with documents, 管理岗 review, a one-year term, a renewal
 * review in the last month, revocation for false certificates and a
 * one-year ban on applying again.
 */
import type { Db } from '../../db.ts';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { cancelJobs, enqueueJob } from '../../platform/jobs.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import { loadCalendar } from '../../platform/calendar-store.ts';
import { maskPhone } from '../../platform/check-digits.ts';
import { fileOf, usableUpload } from '../../platform/uploads/service.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';
import { institutionOf, iso, MEDICAL_JOBS, scopeOf, type Meta, type StaffActor } from './shared.ts';

const systemActor: Actor = { kind: 'system', label: 'medical' };

async function qualificationDto(db: Db, q: repo.QualificationRow, now: Date, detail = false) {
  const reviews = detail ? await repo.reviewsOf(db, q.id) : [];
  const docs = await repo.documentsOf(db, reviews.map((r) => r.id));
  const pending = reviews.find((r) => r.status === 'pending') ?? null;
  const today = shanghaiDay(now);
  return {
    id: q.id,
    organisationId: q.organisation_id,
    organisationName: q.organisation_name,
    organisationCode: q.organisation_code,
    legalRepName: q.legal_rep_name,
    legalRepPhoneMasked: maskPhone(q.legal_rep_phone),
    practiceLicenceNo: q.practice_licence_no,
    authorityId: q.authority_id,
    status: q.status,
    /** whether the institution may submit certificates today */
    maySubmit: rules.decideMaySubmit({ status: q.status, validUntil: q.valid_until }, today).ok,
    validFrom: q.valid_from,
    validUntil: q.valid_until,
    renewalWindow: q.valid_until ? rules.renewalWindow(q.valid_until) : null,
    mayRenew: rules.decideRenewal({ status: q.status, validUntil: q.valid_until }, today).ok && !q.review_id,
    appliedAt: q.applied_at.toISOString(),
    decidedAt: iso(q.decided_at),
    decisionNote: q.decision_note,
    endedAt: iso(q.ended_at),
    endReason: q.end_reason,
    reapplyAfter: q.reapply_after,
    updatedAt: q.updated_at.toISOString(),
    certificateCount: q.certificate_count,
    reviewKind: q.review_kind,
    reviewSubmittedAt: iso(q.review_submitted_at),
    reviewDueAt: iso(q.review_due_at),
    pendingReview: pending
      ? {
          id: pending.id, kind: pending.kind, submittedAt: pending.submitted_at.toISOString(), dueAt: pending.due_at.toISOString(),
          documents: docs.filter((d) => d.review_id === pending.id).map((d) => ({ kind: d.kind, uploadId: d.upload_id, fileName: d.file_name ?? d.kind, contentType: d.content_type, sizeBytes: d.size_bytes })),
        }
      : null,
    reviews: reviews.map((r) => ({ id: r.id, kind: r.kind, status: r.status, submittedAt: r.submitted_at.toISOString(), dueAt: r.due_at.toISOString(), decidedAt: iso(r.decided_at), note: r.note })),
  };
}
export type QualificationDto = Awaited<ReturnType<typeof qualificationDto>>;

export type DocumentsInput = Partial<Record<rules.DocumentKind, string>>;

async function checkedDocuments(tx: Db, staff: StaffPrincipal, docs: DocumentsInput) {
  const list: { kind: string; uploadId: string }[] = [];
  for (const kind of rules.REQUIRED_DOCUMENTS) {
    const id = docs[kind];
    if (!id) continue;
    await usableUpload(tx, { kind: 'staff', id: staff.id }, id, 'medical_qualification_document', `documents.${kind}`);
    list.push({ kind, uploadId: id });
  }
  return list;
}

async function reviewDueAt(db: Db, now: Date): Promise<Date> {
  return (await loadCalendar(db)).deadlineAfterWorkingDays(now, rules.REVIEW_WORKING_DAYS);
}

/** PD-12: the institution's operator applies with its documents (as; the ban of checked). */
export async function applyForQualification(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: { practiceLicenceNo: string; documents: DocumentsInput }, meta: Meta) {
  const organisationId = institutionOf(staff);
  const id = await deps.sql.begin(async (tx) => {
    const org = await repo.findOrganisation(tx, organisationId);
    if (!org) throw new DomainError('medical.not_medical_institution');
    const docs = await checkedDocuments(tx, staff, input.documents);
    const decision = rules.decideApplication(
      { isMedicalInstitution: org.is_medical_institution, dissolved: org.dissolved, reapplyAfter: await repo.latestReapplyAfter(tx, org.id), documentKinds: docs.map((d) => d.kind) },
      shanghaiDay(meta.now),
    );
    if (!decision.ok) throw refuse(decision, decision.code === 'medical.documents_incomplete' ? 'documents' : undefined);
    const id = await repo.insertQualification(tx, {
      organisationId: org.id, authorityId: org.authority_id, organisationName: org.name, organisationCode: org.uscc, legalRepName: org.legal_rep_name,
      legalRepPhone: org.legal_rep_phone, practiceLicenceNo: input.practiceLicenceNo, staffId: staff.id, now: meta.now,
    });
    const dueAt = await reviewDueAt(tx, meta.now);
    await repo.insertReview(tx, { qualificationId: id, kind: 'initial', staffId: staff.id, now: meta.now, dueAt, documents: docs });
    await writeAudit(tx, actor, meta, {
      action: 'medical.qualification_applied', entityType: 'medical_qualification', entityId: id, authorityId: org.authority_id,
      after: { organisation: org.name, practiceLicenceNo: input.practiceLicenceNo, documents: docs.map((d) => d.kind), reviewDueAt: dueAt.toISOString() },
    });
    return id;
  });
  return getQualification(deps, staff, id, meta.now);
}

/** PD-12 (as ): the renewal review, submitted in the last month before the entrustment ends. */
export async function requestRenewal(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { practiceLicenceNo: string; documents: DocumentsInput }, meta: Meta) {
  const organisationId = institutionOf(staff);
  await deps.sql.begin(async (tx) => {
    const q = await repo.findQualification(tx, id, { organisationId }, true);
    if (!q) throw new DomainError('medical.qualification_not_found');
    const window = rules.decideRenewal({ status: q.status, validUntil: q.valid_until }, shanghaiDay(meta.now));
    if (!window.ok) throw refuse(window);
    const docs = await checkedDocuments(tx, staff, input.documents);
    const missing = rules.missingDocuments(docs.map((d) => d.kind));
    if (missing.length) throw refuse({ code: 'medical.documents_incomplete', params: { missing: missing.join(',') } }, 'documents');
    const dueAt = await reviewDueAt(tx, meta.now);
    await repo.insertReview(tx, { qualificationId: id, kind: 'renewal', staffId: staff.id, now: meta.now, dueAt, documents: docs });
    if (input.practiceLicenceNo !== q.practice_licence_no) await repo.updateQualification(tx, id, { practice_licence_no: input.practiceLicenceNo, updated_at: meta.now });
    await writeAudit(tx, actor, meta, {
      action: 'medical.renewal_requested', entityType: 'medical_qualification', entityId: id, authorityId: q.authority_id,
      before: { practiceLicenceNo: q.practice_licence_no }, after: { practiceLicenceNo: input.practiceLicenceNo, validUntil: q.valid_until, reviewDueAt: dueAt.toISOString() },
    });
  });
  return getQualification(deps, staff, id, meta.now);
}

/**
 * each decision on an entrustment (admitted, renewed, refused, revoked,
 * lapsed) files the qualification's archive record again — a new version with
 * the decision, the review documents and the trail so far (ADR-036).
 */
async function archiveQualification(tx: Db, actor: Actor, meta: RequestMeta, id: string, decision: string) {
  const q = await repo.findQualification(tx, id, 'system');
  if (!q) return;
  const reviews = await repo.reviewsOf(tx, id);
  const docs = await repo.documentsOf(tx, reviews.map((r) => r.id));
  await archiveCase(tx, actor, meta, {
    businessType: 'medical_qualification', caseRef: id, authorityId: q.authority_id, organisationId: q.organisation_id,
    data: {
      decision, status: q.status, institution: q.organisation_name, organisationCode: q.organisation_code, practiceLicenceNo: q.practice_licence_no,
      validFrom: q.valid_from, validUntil: q.valid_until, endReason: q.end_reason, reapplyAfter: q.reapply_after,
      reviews: reviews.map((r) => ({ kind: r.kind, status: r.status, submittedAt: r.submitted_at })),
    },
    uploadIds: docs.map((d) => d.upload_id), finishedAt: meta.now,
  });
}

async function lockForReview(tx: Db, staff: StaffPrincipal, id: string) {
  const q = await repo.findQualification(tx, id, { authorities: await repo.visibleAuthorities(tx, staff.authorityId) }, true);
  if (!q) throw new DomainError('medical.qualification_not_found');
  return q;
}

/**
 * 管理岗 approves the pending review: the first admission activates the
 * entrustment for one year; a renewal extends it by a year (PD-12). The lapse
 * job is (re)booked for the new end.
 */
export async function approveReview(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note?: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const q = await lockForReview(tx, staff, id);
    const review = await repo.pendingReview(tx, id);
    if (!review) throw new DomainError('medical.no_pending_review');
    const today = shanghaiDay(meta.now);
    let patch: Record<string, unknown>;
    if (review.kind === 'initial') {
      if (q.status !== 'pending') throw new DomainError('medical.wrong_status', { params: { status: q.status } });
      const v = rules.validityFrom(today);
      patch = { status: 'active', valid_from: v.validFrom, valid_until: v.validUntil };
    } else {
      const window = rules.decideRenewal({ status: q.status, validUntil: q.valid_until }, today);
      if (!window.ok) throw refuse(window);
      patch = { valid_until: rules.renewedUntil(q.valid_until!) };
    }
    const note = input.note ?? '';
    await repo.decideReview(tx, review.id, 'approved', staff.id, note, meta.now);
    await repo.updateQualification(tx, id, { ...patch, decided_at: meta.now, decided_by: staff.id, decision_note: note, updated_at: meta.now });
    const validUntil = String(patch.valid_until ?? q.valid_until);
    await cancelJobs(tx, MEDICAL_JOBS.lapse, id, meta.now);
    await enqueueJob(tx, { kind: MEDICAL_JOBS.lapse, runAt: rules.lapsesAt(validUntil), payload: { qualificationId: id }, dedupeKey: id }, meta.now);
    await writeAudit(tx, actor, meta, {
      action: review.kind === 'initial' ? 'medical.qualification_approved' : 'medical.qualification_renewed', entityType: 'medical_qualification', entityId: id,
      authorityId: q.authority_id, before: { status: q.status, validUntil: q.valid_until }, after: { ...patch, note },
    });
    await archiveQualification(tx, actor, meta, id, review.kind === 'initial' ? 'approved' : 'renewed');
  });
  return getQualification(deps, staff, id, meta.now);
}

/** 管理岗 rejects the pending review, with the reason; a rejected first application ends the qualification (no ban). */
export async function rejectReview(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const q = await lockForReview(tx, staff, id);
    const review = await repo.pendingReview(tx, id);
    if (!review) throw new DomainError('medical.no_pending_review');
    await repo.decideReview(tx, review.id, 'rejected', staff.id, input.note, meta.now);
    if (review.kind === 'initial') {
      await repo.updateQualification(tx, id, { status: 'rejected', ended_at: meta.now, end_reason: input.note, decided_at: meta.now, decided_by: staff.id, decision_note: input.note, updated_at: meta.now });
    }
    await writeAudit(tx, actor, meta, {
      action: 'medical.review_rejected', entityType: 'medical_qualification', entityId: id, authorityId: q.authority_id,
      before: { status: q.status }, after: { kind: review.kind, status: review.kind === 'initial' ? 'rejected' : q.status, note: input.note },
    });
    await archiveQualification(tx, actor, meta, id, review.kind === 'initial' ? 'refused' : 'renewal_refused');
  });
  return getQualification(deps, staff, id, meta.now);
}

/** Ends an entrustment (lapse or revocation): one-year ban on applying again (PD-12); a pending renewal is closed. */
async function endQualification(tx: Db, q: repo.QualificationRow, status: 'revoked' | 'lapsed', reason: string, staffId: string | null, now: Date) {
  const reapplyAfter = rules.reapplyAfter(shanghaiDay(now));
  const review = await repo.pendingReview(tx, q.id);
  if (review) await repo.decideReview(tx, review.id, 'rejected', staffId, reason, now);
  await repo.updateQualification(tx, q.id, { status, ended_at: now, end_reason: reason, reapply_after: reapplyAfter, updated_at: now });
  await cancelJobs(tx, MEDICAL_JOBS.lapse, q.id, now);
  return { reapplyAfter };
}

/**
 * PD-12: revocation for false certificates. The institution can no
 * longer submit (its operator's upload is refused) and every certificate it
 * issued under this entrustment stops being accepted (certificates.ts); it
 * may apply again only after one year.
 */
export async function revokeQualification(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { reason: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const q = await lockForReview(tx, staff, id);
    if (q.status !== 'active') throw new DomainError('medical.wrong_status', { params: { status: q.status } });
    const r = await endQualification(tx, q, 'revoked', input.reason, staff.id, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'medical.qualification_revoked', entityType: 'medical_qualification', entityId: id, authorityId: q.authority_id,
      before: { status: q.status, validUntil: q.valid_until }, after: { status: 'revoked', reason: input.reason, certificatesNoLongerAccepted: q.certificate_count, ...r },
    });
    await archiveQualification(tx, actor, meta, id, 'revoked');
  });
  return getQualification(deps, staff, id, meta.now);
}

export async function listQualifications(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const { rows, total } = await repo.listQualifications(deps.sql, q, await scopeOf(deps.sql, staff));
  return { total, rows: await Promise.all(rows.map((r) => qualificationDto(deps.sql, r, now))) };
}

export async function getQualification(deps: Deps, staff: StaffPrincipal, id: string, now: Date) {
  const q = await repo.findQualification(deps.sql, id, await scopeOf(deps.sql, staff));
  if (!q) throw new DomainError('medical.qualification_not_found');
  return qualificationDto(deps.sql, q, now, true);
}

/** The institution's own entrustment (live, else its latest), or null before it ever applied. */
export async function myQualification(deps: Deps, staff: StaffPrincipal, now: Date) {
  const q = await repo.currentQualification(deps.sql, institutionOf(staff));
  return q ? qualificationDto(deps.sql, q, now, true) : null;
}

/** A document of the latest review of that kind, for 管理岗 to read. */
export async function qualificationDocument(deps: Deps, staff: StaffPrincipal, id: string, kind: string) {
  const q = await repo.findQualification(deps.sql, id, await scopeOf(deps.sql, staff));
  if (!q) throw new DomainError('medical.qualification_not_found');
  const reviews = await repo.reviewsOf(deps.sql, id);
  const docs = await repo.documentsOf(deps.sql, reviews.map((r) => r.id));
  const doc = reviews.map((r) => docs.find((d) => d.review_id === r.id && d.kind === kind)).find((d) => d);
  if (!doc) throw new DomainError('uploads.not_found');
  const f = await fileOf(deps.sql, doc.upload_id);
  return { content: f.content, contentType: f.content_type, fileName: f.file_name ?? kind };
}

/** Job: not renewed by its last valid day → lapsed, one-year ban (PD-12, as ). */
export async function lapseQualification(tx: Db, qualificationId: string, now: Date) {
  const q = await repo.findQualification(tx, qualificationId, 'system', true);
  if (!q || q.status !== 'active' || !q.valid_until) return;
  if (!rules.isLapsed(q.valid_until, shanghaiDay(now))) return; // renewed meanwhile: its own job is booked
  const meta: RequestMeta = { requestId: `job:${MEDICAL_JOBS.lapse}:${qualificationId}`, ip: 'system', now };
  const r = await endQualification(tx, q, 'lapsed', 'not_renewed', null, now);
  await writeAudit(tx, systemActor, meta, {
    action: 'medical.qualification_lapsed', entityType: 'medical_qualification', entityId: qualificationId, authorityId: q.authority_id,
    before: { status: q.status, validUntil: q.valid_until }, after: { status: 'lapsed', ...r },
  });
  await archiveQualification(tx, systemActor, meta, qualificationId, 'lapsed');
}
