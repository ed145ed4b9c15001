/**
 * 延期换证 / 延期审验 / 延期提交身体条件证明 (X-4.2, PD-11): the citizen's
 * application, 受理岗's acceptance within one working day, the printable
 * 延期回执 with its verification code, and its public check.
 */
import { randomBytes } from 'node:crypto';
import type { Db, Sql } from '../../db.ts';
import type { Deps, StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import type { Locale } from '../../core/catalog.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { loadCalendar } from '../../platform/calendar-store.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import { maskIdNumber, maskName, maskPhone } from '../../platform/check-digits.ts';
import { deferralKindNames, deferralReasonNames } from './messages.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';
import { activeUser, lastDayOf, type Meta, type StaffActor, type UserActor } from './service.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** the date a deferral of this kind defers, for this licence today (null: nothing to defer). */
export function endDateOf(l: repo.LicenceRow, kind: rules.DeferralKind, today: string): string | null {
  if (kind === 'renewal') return l.valid_until;
  if (kind === 'review') return l.review_valid_until;
  return rules.currentObligation({ birthDate: l.birth_date, classes: l.classes, firstIssuedOn: l.first_issued_on }, today)?.lastDay ?? null;
}

function citizenDto(d: repo.DeferralRow, locale: Locale) {
  return {
    id: d.id,
    reference: d.reference,
    kind: d.kind,
    kindName: deferralKindNames[d.kind]![locale],
    reason: d.reason,
    reasonName: deferralReasonNames[d.reason]![locale],
    reasonNote: d.reason_note,
    licenceNoMasked: maskIdNumber(d.licence_no),
    holderName: d.holder_name,
    endDate: d.end_date,
    deferredUntil: d.deferred_until,
    status: d.status,
    authorityName: d.authority_name,
    submittedAt: d.submitted_at.toISOString(),
    acceptDeadline: d.accept_deadline.toISOString(),
    acceptLastDay: lastDayOf(d.accept_deadline),
    acceptedAt: iso(d.accepted_at),
    rejectedAt: iso(d.rejected_at),
    rejectionReason: d.rejection_reason,
    // the receipt exists once 受理岗 recorded the deferral
    verificationCode: d.status === 'accepted' ? d.verification_code : null,
  };
}

function staffDto(d: repo.DeferralRow, now: Date, locale: Locale) {
  return {
    ...citizenDto(d, locale),
    verificationCode: null,
    holderName: maskName(d.holder_name),
    holderIdNumberMasked: maskIdNumber(d.holder_id_number),
    applicantPhoneMasked: maskPhone(d.applicant_phone),
    overdue: d.status === 'submitted' && now >= d.accept_deadline,
    allowedCommands: d.status === 'submitted' ? ['accept', 'reject'] : [],
  };
}

export type DeferralInput = { licenceId: string; kind: rules.DeferralKind; reason: rules.DeferralReason; reasonNote?: string; deferredUntil: string };

/** …: submit; 受理岗 accepts within one working day; SMS. */
export async function applyForDeferral(deps: Deps, actor: UserActor, input: DeferralInput, meta: Meta) {
  const today = shanghaiDay(meta.now);
  const id = await deps.sql.begin(async (tx) => {
    const u = await activeUser(tx, actor.id);
    const who = rules.decideUser({ kind: u.kind, registrationChannel: u.registration_channel });
    if (!who.ok) throw refuse(who);
    const [l] = await repo.boundLicences(tx, actor.id, input.licenceId);
    if (!l) throw new DomainError('licences.licence_not_found', { field: 'licenceId' });
    const own = rules.decideBinding(l.binding);
    if (!own.ok) throw refuse(own, 'licenceId');
    const endDate = endDateOf(l, input.kind, today);
    if (!endDate) throw new DomainError(input.kind === 'review' ? 'licences.no_review_due' : 'licences.no_health_obligation', { field: 'kind' });
    const d = rules.decideDeferral(l.status, endDate, { kind: input.kind, reason: input.reason, reasonNote: input.reasonNote ?? '', deferredUntil: input.deferredUntil }, today);
    if (!d.ok) {
      const field = d.code === 'licences.deferral_until_invalid' || d.code === 'licences.deferral_too_long' ? 'deferredUntil' : d.code === 'licences.deferral_note_required' ? 'reasonNote' : 'kind';
      throw refuse(d, field);
    }
    const cal = await loadCalendar(tx);
    const acceptDeadline = rules.acceptDeadline(cal, meta.now);
    const reference = rules.licenceReference('YQ', l.issuing_authority_id, meta.now, await repo.nextSeq(tx, 'licence_deferral_ref_seq'));
    const id = await repo.insertDeferral(tx, {
      reference, userId: actor.id, licenceId: l.id, authorityId: l.issuing_authority_id, kind: input.kind, reason: input.reason,
      reasonNote: input.reasonNote ?? '', endDate, deferredUntil: input.deferredUntil, code: rules.verificationCode(randomBytes(8)),
      submittedAt: meta.now, acceptDeadline,
    });
    await writeAudit(tx, actor, meta, {
      action: 'licences.deferral_submitted', entityType: 'licence_deferral', entityId: id, authorityId: l.issuing_authority_id,
      after: { reference, licenceId: l.id, kind: input.kind, reason: input.reason, endDate, deferredUntil: input.deferredUntil },
    });
    await enqueueMessage(tx, {
      channel: 'sms', recipient: u.phone, template: 'licences.deferral_submitted', authorityId: l.issuing_authority_id,
      payload: { reference, kindName: deferralKindNames[input.kind]!['zh-CN'], acceptBy: lastDayOf(acceptDeadline) }, dedupeKey: `licence-deferral-submitted:${id}`,
    }, meta.now);
    return id;
  });
  return getMyDeferral(deps.sql, actor.id, id, meta.locale);
}

export async function getMyDeferral(sql: Sql, userId: string, id: string, locale: Locale) {
  const d = await repo.findDeferral(sql, id, { userId });
  if (!d) throw new DomainError('licences.deferral_not_found');
  return citizenDto(d, locale);
}

export async function myDeferrals(sql: Sql, userId: string, locale: Locale) {
  return { deferrals: (await repo.deferralsOfUser(sql, userId)).map((d) => citizenDto(d, locale)) };
}

/** anyone holding a printed receipt can check it with its number and code; the answer names little. */
export async function verifyReceipt(db: Db, reference: string, code: string, locale: Locale) {
  const d = await repo.deferralByReference(db, reference.trim().toUpperCase());
  if (!d || d.status !== 'accepted' || d.verification_code !== code.trim().toUpperCase()) throw new DomainError('licences.receipt_not_found');
  return {
    reference: d.reference,
    kind: d.kind,
    kindName: deferralKindNames[d.kind]![locale],
    holderName: maskName(d.holder_name),
    licenceNoMasked: maskIdNumber(d.licence_no),
    endDate: d.end_date,
    deferredUntil: d.deferred_until,
    authorityName: d.authority_name,
    acceptedAt: d.accepted_at!.toISOString(),
  };
}

export async function listDeferrals(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date, locale: Locale) {
  const { rows, total } = await repo.listDeferrals(deps.sql, q, await repo.visibleAuthorities(deps.sql, staff.authorityId));
  return { total, rows: rows.map((d) => staffDto(d, now, locale)) };
}

export async function getDeferralForStaff(deps: Deps, staff: StaffPrincipal, id: string, now: Date, locale: Locale) {
  const d = await repo.findDeferral(deps.sql, id, { authorities: await repo.visibleAuthorities(deps.sql, staff.authorityId) });
  if (!d) throw new DomainError('licences.deferral_not_found');
  return staffDto(d, now, locale);
}

/** 受理岗 records the deferral (the licence's state again, X-4.2.6) or refuses it with the reason; SMS either way. */
export async function decideDeferral(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { accept: boolean; reason?: string }, meta: Meta) {
  const authorities = await repo.visibleAuthorities(deps.sql, staff.authorityId);
  await deps.sql.begin(async (tx) => {
    if (!(await repo.findDeferral(tx, id, { authorities }))) throw new DomainError('licences.deferral_not_found');
    await repo.lockDeferral(tx, id);
    const d = (await repo.findDeferral(tx, id, { authorities }))!;
    if (d.status !== 'submitted') throw new DomainError('licences.deferral_wrong_status', { params: { status: d.status } });
    if (input.accept) {
      const l = (await repo.licenceById(tx, d.licence_id))!;
      const s = rules.decideState(l.status, 'deferral');
      if (!s.ok) throw refuse(s);
    }
    const patch = input.accept
      ? { status: 'accepted', accepted_at: meta.now, accepted_by: staff.id, updated_at: meta.now }
      : { status: 'rejected', rejected_at: meta.now, rejection_reason: input.reason, updated_at: meta.now };
    await repo.updateDeferral(tx, id, patch);
    await writeAudit(tx, actor, meta, {
      action: input.accept ? 'licences.deferral_accepted' : 'licences.deferral_rejected', entityType: 'licence_deferral', entityId: id, authorityId: d.authority_id,
      before: { status: d.status }, after: { status: patch.status, deferredUntil: d.deferred_until, reason: input.reason ?? null },
    });
    await enqueueMessage(tx, {
      channel: 'sms', recipient: d.applicant_phone, template: input.accept ? 'licences.deferral_accepted' : 'licences.deferral_rejected', authorityId: d.authority_id,
      payload: { reference: d.reference, kindName: deferralKindNames[d.kind]!['zh-CN'], deferredUntil: d.deferred_until, code: d.verification_code, reason: input.reason ?? '' },
      dedupeKey: `licence-deferral-decided:${id}`,
    }, meta.now);
    // decided, the deferral case goes to the electronic archive
    await archiveCase(tx, actor, meta, {
      businessType: 'licence_service', caseRef: d.reference, entityIds: [id], authorityId: d.authority_id,
      personId: await repo.personOfLicence(tx, d.licence_id), userAccountId: d.user_account_id, licenceNo: d.licence_no,
      data: { service: 'deferral', kind: d.kind, reason: d.reason, deferredUntil: d.deferred_until, outcome: patch.status, rejectionReason: input.reason ?? null },
      finishedAt: meta.now,
    });
  });
  return getDeferralForStaff(deps, staff, id, meta.now, meta.locale);
}
