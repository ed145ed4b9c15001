/**
 * CHAOS: the contested resources, round after round (issue 7): real
 * concurrent transactions on a pool of 40 database connections, through the
 * services the routes call (no HTTP: the contest is decided in the database,
 * and without the HTTP layer a round takes seconds, so 20 rounds fit).
 *   - 500 citizens × 20 attempts at once (a storm of double taps and
 *     replays) on a slot of 20: exactly 20 bookings, 20 different vehicles;
 *   - 2,000 citizens on 50 slots of 10: exactly 500 bookings, 10 a slot;
 *   - 20 wanted plate numbers × 100 citizens each: one holder per number,
 *     free + offered + reserved + issued + withheld = the pool, every round.
 * Any error other than a refusal (DomainError) fails the test — also the
 * driver's UNSAFE_TRANSACTION, which the patched postgres.js no longer raises
 * (driver.test.ts, ADR-014).
 * CHAOS_ROUNDS (default 20) sets the number of rounds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../support.ts';
import { createSql } from '../../src/db.ts';
import { DomainError, refusalOfConstraint } from '../../src/core/errors.ts';
import { constraintMap } from '../../src/modules/index.ts';
import { bookInspection } from '../../src/modules/inspections/service.ts';
import { startPreselection } from '../../src/modules/plates/service.ts';
import type { Deps } from '../../src/core/context.ts';
import { citizens, FUTIAN, REVIEW_STAFF, type Citizen } from './support.ts';

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 20);
/** A round of the 10,000-attempt storm takes ~6 s on 2 cores; room for a busy machine. */
const ROUND_BUDGET_MS = 30_000 * ROUNDS + 60_000;

type Outcome = 'ok' | string;

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    // A guard in the database refused the write: the refusal its module declared for it (the HTTP layer answers the same).
    const refusal = refusalOfConstraint(e, constraintMap);
    if (refusal) return refusal.code;
    throw e;
  }
}

function count(list: Outcome[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const o of list) t[o] = (t[o] ?? 0) + 1;
  return t;
}

describe('CHAOS repeated races', async () => {
  const env = await testEnv();
  const wide = createSql(env.url, { max: 40 });
  afterAll(async () => {
    await wide.end({ timeout: 1 });
  });
  const deps: Deps = { ...env.deps, sql: wide };
  const now = env.clock.now();
  const meta = (c: Citizen, i: number) => ({ requestId: `chaos-${c.n}-${i}`, ip: '203.0.113.50', now });
  const actor = (c: Citizen) => ({ kind: 'user' as const, id: c.userId, label: `混*${c.n}` });
  const day = (n: number) => new Date(now.getTime() + n * 24 * 3600_000).toISOString().slice(0, 10);
  const makeSlot = async (d: number, minute: number, capacity: number) => {
    const [r] = await env.sql<{ id: string }[]>`
      INSERT INTO inspection_slot (station_id, day, starts_at, ends_at, capacity, created_at, updated_at)
      VALUES (${FUTIAN}, ${day(d)}, time '04:00' + make_interval(mins => ${minute}), time '04:00' + make_interval(mins => ${minute + 1}), ${capacity}, ${now}, ${now})
      RETURNING id`;
    return r!.id;
  };
  /** Ends the round's bookings (as completed) so the same vehicles can race again; counters follow. */
  const endBookings = async (slotIds: string[]) => {
    await env.sql.begin(async (tx) => {
      await tx`SELECT id FROM inspection_slot WHERE id = ANY(${slotIds}::uuid[]) ORDER BY id FOR UPDATE`;
      await tx`UPDATE inspection_booking SET status = 'completed', ended_at = ${now}, updated_at = ${now} WHERE slot_id = ANY(${slotIds}::uuid[]) AND status = 'booked'`;
      await tx`UPDATE inspection_slot SET booked = 0, updated_at = ${now} WHERE id = ANY(${slotIds}::uuid[])`;
    });
  };
  const slotCheck = async (slotIds: string[]) => {
    const rows = await env.sql<{ id: string; capacity: number; booked: number; active: number; vehicles: number; audit: number; sms: number }[]>`
      SELECT s.id, s.capacity, s.booked,
             (SELECT count(*)::int FROM inspection_booking b WHERE b.slot_id = s.id AND b.status = 'booked') AS active,
             (SELECT count(DISTINCT b.vehicle_id)::int FROM inspection_booking b WHERE b.slot_id = s.id AND b.status = 'booked') AS vehicles,
             (SELECT count(*)::int FROM inspection_booking b WHERE b.slot_id = s.id AND b.status = 'booked'
                AND EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'inspection_booking' AND a.entity_id = b.id::text)) AS audit,
             (SELECT count(*)::int FROM inspection_booking b WHERE b.slot_id = s.id AND b.status = 'booked'
                AND EXISTS (SELECT 1 FROM outbox_message m WHERE m.dedupe_key = 'inspections.booked:' || b.id)) AS sms
      FROM inspection_slot s WHERE s.id = ANY(${slotIds}::uuid[])`;
    return rows;
  };

  const stormers = await citizens(env.sql, 20_001, 500, { sessions: false });
  const crowd = await citizens(env.sql, 30_001, 2000, { sessions: false });
  const platers = await citizens(env.sql, 40_001, 2000, { sessions: false });

  it(`R-35 a slot of 20, 500 citizens × 20 attempts at once, ${ROUNDS} rounds: exactly 20 bookings of 20 vehicles every round`, async () => {
    const t = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      const slotId = await makeSlot(20 + round, 0, 20);
      const answers = await Promise.all(
        stormers.flatMap((c) => Array.from({ length: 20 }, (_, i) => outcome(() => bookInspection(deps, actor(c), { vehicleId: c.vehicleId, slotId }, meta(c, i))))),
      );
      const t1 = count(answers);
      expect(t1.ok, `round ${round}: ${JSON.stringify(t1)}`).toBe(20);
      expect(Object.keys(t1).filter((k) => !['ok', 'inspections.slot_full', 'inspections.vehicle_already_booked'].includes(k))).toEqual([]);
      const [s] = await slotCheck([slotId]);
      expect(s, `round ${round}`).toMatchObject({ capacity: 20, booked: 20, active: 20, vehicles: 20, audit: 20, sms: 20 });
      await endBookings([slotId]);
    }
    console.log(`[chaos races] slot of 20 × 10,000 attempts: ${ROUNDS} rounds in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }, ROUND_BUDGET_MS);

  it(`R-35 2,000 citizens on 50 slots of 10, ${ROUNDS} rounds: exactly 500 bookings, 10 a slot, every round`, async () => {
    const t = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      const slots: string[] = [];
      for (let k = 0; k < 50; k++) slots.push(await makeSlot(60 + round, 2 * k, 10));
      const answers = await Promise.all(crowd.map((c, i) => outcome(() => bookInspection(deps, actor(c), { vehicleId: c.vehicleId, slotId: slots[i % 50]! }, meta(c, round)))));
      const t1 = count(answers);
      expect(t1, `round ${round}`).toEqual({ ok: 500, 'inspections.slot_full': 1500 });
      const rows = await slotCheck(slots);
      for (const s of rows) expect(s, `round ${round}`).toMatchObject({ capacity: 10, booked: 10, active: 10, vehicles: 10, audit: 10, sms: 10 });
      await endBookings(slots);
    }
    console.log(`[chaos races] 2,000 on 50 slots: ${ROUNDS} rounds in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }, ROUND_BUDGET_MS);

  it(`R-24.2 20 wanted numbers × 100 citizens each, ${ROUNDS} rounds: one holder per number, the pool adds up`, async () => {
    // An open segment '5@@##' (57,600 numbers), built directly.
    const [plan] = await env.sql<{ id: string }[]>`
      INSERT INTO plate_segment_plan (authority_id, prefix, plate_kind, pattern, size, start_at, status, created_by, created_at, submitted_by, submitted_at,
        approval_kind, approval_authority_id, approval_ref, approval_recorded_by, approval_recorded_at, published_by, published_at,
        build_started_by, build_started_at, build_finished_at, build_total, build_cursor, pool_size, pool_version, opened_by, opened_at, updated_at)
      VALUES ('440300', '粤B', 'small_blue', '5@@##', 57600, ${new Date(now.getTime() - 86400_000)}, 'open', ${REVIEW_STAFF}, ${now}, ${REVIEW_STAFF}, ${now},
        'filed', '440000', 'chaos', ${REVIEW_STAFF}, ${now}, ${REVIEW_STAFF}, ${new Date(now.getTime() - 5 * 86400_000)},
        ${REVIEW_STAFF}, ${now}, ${now}, 57600, 57600, 57600, 1, ${REVIEW_STAFF}, ${now}, ${now})
      RETURNING id`;
    const planId = plan!.id;
    const [built] = await env.sql<{ size: number }[]>`
      WITH ins AS (
        INSERT INTO plate_number (plan_id, idx, plate_no, status, updated_at)
        SELECT ${planId}, (row_number() OVER (ORDER BY s)) - 1, '粤B' || s, 'free', ${now}
        FROM (SELECT '5' || l1 || l2 || lpad(d::text, 2, '0') AS s
              FROM unnest(string_to_array('A,B,C,D,E,F,G,H,J,K,L,M,N,P,Q,R,S,T,U,V,W,X,Y,Z', ',')) l1,
                   unnest(string_to_array('A,B,C,D,E,F,G,H,J,K,L,M,N,P,Q,R,S,T,U,V,W,X,Y,Z', ',')) l2,
                   generate_series(0, 99) d) x
        RETURNING 1)
      SELECT count(*)::int AS size FROM ins`;
    const size = built!.size;
    expect(size).toBe(57_600);
    const wanted = Array.from({ length: 20 }, (_, i) => `5C${'DEFGHJKLMN'[i % 10]}${i < 10 ? '1' : '2'}${i % 10}`);
    const people = await env.sql<{ user_id: string; id_number: string; name: string; phone: string }[]>`
      SELECT ua.id AS user_id, p.id_number, p.name, ua.phone FROM user_account ua JOIN person p ON p.id = ua.person_id
      WHERE ua.id = ANY(${platers.map((c) => c.userId)}::uuid[]) ORDER BY ua.phone`;
    expect(people).toHaveLength(2000);
    const vin = (round: number, i: number) => `LPLCH${String(round).padStart(2, '0')}${String(i).padStart(4, '0')}000000`;

    const t = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(
        people.map((p, i) =>
          outcome(() =>
            startPreselection(
              deps,
              { kind: 'user', id: p.user_id, label: '混*' },
              { planId, mode: 'self', serial: wanted[i % 20]!, vin: vin(round, i), ownerIdType: 'passport', ownerIdNumber: p.id_number, ownerName: p.name, phone: p.phone },
              { requestId: `chaos-plate-${round}-${i}`, ip: '203.0.113.51', now },
            ),
          ),
        ),
      );
      const t1 = count(answers);
      expect(t1, `round ${round}`).toEqual({ ok: 20, 'plates.number_taken': 1980 });
      const counts = await env.sql<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM plate_number WHERE plan_id = ${planId} GROUP BY status`;
      const c = Object.fromEntries(counts.map((r) => [r.status, r.n])) as Record<string, number>;
      expect((c.free ?? 0) + (c.offered ?? 0) + (c.reserved ?? 0) + (c.issued ?? 0) + (c.withheld ?? 0), `round ${round}`).toBe(size);
      expect(c.reserved, `round ${round}`).toBe(20);
      const holders = await env.sql<{ plate_no: string; n: number; ok: boolean }[]>`
        SELECT n.plate_no, count(ps.id)::int AS n, bool_and(ps.plate_no = n.plate_no AND ps.status = 'reserved') AS ok
        FROM plate_number n JOIN plate_preselection ps ON ps.id = n.preselection_id
        WHERE n.plan_id = ${planId} AND n.status = 'reserved' GROUP BY n.plate_no`;
      expect(holders.map((h) => h.plate_no.slice(2)).sort(), `round ${round}`).toEqual([...wanted].sort());
      expect(holders.every((h) => h.n === 1 && h.ok)).toBe(true);
      const [live] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM plate_preselection WHERE plan_id = ${planId} AND status = 'reserved'`;
      expect(live!.n).toBe(20);
      // Give the numbers back (as an expiry without ban would) for the next round.
      await env.sql.begin(async (tx) => {
        await tx`UPDATE plate_number SET status = 'free', preselection_id = NULL, held_until = NULL, updated_at = ${now} WHERE plan_id = ${planId} AND status = 'reserved'`;
        await tx`UPDATE plate_preselection SET status = 'expired', ended_at = ${now} WHERE plan_id = ${planId} AND status = 'reserved'`;
        await tx`UPDATE job SET status = 'cancelled', finished_at = ${now} WHERE kind = 'plates.reservation_deadline' AND status = 'queued'`;
      });
    }
    console.log(`[chaos races] 20 numbers × 100 citizens: ${ROUNDS} rounds in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }, ROUND_BUDGET_MS);
});
