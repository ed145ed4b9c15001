import { citySettingInScope, citySettingReads } from '../../platform/city-settings.ts';
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
import { shanghaiDay } from '../../platform/calendar.ts';
import { maskIdNumber, maskName, maskPhone, maskVin } from '../../platform/check-digits.ts';
import { fileOf, usableUpload } from '../../platform/uploads/service.ts';
import { masked, type RevealTarget } from '../../platform/personal-data.ts';
import { messages } from './messages.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';
import type { Command, Item, Refusal } from './rules.ts';

/** Durable job kinds of the module (handlers in jobs.ts). */
export const REPLACEMENT_JOBS = {
  /** the pickup month has passed */
  pickupDeadline: 'replacements.pickup_deadline',
} as const;

/** Per request: when, who asked, in which language refusals are explained. */
export type Meta = RequestMeta & { locale: Locale };
type UserActor = Actor & { kind: 'user' };
type StaffActor = Actor & { kind: 'staff' };

const systemActor: Actor = { kind: 'system', label: 'replacements' };
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const lastDayOf = (deadline: Date) => shanghaiDay(new Date(deadline.getTime() - 1));


function reasonDto(r: Refusal, locale: Locale) {
  const { title, detail } = describe(messages, r.code, r.params, locale);
  return { code: r.code, title, detail: detail ?? null };
}


// ---------------------------------------------------------------------------
// for every module: the one-year bar
// ---------------------------------------------------------------------------

/**
 * the active bar of a user on all online replacement services —
 * plates, 行驶证, stickers, and the driving licence (the licences module calls
 * this before a 驾驶证 补换领). Null when the user may apply.
 */
export async function activeReplacementBar(db: Db, userId: string, now: Date) {
  const user = await repo.findUser(db, userId);
  if (!user) return null;
  const bars = await repo.barsOf(db, userId, user.id_number);
  const today = shanghaiDay(now);
  const active = bars.find((b) => rules.isBarActive({ endsOn: b.ends_on }, today));
  return active ? { endsOn: active.ends_on, reason: active.reason, startsAt: active.starts_at.toISOString(), reference: active.reference } : null;
}

// ---------------------------------------------------------------------------
// Citizens: what may be replaced (R-26 … R-28)
// ---------------------------------------------------------------------------

async function activeUser(db: Db, userId: string) {
  const u = await repo.findUser(db, userId);
  if (!u) throw new DomainError('auth.required');
  // PD-4: a suspended account can do nothing but reactivate or cancel
  if (u.status !== 'active') throw new DomainError('auth.account_suspended');
  return u;
}

function userRefusal(u: repo.UserFactsRow, bars: repo.BarRow[], today: string): Refusal | null {
  const who = rules.decideUser({ kind: u.kind, registrationChannel: u.registration_channel });
  if (!who.ok) return who;
  const bar = rules.decideBar(bars.map((b) => ({ endsOn: b.ends_on, reason: b.reason })), today);
  return bar.ok ? null : bar;
}

function vehicleFactsOf(v: repo.VehicleRow): rules.VehicleFacts {
  return { binding: v.binding, states: v.states, plateNo: v.plate_no, plateKind: v.plate_kind, hasCertificatePhoto: v.has_certificate_photo };
}

/**
 * The "what can I replace" page: the user's standing and, for
 * each bound vehicle, each item with its refusal explained (R-27.1 …)
 * and whether post is possible.
 */
export async function replacementOptions(sql: Sql, userId: string, now: Date, locale: Locale) {
  const today = shanghaiDay(now);
  const u = await activeUser(sql, userId);
  const bars = await repo.barsOf(sql, userId, u.id_number);
  const standing = userRefusal(u, bars, today);
  const vehicles = await repo.boundVehicles(sql, userId);
  const ids = vehicles.map((v) => v.id);
  const [open, earlier, settings] = await Promise.all([
    repo.openItems(sql, ids),
    repo.earlierPlateApplications(sql, ids),
    repo.citySettings(sql, [...new Set(vehicles.map((v) => v.registration_authority_id))]),
  ]);
  const bar = rules.decideBar(bars.map((b) => ({ endsOn: b.ends_on, reason: b.reason })), today);
  return {
    eligible: standing === null,
    refusal: standing ? reasonDto(standing, locale) : null,
    bar: bar.ok ? null : { endsOn: String(bar.params!.endsOn), reason: String(bar.params!.reason) },
    recipient: { name: u.name, phoneMasked: maskPhone(u.phone), postalAddress: u.postal_address, postcode: u.postcode },
    vehicles: vehicles.map((v) => {
      const onlinePlateKinds = settings.find((s) => s.authority_id === v.registration_authority_id)?.online_plate_kinds ?? [];
      const openItems = open.filter((o) => o.vehicle_id === v.id).map((o) => o.item);
      const earlierPlates = earlier.get(v.id) ?? 0;
      return {
        id: v.id,
        plateNo: v.plate_no,
        plateKind: v.plate_kind,
        brandModel: v.brand_model,
        vinMasked: maskVin(v.vin),
        states: v.states,
        binding: v.binding,
        authorityName: v.authority_name,
        items: rules.ITEMS.map((item) => {
          const d = rules.decideItem(vehicleFactsOf(v), item, { onlinePlateKinds, openItems });
          return {
            item,
            allowed: d.ok && standing === null,
            reason: d.ok ? null : reasonDto(d, locale),
            postAllowed: rules.postAllowed(item, earlierPlates),
            postReason: rules.postAllowed(item, earlierPlates) ? null : reasonDto({ ok: false, code: 'replacements.post_not_allowed' }, locale),
            tempPlateOffered: item === 'plate',
            insuranceRequired: item === 'inspection_sticker',
          };
        }),
      };
    }),
  };
}

export type ApplyInput = {
  vehicleId: string;
  item: Item;
  kind: rules.Kind;
  reasonNote?: string;
  delivery: rules.Delivery;
  recipientName?: string;
  recipientPhone?: string;
  postalAddress?: string;
  postcode?: string;
  tempPlate?: boolean;
  insuranceUploadId?: string;
};

/**
 * Submits an application: load → decide (R-26, R-27.1 …,
 * ) → write with the 受理岗 deadline (one working day) → audit, SMS.
 */
export async function applyForReplacement(deps: Deps, actor: UserActor, input: ApplyInput, meta: Meta) {
  const today = shanghaiDay(meta.now);
  const id = await deps.sql.begin(async (tx) => {
    const u = await activeUser(tx, actor.id);
    const bars = await repo.barsOf(tx, actor.id, u.id_number);
    const standing = userRefusal(u, bars, today);
    if (standing) throw refuse(standing);
    const [v] = await repo.boundVehicles(tx, actor.id, input.vehicleId);
    if (!v) throw new DomainError('replacements.vehicle_not_found', { field: 'vehicleId' });
    const [open, earlier, settings] = await Promise.all([
      repo.openItems(tx, [v.id]),
      repo.earlierPlateApplications(tx, [v.id]),
      repo.citySettings(tx, [v.registration_authority_id]),
    ]);
    const item = rules.decideItem(vehicleFactsOf(v), input.item, { onlinePlateKinds: settings[0]?.online_plate_kinds ?? [], openItems: open.map((o) => o.item) });
    if (!item.ok) throw refuse(item, 'item');
    const tempPlate = input.tempPlate ?? false;
    const choices = rules.decideChoices(
      { item: input.item, kind: input.kind, delivery: input.delivery, tempPlate, insuranceUploadId: input.insuranceUploadId ?? null },
      earlier.get(v.id) ?? 0,
    );
    if (!choices.ok) {
      const field = choices.code === 'replacements.post_not_allowed' ? 'delivery' : choices.code === 'replacements.temp_plate_only_with_plate' ? 'tempPlate' : 'insuranceUploadId';
      throw refuse(choices, field);
    }
    if (input.item === 'inspection_sticker') await usableUpload(tx, { kind: 'user', id: actor.id }, input.insuranceUploadId!, 'insurance_certificate', 'insuranceUploadId');
    const post = input.delivery === 'post';
    if (post) {
      const missing = (['recipientName', 'recipientPhone', 'postalAddress', 'postcode'] as const).filter((k) => !input[k]);
      if (missing.length) throw new DomainError('request.invalid', { fields: Object.fromEntries(missing.map((k) => [k, 'validation.required'])) });
    }
    const cal = await loadCalendar(tx);
    const acceptDeadline = rules.acceptDeadline(cal, meta.now);
    const reference = rules.replacementReference(v.registration_authority_id, meta.now, await repo.nextReferenceSeq(tx));
    const id = await repo.insertApplication(tx, {
      reference, userId: actor.id, vehicleId: v.id, authorityId: v.registration_authority_id, item: input.item, kind: input.kind,
      reasonNote: input.reasonNote ?? '', plateNo: v.plate_no, plateKind: v.plate_kind, delivery: input.delivery,
      recipientName: post ? input.recipientName! : null, recipientPhone: post ? input.recipientPhone! : null,
      postalAddress: post ? input.postalAddress! : null, postcode: post ? input.postcode! : null,
      tempPlate, insuranceUploadId: input.item === 'inspection_sticker' ? input.insuranceUploadId! : null,
      submittedAt: meta.now, acceptDeadline,
    });
    await repo.insertEvent(tx, id, meta.now, 'submitted');
    await writeAudit(tx, actor, meta, {
      action: 'replacements.submitted', entityType: 'replacement_application', entityId: id, authorityId: v.registration_authority_id,
      after: { reference, vehicleId: v.id, plateNo: v.plate_no, item: input.item, kind: input.kind, delivery: input.delivery, tempPlate, acceptDeadline: acceptDeadline.toISOString() },
    });
    await enqueueMessage(tx, {
      channel: 'sms', recipient: u.phone, template: 'replacements.submitted', authorityId: v.registration_authority_id,
      payload: { reference, acceptBy: lastDayOf(acceptDeadline) }, dedupeKey: `replacement-submitted:${id}`,
    }, meta.now);
    return id;
  });
  return getMyApplication(deps.sql, actor.id, id, meta.now);
}

// ---------------------------------------------------------------------------
// DTOs
// ---------------------------------------------------------------------------

/** Who may act next on an application: the commands the lifecycle allows now. */
function factsOf(a: repo.ApplicationRow): rules.AppFacts {
  return {
    status: a.status, item: a.item, kind: a.kind, delivery: a.delivery, archived: a.archived_at !== null,
    oldItemHandedOver: a.old_item_handed_over, oldItemDestroyed: a.old_item_destroyed_at !== null, pickupDeadlineDay: a.pickup_deadline_day,
  };
}

const STAFF_COMMANDS: Command[] = ['accept', 'reject', 'produce', 'send', 'deliver', 'refuse', 'pick_up', 'not_collected', 'archive', 'destroy_old_item', 'restore_core_number', 'withdraw'];

function allowedCommands(a: repo.ApplicationRow, now: Date): Command[] {
  return STAFF_COMMANDS.filter((c) => {
    const r = rules.transition(factsOf(a), c, { oldItemHandedOver: true, now });
    return r.ok;
  });
}

function commonDto(a: repo.ApplicationRow) {
  return {
    id: a.id,
    reference: a.reference,
    status: a.status,
    item: a.item,
    kind: a.kind,
    reasonNote: a.reason_note,
    plateNo: a.plate_no,
    plateKind: a.plate_kind,
    brandModel: a.brand_model,
    vinMasked: maskVin(a.vin),
    authorityId: a.authority_id,
    authorityName: a.authority_name,
    delivery: a.delivery,
    tempPlateRequested: a.temp_plate_requested,
    tempPlateNo: a.temp_plate_no,
    oldItemHandOverRequired: rules.oldItemMustBeHandedOver(a.item, a.kind),
    oldItemHandedOver: a.old_item_handed_over,
    submittedAt: a.submitted_at.toISOString(),
    acceptDeadline: a.accept_deadline.toISOString(),
    acceptLastDay: lastDayOf(a.accept_deadline),
    acceptedAt: iso(a.accepted_at),
    rejectedAt: iso(a.rejected_at),
    rejectionReason: a.rejection_reason,
    producedAt: iso(a.produced_at),
    sentAt: iso(a.sent_at),
    post: a.post_message_id ? { messageId: a.post_message_id, status: a.post_status, trackingNo: a.tracking_no } : null,
    readyAt: iso(a.ready_at),
    pickupLastDay: a.pickup_deadline_day,
    completedAt: iso(a.completed_at),
    failedAt: iso(a.failed_at),
    archivedAt: iso(a.archived_at),
    closedAt: iso(a.closed_at),
    updatedAt: a.updated_at.toISOString(),
  };
}

function citizenDto(a: repo.ApplicationRow, events: { at: Date; status: string; note: string | null }[]) {
  return {
    ...commonDto(a),
    recipientName: a.recipient_name ? maskName(a.recipient_name) : null,
    recipientPhoneMasked: a.recipient_phone ? maskPhone(a.recipient_phone) : null,
    postalAddress: a.postal_address,
    postcode: a.postcode,
    events: events.map((e) => ({ at: e.at.toISOString(), status: e.status, note: e.note })),
  };
}

function staffDto(a: repo.ApplicationRow, now: Date, events?: { at: Date; status: string; note: string | null }[]) {
  return {
    ...commonDto(a),
    overdue: a.status === 'submitted' && now >= a.accept_deadline,
    applicantNameMasked: maskName(a.applicant_name),
    applicantPhoneMasked: maskPhone(a.applicant_phone),
    applicantIdNumberMasked: a.applicant_id_number ? maskIdNumber(a.applicant_id_number) : null,
    recipientName: a.recipient_name,
    recipientPhoneMasked: a.recipient_phone ? maskPhone(a.recipient_phone) : null,
    // Masked like every personal field in staff screens; the post goes out through the outbox with the full address (issue 17, ADR-024).
    postalAddress: masked('postal_address', a.postal_address),
    postcode: a.postcode,
    coreNumber: a.core_number,
    insuranceCheck: a.insurance_check,
    insuranceCertificate: a.insurance_upload_id
      ? { uploadId: a.insurance_upload_id, fileName: a.upload_file_name, contentType: a.upload_content_type, sizeBytes: a.upload_size_bytes, sha256: a.upload_sha256 }
      : null,
    oldItemDestroyedAt: iso(a.old_item_destroyed_at),
    closingStep: a.status === 'refused' || a.status === 'not_collected' ? rules.closingStep(a.archived_at !== null) : null,
    allowedCommands: allowedCommands(a, now),
    events: events?.map((e) => ({ at: e.at.toISOString(), status: e.status, note: e.note })),
  };
}

// ---------------------------------------------------------------------------
// Citizens: my applications
// ---------------------------------------------------------------------------

export async function getMyApplication(sql: Sql, userId: string, id: string, now: Date) {
  const a = await repo.findApplication(sql, id, { userId });
  if (!a) throw new DomainError('replacements.not_found');
  const bar = await activeReplacementBar(sql, userId, now);
  return { ...citizenDto(a, await repo.eventsOf(sql, [a.id])), bar: bar && bar.reference === a.reference ? bar : null };
}

/** 网办进度: every application with its steps, and the bar if one is active. */
export async function myApplications(sql: Sql, userId: string, now: Date) {
  const rows = await repo.applicationsOfUser(sql, userId);
  const events = await repo.eventsOf(sql, rows.map((r) => r.id));
  return {
    bar: await activeReplacementBar(sql, userId, now),
    applications: rows.map((a) => citizenDto(a, events.filter((e) => e.application_id === a.id))),
    asOf: now.toISOString(),
  };
}

export async function cancelApplication(deps: Deps, actor: UserActor, id: string, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const a = await repo.findApplication(tx, id, { userId: actor.id });
    if (!a) throw new DomainError('replacements.not_found');
    await repo.lockApplication(tx, id);
    const fresh = (await repo.findApplication(tx, id, { userId: actor.id }))!;
    const t = rules.transition(factsOf(fresh), 'cancel');
    if (!t.ok) throw refuse(t);
    await repo.updateApplication(tx, id, { status: t.to, cancelled_at: meta.now, updated_at: meta.now });
    await repo.insertEvent(tx, id, meta.now, t.to);
    await writeAudit(tx, actor, meta, { action: 'replacements.cancelled', entityType: 'replacement_application', entityId: id, authorityId: a.authority_id, before: { status: a.status }, after: { status: t.to } });
  });
  return getMyApplication(deps.sql, actor.id, id, meta.now);
}

// ---------------------------------------------------------------------------
// Staff: queues and the steps of R-29
// ---------------------------------------------------------------------------

export async function listQueue(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const { rows, total } = await repo.listApplications(deps.sql, q, await repo.visibleAuthorities(deps.sql, staff.authorityId));
  return { total, rows: rows.map((a) => staffDto(a, now)) };
}

export async function getForStaff(deps: Deps, staff: StaffPrincipal, id: string, now: Date) {
  const a = await repo.findApplication(deps.sql, id, { authorities: await repo.visibleAuthorities(deps.sql, staff.authorityId) });
  if (!a) throw new DomainError('replacements.not_found');
  return staffDto(a, now, await repo.eventsOf(deps.sql, [a.id]));
}

/**
 * The applicant's and the recipient's personal data of an application in the
 * staff member's jurisdiction, for a logged reveal (issue 17, ADR-024).
 */
export async function revealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const a = await repo.findApplication(db, id, { authorities: await repo.visibleAuthorities(db, staff.authorityId) });
  if (!a) throw new DomainError('replacements.not_found');
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

/** The insurance certificate of an application in the staff member's jurisdiction. */
export async function insuranceCertificate(deps: Deps, staff: StaffPrincipal, id: string) {
  const a = await repo.findApplication(deps.sql, id, { authorities: await repo.visibleAuthorities(deps.sql, staff.authorityId) });
  if (!a || !a.insurance_upload_id) throw new DomainError('replacements.not_found');
  const f = await fileOf(deps.sql, a.insurance_upload_id);
  return { content: f.content, contentType: f.content_type, fileName: f.file_name ?? 'insurance-certificate' };
}

type StepInput = {
  insuranceCheck?: Partial<rules.InsuranceCheck>;
  reason?: string;
  coreNumber?: string;
  tempPlateNo?: string;
  oldItemHandedOver?: boolean;
  note?: string;
};

const itemNames: Record<Item, string> = { plate: '机动车号牌', vehicle_licence: '机动车行驶证', inspection_sticker: '检验合格标志' };

/**
 * One staff step: lock → check the lifecycle and the step's own rule → write,
 * event, audit, messages — one transaction.
 */
async function step(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, command: Command, input: StepInput, meta: Meta) {
  const authorities = await repo.visibleAuthorities(deps.sql, staff.authorityId);
  await deps.sql.begin(async (tx) => {
    if (!(await repo.findApplication(tx, id, { authorities }))) throw new DomainError('replacements.not_found');
    await repo.lockApplication(tx, id);
    const a = (await repo.findApplication(tx, id, { authorities }))!;
    const t = rules.transition(factsOf(a), command, { oldItemHandedOver: input.oldItemHandedOver, now: meta.now });
    if (!t.ok) throw refuse(t, t.code === 'replacements.old_item_required' ? 'oldItemHandedOver' : undefined);
    const patch: Record<string, unknown> = { status: t.to, updated_at: meta.now };
    let note: string | null = null;
    const sms = (template: string, payload: Record<string, unknown>) =>
      enqueueMessage(tx, { channel: 'sms', recipient: a.applicant_phone, template, authorityId: a.authority_id, payload: { reference: a.reference, ...payload }, dedupeKey: `replacement-${template}:${id}` }, meta.now);

    switch (command) {
      case 'accept': {
        // the blocking states again (they may have changed since submission) and the insurance image
        const v = await repo.vehicleFacts(tx, a.vehicle_id);
        const again = rules.decideVehicle({ binding: 'own', states: v?.states ?? [], plateNo: v?.plate_no ?? null, plateKind: a.plate_kind, hasCertificatePhoto: v?.has_certificate_photo ?? false });
        if (!again.ok) throw refuse(again);
        const check = rules.decideInsuranceCheck(a.item, input.insuranceCheck);
        if (!check.ok) throw refuse(check, 'insuranceCheck');
        Object.assign(patch, { accepted_at: meta.now, accepted_by: staff.id });
        if (a.item === 'inspection_sticker') patch.insurance_check = tx.json({ ...input.insuranceCheck, checkedBy: staff.id, checkedAt: meta.now.toISOString() });
        await sms('replacements.accepted', {});
        break;
      }
      case 'reject':
        Object.assign(patch, { rejected_at: meta.now, rejection_reason: input.reason });
        note = input.reason ?? null;
        if (a.item === 'inspection_sticker' && input.insuranceCheck) patch.insurance_check = tx.json({ ...input.insuranceCheck, checkedBy: staff.id, checkedAt: meta.now.toISOString() });
        await sms('replacements.rejected', { reason: input.reason });
        break;
      case 'produce':
        // the new item's certificate-core number, and the temporary plate if ordered
        if (a.temp_plate_requested && !input.tempPlateNo) throw new DomainError('replacements.temp_plate_no_required', { field: 'tempPlateNo' });
        Object.assign(patch, { produced_at: meta.now, produced_by: staff.id, core_number: input.coreNumber, temp_plate_no: a.temp_plate_requested ? input.tempPlateNo : null });
        break;
      case 'send':
        if (a.delivery === 'post') {
          // handed to the post; the outbox message is the tracking record (sent → delivered | refused)
          const messageId = await enqueueMessage(tx, {
            channel: 'post', recipient: `${a.recipient_name} ${a.postal_address} ${a.postcode}`, template: 'replacements.item', authorityId: a.authority_id,
            payload: {
              reference: a.reference, item: a.item, plateNo: a.plate_no, coreNumber: a.core_number, tempPlateNo: a.temp_plate_no,
              recipientName: a.recipient_name, recipientPhone: a.recipient_phone, postalAddress: a.postal_address, postcode: a.postcode,
              collectOldItem: rules.oldItemMustBeHandedOver(a.item, a.kind),
            },
            dedupeKey: `replacement-post:${id}`,
          }, meta.now);
          Object.assign(patch, { sent_at: meta.now, post_message_id: messageId });
          await sms('replacements.sent', { itemName: itemNames[a.item], handOver: rules.oldItemMustBeHandedOver(a.item, a.kind) });
        } else {
          // one calendar month to collect; the durable job records a non-collection
          const lastDay = rules.pickupDeadlineDay(shanghaiDay(meta.now));
          Object.assign(patch, { ready_at: meta.now, pickup_deadline_day: lastDay });
          await enqueueJob(tx, { kind: REPLACEMENT_JOBS.pickupDeadline, runAt: rules.notCollectedAt(lastDay), payload: { applicationId: id }, dedupeKey: id }, meta.now);
          await sms('replacements.ready_for_pickup', { itemName: itemNames[a.item], lastDay, authorityName: a.authority_name, handOver: rules.oldItemMustBeHandedOver(a.item, a.kind) });
          note = lastDay;
        }
        break;
      case 'deliver':
      case 'refuse': {
        const receipt = command === 'deliver' ? 'delivered' : 'refused';
        const recorded = await recordPostReceipt(tx, a.post_message_id!, receipt, input.note ?? null, meta.now);
        if (!recorded) throw new DomainError('replacements.post_not_dispatched');
        if (command === 'deliver') Object.assign(patch, { completed_at: meta.now, old_item_handed_over: input.oldItemHandedOver ?? false, receipt_recorded_by: staff.id });
        else {
          Object.assign(patch, { failed_at: meta.now, receipt_recorded_by: staff.id });
          note = await imposeBar(tx, a, 'refused', actor, meta);
        }
        break;
      }
      case 'pick_up':
        Object.assign(patch, { completed_at: meta.now, old_item_handed_over: input.oldItemHandedOver ?? false, receipt_recorded_by: staff.id });
        await cancelJobs(tx, REPLACEMENT_JOBS.pickupDeadline, id, meta.now);
        break;
      case 'not_collected':
        Object.assign(patch, { failed_at: meta.now, receipt_recorded_by: staff.id });
        await cancelJobs(tx, REPLACEMENT_JOBS.pickupDeadline, id, meta.now);
        note = await imposeBar(tx, a, 'not_collected', actor, meta);
        break;
      case 'archive':
        Object.assign(patch, { archived_at: meta.now, archived_by: staff.id });
        break;
      case 'destroy_old_item':
        Object.assign(patch, { old_item_destroyed_at: meta.now, old_item_destroyed_by: staff.id });
        break;
      case 'restore_core_number':
      case 'withdraw':
        Object.assign(patch, { closed_at: meta.now, closed_by: staff.id });
        note = input.note ?? null;
        break;
      default:
        throw new DomainError('replacements.wrong_status');
    }
    await repo.updateApplication(tx, id, patch);
    // Delivered or collected after an early filing: both steps show in the progress.
    if (t.to === 'archived' && (command === 'deliver' || command === 'pick_up')) {
      await repo.insertEvent(tx, id, meta.now, command === 'deliver' ? 'delivered' : 'picked_up');
    }
    // A step that leaves the status as it was (filing early, destroying) still shows in the progress.
    await repo.insertEvent(tx, id, meta.now, t.to === a.status ? command : t.to, note);
    await writeAudit(tx, actor, meta, {
      action: `replacements.${command}`, entityType: 'replacement_application', entityId: id, authorityId: a.authority_id,
      before: { status: a.status },
      after: { ...Object.fromEntries(Object.entries(patch).filter(([k]) => k !== 'insurance_check' && k !== 'updated_at')), insuranceCheck: input.insuranceCheck },
    });
    // a case that ends (filed, or closed by 恢复证芯 / 退办, R-29.2) goes to the electronic archive (ADR-036).
    if (t.to !== a.status && (t.to === 'archived' || t.to === 'core_number_restored' || t.to === 'withdrawn')) {
      await archiveCase(tx, actor, meta, {
        businessType: 'replacement', caseRef: a.reference, entityIds: [id], authorityId: a.authority_id, userAccountId: a.user_account_id, plateNo: a.plate_no,
        data: { application: { ...a, ...Object.fromEntries(Object.entries(patch).filter(([k]) => k !== 'insurance_check')) }, outcome: t.to },
        uploadIds: a.insurance_upload_id ? [a.insurance_upload_id] : [], finishedAt: meta.now,
      });
    }
  });
  return getForStaff(deps, staff, id, meta.now);
}

/** the bar of one year, in the transaction that records the refusal or non-collection; SMS. */
async function imposeBar(tx: Db, a: repo.ApplicationRow, reason: 'refused' | 'not_collected', actor: Actor, meta: RequestMeta): Promise<string> {
  const endsOn = rules.barEndsOn(shanghaiDay(meta.now));
  await repo.insertBar(tx, { userId: a.user_account_id, subjectIdNumber: a.applicant_id_number ?? '', applicationId: a.id, reason, startsAt: meta.now, endsOn, authorityId: a.authority_id });
  await writeAudit(tx, actor, meta, { action: 'replacements.bar_imposed', entityType: 'user_account', entityId: a.user_account_id, authorityId: a.authority_id, after: { reason, endsOn, reference: a.reference } });
  await enqueueMessage(tx, {
    channel: 'sms', recipient: a.applicant_phone, template: 'replacements.barred', authorityId: a.authority_id,
    payload: { reference: a.reference, reason, endsOn }, dedupeKey: `replacement-barred:${a.id}`,
  }, meta.now);
  return endsOn;
}

export const acceptApplication = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { insuranceCheck?: Partial<rules.InsuranceCheck> }, meta: Meta) =>
  step(deps, staff, actor, id, 'accept', input, meta);
export const rejectApplication = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { reason: string; insuranceCheck?: Partial<rules.InsuranceCheck> }, meta: Meta) =>
  step(deps, staff, actor, id, 'reject', input, meta);
export const produceItems = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { coreNumber: string; tempPlateNo?: string }, meta: Meta) =>
  step(deps, staff, actor, id, 'produce', input, meta);
export const sendItems = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: Meta) => step(deps, staff, actor, id, 'send', {}, meta);

/** the delivery receipt of a posted item, or the pickup at the counter (R-27.5 hand-over). */
export async function recordReceipt(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { outcome: 'delivered' | 'refused' | 'picked_up' | 'not_collected'; oldItemHandedOver?: boolean; note?: string }, meta: Meta) {
  const command: Command = input.outcome === 'delivered' ? 'deliver' : input.outcome === 'refused' ? 'refuse' : input.outcome === 'picked_up' ? 'pick_up' : 'not_collected';
  return step(deps, staff, actor, id, command, input, meta);
}

export const archiveApplication = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: Meta) => step(deps, staff, actor, id, 'archive', {}, meta);
export const destroyOldItem = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: Meta) => step(deps, staff, actor, id, 'destroy_old_item', {}, meta);
export const restoreCoreNumber = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note?: string }, meta: Meta) =>
  step(deps, staff, actor, id, 'restore_core_number', input, meta);
export const withdrawApplication = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note?: string }, meta: Meta) =>
  step(deps, staff, actor, id, 'withdraw', input, meta);

/**
 * Job, a pickup not collected within one calendar month. Runs in the
 * job's transaction; a collection recorded meanwhile makes it a no-op.
 */
export async function expirePickup(tx: Db, applicationId: string, now: Date) {
  await repo.lockApplication(tx, applicationId);
  const a = await repo.findApplication(tx, applicationId, 'system');
  if (!a || a.status !== 'ready_for_pickup') return;
  const t = rules.transition(factsOf(a), 'not_collected', { now });
  if (!t.ok) return;
  const meta: RequestMeta = { requestId: `job:${REPLACEMENT_JOBS.pickupDeadline}:${applicationId}`, ip: 'system', now };
  await repo.updateApplication(tx, applicationId, { status: t.to, failed_at: now, updated_at: now });
  const endsOn = await imposeBar(tx, a, 'not_collected', systemActor, meta);
  await repo.insertEvent(tx, applicationId, now, t.to, endsOn);
  await writeAudit(tx, systemActor, meta, {
    action: 'replacements.not_collected', entityType: 'replacement_application', entityId: applicationId, authorityId: a.authority_id,
    before: { status: a.status, pickupLastDay: a.pickup_deadline_day }, after: { status: t.to, barEndsOn: endsOn },
  });
}

// ---------------------------------------------------------------------------
// the city settings (管理岗)
// ---------------------------------------------------------------------------

function settingDto(s: repo.CitySettingRow) {
  return { id: s.authority_id, authorityName: s.authority_name, onlinePlateKinds: s.online_plate_kinds, note: s.note, updatedAt: iso(s.updated_at), updatedBy: s.updated_by_label };
}

export const { list: listCitySettings, get: getCitySetting } = citySettingReads(repo.citySettings, settingDto, 'replacements.city_not_found');

export async function updateCitySetting(deps: Deps, staff: StaffPrincipal, actor: StaffActor, authorityId: string, input: { onlinePlateKinds: string[]; note?: string }, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const before = await citySettingInScope(tx, staff, authorityId, repo.citySettings, 'replacements.city_not_found');
    const kinds = [...new Set(input.onlinePlateKinds)].sort();
    await repo.upsertCitySetting(tx, { authorityId, onlinePlateKinds: kinds, note: input.note ?? '', staffId: staff.id, now: meta.now });
    await writeAudit(tx, actor, meta, {
      action: 'replacements.city_setting_updated', entityType: 'replacement_city_setting', entityId: authorityId, authorityId,
      before: { onlinePlateKinds: before.online_plate_kinds }, after: { onlinePlateKinds: kinds },
    });
  });
  return getCitySetting(deps, staff, authorityId);
}
