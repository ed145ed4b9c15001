/**
 * Issue 23, ADR-040 "Batched reads look up by key": the batched read of
 * bookings reads each request's session by its id, whatever the statistics
 * say (test/query-plans.ts). And ADR-040 "Bookings: the batch's writes in a
 * few statements": a batch's statement runs as many statements inside
 * PostgreSQL for two bookings as for eight.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { explainingSql, nodesOf, plansOf, readsOf } from '../../../test/query-plans.ts';
import { testEnv } from '../../../test/support.ts';
import * as repo from './repo.ts';
import { batchMember, FUTIAN, makeCitizens, makeSlot, slotState } from './testing.ts';

describe('the batched booking read looks up by key', async () => {
  const env = await testEnv();

  it("each request's deferred session by its id", async () => {
    const reqs = [0, 1].map((n) => ({ who: { sessionId: `${n}`.repeat(64) }, vehicleId: randomUUID(), slotId: randomUUID(), idem: undefined }));
    const [plan] = await plansOf(env.url, /FROM session s/, (sql) => repo.bookingInputsBatch(sql, reqs));
    expect(readsOf(plan!, 'session', 'i.session_id')).toEqual(['lookup']);
  });
});

describe("a booking batch's writes in a few statements", async () => {
  const env = await testEnv();
  const now = env.clock.now();
  const explaining = explainingSql(env.url, 1);
  afterAll(() => explaining.sql.end({ timeout: 1 }));

  /** The statements `inspection_book_batch` ran for one batch (the call itself and foreign-key checks left out). */
  const statementsOf = async (members: repo.BatchedBooking[]) => {
    await explaining.sql`SELECT 1`; // the connection open and its types read before the count starts
    explaining.clear();
    const out = await repo.bookBatch(explaining.sql, members);
    const inside = explaining.executed.filter((s) => !/inspection_book_batch\(|FROM ONLY "public"/.test(s.query));
    return { out, inside };
  };

  it('R-36.2.1 two bookings and eight take the same statements: one write of every winner\'s rows, one UPDATE of the slots, each read by key', async () => {
    const crowd = await makeCitizens(env.sql, 10, { now, start: 8100 });
    const a = await makeSlot(env.sql, FUTIAN, '2026-12-16', '09:00', 5, now);
    const b = await makeSlot(env.sql, FUTIAN, '2026-12-16', '14:00', 5, now);
    const two = await statementsOf(crowd.slice(0, 2).map((c) => batchMember(c, a, now, { key: `w-${c.userId}` })));
    const eight = await statementsOf(crowd.slice(2).map((c, i) => batchMember(c, i % 2 ? a : b, now, { key: `w-${c.userId}` })));
    expect(two.out.map((o) => o.outcome)).toEqual(['booked', 'booked']);
    // slot a: two taken before, three left for four; slot b: four of five
    expect(eight.out.map((o) => o.outcome)).toEqual(['booked', 'booked', 'booked', 'booked', 'booked', 'booked', 'booked', 'no_place']);
    expect(await slotState(env.sql, a)).toMatchObject({ booked: 5, active: 5 });
    expect(await slotState(env.sql, b)).toMatchObject({ booked: 4, active: 4 });

    const verbs = (x: { inside: { query: string }[] }) => x.inside.map((s) => s.query.trim().split(/\s+/)[0]!.toUpperCase());
    expect(verbs(eight)).toEqual(verbs(two));
    // migration 0024 ran six INSERTs and an UPDATE of the slot for every winner
    const writes = eight.inside.filter((s) => !/^\s*SELECT/.test(s.query));
    expect(writes).toHaveLength(2);
    expect(writes[0]!.query).toMatch(/^\s*UPDATE inspection_slot/);
    for (const t of ['inspection_booking', 'job', 'audit_log', 'outbox_message', 'outbox_event', 'idempotency_key']) expect(writes[1]!.query).toContain(`INSERT INTO ${t} `);
    // the batch's keys and vehicles are read by key, whatever their number (ADR-040 "Batched reads look up by key")
    for (const [relation, index] of [['idempotency_key', 'idempotency_key_pkey'], ['inspection_booking', 'inspection_booking_one_active_per_vehicle']] as const) {
      const reads = eight.inside.filter((s) => /^\s*SELECT/.test(s.query)).flatMap((s) => nodesOf(s.plan)).filter((n) => n['Relation Name'] === relation);
      expect(reads.length, relation).toBeGreaterThan(0);
      for (const n of reads) expect(n['Index Name'], relation).toBe(index);
    }
  });
});
