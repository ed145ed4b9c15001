/**
 * Bench fixtures, written straight in SQL (set-based, seconds for tens of
 * thousands of rows): citizens with live sessions whose tokens the bench
 * knows, vehicles due for inspection bound to them, slots, plate segments
 * with their pools. Ids are deterministic (`uuidOf(prefix, n)`), so the
 * pgbench script can address the same rows without a lookup.
 */
import { createHash } from 'node:crypto';
import type { Sql } from 'postgres';

export const FUTIAN = '80000000-0000-4000-8000-000000000001';
/** 深圳审核员 (sz.review) of the demo seed: author of the bench's plate plans. */
export const REVIEW_STAFF = '90000000-0000-4000-8000-000000000002';

export const PREFIX = {
  person: 'b1000000',
  user: 'b2000000',
  vehicle: 'b3000000',
  slot: 'b5000000',
  plan: 'b6000000',
} as const;

export const uuidOf = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const sqlUuid = (prefix: string, expr: string) => `format('${prefix}-0000-4000-8000-%s', lpad((${expr})::text, 12, '0'))::uuid`;

/** A session token of the shape the bff accepts ([a-z2-7]{32}), derived from the user number. */
export const tokenOf = (n: number) => `benchu${String(n).padStart(26, '0').replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;
const sqlToken = (expr: string) => `'benchu' || translate(lpad((${expr})::text, 26, '0'), '0123456789', 'abcdefghij')`;
export const sessionIdOf = (n: number) => createHash('sha256').update(tokenOf(n)).digest('hex');
export const cookieOf = (n: number) => `jg_session=${tokenOf(n)}`;

export const phoneOf = (n: number) => `146${String(n).padStart(8, '0')}`;
export const idNumberOf = (n: number) => `BENCH${String(n).padStart(8, '0')}`;
export const nameOf = (n: number) => `压测${n}`;

/**
 * Citizens u ∈ [from, from + count): person (passport), active personal
 * account, and a session valid for days whose token is {@link tokenOf}(u).
 */
export async function createUsers(sql: Sql, from: number, count: number): Promise<void> {
  const to = from + count - 1;
  await sql.unsafe(`
    INSERT INTO person (id, id_type, id_number, name, sex, birth_date, phone)
    SELECT ${sqlUuid(PREFIX.person, 'u')}, 'passport', 'BENCH' || lpad(u::text, 8, '0'), '压测' || u, 'M', '1990-01-01', '146' || lpad(u::text, 8, '0')
    FROM generate_series(${from}, ${to}) u`);
  await sql.unsafe(`
    INSERT INTO user_account (id, kind, personal_type, registration_channel, person_id, phone, created_at)
    SELECT ${sqlUuid(PREFIX.user, 'u')}, 'personal', 'owner_driver', 'online', ${sqlUuid(PREFIX.person, 'u')}, '146' || lpad(u::text, 8, '0'), now() - interval '30 days'
    FROM generate_series(${from}, ${to}) u`);
  await sql.unsafe(`
    INSERT INTO session (id, principal_kind, principal_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent)
    SELECT encode(sha256(convert_to(${sqlToken('u')}, 'UTF8')), 'hex'), 'user', ${sqlUuid(PREFIX.user, 'u')},
           now(), now(), now() + interval '7 days', now() + interval '30 days', '127.0.0.1', 'bench'
    FROM generate_series(${from}, ${to}) u`);
}

/**
 * `perUser` own small cars for each user u ∈ [userFrom, userFrom + users):
 * vehicle number v = vehFrom + (u − userFrom)·perUser + j, registered in
 * Shenzhen, inspection valid for two more months (so booking is open, R-35.3).
 */
export async function createVehicles(sql: Sql, o: { userFrom: number; users: number; perUser: number; vehFrom: number }): Promise<void> {
  const v = `${o.vehFrom} + (u - ${o.userFrom}) * ${o.perUser} + j`;
  await sql.unsafe(`
    INSERT INTO vehicle (id, vin, plate_no, plate_kind, vehicle_type, brand_model, owner_person_id, owner_phone, registration_authority_id,
                         registered_on, inspection_valid_until, axle_load_kg, brake_type)
    SELECT ${sqlUuid(PREFIX.vehicle, v)}, 'BNCH' || lpad((${v})::text, 13, '0'), '测B' || (${v}), 'small_blue', 'K33', '压测车',
           ${sqlUuid(PREFIX.person, 'u')}, '146' || lpad(u::text, 8, '0'), '440300', '2020-01-01',
           (now() AT TIME ZONE 'Asia/Shanghai')::date + 60, 900, 'hydraulic'
    FROM generate_series(${o.userFrom}, ${o.userFrom + o.users - 1}) u, generate_series(0, ${o.perUser - 1}) j`);
  await sql.unsafe(`
    INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind, bound_at)
    SELECT ${sqlUuid(PREFIX.user, 'u')}, ${sqlUuid(PREFIX.vehicle, v)}, 'own', now() - interval '20 days'
    FROM generate_series(${o.userFrom}, ${o.userFrom + o.users - 1}) u, generate_series(0, ${o.perUser - 1}) j`);
}

export const vehicleOf = (o: { userFrom: number; perUser: number; vehFrom: number }, u: number, j: number) =>
  uuidOf(PREFIX.vehicle, o.vehFrom + (u - o.userFrom) * o.perUser + j);

/**
 * `count` open slots s ∈ [from, from + count) at 福田 on one day `dayOffset`
 * days ahead (Asia/Shanghai), 05:00 + i minutes: hours no seeded schedule uses.
 */
export async function createSlots(sql: Sql, o: { from: number; count: number; capacity: number; dayOffset: number }): Promise<string[]> {
  await sql.unsafe(`
    INSERT INTO inspection_slot (id, station_id, day, starts_at, ends_at, capacity, created_at, updated_at)
    SELECT ${sqlUuid(PREFIX.slot, `${o.from} + i`)}, '${FUTIAN}', (now() AT TIME ZONE 'Asia/Shanghai')::date + ${o.dayOffset},
           time '05:00' + make_interval(mins => i), time '05:01' + make_interval(mins => i), ${o.capacity}, now(), now()
    FROM generate_series(0, ${o.count - 1}) i`);
  return Array.from({ length: o.count }, (_, i) => uuidOf(PREFIX.slot, o.from + i));
}

/**
 * An open plate segment of 深圳 (粤B-style prefix) taken through its whole
 * lifecycle in one row, with its pool: `serials` is a SQL query yielding
 * `serial` text in pool order (idx = row number − 1).
 */
export async function createPlatePlan(sql: Sql, o: { n: number; prefix: string; pattern: string; serials: string }): Promise<{ id: string; poolSize: number; ms: number }> {
  const id = uuidOf(PREFIX.plan, o.n);
  const t = performance.now();
  await sql.unsafe(`
    INSERT INTO plate_segment_plan (id, authority_id, prefix, plate_kind, pattern, size, start_at, status, created_by, created_at,
      submitted_by, submitted_at, approval_kind, approval_authority_id, approval_ref, approval_recorded_by, approval_recorded_at,
      published_by, published_at, build_started_by, build_started_at, build_finished_at, build_total, build_cursor, pool_size, pool_version,
      opened_by, opened_at, updated_at)
    VALUES ('${id}', '440300', '${o.prefix}', 'small_blue', '${o.pattern}', 1000, now() - interval '1 day', 'building', '${REVIEW_STAFF}', now() - interval '10 days',
      '${REVIEW_STAFF}', now() - interval '10 days', 'filed', '440000', '粤公交管〔2026〕压测', '${REVIEW_STAFF}', now() - interval '9 days',
      '${REVIEW_STAFF}', now() - interval '8 days', '${REVIEW_STAFF}', now() - interval '2 days', NULL, 0, 0, 0, 0,
      NULL, NULL, now())`);
  const [r] = await sql.unsafe<{ n: number }[]>(`
    WITH ins AS (
      INSERT INTO plate_number (plan_id, idx, plate_no, status, updated_at)
      SELECT '${id}', (row_number() OVER ()) - 1, '${o.prefix}' || s.serial, 'free', now() FROM (${o.serials}) s
      RETURNING 1)
    SELECT count(*)::int AS n FROM ins`);
  const size = r!.n;
  await sql.unsafe(`
    UPDATE plate_segment_plan SET status = 'open', size = GREATEST(1000, ${size}), build_total = ${size}, build_cursor = ${size}, pool_size = ${size},
      pool_version = 1, build_finished_at = now() - interval '2 days', opened_by = '${REVIEW_STAFF}', opened_at = now() - interval '1 day', updated_at = now()
    WHERE id = '${id}'`);
  return { id, poolSize: size, ms: performance.now() - t };
}

/** '5@@##': 5, two letters (no I, O), two digits — 57,600 serials in order. */
export const SERIALS_5LLDD = `
  SELECT '5' || l1.ch || l2.ch || lpad(d::text, 2, '0') AS serial
  FROM (SELECT chr(c) AS ch FROM generate_series(65, 90) c WHERE chr(c) NOT IN ('I', 'O')) l1,
       (SELECT chr(c) AS ch FROM generate_series(65, 90) c WHERE chr(c) NOT IN ('I', 'O')) l2,
       generate_series(0, 99) d
  ORDER BY 1`;

/** `size` numeric serials in index order (the random-pick cost does not depend on the serial's shape). */
export const serialsNumeric = (size: number) => `SELECT lpad(g::text, 7, '0') AS serial FROM generate_series(0, ${size - 1}) g`;

// ---------------------------------------------------------------------------
// VINs with a valid check digit (GB 16735 / ISO 3779), for plate preselections
// ---------------------------------------------------------------------------

const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const VIN_VALUE: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

/** A new car's VIN (not in the vehicle records), unique per n < 10^7. */
export function vinOf(n: number): string {
  const draft = `LBJ7B2K40T${String(n).padStart(7, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = draft[i]!;
    sum += (/[0-9]/.test(ch) ? Number(ch) : VIN_VALUE[ch]!) * VIN_WEIGHTS[i]!;
  }
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  return draft.slice(0, 8) + check + draft.slice(9);
}
