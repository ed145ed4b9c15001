/**
 * 机动车安全技术检验预约 use cases (R-34 .. R-36). One transaction each:
 * load → decide (rules.ts) → write (repo.ts) → audit + outbox, all in the
 * transaction that makes the change.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db, Sql } from '../../db.ts';
import { readsOf, type Actor, type Citizen, type Deps, type IdempotencyContext, type RequestMeta, type StaffPrincipal } from '../../core/context.ts';
import { DomainError, isPgError, PG, refuse, type ErrorCode } from '../../core/errors.ts';
import { describe, type Locale } from '../../core/catalog.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { auditInsert, writeAudit } from '../../platform/audit.ts';
import { enqueueMessage, enqueueMessageCtes } from '../../platform/outbox.ts';
import { idempotencyInsert, idempotencyLookup, replayOrRefuse, type StoredAnswer } from '../../platform/idempotency.ts';
import { deferredCitizen } from '../../platform/sessions.ts';
import { addDays, shanghaiDay } from '../../platform/calendar.ts';
import { maskPhone } from '../../platform/check-digits.ts';
import * as repo from './repo.ts';
import { messages } from './messages.ts';
import {
  bookingCode,
  checkTimeSlots,
  decideBooking,
  decideCancellation,
  decideCapacityChange,
  decideMove,
  decideStationTransition,
  decideVehicleEligibility,
  MIN_DAYS_AHEAD,
  nearestSlots,
  placeFor,
  plannedSlots,
  type CrossCityOffer,
  type StationStatus,
  type StatusReason,
  type TimeSlot,
} from './rules.ts';

type UserActor = Actor & { kind: 'user' };
type StaffActor = Actor & { kind: 'staff' };

/** How far ahead the citizen's search looks by default, and at most. */
const SEARCH_DAYS = 14;
const MAX_SEARCH_DAYS = 31;
/** How far ahead alternatives for a disrupted booking are looked for. */
const ALTERNATIVE_DAYS = 30;

const todayOf = (now: Date) => shanghaiDay(now);
const tomorrowOf = (now: Date) => addDays(shanghaiDay(now), MIN_DAYS_AHEAD);

function reasonDto(code: ErrorCode, params: Record<string, string | number> | undefined, locale: Locale) {
  const { title, detail } = describe(messages, code, params, locale);
  return { code, title, detail: detail ?? null, params: params ?? null };
}

const point = (lat: string | null, lon: string | null) => (lat !== null && lon !== null ? { latitude: Number(lat), longitude: Number(lon) } : null);

function offerOf(r: repo.SlotContextRow): CrossCityOffer | null {
  if (r.offer_quota === null) return null;
  return { quotaPerSlot: r.offer_quota, vehicleTypes: r.offer_vehicle_types ?? [], maxAxleLoadKg: r.offer_max_axle_load_kg, brakeTypes: r.offer_brake_types ?? [] };
}

function openSlotOf(r: repo.SlotContextRow) {
  return {
    stationCity: r.station_city,
    stationProvince: r.station_province,
    capability: { vehicleTypes: r.vehicle_types, maxAxleLoadKg: r.max_axle_load_kg, brakeTypes: r.brake_types },
    offer: offerOf(r),
    capacity: r.capacity,
    booked: r.booked,
    crossCityBooked: r.cross_city_booked,
  };
}

const vehicleSpecOf = (v: { vehicle_type: string; axle_load_kg: number | null; brake_type: string | null }) => ({
  vehicleType: v.vehicle_type, axleLoadKg: v.axle_load_kg, brakeType: v.brake_type,
});

// ---------------------------------------------------------------------------
// DTOs
// ---------------------------------------------------------------------------

function bookingDto(b: repo.BookingRow, today: string) {
  const active = b.status === 'booked';
  return {
    id: b.id,
    code: b.code,
    status: b.status,
    cancelledReason: b.cancelled_reason,
    disruption: b.disruption as 'slot_closed' | 'station_suspended' | 'station_withdrawn' | null,
    crossCity: b.cross_city,
    vehicle: { id: b.vehicle_id, plateNo: b.plate_no, brandModel: b.brand_model },
    station: { id: b.station_id, name: b.station_name, address: b.station_address, phone: b.station_phone, cityName: b.station_city_name },
    slot: { id: b.slot_id, day: b.day, startsAt: b.starts_at, endsAt: b.ends_at },
    movedFromId: b.moved_from_id,
    createdAt: b.created_at.toISOString(),
    endedAt: b.ended_at?.toISOString() ?? null,
    canCancel: decideCancellation({ status: b.status, day: b.day }, today).ok,
    canMove: active && (b.disruption !== null || today < b.day),
  };
}

type AlternativeDto = {
  slotId: string; stationId: string; stationName: string; address: string; cityName: string; day: string; startsAt: string; endsAt: string;
  free: number; distanceKm: number | null; crossCity: boolean;
};

function staffBookingDto(b: repo.BookingRow, suggestion: AlternativeDto | null = null) {
  return {
    id: b.id, code: b.code, status: b.status, cancelledReason: b.cancelled_reason, disruption: b.disruption, crossCity: b.cross_city,
    plateNo: b.plate_no, vehicleType: b.vehicle_type, phoneMasked: maskPhone(b.user_phone), stationId: b.station_id, stationName: b.station_name,
    slotId: b.slot_id, day: b.day, startsAt: b.starts_at, endsAt: b.ends_at, createdAt: b.created_at.toISOString(), suggestion,
  };
}

function smsPayload(b: { code: string; plate_no: string | null; day: string; starts_at: string; ends_at: string; station_name: string }) {
  return { code: b.code, plateNo: b.plate_no ?? '', day: b.day, startsAt: b.starts_at, endsAt: b.ends_at, stationName: b.station_name };
}

// ---------------------------------------------------------------------------
// Citizens
// ---------------------------------------------------------------------------

async function activeUser(db: Db, userId: string) {
  const u = await repo.userStatus(db, userId);
  if (!u) throw new DomainError('auth.required');
  // PD-4: a suspended account can do nothing but reactivate or cancel.
  if (u.status !== 'active') throw new DomainError('auth.account_suspended');
  return u;
}

/** The "pick a vehicle" list: every bound vehicle, eligible or not, and why not. */
export async function listVehicles(sql: Sql, userId: string, now: Date, locale: Locale) {
  const today = todayOf(now);
  const rows = await repo.userVehicles(sql, userId);
  return {
    vehicles: rows.map((v) => {
      const d = decideVehicleEligibility({ binding: v.binding, states: v.states, inspectionValidUntil: v.inspection_valid_until }, today);
      const booked = v.active_booking_id !== null;
      const reason = !d.ok ? reasonDto(d.code, d.params, locale) : booked ? reasonDto('inspections.vehicle_already_booked', undefined, locale) : null;
      return {
        id: v.id, plateNo: v.plate_no, plateKind: v.plate_kind, vehicleType: v.vehicle_type, brandModel: v.brand_model, binding: v.binding,
        registrationCityId: v.city_id, registrationCityName: v.city_name, inspectionValidUntil: v.inspection_valid_until,
        eligible: d.ok && !booked, overdue: d.ok && d.overdue, opensOn: d.ok ? d.opensOn : ((d.params?.opensOn as string | undefined) ?? null),
        reason, activeBookingId: v.active_booking_id,
      };
    }),
    asOf: now.toISOString(),
  };
}

/**
 * Stations that can test this vehicle, with their open slots and the free
 * places for it per slot, in a day range: the registration city's, and other
 * cities' of the province where the published cross-city plan allows (R-35.4).
 */
export async function searchSlots(sql: Sql, userId: string, q: { vehicleId: string; from?: string; to?: string }, now: Date) {
  const vehicle = await repo.userVehicle(sql, userId, q.vehicleId);
  if (!vehicle) throw new DomainError('inspections.vehicle_not_found');
  const d = decideVehicleEligibility({ binding: vehicle.binding, states: vehicle.states, inspectionValidUntil: vehicle.inspection_valid_until }, todayOf(now));
  if (!d.ok) throw refuse(d);
  const tomorrow = tomorrowOf(now);
  const from = q.from && q.from > tomorrow ? q.from : tomorrow;
  let to = q.to ?? addDays(from, SEARCH_DAYS - 1);
  if (to < from) throw new DomainError('inspections.range_invalid');
  if (to > addDays(from, MAX_SEARCH_DAYS - 1)) to = addDays(from, MAX_SEARCH_DAYS - 1);
  const rows = await repo.openSlots(sql, { city: vehicle.city_id, province: vehicle.province_id, from, to });
  const v = { ...vehicleSpecOf(vehicle), city: vehicle.city_id, province: vehicle.province_id };
  const stations = new Map<string, { id: string; name: string; address: string; phone: string | null; cityId: string; cityName: string; crossCity: boolean; slots: { id: string; day: string; startsAt: string; endsAt: string; capacity: number; free: number }[] }>();
  for (const r of rows) {
    const place = placeFor(v, openSlotOf(r));
    if (!place.ok) continue;
    let st = stations.get(r.station_id);
    if (!st) {
      st = { id: r.station_id, name: r.station_name, address: r.station_address, phone: r.station_phone, cityId: r.station_city, cityName: r.station_city_name, crossCity: place.crossCity, slots: [] };
      stations.set(r.station_id, st);
    }
    st.slots.push({ id: r.id, day: r.day, startsAt: r.starts_at, endsAt: r.ends_at, capacity: r.capacity, free: Math.max(0, place.free) });
  }
  return { vehicleId: vehicle.id, plateNo: vehicle.plate_no, from, to, stations: [...stations.values()], asOf: now.toISOString() };
}

/**
 * books a slot — the endpoint of release-day rushes, so it is
 * built for few round trips (docs/decisions/015-lean-booking-path.md):
 *   1. one read statement: vehicle, slot in context, account, stored Idempotency-Key;
 *   2. the rules (rules.ts) decide; a slot already full is answered at once;
 *   3. one write statement: the conditional UPDATE takes the place and, only
 *      then, the booking, audit row, SMS and finished key are inserted —
 *      atomic without BEGIN/COMMIT.
 * The unique index makes a second active booking of the vehicle a 409.
 * Returns the answer, or the stored answer of an earlier request with the key.
 */
export async function bookInspection(
  deps: Deps, citizen: Citizen, input: { vehicleId: string; slotId: string }, meta: RequestMeta, idemIn?: IdempotencyContext,
): Promise<{ booking: ReturnType<typeof bookingDto> } | { replay: StoredAnswer }> {
  const { sql } = deps;
  const reads = readsOf(deps);
  const today = todayOf(meta.now);
  // The read is lock-free: on the pool of short reads (ADR-016). With a deferred
  // session it reads the session too (ADR-017): a loser of a rush costs this one statement.
  const who = 'deferredSession' in citizen ? { sessionId: citizen.deferredSession } : { userId: citizen.id };
  const { session, vehicle, slot, account, idem: stored } = await repo.bookingInputs(reads, who, input.vehicleId, input.slotId, idemIn);
  // Signed in first: nothing below — not even a stored answer — reaches an expired session.
  const actor = 'deferredSession' in citizen ? await deferredCitizen(sql, session, meta.now) : citizen;
  const idem = idemIn && { ...idemIn, principal: `user:${actor.id}` };
  if (idem && stored) return { replay: replayOrRefuse(idem, stored) };
  if (!account) throw new DomainError('auth.required');
  if (account.status !== 'active') throw new DomainError('auth.account_suspended');
  if (!vehicle) throw new DomainError('inspections.vehicle_not_found');
  if (!slot) throw new DomainError('inspections.slot_not_found');
  if (vehicle.active_booking_id) throw new DomainError('inspections.vehicle_already_booked');
  const decision = decideBooking({
    vehicle: { binding: vehicle.binding, states: vehicle.states, inspectionValidUntil: vehicle.inspection_valid_until, ...vehicleSpecOf(vehicle) },
    station: {
      status: slot.station_status, cityBookingEnabled: slot.city_booking_enabled,
      vehicleTypes: slot.vehicle_types, maxAxleLoadKg: slot.max_axle_load_kg, brakeTypes: slot.brake_types,
    },
    slot: { day: slot.day, status: slot.status },
    jurisdiction: { vehicleCity: vehicle.city_id, vehicleProvince: vehicle.province_id, stationCity: slot.station_city, stationProvince: slot.station_province },
    offer: offerOf(slot),
    today,
  });
  if (!decision.ok) throw refuse(decision);
  const quota = decision.crossCity ? decision.quotaPerSlot : null;
  // Full when read: answered without a write (the losers of a rush cost one statement).
  const lost = noPlace(slot, quota);
  if (lost) throw new DomainError(lost);

  const id = randomUUID();
  const code = bookingCode(randomBytes(5));
  const row: repo.BookingRow = {
    id, code, status: 'booked', cancelled_reason: null, disruption: null, disrupted_at: null, cross_city: decision.crossCity, moved_from_id: null,
    created_at: meta.now, ended_at: null, user_account_id: actor.id, user_phone: account.phone,
    vehicle_id: vehicle.id, plate_no: vehicle.plate_no, brand_model: vehicle.brand_model, vehicle_type: vehicle.vehicle_type,
    slot_id: slot.id, day: slot.day, starts_at: slot.starts_at, ends_at: slot.ends_at,
    station_id: slot.station_id, station_name: slot.station_name, station_address: slot.station_address, station_phone: slot.station_phone,
    station_city: slot.station_city, station_city_name: slot.station_city_name, latitude: slot.latitude, longitude: slot.longitude,
  };
  const booking = bookingDto(row, today);
  let claimed;
  try {
    claimed = await repo.bookAtomically(
      sql,
      { id, code, vehicleId: vehicle.id, userId: actor.id, slotId: slot.id, stationId: slot.station_id, crossCityQuota: quota, now: meta.now },
      {
        audit: sql`${auditInsert(sql, actor, meta, {
          action: 'inspections.booked', entityType: 'inspection_booking', entityId: id, authorityId: slot.station_city,
          after: { code, plateNo: vehicle.plate_no, stationId: slot.station_id, slotId: slot.id, day: slot.day, startsAt: slot.starts_at, crossCity: decision.crossCity },
        }, sql`jsonb_build_object('placesTaken', claimed.booked, 'capacity', claimed.capacity)`)} FROM claimed`,
        sms: enqueueMessageCtes(sql, 'sms', 'claimed', { channel: 'sms', recipient: account.phone, template: 'inspections.booked', payload: smsPayload(row), authorityId: slot.station_city, dedupeKey: `inspections.booked:${id}` }, meta.now),
        idempotency: idem ? idempotencyInsert(sql, idem, meta.now, { status: 201, body: JSON.stringify(booking), type: JSON_TYPE }) : null,
      },
    );
  } catch (e) {
    // A duplicate with the same key that committed first: its answer (or 422 for another body).
    if (idem && isPgError(e, PG.uniqueViolation)) {
      const after = await repo.afterLostPlace(sql, slot.id, idempotencyLookup(sql, idem));
      if (after.idem) return { replay: replayOrRefuse(idem, after.idem) };
    }
    throw e;
  }
  if (!claimed) {
    const after = await repo.afterLostPlace(sql, slot.id, idempotencyLookup(sql, idem));
    if (idem && after.idem) return { replay: replayOrRefuse(idem, after.idem) };
    throw new DomainError(after.status === null ? 'inspections.slot_not_found' : (noPlace({ status: after.status, booked: after.booked!, capacity: after.capacity!, cross_city_booked: after.cross_city_booked! }, quota) ?? 'inspections.slot_full'));
  }
  return { booking };
}

/** The conditional UPDATE found no place: say why (one more read, only on this path). */
async function lostPlace(tx: Db, slotId: string, crossCity: boolean): Promise<DomainError> {
  const c = await repo.slotCounters(tx, slotId);
  if (!c) return new DomainError('inspections.slot_not_found');
  if (c.status === 'closed') return new DomainError('inspections.slot_closed');
  if (c.status === 'suspended') return new DomainError('inspections.station_not_accepting');
  if (crossCity && c.booked < c.capacity) return new DomainError('inspections.cross_city_quota_full');
  return new DomainError('inspections.slot_full');
}

/** The content type `c.json` answers with, stored with the key so a replay is byte-identical. */
export const JSON_TYPE = 'application/json';

/** Why a slot has no place for this booking, or null if it has one. */
function noPlace(c: { status: string; booked: number; capacity: number; cross_city_booked: number }, crossCityQuota: number | null): ErrorCode | null {
  if (c.status === 'closed') return 'inspections.slot_closed';
  if (c.status === 'suspended') return 'inspections.station_not_accepting';
  if (c.booked >= c.capacity) return 'inspections.slot_full';
  if (crossCityQuota !== null && c.cross_city_booked >= crossCityQuota) return 'inspections.cross_city_quota_full';
  return null;
}


export async function listBookings(sql: Sql, userId: string, now: Date) {
  const today = todayOf(now);
  const rows = await repo.userBookings(sql, userId);
  return { bookings: rows.map((b) => bookingDto(b, today)), asOf: now.toISOString() };
}

export async function getBooking(sql: Sql, userId: string, bookingId: string, now: Date) {
  const b = await repo.userBooking(sql, userId, bookingId);
  if (!b) throw new DomainError('inspections.booking_not_found');
  return bookingDto(b, todayOf(now));
}

/** cancels before the inspection day; the place is free again in the same transaction. */
export async function cancelBooking(deps: Deps, actor: UserActor, bookingId: string, meta: RequestMeta) {
  const today = todayOf(meta.now);
  return deps.sql.begin(async (tx) => {
    await activeUser(tx, actor.id);
    const b = await repo.userBooking(tx, actor.id, bookingId, true);
    if (!b) throw new DomainError('inspections.booking_not_found');
    const d = decideCancellation({ status: b.status, day: b.day }, today);
    if (!d.ok) throw refuse(d);
    const ended = await repo.endBooking(tx, b.id, 'cancelled', 'by_user', meta.now);
    if (!ended) throw new DomainError('inspections.booking_not_active');
    await Promise.all([
      repo.releasePlace(tx, b.slot_id, b.cross_city, meta.now),
      writeAudit(tx, actor, meta, {
        action: 'inspections.cancelled', entityType: 'inspection_booking', entityId: b.id, authorityId: b.station_city,
        before: { status: 'booked' }, after: { status: 'cancelled', cancelledReason: 'by_user', slotId: b.slot_id, day: b.day },
      }),
      enqueueMessage(tx, { channel: 'sms', recipient: b.user_phone, template: 'inspections.cancelled', payload: smsPayload(b), authorityId: b.station_city, dedupeKey: `inspections.cancelled:${b.id}` }, meta.now),
    ]);
    return bookingDto({ ...b, status: 'cancelled', cancelled_reason: 'by_user', ended_at: meta.now }, today);
  });
}

/**
 * Moves a booking to another slot in one step (and one transaction): the old
 * booking ends as 'moved' and frees its place, the new one takes a place under
 * the same conditions as a new booking. The two slot rows are updated in id
 * order so that two opposite moves cannot deadlock.
 */
export async function moveBooking(deps: Deps, actor: UserActor, bookingId: string, input: { slotId: string }, meta: RequestMeta) {
  const today = todayOf(meta.now);
  const id = randomUUID();
  const code = bookingCode(randomBytes(5));
  return await deps.sql.begin(async (tx) => {
    const user = await activeUser(tx, actor.id);
    const old = await repo.userBooking(tx, actor.id, bookingId, true);
    if (!old) throw new DomainError('inspections.booking_not_found');
    const m = decideMove({ status: old.status, day: old.day, slotId: old.slot_id, disruption: old.disruption }, input.slotId, today);
    if (!m.ok) throw refuse(m);
    const [vehicle, slot] = await Promise.all([repo.userVehicle(tx, actor.id, old.vehicle_id), repo.slotContext(tx, input.slotId)]);
    if (!vehicle) throw new DomainError('inspections.vehicle_not_found');
    if (!slot) throw new DomainError('inspections.slot_not_found');
    const decision = decideBooking({
      vehicle: { binding: vehicle.binding, states: vehicle.states, inspectionValidUntil: vehicle.inspection_valid_until, ...vehicleSpecOf(vehicle) },
      station: { status: slot.station_status, cityBookingEnabled: slot.city_booking_enabled, vehicleTypes: slot.vehicle_types, maxAxleLoadKg: slot.max_axle_load_kg, brakeTypes: slot.brake_types },
      slot: { day: slot.day, status: slot.status },
      jurisdiction: { vehicleCity: vehicle.city_id, vehicleProvince: vehicle.province_id, stationCity: slot.station_city, stationProvince: slot.station_province },
      offer: offerOf(slot),
      today,
    });
    if (!decision.ok) throw refuse(decision);

    const claim = async () => {
      const claimed = await repo.claimPlace(tx, slot.id, decision.crossCity ? decision.quotaPerSlot : null, meta.now);
      if (!claimed) throw await lostPlace(tx, slot.id, decision.crossCity);
    };
    const release = () => repo.releasePlace(tx, old.slot_id, old.cross_city, meta.now);
    if (old.slot_id < slot.id) {
      await release();
      await claim();
    } else {
      await claim();
      await release();
    }
    await repo.endBooking(tx, old.id, 'moved', null, meta.now);
    const row: repo.BookingRow = {
      ...old, id, code, status: 'booked', cancelled_reason: null, disruption: null, disrupted_at: null, cross_city: decision.crossCity, moved_from_id: old.id,
      created_at: meta.now, ended_at: null, user_phone: user.phone, slot_id: slot.id, day: slot.day, starts_at: slot.starts_at, ends_at: slot.ends_at,
      station_id: slot.station_id, station_name: slot.station_name, station_address: slot.station_address, station_phone: slot.station_phone,
      station_city: slot.station_city, station_city_name: slot.station_city_name, latitude: slot.latitude, longitude: slot.longitude,
    };
    await Promise.all([
      repo.insertBooking(tx, { id, code, vehicleId: old.vehicle_id, userId: actor.id, slotId: slot.id, stationId: slot.station_id, crossCity: decision.crossCity, movedFromId: old.id, now: meta.now }),
      writeAudit(tx, actor, meta, {
        action: 'inspections.moved', entityType: 'inspection_booking', entityId: id, authorityId: slot.station_city,
        before: { bookingId: old.id, code: old.code, slotId: old.slot_id, day: old.day, disruption: old.disruption },
        after: { bookingId: id, code, slotId: slot.id, day: slot.day, startsAt: slot.starts_at, stationId: slot.station_id, crossCity: decision.crossCity },
      }),
      enqueueMessage(tx, { channel: 'sms', recipient: user.phone, template: 'inspections.moved', payload: { ...smsPayload(row), previousCode: old.code }, authorityId: slot.station_city, dedupeKey: `inspections.moved:${id}` }, meta.now),
    ]);
    return bookingDto(row, today);
  });
}

/**
 * the nearest free slots that can take this vehicle — at other
 * stations when its station stopped taking bookings, anywhere (the same
 * station first) when only its slot was closed.
 */
async function alternativesForBooking(db: Db, b: repo.BookingRow, vehicle: repo.UserVehicleRow, now: Date, limit = 6): Promise<AlternativeDto[]> {
  const from = tomorrowOf(now);
  const excludeStation = b.disruption === 'station_suspended' || b.disruption === 'station_withdrawn';
  const rows = await repo.openSlots(db, {
    city: vehicle.city_id, province: vehicle.province_id, from, to: addDays(from, ALTERNATIVE_DAYS - 1),
    excludeStationId: excludeStation ? b.station_id : undefined, onlyFree: true,
  });
  return pickAlternatives(rows.filter((r) => r.id !== b.slot_id), vehicle, point(b.latitude, b.longitude), limit);
}

function pickAlternatives(rows: repo.SlotContextRow[], vehicle: Pick<repo.UserVehicleRow, 'vehicle_type' | 'axle_load_kg' | 'brake_type' | 'city_id' | 'province_id'>, origin: { latitude: number; longitude: number } | null, limit: number): AlternativeDto[] {
  const v = { ...vehicleSpecOf(vehicle), city: vehicle.city_id, province: vehicle.province_id };
  const candidates = rows.flatMap((r) => {
    const place = placeFor(v, openSlotOf(r));
    if (!place.ok || place.free <= 0) return [];
    return [{
      slotId: r.id, stationId: r.station_id, stationName: r.station_name, address: r.station_address, cityName: r.station_city_name,
      day: r.day, startsAt: r.starts_at, endsAt: r.ends_at, free: place.free, crossCity: place.crossCity, location: point(r.latitude, r.longitude),
    }];
  });
  return nearestSlots(origin, candidates, limit).map(({ location: _location, ...rest }) => rest);
}

export async function alternatives(sql: Sql, userId: string, bookingId: string, now: Date) {
  const b = await repo.userBooking(sql, userId, bookingId);
  if (!b) throw new DomainError('inspections.booking_not_found');
  if (b.status !== 'booked') return { bookingId, alternatives: [], asOf: now.toISOString() };
  const vehicle = await repo.userVehicle(sql, userId, b.vehicle_id);
  if (!vehicle) throw new DomainError('inspections.vehicle_not_found');
  return { bookingId, alternatives: await alternativesForBooking(sql, b, vehicle, now), asOf: now.toISOString() };
}

/** R-36.6 "向社会公布": the public notices of suspensions, withdrawals and resumptions. */
export async function notices(sql: Sql) {
  const rows = await repo.statusNotices(sql);
  return rows.map((r) => ({
    id: r.id, stationId: r.station_id, stationName: r.station_name, cityName: r.city_name, fromStatus: r.from_status, toStatus: r.to_status,
    reason: r.reason, note: r.note, pendingBookings: r.pending_bookings, at: r.changed_at.toISOString(),
  }));
}

/** R-36.2.2 "公布": the province's cross-city plan in force. */
export async function planInForce(sql: Sql, provinceId: string) {
  const rows = await repo.offerInForce(sql, provinceId);
  return {
    provinceId,
    version: rows[0]?.version ?? null,
    entries: rows.map((r) => ({
      stationId: r.station_id, stationName: r.station_name, address: r.address, cityId: r.city_id, cityName: r.city_name, quotaPerSlot: r.quota_per_slot,
      fromDay: r.from_day, toDay: r.to_day, vehicleTypes: r.vehicle_types, maxAxleLoadKg: r.max_axle_load_kg, brakeTypes: r.brake_types,
    })),
  };
}

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

async function authorityScope(db: Db, staff: StaffPrincipal) {
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
    await repo.endBooking(tx, b.id, input.outcome, input.outcome === 'cancelled' ? 'by_station' : null, meta.now);
    await repo.releasePlace(tx, b.slot_id, b.cross_city, meta.now);
    if (input.outcome === 'cancelled') {
      await enqueueMessage(tx, { channel: 'sms', recipient: b.user_phone, template: 'inspections.cancelled_by_station', payload: smsPayload(b), authorityId: b.station_city, dedupeKey: `inspections.cancelled_by_station:${b.id}` }, meta.now);
    }
    await writeAudit(tx, actor, meta, {
      action: `inspections.booking_${input.outcome}`, entityType: 'inspection_booking', entityId: b.id, authorityId: b.station_city,
      before: { status: 'booked', disruption: b.disruption }, after: { status: input.outcome, note: input.note },
    });
    return staffBookingDto({ ...b, status: input.outcome, cancelled_reason: input.outcome === 'cancelled' ? 'by_station' : null });
  });
}

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
