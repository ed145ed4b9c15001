/**
 * 检验机构 — the stations' side of inspection booking (R-36.2.1, R-36.5, R-36.6):
 * schedules, slots and capacity, closures, suspension, the day's bookings.
 */
import type { Db, Sql } from '../../db.ts';
import { type Deps, type RequestMeta, type StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { writeAudit } from '../../platform/audit.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { addDays } from '../../platform/calendar.ts';
import type { RevealTarget } from '../../platform/personal-data.ts';
import * as repo from './repo.ts';
import { checkTimeSlots, decideCapacityChange, decideStationTransition, plannedSlots, type BookingEnd, type StationStatus, type StatusReason, type TimeSlot } from './rules.ts';
import { endActiveBooking, pickAlternatives, point, smsPayload, staffBookingDto, todayOf, tomorrowOf, ALTERNATIVE_DAYS, type AlternativeDto, type StaffActor } from './service.ts';

// ---------------------------------------------------------------------------
// Staff scope (PD-9)
// ---------------------------------------------------------------------------

/**
 * Which stations a staff member acts on: an operator their own station, a
 * city's 管理岗 the city's stations, the province's 管理岗 the province's.
 */
export async function stationScope(db: Db, staff: StaffPrincipal, opts: { operatorOnly?: boolean } = {}): Promise<repo.StationScope> {
  if (staff.roles.includes('station_operator')) {
    if (!staff.stationId) throw new DomainError('inspections.no_station');
    return { stationId: staff.stationId };
  }
  if (opts.operatorOnly || !staff.roles.includes('review')) throw new DomainError('auth.forbidden');
  const a = await repo.authorityOf(db, staff.authorityId);
  if (!a) throw new DomainError('auth.forbidden');
  return a.level === 'city' ? { cityId: a.id } : { provinceId: a.id };
}

export async function authorityScope(db: Db, staff: StaffPrincipal) {
  if (!staff.roles.includes('review')) throw new DomainError('auth.forbidden');
  const a = await repo.authorityOf(db, staff.authorityId);
  if (!a) throw new DomainError('auth.forbidden');
  return a;
}

/** Who the signed-in staff member is for these screens: a station, a city or a province. */
export async function staffScope(sql: Sql, staff: StaffPrincipal) {
  const a = await repo.authorityOf(sql, staff.authorityId);
  return {
    authorityId: staff.authorityId,
    authorityName: a?.name ?? '',
    level: a?.level ?? 'city',
    stationId: staff.roles.includes('station_operator') ? staff.stationId : null,
    canSwitchCity: staff.roles.includes('review') && a?.level === 'city',
    canPublishProvincePlan: staff.roles.includes('review') && a?.level === 'province',
  };
}

function stationDto(s: repo.StationRow) {
  return {
    id: s.id, name: s.name, cityId: s.authority_id, cityName: s.city_name, address: s.address, phone: s.phone, status: s.status,
    vehicleTypes: s.vehicle_types, maxAxleLoadKg: s.max_axle_load_kg, brakeTypes: s.brake_types,
    openingDays: s.opening_days ?? [], times: s.times ?? [], pendingBookings: s.pending_bookings,
  };
}

function staffSlotDto(s: Omit<repo.StaffSlotRow, 'total'>) {
  return {
    id: s.id, stationId: s.station_id, stationName: s.station_name, day: s.day, startsAt: s.starts_at, endsAt: s.ends_at,
    capacity: s.capacity, booked: s.booked, crossCityBooked: s.cross_city_booked, free: Math.max(0, s.capacity - s.booked),
    status: s.status as 'open' | 'closed' | 'suspended', closureReason: s.closure_reason, closureNote: s.closure_note,
  };
}

// ---------------------------------------------------------------------------
// Stations
// ---------------------------------------------------------------------------

export async function listStations(sql: Sql, staff: StaffPrincipal) {
  const scope = await stationScope(sql, staff);
  return (await repo.stationsInScope(sql, scope)).map(stationDto);
}

export async function getStation(sql: Sql, staff: StaffPrincipal, id: string) {
  const scope = await stationScope(sql, staff);
  const s = await repo.stationInScope(sql, scope, id);
  if (!s) throw new DomainError('inspections.station_not_found');
  return stationDto(s);
}

/** the operator publishes opening days, time slots with capacity, and what the station tests. */
export async function publishSchedule(
  deps: Deps, staff: StaffPrincipal, actor: StaffActor, stationId: string,
  input: { openingDays: number[]; times: TimeSlot[]; vehicleTypes: string[]; maxAxleLoadKg: number | null; brakeTypes: string[] }, meta: RequestMeta,
) {
  const checked = checkTimeSlots(input.times);
  if (!checked.ok) throw new DomainError('inspections.schedule_invalid', { field: `times.${checked.index}` });
  return deps.sql.begin(async (tx) => {
    const scope = await stationScope(tx, staff, { operatorOnly: true });
    const before = await repo.stationInScope(tx, scope, stationId, true);
    if (!before) throw new DomainError('inspections.station_not_found');
    const s = { ...input, openingDays: [...new Set(input.openingDays)].sort(), times: checked.sorted, vehicleTypes: [...new Set(input.vehicleTypes)], brakeTypes: [...new Set(input.brakeTypes)] };
    await repo.saveSchedule(tx, stationId, s, actor.id, meta.now);
    const after = (await repo.stationInScope(tx, scope, stationId))!;
    await writeAudit(tx, actor, meta, {
      action: 'inspections.schedule_published', entityType: 'inspection_station', entityId: stationId, authorityId: before.authority_id,
      before: { openingDays: before.opening_days, times: before.times, vehicleTypes: before.vehicle_types, maxAxleLoadKg: before.max_axle_load_kg, brakeTypes: before.brake_types },
      after: { openingDays: after.opening_days, times: after.times, vehicleTypes: after.vehicle_types, maxAxleLoadKg: after.max_axle_load_kg, brakeTypes: after.brake_types },
    });
    return stationDto(after);
  });
}

/** bulk-creates slots for a date range × opening days × time slots (the schedule's unless given). */
export async function publishSlots(
  deps: Deps, staff: StaffPrincipal, actor: StaffActor,
  input: { stationId?: string; from: string; to: string; openingDays?: number[]; times?: TimeSlot[] }, meta: RequestMeta,
) {
  return deps.sql.begin(async (tx) => {
    const scope = await stationScope(tx, staff, { operatorOnly: true });
    const stationId = input.stationId ?? ('stationId' in scope ? scope.stationId : '');
    const station = await repo.stationInScope(tx, scope, stationId, true);
    if (!station) throw new DomainError('inspections.station_not_found');
    if (station.status !== 'active') throw new DomainError('inspections.station_status_conflict');
    const times = input.times ?? station.times ?? [];
    const openingDays = input.openingDays ?? station.opening_days ?? [];
    const checked = checkTimeSlots(times);
    if (!checked.ok || times.length === 0 || openingDays.length === 0) {
      throw new DomainError('inspections.schedule_invalid', checked.ok ? undefined : { field: `times.${checked.index}` });
    }
    const planned = plannedSlots({ from: input.from, to: input.to, openingDays, times: checked.sorted }, tomorrowOf(meta.now));
    if (!planned.ok) throw new DomainError('inspections.range_invalid', { field: 'to' });
    const created = await repo.insertSlots(tx, station.id, planned.slots, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'inspections.slots_published', entityType: 'inspection_station', entityId: station.id, authorityId: station.authority_id,
      after: { from: input.from, to: input.to, openingDays, times: checked.sorted, planned: planned.slots.length, created },
    });
    return { created, skipped: planned.slots.length - created, from: input.from, to: input.to };
  });
}

export async function listSlots(sql: Sql, staff: StaffPrincipal, q: ListQuery) {
  const scope = await stationScope(sql, staff);
  const { rows, total } = await repo.listSlots(sql, scope, q);
  return { rows: rows.map(staffSlotDto), total };
}

export async function getSlot(sql: Sql, staff: StaffPrincipal, id: string) {
  const scope = await stationScope(sql, staff);
  const s = await repo.slotInScope(sql, scope, id);
  if (!s) throw new DomainError('inspections.slot_not_found');
  return staffSlotDto(s);
}

/**
 * Changes a slot's capacity. Below the booked count it is refused (409)
 * unless the operator chose to cancel or move the excess — the newest
 * bookings — each user told by SMS. Never silently.
 */
export async function changeCapacity(
  deps: Deps, staff: StaffPrincipal, actor: StaffActor, slotId: string,
  input: { capacity: number; excess: 'refuse' | 'cancel' | 'move'; targetSlotId?: string }, meta: RequestMeta,
) {
  const today = todayOf(meta.now);
  return deps.sql.begin(async (tx) => {
    const scope = await stationScope(tx, staff, { operatorOnly: true });
    // Row locks in id order (source and target), so concurrent moves cannot deadlock.
    const ids = [slotId, ...(input.excess === 'move' && input.targetSlotId ? [input.targetSlotId] : [])].sort();
    const locked = new Map<string, Omit<repo.StaffSlotRow, 'total'>>();
    for (const id of ids) {
      const s = await repo.slotInScope(tx, scope, id, true);
      if (s) locked.set(id, s);
    }
    const slot = locked.get(slotId);
    if (!slot) throw new DomainError('inspections.slot_not_found');
    const d = decideCapacityChange({ capacity: slot.capacity, booked: slot.booked, newCapacity: input.capacity, excess: input.excess });
    if (!d.ok) throw refuse(d);
    const displaced = await repo.newestActiveBookings(tx, slotId, d.displaced);
    let target: Omit<repo.StaffSlotRow, 'total'> | undefined;
    if (displaced.length > 0 && input.excess === 'move') {
      target = input.targetSlotId ? locked.get(input.targetSlotId) : undefined;
      if (!target || target.id === slot.id || target.station_id !== slot.station_id || target.status !== 'open' || target.day < tomorrowOf(meta.now) || target.capacity - target.booked < displaced.length) {
        throw new DomainError('inspections.move_target_invalid', { field: 'targetSlotId' });
      }
    }
    const crossCount = displaced.filter((b) => b.cross_city).length;
    if (displaced.length > 0) {
      const bookingIds = displaced.map((b) => b.id);
      if (target) {
        await repo.moveBookingsToSlot(tx, bookingIds, { slotId: target.id, stationId: target.station_id }, meta.now);
        await repo.adjustCounters(tx, target.id, displaced.length, crossCount, meta.now);
      } else {
        await repo.cancelBookings(tx, bookingIds, 'capacity_reduced', meta.now);
      }
      await repo.adjustCounters(tx, slot.id, -displaced.length, -crossCount, meta.now);
      for (const b of displaced) {
        const payload = target ? { ...smsPayload(b), day: target.day, startsAt: target.starts_at, endsAt: target.ends_at, stationName: target.station_name } : smsPayload(b);
        await enqueueMessage(tx, {
          channel: 'sms', recipient: b.user_phone, template: target ? 'inspections.moved_by_station' : 'inspections.cancelled_by_station', payload,
          authorityId: b.station_city, dedupeKey: `inspections.capacity:${b.id}:${meta.requestId}`,
        }, meta.now);
      }
    }
    if (!(await repo.setCapacity(tx, slot.id, input.capacity, meta.now))) throw new DomainError('inspections.capacity_below_booked');
    const after = (await repo.slotInScope(tx, scope, slot.id))!;
    await writeAudit(tx, actor, meta, {
      action: 'inspections.capacity_changed', entityType: 'inspection_slot', entityId: slot.id, authorityId: displaced[0]?.station_city ?? staff.authorityId,
      before: { capacity: slot.capacity, booked: slot.booked },
      after: { capacity: after.capacity, booked: after.booked, excess: input.excess, displaced: displaced.map((b) => b.code), targetSlotId: target?.id ?? null, day: slot.day, today },
    });
    return staffSlotDto(after);
  });
}

const closureReasonText: Record<string, string> = { system_failure: '系统故障', power_cut: '停电', bad_weather: '恶劣天气', other: '特殊原因' };

/**
 * an exceptional event closes slots. The UPDATE locks the slot rows
 * first, so no booking in flight gets in after the close; every affected user
 * is told by SMS and the bookings are marked for moving.
 */
export async function closeSlots(
  deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: { ids: string[]; reason: 'system_failure' | 'power_cut' | 'bad_weather' | 'other'; note: string }, meta: RequestMeta,
) {
  return deps.sql.begin(async (tx) => {
    const scope = await stationScope(tx, staff, { operatorOnly: true });
    const ids = [...new Set(input.ids)].sort();
    const slots = [];
    for (const id of ids) {
      const s = await repo.slotInScope(tx, scope, id, true);
      if (!s) throw new DomainError('inspections.slot_not_found');
      slots.push(s);
    }
    const open = slots.filter((s) => s.status === 'open');
    if (open.length === 0) throw new DomainError('inspections.slot_not_open');
    const station = await repo.stationInScope(tx, scope, open[0]!.station_id);
    const closureId = await repo.insertClosure(tx, { stationId: open[0]!.station_id, reason: input.reason, note: input.note, staffId: actor.id, now: meta.now });
    const closed = await repo.closeSlots(tx, open.map((s) => s.id), closureId, meta.now);
    const affected = await repo.disruptBookings(tx, { slotIds: closed }, 'slot_closed', meta.now);
    for (const b of affected) {
      await enqueueMessage(tx, {
        channel: 'sms', recipient: b.user_phone, template: 'inspections.slot_closed', payload: { ...smsPayload(b), reason: input.reason, reasonText: closureReasonText[input.reason] },
        authorityId: b.station_city, dedupeKey: `inspections.slot_closed:${b.id}:${closureId}`,
      }, meta.now);
    }
    await repo.recordClosureCounts(tx, closureId, closed.length, affected.length);
    await writeAudit(tx, actor, meta, {
      action: 'inspections.slots_closed', entityType: 'inspection_slot_closure', entityId: closureId, authorityId: station?.authority_id ?? staff.authorityId,
      after: { reason: input.reason, note: input.note, slots: closed, bookings: affected.map((b) => b.code) },
    });
    return { closureId, closed: closed.length, notified: affected.length };
  });
}

/**
 * reopens a slot the operator closed by mistake (or whose event is
 * over), from today on. The slot takes bookings again, and the bookings the
 * closure marked and that were not moved meanwhile are served again — each user
 * told by SMS. Not while the station's booking service is suspended.
 */
export async function reopenSlot(deps: Deps, staff: StaffPrincipal, actor: StaffActor, slotId: string, meta: RequestMeta) {
  const today = todayOf(meta.now);
  return deps.sql.begin(async (tx) => {
    const scope = await stationScope(tx, staff, { operatorOnly: true });
    const slot = await repo.slotInScope(tx, scope, slotId, true);
    if (!slot) throw new DomainError('inspections.slot_not_found');
    if (slot.status !== 'closed') throw new DomainError('inspections.slot_not_closed');
    if (slot.day < today) throw new DomainError('inspections.slot_day_passed', { params: { day: slot.day } });
    const station = await repo.stationInScope(tx, scope, slot.station_id);
    if (!station || station.status !== 'active') throw new DomainError('inspections.station_status_conflict');
    if (!(await repo.reopenSlot(tx, slot.id, meta.now))) throw new DomainError('inspections.slot_not_closed');
    const restored = await repo.clearSlotDisruption(tx, slot.id, meta.now);
    for (const b of restored) {
      await enqueueMessage(tx, {
        channel: 'sms', recipient: b.user_phone, template: 'inspections.slot_reopened', payload: smsPayload(b),
        authorityId: b.station_city, dedupeKey: `inspections.slot_reopened:${b.id}:${meta.requestId}`,
      }, meta.now);
    }
    await writeAudit(tx, actor, meta, {
      action: 'inspections.slot_reopened', entityType: 'inspection_slot', entityId: slot.id, authorityId: station.authority_id,
      before: { status: 'closed', closureReason: slot.closure_reason, closureNote: slot.closure_note },
      after: { status: 'open', day: slot.day, startsAt: slot.starts_at, restoredBookings: restored.map((b) => b.code) },
    });
    return staffSlotDto((await repo.slotInScope(tx, scope, slot.id))!);
  });
}

/**
 * suspends or withdraws a station's booking service (or resumes it).
 * New bookings stop at once (the station's future slots are locked and marked
 * in this transaction), the change is published as a notice, and every pending
 * booking is marked, offered the nearest free slot elsewhere and told by SMS.
 */
export async function changeStationStatus(
  deps: Deps, staff: StaffPrincipal, actor: StaffActor, stationId: string,
  input: { status: StationStatus; reason: StatusReason; note: string }, meta: RequestMeta,
) {
  const today = todayOf(meta.now);
  return deps.sql.begin(async (tx) => {
    const scope = await stationScope(tx, staff);
    const station = await repo.stationInScope(tx, scope, stationId, true);
    if (!station) throw new DomainError('inspections.station_not_found');
    const d = decideStationTransition(station.status, input.status, input.reason);
    if (!d.ok) throw new DomainError(d.code, d.code === 'request.invalid' ? { fields: { reason: 'validation.enum' } } : undefined);
    await repo.setStationStatus(tx, station.id, input.status);
    let pending: repo.BookingRow[] = [];
    const suggestions = new Map<string, AlternativeDto | null>();
    if (input.status === 'active') {
      await repo.resumeSlots(tx, station.id, today, meta.now);
      const resumed = await repo.clearStationDisruption(tx, station.id, meta.now);
      for (const b of resumed) {
        await enqueueMessage(tx, { channel: 'sms', recipient: b.user_phone, template: 'inspections.station_resumed', payload: smsPayload(b), authorityId: station.authority_id, dedupeKey: `inspections.resumed:${b.id}:${meta.requestId}` }, meta.now);
      }
    } else {
      await repo.suspendSlots(tx, station.id, today, meta.now);
      pending = await repo.disruptBookings(tx, { stationId: station.id, fromDay: today }, input.status === 'withdrawn' ? 'station_withdrawn' : 'station_suspended', meta.now);
      // Alternatives per registration city (a cross-city booking looks at its own city's stations too).
      const vehicles = new Map<string, NonNullable<Awaited<ReturnType<typeof repo.vehicleSpec>>>>();
      for (const b of pending) {
        const v = await repo.vehicleSpec(tx, b.vehicle_id);
        if (v) vehicles.set(b.id, v);
      }
      const byCity = new Map<string, repo.SlotContextRow[]>();
      const from = tomorrowOf(meta.now);
      for (const v of vehicles.values()) {
        if (byCity.has(v.city_id)) continue;
        byCity.set(v.city_id, await repo.openSlots(tx, { city: v.city_id, province: v.province_id, from, to: addDays(from, ALTERNATIVE_DAYS - 1), excludeStationId: station.id, onlyFree: true }));
      }
      const origin = point(station.latitude, station.longitude);
      const actionText = input.status === 'withdrawn' ? '取消' : '暂停';
      for (const b of pending) {
        const v = vehicles.get(b.id);
        const suggestion = v ? (pickAlternatives(byCity.get(v.city_id) ?? [], v, origin, 1)[0] ?? null) : null;
        suggestions.set(b.id, suggestion);
        await enqueueMessage(tx, {
          channel: 'sms', recipient: b.user_phone, template: 'inspections.station_suspended',
          payload: { ...smsPayload(b), action: actionText, suggestion: suggestion ? `${suggestion.stationName} ${suggestion.day} ${suggestion.startsAt}` : null },
          authorityId: station.authority_id, dedupeKey: `inspections.station_${input.status}:${b.id}:${meta.requestId}`,
        }, meta.now);
      }
    }
    const noticeId = await repo.insertStatusChange(tx, {
      stationId: station.id, from: station.status, to: input.status, reason: input.reason, note: input.note, pending: pending.length, staffId: actor.id, now: meta.now,
    });
    const after = (await repo.stationInScope(tx, scope, station.id))!;
    await writeAudit(tx, actor, meta, {
      action: input.status === 'active' ? 'inspections.station_resumed' : input.status === 'withdrawn' ? 'inspections.station_withdrawn' : 'inspections.station_suspended',
      entityType: 'inspection_station', entityId: station.id, authorityId: station.authority_id,
      before: { status: station.status }, after: { status: input.status, reason: input.reason, note: input.note, noticeId, pendingBookings: pending.map((b) => b.code) },
    });
    return { station: stationDto(after), noticeId, pending: pending.map((b) => staffBookingDto(b, suggestions.get(b.id) ?? null)) };
  });
}

// ---------------------------------------------------------------------------
// Bookings, staff side
// ---------------------------------------------------------------------------

export async function listStaffBookings(sql: Sql, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const scope = await stationScope(sql, staff);
  const { rows, total } = await repo.listStaffBookings(sql, scope, q);
  const pendingList = q.filter.pending === true || q.filter.pending === 'true';
  const out = [];
  for (const b of rows) {
    let suggestion: AlternativeDto | null = null;
    if (pendingList) {
      const v = await repo.vehicleSpec(sql, b.vehicle_id);
      if (v) {
        const from = tomorrowOf(now);
        const excludeStation = b.disruption === 'station_suspended' || b.disruption === 'station_withdrawn';
        const slots = await repo.openSlots(sql, { city: v.city_id, province: v.province_id, from, to: addDays(from, ALTERNATIVE_DAYS - 1), excludeStationId: excludeStation ? b.station_id : undefined, onlyFree: true, limit: 300 });
        suggestion = pickAlternatives(slots.filter((s) => s.id !== b.slot_id), v, point(b.latitude, b.longitude), 1)[0] ?? null;
      }
    }
    out.push(staffBookingDto(b, suggestion));
  }
  return { rows: out, total };
}

export async function getStaffBooking(sql: Sql, staff: StaffPrincipal, id: string) {
  const scope = await stationScope(sql, staff);
  const b = await repo.staffBooking(sql, scope, id);
  if (!b) throw new DomainError('inspections.booking_not_found');
  return staffBookingDto(b);
}

/** The phone of a booking at my station (or my authority's), for a logged reveal — to call the citizen (issue 17, ADR-024). */
export async function bookingRevealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const b = await repo.staffBooking(db, await stationScope(db, staff), id);
  if (!b) throw new DomainError('inspections.booking_not_found');
  return { subject: { userAccountId: b.user_account_id }, fields: { phone: { kind: 'phone', value: b.user_phone } } };
}

/** The station records the outcome (检验完成 / 未到检), or cancels a booking it cannot serve, with an SMS. */
export async function endBookingByStation(
  deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { outcome: 'completed' | 'no_show' | 'cancelled'; note: string }, meta: RequestMeta,
) {
  const today = todayOf(meta.now);
  return deps.sql.begin(async (tx) => {
    const scope = await stationScope(tx, staff);
    const b = await repo.staffBooking(tx, scope, id, true);
    if (!b) throw new DomainError('inspections.booking_not_found');
    if (b.status !== 'booked') throw new DomainError('inspections.booking_not_active');
    if (input.outcome !== 'cancelled' && today < b.day) throw new DomainError('inspections.booking_not_active', { field: 'outcome' });
    // the one end of a booking the roster's marks and the day's end use: status, the place given back, the audit
    const end: BookingEnd = input.outcome === 'cancelled' ? { status: 'cancelled', reason: 'by_station' } : { status: input.outcome };
    if (!(await endActiveBooking(tx, b, end, actor, meta, `inspections.booking_${input.outcome}`, input.note))) throw new DomainError('inspections.booking_not_active');
    if (input.outcome === 'cancelled') {
      await enqueueMessage(tx, { channel: 'sms', recipient: b.user_phone, template: 'inspections.cancelled_by_station', payload: smsPayload(b), authorityId: b.station_city, dedupeKey: `inspections.cancelled_by_station:${b.id}` }, meta.now);
    }
    return staffBookingDto({ ...b, status: input.outcome, cancelled_reason: input.outcome === 'cancelled' ? 'by_station' : null });
  });
}
