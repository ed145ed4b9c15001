import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import { isPlatformDay } from '../../core/text.ts';

/** A filter's id or day, checked before it reaches SQL: a malformed one would make Postgres fail the query (a 500), not match nothing. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
import { idempotencyLookup, storedKeyQuery, type StoredKey } from '../../platform/idempotency.ts';
import { userSessionQuery } from '../../platform/sessions.ts';
import type { IdempotencyContext } from '../../core/context.ts';

/** SQL of the inspections module. Every function runs on the `sql`/`tx` it is given. */

const hhmm = (col: string) => `to_char(${col}, 'HH24:MI')`;

// ---------------------------------------------------------------------------
// Vehicles of a user
// ---------------------------------------------------------------------------

export type UserVehicleRow = {
  id: string; plate_no: string | null; plate_kind: string; vehicle_type: string; brand_model: string; states: string[];
  inspection_valid_until: string | null; axle_load_kg: number | null; brake_type: string | null;
  city_id: string; city_name: string; province_id: string | null; binding: 'own' | 'non_own' | 'organisation';
  active_booking_id: string | null;
};

const vehicleColumns = (db: Db) => db`
  v.id, v.plate_no, v.plate_kind, v.vehicle_type, v.brand_model, v.states, v.inspection_valid_until, v.axle_load_kg, v.brake_type,
  v.registration_authority_id AS city_id, a.name AS city_name, a.parent_id AS province_id, b.kind AS binding,
  (SELECT ib.id FROM inspection_booking ib WHERE ib.vehicle_id = v.id AND ib.status = 'booked') AS active_booking_id`;

/** One bound vehicle of the user, or nothing (R-35.1: another user's vehicle is "not found"). */
export async function userVehicle(db: Db, userId: string, vehicleId: string): Promise<UserVehicleRow | undefined> {
  const [row] = await db<UserVehicleRow[]>`
    SELECT ${vehicleColumns(db)}
    FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id JOIN authority a ON a.id = v.registration_authority_id
    WHERE b.user_account_id = ${userId} AND b.vehicle_id = ${vehicleId} AND b.unbound_at IS NULL`;
  return row;
}

export async function userVehicles(db: Db, userId: string): Promise<UserVehicleRow[]> {
  return db<UserVehicleRow[]>`
    SELECT ${vehicleColumns(db)}
    FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id JOIN authority a ON a.id = v.registration_authority_id
    WHERE b.user_account_id = ${userId} AND b.unbound_at IS NULL
    ORDER BY b.kind, v.plate_no NULLS LAST`;
}

export async function userStatus(db: Db, userId: string): Promise<{ status: string; phone: string } | undefined> {
  const [row] = await db<{ status: string; phone: string }[]>`SELECT status, phone FROM user_account WHERE id = ${userId}`;
  return row;
}

// ---------------------------------------------------------------------------
// Slots with their station, city switch and the cross-city offer in force
// ---------------------------------------------------------------------------

export type SlotContextRow = {
  id: string; station_id: string; day: string; starts_at: string; ends_at: string; capacity: number; booked: number; cross_city_booked: number;
  status: 'open' | 'closed' | 'suspended';
  station_name: string; station_address: string; station_phone: string | null; station_city: string; station_city_name: string; station_province: string | null;
  station_status: 'active' | 'suspended' | 'withdrawn'; vehicle_types: string[]; max_axle_load_kg: number | null; brake_types: string[];
  latitude: string | null; longitude: string | null; city_booking_enabled: boolean;
  offer_quota: number | null; offer_vehicle_types: string[] | null; offer_max_axle_load_kg: number | null; offer_brake_types: string[] | null;
};

const slotContextColumns = (db: Db) => db`
  s.id, s.station_id, s.day, ${db.unsafe(hhmm('s.starts_at'))} AS starts_at, ${db.unsafe(hhmm('s.ends_at'))} AS ends_at,
  s.capacity, s.booked, s.cross_city_booked, s.status,
  st.name AS station_name, st.address AS station_address, st.phone AS station_phone, st.authority_id AS station_city, ca.name AS station_city_name,
  ca.parent_id AS station_province, st.status AS station_status, st.vehicle_types, st.max_axle_load_kg, st.brake_types,
  st.latitude::text AS latitude, st.longitude::text AS longitude, COALESCE(cs.booking_enabled, false) AS city_booking_enabled,
  o.quota_per_slot AS offer_quota, o.vehicle_types AS offer_vehicle_types, o.max_axle_load_kg AS offer_max_axle_load_kg, o.brake_types AS offer_brake_types`;

const slotContextFrom = (db: Db) => db`
  FROM inspection_slot s
  JOIN inspection_station st ON st.id = s.station_id
  JOIN authority ca ON ca.id = st.authority_id
  LEFT JOIN inspection_city_setting cs ON cs.authority_id = st.authority_id
  LEFT JOIN LATERAL (
    SELECT o.quota_per_slot, o.vehicle_types, o.max_axle_load_kg, o.brake_types FROM inspection_cross_city_offer o
    WHERE o.province_id = ca.parent_id AND o.station_id = s.station_id AND s.day BETWEEN o.from_day AND o.to_day
    ORDER BY o.quota_per_slot DESC LIMIT 1
  ) o ON true`;

export async function slotContext(db: Db, slotId: string): Promise<SlotContextRow | undefined> {
  const [row] = await db<SlotContextRow[]>`SELECT ${slotContextColumns(db)} ${slotContextFrom(db)} WHERE s.id = ${slotId}`;
  return row;
}

/**
 * Open slots at active stations of cities that offer booking, in a day range:
 * those of `city`, and those of other cities of `province` that the province's
 * published plan lists for that day. The rules decide per vehicle.
 */
export async function openSlots(
  db: Db,
  f: { city: string; province: string | null; from: string; to: string; excludeStationId?: string; onlyFree?: boolean; limit?: number },
): Promise<SlotContextRow[]> {
  return db<SlotContextRow[]>`
    SELECT ${slotContextColumns(db)} ${slotContextFrom(db)}
    WHERE s.status = 'open' AND st.status = 'active' AND cs.booking_enabled
      AND s.day BETWEEN ${f.from} AND ${f.to}
      AND (st.authority_id = ${f.city} OR (ca.parent_id = ${f.province} AND o.quota_per_slot IS NOT NULL))
      ${f.excludeStationId ? db`AND s.station_id <> ${f.excludeStationId}` : db``}
      ${f.onlyFree ? db`AND s.booked < s.capacity` : db``}
    ORDER BY (st.authority_id = ${f.city}) DESC, st.name, s.day, s.starts_at
    LIMIT ${f.limit ?? 2000}`;
}

// ---------------------------------------------------------------------------
// The contested counters (ADR-011)
// ---------------------------------------------------------------------------

/**
 * Takes one place: one conditional UPDATE, so two bookings can never both see
 * the last place (the row lock makes the second re-check `booked < capacity`
 * on the new row version). `status = 'open'` is re-checked the same way, so a
 * closure or suspension that locked the row first stops the booking.
 * A cross-city booking also needs a place of the plan's per-slot quota.
 */
export async function claimPlace(db: Db, slotId: string, crossCityQuota: number | null, now: Date): Promise<{ booked: number; capacity: number } | undefined> {
  const cross = crossCityQuota !== null;
  const [row] = await db<{ booked: number; capacity: number }[]>`
    UPDATE inspection_slot
    SET booked = booked + 1, cross_city_booked = cross_city_booked + ${cross ? 1 : 0}, updated_at = ${now}
    WHERE id = ${slotId} AND status = 'open' AND booked < capacity
      ${cross ? db`AND cross_city_booked < ${crossCityQuota}` : db``}
    RETURNING booked, capacity`;
  return row;
}

/**
 * Everything a booking decides on, in one statement (one round trip, one plan):
 * the bound vehicle, the slot in its context, the account, and the stored
 * Idempotency-Key if the request carries one. Each as JSON (dates as
 * 'YYYY-MM-DD', as the `date` parser gives them elsewhere). With a deferred
 * session (http/auth.ts, ADR-017) the statement reads the session too,
 * and "the citizen" is that session's user (`me`).
 */
export async function bookingInputs(db: Db, who: { userId: string } | { sessionId: string }, vehicleId: string, slotId: string, idem: IdempotencyContext | undefined) {
  const deferred = 'sessionId' in who;
  const me = deferred ? db`(SELECT user_id FROM me)` : db`${who.userId}::uuid`;
  const [row] = await db<{ session: Record<string, unknown> | null; vehicle: UserVehicleRow | null; slot: SlotContextRow | null; account: { status: string; phone: string } | null; idem: StoredKey | null }[]>`
    ${deferred ? db`WITH me AS (${userSessionQuery(db, who.sessionId)})` : db``}
    SELECT
      ${deferred ? db`(SELECT to_json(me) FROM me)` : db`NULL::json`} AS session,
      (SELECT to_json(x) FROM (SELECT ${vehicleColumns(db)}
         FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id JOIN authority a ON a.id = v.registration_authority_id
         WHERE b.user_account_id = ${me} AND b.vehicle_id = ${vehicleId} AND b.unbound_at IS NULL) x) AS vehicle,
      (SELECT to_json(x) FROM (SELECT ${slotContextColumns(db)} ${slotContextFrom(db)} WHERE s.id = ${slotId}) x) AS slot,
      (SELECT json_build_object('status', status, 'phone', phone) FROM user_account WHERE id = ${me}) AS account,
      ${idempotencyLookup(db, idem, deferred ? db`'user:' || (SELECT user_id FROM me)` : undefined)} AS idem`;
  return row!;
}

/** One request's inputs of {@link bookingInputsBatch}: the deferred session or the signed-in user, the vehicle, the slot, the key. */
export type BookingInputsRequest = {
  who: { userId: string } | { sessionId: string }; vehicleId: string; slotId: string; idem: IdempotencyContext | undefined;
};
export type BookingInputs = Awaited<ReturnType<typeof bookingInputs>>;

/**
 * {@link bookingInputs} of many requests in ONE statement (issue 23, ADR-040
 * "Reads"): the same subqueries, each request's values taken from its row of
 * the JSON input instead of from parameters of its own. A read, lock-free
 * (READ COMMITTED, one snapshot for the batch): nothing a request decides from
 * it differs from what its own statement would have read a moment earlier or
 * later. One row per request, in the requests' order. `LIMIT 1` keeps the
 * session a lookup by key per request (ADR-040 "Batched reads look up by key").
 */
export async function bookingInputsBatch(db: Db, reqs: BookingInputsRequest[]): Promise<BookingInputs[]> {
  const input = reqs.map((r, n) => ({
    n,
    session_id: 'sessionId' in r.who ? r.who.sessionId : null,
    user_id: 'userId' in r.who ? r.who.userId : null,
    vehicle_id: r.vehicleId,
    slot_id: r.slotId,
    idem_key: r.idem?.key ?? null,
    idem_principal: r.idem?.principal ?? null,
  }));
  const me = db`u.uid`;
  const rows = await db<(BookingInputs & { n: number })[]>`
    SELECT i.n,
      CASE WHEN me.id IS NULL THEN NULL ELSE to_json(me) END AS session,
      (SELECT to_json(x) FROM (SELECT ${vehicleColumns(db)}
         FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id JOIN authority a ON a.id = v.registration_authority_id
         WHERE b.user_account_id = ${me} AND b.vehicle_id = i.vehicle_id AND b.unbound_at IS NULL) x) AS vehicle,
      (SELECT to_json(x) FROM (SELECT ${slotContextColumns(db)} ${slotContextFrom(db)} WHERE s.id = i.slot_id) x) AS slot,
      (SELECT json_build_object('status', status, 'phone', phone) FROM user_account WHERE id = ${me}) AS account,
      CASE WHEN i.idem_key IS NULL THEN NULL ELSE ${storedKeyQuery(db, db`COALESCE(i.idem_principal, 'user:' || u.uid)`, db`i.idem_key`)} END AS idem
    FROM jsonb_to_recordset(${db.json(input)})
      AS i(n int, session_id text, user_id uuid, vehicle_id uuid, slot_id uuid, idem_key text, idem_principal text)
    LEFT JOIN LATERAL (${userSessionQuery(db, db`i.session_id`)} LIMIT 1) me ON i.session_id IS NOT NULL
    CROSS JOIN LATERAL (SELECT COALESCE(i.user_id, me.user_id) AS uid) u
    ORDER BY i.n`;
  return rows.map(({ n: _n, ...r }) => r);
}

/**
 * A booking in one statement: the conditional UPDATE takes the place (R-36.2.1,
 * ADR-011) and, only if it did, the booking row, its audit row, its
 * SMS and the finished Idempotency-Key are written — atomically, with no
 * BEGIN/COMMIT round trips. No row back: no place (the slot was taken, closed
 * or its cross-city quota used up meanwhile). A second active booking of the
 * vehicle or a reused key fails the whole statement on its unique index.
 */
export async function bookAtomically(
  db: Db,
  b: { id: string; code: string; vehicleId: string; userId: string; slotId: string; stationId: string; crossCityQuota: number | null; now: Date; closeAt: Date },
  also: { audit: ReturnType<Db['unsafe']>; sms: ReturnType<Db['unsafe']>; idempotency: ReturnType<Db['unsafe']> | null },
): Promise<{ booked: number; capacity: number } | undefined> {
  const cross = b.crossCityQuota !== null;
  const [row] = await db<{ booked: number; capacity: number }[]>`
    WITH claimed AS (
      UPDATE inspection_slot
      SET booked = booked + 1, cross_city_booked = cross_city_booked + ${cross ? 1 : 0}, updated_at = ${b.now}
      WHERE id = ${b.slotId} AND status = 'open' AND booked < capacity
        ${cross ? db`AND cross_city_booked < ${b.crossCityQuota}` : db``}
      RETURNING booked, capacity
    ), booking AS (
      INSERT INTO inspection_booking (id, code, vehicle_id, user_account_id, slot_id, station_id, cross_city, status, moved_from_id, created_at, updated_at)
      SELECT ${b.id}, ${b.code}, ${b.vehicleId}, ${b.userId}, ${b.slotId}, ${b.stationId}, ${cross}, 'booked', NULL, ${b.now}, ${b.now} FROM claimed
    ), day_close AS (${closeJobInsert(db, b.id, b.closeAt, b.now)} FROM claimed
    ), audit AS (${also.audit}
    ), ${also.sms}${also.idempotency ? db`, idem AS (${also.idempotency} FROM claimed)` : db``}
    SELECT booked, capacity FROM claimed`;
  return row;
}

/**
 * One booking of a group-committed batch (ADR-040): what
 * {@link bookAtomically} writes, as JSON for `inspection_book_batch`
 * (migration 0024). The audit snapshot comes masked by the bff.
 */
export type BatchedBooking = {
  id: string; code: string; vehicleId: string; userId: string; slotId: string; stationId: string; quota: number | null; at: Date; closeAt: Date;
  audit: { actorKind: string; actorId: string | null; actorLabel: string | null; authorityId: string | null; after: unknown; requestId: string; ip: string };
  sms: { recipient: string; payload: Record<string, unknown>; authorityId: string };
  idem: { principal: string; key: string; method: string; path: string; hash: string; body: string; type: string } | null;
};

/** What the batch decided for one booking, in arrival order. */
export type BatchOutcome =
  | { outcome: 'booked'; placesBooked: number; places: number }
  | { outcome: 'replay'; storedKey: StoredKey }
  | { outcome: 'vehicle_booked' }
  | { outcome: 'no_place'; placesBooked: number | null; places: number | null; crossBooked: number | null; slotStatus: string | null; storedKey: StoredKey | null };

/**
 * Books a batch in ONE statement (one round trip, one commit): each booking
 * decided in arrival order by the same guards as {@link bookAtomically} — the
 * stored key, one active booking per vehicle, the conditional slot UPDATE —
 * and each winner's booking, day-close job, audit row, SMS and finished key
 * written with it. A concurrent transaction's booking of the same vehicle (or
 * key) fails the whole statement on its unique index: nothing of it commits,
 * and the caller splits the batch (platform/group-commit.ts).
 */
export async function bookBatch(db: Db, members: BatchedBooking[]): Promise<BatchOutcome[]> {
  const rows = await db<{ n: number; outcome: BatchOutcome['outcome']; places_booked: number | null; places: number | null; cross_booked: number | null; slot_status: string | null; stored_key: StoredKey | null }[]>`
    SELECT n, outcome, places_booked, places, cross_booked, slot_status, stored_key FROM inspection_book_batch(${db.json(members as unknown as Parameters<Db['json']>[0])})`;
  const out: BatchOutcome[] = new Array(members.length);
  for (const r of rows) {
    out[r.n - 1] = r.outcome === 'booked' ? { outcome: 'booked', placesBooked: r.places_booked!, places: r.places! }
      : r.outcome === 'replay' ? { outcome: 'replay', storedKey: r.stored_key! }
      : r.outcome === 'vehicle_booked' ? { outcome: 'vehicle_booked' }
      : { outcome: 'no_place', placesBooked: r.places_booked, places: r.places, crossBooked: r.cross_booked, slotStatus: r.slot_status, storedKey: r.stored_key };
  }
  if (rows.length !== members.length) throw new Error(`inspection_book_batch: ${members.length} bookings, ${rows.length} outcomes`);
  return out;
}

/** A stored Idempotency-Key of this principal, read inside the caller's transaction (the move, ADR-015). */
export async function storedKey(db: Db, idem: IdempotencyContext): Promise<StoredKey | null> {
  const [row] = await db<{ idem: StoredKey | null }[]>`SELECT ${idempotencyLookup(db, idem)} AS idem`;
  return row?.idem ?? null;
}

/** A booking's code is unique: a random code drawn twice is refused here and drawn again (ADR-041). */
export const BOOKING_CODE_KEY = 'inspection_booking_code_key';

/** The job kind that ends a booking still active after its day (issue 18, ADR-025). */
export const CLOSE_PASSED_JOB = 'inspections.close_passed';

/**
 * The durable job that ends the booking once its day has passed, as
 * `INSERT … SELECT` for the booking's own statement (the caller appends the
 * FROM). The same row `enqueueJob` would write (platform/jobs.ts).
 */
export function closeJobInsert(db: Db, bookingId: string, runAt: Date, now: Date) {
  return db`INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
    SELECT ${CLOSE_PASSED_JOB}, ${db.json({ bookingId })}, ${runAt}, ${bookingId}, 10, ${now}`;
}

/** Why a booking found no place, and the key a concurrent duplicate may have stored meanwhile. */
export async function afterLostPlace(db: Db, slotId: string, idempotency: ReturnType<typeof idempotencyLookup>) {
  const [row] = await db<{ booked: number | null; capacity: number | null; cross_city_booked: number | null; status: string | null; idem: StoredKey | null }[]>`
    SELECT s.booked, s.capacity, s.cross_city_booked, s.status, ${idempotency} AS idem
    FROM (SELECT 1) one LEFT JOIN inspection_slot s ON s.id = ${slotId}`;
  return row!;
}

/** Gives a place back at once (cancellation, move). */
export async function releasePlace(db: Db, slotId: string, crossCity: boolean, now: Date): Promise<void> {
  await db`
    UPDATE inspection_slot SET booked = booked - 1, cross_city_booked = cross_city_booked - ${crossCity ? 1 : 0}, updated_at = ${now}
    WHERE id = ${slotId}`;
}

export async function slotCounters(db: Db, slotId: string) {
  const [row] = await db<{ booked: number; capacity: number; cross_city_booked: number; status: string }[]>`
    SELECT booked, capacity, cross_city_booked, status FROM inspection_slot WHERE id = ${slotId}`;
  return row;
}

// ---------------------------------------------------------------------------
// Bookings
// ---------------------------------------------------------------------------

export async function insertBooking(
  db: Db,
  b: { id: string; code: string; vehicleId: string; userId: string; slotId: string; stationId: string; crossCity: boolean; movedFromId?: string | null; now: Date },
): Promise<void> {
  await db`
    INSERT INTO inspection_booking (id, code, vehicle_id, user_account_id, slot_id, station_id, cross_city, status, moved_from_id, created_at, updated_at)
    VALUES (${b.id}, ${b.code}, ${b.vehicleId}, ${b.userId}, ${b.slotId}, ${b.stationId}, ${b.crossCity}, 'booked', ${b.movedFromId ?? null}, ${b.now}, ${b.now})`;
}

export type BookingRow = {
  id: string; code: string; status: 'booked' | 'cancelled' | 'moved' | 'completed' | 'no_show'; cancelled_reason: string | null;
  disruption: string | null; disrupted_at: Date | null; cross_city: boolean; moved_from_id: string | null; created_at: Date; ended_at: Date | null;
  arrived_at: Date | null; user_account_id: string; user_phone: string;
  vehicle_id: string; plate_no: string | null; brand_model: string; vehicle_type: string;
  slot_id: string; day: string; starts_at: string; ends_at: string;
  station_id: string; station_name: string; station_address: string; station_phone: string | null; station_city: string; station_city_name: string;
  latitude: string | null; longitude: string | null;
};

const bookingSelect = (db: Db) => db`
  SELECT ib.id, ib.code, ib.status, ib.cancelled_reason, ib.disruption, ib.disrupted_at, ib.cross_city, ib.moved_from_id, ib.created_at, ib.ended_at,
         ib.arrived_at, ib.user_account_id, ua.phone AS user_phone,
         ib.vehicle_id, v.plate_no, v.brand_model, v.vehicle_type,
         ib.slot_id, s.day, ${db.unsafe(hhmm('s.starts_at'))} AS starts_at, ${db.unsafe(hhmm('s.ends_at'))} AS ends_at,
         ib.station_id, st.name AS station_name, st.address AS station_address, st.phone AS station_phone, st.authority_id AS station_city, ca.name AS station_city_name,
         st.latitude::text AS latitude, st.longitude::text AS longitude
  FROM inspection_booking ib
  JOIN user_account ua ON ua.id = ib.user_account_id
  JOIN vehicle v ON v.id = ib.vehicle_id
  JOIN inspection_slot s ON s.id = ib.slot_id
  JOIN inspection_station st ON st.id = ib.station_id
  JOIN authority ca ON ca.id = st.authority_id`;

/** A user's booking; `lock` takes the row for a state change (cancel, move). */
export async function userBooking(db: Db, userId: string, bookingId: string, lock = false): Promise<BookingRow | undefined> {
  const [row] = await db<BookingRow[]>`
    ${bookingSelect(db)} WHERE ib.id = ${bookingId} AND ib.user_account_id = ${userId} ${lock ? db`FOR UPDATE OF ib` : db``}`;
  return row;
}

export async function userBookings(db: Db, userId: string, limit = 100): Promise<BookingRow[]> {
  return db<BookingRow[]>`${bookingSelect(db)} WHERE ib.user_account_id = ${userId} ORDER BY ib.created_at DESC, ib.id LIMIT ${limit}`;
}

export async function bookingById(db: Db, bookingId: string, lock = false): Promise<BookingRow | undefined> {
  const [row] = await db<BookingRow[]>`${bookingSelect(db)} WHERE ib.id = ${bookingId} ${lock ? db`FOR UPDATE OF ib` : db``}`;
  return row;
}

/** Ends an active booking; nothing when it is no longer active (a concurrent cancel won). */
export async function endBooking(
  db: Db, bookingId: string, status: 'cancelled' | 'moved' | 'completed' | 'no_show', cancelledReason: string | null, now: Date,
): Promise<{ slot_id: string; cross_city: boolean } | undefined> {
  const [row] = await db<{ slot_id: string; cross_city: boolean }[]>`
    UPDATE inspection_booking SET status = ${status}, cancelled_reason = ${cancelledReason}, ended_at = ${now}, updated_at = ${now}
    WHERE id = ${bookingId} AND status = 'booked'
    RETURNING slot_id, cross_city`;
  return row;
}

/** The roster's 到场 mark: once, on an active booking. */
export async function markArrived(db: Db, bookingId: string, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE inspection_booking SET arrived_at = ${now}, updated_at = ${now}
    WHERE id = ${bookingId} AND status = 'booked' AND arrived_at IS NULL RETURNING id`;
  return rows.length > 0;
}

/** A no-show corrected to done (the vehicle was inspected but not recorded in time); no place changes hands. */
export async function correctNoShow(db: Db, bookingId: string, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE inspection_booking SET status = 'completed', updated_at = ${now}
    WHERE id = ${bookingId} AND status = 'no_show' RETURNING id`;
  return rows.length > 0;
}

export type RosterRow = BookingRow & { booker_name: string | null };

/** A station's bookings of one day (R-36.3 the day roster), by slot; moved-away bookings left out. */
export async function rosterBookings(db: Db, scope: StationScope, day: string, f: { status?: string; q?: string } = {}): Promise<RosterRow[]> {
  return db<RosterRow[]>`
    SELECT b.*, COALESCE(o.name, p.name) AS booker_name FROM (${bookingSelect(db)}
      WHERE ${scopeWhere(db, scope)} AND s.day = ${day} AND ib.status <> 'moved'
      ${f.status ? db`AND ib.status = ${f.status}` : db``}
      ${f.q ? db`AND (ib.code ILIKE ${'%' + f.q + '%'} OR v.plate_no ILIKE ${'%' + f.q + '%'})` : db``}) b
    JOIN user_account u ON u.id = b.user_account_id
    LEFT JOIN person p ON p.id = u.person_id
    LEFT JOIN organisation o ON o.id = u.organisation_id
    ORDER BY b.starts_at, b.created_at, b.id`;
}

/** Reopens a slot closed by mistake (R-36.5): the row lock is taken by the caller's FOR UPDATE. */
export async function reopenSlot(db: Db, slotId: string, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE inspection_slot SET status = 'open', closure_id = NULL, updated_at = ${now}
    WHERE id = ${slotId} AND status = 'closed' RETURNING id`;
  return rows.length > 0;
}

/** The bookings a reopened slot serves again: their closure mark goes. */
export async function clearSlotDisruption(db: Db, slotId: string, now: Date): Promise<BookingRow[]> {
  const ids = await db<{ id: string }[]>`
    UPDATE inspection_booking SET disruption = NULL, disrupted_at = NULL, updated_at = ${now}
    WHERE slot_id = ${slotId} AND status = 'booked' AND disruption = 'slot_closed'
    RETURNING id`;
  if (ids.length === 0) return [];
  return db<BookingRow[]>`${bookingSelect(db)} WHERE ib.id = ANY(${ids.map((r) => r.id)}::uuid[]) ORDER BY ib.created_at`;
}

/** Marks the active bookings of some slots as disrupted; returns them for the SMS. */
export async function disruptBookings(db: Db, where: { slotIds?: string[]; stationId?: string; fromDay?: string }, disruption: string, now: Date): Promise<BookingRow[]> {
  const ids = await db<{ id: string }[]>`
    UPDATE inspection_booking ib SET disruption = ${disruption}, disrupted_at = ${now}, updated_at = ${now}
    FROM inspection_slot s
    WHERE s.id = ib.slot_id AND ib.status = 'booked'
      ${where.slotIds ? db`AND ib.slot_id = ANY(${where.slotIds}::uuid[])` : db``}
      ${where.stationId ? db`AND ib.station_id = ${where.stationId}` : db``}
      ${where.fromDay ? db`AND s.day >= ${where.fromDay}` : db``}
    RETURNING ib.id`;
  if (ids.length === 0) return [];
  return db<BookingRow[]>`${bookingSelect(db)} WHERE ib.id = ANY(${ids.map((r) => r.id)}::uuid[]) ORDER BY s.day, s.starts_at, ib.created_at`;
}

/** The newest `n` active bookings of a slot (capacity reduction displaces the latest bookers). */
export async function newestActiveBookings(db: Db, slotId: string, n: number): Promise<BookingRow[]> {
  if (n <= 0) return [];
  return db<BookingRow[]>`${bookingSelect(db)} WHERE ib.slot_id = ${slotId} AND ib.status = 'booked' ORDER BY ib.created_at DESC, ib.id DESC LIMIT ${n} FOR UPDATE OF ib`;
}

export async function moveBookingsToSlot(db: Db, bookingIds: string[], target: { slotId: string; stationId: string }, now: Date): Promise<void> {
  await db`
    UPDATE inspection_booking SET slot_id = ${target.slotId}, station_id = ${target.stationId}, updated_at = ${now}
    WHERE id = ANY(${bookingIds}::uuid[]) AND status = 'booked'`;
}

export async function linkMove(db: Db, oldId: string, newId: string): Promise<void> {
  await db`UPDATE inspection_booking SET moved_from_id = ${oldId} WHERE id = ${newId}`;
}

// ---------------------------------------------------------------------------
// Staff: scope
// ---------------------------------------------------------------------------

export async function authorityOf(db: Db, id: string) {
  const [row] = await db<{ id: string; name: string; level: 'province' | 'city'; parent_id: string | null }[]>`
    SELECT id, name, level, parent_id FROM authority WHERE id = ${id}`;
  return row;
}

/** Which stations a staff scope covers: one station, one city's, or a province's. */
export type StationScope = { stationId: string } | { cityId: string } | { provinceId: string };

const scopeWhere = (db: Db, scope: StationScope, alias = 'st') => {
  if ('stationId' in scope) return db`${db.unsafe(alias)}.id = ${scope.stationId}`;
  if ('cityId' in scope) return db`${db.unsafe(alias)}.authority_id = ${scope.cityId}`;
  return db`${db.unsafe(alias)}.authority_id IN (SELECT id FROM authority WHERE parent_id = ${scope.provinceId})`;
};

// ---------------------------------------------------------------------------
// Staff: stations and schedules
// ---------------------------------------------------------------------------

export type StationRow = {
  id: string; name: string; authority_id: string; city_name: string; province_id: string | null; address: string; phone: string | null;
  latitude: string | null; longitude: string | null; status: 'active' | 'suspended' | 'withdrawn';
  vehicle_types: string[]; max_axle_load_kg: number | null; brake_types: string[];
  opening_days: number[] | null; times: { startsAt: string; endsAt: string; capacity: number }[] | null; pending_bookings: number;
};

const stationSelect = (db: Db) => db`
  SELECT st.id, st.name, st.authority_id, a.name AS city_name, a.parent_id AS province_id, st.address, st.phone,
         st.latitude::text AS latitude, st.longitude::text AS longitude, st.status, st.vehicle_types, st.max_axle_load_kg, st.brake_types,
         sc.opening_days,
         (SELECT json_agg(json_build_object('startsAt', ${db.unsafe(hhmm('t.starts_at'))}, 'endsAt', ${db.unsafe(hhmm('t.ends_at'))}, 'capacity', t.capacity) ORDER BY t.starts_at)
            FROM inspection_schedule_time t WHERE t.station_id = st.id) AS times,
         (SELECT count(*)::int FROM inspection_booking ib WHERE ib.station_id = st.id AND ib.status = 'booked' AND ib.disruption IS NOT NULL) AS pending_bookings
  FROM inspection_station st
  JOIN authority a ON a.id = st.authority_id
  LEFT JOIN inspection_schedule sc ON sc.station_id = st.id`;

export async function stationsInScope(db: Db, scope: StationScope): Promise<StationRow[]> {
  return db<StationRow[]>`${stationSelect(db)} WHERE ${scopeWhere(db, scope)} ORDER BY st.authority_id, st.name`;
}

export async function stationInScope(db: Db, scope: StationScope, id: string, lock = false): Promise<StationRow | undefined> {
  const [row] = await db<StationRow[]>`${stationSelect(db)} WHERE st.id = ${id} AND ${scopeWhere(db, scope)} ${lock ? db`FOR UPDATE OF st` : db``}`;
  return row;
}

export async function saveSchedule(
  db: Db, stationId: string,
  s: { openingDays: number[]; times: { startsAt: string; endsAt: string; capacity: number }[]; vehicleTypes: string[]; maxAxleLoadKg: number | null; brakeTypes: string[] },
  staffId: string, now: Date,
): Promise<void> {
  await db`
    UPDATE inspection_station SET vehicle_types = ${s.vehicleTypes}, max_axle_load_kg = ${s.maxAxleLoadKg}, brake_types = ${s.brakeTypes}
    WHERE id = ${stationId}`;
  await db`
    INSERT INTO inspection_schedule (station_id, opening_days, updated_by, updated_at)
    VALUES (${stationId}, ${s.openingDays}::smallint[], ${staffId}, ${now})
    ON CONFLICT (station_id) DO UPDATE SET opening_days = EXCLUDED.opening_days, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`;
  await db`DELETE FROM inspection_schedule_time WHERE station_id = ${stationId}`;
  if (s.times.length > 0) {
    await db`
      INSERT INTO inspection_schedule_time (station_id, starts_at, ends_at, capacity)
      SELECT ${stationId}, x.starts_at::time, x.ends_at::time, x.capacity
      FROM unnest(${s.times.map((t) => t.startsAt)}::text[], ${s.times.map((t) => t.endsAt)}::text[], ${s.times.map((t) => t.capacity)}::int[])
        AS x(starts_at, ends_at, capacity)`;
  }
}

export async function setStationStatus(db: Db, stationId: string, status: string): Promise<void> {
  await db`UPDATE inspection_station SET status = ${status} WHERE id = ${stationId}`;
}

export async function insertStatusChange(
  db: Db, c: { stationId: string; from: string; to: string; reason: string; note: string; pending: number; staffId: string; now: Date },
): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO inspection_station_status_change (station_id, from_status, to_status, reason, note, pending_bookings, changed_by, changed_at)
    VALUES (${c.stationId}, ${c.from}, ${c.to}, ${c.reason}, ${c.note}, ${c.pending}, ${c.staffId}, ${c.now})
    RETURNING id`;
  return row!.id;
}

/** Suspension stops new bookings at once: every future open slot of the station is locked and marked. */
export async function suspendSlots(db: Db, stationId: string, fromDay: string, now: Date): Promise<number> {
  const rows = await db`
    UPDATE inspection_slot SET status = 'suspended', updated_at = ${now}
    WHERE station_id = ${stationId} AND day >= ${fromDay} AND status = 'open'
    RETURNING id`;
  return rows.length;
}

export async function resumeSlots(db: Db, stationId: string, fromDay: string, now: Date): Promise<number> {
  const rows = await db`
    UPDATE inspection_slot SET status = 'open', updated_at = ${now}
    WHERE station_id = ${stationId} AND day >= ${fromDay} AND status = 'suspended'
    RETURNING id`;
  return rows.length;
}

/** The public notice board of R-36.6. */
export async function statusNotices(db: Db, limit = 50) {
  return db<{ id: string; station_id: string; station_name: string; city_name: string; from_status: string; to_status: string; reason: string; note: string; pending_bookings: number; changed_at: Date }[]>`
    SELECT c.id, c.station_id, st.name AS station_name, a.name AS city_name, c.from_status, c.to_status, c.reason, c.note, c.pending_bookings, c.changed_at
    FROM inspection_station_status_change c JOIN inspection_station st ON st.id = c.station_id JOIN authority a ON a.id = st.authority_id
    ORDER BY c.changed_at DESC, c.id LIMIT ${limit}`;
}

// ---------------------------------------------------------------------------
// Staff: slots
// ---------------------------------------------------------------------------

/** Creates the planned slots; existing (station, day, start) slots are left as they are. */
export async function insertSlots(db: Db, stationId: string, slots: { day: string; startsAt: string; endsAt: string; capacity: number }[], now: Date): Promise<number> {
  if (slots.length === 0) return 0;
  const rows = await db`
    INSERT INTO inspection_slot (station_id, day, starts_at, ends_at, capacity, created_at, updated_at)
    SELECT ${stationId}, x.day::date, x.starts_at::time, x.ends_at::time, x.capacity, ${now}, ${now}
    FROM unnest(${slots.map((s) => s.day)}::text[], ${slots.map((s) => s.startsAt)}::text[], ${slots.map((s) => s.endsAt)}::text[], ${slots.map((s) => s.capacity)}::int[])
      AS x(day, starts_at, ends_at, capacity)
    ON CONFLICT (station_id, day, starts_at) DO NOTHING
    RETURNING id`;
  return rows.length;
}

export type StaffSlotRow = {
  id: string; station_id: string; station_name: string; day: string; starts_at: string; ends_at: string; capacity: number; booked: number;
  cross_city_booked: number; status: string; closure_reason: string | null; closure_note: string | null; total: number;
};

const SLOT_SORT: Record<string, string> = { day: 's.day', capacity: 's.capacity', booked: 's.booked', status: 's.status', stationName: 'st.name' };

export async function listSlots(db: Db, scope: StationScope, q: ListQuery): Promise<{ rows: StaffSlotRow[]; total: number }> {
  const f = q.filter;
  const from = filterString(f, 'from');
  const to = filterString(f, 'to');
  const day = filterString(f, 'day');
  const status = filterString(f, 'status');
  const stationId = filterString(f, 'stationId');
  const ids = Array.isArray(f.id) ? (f.id as unknown[]).filter((x): x is string => typeof x === 'string' && UUID.test(x)) : null;
  const where = db`
    WHERE ${scopeWhere(db, scope)}
    ${from && isPlatformDay(from) ? db`AND s.day >= ${from}` : db``}
    ${to && isPlatformDay(to) ? db`AND s.day <= ${to}` : db``}
    ${day && isPlatformDay(day) ? db`AND s.day = ${day}` : db``}
    ${status ? db`AND s.status = ${status}` : db``}
    ${stationId && UUID.test(stationId) ? db`AND s.station_id = ${stationId}` : db``}
    ${ids ? db`AND s.id = ANY(${ids}::uuid[])` : db``}`;
  const column = SLOT_SORT[q.sortField] ?? 's.day';
  const rows = await db<StaffSlotRow[]>`
    SELECT s.id, s.station_id, st.name AS station_name, s.day, ${db.unsafe(hhmm('s.starts_at'))} AS starts_at, ${db.unsafe(hhmm('s.ends_at'))} AS ends_at,
           s.capacity, s.booked, s.cross_city_booked, s.status, c.reason AS closure_reason, c.note AS closure_note, count(*) OVER ()::int AS total
    FROM inspection_slot s JOIN inspection_station st ON st.id = s.station_id LEFT JOIN inspection_slot_closure c ON c.id = s.closure_id
    ${where}
    ORDER BY ${db.unsafe(column)} ${q.sortDesc ? db`DESC` : db`ASC`}, s.day, s.starts_at, st.name
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const total = rows[0]?.total ?? (q.offset > 0
    ? (await db<{ n: number }[]>`SELECT count(*)::int AS n FROM inspection_slot s JOIN inspection_station st ON st.id = s.station_id ${where}`)[0]!.n
    : 0);
  return { rows, total };
}

export async function slotInScope(db: Db, scope: StationScope, id: string, lock = false): Promise<Omit<StaffSlotRow, 'total'> | undefined> {
  const [row] = await db<Omit<StaffSlotRow, 'total'>[]>`
    SELECT s.id, s.station_id, st.name AS station_name, s.day, ${db.unsafe(hhmm('s.starts_at'))} AS starts_at, ${db.unsafe(hhmm('s.ends_at'))} AS ends_at,
           s.capacity, s.booked, s.cross_city_booked, s.status, c.reason AS closure_reason, c.note AS closure_note
    FROM inspection_slot s JOIN inspection_station st ON st.id = s.station_id LEFT JOIN inspection_slot_closure c ON c.id = s.closure_id
    WHERE s.id = ${id} AND ${scopeWhere(db, scope)} ${lock ? db`FOR UPDATE OF s` : db``}`;
  return row;
}

/** Capacity change guarded in SQL: never below what is booked at the moment of the update. */
export async function setCapacity(db: Db, slotId: string, capacity: number, now: Date): Promise<boolean> {
  const rows = await db`UPDATE inspection_slot SET capacity = ${capacity}, updated_at = ${now} WHERE id = ${slotId} AND booked <= ${capacity} RETURNING id`;
  return rows.length > 0;
}

export async function insertClosure(db: Db, c: { stationId: string; reason: string; note: string; staffId: string; now: Date }): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO inspection_slot_closure (station_id, reason, note, closed_by, closed_at)
    VALUES (${c.stationId}, ${c.reason}, ${c.note}, ${c.staffId}, ${c.now}) RETURNING id`;
  return row!.id;
}

/** Closes open slots (R-36.5); the row locks stop any booking still in flight on them. */
export async function closeSlots(db: Db, slotIds: string[], closureId: string, now: Date): Promise<string[]> {
  const rows = await db<{ id: string }[]>`
    UPDATE inspection_slot SET status = 'closed', closure_id = ${closureId}, updated_at = ${now}
    WHERE id = ANY(${slotIds}::uuid[]) AND status = 'open'
    RETURNING id`;
  return rows.map((r) => r.id);
}

export async function recordClosureCounts(db: Db, closureId: string, slots: number, bookings: number): Promise<void> {
  await db`UPDATE inspection_slot_closure SET slots = ${slots}, bookings = ${bookings} WHERE id = ${closureId}`;
}

// ---------------------------------------------------------------------------
// Staff: bookings
// ---------------------------------------------------------------------------

const BOOKING_SORT: Record<string, string> = { day: 's.day', createdAt: 'ib.created_at', status: 'ib.status', code: 'ib.code' };

export async function listStaffBookings(db: Db, scope: StationScope, q: ListQuery): Promise<{ rows: (BookingRow & { total: number })[]; total: number }> {
  const f = q.filter;
  const status = filterString(f, 'status');
  const slotId = filterString(f, 'slotId');
  const stationId = filterString(f, 'stationId');
  const code = filterString(f, 'q');
  const pending = f.pending === true || f.pending === 'true';
  const where = db`
    WHERE ${scopeWhere(db, scope)}
    ${status ? db`AND ib.status = ${status}` : db``}
    ${slotId && UUID.test(slotId) ? db`AND ib.slot_id = ${slotId}` : db``}
    ${stationId && UUID.test(stationId) ? db`AND ib.station_id = ${stationId}` : db``}
    ${code ? db`AND (ib.code ILIKE ${'%' + code + '%'} OR v.plate_no ILIKE ${'%' + code + '%'})` : db``}
    ${pending ? db`AND ib.status = 'booked' AND ib.disruption IS NOT NULL` : db``}`;
  const column = BOOKING_SORT[q.sortField] ?? 's.day';
  const rows = await db<(BookingRow & { total: number })[]>`
    SELECT b.*, count(*) OVER ()::int AS total FROM (${bookingSelect(db)} ${where}
    ORDER BY ${db.unsafe(column)} ${q.sortDesc ? db`DESC` : db`ASC`}, s.starts_at, ib.created_at) b
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const total = rows[0]?.total ?? 0;
  return { rows, total };
}

export async function staffBooking(db: Db, scope: StationScope, id: string, lock = false): Promise<BookingRow | undefined> {
  const [row] = await db<BookingRow[]>`${bookingSelect(db)} WHERE ib.id = ${id} AND ${scopeWhere(db, scope)} ${lock ? db`FOR UPDATE OF ib` : db``}`;
  return row;
}

// ---------------------------------------------------------------------------
// Authorities: city switch, cross-city plans, province publication
// ---------------------------------------------------------------------------

export async function cities(db: Db, f: { cityId?: string; provinceId?: string }) {
  return db<{ id: string; name: string; parent_id: string | null; booking_enabled: boolean; note: string; updated_at: Date | null; stations: number }[]>`
    SELECT a.id, a.name, a.parent_id, COALESCE(cs.booking_enabled, false) AS booking_enabled, COALESCE(cs.note, '') AS note, cs.updated_at,
           (SELECT count(*)::int FROM inspection_station st WHERE st.authority_id = a.id) AS stations
    FROM authority a LEFT JOIN inspection_city_setting cs ON cs.authority_id = a.id
    WHERE a.level = 'city'
      ${f.cityId ? db`AND a.id = ${f.cityId}` : db``}
      ${f.provinceId ? db`AND a.parent_id = ${f.provinceId}` : db``}
    ORDER BY a.id`;
}

export async function setCityBooking(db: Db, cityId: string, enabled: boolean, note: string, staffId: string, now: Date) {
  const [before] = await db<{ booking_enabled: boolean; note: string }[]>`SELECT booking_enabled, note FROM inspection_city_setting WHERE authority_id = ${cityId} FOR UPDATE`;
  await db`
    INSERT INTO inspection_city_setting (authority_id, booking_enabled, note, updated_by, updated_at)
    VALUES (${cityId}, ${enabled}, ${note}, ${staffId}, ${now})
    ON CONFLICT (authority_id) DO UPDATE SET booking_enabled = EXCLUDED.booking_enabled, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`;
  return before ?? null;
}

export type PlanEntry = { stationId: string; stationName?: string; quotaPerSlot: number; fromDay: string; toDay: string; vehicleTypes: string[]; maxAxleLoadKg: number | null; brakeTypes: string[] };
export type PlanRow = {
  id: string; authority_id: string; city_name: string; province_id: string | null; status: 'draft' | 'filed'; note: string;
  created_at: Date; updated_at: Date; filed_at: Date | null; entries: PlanEntry[]; published_version: number | null; in_force: boolean;
};

const planSelect = (db: Db) => db`
  SELECT p.id, p.authority_id, a.name AS city_name, a.parent_id AS province_id, p.status, p.note, p.created_at, p.updated_at, p.filed_at,
         COALESCE((SELECT json_agg(json_build_object(
             'stationId', e.station_id, 'stationName', st.name, 'quotaPerSlot', e.quota_per_slot, 'fromDay', e.from_day, 'toDay', e.to_day,
             'vehicleTypes', e.vehicle_types, 'maxAxleLoadKg', e.max_axle_load_kg, 'brakeTypes', e.brake_types) ORDER BY st.name)
           FROM inspection_cross_city_plan_entry e JOIN inspection_station st ON st.id = e.station_id WHERE e.plan_id = p.id), '[]'::json) AS entries,
         (SELECT max(pp.version) FROM inspection_province_plan_city pc JOIN inspection_province_plan pp ON pp.id = pc.province_plan_id WHERE pc.city_plan_id = p.id) AS published_version,
         EXISTS (SELECT 1 FROM inspection_cross_city_offer o JOIN inspection_province_plan_city pc ON pc.province_plan_id = o.province_plan_id
                 WHERE pc.city_plan_id = p.id) AS in_force
  FROM inspection_cross_city_plan p JOIN authority a ON a.id = p.authority_id`;

export async function listPlans(db: Db, f: { cityId?: string; provinceId?: string; onlyFiled?: boolean }, q: ListQuery): Promise<{ rows: PlanRow[]; total: number }> {
  const status = filterString(q.filter, 'status');
  const rows = await db<(PlanRow & { total: number })[]>`
    SELECT x.*, count(*) OVER ()::int AS total FROM (${planSelect(db)}
      WHERE TRUE
      ${f.cityId ? db`AND p.authority_id = ${f.cityId}` : db``}
      ${f.provinceId ? db`AND a.parent_id = ${f.provinceId}` : db``}
      ${f.onlyFiled ? db`AND p.status = 'filed'` : db``}
      ${status ? db`AND p.status = ${status}` : db``}) x
    ORDER BY ${q.sortField === 'cityName' ? db`x.authority_id` : db`x.updated_at`} ${q.sortDesc ? db`DESC` : db`ASC`}, x.id
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function plan(db: Db, id: string, lock = false): Promise<PlanRow | undefined> {
  const [row] = await db<PlanRow[]>`${planSelect(db)} WHERE p.id = ${id} ${lock ? db`FOR UPDATE OF p` : db``}`;
  return row;
}

export async function insertPlan(db: Db, p: { cityId: string; note: string; staffId: string; now: Date }): Promise<string> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO inspection_cross_city_plan (authority_id, status, note, prepared_by, created_at, updated_at)
    VALUES (${p.cityId}, 'draft', ${p.note}, ${p.staffId}, ${p.now}, ${p.now}) RETURNING id`;
  return row!.id;
}

export async function replacePlanEntries(db: Db, planId: string, entries: PlanEntry[], note: string, now: Date): Promise<void> {
  await db`UPDATE inspection_cross_city_plan SET note = ${note}, updated_at = ${now} WHERE id = ${planId}`;
  await db`DELETE FROM inspection_cross_city_plan_entry WHERE plan_id = ${planId}`;
  for (const e of entries) {
    await db`
      INSERT INTO inspection_cross_city_plan_entry (plan_id, station_id, quota_per_slot, from_day, to_day, vehicle_types, max_axle_load_kg, brake_types)
      VALUES (${planId}, ${e.stationId}, ${e.quotaPerSlot}, ${e.fromDay}, ${e.toDay}, ${e.vehicleTypes}, ${e.maxAxleLoadKg}, ${e.brakeTypes})`;
  }
}

export async function filePlan(db: Db, planId: string, staffId: string, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE inspection_cross_city_plan SET status = 'filed', filed_by = ${staffId}, filed_at = ${now}, updated_at = ${now}
    WHERE id = ${planId} AND status = 'draft' RETURNING id`;
  return rows.length > 0;
}

/** Each city's most recently filed plan, for the province to publish (R-36.2.2). */
export async function latestFiledPlans(db: Db, provinceId: string) {
  return db<{ id: string; authority_id: string }[]>`
    SELECT DISTINCT ON (p.authority_id) p.id, p.authority_id
    FROM inspection_cross_city_plan p JOIN authority a ON a.id = p.authority_id
    WHERE a.parent_id = ${provinceId} AND p.status = 'filed'
    ORDER BY p.authority_id, p.filed_at DESC, p.id`;
}

export async function insertProvincePlan(db: Db, p: { provinceId: string; notice: string; cityPlanIds: string[]; staffId: string; now: Date }) {
  // The advisory lock serialises two publications of one province, so versions never collide.
  await db`SELECT pg_advisory_xact_lock(7122006, hashtext(${p.provinceId}))`;
  const [row] = await db<{ id: string; version: number }[]>`
    INSERT INTO inspection_province_plan (authority_id, version, notice, published_by, published_at)
    VALUES (${p.provinceId}, (SELECT COALESCE(max(version), 0) + 1 FROM inspection_province_plan WHERE authority_id = ${p.provinceId}), ${p.notice}, ${p.staffId}, ${p.now})
    RETURNING id, version`;
  await db`
    INSERT INTO inspection_province_plan_city (province_plan_id, city_plan_id)
    SELECT ${row!.id}, unnest(${p.cityPlanIds}::uuid[])`;
  return row!;
}

export async function provincePlans(db: Db, provinceId: string, limit = 20) {
  return db<{ id: string; authority_id: string; name: string; version: number; notice: string; published_at: Date; city_plan_ids: string[] }[]>`
    SELECT pp.id, pp.authority_id, a.name, pp.version, pp.notice, pp.published_at,
           ARRAY(SELECT pc.city_plan_id FROM inspection_province_plan_city pc WHERE pc.province_plan_id = pp.id) AS city_plan_ids
    FROM inspection_province_plan pp JOIN authority a ON a.id = pp.authority_id
    WHERE pp.authority_id = ${provinceId}
    ORDER BY pp.version DESC LIMIT ${limit}`;
}

/** The plan in force, entry by entry, for the public (R-36.2.2 "公布"). */
export async function offerInForce(db: Db, provinceId: string) {
  return db<{ version: number; station_id: string; station_name: string; address: string; city_id: string; city_name: string; quota_per_slot: number; from_day: string; to_day: string; vehicle_types: string[]; max_axle_load_kg: number | null; brake_types: string[] }[]>`
    SELECT o.version, o.station_id, st.name AS station_name, st.address, st.authority_id AS city_id, a.name AS city_name, o.quota_per_slot, o.from_day, o.to_day,
           o.vehicle_types, o.max_axle_load_kg, o.brake_types
    FROM inspection_cross_city_offer o JOIN inspection_station st ON st.id = o.station_id JOIN authority a ON a.id = st.authority_id
    WHERE o.province_id = ${provinceId}
    ORDER BY st.authority_id, st.name`;
}

// ---------------------------------------------------------------------------
// Station-side bulk changes
// ---------------------------------------------------------------------------

/** What the alternatives need of a vehicle, whoever looks (the station, on the user's behalf). */
export async function vehicleSpec(db: Db, vehicleId: string) {
  const [row] = await db<{ vehicle_type: string; axle_load_kg: number | null; brake_type: string | null; city_id: string; province_id: string | null }[]>`
    SELECT v.vehicle_type, v.axle_load_kg, v.brake_type, v.registration_authority_id AS city_id, a.parent_id AS province_id
    FROM vehicle v JOIN authority a ON a.id = v.registration_authority_id WHERE v.id = ${vehicleId}`;
  return row;
}

/** Moves counted places between slots (the CHECKs still hold the target to its capacity). */
export async function adjustCounters(db: Db, slotId: string, delta: number, crossDelta: number, now: Date): Promise<void> {
  await db`
    UPDATE inspection_slot SET booked = booked + ${delta}, cross_city_booked = cross_city_booked + ${crossDelta}, updated_at = ${now}
    WHERE id = ${slotId}`;
}

export async function cancelBookings(db: Db, bookingIds: string[], reason: string, now: Date): Promise<void> {
  await db`
    UPDATE inspection_booking SET status = 'cancelled', cancelled_reason = ${reason}, ended_at = ${now}, updated_at = ${now}
    WHERE id = ANY(${bookingIds}::uuid[]) AND status = 'booked'`;
}

/** A resumed station serves its pending bookings again: their suspension mark goes. */
export async function clearStationDisruption(db: Db, stationId: string, now: Date): Promise<BookingRow[]> {
  const ids = await db<{ id: string }[]>`
    UPDATE inspection_booking SET disruption = NULL, disrupted_at = NULL, updated_at = ${now}
    WHERE station_id = ${stationId} AND status = 'booked' AND disruption IN ('station_suspended', 'station_withdrawn')
    RETURNING id`;
  if (ids.length === 0) return [];
  return db<BookingRow[]>`${bookingSelect(db)} WHERE ib.id = ANY(${ids.map((r) => r.id)}::uuid[])`;
}
