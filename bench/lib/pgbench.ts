/**
 * The booking endpoint's statements as a pgbench custom script: the
 * database's own limit for the same work, with no HTTP, no JSON, no Node.
 *
 * One transaction of the script = one `POST /api/v1/inspections/bookings`
 * with an Idempotency-Key, statement for statement (see the comments for the
 * bff function each one mirrors):
 *   session + user lookup (http/auth.ts loadSession),
 *   idempotency key claimed (platform/idempotency.ts),
 *   BEGIN; vehicle, slot context, user status (inspections/repo.ts, one pipeline in the bff);
 *   the conditional slot UPDATE (claimPlace);
 *   booking row, audit row, SMS outbox row (+ its outbox_event) (insertBooking, writeAudit, enqueueMessage);
 *   COMMIT; the idempotency answer stored.
 *
 * pgbench reads every `:word` of a statement as a variable, even inside a
 * string literal, so literal colons are avoided ('HH24.MI' for 'HH24:MI',
 * '05.00' for '05:00', the stored answer's colons restored by replace()):
 * the same work, other punctuation.
 *
 * `pipelined` groups the statements the way the bff sends them (one round
 * trip per group, pgbench's \startpipeline); the plain script waits for each
 * statement like a naive client. Both run prepared (-M prepared), as
 * postgres.js does.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FUTIAN, PREFIX } from './fixtures.ts';
import { runCommand } from './util.ts';

const uuidExpr = (prefix: string, v: string) => `format('${prefix}-0000-4000-8000-%s', lpad(${v}::text, 12, '0'))::uuid`;
/** booking ids of pgbench transactions: their own prefix, so invariants can tell them apart */
export const PGBENCH_BOOKING_PREFIX = 'b7000000';

export type PgbenchShape = {
  /** session and user in one statement (the bff's loadSession after the 2026-11 change), else two */
  sessionJoined: boolean;
  /** outbox message and its first event in one statement, else two */
  outboxCombined: boolean;
  pipelined: boolean;
  /** the bff's answer body, stored with the idempotency key */
  responseBody: string;
};

export function bookingScript(shape: PgbenchShape): string {
  const vehicle = uuidExpr(PREFIX.vehicle, ':n');
  const slot = uuidExpr(PREFIX.slot, ':s');
  const booking = uuidExpr(PGBENCH_BOOKING_PREFIX, ':bn');
  const startPipe = shape.pipelined ? '\\startpipeline\n' : '';
  const endPipe = shape.pipelined ? '\\endpipeline\n' : '';
  // pgbench would read every `:word` in the body as a variable (even inside a literal): the colons travel as '§'.
  const body = shape.responseBody.replace(/'/g, "''").replace(/:/g, '§');
  const lines: string[] = [];
  lines.push(`-- once per client (i starts at 0 through -D i=0; pgbench keeps a client's variables across
-- transactions): its session id, user and first vehicle
\\if :i = 0
SELECT sid, uid, vfirst FROM bench_pgbench_client WHERE c = :client_id \\gset
\\endif
\\set n :vfirst + :i
\\set i :i + 1
\\set bn :run * 1000000000 + :n
\\set s :sbase + random(0, :nslots - 1)`);
  // http/auth.ts loadSession → platform/sessions.ts validateSessionToken (+ the user row)
  if (shape.sessionJoined) {
    lines.push(`SELECT s.id, s.principal_kind, s.principal_id, s.idle_expires_at, s.absolute_expires_at, ua.id AS user_id, COALESCE(o.name, p.name) AS name, ua.status
  FROM session s LEFT JOIN user_account ua ON ua.id = s.principal_id LEFT JOIN person p ON p.id = ua.person_id LEFT JOIN organisation o ON o.id = ua.organisation_id
  WHERE s.id = :sid AND s.principal_kind = 'user';`);
  } else {
    lines.push(`SELECT id, principal_kind, principal_id, idle_expires_at, absolute_expires_at FROM session WHERE id = :sid AND principal_kind = 'user';`);
    lines.push(`SELECT ua.id, COALESCE(o.name, p.name) AS name, ua.status
  FROM user_account ua LEFT JOIN person p ON p.id = ua.person_id LEFT JOIN organisation o ON o.id = ua.organisation_id WHERE ua.id = :uid;`);
  }
  // platform/idempotency.ts: claim the key
  lines.push(`INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, created_at, locked_until)
  VALUES ('user:' || :uid::text, 'pgb-' || :bn::text, 'POST', '/api/v1/inspections/bookings', md5(:n::text) || md5(:uid::text), 'in_progress', now(), now() + interval '60 seconds')
  ON CONFLICT (principal, key) DO NOTHING RETURNING key;`);
  lines.push('BEGIN;');
  // inspections/service.ts bookInspection: three reads, one pipeline in the bff
  lines.push(`${startPipe}SELECT v.id, v.plate_no, v.plate_kind, v.vehicle_type, v.brand_model, v.states, v.inspection_valid_until, v.axle_load_kg, v.brake_type,
  v.registration_authority_id AS city_id, a.name AS city_name, a.parent_id AS province_id, b.kind AS binding,
  (SELECT ib.id FROM inspection_booking ib WHERE ib.vehicle_id = v.id AND ib.status = 'booked') AS active_booking_id
  FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id JOIN authority a ON a.id = v.registration_authority_id
  WHERE b.user_account_id = :uid AND b.vehicle_id = ${vehicle} AND b.unbound_at IS NULL;
SELECT s.id, s.station_id, s.day, to_char(s.starts_at, 'HH24.MI') AS starts_at, to_char(s.ends_at, 'HH24.MI') AS ends_at,
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
  WHERE s.id = ${slot};
SELECT status, phone FROM user_account WHERE id = :uid;
${endPipe}`);
  // claimPlace: the contested row
  lines.push(`UPDATE inspection_slot SET booked = booked + 1, cross_city_booked = cross_city_booked + 0, updated_at = now()
  WHERE id = ${slot} AND status = 'open' AND booked < capacity RETURNING booked, capacity;`);
  // insertBooking, writeAudit, enqueueMessage: one pipeline in the bff
  const outbox = `INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
  VALUES ('sms', '146' || lpad(:n::text, 8, '0'), 'inspections.booked',
          jsonb_build_object('code', 'P' || lpad(:bn::text, 12, '0'), 'plateNo', '测B' || :n::text, 'day', '2027-01-05', 'startsAt', '05.00', 'endsAt', '05.01', 'stationName', '深圳市福田机动车检测站'),
          '440300', 'inspections.booked:' || ${booking}, 'pending', now(), now(), now())
  ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key`;
  lines.push(`${startPipe}INSERT INTO inspection_booking (id, code, vehicle_id, user_account_id, slot_id, station_id, cross_city, status, moved_from_id, created_at, updated_at)
  VALUES (${booking}, 'P' || lpad(:bn::text, 12, '0'), ${vehicle}, :uid, ${slot}, '${FUTIAN}', false, 'booked', NULL, now(), now());
INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
  VALUES (now(), 'user', :uid, '压*', '440300', 'inspections.booked', 'inspection_booking', ${booking}::text, NULL,
          jsonb_build_object('code', 'P' || lpad(:bn::text, 12, '0'), 'plateNo', '测B' || :n::text, 'stationId', '${FUTIAN}', 'slotId', ${slot}, 'day', '2027-01-05',
                             'startsAt', '05.00', 'crossCity', false, 'placesTaken', 1, 'capacity', 1000000),
          'pgbench-' || :bn::text, '127.0.0.1');
${
  shape.outboxCombined
    ? `WITH m AS (${outbox}
  RETURNING id, (xmax = 0) AS inserted),
e AS (INSERT INTO outbox_event (message_id, at, status) SELECT id, now(), 'pending' FROM m WHERE inserted)
SELECT id, inserted FROM m;
${endPipe}`
    : `${outbox}
  RETURNING id AS mid, (xmax = 0) AS inserted ${shape.pipelined ? '' : '\\gset'}
${endPipe}${
        shape.pipelined
          ? // \gset cannot wait inside a pipeline; the event row finds its message by the dedupe key (one index probe more)
            `INSERT INTO outbox_event (message_id, at, status) SELECT id, now(), 'pending' FROM outbox_message WHERE dedupe_key = 'inspections.booked:' || ${booking};`
          : `INSERT INTO outbox_event (message_id, at, status) VALUES (:mid, now(), 'pending');`
      }`
}`);
  lines.push('COMMIT;');
  // platform/idempotency.ts: the answer
  lines.push(`UPDATE idempotency_key SET status = 'done', response_status = 201, response_body = replace('${body}', '§', ':'), response_type = 'application/json'
  WHERE principal = 'user:' || :uid::text AND key = 'pgb-' || :bn::text;`);
  return lines.join('\n') + '\n';
}

export type PgbenchRun = { clients: number; tps: number; transactions: number; failed: number; latencyMs: number; output: string; label: string; pgCpuMs?: number };

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
    ...Object.entries(o.vars).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
    decodeURIComponent(u.pathname.slice(1)),
  ];
  const r = await runCommand(bin, args, {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password), PGCONNECT_TIMEOUT: '10' },
    timeoutMs: (o.seconds + 60) * 1000,
  });
  const out = r.stdout + r.stderr;
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ?? /tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? NaN);
  if (r.code !== 0 || !Number.isFinite(tps)) throw new Error(`pgbench failed (${r.code}):\n${out.slice(-3000)}`);
  return { clients: o.clients, tps, transactions, failed, latencyMs, output: out, label: o.label };
}
