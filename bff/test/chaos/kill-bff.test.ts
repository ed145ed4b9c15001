/**
 * CHAOS: `kill -9` of a production bff in the middle of a booking rush, then a
 * restart. Whatever was in flight, the database must hold only whole
 * bookings (booking row + slot place + audit row + SMS, or none of them), every
 * request that got a 2xx must be there, and capacity must hold — also for the
 * retries the citizens send after their requests failed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../support.ts';
import { bookingState, call, citizens, pool, slot, startBff, tally, waitFor, type Answer, type BffProcess } from './support.ts';

describe('CHAOS kill -9 the bff during a booking rush', async () => {
  const env = await testEnv();
  const { sql } = env;
  let bff: BffProcess | undefined;
  afterAll(async () => {
    await bff?.stop();
  });

  it('every 2xx is in the database, nothing is half-written, capacity holds, retries after the restart settle', async () => {
    const people = await citizens(sql, 1, 400);
    const slots = [await slot(sql, 10, 0, 50), await slot(sql, 10, 2, 50), await slot(sql, 10, 4, 50)];
    bff = await startBff(env.url);
    const port = bff.port;

    // 400 citizens, 100 at a time, one booking each; the process dies under them after 40 places went.
    const book = (c: (typeof people)[number], key: string) => () =>
      call(`${bff!.url}/api/v1/inspections/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: c.cookie, 'idempotency-key': key },
        body: JSON.stringify({ vehicleId: c.vehicleId, slotId: slots[c.n % slots.length] }),
      });
    let booked = 0;
    let killed: Promise<void> | null = null;
    const first = await pool(
      people.map((c) => async () => {
        const a = await book(c, `first-${c.n}`)();
        if (a.status === 201 && ++booked === 40) killed = bff!.kill9();
        return a;
      }),
      100,
    );
    await killed;
    expect(bff.alive()).toBe(false);
    const t1 = tally(first);
    expect(t1['201']).toBeGreaterThanOrEqual(40);
    expect(t1['transport error'] ?? 0, JSON.stringify(t1)).toBeGreaterThan(0); // some requests really were cut off
    expect(Object.keys(t1).filter((k) => !['201', '409 inspections.slot_full', 'transport error'].includes(k))).toEqual([]);

    // Postgres has rolled back what the dead process left open.
    await waitFor('the dead process’s connections to go', async () => {
      const [r] = await sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state IN ('idle in transaction', 'active') AND pid <> pg_backend_pid()`;
      return r!.n === 0;
    });
    let state = await bookingState(sql, slots);
    expect(state).toMatchObject({ over: 0, drift: 0, no_audit: 0, no_sms: 0, twice: 0 });
    expect(state.active).toBe(state.booked);
    const codes1 = first.filter((a) => a.status === 201).map((a) => a.bookingCode!);
    const found1 = await sql<{ code: string }[]>`SELECT code FROM inspection_booking WHERE code = ANY(${codes1}) AND status = 'booked'`;
    expect(found1).toHaveLength(codes1.length);
    // Requests cut off may have committed before the kill (the answer was lost) — never more than the places.
    expect(state.active).toBeGreaterThanOrEqual(codes1.length);
    expect(state.active).toBeLessThanOrEqual(150);

    // Restart on the same port; everyone whose request failed tries again, as a user would (a new tap).
    bff = await startBff(env.url, { port });
    const failed = people.filter((_, i) => first[i]!.status === 0);
    const retries: Answer[] = await pool(failed.map((c) => book(c, `retry-${c.n}`)), 50);
    const t2 = tally(retries);
    // A retry either books, finds the place taken, or finds that its first request did book before the kill.
    expect(Object.keys(t2).filter((k) => !['201', '409 inspections.slot_full', '409 inspections.vehicle_already_booked'].includes(k)), JSON.stringify(t2)).toEqual([]);
    // …and the same key again answers identically (idempotency survived the restart).
    const c0 = failed[0]!;
    const again = await book(c0, `retry-${c0.n}`)();
    const i0 = failed.indexOf(c0);
    expect(again.status).toBe(retries[i0]!.status);

    state = await bookingState(sql, slots);
    expect(state).toMatchObject({ over: 0, drift: 0, no_audit: 0, no_sms: 0, twice: 0 });
    const codes = [...codes1, ...retries.filter((a) => a.status === 201).map((a) => a.bookingCode!)];
    const found = await sql<{ code: string }[]>`SELECT code FROM inspection_booking WHERE code = ANY(${codes}) AND status = 'booked'`;
    expect(found).toHaveLength(codes.length);
    // 400 citizens for 150 places: all taken, exactly.
    expect(state.active).toBe(150);
    expect(state.booked).toBe(150);
    // Each stored idempotent answer of a booking points at a booking that exists.
    const stored = await sql<{ code: string }[]>`
      SELECT response_body::jsonb->>'code' AS code FROM idempotency_key
      WHERE status = 'done' AND path = '/api/v1/inspections/bookings' AND response_status = 201`;
    const missing = await sql`SELECT 1 FROM unnest(${stored.map((s) => s.code)}::text[]) c WHERE NOT EXISTS (SELECT 1 FROM inspection_booking b WHERE b.code = c)`;
    expect(missing).toHaveLength(0);
    expect(bff.alive()).toBe(true);
  });
});
