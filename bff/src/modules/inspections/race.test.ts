/**
 * RACE: the contested resource under real concurrency. The app under test
 * gets its own pool of 40 connections to the test's Postgres, so requests
 * really run side by side in the database (row locks, the unique index and
 * the CHECKs decide; nothing in process memory does).
 */
import { describe, expect, it } from 'vitest';
import { concurrentApp, testEnv } from '../../../test/support.ts';
import { FUTIAN, makeCitizens, makeSlot, slotState } from './testing.ts';

type Answer = { status: number; code?: string; id?: string };

describe('RACE: inspection bookings under concurrency', async () => {
  const env = await testEnv();
  const { app } = concurrentApp(env);
  const now = env.clock.now();
  const post = async (path: string, cookie: string, body?: unknown): Promise<Answer> => {
    const r = await app.request(path, {
      method: 'POST',
      headers: { cookie, 'x-forwarded-for': '203.0.113.8', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await r.json()) as { code?: string; id?: string };
    return { status: r.status, code: r.status >= 400 ? json.code : undefined, id: json.id };
  };
  const tally = (answers: Answer[]) => {
    const t: Record<string, number> = {};
    for (const a of answers) t[`${a.status}${a.code ? ` ${a.code}` : ''}`] = (t[`${a.status}${a.code ? ` ${a.code}` : ''}`] ?? 0) + 1;
    return t;
  };

  it('RACE 200 concurrent bookings on a slot of capacity 20 → exactly 20 booked, the rest a clear 409 inspections.slot_full', async () => {
    const citizens = await makeCitizens(env.sql, 200, { now });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-03', '09:00', 20, now);
    const answers = await Promise.all(citizens.map((c) => post('/api/v1/inspections/bookings', c.cookie, { vehicleId: c.vehicleId, slotId: slot })));
    expect(tally(answers)).toEqual({ '201': 20, '409 inspections.slot_full': 180 });
    expect(await slotState(env.sql, slot)).toMatchObject({ capacity: 20, booked: 20, active: 20 });
    // one SMS and one audit row per booking, none for the refusals
    const [n] = await env.sql<{ sms: number; audit: number }[]>`
      SELECT (SELECT count(*)::int FROM outbox_message WHERE template = 'inspections.booked' AND payload->>'day' = '2026-12-03') AS sms,
             (SELECT count(*)::int FROM audit_log WHERE action = 'inspections.booked' AND after->>'slotId' = ${slot}) AS audit`;
    expect(n).toEqual({ sms: 20, audit: 20 });
  });

  it('RACE one vehicle booking twice at once → one booking, the other 409 inspections.vehicle_already_booked', async () => {
    const citizens = await makeCitizens(env.sql, 30, { start: 1000, now });
    const a = await makeSlot(env.sql, FUTIAN, '2026-12-04', '09:00', 100, now);
    const b = await makeSlot(env.sql, FUTIAN, '2026-12-04', '14:00', 100, now);
    const answers = await Promise.all(
      citizens.flatMap((c) => [
        post('/api/v1/inspections/bookings', c.cookie, { vehicleId: c.vehicleId, slotId: a }),
        post('/api/v1/inspections/bookings', c.cookie, { vehicleId: c.vehicleId, slotId: b }),
      ]),
    );
    expect(tally(answers)).toEqual({ '201': 30, '409 inspections.vehicle_already_booked': 30 });
    const [sa, sb] = [await slotState(env.sql, a), await slotState(env.sql, b)];
    expect(sa.booked).toBe(sa.active);
    expect(sb.booked).toBe(sb.active);
    expect(sa.booked + sb.booked).toBe(30);
    const [dupes] = await env.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (SELECT vehicle_id FROM inspection_booking WHERE status = 'booked' GROUP BY vehicle_id HAVING count(*) > 1) x`;
    expect(dupes!.n).toBe(0);
  });

  it('RACE cancellations and new bookings at once keep booked ≤ capacity and booked = active bookings', async () => {
    const holders = await makeCitizens(env.sql, 10, { start: 2000, now });
    const rushers = await makeCitizens(env.sql, 40, { start: 3000, now });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-05', '09:00', 10, now);
    const held = await Promise.all(holders.map((c) => post('/api/v1/inspections/bookings', c.cookie, { vehicleId: c.vehicleId, slotId: slot })));
    expect(tally(held)).toEqual({ '201': 10 });
    const answers = await Promise.all([
      ...holders.map((c, i) => post(`/api/v1/inspections/bookings/${held[i]!.id}/cancel`, c.cookie)),
      ...rushers.map((c) => post('/api/v1/inspections/bookings', c.cookie, { vehicleId: c.vehicleId, slotId: slot })),
    ]);
    const cancels = answers.slice(0, 10);
    const books = answers.slice(10);
    expect(tally(cancels)).toEqual({ '200': 10 });
    const t = tally(books);
    expect(Object.keys(t).every((k) => k === '201' || k === '409 inspections.slot_full')).toBe(true);
    expect(t['201'] ?? 0).toBeGreaterThanOrEqual(0);
    expect(t['201'] ?? 0).toBeLessThanOrEqual(10);
    const s = await slotState(env.sql, slot);
    expect(s.booked).toBe(s.active);
    expect(s.booked).toBe(t['201'] ?? 0);
    expect(s.booked).toBeLessThanOrEqual(s.capacity);

    // a second wave: the places freed by the cancellations are all taken, never more
    const late = await makeCitizens(env.sql, 20, { start: 4000, now });
    const wave = await Promise.all(late.map((c) => post('/api/v1/inspections/bookings', c.cookie, { vehicleId: c.vehicleId, slotId: slot })));
    expect((tally(wave)['201'] ?? 0) + s.booked).toBe(10);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 10, active: 10, capacity: 10 });
  });

  it('RACE opposite moves between two slots at once neither deadlock nor drift', async () => {
    const left = await makeCitizens(env.sql, 15, { start: 5000, now });
    const right = await makeCitizens(env.sql, 15, { start: 6000, now });
    const a = await makeSlot(env.sql, FUTIAN, '2026-12-07', '09:00', 18, now);
    const b = await makeSlot(env.sql, FUTIAN, '2026-12-07', '14:00', 18, now);
    const ba = await Promise.all(left.map((c) => post('/api/v1/inspections/bookings', c.cookie, { vehicleId: c.vehicleId, slotId: a })));
    const bb = await Promise.all(right.map((c) => post('/api/v1/inspections/bookings', c.cookie, { vehicleId: c.vehicleId, slotId: b })));
    // three free places each: beyond them, a move only succeeds once an opposite move freed a place
    const answers = await Promise.all([
      ...left.map((c, i) => post(`/api/v1/inspections/bookings/${ba[i]!.id}/move`, c.cookie, { slotId: b })),
      ...right.map((c, i) => post(`/api/v1/inspections/bookings/${bb[i]!.id}/move`, c.cookie, { slotId: a })),
    ]);
    const t = tally(answers);
    expect(Object.keys(t).every((k) => k === '201' || k === '409 inspections.slot_full')).toBe(true);
    expect(t['201']).toBeGreaterThanOrEqual(6);
    for (const slot of [a, b]) {
      const s = await slotState(env.sql, slot);
      expect(s.booked).toBe(s.active);
      expect(s.booked).toBeLessThanOrEqual(18);
    }
    expect((await slotState(env.sql, a)).booked + (await slotState(env.sql, b)).booked).toBe(30);
  });
});
