/**
 * The counter's direct acts on an account (issue 18; ADR-027): 受理岗 cancels
 * an account (R-21.1 (二), R-21.2: at a window at the user's request) or ends
 * one of its bindings (R-15 / R-19: unbinding is a change the holder may make
 * at a window: a unit's change is processed at once), after reading
 * the identity document presented against 人口信息库:
 * the holder in person for a personal account, an agent for that
 * very unit for a unit's account. Each act gets a reference number, an audit
 * entry and an SMS to the account's phone. Routes in counter-desk-admin.routes.ts.
 */
import type { Db } from '../../db.ts';
import type { Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import { maskIdNumber, maskName } from '../../platform/check-digits.ts';
import * as repo from './repo.ts';
import * as counterRepo from './counter.repo.ts';
import * as bindingsRepo from './bindings.repo.ts';
import { applicationReference, counterIdentityProblem, decidePopulationCheck } from './rules.ts';
import { cancelAccount } from './service.ts';
import { run, visible, type StaffActor } from './shared.ts';
import type { CounterIdentityInput } from './counter-desk.schemas.ts';

/**
 * The account as the counter sees it (PD-9): a local account (counter-
 * registered, or a unit's) only at its own city's counters; a national one
 * (registered online) at any counter, the act then belonging to that counter's
 * city. Others' accounts are "not found".
 */
async function accountAtCounter(tx: Db, staff: StaffPrincipal, id: string, lock: boolean) {
  const seen = await repo.findUser(tx, id);
  if (!seen || (seen.authority_id && !(await visible(tx, staff)).includes(seen.authority_id))) throw new DomainError('accounts.not_found');
  const u = lock ? await repo.lockUser(tx, id) : seen;
  if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_active');
  return u;
}

/** the document reads true against 人口信息库, and it is the holder's (or the unit's agent's for that unit). */
async function checkIdentity(tx: Db, u: repo.UserRow, identity: CounterIdentityInput, now: Date) {
  const person = await repo.findPerson(tx, identity.idType, identity.idNumber);
  // The bars of stop a registration, not a holder giving up an account or a binding.
  const read = decidePopulationCheck(person, identity.name, [], shanghaiDay(now));
  if (!read.ok) throw new DomainError(read.code, { field: 'identity.idNumber' });
  const [org] = u.organisation_id ? await tx<{ uscc: string }[]>`SELECT uscc FROM organisation WHERE id = ${u.organisation_id}` : [];
  const problem = counterIdentityProblem({ kind: u.kind, personId: u.person_id, uscc: org?.uscc ?? null }, { personId: person!.id, uscc: identity.uscc ?? null });
  if (problem) throw new DomainError(problem.code, { field: problem.field, params: { kind: u.kind } });
  return person!;
}

async function insertAction(
  tx: Db,
  a: { reference: string; kind: 'cancel' | 'unbind_vehicle' | 'unbind_licence'; userId: string; vehicleId: string | null; licenceId: string | null; identity: CounterIdentityInput; personId: string; note: string; staffId: string; authorityId: string; now: Date },
) {
  const [row] = await tx<{ id: string }[]>`
    INSERT INTO account_counter_action (reference, kind, user_account_id, vehicle_id, licence_id, id_type, id_number, person_id, note, staff_id, authority_id, at)
    VALUES (${a.reference}, ${a.kind}, ${a.userId}, ${a.vehicleId}, ${a.licenceId}, ${a.identity.idType}, ${a.identity.idNumber}, ${a.personId}, ${a.note}, ${a.staffId}, ${a.authorityId}, ${a.now})
    RETURNING id`;
  return row!.id;
}

/** The account's live bindings, for the counter to pick the one to end. */
export async function bindingsAtCounter(deps: Deps, staff: StaffPrincipal, id: string) {
  const u = await accountAtCounter(deps.sql, staff, id, false);
  const [vehicles, licences] = await Promise.all([repo.boundVehicles(deps.sql, u.id), repo.boundLicences(deps.sql, u.id)]);
  const licenceBoundAt = await deps.sql<{ licence_id: string; bound_at: Date }[]>`
    SELECT licence_id, bound_at FROM licence_binding WHERE user_account_id = ${u.id} AND unbound_at IS NULL`;
  const when = (licenceId: string) => licenceBoundAt.find((b) => b.licence_id === licenceId)?.bound_at.toISOString() ?? '';
  return {
    vehicles: vehicles.map((v) => ({ id: v.id, plateNo: v.plate_no, brandModel: v.brand_model, kind: v.kind, boundAt: v.bound_at.toISOString() })),
    licences: licences.map((l) => ({ id: l.id, licenceNoMasked: maskIdNumber(l.licence_no), classes: l.classes, holderNameMasked: maskName(l.holder_name), kind: l.kind, boundAt: when(l.id) })),
  };
}

/** R-21.1 (二) / R-21.2: cancellation at a window at the holder's request — every binding ends, every session ends. */
export async function cancelAtCounter(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { identity: CounterIdentityInput; note?: string }, meta: RequestMeta) {
  return run(deps, async (tx) => {
    const u = await accountAtCounter(tx, staff, id, true);
    const person = await checkIdentity(tx, u, input.identity, meta.now);
    const reference = applicationReference(staff.authorityId, meta.now, await counterRepo.nextApplicationSeq(tx));
    const actionId = await insertAction(tx, {
      reference, kind: 'cancel', userId: u.id, vehicleId: null, licenceId: null, identity: input.identity, personId: person.id, note: input.note ?? '', staffId: staff.id, authorityId: staff.authorityId, now: meta.now,
    });
    const before = (await repo.boundVehicles(tx, u.id)).length + (await repo.boundLicences(tx, u.id)).length;
    await cancelAccount(tx, u, { kind: 'counter', reason: 'user_request', note: input.note ?? '', staffId: staff.id, authorityId: staff.authorityId, reference }, actor, meta);
    await writeAudit(tx, actor, meta, {
      action: 'accounts.counter_action', entityType: 'account_counter_action', entityId: actionId, authorityId: staff.authorityId,
      after: { reference, kind: 'cancel', userAccountId: u.id, identity: { idType: input.identity.idType, idNumber: maskIdNumber(input.identity.idNumber) }, unbound: before, rule: u.kind === 'organisation' ? 'R-20.1' : 'R-21.2' },
    });
    return { reference, kind: 'cancel' as const, userAccountId: u.id, at: meta.now.toISOString(), plateNo: null, licenceNoMasked: null, accountStatus: 'cancelled' as const, unbound: before };
  });
}

/** one binding of the account ended at a window; the account stays. */
export async function unbindAtCounter(
  deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string,
  input: { vehicleId?: string; licenceId?: string; identity: CounterIdentityInput; note?: string }, meta: RequestMeta,
) {
  return run(deps, async (tx) => {
    const u = await accountAtCounter(tx, staff, id, true);
    const person = await checkIdentity(tx, u, input.identity, meta.now);
    let plateNo: string | null = null;
    let licenceNoMasked: string | null = null;
    let bindingKind: string;
    if (input.vehicleId) {
      const b = await repo.activeVehicleBinding(tx, u.id, input.vehicleId);
      if (!b) throw new DomainError('accounts.not_bound', { field: 'vehicleId' });
      await bindingsRepo.endVehicleBindings(tx, [b.id], 'counter', meta.now);
      plateNo = (await repo.findVehicle(tx, input.vehicleId))?.plate_no ?? null;
      bindingKind = b.kind;
    } else {
      const b = await repo.activeLicenceBinding(tx, u.id, input.licenceId!);
      if (!b) throw new DomainError('accounts.not_bound', { field: 'licenceId' });
      await bindingsRepo.endLicenceBindings(tx, [b.id], 'counter', meta.now);
      const l = await repo.findLicence(tx, input.licenceId!);
      licenceNoMasked = l ? maskIdNumber(l.licence_no) : null;
      bindingKind = b.kind;
    }
    const kind = input.vehicleId ? ('unbind_vehicle' as const) : ('unbind_licence' as const);
    const reference = applicationReference(staff.authorityId, meta.now, await counterRepo.nextApplicationSeq(tx));
    const actionId = await insertAction(tx, {
      reference, kind, userId: u.id, vehicleId: input.vehicleId ?? null, licenceId: input.licenceId ?? null, identity: input.identity, personId: person.id,
      note: input.note ?? '', staffId: staff.id, authorityId: staff.authorityId, now: meta.now,
    });
    await writeAudit(tx, actor, meta, {
      action: input.vehicleId ? 'accounts.vehicle_unbound' : 'accounts.licence_unbound', entityType: 'user_account', entityId: u.id, authorityId: staff.authorityId,
      before: { vehicleId: input.vehicleId ?? null, licenceId: input.licenceId ?? null, kind: bindingKind }, after: { unbound: true, at: 'counter', reference },
    });
    await writeAudit(tx, actor, meta, {
      action: 'accounts.counter_action', entityType: 'account_counter_action', entityId: actionId, authorityId: staff.authorityId,
      after: { reference, kind, userAccountId: u.id, plateNo, licenceNoMasked, identity: { idType: input.identity.idType, idNumber: maskIdNumber(input.identity.idNumber) }, rule: u.kind === 'organisation' ? 'R-20.1' : 'R-19.1' },
    });
    await enqueueMessage(tx, {
      channel: 'sms', recipient: u.phone, template: 'accounts.unbound_at_counter', authorityId: staff.authorityId, dedupeKey: `accounts.counter_unbind:${actionId}`,
      payload: { reference, plateNo, licenceNoMasked },
    }, meta.now);
    return { reference, kind, userAccountId: u.id, at: meta.now.toISOString(), plateNo, licenceNoMasked, accountStatus: u.status, unbound: 1 };
  });
}
