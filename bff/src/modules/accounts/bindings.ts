/**
 * 绑定 / 解绑 (R-9.1.1, R-9.1.4, R-10.3.1, R-16.3, R-17) and the automatic
 * conversions of R-9.2 / R-9.3. Kept inside accounts rather than a module of
 * its own: the counter's non-own binding is an account change application
 * (R-19), and the rules of who may bind what are the user types of R-9/R-10.
 * Citizens' routes in bindings.routes.ts; staff's (records events, the first
 * licence issued) in bindings-admin.routes.ts.
 */
import type { Db, Sql } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { addCalendarYears, shanghaiDay } from '../../platform/calendar.ts';
import { maskIdNumber, maskPhone, maskVin } from '../../platform/check-digits.ts';
import * as repo from './repo.ts';
import * as bindingsRepo from './bindings.repo.ts';
import {
  bindingsToEnd, bindingsToMakeOwn, convertedType, MAX_NON_OWN_VEHICLES, nonOwnLimitReached, notBindableStates, vehicleEventProblem, type RecordsEventKind,
} from './rules.ts';
import { licenceDto, lockLiveUser, requireService, vehicleDto, type UserActor } from './service.ts';
import { run, visible } from './shared.ts';

export async function getBindings(sql: Sql, userId: string) {
  const u = await repo.findUser(sql, userId);
  if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_found');
  const [vehicles, licences] = await Promise.all([repo.boundVehicles(sql, userId), repo.boundLicences(sql, userId)]);
  let bindableVehicles: { id: string; plateNo: string | null; brandModel: string; vinMasked: string; bindable: boolean }[] = [];
  let bindableLicences: { id: string; licenceNoMasked: string; classes: string; status: string; bindable: boolean }[] = [];
  let organisationLinks: { licenceId: string; organisationAccountId: string; organisationName: string; usccMasked: string; boundAt: string }[] = [];
  const vehicleOption = (v: { id: string; plate_no: string | null; brand_model: string; vin: string; states: string[] }) => ({
    id: v.id, plateNo: v.plate_no, brandModel: v.brand_model, vinMasked: maskVin(v.vin), bindable: !v.states.some((s) => notBindableStates.includes(s)),
  });
  if (u.kind === 'personal' && u.person_id) {
    const b = await bindingsRepo.bindableOf(sql, u.id, u.person_id);
    bindableVehicles = b.vehicles.map(vehicleOption);
    bindableLicences = b.licences.map((l) => ({ id: l.id, licenceNoMasked: maskIdNumber(l.licence_no), classes: l.classes, status: l.status, bindable: l.status !== 'cancelled' }));
    organisationLinks = (await bindingsRepo.organisationLinksOf(sql, u.person_id)).map((o) => ({
      licenceId: o.licence_id, organisationAccountId: o.user_account_id, organisationName: o.organisation_name, usccMasked: maskIdNumber(o.uscc), boundAt: o.bound_at.toISOString(),
    }));
  } else if (u.organisation_id) {
    bindableVehicles = (await bindingsRepo.bindableOfOrganisation(sql, u.id, u.organisation_id)).map(vehicleOption);
  }
  return {
    vehicles: vehicles.map((v) => ({ ...vehicleDto(v), boundAt: v.bound_at.toISOString() })),
    licences: licences.map((l) => ({ ...licenceDto(l), binding: l.kind, holderNameMasked: l.holder_name.slice(0, 1) + '*'.repeat(Math.max(1, l.holder_name.length - 1)) })),
    bindableVehicles,
    bindableLicences,
    organisationLinks,
    nonOwnCount: vehicles.filter((v) => v.kind === 'non_own').length,
    nonOwnLimit: MAX_NON_OWN_VEHICLES,
  };
}

/** bind an own (or own unit's) vehicle online. Someone else's vehicle looks like "not found". */
export async function bindOwnVehicle(deps: Deps, actor: UserActor, vehicleId: string, meta: RequestMeta) {
  await run(deps, async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'bind_own_vehicles', 'bind_organisation_vehicles');
    const v = await repo.findVehicle(tx, vehicleId);
    const own = v && (u.kind === 'organisation' ? v.owner_organisation_id === u.organisation_id : v.owner_person_id === u.person_id);
    if (!v || !own || v.plate_no === null) throw new DomainError('accounts.vehicle_not_found');
    if (v.states.some((s) => notBindableStates.includes(s))) throw new DomainError('accounts.vehicle_not_bindable');
    if (await repo.activeVehicleBinding(tx, u.id, v.id)) throw new DomainError('accounts.already_bound');
    const kind = u.kind === 'organisation' ? 'organisation' : 'own';
    await repo.bindVehicle(tx, u.id, v.id, kind, meta.now);
    await writeAudit(tx, actor, meta, { action: 'accounts.vehicle_bound', entityType: 'user_account', entityId: u.id, after: { vehicleId: v.id, plateNo: v.plate_no, kind } });
    await archiveCase(tx, actor, meta, { businessType: 'account_binding', caseRef: { newCase: 'BND' }, authorityId: v.registration_authority_id, personId: u.person_id, organisationId: u.organisation_id, userAccountId: u.id, plateNo: v.plate_no, data: { channel: 'online', bound: 'vehicle', vehicleId: v.id, plateNo: v.plate_no, kind }, finishedAt: meta.now });
  });
  return getBindings(deps.sql, actor.id);
}

/** unbind a vehicle bound to the account (own, non-own or the unit's). */
export async function unbindVehicle(deps: Deps, actor: UserActor, vehicleId: string, meta: RequestMeta) {
  await run(deps, async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'bind_own_vehicles', 'bind_organisation_vehicles');
    const b = await repo.activeVehicleBinding(tx, u.id, vehicleId);
    if (!b) throw new DomainError('accounts.not_bound');
    await bindingsRepo.endVehicleBindings(tx, [b.id], 'user', meta.now);
    await writeAudit(tx, actor, meta, { action: 'accounts.vehicle_unbound', entityType: 'user_account', entityId: u.id, before: { vehicleId, kind: b.kind } });
  });
  return getBindings(deps.sql, actor.id);
}

/** bind the own licence. */
export async function bindOwnLicence(deps: Deps, actor: UserActor, licenceId: string, meta: RequestMeta) {
  await run(deps, async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'bind_own_licence');
    const l = await repo.findLicence(tx, licenceId);
    if (!l || l.person_id !== u.person_id) throw new DomainError('accounts.licence_not_found');
    if (l.status === 'cancelled') throw new DomainError('accounts.event_not_applicable');
    if (await repo.activeLicenceBinding(tx, u.id, l.id)) throw new DomainError('accounts.already_bound');
    await repo.bindLicence(tx, u.id, l.id, 'own', meta.now);
    await writeAudit(tx, actor, meta, { action: 'accounts.licence_bound', entityType: 'user_account', entityId: u.id, after: { licenceId: l.id, kind: 'own' } });
    await archiveCase(tx, actor, meta, { businessType: 'account_binding', caseRef: { newCase: 'BND' }, authorityId: l.issuing_authority_id, personId: u.person_id, userAccountId: u.id, licenceNo: l.licence_no, data: { channel: 'online', bound: 'licence', licenceId: l.id, kind: 'own' }, finishedAt: meta.now });
  });
  return getBindings(deps.sql, actor.id);
}

/** own licence; PD-6: a unit unbinds a driver's licence bound to it. */
export async function unbindLicence(deps: Deps, actor: UserActor, licenceId: string, meta: RequestMeta) {
  await run(deps, async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'bind_own_licence', 'manage_driver_licences');
    const b = await repo.activeLicenceBinding(tx, u.id, licenceId);
    if (!b) throw new DomainError('accounts.not_bound');
    await bindingsRepo.endLicenceBindings(tx, [b.id], u.kind === 'organisation' ? 'organisation' : 'user', meta.now);
    await writeAudit(tx, actor, meta, { action: 'accounts.licence_unbound', entityType: 'user_account', entityId: u.id, before: { licenceId, kind: b.kind } });
  });
  return getBindings(deps.sql, actor.id);
}

/** the driver binds the own licence to a registered unit (by its USCC). */
export async function bindLicenceToOrganisation(deps: Deps, actor: UserActor, licenceId: string, uscc: string, meta: RequestMeta) {
  await run(deps, async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'bind_licence_to_organisation');
    const l = await repo.findLicence(tx, licenceId);
    if (!l || l.person_id !== u.person_id) throw new DomainError('accounts.licence_not_found');
    if (l.status === 'cancelled') throw new DomainError('accounts.event_not_applicable');
    const org = await bindingsRepo.findOrganisationAccountByUscc(tx, uscc);
    if (!org || org.status !== 'active') throw new DomainError('accounts.organisation_not_found', { field: 'uscc' });
    if (await repo.activeLicenceBinding(tx, org.user_id, l.id)) throw new DomainError('accounts.already_bound');
    await repo.bindLicence(tx, org.user_id, l.id, 'organisation', meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.licence_bound_to_organisation', entityType: 'user_account', entityId: org.user_id,
      after: { licenceId: l.id, organisationName: org.name, byUserId: u.id },
    });
  });
  return getBindings(deps.sql, actor.id);
}

/** PD-6: the driver takes the licence back from the unit. */
export async function unbindLicenceFromOrganisation(deps: Deps, actor: UserActor, licenceId: string, organisationAccountId: string, meta: RequestMeta) {
  await run(deps, async (tx) => {
    const u = await lockLiveUser(tx, actor.id);
    requireService(u, 'bind_licence_to_organisation');
    const l = await repo.findLicence(tx, licenceId);
    if (!l || l.person_id !== u.person_id) throw new DomainError('accounts.licence_not_found');
    const b = await repo.activeLicenceBinding(tx, organisationAccountId, l.id);
    if (!b || b.kind !== 'organisation') throw new DomainError('accounts.not_bound');
    await bindingsRepo.endLicenceBindings(tx, [b.id], 'driver', meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.licence_unbound_from_organisation', entityType: 'user_account', entityId: organisationAccountId, before: { licenceId: l.id, byUserId: u.id },
    });
  });
  return getBindings(deps.sql, actor.id);
}

/**
 * at the counter: a change application to bind a non-own vehicle is
 * accepted only while bound + open applications stay under three. The
 * user's row lock serialises two counters accepting at once.
 */
export async function assertNonOwnCapacity(tx: Db, userId: string, exceptApplicationId: string | null) {
  const u = await repo.lockUser(tx, userId);
  if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_found');
  if (nonOwnLimitReached(await bindingsRepo.countNonOwn(tx, u.id), await bindingsRepo.pendingNonOwnApplications(tx, u.id, exceptApplicationId))) {
    throw new DomainError('accounts.non_own_limit');
  }
  return u;
}

/**
 * binds a vehicle not owned by the user (approved at the
 * counter). The user's row lock serialises concurrent binds, so a fourth
 * cannot slip in between the count and the insert.
 */
export async function bindNonOwnVehicle(tx: Db, userId: string, vehicleId: string, now: Date) {
  const u = await repo.lockUser(tx, userId);
  if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_found');
  if (nonOwnLimitReached(await bindingsRepo.countNonOwn(tx, u.id), 0)) throw new DomainError('accounts.non_own_limit');
  if (await repo.activeVehicleBinding(tx, u.id, vehicleId)) throw new DomainError('accounts.already_bound');
  await repo.bindVehicle(tx, u.id, vehicleId, 'non_own', now);
  return u;
}

// ---------------------------------------------------------------------------
// records events unbind automatically
// ---------------------------------------------------------------------------

export type VehicleEventInput = {
  plateNo: string; kind: 'vehicle_transfer' | 'vehicle_deregistration' | 'vehicle_operating_to_non_operating';
  newOwnerIdNumber?: string; newOwnerName?: string; newOwnerPhone?: string; note?: string;
};

/**
 * Applies R-17 after a vehicle event inside the caller's transaction: every
 * user other than the (new) owner loses the binding, each ending audited.
 * Other modules that record such events call this directly.
 */
export async function onVehicleEvent(tx: Db, vehicleId: string, kind: RecordsEventKind, actor: Actor, meta: RequestMeta): Promise<number> {
  const v = await repo.findVehicle(tx, vehicleId);
  if (!v) throw new DomainError('accounts.vehicle_not_found');
  const holders = await bindingsRepo.vehicleHolders(tx, vehicleId);
  const ends = bindingsToEnd(kind, holders.map((h) => ({ bindingId: h.binding_id, userKind: h.user_kind, personId: h.person_id, organisationId: h.organisation_id })),
    { personId: v.owner_person_id, organisationId: v.owner_organisation_id });
  const n = await bindingsRepo.endVehicleBindings(tx, ends, kind, meta.now);
  const owner = { personId: v.owner_person_id, organisationId: v.owner_organisation_id };
  const remade = bindingsToMakeOwn(holders.map((h) => ({ bindingId: h.binding_id, userKind: h.user_kind, personId: h.person_id, organisationId: h.organisation_id, kind: h.kind })), owner);
  for (const r of remade) {
    const h = holders.find((x) => x.binding_id === r.bindingId)!;
    await bindingsRepo.setVehicleBindingKind(tx, r.bindingId, r.kind);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.vehicle_binding_now_own', entityType: 'user_account', entityId: h.user_account_id, authorityId: v.registration_authority_id,
      before: { vehicleId, plateNo: v.plate_no, kind: h.kind }, after: { kind: r.kind, reason: kind, rule: 'R-17' },
    });
  }
  for (const h of holders.filter((x) => ends.includes(x.binding_id))) {
    await writeAudit(tx, actor, meta, {
      action: 'accounts.vehicle_unbound_automatically', entityType: 'user_account', entityId: h.user_account_id, authorityId: v.registration_authority_id,
      before: { vehicleId, plateNo: v.plate_no }, after: { reason: kind, rule: 'R-17' },
    });
  }
  return n;
}

/** a cancelled licence is unbound from every user. */
export async function onLicenceCancelled(tx: Db, licenceId: string, actor: Actor, meta: RequestMeta): Promise<number> {
  const holders = await bindingsRepo.licenceHolders(tx, licenceId);
  const ends = bindingsToEnd('licence_cancellation', holders.map((h) => ({ bindingId: h.binding_id, userKind: h.user_kind, personId: h.person_id, organisationId: h.organisation_id })), { personId: null, organisationId: null });
  const n = await bindingsRepo.endLicenceBindings(tx, ends, 'licence_cancellation', meta.now);
  for (const h of holders) {
    await writeAudit(tx, actor, meta, {
      action: 'accounts.licence_unbound_automatically', entityType: 'user_account', entityId: h.user_account_id,
      before: { licenceId }, after: { reason: 'licence_cancellation', rule: 'R-17' },
    });
  }
  return n;
}

export function recordsEventDto(e: bindingsRepo.RecordsEventRow) {
  return {
    id: e.id, kind: e.kind, vehicleId: e.vehicle_id, licenceId: e.licence_id, plateNo: e.plate_no, licenceNoMasked: e.licence_no ? maskIdNumber(e.licence_no) : null,
    unbound: e.unbound, at: e.at.toISOString(), recordedBy: e.recorded_by_name, detail: e.detail,
  };
}

/** Staff record a vehicle event (转移登记 / 注销登记 / 营运转非营运) so that R-17 fires. Only vehicles of their own jurisdiction. */
export async function recordVehicleEvent(deps: Deps, staff: StaffPrincipal, actor: Actor, input: VehicleEventInput, meta: RequestMeta) {
  const id = await run(deps, async (tx) => {
    const authorities = await visible(tx, staff);
    const found = await repo.findVehicleByPlate(tx, input.plateNo);
    const v = found && authorities.includes(found.registration_authority_id) ? await repo.findVehicle(tx, found.id, true) : undefined;
    if (!v) throw new DomainError('accounts.vehicle_not_found', { field: 'plateNo' });
    let newOwner: repo.PersonRow | undefined;
    if (input.kind === 'vehicle_transfer') {
      newOwner = input.newOwnerIdNumber ? await repo.findPerson(tx, 'resident_id', input.newOwnerIdNumber) : undefined;
      if (!newOwner || newOwner.deceased || (input.newOwnerName && newOwner.name !== input.newOwnerName)) {
        throw new DomainError('accounts.person_not_found', { field: 'newOwnerIdNumber' });
      }
    }
    const problem = vehicleEventProblem(input.kind, { states: v.states, useNature: v.use_nature, ownerPersonId: v.owner_person_id }, newOwner?.id ?? null);
    if (problem) throw new DomainError(problem);
    const before = { ownerPersonId: v.owner_person_id, ownerOrganisationId: v.owner_organisation_id, states: v.states, useNature: v.use_nature };
    if (input.kind === 'vehicle_transfer') await bindingsRepo.transferVehicle(tx, v.id, newOwner!.id, input.newOwnerPhone ?? newOwner!.phone ?? v.owner_phone);
    else if (input.kind === 'vehicle_deregistration') await bindingsRepo.deregisterVehicle(tx, v.id);
    else await bindingsRepo.makeNonOperating(tx, v.id);
    const unbound = await onVehicleEvent(tx, v.id, input.kind, actor, meta);
    const detail = { note: input.note ?? '', newOwnerIdNumber: newOwner ? maskIdNumber(newOwner.id_number) : null, newOwnerPhone: input.newOwnerPhone ? maskPhone(input.newOwnerPhone) : null };
    const eventId = await bindingsRepo.insertRecordsEvent(tx, { kind: input.kind, vehicleId: v.id, licenceId: null, detail, unbound, staffId: staff.id, authorityId: v.registration_authority_id, now: meta.now });
    await writeAudit(tx, actor, meta, {
      action: 'accounts.records_event_recorded', entityType: 'records_event', entityId: eventId, authorityId: v.registration_authority_id,
      before, after: { kind: input.kind, vehicleId: v.id, plateNo: v.plate_no, unbound, ...detail },
    });
    return eventId;
  });
  return getRecordsEvent(deps.sql, staff, id);
}

/** Staff record a licence cancellation (驾驶证注销) so that R-17 fires. */
export async function recordLicenceEvent(deps: Deps, staff: StaffPrincipal, actor: Actor, input: { licenceNo: string; note?: string }, meta: RequestMeta) {
  const id = await run(deps, async (tx) => {
    const authorities = await visible(tx, staff);
    const found = await repo.findLicenceByNo(tx, input.licenceNo);
    const l = found && authorities.includes(found.issuing_authority_id) ? await repo.findLicence(tx, found.id, true) : undefined;
    if (!l) throw new DomainError('accounts.licence_not_found', { field: 'licenceNo' });
    if (l.status === 'cancelled') throw new DomainError('accounts.event_not_applicable');
    await bindingsRepo.cancelLicence(tx, l.id);
    const unbound = await onLicenceCancelled(tx, l.id, actor, meta);
    const eventId = await bindingsRepo.insertRecordsEvent(tx, { kind: 'licence_cancellation', vehicleId: null, licenceId: l.id, detail: { note: input.note ?? '' }, unbound, staffId: staff.id, authorityId: l.issuing_authority_id, now: meta.now });
    await writeAudit(tx, actor, meta, {
      action: 'accounts.records_event_recorded', entityType: 'records_event', entityId: eventId, authorityId: l.issuing_authority_id,
      before: { status: l.status }, after: { kind: 'licence_cancellation', licenceId: l.id, unbound },
    });
    return eventId;
  });
  return getRecordsEvent(deps.sql, staff, id);
}

export async function listRecordsEvents(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const { rows, total } = await bindingsRepo.listRecordsEvents(deps.sql, q, await visible(deps.sql, staff));
  return { rows: rows.map(recordsEventDto), total };
}

export async function getRecordsEvent(sql: Sql, staff: StaffPrincipal, id: string) {
  const { rows } = await bindingsRepo.listRecordsEvents(sql, { sortField: 'at', sortDesc: true, offset: 0, limit: 500, filter: {} }, await visible(sql, staff));
  const e = rows.find((r) => r.id === id);
  if (!e) throw new DomainError('request.not_found');
  return recordsEventDto(e);
}

// ---------------------------------------------------------------------------
// automatic conversions
// ---------------------------------------------------------------------------

async function convert(tx: Db, personId: string, actor: Actor, meta: RequestMeta, reason: string) {
  const acct = await repo.livePersonalAccountOf(tx, personId);
  if (!acct) return null;
  const u = await repo.lockUser(tx, acct.id);
  const to = convertedType(u?.personal_type ?? null);
  if (!u || !to) return u ?? null;
  await repo.setPersonalType(tx, u.id, to);
  await writeAudit(tx, actor, meta, {
    action: 'accounts.personal_type_converted', entityType: 'user_account', entityId: u.id,
    before: { personalType: u.personal_type }, after: { personalType: to, reason },
  });
  return u;
}

/**
 * call after a new car got its plate (注册登记): the owner's
 * learner or new-car-owner account becomes owner-or-driver and the vehicle is
 * bound as own. Idempotent; the plates module may also do it itself.
 */
export async function onVehicleRegistered(tx: Db, vehicleId: string, actor: Actor, meta: RequestMeta) {
  const v = await repo.findVehicle(tx, vehicleId);
  if (!v || !v.owner_person_id || v.plate_no === null) return;
  const u = await convert(tx, v.owner_person_id, actor, meta, 'R-9.3.2 new-car registration');
  if (u && u.status !== 'cancelled' && !(await repo.activeVehicleBinding(tx, u.id, v.id))) await repo.bindVehicle(tx, u.id, v.id, 'own', meta.now);
}

/** call after a licence was issued: conversion and binding as own. */
export async function onLicenceIssued(tx: Db, licenceId: string, actor: Actor, meta: RequestMeta) {
  const l = await repo.findLicence(tx, licenceId);
  if (!l) return;
  const u = await convert(tx, l.person_id, actor, meta, 'R-9.2.2 first licence issued');
  if (u && u.status !== 'cancelled' && !(await repo.activeLicenceBinding(tx, u.id, l.id))) await repo.bindLicence(tx, u.id, l.id, 'own', meta.now);
}

export function licenceApplicationDto(a: bindingsRepo.LicenceApplicationRow) {
  return {
    id: a.id, personName: a.person_name, idNumberMasked: maskIdNumber(a.id_number), classes: a.classes, status: a.status, acceptedAt: a.accepted_at.toISOString(),
    licenceId: a.licence_id, issuedAt: a.issued_at?.toISOString() ?? null,
  };
}

export async function listLicenceApplications(deps: Deps, staff: StaffPrincipal, q: ListQuery, status: string | undefined) {
  const { rows, total } = await bindingsRepo.listLicenceApplications(deps.sql, q, await visible(deps.sql, staff), status);
  return { rows: rows.map(licenceApplicationDto), total };
}

/**
 * Records that the first licence of an accepted application was issued (the
 * records system's event, recorded by 受理岗 here so can fire): a
 * licence valid six years (申领规定: first period), then the conversion.
 */
export async function recordLicenceIssued(deps: Deps, staff: StaffPrincipal, actor: Actor, applicationId: string, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const a = await bindingsRepo.findLicenceApplication(tx, applicationId, await visible(tx, staff), true);
    if (!a) throw new DomainError('accounts.licence_application_not_found');
    if (a.status !== 'accepted') throw new DomainError('accounts.application_wrong_status');
    const day = shanghaiDay(meta.now);
    const acct = await repo.livePersonalAccountOf(tx, a.person_id);
    const phone = acct ? (await repo.findUser(tx, acct.id))!.phone : a.phone;
    const licenceId = await bindingsRepo.insertLicence(tx, { licenceNo: a.id_number, personId: a.person_id, classes: a.classes, day, validUntil: addCalendarYears(day, 6), phone, authorityId: a.authority_id });
    await bindingsRepo.markLicenceApplicationIssued(tx, a.id, licenceId, staff.id, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.licence_issued', entityType: 'licence_application', entityId: a.id, authorityId: a.authority_id,
      before: { status: 'accepted' }, after: { status: 'issued', licenceId, classes: a.classes },
    });
    await onLicenceIssued(tx, licenceId, actor, meta);
    await enqueueMessage(tx, { channel: 'sms', recipient: phone, template: 'accounts.licence_issued', authorityId: a.authority_id, payload: { classes: a.classes } }, meta.now);
  });
  const a = await bindingsRepo.findLicenceApplication(deps.sql, applicationId, await visible(deps.sql, staff));
  return licenceApplicationDto(a!);
}
