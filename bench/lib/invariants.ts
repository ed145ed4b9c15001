/**
 * What must hold after every scenario, checked by SQL over the whole
 * database (not only the rows a scenario touched).
 */
import type { Sql } from 'postgres';
import { log } from './util.ts';

export type Check = { name: string; ok: boolean; detail: string };

async function one<T>(sql: Sql, text: string, params: unknown[] = []): Promise<T> {
  const rows = await sql.unsafe(text, params as never[]);
  return rows[0] as T;
}

/** Inspection bookings: capacity, counters, no half-written booking, every 2xx code present. */
export async function bookingInvariants(sql: Sql, o: { codes?: string[]; slotIds?: string[] } = {}): Promise<Check[]> {
  const checks: Check[] = [];
  const slots = await one<{ over: number; drift: number; n: number }>(sql, `
    SELECT count(*) FILTER (WHERE s.booked > s.capacity)::int AS over,
           count(*) FILTER (WHERE s.booked <> COALESCE(a.n, 0))::int AS drift,
           count(*)::int AS n
    FROM inspection_slot s LEFT JOIN (SELECT slot_id, count(*) AS n FROM inspection_booking WHERE status = 'booked' GROUP BY slot_id) a ON a.slot_id = s.id`);
  checks.push({ name: 'no slot with booked > capacity', ok: slots.over === 0, detail: `${slots.over} of ${slots.n} slots` });
  checks.push({ name: 'booked = active bookings, every slot', ok: slots.drift === 0, detail: `${slots.drift} slots drift` });
  const twice = await one<{ n: number }>(sql, `
    SELECT count(*)::int AS n FROM (SELECT vehicle_id FROM inspection_booking WHERE status = 'booked' GROUP BY vehicle_id HAVING count(*) > 1) x`);
  checks.push({ name: 'no vehicle with two active bookings', ok: twice.n === 0, detail: `${twice.n}` });
  // The bench's own bookings (its users' ids start with b2000000; the demo seed's rows were written without the API).
  const half = await one<{ no_audit: number; no_sms: number; n: number }>(sql, `
    SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'inspection_booking' AND a.entity_id = b.id::text AND a.action = 'inspections.booked'))::int AS no_audit,
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM outbox_message m WHERE m.dedupe_key = 'inspections.booked:' || b.id))::int AS no_sms,
           count(*)::int AS n
    FROM inspection_booking b WHERE b.user_account_id::text LIKE 'b2000000-%'`);
  checks.push({ name: 'no half-written booking (each has its audit row and SMS)', ok: half.no_audit === 0 && half.no_sms === 0, detail: `${half.n} bookings: ${half.no_audit} without audit, ${half.no_sms} without SMS` });
  if (o.codes) {
    const codes = o.codes;
    const present = await one<{ n: number }>(sql, `SELECT count(*)::int AS n FROM inspection_booking WHERE code = ANY($1::text[]) AND status IN ('booked', 'completed')`, [codes]);
    checks.push({ name: 'every 2xx booking answer is in the database', ok: present.n === codes.length && new Set(codes).size === codes.length, detail: `${present.n} of ${codes.length} codes found` });
  }
  if (o.slotIds) {
    const s = await one<{ capacity: number; booked: number; active: number }>(sql, `
      SELECT sum(capacity)::int AS capacity, sum(booked)::int AS booked,
             (SELECT count(*)::int FROM inspection_booking WHERE slot_id = ANY($1::uuid[]) AND status = 'booked') AS active
      FROM inspection_slot WHERE id = ANY($1::uuid[])`, [o.slotIds]);
    checks.push({ name: 'rush slots: bookings = 2xx answers ≤ capacity', ok: s.active === s.booked && s.booked <= s.capacity && (!o.codes || s.active === o.codes.length), detail: `${s.active} active, booked ${s.booked}, capacity ${s.capacity}` });
  }
  return checks;
}

/** Plate numbers: one holder per number, pools add up, every 2xx reservation is held by its preselection. */
export async function plateInvariants(sql: Sql, o: { reserved?: { id: string; plateNo: string }[] } = {}): Promise<Check[]> {
  const checks: Check[] = [];
  const dup = await one<{ n: number; m: number }>(sql, `
    SELECT (SELECT count(*)::int FROM (SELECT plate_no FROM plate_number WHERE status IN ('offered', 'reserved', 'issued') GROUP BY plate_no HAVING count(*) > 1) x) AS n,
           (SELECT count(*)::int FROM (SELECT plate_no FROM plate_preselection WHERE status IN ('reserved', 'registered') GROUP BY plate_no HAVING count(*) > 1) y) AS m`);
  checks.push({ name: 'no number held twice', ok: dup.n === 0 && dup.m === 0, detail: `${dup.n} pool rows, ${dup.m} preselections` });
  const pools = await sql.unsafe<{ id: string; pool_size: number; counted: number }[]>(`
    SELECT p.id, p.pool_size, (SELECT count(*)::int FROM plate_number n WHERE n.plan_id = p.id) AS counted
    FROM plate_segment_plan p WHERE p.pool_size > 0`);
  const bad = pools.filter((p) => p.pool_size !== p.counted);
  checks.push({ name: 'free + offered + reserved + issued + withheld = pool size, every pool', ok: bad.length === 0, detail: `${pools.length} pools, ${bad.length} off` });
  const mismatch = await one<{ n: number; orphans: number }>(sql, `
    SELECT (SELECT count(*)::int FROM plate_number n LEFT JOIN plate_preselection ps ON ps.id = n.preselection_id
            WHERE n.status = 'reserved' AND (ps.plate_no IS DISTINCT FROM n.plate_no OR ps.status <> 'reserved')) AS n,
           (SELECT count(*)::int FROM plate_preselection ps WHERE ps.status = 'reserved'
              AND NOT EXISTS (SELECT 1 FROM plate_number n WHERE n.preselection_id = ps.id AND n.status = 'reserved' AND n.plate_no = ps.plate_no)) AS orphans`);
  checks.push({ name: 'reserved numbers and reservations match one to one', ok: mismatch.n === 0 && mismatch.orphans === 0, detail: `${mismatch.n} numbers, ${mismatch.orphans} reservations` });
  const offered = await one<{ rows: number; listed: number }>(sql, `
    SELECT (SELECT count(*)::int FROM plate_number WHERE status = 'offered') AS rows,
           (SELECT COALESCE(sum(cardinality(offered)), 0)::int FROM plate_draw d WHERE status = 'open'
              AND EXISTS (SELECT 1 FROM plate_number n WHERE n.offer_id = d.id)) AS listed`);
  const strays = await one<{ n: number }>(sql, `
    SELECT count(*)::int AS n FROM plate_number n LEFT JOIN plate_draw d ON d.id = n.offer_id
    WHERE n.status = 'offered' AND (d.id IS NULL OR d.status <> 'open' OR NOT (n.plate_no = ANY(d.offered)))`);
  checks.push({ name: 'offered numbers belong to open draws that list them', ok: strays.n === 0, detail: `${offered.rows} offered, ${strays.n} stray` });
  if (o.reserved) {
    const rs = o.reserved;
    const held = await one<{ n: number }>(sql, `
      SELECT count(*)::int AS n FROM unnest($1::uuid[], $2::text[]) AS r(id, plate_no)
      JOIN plate_preselection ps ON ps.id = r.id AND ps.plate_no = r.plate_no AND ps.status IN ('reserved', 'registered')
      JOIN plate_number n ON n.preselection_id = ps.id AND n.plate_no = r.plate_no AND n.status IN ('reserved', 'issued')`,
      [rs.map((r) => r.id), rs.map((r) => r.plateNo)]);
    checks.push({ name: 'every 2xx reservation is held by its preselection', ok: held.n === rs.length, detail: `${held.n} of ${rs.length}` });
  }
  return checks;
}

export function printChecks(title: string, checks: Check[]): boolean {
  log(`  invariants after ${title}:`);
  for (const c of checks) log(`    ${c.ok ? '✔' : '✘'} ${c.name} — ${c.detail}`);
  return checks.every((c) => c.ok);
}
