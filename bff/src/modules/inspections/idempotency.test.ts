/**
 * The booking endpoint stores its Idempotency-Key in the statement that books
 * (docs/decisions/015-lean-booking-path.md): Stripe's model, issue 7, with no
 * in-progress window. Real concurrency: the app gets a pool of 40 connections.
 */
import { describe, expect, it } from 'vitest';
import { concurrentApp, testEnv } from '../../../test/support.ts';
import { FUTIAN, makeCitizens, makeSlot, slotState } from './testing.ts';

describe('Idempotency-Key on POST /api/v1/inspections/bookings (stored with the booking)', async () => {
  const env = await testEnv();
  const { app } = concurrentApp(env);
  const now = env.clock.now();
  const book = async (cookie: string, body: unknown, key?: string) => {
    const r = await app.request('/api/v1/inspections/bookings', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    return { status: r.status, replayed: r.headers.get('idempotent-replayed'), type: r.headers.get('content-type'), text: await r.text() };
  };
  const bookingsOf = async (vehicleId: string) =>
    (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM inspection_booking WHERE vehicle_id = ${vehicleId}`)[0]!.n;
  const keyRow = async (userId: string, key: string) =>
    (await env.sql<{ status: string; response_status: number }[]>`SELECT status, response_status FROM idempotency_key WHERE principal = ${`user:${userId}`} AND key = ${key}`)[0];

  it('R-34 the same key and body 5× in sequence: one booking, one SMS, one audit row, byte-identical answers marked idempotent-replayed', async () => {
    const [c] = await makeCitizens(env.sql, 1, { now, start: 9100 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-04', '09:00', 5, now);
    const body = { vehicleId: c!.vehicleId, slotId: slot };
    const first = await book(c!.cookie, body, 'seq-key-1');
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    env.clock.advance(1000);
    for (let i = 0; i < 5; i++) {
      const again = await book(c!.cookie, body, 'seq-key-1');
      expect(again).toEqual({ ...first, replayed: 'true' });
    }
    env.clock.set(now);
    const id = JSON.parse(first.text).id as string;
    expect(await bookingsOf(c!.vehicleId)).toBe(1);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 1, active: 1 });
    expect(await env.sql`SELECT 1 FROM audit_log WHERE action = 'inspections.booked' AND entity_id = ${id}`).toHaveLength(1);
    expect(await env.sql`SELECT 1 FROM outbox_message WHERE dedupe_key = ${`inspections.booked:${id}`}`).toHaveLength(1);
    // the key was written by the booking's own statement, finished
    expect(await keyRow(c!.userId, 'seq-key-1')).toEqual({ status: 'done', response_status: 201 });
  });

  it('the same key 5× at once: exactly one booking, and all five answers are that booking, byte for byte (no 409 while in progress)', async () => {
    const [c] = await makeCitizens(env.sql, 1, { now, start: 9101 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-04', '10:30', 5, now);
    const answers = await Promise.all(Array.from({ length: 5 }, () => book(c!.cookie, { vehicleId: c!.vehicleId, slotId: slot }, 'burst-key-1')));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.replayed === null)).toHaveLength(1);
    expect(await bookingsOf(c!.vehicleId)).toBe(1);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 1, active: 1 });
  });

  it('the same key 5× at once on the last place: the duplicates that find the slot full still replay the booking', async () => {
    const [c] = await makeCitizens(env.sql, 1, { now, start: 9102 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-04', '12:00', 1, now);
    for (let round = 0; round < 3; round++) {
      const key = `last-place-${round}`;
      const answers = await Promise.all(Array.from({ length: 5 }, () => book(c!.cookie, { vehicleId: c!.vehicleId, slotId: slot }, key)));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.text)).size).toBe(1);
      const id = JSON.parse(answers[0]!.text).id as string;
      await env.sql`UPDATE inspection_booking SET status = 'cancelled', cancelled_reason = 'by_user', ended_at = ${now} WHERE id = ${id}`;
      await env.sql`UPDATE inspection_slot SET booked = booked - 1 WHERE id = ${slot}`;
    }
    expect(await bookingsOf(c!.vehicleId)).toBe(3);
  });

  it('the same key with another body → 422 idempotency.key_reused, and nothing changes', async () => {
    const [c] = await makeCitizens(env.sql, 1, { now, start: 9103 });
    const a = await makeSlot(env.sql, FUTIAN, '2026-12-04', '13:30', 5, now);
    const b = await makeSlot(env.sql, FUTIAN, '2026-12-04', '15:00', 5, now);
    expect((await book(c!.cookie, { vehicleId: c!.vehicleId, slotId: a }, 'reuse-key')).status).toBe(201);
    const other = await book(c!.cookie, { vehicleId: c!.vehicleId, slotId: b }, 'reuse-key');
    expect(other.status).toBe(422);
    expect(other.type).toContain('application/problem+json');
    expect(JSON.parse(other.text).code).toBe('idempotency.key_reused');
    expect(await slotState(env.sql, b)).toMatchObject({ booked: 0, active: 0 });
    // …also when the other body arrives at the same moment as the first
    const [d] = await makeCitizens(env.sql, 1, { now, start: 9104 });
    const both = await Promise.all([
      book(d!.cookie, { vehicleId: d!.vehicleId, slotId: a }, 'reuse-at-once'),
      book(d!.cookie, { vehicleId: d!.vehicleId, slotId: b }, 'reuse-at-once'),
    ]);
    expect(both.map((x) => x.status).sort()).toEqual([201, 422]);
    expect(await bookingsOf(d!.vehicleId)).toBe(1);
  });

  it('a key first used on another endpoint → 422 on the booking', async () => {
    const [c] = await makeCitizens(env.sql, 1, { now, start: 9105 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-04', '16:30', 5, now);
    const cancel = await app.request('/api/v1/inspections/bookings/00000000-0000-4000-8000-000000000000/cancel', {
      method: 'POST', headers: { cookie: c!.cookie, 'idempotency-key': 'cross-endpoint' },
    });
    expect(cancel.status).toBe(404);
    const r = await book(c!.cookie, { vehicleId: c!.vehicleId, slotId: slot }, 'cross-endpoint');
    expect(r.status).toBe(422);
    expect(JSON.parse(r.text).code).toBe('idempotency.key_reused');
    expect(await bookingsOf(c!.vehicleId)).toBe(0);
  });

  it('a refusal that changed nothing is not stored: the retry with the same key books once a place is free', async () => {
    const [c, other] = await makeCitizens(env.sql, 2, { now, start: 9106 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-05', '09:00', 1, now);
    const taken = await book(other!.cookie, { vehicleId: other!.vehicleId, slotId: slot });
    expect(taken.status).toBe(201);
    const full = await book(c!.cookie, { vehicleId: c!.vehicleId, slotId: slot }, 'retry-later');
    expect(full.status).toBe(409);
    expect(JSON.parse(full.text).code).toBe('inspections.slot_full');
    expect(await keyRow(c!.userId, 'retry-later')).toBeUndefined();
    const cancelled = await app.request(`/api/v1/inspections/bookings/${JSON.parse(taken.text).id}/cancel`, { method: 'POST', headers: { cookie: other!.cookie } });
    expect(cancelled.status).toBe(200);
    const retry = await book(c!.cookie, { vehicleId: c!.vehicleId, slotId: slot }, 'retry-later');
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBeNull();
  });

  it('RACE 300 citizens with keys on 30 places, each sending twice at once: 30 bookings, 30 stored keys, every winner’s two answers identical', async () => {
    const crowd = await makeCitizens(env.sql, 300, { now, start: 9200 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-05', '10:30', 30, now);
    const answers = await Promise.all(
      crowd.map(async (c, i) => {
        const body = { vehicleId: c.vehicleId, slotId: slot };
        return Promise.all([book(c.cookie, body, `crowd-${i}`), book(c.cookie, body, `crowd-${i}`)]);
      }),
    );
    const winners = answers.filter((pair) => pair.some((a) => a.status === 201));
    expect(winners).toHaveLength(30);
    for (const pair of winners) {
      expect(pair.map((a) => a.status)).toEqual([201, 201]);
      expect(pair[0]!.text).toBe(pair[1]!.text);
    }
    for (const pair of answers.filter((p) => !winners.includes(p))) {
      for (const a of pair) expect([a.status, JSON.parse(a.text).code]).toEqual([409, 'inspections.slot_full']);
    }
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 30, active: 30 });
    const [keys] = await env.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM idempotency_key WHERE key LIKE 'crowd-%' AND principal = ANY(${crowd.map((c) => `user:${c.userId}`)})`;
    expect(keys!.n).toBe(30);
  });
});
