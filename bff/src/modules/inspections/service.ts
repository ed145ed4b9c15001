/**
 * 机动车安全技术检验预约 use cases (R-34 .. R-36). One transaction each:
 * load → decide (rules.ts) → write (repo.ts) → audit + outbox, all in the
 * transaction that makes the change.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Sql } from '../../db.ts';
import { readsOf, type Actor, type Citizen, type Deps, type IdempotencyContext, type RequestMeta } from '../../core/context.ts';
import { DomainError, isPgError, PG, refuse, type ErrorCode } from '../../core/errors.ts';
import { describe, type Locale } from '../../core/catalog.ts';
import { auditInsert, maskedSnapshot, writeAudit } from '../../platform/audit.ts';
import { maskSensitive } from '../../platform/log.ts';
import { groupCommitFor } from '../../platform/group-commit.ts';
import { referenceSource, withFreshReference } from '../../platform/references.ts';
import { archiveCase } from '../../platform/archive.ts';
import { enqueueMessage, enqueueMessageCtes } from '../../platform/outbox.ts';
import { idempotencyInsert, idempotencyLookup, replayOrRefuse, type StoredAnswer } from '../../platform/idempotency.ts';
import { deferredCitizen } from '../../platform/sessions.ts';
import { addDays, shanghaiDay, startOfShanghaiDay } from '../../platform/calendar.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { maskPhone } from '../../platform/check-digits.ts';
import * as repo from './repo.ts';
import { messages } from './messages.ts';
import { bookingCode, dayEndOutcome, decideBooking, decideCancellation, decideMove, decideVehicleEligibility, MIN_DAYS_AHEAD, nearestSlots, placeFor, type BookingEnd, type CrossCityOffer } from './rules.ts';

type UserActor = Actor & { kind: 'user' };
export type StaffActor = Actor & { kind: 'staff' };

/** How far ahead the citizen's search looks by default, and at most. */
const SEARCH_DAYS = 14;
const MAX_SEARCH_DAYS = 31;
/** How far ahead alternatives for a disrupted booking are looked for. */
export const ALTERNATIVE_DAYS = 30;

export const todayOf = (now: Date) => shanghaiDay(now);
/** When a booking's day is over: 00:00 Asia/Shanghai of the next day (PD-2); its closing job is due then. */
export const dayCloseAt = (day: string) => startOfShanghaiDay(addDays(day, 1));
/** Who the durable jobs act as in the audit log. */
export const systemActor: Actor = { kind: 'system', label: 'inspections' };
export const tomorrowOf = (now: Date) => addDays(shanghaiDay(now), MIN_DAYS_AHEAD);

export function reasonDto(code: ErrorCode, params: Record<string, string | number> | undefined, locale: Locale) {
  const { title, detail } = describe(messages, code, params, locale);
  return { code, title, detail: detail ?? null, params: params ?? null };
}

export const point = (lat: string | null, lon: string | null) => (lat !== null && lon !== null ? { latitude: Number(lat), longitude: Number(lon) } : null);

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

export const vehicleSpecOf = (v: { vehicle_type: string; axle_load_kg: number | null; brake_type: string | null }) => ({
  vehicleType: v.vehicle_type, axleLoadKg: v.axle_load_kg, brakeType: v.brake_type,
});

// ---------------------------------------------------------------------------
// DTOs
// ---------------------------------------------------------------------------

export function bookingDto(b: repo.BookingRow, today: string) {
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

export type AlternativeDto = {
  slotId: string; stationId: string; stationName: string; address: string; cityName: string; day: string; startsAt: string; endsAt: string;
  free: number; distanceKm: number | null; crossCity: boolean;
};

export function staffBookingDto(b: repo.BookingRow, suggestion: AlternativeDto | null = null) {
  return {
    id: b.id, code: b.code, status: b.status, cancelledReason: b.cancelled_reason, disruption: b.disruption, crossCity: b.cross_city,
    plateNo: b.plate_no, vehicleType: b.vehicle_type, phoneMasked: maskPhone(b.user_phone), stationId: b.station_id, stationName: b.station_name,
    slotId: b.slot_id, day: b.day, startsAt: b.starts_at, endsAt: b.ends_at, createdAt: b.created_at.toISOString(), suggestion,
  };
}

export function smsPayload(b: { code: string; plate_no: string | null; day: string; starts_at: string; ends_at: string; station_name: string }) {
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
  return { vehicleId: vehicle.id, plateNo: vehicle.plate_no, registrationCityName: vehicle.city_name, from, to, stations: [...stations.values()], asOf: now.toISOString() };
}

/**
 * books a slot — the endpoint of release-day rushes, so it is
 * built for few round trips (docs/decisions/015-lean-booking-path.md):
 *   1. one read statement: vehicle, slot in context, account, stored Idempotency-Key;
 *   2. the rules (rules.ts) decide; a slot already full is answered at once;
 *   3. one write statement: the conditional UPDATE takes the place and, only
 *      then, the booking, audit row, SMS and finished key are inserted —
 *      atomic without BEGIN/COMMIT.
 *      With group commit (ADR-040, on unless GROUP_COMMIT=false) that statement
 *      is shared with the bookings that arrived meanwhile: one round trip and
 *      one commit decide them all, in arrival order, by the same guards.
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
  // With group commit the read is batched too: one statement for the requests that arrive together (ADR-040 "Reads").
  const { session, vehicle, slot, account, idem: stored } = deps.config.GROUP_COMMIT
    ? await bookingReadBatcher(reads).submit({ who, vehicleId: input.vehicleId, slotId: input.slotId, idem: idemIn })
    : await repo.bookingInputs(reads, who, input.vehicleId, input.slotId, idemIn);
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

  // The code is drawn at random: one already taken is refused by its unique index, and the booking is tried again with another (ADR-041).
  return await withFreshReference([repo.BOOKING_CODE_KEY], async () => {
    const id = randomUUID();
    const code = bookingCode(referenceSource.bytes(5));
    const row: repo.BookingRow = {
      id, code, status: 'booked', cancelled_reason: null, disruption: null, disrupted_at: null, cross_city: decision.crossCity, moved_from_id: null,
      created_at: meta.now, ended_at: null, arrived_at: null, user_account_id: actor.id, user_phone: account.phone,
      vehicle_id: vehicle.id, plate_no: vehicle.plate_no, brand_model: vehicle.brand_model, vehicle_type: vehicle.vehicle_type,
      slot_id: slot.id, day: slot.day, starts_at: slot.starts_at, ends_at: slot.ends_at,
      station_id: slot.station_id, station_name: slot.station_name, station_address: slot.station_address, station_phone: slot.station_phone,
      station_city: slot.station_city, station_city_name: slot.station_city_name, latitude: slot.latitude, longitude: slot.longitude,
    };
    const booking = bookingDto(row, today);
    const auditAfter = { code, plateNo: vehicle.plate_no, stationId: slot.station_id, slotId: slot.id, day: slot.day, startsAt: slot.starts_at, crossCity: decision.crossCity };
    if (deps.config.GROUP_COMMIT) {
      // Group commit (ADR-040): this booking goes to PostgreSQL in one statement with the others
      // that arrived meanwhile; the same guards decide it there, in arrival order.
      let o: repo.BatchOutcome;
      try {
        o = await bookingBatcher(sql).submit({
          id, code, vehicleId: vehicle.id, userId: actor.id, slotId: slot.id, stationId: slot.station_id, quota, at: meta.now, closeAt: dayCloseAt(slot.day),
          audit: { actorKind: actor.kind, actorId: actor.id, actorLabel: maskSensitive(actor.label), authorityId: slot.station_city, after: maskedSnapshot(auditAfter), requestId: meta.requestId, ip: meta.ip },
          sms: { recipient: account.phone, payload: smsPayload(row), authorityId: slot.station_city },
          idem: idem ? { principal: idem.principal!, key: idem.key, method: idem.method, path: idem.path, hash: idem.hash, body: JSON.stringify(booking), type: JSON_TYPE } : null,
        });
      } catch (e) {
        // Alone, and still refused by a unique index: a concurrent duplicate with the same key committed first.
        const replay = await replayAfterUniqueViolation(sql, e, slot.id, idem);
        if (replay) return replay;
        throw e;
      }
      if (o.outcome === 'booked') return { booking };
      if (o.outcome === 'replay') return { replay: replayOrRefuse(idem!, o.storedKey) };
      if (o.outcome === 'vehicle_booked') throw new DomainError('inspections.vehicle_already_booked');
      if (idem && o.storedKey) return { replay: replayOrRefuse(idem, o.storedKey) };
      throw new DomainError(o.slotStatus === null ? 'inspections.slot_not_found' : (noPlace({ status: o.slotStatus, booked: o.placesBooked!, capacity: o.places!, cross_city_booked: o.crossBooked! }, quota) ?? 'inspections.slot_full'));
    }
    let claimed;
    try {
      claimed = await repo.bookAtomically(
        sql,
        { id, code, vehicleId: vehicle.id, userId: actor.id, slotId: slot.id, stationId: slot.station_id, crossCityQuota: quota, now: meta.now, closeAt: dayCloseAt(slot.day) },
        {
          audit: sql`${auditInsert(sql, actor, meta, {
            action: 'inspections.booked', entityType: 'inspection_booking', entityId: id, authorityId: slot.station_city,
            after: auditAfter,
          }, sql`jsonb_build_object('placesTaken', claimed.booked, 'capacity', claimed.capacity)`)} FROM claimed`,
          sms: enqueueMessageCtes(sql, 'sms', 'claimed', { channel: 'sms', recipient: account.phone, template: 'inspections.booked', payload: smsPayload(row), authorityId: slot.station_city, dedupeKey: `inspections.booked:${id}` }, meta.now),
          idempotency: idem ? idempotencyInsert(sql, idem, meta.now, { status: 201, body: JSON.stringify(booking), type: JSON_TYPE }) : null,
        },
      );
    } catch (e) {
      const replay = await replayAfterUniqueViolation(sql, e, slot.id, idem);
      if (replay) return replay;
      throw e;
    }
    if (!claimed) {
      const after = await repo.afterLostPlace(sql, slot.id, idempotencyLookup(sql, idem));
      if (idem && after.idem) return { replay: replayOrRefuse(idem, after.idem) };
      throw new DomainError(after.status === null ? 'inspections.slot_not_found' : (noPlace({ status: after.status, booked: after.booked!, capacity: after.capacity!, cross_city_booked: after.cross_city_booked! }, quota) ?? 'inspections.slot_full'));
    }
    return { booking };
  });
}

/** A duplicate with the same key that committed first: its answer (or 422 for another body); null when the violation was not that. */
async function replayAfterUniqueViolation(sql: Sql, e: unknown, slotId: string, idem: IdempotencyContext | undefined): Promise<{ replay: StoredAnswer } | null> {
  if (!idem || !isPgError(e, PG.uniqueViolation)) return null;
  const after = await repo.afterLostPlace(sql, slotId, idempotencyLookup(sql, idem));
  return after.idem ? { replay: replayOrRefuse(idem, after.idem) } : null;
}

/**
 * The process's batcher of bookings for this pool (ADR-040): a lone booking
 * goes at once; bookings that arrive while a batch is in flight gather for at
 * most 2 ms (or 64 of them) and go as one statement.
 */
/** The booking's first read, batched per process and read pool (ADR-040 "Reads"): nothing is decided there, so no lock. */
const bookingReadBatcher = (reads: Sql) =>
  groupCommitFor<repo.BookingInputsRequest, repo.BookingInputs>(reads, 'inspections.book-inputs', () => ({
    run: (reqs) => repo.bookingInputsBatch(reads, reqs),
    windowMs: 2,
    maxBatch: 64,
    maxInFlight: 4,
  }));

const bookingBatcher = (sql: Sql) =>
  groupCommitFor<repo.BatchedBooking, repo.BatchOutcome>(sql, 'inspections.book', () => ({
    run: (members) => repo.bookBatch(sql, members),
    windowMs: 2,
    maxBatch: 64,
    // A batch locks its slots: batches of different slots run side by side (ADR-040 "Lanes"),
    // as many as PostgreSQL has cores to write with here; more would split a moderate load into batches of one.
    lanes: 2,
    laneKey: (m) => m.slotId,
    maxInFlight: 2,
  }));

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
 * the same conditions as a new booking — the same conditional UPDATE, so a move
 * never overbooks (ADR-011). The two slot rows are updated in id order so that
 * two opposite moves cannot deadlock. With an Idempotency-Key the finished key
 * is stored in this transaction (as the booking's is, ADR-015); it is looked up
 * after the old booking's row lock, so a duplicate sent at once waits for the
 * first and then replays its answer.
 */
export async function moveBooking(
  deps: Deps, actor: UserActor, bookingId: string, input: { slotId: string }, meta: RequestMeta, idem?: IdempotencyContext,
): Promise<{ booking: ReturnType<typeof bookingDto> } | { replay: StoredAnswer }> {
  const today = todayOf(meta.now);
  // A code already taken fails the transaction on its unique index: the move is tried again with another (ADR-041).
  return await withFreshReference([repo.BOOKING_CODE_KEY], () => deps.sql.begin(async (tx) => {
    const id = randomUUID();
    const code = bookingCode(referenceSource.bytes(5));
    const user = await activeUser(tx, actor.id);
    const old = await repo.userBooking(tx, actor.id, bookingId, true);
    if (!old) throw new DomainError('inspections.booking_not_found');
    if (idem) {
      const stored = await repo.storedKey(tx, idem);
      if (stored) return { replay: replayOrRefuse(idem, stored) };
    }
    const m = decideMove({ status: old.status, day: old.day, slotId: old.slot_id, disruption: old.disruption }, input.slotId, today);
    if (!m.ok) throw refuse(m, m.code === 'inspections.move_same_slot' ? 'slotId' : undefined);
    const [vehicle, slot] = await Promise.all([repo.userVehicle(tx, actor.id, old.vehicle_id), repo.slotContext(tx, input.slotId)]);
    if (!vehicle) throw new DomainError('inspections.vehicle_not_found');
    if (!slot) throw new DomainError('inspections.slot_not_found', { field: 'slotId' });
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
      created_at: meta.now, ended_at: null, arrived_at: null, user_phone: user.phone, slot_id: slot.id, day: slot.day, starts_at: slot.starts_at, ends_at: slot.ends_at,
      station_id: slot.station_id, station_name: slot.station_name, station_address: slot.station_address, station_phone: slot.station_phone,
      station_city: slot.station_city, station_city_name: slot.station_city_name, latitude: slot.latitude, longitude: slot.longitude,
    };
    const booking = bookingDto(row, today);
    await repo.insertBooking(tx, { id, code, vehicleId: old.vehicle_id, userId: actor.id, slotId: slot.id, stationId: slot.station_id, crossCity: decision.crossCity, movedFromId: old.id, now: meta.now });
    await Promise.all([
      enqueueJob(tx, { kind: repo.CLOSE_PASSED_JOB, payload: { bookingId: id }, runAt: dayCloseAt(slot.day), dedupeKey: id }, meta.now),
      writeAudit(tx, actor, meta, {
        action: 'inspections.moved', entityType: 'inspection_booking', entityId: id, authorityId: slot.station_city,
        before: { bookingId: old.id, code: old.code, slotId: old.slot_id, day: old.day, startsAt: old.starts_at, stationId: old.station_id, disruption: old.disruption },
        after: { bookingId: id, code, slotId: slot.id, day: slot.day, startsAt: slot.starts_at, stationId: slot.station_id, crossCity: decision.crossCity },
      }),
      enqueueMessage(tx, { channel: 'sms', recipient: user.phone, template: 'inspections.moved', payload: { ...smsPayload(row), previousCode: old.code }, authorityId: slot.station_city, dedupeKey: `inspections.moved:${id}` }, meta.now),
      idem ? idempotencyInsert(tx, idem, meta.now, { status: 201, body: JSON.stringify(booking), type: JSON_TYPE }) : null,
    ]);
    return { booking };
  }));
}

// ---------------------------------------------------------------------------
// The end of a booking: the station's marks and the day's end (issue 18)
// ---------------------------------------------------------------------------

/**
 * Ends an active booking as completed, no-show or cancelled: its place is
 * given back (`booked` = active bookings, ADR-011) and the change audited, in
 * the caller's transaction. The roster's marks, the day's-end job and the
 * station's `end` share it, so all leave the same end states. False when it
 * was no longer active.
 */
export async function endActiveBooking(
  tx: Db, b: repo.BookingRow, end: BookingEnd, actor: Actor, meta: RequestMeta, action: string, note = '',
): Promise<boolean> {
  const reason = end.status === 'cancelled' ? end.reason : null;
  const ended = await repo.endBooking(tx, b.id, end.status, reason, meta.now);
  if (!ended) return false;
  await repo.releasePlace(tx, b.slot_id, b.cross_city, meta.now);
  await writeAudit(tx, actor, meta, {
    action, entityType: 'inspection_booking', entityId: b.id, authorityId: b.station_city,
    before: { status: 'booked', day: b.day, arrived: b.arrived_at !== null, disruption: b.disruption },
    after: { status: end.status, cancelledReason: reason, ...(note ? { note } : {}) },
  });
  if (end.status === 'completed') await archiveInspection(tx, b, actor, meta);
  return true;
}

/** a booking closed as completed goes to the electronic archive (ADR-036). */
export async function archiveInspection(tx: Db, b: repo.BookingRow, actor: Actor, meta: RequestMeta) {
  await archiveCase(tx, actor, meta, {
    businessType: 'inspection_booking', caseRef: b.code, entityIds: [b.id], authorityId: b.station_city, userAccountId: b.user_account_id, plateNo: b.plate_no,
    data: { booking: { ...b, status: 'completed', user_phone: undefined }, endedAt: meta.now }, finishedAt: meta.now,
  });
}

/**
 * The job `inspections.close_passed` (one per booking, due when its day is
 * over): a booking still active after its inspection day ends — arrived →
 * completed, disrupted and never moved → cancelled, else no-show — so that it
 * no longer blocks the vehicle's next booking. A booking the
 * station moved to a later day waits for that day's end.
 */
export async function closePassedBooking(tx: Db, bookingId: string, now: Date): Promise<void> {
  const b = await repo.bookingById(tx, bookingId, true);
  if (!b || b.status !== 'booked') return;
  const end = dayEndOutcome({ day: b.day, arrived: b.arrived_at !== null, disruption: b.disruption }, todayOf(now));
  if (!end) {
    await enqueueJob(tx, { kind: repo.CLOSE_PASSED_JOB, payload: { bookingId }, runAt: dayCloseAt(b.day), dedupeKey: bookingId }, now);
    return;
  }
  await endActiveBooking(tx, b, end, systemActor, { requestId: `job:${repo.CLOSE_PASSED_JOB}:${bookingId}`, ip: 'system', now }, 'inspections.closed_after_day');
}

/**
 * the nearest free slots that can take this vehicle — at other
 * stations when its station stopped taking bookings, anywhere (the same
 * station first) when only its slot was closed.
 */
export async function alternativesForBooking(db: Db, b: repo.BookingRow, vehicle: repo.UserVehicleRow, now: Date, limit = 6): Promise<AlternativeDto[]> {
  const from = tomorrowOf(now);
  const excludeStation = b.disruption === 'station_suspended' || b.disruption === 'station_withdrawn';
  const rows = await repo.openSlots(db, {
    city: vehicle.city_id, province: vehicle.province_id, from, to: addDays(from, ALTERNATIVE_DAYS - 1),
    excludeStationId: excludeStation ? b.station_id : undefined, onlyFree: true,
  });
  return pickAlternatives(rows.filter((r) => r.id !== b.slot_id), vehicle, point(b.latitude, b.longitude), limit);
}

export function pickAlternatives(rows: repo.SlotContextRow[], vehicle: Pick<repo.UserVehicleRow, 'vehicle_type' | 'axle_load_kg' | 'brake_type' | 'city_id' | 'province_id'>, origin: { latitude: number; longitude: number } | null, limit: number): AlternativeDto[] {
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
