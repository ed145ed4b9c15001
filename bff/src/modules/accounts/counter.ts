/**
 * 窗口注册 / 窗口变更 (R-12, R-13, R-19, R-20): 受理岗 accepts at the counter,
 * 管理岗 reviews within one working day (approve / reject / return to 受理岗),
 * 档案岗 archives; the deferred "network down" check (PD-8) and the review
 * SLA flag (PD-3); the citizen's applications, timeline and tracking link;
 * the pre-filled form; the counter's scans (ADR-021). See ADR-013. Citizens'
 * routes in counter.routes.ts, staff's in counter-admin.routes.ts.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db, Sql } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import type { Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { withFreshReference } from '../../platform/references.ts';
import { isLocked, recordFailure, type ThrottlePolicy } from '../../platform/throttle.ts';
import { invalidateAllSessions } from '../../platform/sessions.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { cancelJobs, enqueueJob } from '../../platform/jobs.ts';
import { loadCalendar } from '../../platform/calendar-store.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import { maskName, maskPhone } from '../../platform/check-digits.ts';
import { fileOf, findUploads } from '../../platform/uploads/service.ts';
import { maskFields, masked } from '../../platform/personal-data.ts';
import * as repo from './repo.ts';
import * as counterRepo from './counter.repo.ts';
import {
  applicationReference, applicationTransition, archiveProblem, ARCHIVE_DOCUMENTS, counterPersonalType, DEFERRED_CHECK_DELAY_MS,
  decidePopulationCheck, isOverdue, missingUploads, needsArchive, notBindableStates, PREFILL_DAYS, prefillCode, reviewDeadline,
  timelineOf, type ChangeKind, type UploadPurpose,
} from './rules.ts';
import { ACCOUNT_JOBS, storeUpload, watchNewCarOwner } from './service.ts';
import { assertNonOwnCapacity, bindNonOwnVehicle } from './bindings.ts';
import { jobMeta, run, systemActor, visible, type StaffActor } from './shared.ts';
import { accountUploadKinds } from './uploads.ts';
import { formFieldsOf } from './reveal.ts';
import type { ApplicationCreateInput, CorrectionFormInput, OrganisationFormInput, PersonFormInput } from './counter.schemas.ts';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

// ---------------------------------------------------------------------------
// Uploads at the counter
// ---------------------------------------------------------------------------

export async function uploadAsStaff(deps: Deps, staff: StaffPrincipal, actor: StaffActor, bytes: Uint8Array, purpose: UploadPurpose, meta: RequestMeta) {
  return deps.sql.begin((tx) => storeUpload(tx, bytes, purpose, { kind: 'staff', id: staff.id, authorityId: staff.authorityId }, actor, meta));
}

/**
 * The bytes of a photo or scan of this module's kinds, for staff of the
 * authority it belongs to (or whose review queue holds it). Files of other
 * modules in the one store are not served here.
 */
export async function uploadForStaff(deps: Deps, staff: StaffPrincipal, id: string) {
  const authorities = await visible(deps.sql, staff);
  const u = await fileOf(deps.sql, id);
  if (!Object.hasOwn(accountUploadKinds, u.purpose)) throw new DomainError('uploads.not_found');
  if (u.authority_id && authorities.includes(u.authority_id)) return u;
  const [inQueue] = await deps.sql`SELECT 1 FROM certificate_photo_submission WHERE upload_id = ${id} AND authority_id = ANY(${authorities})`;
  if (inQueue) return u;
  throw new DomainError('uploads.not_found');
}

/** Every document the form needs is there, was scanned at this authority's counter, and is what its key says. */
async function checkDocuments(tx: Db, staff: StaffPrincipal, subject: 'person' | 'organisation', changeKind: ChangeKind | null, docs: Record<string, string>) {
  const missing = missingUploads(subject, changeKind, Object.keys(docs));
  if (missing.length > 0) throw new DomainError('accounts.uploads_missing', { fields: Object.fromEntries(missing.map((m) => [`documents.${m}`, 'validation.required'])) });
  const authorities = await visible(tx, staff);
  const rows = await findUploads(tx, Object.values(docs));
  for (const [purpose, id] of Object.entries(docs)) {
    const u = rows.find((r) => r.id === id);
    if (!u || u.owner_kind !== 'staff' || !u.authority_id || !authorities.includes(u.authority_id) || u.purpose !== purpose) {
      throw new DomainError('uploads.not_usable', { field: `documents.${purpose}` });
    }
  }
}

// ---------------------------------------------------------------------------
// DTOs
// ---------------------------------------------------------------------------

const applicantName = (a: counterRepo.ApplicationRow) => String((a.form.organisationName ?? a.form.name) ?? '');
const open = (a: counterRepo.ApplicationRow) => a.status === 'review' || a.status === 'returned';

async function adminDto(db: Db, a: counterRepo.ApplicationRow, now: Date) {
  const [documents, audit, vehicle, person] = await Promise.all([
    counterRepo.documentsOf(db, a.id),
    counterRepo.auditOf(db, 'account_application', a.id),
    a.vehicle_id ? repo.findVehicle(db, a.vehicle_id) : Promise.resolve(undefined),
    a.person_id ? repo.findPersonById(db, a.person_id) : Promise.resolve(undefined),
  ]);
  return {
    id: a.id, reference: a.reference, authorityId: a.authority_id, subject: a.subject, kind: a.kind, changeKind: a.change_kind, status: a.status,
    // Personal data masked for every staff screen and export; the full value is a logged reveal (issue 17, ADR-024).
    applicantName: applicantName(a), idType: a.id_type, idNumber: masked('id_number', a.id_number), phone: masked('phone', a.phone),
    form: maskFields(a.form, formFieldsOf(a.subject)),
    vehicle: vehicle ? { id: vehicle.id, plateNo: vehicle.plate_no, brandModel: vehicle.brand_model } : null,
    checkStatus: a.check_status, checkDetail: a.check_detail, photoPrompts: a.photo_prompts,
    // what 人口信息库 says, beside what was entered (only once the check has read it)
    registry: person && a.check_status !== 'pending' ? { name: person.name, sex: person.sex, birthDate: person.birth_date } : null,
    documents: documents.map((d) => ({ purpose: d.purpose, uploadId: d.upload_id, contentType: d.content_type, size: d.size_bytes, sha256: d.sha256 })),
    acceptedAt: a.accepted_at.toISOString(), acceptedBy: a.accepted_by_name, reviewDueAt: a.review_due_at?.toISOString() ?? null,
    overdue: isOverdue(a.review_due_at, now, open(a)), returnedNote: a.returned_note, returnedAt: a.returned_at?.toISOString() ?? null,
    decidedAt: a.decided_at?.toISOString() ?? null, rejectReason: a.reject_reason, userAccountId: a.user_account_id,
    timeline: timelineOf(audit),
  };
}

async function citizenDto(db: Db, a: counterRepo.ApplicationRow, now: Date) {
  const audit = await counterRepo.auditOf(db, 'account_application', a.id);
  return {
    reference: a.reference, subject: a.subject, kind: a.kind, changeKind: a.change_kind, status: a.status, applicantNameMasked: maskName(applicantName(a)),
    acceptedAt: a.accepted_at.toISOString(), reviewDueAt: a.review_due_at?.toISOString() ?? null, overdue: isOverdue(a.review_due_at, now, open(a)),
    timeline: timelineOf(audit), asOf: now.toISOString(),
  };
}

// ---------------------------------------------------------------------------
// 受理岗: accept
// ---------------------------------------------------------------------------

type PersonCheck = { personId: string | null; checkStatus: 'passed' | 'pending'; checkDetail: Record<string, unknown>; person: repo.PersonRow | undefined };

/** read the ID against 人口信息库 and the disqualifications now — or, network down, later (PD-8). */
async function personCheck(tx: Db, form: { idType: string; idNumber: string; name: string }, networkDown: boolean, now: Date): Promise<PersonCheck> {
  const person = await repo.findPerson(tx, form.idType, form.idNumber);
  if (networkDown) return { personId: person?.id ?? null, checkStatus: 'pending', checkDetail: { deferredAt: now.toISOString() }, person };
  const decision = decidePopulationCheck(person, form.name, person ? await repo.disqualificationsOf(tx, person.id) : [], shanghaiDay(now));
  if (!decision.ok) throw new DomainError(decision.code, { field: 'form.idNumber' });
  return { personId: person!.id, checkStatus: 'passed', checkDetail: { checkedAt: now.toISOString() }, person };
}

/** local vehicles / licences without a certificate photo → tell the applicant. */
async function photoPrompts(tx: Db, personId: string | null, authorityId: string) {
  if (!personId) return [];
  const r = await repo.recordsOfPerson(tx, personId);
  const prompts: string[] = [];
  if (r.registered.some((v) => v.registration_authority_id === authorityId && !v.has_certificate_photo)) prompts.push('vehicle_photo_missing');
  if (r.licences.some((l) => l.issuing_authority_id === authorityId && l.status !== 'cancelled' && !l.has_certificate_photo)) prompts.push('licence_photo_missing');
  return prompts;
}

async function accountOfPerson(tx: Db, personId: string | null) {
  if (!personId) return undefined;
  return repo.livePersonalAccountOf(tx, personId);
}

async function resolveNonOwnVehicle(tx: Db, personId: string | null, userId: string, v: { plateNo: string; ownerIdType: string; ownerIdNumber: string }, exceptApplicationId: string | null) {
  const vehicle = await repo.findVehicleByPlate(tx, v.plateNo);
  if (!vehicle) throw new DomainError('accounts.vehicle_not_found', { field: 'vehicle.plateNo' });
  if (vehicle.owner_person_id && vehicle.owner_person_id === personId) throw new DomainError('accounts.own_vehicle', { field: 'vehicle.plateNo' });
  // the owner's identity document must be the one in the vehicle records.
  const owner = vehicle.owner_person_id ? await repo.findPersonById(tx, vehicle.owner_person_id) : undefined;
  const ownerOk = owner
    ? owner.id_type === v.ownerIdType && owner.id_number === v.ownerIdNumber
    : (await tx`SELECT 1 FROM organisation WHERE id = ${vehicle.owner_organisation_id} AND uscc = ${v.ownerIdNumber}`).length > 0;
  if (!ownerOk) throw new DomainError('accounts.owner_mismatch', { field: 'vehicle.ownerIdNumber' });
  if (vehicle.states.some((s) => notBindableStates.includes(s))) throw new DomainError('accounts.vehicle_not_bindable');
  if (await repo.activeVehicleBinding(tx, userId, vehicle.id)) throw new DomainError('accounts.already_bound');
  await assertNonOwnCapacity(tx, userId, exceptApplicationId);
  return vehicle;
}

export async function acceptApplication(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: ApplicationCreateInput, meta: RequestMeta) {
  const cal = await loadCalendar(deps.sql);
  const token = encodeBase32LowerCaseNoPadding(randomBytes(20));
  const id = await run(deps, async (tx) => {
    const changeKind = (input.kind === 'change' ? (input.changeKind ?? (input.subject === 'organisation' ? 'organisation_info' : 'contact')) : null) as ChangeKind | null;
    await checkDocuments(tx, staff, input.subject, changeKind, input.documents);
    const reference = applicationReference(staff.authorityId, meta.now, await counterRepo.nextApplicationSeq(tx));
    const base = { reference, authorityId: staff.authorityId, subject: input.subject, kind: input.kind, changeKind, trackTokenHash: hashToken(token), acceptedBy: staff.id, now: meta.now };
    if (input.subject === 'organisation') return acceptOrganisation(tx, staff, actor, input.form, base, input.documents, meta);

    const form = input.form;
    if (changeKind === 'bind_non_own_vehicle' && !input.vehicle) throw new DomainError('request.invalid', { fields: { vehicle: 'validation.required' } });
    const check = await personCheck(tx, form, input.networkDown ?? false, meta.now);
    let userAccountId: string | null = null;
    let vehicleId: string | null = null;
    const acct = await accountOfPerson(tx, check.personId);
    if (input.kind === 'registration') {
      if (acct) throw new DomainError('accounts.already_registered', { field: 'form.idNumber' });
      if (check.personId) {
        const r = await repo.recordsOfPerson(tx, check.personId);
        const type = counterPersonalType({ vehiclePhones: r.registered.map((v) => v.owner_phone), licencePhones: r.licences.map((l) => l.phone), firstLicenceApplicationPhones: r.applications.map((a) => a.phone), newCarPhones: r.newCars.map((v) => v.owner_phone) });
        if (!type.ok) throw new DomainError(type.code);
      }
      if (await repo.phoneTaken(tx, form.phone, null)) throw new DomainError('accounts.phone_in_use', { field: 'form.phone' });
    } else {
      // personal changes are the account holder's own, in person.
      if (!acct || acct.status === 'cancelled') throw new DomainError('accounts.not_found', { field: 'form.idNumber' });
      userAccountId = acct.id;
      if (await repo.phoneTaken(tx, form.phone, acct.id)) throw new DomainError('accounts.phone_in_use', { field: 'form.phone' });
      if (changeKind === 'bind_non_own_vehicle') vehicleId = (await resolveNonOwnVehicle(tx, check.personId, acct.id, input.vehicle!, null)).id;
    }
    const reviewDueAt = reviewDeadline(cal, meta.now);
    const appId = await counterRepo.insertApplication(tx, {
      ...base, status: 'review', idType: form.idType, idNumber: form.idNumber, phone: form.phone, form: form as Record<string, unknown>,
      personId: check.personId, organisationId: null, userAccountId, vehicleId, checkStatus: check.checkStatus, checkDetail: check.checkDetail,
      checkedAt: check.checkStatus === 'passed' ? meta.now : null, photoPrompts: await photoPrompts(tx, check.personId, staff.authorityId),
      prefillCode: input.prefillCode ?? null, reviewDueAt,
    });
    await counterRepo.setDocuments(tx, appId, input.documents);
    if (input.prefillCode) await counterRepo.markPrefillUsed(tx, input.prefillCode, appId, meta.now);
    if (check.checkStatus === 'pending') {
      await enqueueJob(tx, { kind: ACCOUNT_JOBS.populationCheck, payload: { applicationId: appId }, runAt: new Date(meta.now.getTime() + DEFERRED_CHECK_DELAY_MS), dedupeKey: appId }, meta.now);
    }
    await enqueueJob(tx, { kind: ACCOUNT_JOBS.reviewOverdue, payload: { applicationId: appId }, runAt: reviewDueAt, dedupeKey: appId }, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.application_accepted', entityType: 'account_application', entityId: appId,
      after: { reference, subject: 'person', kind: input.kind, changeKind, status: 'review', checkStatus: check.checkStatus, reviewDueAt: reviewDueAt.toISOString(), phone: maskPhone(form.phone), documents: Object.keys(input.documents) },
    });
    await enqueueMessage(tx, {
      channel: 'sms', recipient: form.phone, template: 'accounts.application_accepted', authorityId: staff.authorityId, dedupeKey: `accounts.accepted:${appId}`,
      payload: { reference, dueDay: shanghaiDay(new Date(reviewDueAt.getTime() - 1)), link: `${deps.config.PUBLIC_WEB_URL}/applications/track/${token}` },
    }, meta.now);
    return appId;
  });
  return { ...(await getApplication(deps, staff, id, meta.now)), trackToken: token };
}

/**
 * a unit is registered (or changed) at acceptance, with no
 * 管理岗 step; the agent's ID is read against 人口信息库 now.: the
 * unit's registration data follow the form.
 */
async function acceptOrganisation(
  tx: Db, staff: StaffPrincipal, actor: StaffActor, form: OrganisationFormInput,
  base: { reference: string; authorityId: string; subject: string; kind: string; changeKind: ChangeKind | null; trackTokenHash: string; acceptedBy: string; now: Date },
  documents: Record<string, string>, meta: RequestMeta,
) {
  const agent = form.agent;
  const agentPerson = await repo.findPerson(tx, agent.idType, agent.idNumber);
  const decision = decidePopulationCheck(agentPerson, agent.name, [], shanghaiDay(meta.now));
  if (!decision.ok) throw new DomainError(decision.code, { field: 'form.agent.idNumber' });
  const org = await counterRepo.findOrganisationByUscc(tx, form.uscc);
  const orgData = { name: form.organisationName, kind: form.organisationKind, address: form.postalAddress, postcode: form.postcode, legalRepName: form.legalRepName, legalRepPhone: form.legalRepPhone };
  let organisationId: string;
  let userId: string;
  const authorities = await visible(tx, staff);
  if (base.kind === 'registration') {
    if (org && (await repo.liveAccountOfOrganisation(tx, org.id))) throw new DomainError('accounts.already_registered', { field: 'form.uscc' });
    if (org?.dissolved) throw new DomainError('accounts.cancel_reason_not_allowed');
    if (await repo.phoneTaken(tx, agent.phone, null)) throw new DomainError('accounts.phone_in_use', { field: 'form.agent.phone' });
    if (org) {
      await counterRepo.updateOrganisation(tx, org.id, orgData);
      organisationId = org.id;
    } else {
      organisationId = await counterRepo.insertOrganisation(tx, { uscc: form.uscc, ...orgData, authorityId: staff.authorityId, now: meta.now });
    }
    userId = await repo.insertOrganisationUser(tx, { organisationId, agentPersonId: agentPerson!.id, phone: agent.phone, email: agent.email ?? null, authorityId: staff.authorityId, now: meta.now });
    const vehicles = (await counterRepo.vehiclesOfOrganisation(tx, organisationId)).filter((v) => !v.states.some((s) => notBindableStates.includes(s)));
    for (const v of vehicles) await repo.bindVehicle(tx, userId, v.id, 'organisation', meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.registered_at_counter', entityType: 'user_account', entityId: userId,
      after: { kind: 'organisation', organisationName: form.organisationName, boundVehicles: vehicles.length, phone: maskPhone(agent.phone), reference: base.reference },
    });
  } else {
    // PD-9: unit accounts are local — another city's unit is "not found".
    const acct = org ? await repo.liveAccountOfOrganisation(tx, org.id) : undefined;
    const u = acct ? await repo.lockUser(tx, acct.id) : undefined;
    if (!org || !u || !u.authority_id || !authorities.includes(u.authority_id)) throw new DomainError('accounts.not_found', { field: 'form.uscc' });
    if (await repo.phoneTaken(tx, agent.phone, u.id)) throw new DomainError('accounts.phone_in_use', { field: 'form.agent.phone' });
    await counterRepo.updateOrganisation(tx, org.id, orgData);
    await repo.updatePhone(tx, u.id, agent.phone);
    // Issue 17: a change of phone ends the account's sessions (none of them is the one making the change).
    if (u.phone !== agent.phone) await invalidateAllSessions(tx, 'user', u.id);
    await repo.updateContact(tx, u.id, { email: agent.email ?? null, postalAddress: form.postalAddress, postcode: form.postcode });
    await tx`UPDATE user_account SET person_id = ${agentPerson!.id} WHERE id = ${u.id}`;
    organisationId = org.id;
    userId = u.id;
    await writeAudit(tx, actor, meta, {
      action: 'accounts.organisation_changed', entityType: 'user_account', entityId: u.id,
      before: { name: org.name, phone: maskPhone(u.phone) }, after: { name: form.organisationName, phone: maskPhone(agent.phone), reference: base.reference, rule: 'R-16.5' },
    });
  }
  const appId = await counterRepo.insertApplication(tx, {
    ...base, status: 'completed', idType: agent.idType, idNumber: agent.idNumber, phone: agent.phone, form: form as Record<string, unknown>,
    personId: agentPerson!.id, organisationId, userAccountId: userId, vehicleId: null, checkStatus: 'passed', checkDetail: { checkedAt: meta.now.toISOString() },
    checkedAt: meta.now, photoPrompts: [], prefillCode: null, reviewDueAt: null,
  });
  await counterRepo.setDocuments(tx, appId, documents);
  // 档案岗 files the registration; hands a change's materials back instead.
  if (needsArchive(base.kind as 'registration' | 'change')) await counterRepo.insertArchive(tx, appId, staff.authorityId, ARCHIVE_DOCUMENTS.organisation, meta.now);
  await writeAudit(tx, actor, meta, {
    action: 'accounts.application_accepted', entityType: 'account_application', entityId: appId,
    after: { reference: base.reference, subject: 'organisation', kind: base.kind, status: 'completed', checkStatus: 'passed', phone: maskPhone(agent.phone), documents: Object.keys(documents) },
  });
  await enqueueMessage(tx, {
    channel: 'sms', recipient: agent.phone, template: base.kind === 'registration' ? 'accounts.organisation_registered' : 'accounts.organisation_changed',
    authorityId: staff.authorityId, dedupeKey: `accounts.org:${appId}`, payload: { reference: base.reference, organisationName: form.organisationName, phoneMasked: maskPhone(agent.phone) },
  }, meta.now);
  // a unit's counter case ends at once: to the electronic archive (ADR-036).
  await archiveCase(tx, actor, meta, {
    businessType: base.kind === 'registration' ? 'account_registration' : 'account_change', caseRef: base.reference, entityIds: [appId, ...(base.kind === 'registration' ? [userId] : [])],
    authorityId: staff.authorityId, personId: agentPerson!.id, organisationId, userAccountId: userId,
    data: { reference: base.reference, subject: 'organisation', kind: base.kind, changeKind: base.changeKind, form, acceptedAt: meta.now }, uploadIds: Object.values(documents), finishedAt: meta.now,
  });
  return appId;
}

/** 受理岗 corrects a returned case and sends it back to review. The applicant's identity document cannot change. */
export async function resubmitApplication(
  deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string,
  correction: { form: CorrectionFormInput; vehicle?: { plateNo: string; ownerIdType: string; ownerIdNumber: string }; documents?: Record<string, string>; note?: string },
  meta: RequestMeta,
) {
  await run(deps, async (tx) => {
    const a = await counterRepo.findApplication(tx, id, { authorities: await visible(tx, staff), lock: true });
    if (!a) throw new DomainError('accounts.application_not_found');
    const t = applicationTransition({ status: a.status, checkStatus: a.check_status }, 'resubmit');
    if (!t.ok) throw new DomainError(t.code);
    // Fields staff saw masked and left out keep the application's values (issue 17, ADR-024).
    const kept = Object.fromEntries((['idType', 'idNumber', 'phone', 'email', 'postalAddress'] as const).filter((k) => !(k in correction.form)).map((k) => [k, a.form[k] ?? null]));
    const input = { ...correction, form: { ...kept, ...correction.form } as PersonFormInput };
    if (input.form.idType !== a.id_type || input.form.idNumber !== a.id_number) throw new DomainError('accounts.change_not_allowed', { field: 'form.idNumber' });
    const docs = { ...Object.fromEntries((await counterRepo.documentsOf(tx, a.id)).map((d) => [d.purpose, d.upload_id])), ...(input.documents ?? {}) };
    if (input.documents) await checkDocuments(tx, staff, 'person', a.change_kind, docs);
    if (a.check_status === 'passed') {
      const person = await repo.findPerson(tx, a.id_type, a.id_number);
      const d = decidePopulationCheck(person, input.form.name, person ? await repo.disqualificationsOf(tx, person.id) : [], shanghaiDay(meta.now));
      if (!d.ok) throw new DomainError(d.code, { field: 'form.name' });
    }
    if (await repo.phoneTaken(tx, input.form.phone, a.user_account_id)) throw new DomainError('accounts.phone_in_use', { field: 'form.phone' });
    let vehicleId = a.vehicle_id;
    if (a.change_kind === 'bind_non_own_vehicle' && input.vehicle) vehicleId = (await resolveNonOwnVehicle(tx, a.person_id, a.user_account_id!, input.vehicle, a.id)).id;
    const changed = Object.keys(input.form).filter((k) => JSON.stringify((input.form as Record<string, unknown>)[k]) !== JSON.stringify(a.form[k]));
    await counterRepo.updateApplication(tx, a.id, { status: 'review', form: input.form as Record<string, unknown>, phone: input.form.phone, vehicleId, resubmittedAt: meta.now }, meta.now);
    if (input.documents) await counterRepo.setDocuments(tx, a.id, docs);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.application_resubmitted', entityType: 'account_application', entityId: a.id,
      before: { status: 'returned', returnedNote: a.returned_note },
      // Issue 18: new scans replace the returned ones; the log names which (the upload ids, never the files).
      after: { reference: a.reference, status: 'review', changedFields: changed, replacedDocuments: Object.keys(input.documents ?? {}).sort(), note: input.note ?? '' },
    });
  });
  return getApplication(deps, staff, id, meta.now);
}

// ---------------------------------------------------------------------------
// 管理岗: review
// ---------------------------------------------------------------------------

async function lockOpen(tx: Db, staff: StaffPrincipal, id: string) {
  const a = await counterRepo.findApplication(tx, id, { authorities: await visible(tx, staff), lock: true });
  if (!a || a.subject !== 'person') throw new DomainError('accounts.application_not_found');
  return a;
}

/**
 * approve. A registration creates the counter account
 * writes the phone through to the records, binds the own
 * vehicles and licences and tells the user by SMS; a change applies itself.
 */
export async function approveApplication(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: RequestMeta) {
  await run(deps, async (tx) => {
    const a = await lockOpen(tx, staff, id);
    const t = applicationTransition({ status: a.status, checkStatus: a.check_status }, 'approve');
    if (!t.ok) throw new DomainError(t.code);
    const form = a.form as unknown as PersonFormInput;
    let userId = a.user_account_id;
    const sms: { template: string; payload: Record<string, unknown> } = { template: 'accounts.change_approved', payload: { reference: a.reference } };
    let plates: string[] = [];
    if (a.kind === 'registration') {
      const person = a.person_id ? await repo.findPersonById(tx, a.person_id) : undefined;
      if (!person) throw new DomainError('accounts.person_not_found');
      if (await repo.livePersonalAccountOf(tx, person.id)) throw new DomainError('accounts.already_registered');
      const r = await repo.recordsOfPerson(tx, person.id);
      const type = counterPersonalType({ vehiclePhones: r.registered.map((v) => v.owner_phone), licencePhones: r.licences.map((l) => l.phone), firstLicenceApplicationPhones: r.applications.map((x) => x.phone), newCarPhones: r.newCars.map((v) => v.owner_phone) });
      if (!type.ok) throw new DomainError(type.code);
      userId = await repo.insertUser(tx, {
        personId: person.id, phone: form.phone, passwordHash: null, personalType: type.personalType, channel: 'counter', now: meta.now, authorityId: a.authority_id,
        email: form.email ?? null, postalAddress: form.postalAddress, postcode: form.postcode,
      });
      const written = await repo.writePhoneThrough(tx, person.id, form.phone);
      const bound = r.registered.filter((v) => !v.states.some((s) => notBindableStates.includes(s)));
      for (const v of bound) await repo.bindVehicle(tx, userId, v.id, 'own', meta.now);
      const licences = r.licences.filter((l) => l.status !== 'cancelled');
      for (const l of licences) await repo.bindLicence(tx, userId, l.id, 'own', meta.now);
      if (type.personalType === 'new_car_owner') await watchNewCarOwner(tx, userId, meta.now, meta.now);
      plates = bound.flatMap((v) => (v.plate_no ? [v.plate_no] : []));
      await counterRepo.insertArchive(tx, a.id, a.authority_id, ARCHIVE_DOCUMENTS.person, meta.now);
      await writeAudit(tx, actor, meta, {
        action: 'accounts.registered_at_counter', entityType: 'user_account', entityId: userId, authorityId: a.authority_id,
        after: { kind: 'personal', personalType: type.personalType, channel: 'counter', phone: maskPhone(form.phone), boundVehicles: bound.length, boundLicences: licences.length, recordsPhoneUpdated: written, reference: a.reference },
      });
      sms.template = 'accounts.registered_at_counter';
      sms.payload = { reference: a.reference, phoneMasked: maskPhone(form.phone), personalType: type.personalType };
    } else if (a.change_kind === 'contact') {
      const u = await repo.lockUser(tx, userId!);
      if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_found');
      await repo.updateContact(tx, u.id, { email: form.email ?? null, postalAddress: form.postalAddress, postcode: form.postcode });
      let written = { vehicles: 0, licences: 0 };
      let sessionsEnded = 0;
      if (u.phone !== form.phone) {
        await repo.updatePhone(tx, u.id, form.phone);
        written = await repo.writePhoneThrough(tx, u.person_id!, form.phone);
        // Issue 17: a change of phone ends the account's sessions (none of them is the one making the change).
        sessionsEnded = await invalidateAllSessions(tx, 'user', u.id);
      }
      await writeAudit(tx, actor, meta, {
        action: 'accounts.changed_at_counter', entityType: 'user_account', entityId: u.id, authorityId: a.authority_id,
        before: { phone: maskPhone(u.phone), email: u.email, postalAddress: u.postal_address }, after: { phone: maskPhone(form.phone), email: form.email ?? null, postalAddress: form.postalAddress, recordsPhoneUpdated: written, sessionsEnded, reference: a.reference },
      });
    } else {
      await bindNonOwnVehicle(tx, userId!, a.vehicle_id!, meta.now);
      const v = await repo.findVehicle(tx, a.vehicle_id!);
      await writeAudit(tx, actor, meta, {
        action: 'accounts.vehicle_bound', entityType: 'user_account', entityId: userId!, authorityId: a.authority_id,
        after: { vehicleId: a.vehicle_id, plateNo: v?.plate_no ?? null, kind: 'non_own', reference: a.reference, rule: 'R-16.3' },
      });
      sms.payload = { reference: a.reference, plateNo: v?.plate_no ?? null };
    }
    await counterRepo.updateApplication(tx, a.id, { status: 'approved', userAccountId: userId, decidedBy: staff.id, decidedAt: meta.now }, meta.now);
    await cancelJobs(tx, ACCOUNT_JOBS.reviewOverdue, a.id, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.application_approved', entityType: 'account_application', entityId: a.id, before: { status: a.status }, after: { status: 'approved', userAccountId: userId },
    });
    await enqueueMessage(tx, { channel: 'sms', recipient: form.phone, template: sms.template, authorityId: a.authority_id, dedupeKey: `accounts.approved:${a.id}`, payload: sms.payload }, meta.now);
    // the finished case goes to the electronic archive (ADR-036).
    await archiveCase(tx, actor, meta, {
      businessType: a.kind === 'registration' ? 'account_registration' : a.change_kind === 'bind_non_own_vehicle' ? 'account_binding' : 'account_change',
      caseRef: a.reference, entityIds: [a.id, ...(a.kind === 'registration' && userId ? [userId] : [])], authorityId: a.authority_id,
      personId: a.person_id, userAccountId: userId, plateNo: a.vehicle_id ? ((await repo.findVehicle(tx, a.vehicle_id))?.plate_no ?? null) : (plates[0] ?? null),
      data: { plates, reference: a.reference, subject: a.subject, kind: a.kind, changeKind: a.change_kind, form: a.form, acceptedBy: a.accepted_by_name, acceptedAt: a.accepted_at, decidedAt: meta.now, sms: { template: sms.template } },
      uploadIds: (await counterRepo.documentsOf(tx, a.id)).map((d) => d.upload_id), finishedAt: meta.now,
    });
  });
  return getApplication(deps, staff, id, meta.now);
}

/** reject with the reason, told by SMS. */
export async function rejectApplication(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, reason: string, meta: RequestMeta) {
  await run(deps, async (tx) => {
    const a = await lockOpen(tx, staff, id);
    const t = applicationTransition({ status: a.status, checkStatus: a.check_status }, 'reject');
    if (!t.ok) throw new DomainError(t.code);
    await counterRepo.updateApplication(tx, a.id, { status: 'rejected', rejectReason: reason, decidedBy: staff.id, decidedAt: meta.now }, meta.now);
    await cancelJobs(tx, ACCOUNT_JOBS.reviewOverdue, a.id, meta.now);
    await cancelJobs(tx, ACCOUNT_JOBS.populationCheck, a.id, meta.now);
    await writeAudit(tx, actor, meta, { action: 'accounts.application_rejected', entityType: 'account_application', entityId: a.id, before: { status: a.status }, after: { status: 'rejected', reason } });
    await enqueueMessage(tx, { channel: 'sms', recipient: a.phone, template: 'accounts.application_rejected', authorityId: a.authority_id, dedupeKey: `accounts.rejected:${a.id}`, payload: { reference: a.reference, reason } }, meta.now);
  });
  return getApplication(deps, staff, id, meta.now);
}

/** the entered data differ from the form → back to 受理岗 with a note. */
export async function returnApplication(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, note: string, meta: RequestMeta) {
  await run(deps, async (tx) => {
    const a = await lockOpen(tx, staff, id);
    const t = applicationTransition({ status: a.status, checkStatus: a.check_status }, 'return');
    if (!t.ok) throw new DomainError(t.code);
    await counterRepo.updateApplication(tx, a.id, { status: 'returned', returnedNote: note, returnedBy: staff.id, returnedAt: meta.now }, meta.now);
    await writeAudit(tx, actor, meta, { action: 'accounts.application_returned', entityType: 'account_application', entityId: a.id, before: { status: 'review' }, after: { status: 'returned', note } });
  });
  return getApplication(deps, staff, id, meta.now);
}

export async function listApplications(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const queue = filterString(q.filter, 'queue');
  const status = filterString(q.filter, 'status');
  const statuses = status ? [status] : queue === 'review' ? ['review'] : queue === 'intake' ? ['returned'] : queue === 'open' ? ['review', 'returned'] : undefined;
  const { rows, total } = await counterRepo.listApplications(deps.sql, q, await visible(deps.sql, staff), {
    statuses, checkStatus: filterString(q.filter, 'checkStatus'), q: filterString(q.filter, 'q'), subject: filterString(q.filter, 'subject'),
  });
  return { rows: await Promise.all(rows.map((r) => adminDto(deps.sql, r, now))), total };
}

export async function getApplication(deps: Deps, staff: StaffPrincipal, id: string, now: Date) {
  const a = await counterRepo.findApplication(deps.sql, id, { authorities: await visible(deps.sql, staff) });
  if (!a) throw new DomainError('accounts.application_not_found');
  return adminDto(deps.sql, a, now);
}

// ---------------------------------------------------------------------------
// Jobs: the deferred check (PD-8) and the SLA flag (PD-3)
// ---------------------------------------------------------------------------

/** PD-8: the check "network down" skipped, rerun by itself; approval waits for it. */
export async function runDeferredCheck(tx: Db, jobId: number, applicationId: string, now: Date) {
  const a = await counterRepo.findApplication(tx, applicationId, { lock: true });
  if (!a || a.check_status !== 'pending' || !open(a)) return;
  const person = await repo.findPerson(tx, a.id_type, a.id_number);
  const d = decidePopulationCheck(person, String(a.form.name ?? ''), person ? await repo.disqualificationsOf(tx, person.id) : [], shanghaiDay(now));
  const meta = jobMeta(jobId, now);
  if (d.ok) {
    await counterRepo.updateApplication(tx, a.id, { checkStatus: 'passed', checkDetail: { ...a.check_detail, checkedAt: now.toISOString() }, checkedAt: now, personId: person!.id, photoPrompts: await photoPrompts(tx, person!.id, a.authority_id) }, now);
    await writeAudit(tx, systemActor, meta, { action: 'accounts.application_check_passed', entityType: 'account_application', entityId: a.id, authorityId: a.authority_id, after: { checkStatus: 'passed' } });
  } else {
    await counterRepo.updateApplication(tx, a.id, { checkStatus: 'failed', checkDetail: { ...a.check_detail, checkedAt: now.toISOString(), code: d.code, disqualifications: d.disqualifications ?? [] }, checkedAt: now, personId: person?.id ?? null }, now);
    await writeAudit(tx, systemActor, meta, { action: 'accounts.application_check_failed', entityType: 'account_application', entityId: a.id, authorityId: a.authority_id, after: { checkStatus: 'failed', code: d.code } });
  }
}

/** PD-3: the review deadline passed with the case still open — flag it, never approve it. */
export async function flagOverdue(tx: Db, jobId: number, applicationId: string, now: Date) {
  const a = await counterRepo.findApplication(tx, applicationId, { lock: true });
  if (!a || !open(a) || a.overdue_at) return;
  await counterRepo.updateApplication(tx, a.id, { overdueAt: now }, now);
  await writeAudit(tx, systemActor, jobMeta(jobId, now), {
    action: 'accounts.application_overdue', entityType: 'account_application', entityId: a.id, authorityId: a.authority_id, after: { reviewDueAt: a.review_due_at?.toISOString() ?? null },
  });
}

// ---------------------------------------------------------------------------
// 档案岗 (R-12.3/12.4, R-13.2/13.3)
// ---------------------------------------------------------------------------

function archiveDto(r: counterRepo.ArchiveRow) {
  return {
    id: r.id, applicationId: r.application_id, reference: r.reference, subject: r.subject, applicantName: r.applicant_name, status: r.status,
    requiredDocuments: r.required_documents, checkedDocuments: r.checked_documents, fileLocation: r.file_location, note: r.note,
    archivedAt: r.archived_at?.toISOString() ?? null, archivedBy: r.archived_by_name, createdAt: r.created_at.toISOString(), userAccountId: r.user_account_id,
  };
}

export async function listArchives(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const { rows, total } = await counterRepo.listArchives(deps.sql, q, await visible(deps.sql, staff), filterString(q.filter, 'status'));
  return { rows: rows.map(archiveDto), total };
}

export async function getArchive(deps: Deps, staff: StaffPrincipal, id: string) {
  const r = await counterRepo.findArchive(deps.sql, id, await visible(deps.sql, staff));
  if (!r) throw new DomainError('accounts.archive_not_found');
  return archiveDto(r);
}

/** every listed document checked, the paper file's place recorded, then archived. Later moves only change the place. */
export async function archiveRecord(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { checkedDocuments: string[]; fileLocation: string; note?: string }, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const r = await counterRepo.findArchive(tx, id, await visible(tx, staff), true);
    if (!r) throw new DomainError('accounts.archive_not_found');
    const checked = [...new Set(input.checkedDocuments)].filter((d) => r.required_documents.includes(d));
    if (r.status === 'archived') {
      if (!input.fileLocation.trim()) throw new DomainError('accounts.archive_location_required');
      await counterRepo.archiveFile(tx, r.id, { checked: r.checked_documents, fileLocation: input.fileLocation.trim(), note: input.note ?? r.note, staffId: null, archive: false }, meta.now);
      await writeAudit(tx, actor, meta, { action: 'accounts.archive_moved', entityType: 'account_archive', entityId: r.id, before: { fileLocation: r.file_location }, after: { fileLocation: input.fileLocation.trim() } });
      return;
    }
    const problem = archiveProblem(r.required_documents, checked, input.fileLocation);
    if (problem) throw new DomainError(problem, { field: problem === 'accounts.archive_incomplete' ? 'checkedDocuments' : 'fileLocation' });
    await counterRepo.archiveFile(tx, r.id, { checked, fileLocation: input.fileLocation.trim(), note: input.note ?? '', staffId: staff.id, archive: true }, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.archived', entityType: 'account_application', entityId: r.application_id,
      before: { status: 'pending' }, after: { status: 'archived', archiveId: r.id, documents: checked, fileLocation: input.fileLocation.trim() },
    });
  });
  return getArchive(deps, staff, id);
}

// ---------------------------------------------------------------------------
// Pre-filled form (QR at the counter) and the citizen's timeline
// ---------------------------------------------------------------------------

/** Prefills are made without an account: at most 30 from one IP in 15 minutes, so nobody fills the table. */
export const PREFILL_CREATE_POLICY: ThrottlePolicy = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** The citizen's 《互联网个人用户注册/变更申请表》 kept for 30 days under a short code. */
export async function createPrefill(deps: Deps, form: PersonFormInput, meta: RequestMeta) {
  const bucket = `prefill:ip:${meta.ip}`;
  if (await isLocked(deps.sql, [bucket], meta.now)) throw new DomainError('accounts.rate_limited');
  await recordFailure(deps.sql, bucket, PREFILL_CREATE_POLICY, meta.now);
  const expiresAt = new Date(meta.now.getTime() + PREFILL_DAYS * 24 * 3600_000);
  // A code already taken is refused by the table's key, and drawn again (ADR-041).
  return withFreshReference([counterRepo.PREFILL_CODE_KEY], async () => {
    const code = prefillCode((n) => randomInt(n));
    await deps.sql.begin(async (tx) => {
      await counterRepo.insertPrefill(tx, code, form as Record<string, unknown>, meta.now, expiresAt);
      await writeAudit(tx, { kind: 'anonymous', label: maskName(form.name) }, meta, { action: 'accounts.prefill_created', entityType: 'account_prefill', entityId: code.slice(0, 3), after: { expiresAt } });
    });
    return { code, form: form as Record<string, unknown>, expiresAt: expiresAt.toISOString() };
  });
}

/**
 * The public lookups whose code is the only credential (a counter prefill, an
 * application's tracking link) hold personal data: misses from one IP are
 * counted like failed sign-ins (platform/throttle.ts, shared by every bff
 * process), and a locked IP gets 429 even for a right code.
 */
export const PUBLIC_LOOKUP_POLICY: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

async function guardedLookup<T>(sql: Sql, ip: string, now: Date, find: () => Promise<T | undefined>): Promise<T | undefined> {
  const bucket = `lookup:ip:${ip}`;
  if (await isLocked(sql, [bucket], now)) throw new DomainError('accounts.rate_limited');
  const found = await find();
  if (found === undefined) await recordFailure(sql, bucket, PUBLIC_LOOKUP_POLICY, now);
  return found;
}

/** A prefill by its code; `ip` set: the public lookup, throttled per IP; staff at the counter pass none. */
export async function getPrefill(sql: Sql, code: string, now: Date, ip?: string) {
  const p = ip === undefined ? await counterRepo.findPrefill(sql, code, now) : await guardedLookup(sql, ip, now, () => counterRepo.findPrefill(sql, code, now));
  if (!p) throw new DomainError('accounts.prefill_not_found');
  return { code: p.code, form: p.form, expiresAt: p.expires_at.toISOString() };
}

/** The signed-in citizen's own applications: by the identity document of the account's person, or the account changed. */
export async function myApplications(sql: Sql, userId: string, now: Date) {
  const u = await repo.findUser(sql, userId);
  if (!u || !u.person_id) return [];
  const p = await repo.findPersonById(sql, u.person_id);
  if (!p) return [];
  const rows = await counterRepo.applicationsOfApplicant(sql, p.id_type, p.id_number, u.id);
  return Promise.all(rows.map((r) => citizenDto(sql, r, now)));
}

/** Someone else's reference answers "not found", exactly as an unknown one. */
export async function myApplication(sql: Sql, userId: string, reference: string, now: Date) {
  const u = await repo.findUser(sql, userId);
  const a = await counterRepo.findApplicationByReference(sql, reference);
  const p = u?.person_id ? await repo.findPersonById(sql, u.person_id) : undefined;
  const mine = a && u && (a.user_account_id === u.id || (p && a.id_type === p.id_type && a.id_number === p.id_number));
  if (!a || !mine) throw new DomainError('accounts.application_not_found');
  return citizenDto(sql, a, now);
}

/** The SMS link: the token is the only key (stored hashed); it shows this application's steps and nothing else. */
export async function trackApplication(sql: Sql, token: string, now: Date, ip: string) {
  const a = await guardedLookup(sql, ip, now, () => counterRepo.findApplicationByToken(sql, hashToken(token)));
  if (!a) throw new DomainError('accounts.application_not_found');
  return citizenDto(sql, a, now);
}
