/**
 * 地市与省级 — the authorities' side of inspection booking: the city switch
 * (R-36.1) and the province's cross-city plans (R-36.2).
 */
import type { Db, Sql } from '../../db.ts';
import { type Deps, type RequestMeta, type StaffPrincipal } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { writeAudit } from '../../platform/audit.ts';
import * as repo from './repo.ts';
import { type StaffActor } from './service.ts';
import { authorityScope } from './stations.ts';

// ---------------------------------------------------------------------------
// Authorities: city switch, R-36.2 cross-city plans
// ---------------------------------------------------------------------------

function cityDto(c: Awaited<ReturnType<typeof repo.cities>>[number]) {
  return { id: c.id, name: c.name, provinceId: c.parent_id, bookingEnabled: c.booking_enabled, note: c.note, updatedAt: c.updated_at?.toISOString() ?? null, stations: c.stations };
}

export async function listCities(sql: Sql, staff: StaffPrincipal) {
  const a = await authorityScope(sql, staff);
  return (await repo.cities(sql, a.level === 'city' ? { cityId: a.id } : { provinceId: a.id })).map(cityDto);
}

/** the city's 管理岗 decides whether the city offers online booking. */
export async function setCityBooking(deps: Deps, staff: StaffPrincipal, actor: StaffActor, cityId: string, input: { enabled: boolean; note: string }, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const a = await authorityScope(tx, staff);
    if (a.level !== 'city') throw new DomainError('inspections.not_city_staff');
    if (a.id !== cityId) throw new DomainError('inspections.city_not_found');
    const before = await repo.setCityBooking(tx, cityId, input.enabled, input.note, actor.id, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'inspections.city_booking_switched', entityType: 'inspection_city_setting', entityId: cityId, authorityId: cityId,
      before: before ? { bookingEnabled: before.booking_enabled, note: before.note } : null, after: { bookingEnabled: input.enabled, note: input.note },
    });
    return cityDto((await repo.cities(tx, { cityId }))[0]!);
  });
}

function planDto(p: repo.PlanRow) {
  return {
    id: p.id, cityId: p.authority_id, cityName: p.city_name, status: p.status, note: p.note,
    entries: p.entries.map((e) => ({ ...e, stationName: e.stationName ?? '' })),
    createdAt: new Date(p.created_at).toISOString(), updatedAt: new Date(p.updated_at).toISOString(), filedAt: p.filed_at ? new Date(p.filed_at).toISOString() : null,
    publishedVersion: p.published_version, inForce: p.in_force,
  };
}

/** City staff see their city's plans (drafts too); the province sees what its cities filed. */
export async function listPlans(sql: Sql, staff: StaffPrincipal, q: ListQuery) {
  const a = await authorityScope(sql, staff);
  const { rows, total } = await repo.listPlans(sql, a.level === 'city' ? { cityId: a.id } : { provinceId: a.id, onlyFiled: true }, q);
  return { rows: rows.map(planDto), total };
}

async function planInScope(db: Db, staff: StaffPrincipal, id: string, lock = false) {
  const a = await authorityScope(db, staff);
  const p = await repo.plan(db, id, lock);
  const visible = p && (a.level === 'city' ? p.authority_id === a.id : p.province_id === a.id && p.status === 'filed');
  if (!visible) throw new DomainError('inspections.plan_not_found');
  return { a, p: p! };
}

export async function getPlan(sql: Sql, staff: StaffPrincipal, id: string) {
  return planDto((await planInScope(sql, staff, id)).p);
}

/** the plan lists the city's own stations; what each tests is copied from the station as published. */
async function planEntries(tx: Db, cityId: string, entries: { stationId: string; quotaPerSlot: number; fromDay: string; toDay: string }[]) {
  const stations = await repo.stationsInScope(tx, { cityId });
  const seen = new Set<string>();
  return entries.map((e, i) => {
    const st = stations.find((s) => s.id === e.stationId);
    if (!st || seen.has(e.stationId)) throw new DomainError('inspections.plan_station_invalid', { field: `entries.${i}.stationId` });
    if (e.fromDay > e.toDay) throw new DomainError('inspections.range_invalid', { field: `entries.${i}.toDay` });
    seen.add(e.stationId);
    return { ...e, vehicleTypes: st.vehicle_types, maxAxleLoadKg: st.max_axle_load_kg, brakeTypes: st.brake_types };
  });
}

export async function createPlan(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: { note: string; entries: { stationId: string; quotaPerSlot: number; fromDay: string; toDay: string }[] }, meta: RequestMeta) {
  return await deps.sql.begin(async (tx) => {
    const a = await authorityScope(tx, staff);
    if (a.level !== 'city') throw new DomainError('inspections.not_city_staff');
    const entries = await planEntries(tx, a.id, input.entries);
    const id = await repo.insertPlan(tx, { cityId: a.id, note: input.note, staffId: actor.id, now: meta.now });
    await repo.replacePlanEntries(tx, id, entries, input.note, meta.now);
    await writeAudit(tx, actor, meta, { action: 'inspections.plan_prepared', entityType: 'inspection_cross_city_plan', entityId: id, authorityId: a.id, after: { note: input.note, entries } });
    return planDto((await repo.plan(tx, id))!);
  });
}

export async function updatePlan(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note: string; entries: { stationId: string; quotaPerSlot: number; fromDay: string; toDay: string }[] }, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const { a, p } = await planInScope(tx, staff, id, true);
    if (a.level !== 'city') throw new DomainError('inspections.not_city_staff');
    if (p.status !== 'draft') throw new DomainError('inspections.plan_not_draft');
    const entries = await planEntries(tx, a.id, input.entries);
    await repo.replacePlanEntries(tx, id, entries, input.note, meta.now);
    await writeAudit(tx, actor, meta, { action: 'inspections.plan_changed', entityType: 'inspection_cross_city_plan', entityId: id, authorityId: a.id, before: { note: p.note, entries: p.entries }, after: { note: input.note, entries } });
    return planDto((await repo.plan(tx, id))!);
  });
}

/** R-36.2.1 "报备省级": the city files its plan with the province. */
export async function filePlan(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const { a, p } = await planInScope(tx, staff, id, true);
    if (a.level !== 'city') throw new DomainError('inspections.not_city_staff');
    if (p.status !== 'draft') throw new DomainError('inspections.plan_not_draft');
    if (p.entries.length === 0) throw new DomainError('inspections.plan_empty');
    await repo.filePlan(tx, id, actor.id, meta.now);
    await writeAudit(tx, actor, meta, { action: 'inspections.plan_filed', entityType: 'inspection_cross_city_plan', entityId: id, authorityId: a.id, before: { status: 'draft' }, after: { status: 'filed' } });
    return planDto((await repo.plan(tx, id))!);
  });
}

/**
 * the province aggregates each city's latest filed plan and
 * publishes them as the next version; from then on that version is the
 * cross-city offer in force.
 */
export async function publishProvincePlan(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: { notice: string }, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const a = await authorityScope(tx, staff);
    if (a.level !== 'province') throw new DomainError('inspections.not_province_staff');
    const latest = await repo.latestFiledPlans(tx, a.id);
    if (latest.length === 0) throw new DomainError('inspections.nothing_to_publish');
    const published = await repo.insertProvincePlan(tx, { provinceId: a.id, notice: input.notice, cityPlanIds: latest.map((p) => p.id), staffId: actor.id, now: meta.now });
    await writeAudit(tx, actor, meta, {
      action: 'inspections.province_plan_published', entityType: 'inspection_province_plan', entityId: published.id, authorityId: a.id,
      after: { version: published.version, notice: input.notice, cityPlans: latest.map((p) => ({ cityId: p.authority_id, planId: p.id })) },
    });
    return provincePlanDto((await repo.provincePlans(tx, a.id, 1))[0]!);
  });
}

function provincePlanDto(p: Awaited<ReturnType<typeof repo.provincePlans>>[number]) {
  return { id: p.id, provinceId: p.authority_id, provinceName: p.name, version: p.version, notice: p.notice, publishedAt: p.published_at.toISOString(), cityPlanIds: p.city_plan_ids };
}

export async function listProvincePlans(sql: Sql, staff: StaffPrincipal) {
  const a = await authorityScope(sql, staff);
  const province = a.level === 'province' ? a.id : a.parent_id;
  if (!province) return [];
  return (await repo.provincePlans(sql, province)).map(provincePlanDto);
}
