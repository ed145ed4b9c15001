/**
 * The booking endpoint's statements as a pgbench custom script: the
 * database's own limit for the same work, with no HTTP, no JSON, no Node.
 *
 * One transaction of the script = one `POST /api/v1/inspections/bookings`
 * with an Idempotency-Key, statement for statement (ADR-015, ADR-017):
 *   1. the session with its user, the vehicle, the slot in context, the
 *      account and the stored key, one statement (inspections/repo.ts
 *      bookingInputs with a deferred session, sessions.userSessionQuery);
 *   2. the conditional slot UPDATE with the booking, audit row, SMS (+ its
 *      outbox_event) and the finished key, one statement (repo.bookAtomically).
 * Each statement is its own implicit transaction, as in the bff.
 *
 * pgbench reads every `:word` of a statement as a variable, even inside a
 * string literal, so literal colons are avoided ('HH24.MI' for 'HH24:MI',
 * '05.00' for '05:00', the stored answer's colons restored by replace()):
 * the same work, other punctuation. Run prepared (-M prepared), as postgres.js does.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FUTIAN, PREFIX } from './fixtures.ts';
import { percentile, runCommand } from './util.ts';

const uuidExpr = (prefix: string, v: string) => `format('${prefix}-0000-4000-8000-%s', lpad(${v}::text, 12, '0'))::uuid`;
/** booking ids of pgbench transactions: their own prefix, so invariants can tell them apart */
export const PGBENCH_BOOKING_PREFIX = 'b7000000';

export type PgbenchShape = {
  /** the bff's answer body, stored with the idempotency key */
  responseBody: string;
};

export function bookingScript(shape: PgbenchShape): string {
  const vehicle = uuidExpr(PREFIX.vehicle, ':n');
  const slot = uuidExpr(PREFIX.slot, ':s');
  const booking = uuidExpr(PGBENCH_BOOKING_PREFIX, ':bn');
  // pgbench would read every `:word` in the body as a variable (even inside a literal): the colons travel as '§'.
  const body = shape.responseBody.replace(/'/g, "''").replace(/:/g, '§');
  const principal = `'user:' || :uid::text`;
  const key = `'pgb-' || :bn::text`;
  const code = `'P' || lpad(:bn::text, 12, '0')`;
  return `-- once per client (i starts at 0 through -D i=0; pgbench keeps a client's variables across
-- transactions): its session id, user and first vehicle
\\if :i = 0
SELECT sid, uid, vfirst FROM bench_pgbench_client WHERE c = :client_id \\gset
\\endif
\\set n :vfirst + :i
\\set i :i + 1
\\set bn :run * 1000000000 + :n
\\set s :sbase + random(0, :nslots - 1)
-- 1. inspections/repo.ts bookingInputs (deferred session: sessions.ts userSessionQuery as the CTE)
WITH me AS (SELECT s.id, s.principal_kind, s.principal_id, s.idle_expires_at, s.absolute_expires_at, ua.id AS user_id, COALESCE(o.name, p.name) AS user_name, ua.status AS user_status
  FROM session s LEFT JOIN user_account ua ON ua.id = s.principal_id LEFT JOIN person p ON p.id = ua.person_id LEFT JOIN organisation o ON o.id = ua.organisation_id
  WHERE s.id = :sid AND s.principal_kind = 'user')
SELECT
  (SELECT to_json(me) FROM me) AS session,
  (SELECT to_json(x) FROM (SELECT v.id, v.plate_no, v.plate_kind, v.vehicle_type, v.brand_model, v.states, v.inspection_valid_until, v.axle_load_kg, v.brake_type,
     v.registration_authority_id AS city_id, a.name AS city_name, a.parent_id AS province_id, b.kind AS binding,
     (SELECT ib.id FROM inspection_booking ib WHERE ib.vehicle_id = v.id AND ib.status = 'booked') AS active_booking_id
     FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id JOIN authority a ON a.id = v.registration_authority_id
     WHERE b.user_account_id = (SELECT user_id FROM me) AND b.vehicle_id = ${vehicle} AND b.unbound_at IS NULL) x) AS vehicle,
  (SELECT to_json(x) FROM (SELECT s.id, s.station_id, s.day, to_char(s.starts_at, 'HH24.MI') AS starts_at, to_char(s.ends_at, 'HH24.MI') AS ends_at,
     s.capacity, s.booked, s.cross_city_booked, s.status,
     st.name AS station_name, st.address AS station_address, st.phone AS station_phone, st.authority_id AS station_city, ca.name AS station_city_name,
     ca.parent_id AS station_province, st.status AS station_status, st.vehicle_types, st.max_axle_load_kg, st.brake_types,
     st.latitude::text AS latitude, st.longitude::text AS longitude, COALESCE(cs.booking_enabled, false) AS city_booking_enabled,
     o.quota_per_slot AS offer_quota, o.vehicle_types AS offer_vehicle_types, o.max_axle_load_kg AS offer_max_axle_load_kg, o.brake_types AS offer_brake_types
     FROM inspection_slot s
     JOIN inspection_station st ON st.id = s.station_id
     JOIN authority ca ON ca.id = st.authority_id
     LEFT JOIN inspection_city_setting cs ON cs.authority_id = st.authority_id
     LEFT JOIN LATERAL (
       SELECT o.quota_per_slot, o.vehicle_types, o.max_axle_load_kg, o.brake_types FROM inspection_cross_city_offer o
       WHERE o.province_id = ca.parent_id AND o.station_id = s.station_id AND s.day BETWEEN o.from_day AND o.to_day
       ORDER BY o.quota_per_slot DESC LIMIT 1
     ) o ON true
     WHERE s.id = ${slot}) x) AS slot,
  (SELECT json_build_object('status', status, 'phone', phone) FROM user_account WHERE id = (SELECT user_id FROM me)) AS account,
  (SELECT json_build_object('status', status, 'hash', request_hash, 'responseStatus', response_status, 'body', response_body, 'type', response_type)
     FROM idempotency_key WHERE principal = 'user:' || (SELECT user_id FROM me) AND key = ${key}) AS idem;
-- 2. inspections/repo.ts bookAtomically
WITH claimed AS (
  UPDATE inspection_slot SET booked = booked + 1, cross_city_booked = cross_city_booked + 0, updated_at = now()
  WHERE id = ${slot} AND status = 'open' AND booked < capacity
  RETURNING booked, capacity
), booking AS (
  INSERT INTO inspection_booking (id, code, vehicle_id, user_account_id, slot_id, station_id, cross_city, status, moved_from_id, created_at, updated_at)
  SELECT ${booking}, ${code}, ${vehicle}, :uid, ${slot}, '${FUTIAN}', false, 'booked', NULL, now(), now() FROM claimed
), audit AS (
  INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
  SELECT now(), 'user', :uid, '压*', '440300', 'inspections.booked', 'inspection_booking', ${booking}::text, NULL,
         jsonb_build_object('code', ${code}, 'plateNo', '测B' || :n::text, 'stationId', '${FUTIAN}', 'slotId', ${slot}, 'day', '2027-01-05',
                            'startsAt', '05.00', 'crossCity', false) || jsonb_build_object('placesTaken', claimed.booked, 'capacity', claimed.capacity),
         'pgbench-' || :bn::text, '127.0.0.1' FROM claimed
), sms_m AS (
  INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
  SELECT 'sms', '146' || lpad(:n::text, 8, '0'), 'inspections.booked',
         jsonb_build_object('code', ${code}, 'plateNo', '测B' || :n::text, 'day', '2027-01-05', 'startsAt', '05.00', 'endsAt', '05.01', 'stationName', '深圳市福田机动车检测站'),
         '440300', 'inspections.booked:' || ${booking}, 'pending', now(), now(), now() FROM claimed
  ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
  RETURNING id, (xmax = 0) AS inserted
), sms_e AS (
  INSERT INTO outbox_event (message_id, at, status) SELECT id, now(), 'pending' FROM sms_m WHERE inserted
), idem AS (
  INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, response_status, response_body, response_type, created_at, locked_until)
  SELECT ${principal}, ${key}, 'POST', '/api/v1/inspections/bookings', md5(:n::text) || md5(:uid::text), 'done', 201,
         replace('${body}', '§', ':'), 'application/json', now(), now() FROM claimed
)
SELECT booked, capacity FROM claimed;
`;
}

/** A statement of the script with its pgbench variables as numbered parameters, in order. */
export type BareStatement = { text: string; names: string[] };

const CASTS: Record<string, string> = { sid: 'text', uid: 'uuid', n: 'bigint', s: 'bigint', bn: 'bigint' };

/**
 * The script's two statements for the bare route (lib/bare.ts): the same text, each
 * pgbench variable (`:sid`, `:uid`, `:n`, `:s`, `:bn`) turned into a typed parameter.
 */
export function bareStatements(shape: PgbenchShape): { read: BareStatement; write: BareStatement } {
  const script = bookingScript(shape);
  const part = (from: string, to: string | null) => {
    const a = script.indexOf(from);
    const b = to ? script.indexOf(to) : script.length;
    if (a < 0 || b < 0) throw new Error(`the booking script has no "${from}"`);
    const names: string[] = [];
    const text = script
      .slice(script.indexOf('\n', a) + 1, b)
      .trim()
      .replace(/;$/, '')
      .replace(/(?<!:):(sid|uid|n|s|bn)\b/g, (_, name: string) => {
        if (!names.includes(name)) names.push(name);
        return `$${names.indexOf(name) + 1}::${CASTS[name]}`;
      });
    if (/(?<!:):[a-z]/.test(text)) throw new Error(`a pgbench variable left in the bare statement: ${/(?<!:):[a-z]\w*/.exec(text)?.[0]}`);
    return { text, names };
  };
  return { read: part('-- 1. ', '-- 2. '), write: part('-- 2. ', null) };
}

export type PgbenchRun = {
  clients: number; tps: number; transactions: number; failed: number; latencyMs: number; output: string; label: string; pgCpuMs?: number;
  /** from pgbench's per-transaction log (-l): each finished transaction's own time */
  latency?: { p50: number; p95: number; p99: number };
};

/**
 * Percentiles of the transaction times in pgbench's per-transaction logs
 * (`client_id transaction_no time script_no time_epoch time_us …`, time in µs;
 * a failed transaction has a word there and is left out).
 */
export function logLatency(texts: readonly string[]): PgbenchRun['latency'] {
  const us: number[] = [];
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const t = Number(line.split(' ')[2]);
      if (line && Number.isFinite(t)) us.push(t / 1000);
    }
  }
  if (!us.length) return undefined;
  us.sort((a, b) => a - b);
  return { p50: percentile(us, 50), p95: percentile(us, 95), p99: percentile(us, 99) };
}

/** Runs pgbench against the database URL; -M prepared, -n (no vacuum), -j 2, bounded by -T. */
export async function runPgbench(
  bin: string,
  databaseUrl: string,
  o: { script: string; clients: number; seconds: number; vars: Record<string, string | number>; label: string },
): Promise<PgbenchRun> {
  const u = new URL(databaseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) throw new Error(`pgbench targets the local machine only (${u.hostname})`);
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-bench-pgbench-'));
  const file = path.join(dir, 'booking.sql');
  writeFileSync(file, o.script);
  const args = [
    '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'),
    '-n', '-M', 'prepared', '-c', String(o.clients), '-j', '2', '-T', String(o.seconds), '-f', file,
    '-l', `--log-prefix=${path.join(dir, 'tx')}`,
    ...Object.entries(o.vars).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
    decodeURIComponent(u.pathname.slice(1)),
  ];
  const r = await runCommand(bin, args, {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password), PGCONNECT_TIMEOUT: '10' },
    timeoutMs: (o.seconds + 60) * 1000,
  });
  let latency: PgbenchRun['latency'];
  try {
    latency = logLatency(readdirSync(dir).filter((f) => f.startsWith('tx.')).map((f) => readFileSync(path.join(dir, f), 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out = r.stdout + r.stderr;
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ?? /tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? NaN);
  if (r.code !== 0 || !Number.isFinite(tps)) throw new Error(`pgbench failed (${r.code}):\n${out.slice(-3000)}`);
  return { clients: o.clients, tps, transactions, failed, latencyMs, output: out, label: o.label, latency };
}
