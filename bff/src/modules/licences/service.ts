/**
 * 补换领驾驶证: the citizen's options and application, the staff's
 * steps (受理岗, 档案岗), the pickup deadline. Deferrals are in deferrals.ts,
 * the health-certificate obligations in obligations.ts.
 */
import type { Db, Sql } from '../../db.ts';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import { describe, type Locale } from '../../core/catalog.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { enqueueMessage, recordReceipt as recordPostReceipt } from '../../platform/outbox.ts';
import { cancelJobs, enqueueJob } from '../../platform/jobs.ts';
import { loadCalendar } from '../../platform/calendar-store.ts';
import { shanghaiDay, startOfShanghaiDay } from '../../platform/calendar.ts';
import { maskIdNumber, maskName, maskPhone } from '../../platform/check-digits.ts';
import { masked, type RevealTarget } from '../../platform/personal-data.ts';
import { usableHealthCertificate } from '../medical/certificates.ts';
import { activeReplacementBar } from '../replacements/service.ts';
import { barEndsOn } from '../replacements/rules.ts';
import { licenceStateName } from './licence-states.ts';
import { kindNames, messages } from './messages.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';
import type { Command, Kind, Refusal } from './rules.ts';

export const LICENCE_JOBS = {
  /** the pickup month has passed */
  pickupDeadline: 'licences.pickup_deadline',
  /** the daily obligations sweep */
  obligationsSweep: 'licences.obligations_sweep',
} as const;

export type Meta = RequestMeta & { locale: Locale };
export type UserActor = Actor & { kind: 'user' };
export type StaffActor = Actor & { kind: 'staff' };

const systemActor: Actor = { kind: 'system', label: 'licences' };
const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const lastDayOf = (deadline: Date) => shanghaiDay(new Date(deadline.getTime() - 1));

export function reasonDto(r: Refusal | { code: string; params?: Record<string, string | number> }, locale: Locale) {
  const { title, detail } = describe(messages, r.code as keyof typeof messages, r.params, locale);
  return { code: r.code, title, detail: detail ?? null };
}

export async function activeUser(db: Db, userId: string) {
  const u = await repo.findUser(db, userId);
  if (!u) throw new DomainError('auth.required');
  if (u.status !== 'active') throw new DomainError('auth.account_suspended');
  return u;
}

/** who the user is, and the one-year bar shared with vehicle replacements. */
async function standingOf(db: Db, u: repo.UserRow, now: Date): Promise<{ code: string; params?: Record<string, string | number> } | null> {
  const who = rules.decideUser({ kind: u.kind, registrationChannel: u.registration_channel });
  if (!who.ok) return who;
  const bar = await activeReplacementBar(db, u.id, now);
  return bar ? { code: 'replacements.barred', params: { endsOn: bar.endsOn, reason: bar.reason } } : null;
}

function standingReason(s: { code: string; params?: Record<string, string | number> }, locale: Locale) {
  if (s.code === 'replacements.barred') {
    return locale === 'zh-CN'
      ? { code: s.code, title: '因曾拒收或逾期未领取补换领的证件，一年内不能通过互联网办理补换领业务', detail: `${s.params!.endsOn}起可再次网上办理；在此之前请到车管所窗口办理。` }
      : { code: s.code, title: 'Because a replacement was refused or not collected, you cannot apply online for one year', detail: `You can apply online again from ${s.params!.endsOn}; until then, please go to a counter.` };
  }
  return reasonDto(s, locale);
}

function licenceFacts(l: repo.LicenceRow): rules.LicenceFacts {
  return { binding: l.binding, status: l.status, classes: l.classes, validUntil: l.valid_until, birthDate: l.birth_date, hasCertificatePhoto: l.has_certificate_photo };
}

const HEALTH_PURPOSES = ['renewal', 'age_70_yearly'] as const;

/**
 * The "what can I do with my licence" page: standing, and
 * per bound licence its state, each of the four services with its refusal
 * explained (X-4.1.3 … ), the health certificate on file
 * the obligation and a cancellation to restore.
 */
export async function licenceOptions(sql: Sql, userId: string, now: Date, locale: Locale) {
  const today = shanghaiDay(now);
  const u = await activeUser(sql, userId);
  const standing = await standingOf(sql, u, now);
  const licences = await repo.boundLicences(sql, userId);
  const ids = licences.map((l) => l.id);
  const [open, recent] = await Promise.all([repo.openLicences(sql, ids), repo.recentReplacements(sql, ids, startOfShanghaiDay(rules.suspiciousSince(today)))]);
  const out = [];
  for (const l of licences) {
    const cert = await usableHealthCertificate(sql, { personId: l.person_id, purposes: HEALTH_PURPOSES, day: today });
    const cancellation = await repo.openCancellation(sql, l.id);
    const obligation = rules.currentObligation({ birthDate: l.birth_date, classes: l.classes, firstIssuedOn: l.first_issued_on }, today);
    out.push({
      id: l.id,
      licenceNoMasked: maskIdNumber(l.licence_no),
      holderName: l.holder_name,
      classes: l.classes,
      validUntil: l.valid_until,
      reviewValidUntil: l.review_valid_until,
      status: l.status,
      statusName: licenceStateName(l.status, locale),
      binding: l.binding,
      authorityName: l.authority_name,
      hasCertificatePhoto: l.has_certificate_photo,
      renewalOpensOn: rules.renewalOpensOn(l.valid_until),
      healthCertificate: cert ? { id: cert.id, source: cert.source, issuedOn: cert.issuedOn, validUntil: cert.validUntil, conclusion: cert.conclusion } : null,
      obligation,
      cancellation: cancellation
        ? { cycleEnd: cancellation.cycle_end, cancelledAt: cancellation.cancelled_at.toISOString(), restorable: rules.decideRestore(l.valid_until, today).ok }
        : null,
      kinds: rules.KINDS.map((kind) => {
        const d = rules.decideKind(licenceFacts(l), kind, { today, open: open.has(l.id), recentReplacements: recent.get(l.id) ?? 0 });
        const health = d.ok ? rules.decideHealthCertificate(kind, cert) : null;
        const refusal = !d.ok ? d : health && !health.ok ? health : null;
        return {
          kind,
          allowed: refusal === null && standing === null,
          reason: refusal ? reasonDto(refusal, locale) : null,
          classesAfter: d.ok ? d.classesAfter : null,
          needsHealthCertificate: rules.needsHealthCertificate(kind),
          oldLicenceHandedIn: rules.oldLicenceMustBeHandedIn(kind),
        };
      }),
    });
  }
  return {
    eligible: standing === null,
    refusal: standing ? standingReason(standing, locale) : null,
    recipient: { name: u.name, phoneMasked: maskPhone(u.phone), postalAddress: u.postal_address, postcode: u.postcode },
    licences: out,
    asOf: now.toISOString(),
  };
}

export type ApplyInput = {
  licenceId: string;
  kind: Kind;
  declaration: boolean;
  delivery: rules.Delivery;
  recipientName?: string;
  recipientPhone?: string;
  postalAddress?: string;
  postcode?: string;
};

/**
 * Submits an application: load → decide (X-4.1.1 …) → write with
 * the 受理岗 deadline (one working day, X-4.1.10) → audit, SMS.
 */
export async function applyForLicence(deps: Deps, actor: UserActor, input: ApplyInput, meta: Meta) {
  const today = shanghaiDay(meta.now);
  const id = await deps.sql.begin(async (tx) => {
    const u = await activeUser(tx, actor.id);
    const standing = await standingOf(tx, u, meta.now);
    if (standing) throw new DomainError(standing.code as 'licences.personal_only', { params: standing.params });
    const [found] = await repo.boundLicences(tx, actor.id, input.licenceId);
    if (!found) throw new DomainError('licences.licence_not_found', { field: 'licenceId' });
    await repo.lockLicence(tx, found.id);
    const [l] = await repo.boundLicences(tx, actor.id, input.licenceId);
    const [open, recent] = await Promise.all([repo.openLicences(tx, [l!.id]), repo.recentReplacements(tx, [l!.id], startOfShanghaiDay(rules.suspiciousSince(today)))]);
    const d = rules.decideKind(licenceFacts(l!), input.kind, { today, open: open.has(l!.id), recentReplacements: recent.get(l!.id) ?? 0 });
    if (!d.ok) throw refuse(d, 'kind');
    const cert = rules.needsHealthCertificate(input.kind) ? await usableHealthCertificate(tx, { personId: l!.person_id, purposes: HEALTH_PURPOSES, day: today }) : null;
    const health = rules.decideHealthCertificate(input.kind, cert);
    if (!health.ok) throw refuse(health, 'kind');
    const declared = rules.decideDeclaration(input.declaration);
    if (!declared.ok) throw refuse(declared, 'declaration');
    const post = input.delivery === 'post';
    if (post) {
      const missing = (['recipientName', 'recipientPhone', 'postalAddress', 'postcode'] as const).filter((k) => !input[k]);
      if (missing.length) throw new DomainError('request.invalid', { fields: Object.fromEntries(missing.map((k) => [k, 'validation.required'])) });
    }
    const cal = await loadCalendar(tx);
    const acceptDeadline = rules.acceptDeadline(cal, meta.now);
    const reference = rules.licenceReference('LZ', l!.issuing_authority_id, meta.now, await repo.nextSeq(tx, 'licence_service_ref_seq'));
    const id = await repo.insertApplication(tx, {
      reference, userId: actor.id, licenceId: l!.id, authorityId: l!.issuing_authority_id, kind: input.kind, licenceNo: l!.licence_no,
      classesBefore: l!.classes, classesAfter: d.classesAfter, validUntilBefore: l!.valid_until, healthCertificateId: cert?.id ?? null,
      delivery: input.delivery, recipientName: post ? input.recipientName! : null, recipientPhone: post ? input.recipientPhone! : null,
      postalAddress: post ? input.postalAddress! : null, postcode: post ? input.postcode! : null, submittedAt: meta.now, acceptDeadline,
    });
    await repo.insertEvent(tx, id, meta.now, 'submitted');
    await writeAudit(tx, actor, meta, {
      action: 'licences.submitted', entityType: 'licence_service_application', entityId: id, authorityId: l!.issuing_authority_id,
      after: { reference, licenceId: l!.id, kind: input.kind, classesAfter: d.classesAfter, delivery: input.delivery, healthCertificateId: cert?.id ?? null, declared: true, acceptDeadline: acceptDeadline.toISOString() },
    });
    await enqueueMessage(tx, {
      channel: 'sms', recipient: u.phone, template: 'licences.submitted', authorityId: l!.issuing_authority_id,
      payload: { reference, kindName: kindNames[input.kind]!['zh-CN'], acceptBy: lastDayOf(acceptDeadline) }, dedupeKey: `licence-submitted:${id}`,
    }, meta.now);
    return id;
  });
  return getMyApplication(deps.sql, actor.id, id, meta.now);
}

// ---------------------------------------------------------------------------
// DTOs
// ---------------------------------------------------------------------------

function factsOf(a: repo.ApplicationRow): rules.AppFacts {
  return {
    status: a.status, kind: a.kind, delivery: a.delivery, archived: a.archived_at !== null,
    oldLicenceHandedOver: a.old_licence_handed_over, oldLicenceDestroyed: a.old_licence_destroyed_at !== null, pickupDeadlineDay: a.pickup_deadline_day,
  };
}

const STAFF_COMMANDS: Command[] = ['accept', 'reject', 'produce', 'send', 'deliver', 'refuse', 'pick_up', 'not_collected', 'archive', 'destroy_old_licence', 'restore_core_number', 'withdraw'];

function allowedCommands(a: repo.ApplicationRow, now: Date): Command[] {
  return STAFF_COMMANDS.filter((c) => rules.transition(factsOf(a), c, { oldLicenceHandedOver: true, now }).ok);
}

function commonDto(a: repo.ApplicationRow) {
  return {
    id: a.id,
    reference: a.reference,
    status: a.status,
    kind: a.kind,
    licenceNoMasked: maskIdNumber(a.licence_no),
    classesBefore: a.classes_before,
    classesAfter: a.classes_after,
    validUntilBefore: a.valid_until_before,
    newValidUntil: a.new_valid_until,
    healthCertificateId: a.health_certificate_id,
    authorityId: a.authority_id,
    authorityName: a.authority_name,
    delivery: a.delivery,
    oldLicenceHandInRequired: rules.oldLicenceMustBeHandedIn(a.kind),
    oldLicenceHandedOver: a.old_licence_handed_over,
    submittedAt: a.submitted_at.toISOString(),
    acceptDeadline: a.accept_deadline.toISOString(),
    acceptLastDay: lastDayOf(a.accept_deadline),
    acceptedAt: iso(a.accepted_at),
    rejectedAt: iso(a.rejected_at),
    rejectionReason: a.rejection_reason,
    producedAt: iso(a.produced_at),
    sentAt: iso(a.sent_at),
    post: a.post_message_id ? { status: a.post_status, trackingNo: a.tracking_no } : null,
    readyAt: iso(a.ready_at),
    pickupLastDay: a.pickup_deadline_day,
    completedAt: iso(a.completed_at),
    failedAt: iso(a.failed_at),
    archivedAt: iso(a.archived_at),
    closedAt: iso(a.closed_at),
    updatedAt: a.updated_at.toISOString(),
  };
}

type EventRow = { at: Date; status: string; note: string | null };

function citizenDto(a: repo.ApplicationRow, events: EventRow[]) {
  return {
    ...commonDto(a),
    recipientName: a.recipient_name ? maskName(a.recipient_name) : null,
    recipientPhoneMasked: a.recipient_phone ? maskPhone(a.recipient_phone) : null,
    postalAddress: a.postal_address,
    postcode: a.postcode,
    events: events.map((e) => ({ at: e.at.toISOString(), status: e.status, note: e.note })),
  };
}

function staffDto(a: repo.ApplicationRow, now: Date, events?: EventRow[]) {
  return {
    ...commonDto(a),
    overdue: a.status === 'submitted' && now >= a.accept_deadline,
    applicantNameMasked: maskName(a.applicant_name),
    applicantPhoneMasked: maskPhone(a.applicant_phone),
    applicantIdNumberMasked: a.applicant_id_number ? maskIdNumber(a.applicant_id_number) : null,
    recipientName: a.recipient_name ? maskName(a.recipient_name) : null,
    recipientPhoneMasked: a.recipient_phone ? maskPhone(a.recipient_phone) : null,
    postalAddress: masked('postal_address', a.postal_address),
    postcode: a.postcode,
    coreNumber: a.core_number,
    oldLicenceDestroyedAt: iso(a.old_licence_destroyed_at),
    closingStep: a.status === 'refused' || a.status === 'not_collected' ? (a.archived_at ? ('restore_core_number' as const) : ('withdraw' as const)) : null,
    allowedCommands: allowedCommands(a, now),
    events: events?.map((e) => ({ at: e.at.toISOString(), status: e.status, note: e.note })),
  };
}

// ---------------------------------------------------------------------------
// Citizens: my applications
// ---------------------------------------------------------------------------

export async function getMyApplication(sql: Sql, userId: string, id: string, now: Date) {
  const a = await repo.findApplication(sql, id, { userId });
  if (!a) throw new DomainError('licences.not_found');
  const bar = await activeReplacementBar(sql, userId, now);
  return { ...citizenDto(a, await repo.eventsOf(sql, [a.id])), bar: bar && bar.reference === a.reference ? { endsOn: bar.endsOn, reason: bar.reason } : null };
}

export async function myApplications(sql: Sql, userId: string, now: Date) {
  const rows = await repo.applicationsOfUser(sql, userId);
  const events = await repo.eventsOf(sql, rows.map((r) => r.id));
  const bar = await activeReplacementBar(sql, userId, now);
  return {
    bar: bar ? { endsOn: bar.endsOn, reason: bar.reason, reference: bar.reference } : null,
    applications: rows.map((a) => citizenDto(a, events.filter((e) => e.application_id === a.id))),
    asOf: now.toISOString(),
  };
}

export async function cancelApplication(deps: Deps, actor: UserActor, id: string, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    if (!(await repo.findApplication(tx, id, { userId: actor.id }))) throw new DomainError('licences.not_found');
    await repo.lockApplication(tx, id);
    const a = (await repo.findApplication(tx, id, { userId: actor.id }))!;
    const t = rules.transition(factsOf(a), 'cancel');
    if (!t.ok) throw refuse(t);
    await repo.updateApplication(tx, id, { status: t.to, cancelled_at: meta.now, updated_at: meta.now });
    await repo.insertEvent(tx, id, meta.now, t.to);
    await writeAudit(tx, actor, meta, { action: 'licences.cancelled', entityType: 'licence_service_application', entityId: id, authorityId: a.authority_id, before: { status: a.status }, after: { status: t.to } });
  });
  return getMyApplication(deps.sql, actor.id, id, meta.now);
}

// ---------------------------------------------------------------------------
// Staff: the queue and the steps (X-4.1.10; 档案岗 as)
// ---------------------------------------------------------------------------

export async function listQueue(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const { rows, total } = await repo.listApplications(deps.sql, q, await repo.visibleAuthorities(deps.sql, staff.authorityId));
  return { total, rows: rows.map((a) => staffDto(a, now)) };
}

export async function getForStaff(deps: Deps, staff: StaffPrincipal, id: string, now: Date) {
  const a = await repo.findApplication(deps.sql, id, { authorities: await repo.visibleAuthorities(deps.sql, staff.authorityId) });
  if (!a) throw new DomainError('licences.not_found');
  return staffDto(a, now, await repo.eventsOf(deps.sql, [a.id]));
}

export async function revealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const a = await repo.findApplication(db, id, { authorities: await repo.visibleAuthorities(db, staff.authorityId) });
  if (!a) throw new DomainError('licences.not_found');
  const owner = await repo.accountOwner(db, a.user_account_id);
  return {
    subject: { userAccountId: a.user_account_id, personId: owner?.person_id ?? null, organisationId: owner?.organisation_id ?? null },
    fields: {
      applicantIdNumber: { kind: 'id_number', value: a.applicant_id_number },
      applicantPhone: { kind: 'phone', value: a.applicant_phone },
      recipientPhone: { kind: 'phone', value: a.recipient_phone },
      postalAddress: { kind: 'postal_address', value: a.postal_address },
    },
  };
}

type StepInput = { reason?: string; coreNumber?: string; oldLicenceHandedOver?: boolean; note?: string };

async function step(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, command: Command, input: StepInput, meta: Meta) {
  const authorities = await repo.visibleAuthorities(deps.sql, staff.authorityId);
  await deps.sql.begin(async (tx) => {
    if (!(await repo.findApplication(tx, id, { authorities }))) throw new DomainError('licences.not_found');
    await repo.lockApplication(tx, id);
    const a = (await repo.findApplication(tx, id, { authorities }))!;
    const t = rules.transition(factsOf(a), command, { oldLicenceHandedOver: input.oldLicenceHandedOver, now: meta.now });
    if (!t.ok) throw refuse(t, t.code === 'licences.old_licence_required' ? 'oldLicenceHandedOver' : undefined);
    const patch: Record<string, unknown> = { status: t.to, updated_at: meta.now };
    let note: string | null = null;
    const kindName = kindNames[a.kind]!['zh-CN'];
    const sms = (template: string, payload: Record<string, unknown>) =>
      enqueueMessage(tx, { channel: 'sms', recipient: a.applicant_phone, template, authorityId: a.authority_id, payload: { reference: a.reference, kindName, ...payload }, dedupeKey: `licence-${template}:${id}` }, meta.now);
    const licenceAudit = async (before: Record<string, unknown>, after: Record<string, unknown>) =>
      writeAudit(tx, actor, meta, { action: `licences.licence_${command}`, entityType: 'driving_licence', entityId: a.licence_id, authorityId: a.authority_id, before, after });

    switch (command) {
      case 'accept': {
        // the licence's state again: it may have changed since submission
        await repo.lockLicence(tx, a.licence_id);
        const l = (await repo.licenceById(tx, a.licence_id))!;
        const again = rules.decideState(l.status, a.kind);
        if (!again.ok) throw refuse(again);
        Object.assign(patch, { accepted_at: meta.now, accepted_by: staff.id });
        await sms('licences.accepted', {});
        break;
      }
      case 'reject':
        Object.assign(patch, { rejected_at: meta.now, rejection_reason: input.reason });
        note = input.reason ?? null;
        await sms('licences.rejected', { reason: input.reason });
        break;
      case 'produce': {
        // the new licence: its validity (期满换证 +10 years), its classes (超龄换证, X-4.1.6); a renewed licence is valid again
        await repo.lockLicence(tx, a.licence_id);
        const l = (await repo.licenceById(tx, a.licence_id))!;
        const validUntil = rules.newValidUntil(a.kind, a.valid_until_before);
        const licencePatch: Record<string, unknown> = { classes: a.classes_after, valid_until: validUntil };
        if (a.kind === 'renewal') licencePatch.valid_from = shanghaiDay(meta.now);
        if (a.kind === 'renewal' && l.status === 'overdue_renewal') licencePatch.status = 'valid';
        await repo.updateLicence(tx, a.licence_id, licencePatch);
        await licenceAudit({ classes: l.classes, validUntil: l.valid_until, status: l.status }, { ...licencePatch, reference: a.reference });
        Object.assign(patch, { produced_at: meta.now, produced_by: staff.id, core_number: input.coreNumber, new_valid_until: validUntil });
        note = validUntil;
        break;
      }
      case 'send':
        if (a.delivery === 'post') {
          const messageId = await enqueueMessage(tx, {
            channel: 'post', recipient: `${a.recipient_name} ${a.postal_address} ${a.postcode}`, template: 'licences.licence', authorityId: a.authority_id,
            payload: {
              reference: a.reference, kind: a.kind, coreNumber: a.core_number, recipientName: a.recipient_name, recipientPhone: a.recipient_phone,
              postalAddress: a.postal_address, postcode: a.postcode, collectOldLicence: rules.oldLicenceMustBeHandedIn(a.kind),
            },
            dedupeKey: `licence-post:${id}`,
          }, meta.now);
          Object.assign(patch, { sent_at: meta.now, post_message_id: messageId });
          await sms('licences.sent', { handOver: rules.oldLicenceMustBeHandedIn(a.kind) });
        } else {
          const lastDay = rules.pickupDeadlineDay(shanghaiDay(meta.now));
          Object.assign(patch, { ready_at: meta.now, pickup_deadline_day: lastDay });
          await enqueueJob(tx, { kind: LICENCE_JOBS.pickupDeadline, runAt: rules.notCollectedAt(lastDay), payload: { applicationId: id }, dedupeKey: id }, meta.now);
          await sms('licences.ready_for_pickup', { lastDay, authorityName: a.authority_name, handOver: rules.oldLicenceMustBeHandedIn(a.kind) });
          note = lastDay;
        }
        break;
      case 'deliver':
      case 'refuse': {
        const recorded = await recordPostReceipt(tx, a.post_message_id!, command === 'deliver' ? 'delivered' : 'refused', input.note ?? null, meta.now);
        if (!recorded) throw new DomainError('licences.post_not_dispatched');
        if (command === 'deliver') {
          Object.assign(patch, { completed_at: meta.now, old_licence_handed_over: input.oldLicenceHandedOver ?? false, receipt_recorded_by: staff.id });
          await sms('licences.completed', { how: 'delivered', validUntil: a.new_valid_until });
        } else {
          Object.assign(patch, { failed_at: meta.now, receipt_recorded_by: staff.id });
          note = await imposeBar(tx, a, 'refused', actor, meta);
        }
        break;
      }
      case 'pick_up':
        Object.assign(patch, { completed_at: meta.now, old_licence_handed_over: input.oldLicenceHandedOver ?? false, receipt_recorded_by: staff.id });
        await cancelJobs(tx, LICENCE_JOBS.pickupDeadline, id, meta.now);
        await sms('licences.completed', { how: 'picked_up', validUntil: a.new_valid_until });
        break;
      case 'not_collected':
        Object.assign(patch, { failed_at: meta.now, receipt_recorded_by: staff.id });
        await cancelJobs(tx, LICENCE_JOBS.pickupDeadline, id, meta.now);
        note = await imposeBar(tx, a, 'not_collected', actor, meta);
        break;
      case 'archive':
        Object.assign(patch, { archived_at: meta.now, archived_by: staff.id });
        break;
      case 'destroy_old_licence':
        Object.assign(patch, { old_licence_destroyed_at: meta.now, old_licence_destroyed_by: staff.id });
        break;
      case 'restore_core_number':
      case 'withdraw':
        Object.assign(patch, { closed_at: meta.now, closed_by: staff.id });
        note = input.note ?? null;
        break;
      default:
        throw new DomainError('licences.wrong_status');
    }
    await repo.updateApplication(tx, id, patch);
    if (t.to === 'archived' && (command === 'deliver' || command === 'pick_up')) await repo.insertEvent(tx, id, meta.now, command === 'deliver' ? 'delivered' : 'picked_up');
    await repo.insertEvent(tx, id, meta.now, t.to === a.status ? command : t.to, note);
    await writeAudit(tx, actor, meta, {
      action: `licences.${command}`, entityType: 'licence_service_application', entityId: id, authorityId: a.authority_id,
      before: { status: a.status }, after: Object.fromEntries(Object.entries(patch).filter(([k]) => k !== 'updated_at')),
    });    // the finished case goes to the electronic archive — filed by 档案岗, or closed by 恢复证芯 / 退办
    if (command === 'archive' || command === 'restore_core_number' || command === 'withdraw') {
      await archiveCase(tx, actor, meta, {
        businessType: 'licence_service', caseRef: a.reference, entityIds: [id, a.licence_id], authorityId: a.authority_id,
        personId: await repo.personOfLicence(tx, a.licence_id), userAccountId: a.user_account_id, licenceNo: a.licence_no,
        data: {
          kind: a.kind, outcome: t.to, closedBy: command, delivery: a.delivery, classesBefore: a.classes_before, classesAfter: a.classes_after,
          validUntilBefore: a.valid_until_before, newValidUntil: a.new_valid_until, coreNumber: a.core_number, healthCertificateId: a.health_certificate_id,
          submittedAt: a.submitted_at, acceptedAt: a.accepted_at, producedAt: a.produced_at, sentAt: a.sent_at, completedAt: a.completed_at,
          failedAt: a.failed_at, oldLicenceHandedOver: a.old_licence_handed_over, rejectionReason: a.rejection_reason, note,
        },
        finishedAt: meta.now,
      });
    }
  });
  return getForStaff(deps, staff, id, meta.now);
}

/** X-4.1.9 = R-27.6: one year without online 补换领 — the same bar as vehicle replacements; SMS. */
async function imposeBar(tx: Db, a: repo.ApplicationRow, reason: 'refused' | 'not_collected', actor: Actor, meta: RequestMeta): Promise<string> {
  const endsOn = barEndsOn(shanghaiDay(meta.now));
  await repo.insertBar(tx, { userId: a.user_account_id, subjectIdNumber: a.applicant_id_number ?? '', applicationId: a.id, reference: a.reference, reason, startsAt: meta.now, endsOn, authorityId: a.authority_id });
  await writeAudit(tx, actor, meta, { action: 'licences.bar_imposed', entityType: 'user_account', entityId: a.user_account_id, authorityId: a.authority_id, after: { reason, endsOn, reference: a.reference } });
  await enqueueMessage(tx, {
    channel: 'sms', recipient: a.applicant_phone, template: 'licences.barred', authorityId: a.authority_id,
    payload: { reference: a.reference, reason, endsOn }, dedupeKey: `licence-barred:${a.id}`,
  }, meta.now);
  return endsOn;
}

export const acceptApplication = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: Meta) => step(deps, staff, actor, id, 'accept', {}, meta);
export const rejectApplication = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { reason: string }, meta: Meta) => step(deps, staff, actor, id, 'reject', input, meta);
export const produceLicence = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { coreNumber: string }, meta: Meta) => step(deps, staff, actor, id, 'produce', input, meta);
export const sendLicence = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: Meta) => step(deps, staff, actor, id, 'send', {}, meta);

export async function recordReceipt(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { outcome: 'delivered' | 'refused' | 'picked_up' | 'not_collected'; oldLicenceHandedOver?: boolean; note?: string }, meta: Meta) {
  const command: Command = input.outcome === 'delivered' ? 'deliver' : input.outcome === 'refused' ? 'refuse' : input.outcome === 'picked_up' ? 'pick_up' : 'not_collected';
  return step(deps, staff, actor, id, command, input, meta);
}

export const archiveApplication = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: Meta) => step(deps, staff, actor, id, 'archive', {}, meta);
export const destroyOldLicence = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: Meta) => step(deps, staff, actor, id, 'destroy_old_licence', {}, meta);
export const restoreCoreNumber = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note?: string }, meta: Meta) => step(deps, staff, actor, id, 'restore_core_number', input, meta);
export const withdrawApplication = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note?: string }, meta: Meta) => step(deps, staff, actor, id, 'withdraw', input, meta);

/** Job, a pickup not collected within one calendar month → not_collected and the bar. */
export async function expirePickup(tx: Db, applicationId: string, now: Date) {
  await repo.lockApplication(tx, applicationId);
  const a = await repo.findApplication(tx, applicationId, 'system');
  if (!a || a.status !== 'ready_for_pickup') return;
  const t = rules.transition(factsOf(a), 'not_collected', { now });
  if (!t.ok) return;
  const meta: RequestMeta = { requestId: `job:${LICENCE_JOBS.pickupDeadline}:${applicationId}`, ip: 'system', now };
  await repo.updateApplication(tx, applicationId, { status: t.to, failed_at: now, updated_at: now });
  const endsOn = await imposeBar(tx, a, 'not_collected', systemActor, meta);
  await repo.insertEvent(tx, applicationId, now, t.to, endsOn);
  await writeAudit(tx, systemActor, meta, {
    action: 'licences.not_collected', entityType: 'licence_service_application', entityId: applicationId, authorityId: a.authority_id,
    before: { status: a.status, pickupLastDay: a.pickup_deadline_day }, after: { status: t.to, barEndsOn: endsOn },
  });
}
