/**
 * POST /api/v1/inspections/bookings reads the citizen's session inside its
 * first statement (a deferred session, http/auth.ts, ADR-017):
 * the same sign-in rules as every other endpoint, one statement fewer.
 */
import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { createApp } from '../../app.ts';
import { createSql } from '../../db.ts';
import { sessionIdFromToken } from '../../platform/sessions.ts';
import { FUTIAN, makeCitizens, makeSlot, slotState, type TestCitizen } from './testing.ts';

describe('the booking endpoint reads its session in its own first statement', async () => {
  const env = await testEnv();
  const now = env.clock.now();
  // The app on a pool that records every statement it sends.
  // (postgres.js's own type lookup when its first connection opens is not the request's.)
  const statements: string[] = [];
  const counted = createSql(env.url, { max: 2, debug: (_c, q) => !/pg_catalog\.pg_type/.test(q) && statements.push(q) });
  const app = createApp({ ...env.deps, sql: counted, reads: counted });
  const book = async (c: Pick<TestCitizen, 'cookie' | 'vehicleId'>, slotId: string, key?: string) => {
    const r = await app.request('/api/v1/inspections/bookings', {
      method: 'POST',
      headers: { cookie: c.cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify({ vehicleId: c.vehicleId, slotId }),
    });
    return { status: r.status, body: (await r.json()) as { code: string } };
  };
  const sessionOf = async (c: TestCitizen) => {
    const id = sessionIdFromToken(c.cookie.split('=')[1]!);
    return (await env.sql<{ id: string; idle_expires_at: Date }[]>`SELECT id, idle_expires_at FROM session WHERE id = ${id}`)[0];
  };
  const bookings = async (c: TestCitizen) =>
    (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM inspection_booking WHERE vehicle_id = ${c.vehicleId}`)[0]!.n;

  it('R-34 a citizen who finds the slot full costs one statement in all, session included; a winner two', async () => {
    const [a, b] = await makeCitizens(env.sql, 2, { now, start: 9300 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-07', '09:00', 1, now);
    statements.length = 0;
    expect((await book(a!, slot, 'k-win')).status).toBe(201);
    expect(statements).toHaveLength(2);
    statements.length = 0;
    const lost = await book(b!, slot, 'k-lose');
    expect(lost).toMatchObject({ status: 409, body: { code: 'inspections.slot_full' } });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/FROM session s/);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 1, active: 1 });
  });

  it('no session, a session that does not exist, a malformed token → 401, nothing booked', async () => {
    const [c] = await makeCitizens(env.sql, 1, { now, start: 9310 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-07', '10:30', 5, now);
    for (const cookie of ['', 'jg_session=abcdefghijklmnopqrstuvwxyz234567', 'jg_session=not-a-token']) {
      const r = await book({ cookie, vehicleId: c!.vehicleId }, slot, `k-anon-${cookie.length}`);
      expect(r, cookie).toMatchObject({ status: 401, body: { code: 'auth.required' } });
    }
    expect(await bookings(c!)).toBe(0);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 0 });
  });

  it('an idle-expired session → 401 and the session is deleted; its stored answer is not replayed to it', async () => {
    const [c] = await makeCitizens(env.sql, 1, { now, start: 9320 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-07', '13:00', 5, now);
    expect((await book(c!, slot, 'k-exp')).status).toBe(201);
    const s = await sessionOf(c!);
    await env.sql`UPDATE session SET idle_expires_at = ${new Date(now.getTime() - 1000)} WHERE id = ${s!.id}`;
    const again = await book(c!, slot, 'k-exp');
    expect(again).toMatchObject({ status: 401, body: { code: 'auth.required' } });
    expect(await sessionOf(c!)).toBeUndefined();
    expect(await bookings(c!)).toBe(1);
  });

  it('a session with less than half its idle window left slides, and the booking goes through', async () => {
    const [c] = await makeCitizens(env.sql, 1, { now, start: 9330 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-07', '14:30', 5, now);
    const s = await sessionOf(c!);
    const soon = new Date(now.getTime() + 3600_000);
    await env.sql`UPDATE session SET idle_expires_at = ${soon} WHERE id = ${s!.id}`;
    expect((await book(c!, slot)).status).toBe(201);
    expect((await sessionOf(c!))!.idle_expires_at.getTime()).toBeGreaterThan(soon.getTime() + 24 * 3600_000);
  });

  it('R-15 a suspended account → 403 auth.account_suspended; a cancelled one is not signed in (401); nothing booked', async () => {
    const [s, x] = await makeCitizens(env.sql, 2, { now, start: 9340 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-07', '16:00', 5, now);
    await env.sql`UPDATE user_account SET status = 'suspended' WHERE id = ${s!.userId}`;
    await env.sql`UPDATE user_account SET status = 'cancelled' WHERE id = ${x!.userId}`;
    expect(await book(s!, slot, 'k-susp')).toMatchObject({ status: 403, body: { code: 'auth.account_suspended' } });
    expect(await book(x!, slot, 'k-canc')).toMatchObject({ status: 401, body: { code: 'auth.required' } });
    expect(await bookings(s!)).toBe(0);
    expect(await bookings(x!)).toBe(0);
    expect(await env.sql`SELECT 1 FROM idempotency_key WHERE key IN ('k-susp', 'k-canc')`).toHaveLength(0);
  });

  it("one citizen's session cannot book another's vehicle (404), nor replay another's key", async () => {
    const [a, b] = await makeCitizens(env.sql, 2, { now, start: 9350 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-08', '09:00', 5, now);
    const first = await book(a!, slot, 'shared-key');
    expect(first.status).toBe(201);
    // b sends a's vehicle with the same key: b's own key space, a's vehicle is not bound to b
    expect(await book({ cookie: b!.cookie, vehicleId: a!.vehicleId }, slot, 'shared-key')).toMatchObject({ status: 404, body: { code: 'inspections.vehicle_not_found' } });
    // b's own booking with that key is a booking of its own, not a's replayed answer
    const own = await book(b!, slot, 'shared-key');
    expect(own.status).toBe(201);
    expect(own.body).not.toEqual(first.body);
  });
});
