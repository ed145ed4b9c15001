/**
 * The account itself (R-7 … R-11, R-15, R-18, R-21): online registration of
 * every personal type, "my account", contact, phone and password changes,
 * suspension, cancellation (self-service, forced by 管理岗, automatic for a
 * new-car owner), the certificate photo (upload, submission, 管理岗's review)
 * and the accounts staff see (PD-9). Bindings and the R-17 events live in
 * bindings.ts, counter applications in counter.ts, helpers the three share in
 * shared.ts.
 */
import type { Db, Sql } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveAuthorityOfAccount, archiveCase } from '../../platform/archive.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { cancelJobs, enqueueJob } from '../../platform/jobs.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { invalidateAllSessions, invalidateOtherSessions } from '../../platform/sessions.ts';
import { isLocked, recordFailure, throttlePolicies } from '../../platform/throttle.ts';
import { loadCalendar } from '../../platform/calendar-store.ts';
import { addHours } from '../../platform/calendar.ts';
import { maskIdNumber, maskName, maskPhone, maskVin } from '../../platform/check-digits.ts';
import { storeFile, uploadDto, usableUpload } from '../../platform/uploads/service.ts';
import { checkNewPassword, confirmPassword, requestSmsCode, startUserSession, userBucket, withSmsCode, type Meta, type SignedIn } from '../auth/service.ts';
import { personalWords } from '../auth/rules.ts';
import * as repo from './repo.ts';
import {
  capabilities, decideNewCarOwnerCheck, decideOnlineRegistration, forcedReasonAllowed, isOverdue, notBindableStates, NEW_CAR_PRESELECT_HOURS, reviewDeadline,
  type CancelReason, type PersonalType, type Service, type UploadPurpose,
} from './rules.ts';
import { jobMeta, systemActor, visible, type StaffActor } from './shared.ts';

export const ACCOUNT_JOBS = {
  newCarOwnerCheck: 'accounts.new_car_owner_check',
  populationCheck: 'accounts.population_check',
  reviewOverdue: 'accounts.review_overdue',
} as const;

export type UserActor = Actor & { kind: 'user' };

export async function getUserDto(db: Db, userId: string) {
  const u = await repo.findUser(db, userId);
  if (!u) throw new DomainError('accounts.not_found');
  return userDto(u);
}

export function userDto(u: repo.UserRow) {
  return {
    id: u.id,
    name: u.name,
    phoneMasked: maskPhone(u.phone),
    idNumberMasked: u.id_number ? maskIdNumber(u.id_number) : '',
    kind: u.kind,
    personalType: u.personal_type,
    registrationChannel: u.registration_channel,
    status: u.status,
  };
}

export const servicesOf = (u: repo.UserRow) =>
  capabilities({ kind: u.kind, personalType: u.personal_type, registrationChannel: u.registration_channel, status: u.status });

/** Refuses a use case the user's type does not offer (R-9, R-10.3; PD-4 for suspended accounts). */
export function requireService(u: repo.UserRow, ...anyOf: Service[]) {
  const have = servicesOf(u);
  if (!anyOf.some((s) => have.includes(s))) throw new DomainError('accounts.service_not_available');
}

export function vehicleDto(v: Omit<repo.VehicleBindingRow, 'bound_at'>) {
  return {
    id: v.id,
    plateNo: v.plate_no,
    plateKind: v.plate_kind,
    vehicleType: v.vehicle_type,
    brandModel: v.brand_model,
    vinMasked: maskVin(v.vin),
    states: v.states,
    inspectionValidUntil: v.inspection_valid_until,
    binding: v.kind,
  };
}

export function licenceDto(l: repo.LicenceBindingRow) {
  return { id: l.id, licenceNoMasked: maskIdNumber(l.licence_no), classes: l.classes, validUntil: l.valid_until, status: l.status, points: l.points };
}

/** "My account": only what is the user's own or bound to them (non-negotiable 7). */
export async function getMe(sql: Sql, userId: string, now: Date) {
  const u = await repo.accountHome(sql, userId);
  if (!u) throw new DomainError('accounts.not_found');
  const { vehicles, licences } = u;
  return {
    user: userDto(u),
    vehicles: vehicles.map(vehicleDto),
    licences: licences.map(licenceDto),
    asOf: now.toISOString(),
    services: servicesOf(u),
    contact: { email: u.email, postalAddress: u.postal_address, postcode: u.postcode },
    preselectBy: u.personal_type === 'new_car_owner' && u.status !== 'cancelled' ? addHours(u.created_at, NEW_CAR_PRESELECT_HOURS).toISOString() : null,
  };
}

/** the durable watch over a new-car owner's 24 hours (and the three working days after a preselection). */
export async function watchNewCarOwner(tx: Db, userId: string, createdAt: Date, now: Date) {
  await enqueueJob(tx, { kind: ACCOUNT_JOBS.newCarOwnerCheck, payload: { userId }, runAt: addHours(createdAt, NEW_CAR_PRESELECT_HOURS), dedupeKey: userId }, now);
}

/**
 * Online registration as 车主或驾驶人 (default), 学员 or
 * 新车车主: the person is in the population registry under that name and has
 * what the type needs; the phone equals the one in those records. Own
 * vehicles and licences are bound at once.
 */
export async function registerOnline(
  deps: Deps,
  input: { name: string; idNumber: string; phone: string; smsCode: string; password: string; personalType?: PersonalType },
  meta: Meta,
): Promise<SignedIn> {
  const requested = input.personalType ?? 'owner_driver';
  // Issue 17: a guessable password is refused before the code is used (the refusal reveals nothing of the registry).
  await checkNewPassword(input.password, { field: 'password', userWords: personalWords(input) });
  const passwordHash = await hashPassword(input.password);
  // Issue 17: the code is burnt by this attempt, even when the registry then refuses it.
  return withSmsCode(deps, { phone: input.phone, purpose: 'sign_up', smsCode: input.smsCode }, meta.now, async (tx) => {
    const person = await repo.findPersonByIdNumber(tx, input.idNumber);
    if (!person || person.name !== input.name || person.deceased) {
      throw new DomainError('accounts.person_not_found', { field: 'idNumber' });
    }
    const records = await repo.recordsOfPerson(tx, person.id);
    const decision = decideOnlineRegistration(
      {
        vehiclePhones: records.registered.map((v) => v.owner_phone),
        licencePhones: records.licences.map((l) => l.phone),
        firstLicenceApplicationPhones: records.applications.map((a) => a.phone),
        newCarPhones: records.newCars.map((v) => v.owner_phone),
      },
      input.phone,
      requested,
    );
    if (!decision.ok) {
      throw new DomainError(decision.code, decision.code === 'accounts.phone_mismatch' ? { field: 'phone' } : { field: 'personalType' });
    }
    const userId = await repo.insertUser(tx, { personId: person.id, phone: input.phone, passwordHash, personalType: decision.personalType, channel: 'online', now: meta.now });
    const bound = records.registered.filter((v) => !v.states.some((s) => notBindableStates.includes(s)));
    for (const v of bound) await repo.bindVehicle(tx, userId, v.id, 'own', meta.now);
    const licences = records.licences.filter((l) => l.status !== 'cancelled');
    for (const l of licences) await repo.bindLicence(tx, userId, l.id, 'own', meta.now);
    if (decision.personalType === 'new_car_owner') await watchNewCarOwner(tx, userId, meta.now, meta.now);
    const actor = { kind: 'user' as const, id: userId, label: maskName(person.name) };
    await writeAudit(tx, actor, meta, {
      action: 'accounts.registered_online',
      entityType: 'user_account',
      entityId: userId,
      after: { kind: 'personal', personalType: decision.personalType, channel: 'online', phone: maskPhone(input.phone), boundVehicles: bound.length, boundLicences: licences.length },
    });
    await enqueueMessage(tx, { channel: 'sms', recipient: input.phone, template: 'auth.signed_up', payload: { phoneMasked: maskPhone(input.phone) }, dedupeKey: `signed_up:${userId}` }, meta.now);
    // the online registration goes to the electronic archive (ADR-036).
    await archiveCase(tx, actor, meta, {
      businessType: 'account_registration', caseRef: { newCase: 'REG' }, entityIds: [userId], authorityId: await archiveAuthorityOfAccount(tx, userId),
      personId: person.id, userAccountId: userId, plateNo: bound[0]?.plate_no ?? null,
      data: { channel: 'online', personalType: decision.personalType, phone: input.phone, plates: bound.flatMap((v) => (v.plate_no ? [v.plate_no] : [])), licences: licences.length }, finishedAt: meta.now,
    });
    return startUserSession(deps, userId, null, meta, 'auth.signed_in', undefined, undefined, tx);
  });
}

/** The user's row, locked; a cancelled account is "not found". */
export async function lockLiveUser(tx: Db, userId: string) {
  const u = await repo.lockUser(tx, userId);
  if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_found');
  return u;
}

// ---------------------------------------------------------------------------
// Contact, phone, password
// ---------------------------------------------------------------------------

export async function changeContact(deps: Deps, actor: UserActor, input: { email: string | null; postalAddress: string | null; postcode: string | null }, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'change_contact');
    await repo.updateContact(tx, u.id, input);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.contact_changed', entityType: 'user_account', entityId: u.id,
      before: { email: u.email, postalAddress: u.postal_address, postcode: u.postcode }, after: input,
    });
    await archiveCase(tx, actor, meta, { businessType: 'account_change', caseRef: { newCase: 'CHG' }, authorityId: await archiveAuthorityOfAccount(tx, u.id), personId: u.person_id, organisationId: u.organisation_id, userAccountId: u.id, data: { channel: 'online', change: 'contact', before: { email: u.email, postalAddress: u.postal_address, postcode: u.postcode }, after: input }, finishedAt: meta.now });
  });
  return getMe(deps.sql, actor.id, meta.now);
}

/** a code to the new number proves it is the user's own. */
export async function requestPhoneChangeCode(deps: Deps, actor: UserActor, phone: string, meta: Meta) {
  const u = await repo.findUser(deps.sql, actor.id);
  if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_found');
  requireService(u, 'change_contact');
  if (u.phone === phone) throw new DomainError('accounts.same_phone', { field: 'phone' });
  // Issue 17: "in use" tells whether a phone has an account, so these answers are limited per account and
  // per IP with sign-in's thresholds; a locked account or IP is refused before any lookup.
  const buckets = [`phone_in_use:user:${u.id}`, `phone_in_use:ip:${meta.ip}`] as const;
  if (await isLocked(deps.sql, [...buckets], meta.now)) throw new DomainError('auth.throttled');
  if (await repo.phoneTaken(deps.sql, phone, u.id)) {
    await deps.sql.begin(async (tx) => {
      await recordFailure(tx, buckets[0], throttlePolicies.account, meta.now);
      await recordFailure(tx, buckets[1], throttlePolicies.ip, meta.now);
    });
    throw new DomainError('accounts.phone_in_use', { field: 'phone' });
  }
  return requestSmsCode(deps, { phone, purpose: 'change_phone' }, meta);
}

/**
 * 变更联系方式: the new phone, proven by its code, becomes the
 * account's and — as at the counter — the one in the person's
 * vehicle and licence records, so keeps holding for them.
 */
export async function changePhone(deps: Deps, actor: UserActor, sessionId: string, input: { phone: string; smsCode: string }, meta: RequestMeta) {
  // Issue 17: the code is burnt by this attempt, whatever follows; the change ends every other session.
  await withSmsCode(deps, { phone: input.phone, purpose: 'change_phone', smsCode: input.smsCode }, meta.now, async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'change_contact');
    if (u.phone === input.phone) throw new DomainError('accounts.same_phone', { field: 'phone' });
    await repo.updatePhone(tx, u.id, input.phone);
    const written = u.kind === 'personal' && u.person_id ? await repo.writePhoneThrough(tx, u.person_id, input.phone) : { vehicles: 0, licences: 0 };
    const ended = await invalidateOtherSessions(tx, 'user', u.id, sessionId);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.phone_changed', entityType: 'user_account', entityId: u.id,
      before: { phone: maskPhone(u.phone) }, after: { phone: maskPhone(input.phone), recordsUpdated: written, otherSessionsEnded: ended },
    });
    await enqueueMessage(tx, { channel: 'sms', recipient: u.phone, template: 'accounts.phone_changed', payload: { phoneMasked: maskPhone(input.phone) } }, meta.now);
    await archiveCase(tx, actor, meta, { businessType: 'account_change', caseRef: { newCase: 'CHG' }, authorityId: await archiveAuthorityOfAccount(tx, u.id), personId: u.person_id, organisationId: u.organisation_id, userAccountId: u.id, data: { channel: 'online', change: 'phone', before: { phone: u.phone }, after: { phone: input.phone } }, finishedAt: meta.now });
  });
  return getMe(deps.sql, actor.id, meta.now);
}

/**
 * R-15 修改密码. A counter-registered account may have none yet: then no current password is asked.
 * Issue 17: wrong current passwords are limited like sign-in; the new one must not be guessable
 * (nor the current one); the change ends every other session of the user.
 */
export async function changePassword(deps: Deps, actor: UserActor, sessionId: string, input: { currentPassword?: string; newPassword: string }, meta: RequestMeta) {
  const u = await repo.findUser(deps.sql, actor.id);
  if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_found');
  requireService(u, 'change_password');
  if (u.password_hash !== null && !(await confirmPassword(deps, actor, { bucket: userBucket(u.phone), passwordHash: u.password_hash }, input.currentPassword ?? '', meta))) {
    throw new DomainError('accounts.wrong_password', { field: 'currentPassword' });
  }
  await checkNewPassword(input.newPassword, { field: 'newPassword', userWords: personalWords({ phone: u.phone, name: u.name, idNumber: u.id_number }), currentHash: u.password_hash });
  const hash = await hashPassword(input.newPassword);
  await deps.sql.begin(async (tx) => {
    await lockLiveUser(tx, actor.id);
    await repo.setPassword(tx, u.id, hash);
    const ended = await invalidateOtherSessions(tx, 'user', u.id, sessionId);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.password_changed', entityType: 'user_account', entityId: u.id, after: { hadPassword: u.password_hash !== null, otherSessionsEnded: ended },
    });
  });
}

/** R-15 暂停用户账号, PD-4: every session ends; an SMS sign-in reactivates. */
export async function suspendAccount(deps: Deps, actor: UserActor, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    if (u.status !== 'active') throw new DomainError('accounts.not_active');
    requireService(u, 'suspend');
    await repo.suspendUser(tx, u.id, meta.now);
    const ended = await invalidateAllSessions(tx, 'user', u.id);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.suspended', entityType: 'user_account', entityId: u.id, before: { status: 'active' }, after: { status: 'suspended', sessionsEnded: ended },
    });
    await enqueueMessage(tx, { channel: 'sms', recipient: u.phone, template: 'accounts.suspended', payload: {} }, meta.now);
  });
}

// ---------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------

/**
 * Cancels an account inside the caller's transaction: the
 * record of who and why, every binding the account holds ends, every session
 * ends, the new-car watch stops, the user is told by SMS.
 */
export async function cancelAccount(
  tx: Db,
  u: repo.UserRow,
  c: { kind: 'forced' | 'self' | 'automatic' | 'counter'; reason: CancelReason; note: string; staffId: string | null; authorityId: string | null; reference?: string },
  actor: Actor,
  meta: RequestMeta,
) {
  await repo.markCancelled(tx, u.id, c.reason, meta.now);
  await repo.insertCancellation(tx, { userId: u.id, kind: c.kind, reason: c.reason, note: c.note, staffId: c.staffId, authorityId: c.authorityId, now: meta.now });
  const unbound = await repo.endAllBindingsOf(tx, u.id, 'account_cancelled', meta.now);
  const sessions = await invalidateAllSessions(tx, 'user', u.id);
  await cancelJobs(tx, ACCOUNT_JOBS.newCarOwnerCheck, u.id, meta.now);
  await writeAudit(tx, actor, meta, {
    action: 'accounts.cancelled', entityType: 'user_account', entityId: u.id, authorityId: c.authorityId ?? u.authority_id,
    before: { status: u.status, personalType: u.personal_type }, after: { status: 'cancelled', kind: c.kind, reason: c.reason, note: c.note, unbound, sessionsEnded: sessions, ...(c.reference ? { reference: c.reference } : {}) },
  });
  await enqueueMessage(tx, { channel: 'sms', recipient: u.phone, template: 'accounts.cancelled', authorityId: c.authorityId, payload: { kind: c.kind, reason: c.reason, ...(c.reference ? { reference: c.reference } : {}) }, dedupeKey: `accounts.cancelled:${u.id}` }, meta.now);
}

/** the user cancels online (confirmed with the password when there is one). */
export async function cancelOwnAccount(deps: Deps, actor: UserActor, input: { password?: string }, meta: RequestMeta) {
  const u0 = await repo.findUser(deps.sql, actor.id);
  if (!u0 || u0.status === 'cancelled') throw new DomainError('accounts.not_found');
  // Issue 17: wrong passwords here are limited like sign-in.
  if (u0.password_hash !== null && !(await confirmPassword(deps, actor, { bucket: userBucket(u0.phone), passwordHash: u0.password_hash }, input.password ?? '', meta))) {
    throw new DomainError('accounts.wrong_password', { field: 'password' });
  }
  await deps.sql.begin(async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'cancel');
    await cancelAccount(tx, u, { kind: 'self', reason: 'user_request', note: '', staffId: null, authorityId: u.authority_id }, actor, meta);
  });
}

/** the new-car owner's watch; re-queues itself while a preselection is running. */
export async function checkNewCarOwner(tx: Db, jobId: number, userId: string, now: Date) {
  const u = await repo.lockUser(tx, userId);
  if (!u) return;
  const d = decideNewCarOwnerCheck({ personalType: u.personal_type, status: u.status, createdAt: u.created_at }, await repo.preselectionsOf(tx, userId), now);
  if (d.action === 'recheck') {
    await enqueueJob(tx, { kind: ACCOUNT_JOBS.newCarOwnerCheck, payload: { userId }, runAt: d.at, dedupeKey: userId }, now);
  } else if (d.action === 'cancel') {
    await cancelAccount(tx, u, { kind: 'automatic', reason: d.reason, note: 'R-21.1.4', staffId: null, authorityId: u.authority_id }, systemActor, jobMeta(jobId, now));
  }
}

// ---------------------------------------------------------------------------
// Uploads and the certificate photo
// ---------------------------------------------------------------------------

/** Stores a photo or scan in the upload store (ADR-021); its type is read from the bytes and must be one its kind takes. */
export async function storeUpload(
  tx: Db,
  bytes: Uint8Array,
  purpose: UploadPurpose,
  owner: { kind: 'staff' | 'user'; id: string; authorityId: string | null },
  actor: Actor,
  meta: RequestMeta,
) {
  const row = await storeFile(tx, { purpose, bytes, owner }, meta.now);
  await writeAudit(tx, actor, meta, {
    action: 'accounts.upload_stored', entityType: 'upload', entityId: row.id, authorityId: owner.authorityId,
    after: { purpose, contentType: row.content_type, size: row.size_bytes, sha256: row.sha256 },
  });
  return uploadDto(row);
}

/** Citizens upload only the certificate photo; everything else is scanned at the counter. */
export async function uploadAsCitizen(deps: Deps, actor: UserActor, bytes: Uint8Array, purpose: UploadPurpose, meta: RequestMeta) {
  if (purpose !== 'certificate_photo') throw new DomainError('accounts.service_not_available');
  return deps.sql.begin(async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'certificate_photo_upload');
    return storeUpload(tx, bytes, purpose, { kind: 'user', id: u.id, authorityId: u.authority_id }, actor, meta);
  });
}

export function photoDto(p: repo.PhotoRow) {
  return {
    id: p.id, licenceId: p.licence_id, status: p.status, submittedAt: p.submitted_at.toISOString(), dueAt: p.due_at.toISOString(),
    reviewedAt: p.reviewed_at?.toISOString() ?? null, rejectReason: p.reject_reason,
  };
}

/**
 * a window-registered user submits a 驾驶证证件专用电子照片 for a
 * licence bound as own; 管理岗 of the issuing authority reviews it within one
 * working day of submission (an SLA, PD-3).
 */
export async function submitCertificatePhoto(deps: Deps, actor: UserActor, input: { licenceId: string; uploadId: string }, meta: RequestMeta) {
  const cal = await loadCalendar(deps.sql);
  await deps.sql.begin(async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'certificate_photo_upload');
    const binding = await repo.activeLicenceBinding(tx, u.id, input.licenceId);
    const licence = binding?.kind === 'own' ? await repo.findLicence(tx, input.licenceId) : undefined;
    if (!licence) throw new DomainError('accounts.licence_not_found');
    const upload = await usableUpload(tx, { kind: 'user', id: u.id }, input.uploadId, 'certificate_photo', 'uploadId');
    const dueAt = reviewDeadline(cal, meta.now);
    const id = await repo.insertPhotoSubmission(tx, { userId: u.id, licenceId: licence.id, uploadId: upload.id, authorityId: licence.issuing_authority_id, now: meta.now, dueAt });
    await writeAudit(tx, actor, meta, {
      action: 'accounts.certificate_photo_submitted', entityType: 'certificate_photo_submission', entityId: id, authorityId: licence.issuing_authority_id,
      after: { licenceId: licence.id, uploadId: upload.id, sha256: upload.sha256, dueAt: dueAt.toISOString() },
    });
  });
  return myPhotos(deps.sql, actor.id);
}

export async function myPhotos(sql: Sql, userId: string) {
  return (await repo.photosOfUser(sql, userId)).map(photoDto);
}

// ---------------------------------------------------------------------------
// certificate-photo review
// ---------------------------------------------------------------------------

async function staffPhotoDto(db: Db, p: repo.PhotoRow, now: Date) {
  return {
    id: p.id, holderName: p.holder_name, licenceNoMasked: maskIdNumber(p.licence_no), uploadId: p.upload_id,
    registrationPhotoUploadId: await repo.registrationPhotoOf(db, p.user_account_id), status: p.status, submittedAt: p.submitted_at.toISOString(),
    dueAt: p.due_at.toISOString(), overdue: isOverdue(p.due_at, now, p.status === 'submitted'), reviewedAt: p.reviewed_at?.toISOString() ?? null, rejectReason: p.reject_reason,
  };
}

export async function listPhotos(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const { rows, total } = await repo.listPhotos(deps.sql, q, await visible(deps.sql, staff), filterString(q.filter, 'status'));
  return { rows: await Promise.all(rows.map((r) => staffPhotoDto(deps.sql, r, now))), total };
}

export async function getPhoto(deps: Deps, staff: StaffPrincipal, id: string, now: Date) {
  const p = await repo.findPhoto(deps.sql, id, await visible(deps.sql, staff));
  if (!p) throw new DomainError('accounts.photo_not_found');
  return staffPhotoDto(deps.sql, p, now);
}

/** clear, valid format, matches the registration photo → saved to the licence records; else the reason goes by SMS. */
export async function decidePhoto(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, decision: { approve: true } | { approve: false; reason: string }, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const p = await repo.findPhoto(tx, id, await visible(tx, staff), true);
    if (!p) throw new DomainError('accounts.photo_not_found');
    if (p.status !== 'submitted') throw new DomainError('accounts.photo_wrong_status');
    const status = decision.approve ? 'approved' : 'rejected';
    const reason = decision.approve ? null : decision.reason;
    await repo.decidePhoto(tx, p.id, status, staff.id, reason, meta.now);
    if (decision.approve) await repo.markLicencePhoto(tx, p.licence_id);
    await writeAudit(tx, actor, meta, {
      action: decision.approve ? 'accounts.certificate_photo_approved' : 'accounts.certificate_photo_rejected', entityType: 'certificate_photo_submission', entityId: p.id,
      before: { status: 'submitted' }, after: { status, reason },
    });
    const u = await repo.findUser(tx, p.user_account_id);
    if (u) await enqueueMessage(tx, { channel: 'sms', recipient: u.phone, template: 'accounts.certificate_photo_decided', authorityId: p.authority_id, payload: { status, reason } }, meta.now);
  });
  return getPhoto(deps, staff, id, meta.now);
}

// ---------------------------------------------------------------------------
// Accounts for staff: list, forced cancellation
// ---------------------------------------------------------------------------

function adminUserDto(u: repo.UserListRow) {
  return {
    id: u.id, name: u.name, phoneMasked: maskPhone(u.phone), idNumberMasked: u.id_number ? maskIdNumber(u.id_number) : '', kind: u.kind, personalType: u.personal_type,
    registrationChannel: u.registration_channel, status: u.status, authorityId: u.authority_id, createdAt: u.created_at.toISOString(),
    cancelledAt: u.cancelled_at?.toISOString() ?? null, cancelReason: u.cancel_reason,
  };
}

export async function listUsers(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const { rows, total } = await repo.listUsers(deps.sql, q, await visible(deps.sql, staff), filterString(q.filter, 'q'));
  return { rows: rows.map(adminUserDto), total };
}

async function visibleUser(db: Db, staff: StaffPrincipal, id: string) {
  const u = await repo.findUser(db, id);
  // PD-9: local accounts belong to their city; national (online personal) accounts to every department.
  if (!u || (u.authority_id && !(await visible(db, staff)).includes(u.authority_id))) throw new DomainError('accounts.not_found');
  return u;
}

export async function getUserForStaff(deps: Deps, staff: StaffPrincipal, id: string) {
  const u = await visibleUser(deps.sql, staff, id);
  return adminUserDto({ ...u, ...(await repo.cancellationOf(deps.sql, u.id)) });
}

/** 强制注销 for death / dissolution / false materials, with the reason recorded. */
export async function forceCancel(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { reason: 'deceased' | 'dissolved' | 'false_materials'; note: string }, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const seen = await visibleUser(tx, staff, id);
    const u = await repo.lockUser(tx, seen.id);
    if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_active');
    if (!forcedReasonAllowed(u.kind, input.reason)) throw new DomainError('accounts.cancel_reason_not_allowed', { field: 'reason' });
    await cancelAccount(tx, u, { kind: 'forced', reason: input.reason, note: input.note, staffId: staff.id, authorityId: staff.authorityId }, actor, meta);
  });
  const u = await repo.findUser(deps.sql, id);
  return adminUserDto({ ...u!, cancelled_at: meta.now, cancel_reason: input.reason });
}
