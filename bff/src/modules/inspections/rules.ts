/**
 * 机动车安全技术检验预约 — the pure rules of 第三章第四节 (R-34 .. R-36).
 * No SQL, no HTTP, no clock: "today" comes in as an Asia/Shanghai calendar
 * day ('YYYY-MM-DD'), decided by the caller from the request's `now`.
 */
import { blockingState, statesBlocking, type VehicleState } from '../../core/vehicle-states.ts';
import { addCalendarMonths, addDays, dayOfWeek, isCalendarDay } from '../../platform/calendar.ts';

export type Refusal = { ok: false; code: RefusalCode; params?: Record<string, string | number> };
export type RefusalCode =
  | 'inspections.vehicle_not_own'
  | 'inspections.vehicle_state_blocked'
  | 'inspections.validity_unknown'
  | 'inspections.too_early'
  | 'inspections.city_not_offering'
  | 'inspections.station_not_accepting'
  | 'inspections.station_cannot_test'
  | 'inspections.cross_city_not_allowed'
  | 'inspections.slot_closed'
  | 'inspections.slot_in_past'
  | 'inspections.cancel_too_late'
  | 'inspections.move_too_late'
  | 'inspections.booking_not_active'
  | 'inspections.move_same_slot'
  | 'inspections.capacity_below_booked'
  | 'inspections.mark_too_early'
  | 'inspections.mark_not_allowed';

const refuse = (code: RefusalCode, params?: Record<string, string | number>): Refusal => (params ? { ok: false, code, params } : { ok: false, code });

// ---------------------------------------------------------------------------
// whose vehicles
// ---------------------------------------------------------------------------

export type BindingKind = 'own' | 'non_own' | 'organisation';

/**
 * a user books for a bound vehicle of his own (个人) or of his
 * organisation (单位). A non-own vehicle bound at the counter is
 * visible to the user but not bookable. An unbound vehicle is "not found".
 */
export function decideBinding(binding: BindingKind): { ok: true } | Refusal {
  return binding === 'own' || binding === 'organisation' ? { ok: true } : refuse('inspections.vehicle_not_own');
}

// ---------------------------------------------------------------------------
// vehicle states that block a booking (PD-1: the list as data, in one place)
// ---------------------------------------------------------------------------

/**
 * 转出, 被盗抢, 停驶, 注销, 嫌疑车, 暂扣, 强制注销, 事故逃逸, 锁定 — from the one
 * vocabulary (core/vehicle-states.ts). Note 暂扣 (`detained`) here, where
 * names 扣留 (`withheld`): a withheld vehicle may still be booked for inspection.
 */
export const INSPECTION_BLOCKING_STATES = statesBlocking('inspection_booking');
export type InspectionBlockingState = VehicleState;

/** refused naming the (first) blocking state. */
export function decideVehicleStates(states: readonly string[]): { ok: true } | Refusal {
  const blocking = blockingState(states, 'inspection_booking');
  return blocking ? refuse('inspections.vehicle_state_blocked', { state: blocking }) : { ok: true };
}

// ---------------------------------------------------------------------------
// the three months before the inspection valid-until date
// ---------------------------------------------------------------------------

/** booking opens three calendar months before the valid-until day, clamped at month end (PD-2). */
export function bookingOpensOn(inspectionValidUntil: string): string {
  return addCalendarMonths(inspectionValidUntil, -3);
}

/**
 * "可以在机动车检验有效期止之日前三个月内办理". Before the window opens the
 * refusal names the day it opens. A vehicle already past its date stays
 * bookable (it has to be inspected; the article sets when booking opens and
 * names no cut-off) and is flagged `overdue`.
 */
export function decideValidityWindow(inspectionValidUntil: string | null, today: string):
  | { ok: true; opensOn: string; overdue: boolean }
  | Refusal {
  if (!inspectionValidUntil) return refuse('inspections.validity_unknown');
  const opensOn = bookingOpensOn(inspectionValidUntil);
  if (today < opensOn) return refuse('inspections.too_early', { opensOn, validUntil: inspectionValidUntil });
  return { ok: true, opensOn, overdue: today > inspectionValidUntil };
}

/** R-35.1 + R-35.2 + R-35.3 together: what the "pick a vehicle" page shows for each bound vehicle. */
export function decideVehicleEligibility(
  v: { binding: BindingKind; states: readonly string[]; inspectionValidUntil: string | null },
  today: string,
): { ok: true; opensOn: string; overdue: boolean } | Refusal {
  const binding = decideBinding(v.binding);
  if (!binding.ok) return binding;
  const states = decideVehicleStates(v.states);
  if (!states.ok) return states;
  return decideValidityWindow(v.inspectionValidUntil, today);
}

// ---------------------------------------------------------------------------
// where: registration city, or a published cross-city plan
// ---------------------------------------------------------------------------

export type Capability = { vehicleTypes: readonly string[]; maxAxleLoadKg: number | null; brakeTypes: readonly string[] };
export type VehicleSpec = { vehicleType: string; axleLoadKg: number | null; brakeType: string | null };

/**
 * a station tests the vehicle types, axle loads and brake types it
 * publishes. Unknown axle load or brake type on the vehicle record is not held
 * against the owner (the station checks on the day).
 */
export function decideCapability(cap: Capability, v: VehicleSpec): { ok: true } | Refusal {
  if (!cap.vehicleTypes.includes(v.vehicleType)) return refuse('inspections.station_cannot_test', { limit: 'vehicle_type', value: v.vehicleType });
  // Stryker disable next-line ConditionalExpression: `v.axleLoadKg !== null` → true is equivalent — `null > max` is false for any load limit (≥ 0)
  if (cap.maxAxleLoadKg !== null && v.axleLoadKg !== null && v.axleLoadKg > cap.maxAxleLoadKg) {
    return refuse('inspections.station_cannot_test', { limit: 'axle_load', value: v.axleLoadKg, max: cap.maxAxleLoadKg });
  }
  if (v.brakeType !== null && !cap.brakeTypes.includes(v.brakeType)) return refuse('inspections.station_cannot_test', { limit: 'brake_type', value: v.brakeType });
  return { ok: true };
}

/** One entry of the province's published cross-city plan that covers the station on the slot's day. */
export type CrossCityOffer = Capability & { quotaPerSlot: number };

export type Jurisdiction = {
  vehicleCity: string;
  vehicleProvince: string | null;
  stationCity: string;
  stationProvince: string | null;
};

/**
 * without a published in-province cross-city plan, a vehicle is
 * booked in its registration city; with one, also at the stations of the other
 * cities of the same province that the plan lists for that day, within what
 * the plan says they test. Other provinces: never.
 */
export function decideJurisdiction(j: Jurisdiction, offer: CrossCityOffer | null, v: VehicleSpec): { ok: true; crossCity: boolean; quotaPerSlot: number | null } | Refusal {
  if (j.vehicleCity === j.stationCity) return { ok: true, crossCity: false, quotaPerSlot: null };
  if (!j.vehicleProvince || j.vehicleProvince !== j.stationProvince || !offer) return refuse('inspections.cross_city_not_allowed');
  const cap = decideCapability(offer, v);
  if (!cap.ok) return cap;
  return { ok: true, crossCity: true, quotaPerSlot: offer.quotaPerSlot };
}

// ---------------------------------------------------------------------------
// A booking: everything above plus and the slot itself
// ---------------------------------------------------------------------------

export type StationState = Capability & { status: 'active' | 'suspended' | 'withdrawn'; cityBookingEnabled: boolean };
export type SlotState = { day: string; status: 'open' | 'closed' | 'suspended' };

/** Slots are booked from the day after today (Asia/Shanghai): same-day slots are the station's walk-ins. */
export const MIN_DAYS_AHEAD = 1;

/**
 * Whether this vehicle may take this slot, leaving capacity aside (the
 * database decides that, under concurrency), R-36.1 (the
 * station's city offers booking), R-36.6 (the station takes bookings),
 * R-36.2.1 (it tests this vehicle), R-36.5 (the slot is not closed).
 */
export function decideBooking(input: {
  vehicle: { binding: BindingKind; states: readonly string[]; inspectionValidUntil: string | null } & VehicleSpec;
  station: StationState;
  slot: SlotState;
  jurisdiction: Jurisdiction;
  offer: CrossCityOffer | null;
  today: string;
}): { ok: true; crossCity: boolean; quotaPerSlot: number | null } | Refusal {
  const { vehicle, station, slot, today } = input;
  const eligible = decideVehicleEligibility(vehicle, today);
  if (!eligible.ok) return eligible;
  if (!station.cityBookingEnabled) return refuse('inspections.city_not_offering');
  if (station.status !== 'active') return refuse('inspections.station_not_accepting', { status: station.status });
  if (slot.day < addDays(today, MIN_DAYS_AHEAD)) return refuse('inspections.slot_in_past');
  if (slot.status !== 'open') return refuse(slot.status === 'suspended' ? 'inspections.station_not_accepting' : 'inspections.slot_closed');
  const capability = decideCapability(station, vehicle);
  if (!capability.ok) return capability;
  return decideJurisdiction(input.jurisdiction, input.offer, vehicle);
}

/** An open slot as the search sees it: its station, what the station tests, the plan entry for its day, its counters. */
export type OpenSlot = {
  stationCity: string;
  stationProvince: string | null;
  capability: Capability;
  offer: CrossCityOffer | null;
  capacity: number;
  booked: number;
  crossCityBooked: number;
};

/**
 * Whether an (eligible) vehicle may take a place in this open slot, and how
 * many places are free for it: as in {@link decideBooking};
 * a cross-city vehicle also counts against the plan's per-slot quota.
 */
export function placeFor(v: VehicleSpec & { city: string; province: string | null }, s: OpenSlot): { ok: true; crossCity: boolean; free: number } | Refusal {
  const capability = decideCapability(s.capability, v);
  if (!capability.ok) return capability;
  const where = decideJurisdiction({ vehicleCity: v.city, vehicleProvince: v.province, stationCity: s.stationCity, stationProvince: s.stationProvince }, s.offer, v);
  if (!where.ok) return where;
  const free = s.capacity - s.booked;
  return { ok: true, crossCity: where.crossCity, free: where.crossCity ? Math.min(free, (where.quotaPerSlot ?? 0) - s.crossCityBooked) : free };
}

// ---------------------------------------------------------------------------
// cancelling; moving
// ---------------------------------------------------------------------------

/** "应当在检验日期前取消预约" — cancel on any day before the inspection day, not on it. */
export function decideCancellation(booking: { status: string; day: string }, today: string): { ok: true } | Refusal {
  if (booking.status !== 'booked') return refuse('inspections.booking_not_active');
  if (today >= booking.day) return refuse('inspections.cancel_too_late', { day: booking.day });
  return { ok: true };
}

/**
 * Moving = cancelling the old booking and booking the new slot in one step.
 * applies to the old booking, except when the station cannot serve it
 * (R-36.5 closure, R-36.6 suspension): then the user may move at any time.
 */
export function decideMove(booking: { status: string; day: string; slotId: string; disruption: string | null }, targetSlotId: string, today: string): { ok: true } | Refusal {
  if (booking.status !== 'booked') return refuse('inspections.booking_not_active');
  if (booking.slotId === targetSlotId) return refuse('inspections.move_same_slot');
  if (booking.disruption === null && today >= booking.day) return refuse('inspections.move_too_late', { day: booking.day });
  return { ok: true };
}

// ---------------------------------------------------------------------------
// After the inspection day; the station's day roster (issue 18)
// ---------------------------------------------------------------------------

export type Disruption = 'slot_closed' | 'station_suspended' | 'station_withdrawn';
export type DayEnd = { status: 'completed' } | { status: 'no_show' } | { status: 'cancelled'; reason: Disruption };
/** Every way an active booking ends outside the user's own cancel or move: the day's end, the roster's marks, the station's cancellation. */
export type BookingEnd = DayEnd | { status: 'cancelled'; reason: 'by_station' };

/**
 * a booking still active once its inspection day has passed
 * ends, so that it no longer blocks the vehicle's next booking. The station
 * recorded the vehicle's arrival → completed; the station could not serve it
 * (R-36.5 closure, R-36.6 suspension) and it was never moved → cancelled with
 * that reason; otherwise → no-show. `null`: the day has not passed yet.
 */
export function dayEndOutcome(b: { day: string; arrived: boolean; disruption: string | null }, today: string): DayEnd | null {
  if (today <= b.day) return null;
  if (b.arrived) return { status: 'completed' };
  if (b.disruption === 'slot_closed' || b.disruption === 'station_suspended' || b.disruption === 'station_withdrawn') return { status: 'cancelled', reason: b.disruption };
  return { status: 'no_show' };
}

export type RosterMark = 'arrived' | 'done' | 'no_show';

/**
 * the station's marks on its day roster: 到场 (arrived, the booking
 * stays active), 检验完成 (done) and 未到检 (no-show), which end the booking
 * with the same end states as the day's end. Not before the inspection day.
 * A no-show (by the station or the day's end) can still be corrected to done:
 * the vehicle was inspected but not recorded in time.
 */
export function decideRosterMark(
  b: { status: string; day: string; arrived: boolean }, mark: RosterMark, today: string,
): { ok: true; to: 'booked' | 'completed' | 'no_show' } | Refusal {
  if (mark === 'done' && b.status === 'no_show') return { ok: true, to: 'completed' };
  if (b.status !== 'booked') return refuse('inspections.mark_not_allowed', { status: b.status });
  if (today < b.day) return refuse('inspections.mark_too_early', { day: b.day });
  if (mark === 'arrived') return b.arrived ? refuse('inspections.mark_not_allowed', { status: 'arrived' }) : { ok: true, to: 'booked' };
  if (mark === 'no_show' && b.arrived) return refuse('inspections.mark_not_allowed', { status: 'arrived' });
  return { ok: true, to: mark === 'done' ? 'completed' : 'no_show' };
}

// ---------------------------------------------------------------------------
// Stations: schedules, slots, capacity (R-36.2.1, R-36.3–5)
// ---------------------------------------------------------------------------

export type TimeSlot = { startsAt: string; endsAt: string; capacity: number };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A schedule's time slots: well-formed 'HH:MM', start before end, no overlaps, capacity 0..500. */
export function checkTimeSlots(times: readonly TimeSlot[]): { ok: true; sorted: TimeSlot[] } | { ok: false; index: number; problem: 'format' | 'order' | 'overlap' | 'capacity' } {
  const indexed = times.map((t, index) => ({ ...t, index }));
  for (const t of indexed) {
    if (!TIME.test(t.startsAt) || !TIME.test(t.endsAt)) return { ok: false, index: t.index, problem: 'format' };
    if (t.startsAt >= t.endsAt) return { ok: false, index: t.index, problem: 'order' };
    if (!Number.isInteger(t.capacity) || t.capacity < 0 || t.capacity > 500) return { ok: false, index: t.index, problem: 'capacity' };
  }
  const sorted = [...indexed].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.startsAt < sorted[i - 1]!.endsAt) return { ok: false, index: sorted[i]!.index, problem: 'overlap' };
  }
  return { ok: true, sorted: sorted.map(({ startsAt, endsAt, capacity }) => ({ startsAt, endsAt, capacity })) };
}

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const d = dayOfWeek(day);
  return d === 0 ? 7 : d;
}

/** Publishing at most this many days of slots at once keeps a mistake small. */
export const MAX_PUBLISH_DAYS = 92;

/**
 * The slots a bulk publication creates: every opening day in [from, to] × the
 * day's time slots. Days before `firstDay` (normally tomorrow) are skipped.
 */
export function plannedSlots(
  input: { from: string; to: string; openingDays: readonly number[]; times: readonly TimeSlot[] },
  firstDay: string,
): { ok: true; slots: (TimeSlot & { day: string })[] } | { ok: false; problem: 'range' | 'too_long' } {
  const { from, to } = input;
  if (!isCalendarDay(from) || !isCalendarDay(to) || from > to) return { ok: false, problem: 'range' };
  // Counted, not walked: a request for centuries must cost no more than one for a week (issue 17).
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_PUBLISH_DAYS) return { ok: false, problem: 'too_long' };
  const slots: (TimeSlot & { day: string })[] = [];
  // Stryker disable next-line EqualityOperator: `from <= firstDay` is equivalent — when they are equal both branches give the same day
  for (let d = from < firstDay ? firstDay : from; d <= to; d = addDays(d, 1)) {
    if (!input.openingDays.includes(isoWeekday(d))) continue;
    for (const t of input.times) slots.push({ day: d, ...t });
  }
  return { ok: true, slots };
}

/**
 * Changing a slot's capacity never cancels bookings silently (issue 6): below
 * the booked count it is refused unless the operator chose to cancel or move
 * the excess bookings — the newest ones, so the earliest bookers keep theirs.
 */
export function decideCapacityChange(
  input: { capacity: number; booked: number; newCapacity: number; excess: 'refuse' | 'cancel' | 'move' },
): { ok: true; displaced: number } | Refusal {
  const displaced = Math.max(0, input.booked - input.newCapacity);
  if (displaced > 0 && input.excess === 'refuse') {
    return refuse('inspections.capacity_below_booked', { booked: input.booked, capacity: input.newCapacity });
  }
  return { ok: true, displaced };
}

// ---------------------------------------------------------------------------
// suspension and withdrawal of a station's booking service
// ---------------------------------------------------------------------------

export type StationStatus = 'active' | 'suspended' | 'withdrawn';
export type StatusReason = 'equipment_failure' | 'plan_change' | 'licence_expired' | 'licence_revoked' | 'resumed';

/**
 * a station asks to suspend (设备故障, 工作计划调整, 资格证书过期) or to
 * cancel (资格被撤销, or any of those for good) its booking service; a
 * suspended station may resume; a withdrawn one is final.
 */
export function decideStationTransition(from: StationStatus, to: StationStatus, reason: StatusReason): { ok: true } | { ok: false; code: 'inspections.station_status_conflict' | 'request.invalid' } {
  if (from === 'withdrawn' || from === to) return { ok: false, code: 'inspections.station_status_conflict' };
  if (to === 'active') return reason === 'resumed' ? { ok: true } : { ok: false, code: 'request.invalid' };
  if (reason === 'resumed') return { ok: false, code: 'request.invalid' };
  if (to === 'suspended' && reason === 'licence_revoked') return { ok: false, code: 'request.invalid' }; // a revoked licence ends the service
  return { ok: true };
}

// ---------------------------------------------------------------------------
// the nearest free slots elsewhere
// ---------------------------------------------------------------------------

export type GeoPoint = { latitude: number; longitude: number };

/** Great-circle distance in kilometres (haversine, mean Earth radius). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = (x: number) => (x * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export type CandidateSlot = { slotId: string; stationId: string; day: string; startsAt: string; location: GeoPoint | null; free: number };

/**
 * "nearest free slots at other stations that can test the vehicle":
 * the candidates (already filtered to free and allowed) ordered by distance
 * from the original station, then by time; at most `perStation` per station
 * so that the user sees a choice of places. Stations without coordinates go last.
 */
export function nearestSlots<T extends CandidateSlot>(origin: GeoPoint | null, candidates: readonly T[], limit = 6, perStation = 3): (T & { distanceKm: number | null })[] {
  const withDistance = candidates
    .filter((c) => c.free > 0)
    .map((c) => ({ ...c, distanceKm: origin && c.location ? Math.round(distanceKm(origin, c.location) * 10) / 10 : null }));
  withDistance.sort((a, b) => {
    const da = a.distanceKm ?? Number.POSITIVE_INFINITY;
    const db = b.distanceKm ?? Number.POSITIVE_INFINITY;
    if (da !== db) return da - db;
    return a.day === b.day ? a.startsAt.localeCompare(b.startsAt) : a.day.localeCompare(b.day);
  });
  const perCount = new Map<string, number>();
  const out: (T & { distanceKm: number | null })[] = [];
  for (const c of withDistance) {
    const n = perCount.get(c.stationId) ?? 0;
    if (n >= perStation) continue;
    perCount.set(c.stationId, n + 1);
    out.push(c);
    if (out.length >= limit) break;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Booking codes
// ---------------------------------------------------------------------------

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O, 1/I

/** A booking code like `JY7K3M9Q2D`: "JY" (检验) + 8 characters from 40 random bits, easy to read out on the phone. */
export function bookingCode(random: Uint8Array): string {
  if (random.length < 5) throw new RangeError('need 5 random bytes');
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(random[i]!);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = CODE_ALPHABET[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `JY${out}`;
}
