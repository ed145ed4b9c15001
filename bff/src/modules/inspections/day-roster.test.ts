/**
 * Issue 18: the end of a booking's day (the durable job `inspections.close_passed`),
 * the station's day roster with its marks, reopening a slot closed by mistake,
 * and the citizen's one-step move (改约) with an Idempotency-Key under concurrency.
 */
import { describe, expect, it } from 'vitest';
import { concurrentApp, fieldsOf, staffSessionCookie, testEnv, userSessionCookie, type TestEnv, type TestResponse } from '../../../test/support.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { jobHandlers } from '../index.ts';
import { BAOAN, FUTIAN, makeCitizens, makeSlot, slotState, smsTo, type TestCitizen } from './testing.ts';

// The manual clock starts at 2026-11-25T02:00Z = 10:00 on Wednesday 25 November in Shanghai.
const D1 = '2026-11-26';
const D2 = '2026-11-27';
const D3 = '2026-11-28';
/** 10:00 Shanghai of a day. */
const at = (day: string) => `${day}T02:00:00Z`;

async function ok(r: TestResponse, status = 200) {
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body;
}
async function problem(r: TestResponse, status: number, code: string) {
  const body = await r.json();
  expect({ status: r.status, code: body.code }, JSON.stringify(body)).toEqual({ status, code });
  return body;
}

const book = async (env: TestEnv, c: TestCitizen, slotId: string) =>
  (await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: await userSessionCookie(env, c.userId), body: { vehicleId: c.vehicleId, slotId } }), 201)) as { id: string; code: string };
const bookingStatus = async (env: TestEnv, id: string) =>
  (await env.sql<{ status: string; cancelled_reason: string | null }[]>`SELECT status, cancelled_reason FROM inspection_booking WHERE id = ${id}`)[0]!;
const runJobs = (env: TestEnv) => runDueJobs(env.deps, jobHandlers, env.clock.now(), 500);
const roster = async (env: TestEnv, cookie: string, day?: string) =>
  (await ok(await env.call('GET', `/admin-api/station-roster?range=[0,99]${day ? `&filter=${encodeURIComponent(JSON.stringify({ day }))}` : ''}`, { cookie }))) as {
    id: string; code: string; status: string; arrivedAt: string | null; phoneMasked: string; bookerNameMasked: string | null; marks: string[];
  }[];
const mark = (env: TestEnv, cookie: string, id: string, m: string) => env.call('POST', `/admin-api/station-roster/${id}/mark`, { cookie, body: { mark: m } });

describe('R-35.5 / R-36.3 a booking whose day has passed is closed by a durable job', async () => {
  const env = await testEnv();
  const now = env.clock.now();

  it('R-35.5 a passed booking no longer blocks a new booking of the same vehicle after the job runs (closed as no-show)', async () => {
    const [c] = await makeCitizens(env.sql, 1, { start: 100, now });
    const s1 = await makeSlot(env.sql, FUTIAN, D1, '09:00', 5, now);
    const s3 = await makeSlot(env.sql, FUTIAN, D3, '09:00', 5, now);
    const b = await book(env, c!, s1);
    // the closing job is queued with the booking, due when its day is over (00:00 Shanghai of the next day)
    const [job] = await env.sql<{ run_at: Date }[]>`SELECT run_at FROM job WHERE kind = 'inspections.close_passed' AND dedupe_key = ${b.id} AND status = 'queued'`;
    expect(job!.run_at.toISOString()).toBe('2026-11-26T16:00:00.000Z');
    // on the day itself nothing happens
    env.clock.set(at(D1));
    await runJobs(env);
    expect(await bookingStatus(env, b.id)).toEqual({ status: 'booked', cancelled_reason: null });
    // the day after: without the job the vehicle is still blocked …
    env.clock.set(at(D2));
    const cookie = await userSessionCookie(env, c!.userId);
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie, body: { vehicleId: c!.vehicleId, slotId: s3 } }), 409, 'inspections.vehicle_already_booked');
    // … the job closes it as no-show, gives the place back and audits as the system
    expect(await runJobs(env)).toBeGreaterThanOrEqual(1);
    expect(await bookingStatus(env, b.id)).toEqual({ status: 'no_show', cancelled_reason: null });
    expect(await slotState(env.sql, s1)).toMatchObject({ booked: 0, active: 0 });
    const [audit] = await env.sql`SELECT actor_kind, before, after FROM audit_log WHERE action = 'inspections.closed_after_day' AND entity_id = ${b.id}`;
    expect(audit).toMatchObject({ actor_kind: 'system', before: { status: 'booked' }, after: { status: 'no_show' } });
    const vehicles = await ok(await env.call('GET', '/api/v1/inspections/vehicles', { cookie }));
    expect(vehicles.vehicles[0]).toMatchObject({ eligible: true, activeBookingId: null });
    await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie, body: { vehicleId: c!.vehicleId, slotId: s3 } }), 201);
  });

  it('R-36.3 missed vs done: arrived on the roster → completed by the job; not arrived → no-show; closed and never moved → cancelled', async () => {
    env.clock.set('2026-11-25T02:00:00Z');
    const t0 = env.clock.now();
    const [came, missed, closed] = await makeCitizens(env.sql, 3, { start: 200, now: t0 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-11-30', '09:00', 5, t0);
    const other = await makeSlot(env.sql, FUTIAN, '2026-11-30', '14:00', 5, t0);
    const [bCame, bMissed, bClosed] = [await book(env, came!, slot), await book(env, missed!, slot), await book(env, closed!, other)];
    const op0 = await staffSessionCookie(env, 'station.futian');
    await ok(await env.call('POST', '/admin-api/inspection-slots/close', { cookie: op0, body: { ids: [other], reason: 'power_cut', note: '' } }));
    env.clock.set(at('2026-11-30'));
    const op = await staffSessionCookie(env, 'station.futian');
    await ok(await mark(env, op, bCame.id, 'arrived'));
    env.clock.set(at('2026-12-01'));
    await runJobs(env);
    expect(await bookingStatus(env, bCame.id)).toEqual({ status: 'completed', cancelled_reason: null });
    expect(await bookingStatus(env, bMissed.id)).toEqual({ status: 'no_show', cancelled_reason: null });
    expect(await bookingStatus(env, bClosed.id)).toEqual({ status: 'cancelled', cancelled_reason: 'slot_closed' });
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 0, active: 0 });
    expect(await slotState(env.sql, other)).toMatchObject({ booked: 0, active: 0 });
  });

  it('R-35.5 a booking the station moved to a later day is closed after that day, not the first one', async () => {
    env.clock.set('2026-11-25T02:00:00Z');
    const t0 = env.clock.now();
    const [c] = await makeCitizens(env.sql, 1, { start: 300, now: t0 });
    const first = await makeSlot(env.sql, FUTIAN, '2026-12-02', '09:00', 1, t0);
    const later = await makeSlot(env.sql, FUTIAN, '2026-12-03', '09:00', 3, t0);
    const b = await book(env, c!, first);
    const op = await staffSessionCookie(env, 'station.futian');
    await ok(await env.call('POST', `/admin-api/inspection-slots/${first}/capacity`, { cookie: op, body: { capacity: 0, excess: 'move', targetSlotId: later } }));
    env.clock.set(at('2026-12-03'));
    await runJobs(env);
    expect((await bookingStatus(env, b.id)).status).toBe('booked');
    env.clock.set(at('2026-12-04'));
    await runJobs(env);
    expect((await bookingStatus(env, b.id)).status).toBe('no_show');
    expect(await slotState(env.sql, later)).toMatchObject({ booked: 0, active: 0 });
  });
});

describe('R-36.3 the station’s day roster: arrived / done / no-show marks, masked personal data, own station only', async () => {
  const env = await testEnv();
  const t0 = env.clock.now();
  const citizens = await makeCitizens(env.sql, 4, { start: 400, now: t0 });
  const slot = await makeSlot(env.sql, FUTIAN, D1, '09:00', 5, t0);
  const baoan = await makeSlot(env.sql, BAOAN, D1, '07:00', 5, t0);
  const ids: string[] = [];
  for (const c of citizens.slice(0, 3)) ids.push((await book(env, c, slot)).id);
  const atBaoan = (await book(env, citizens[3]!, baoan)).id;

  it('R-36.3 the roster lists the day’s bookings of my station with phone and name masked; marks refused before the day', async () => {
    const op = await staffSessionCookie(env, 'station.futian');
    const rows = await roster(env, op, D1);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const r of rows) {
      expect(r.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(r.bookerNameMasked).toMatch(/\*/);
      expect(r.marks).toEqual([]);
    }
    expect(JSON.stringify(rows)).not.toContain(citizens[0]!.phone);
    const p = await problem(await mark(env, op, ids[0]!, 'arrived'), 422, 'inspections.mark_too_early');
    expect(fieldsOf(p)).toEqual({ mark: 'inspections.mark_too_early' });
    // another station's booking is not found for me; a city 管理岗 has no roster
    await problem(await mark(env, op, atBaoan, 'arrived'), 404, 'inspections.booking_not_found');
    expect((await env.call('GET', '/admin-api/station-roster', { cookie: await staffSessionCookie(env, 'sz.review') })).status).toBe(403);
  });

  it('R-36.3 on the day: arrived keeps the booking active; done and no-show end it and free the place, audited', async () => {
    env.clock.set(at(D1));
    const op = await staffSessionCookie(env, 'station.futian');
    expect((await roster(env, op)).every((r) => r.marks.includes('arrived'))).toBe(true);
    const arrived = await ok(await mark(env, op, ids[0]!, 'arrived'));
    expect(arrived).toMatchObject({ status: 'booked', marks: ['done'] });
    expect(arrived.arrivedAt).not.toBeNull();
    await problem(await mark(env, op, ids[0]!, 'no_show'), 409, 'inspections.mark_not_allowed');
    expect(await ok(await mark(env, op, ids[0]!, 'done'))).toMatchObject({ status: 'completed', marks: [] });
    expect(await ok(await mark(env, op, ids[1]!, 'no_show'))).toMatchObject({ status: 'no_show', marks: ['done'] });
    await problem(await mark(env, op, ids[0]!, 'done'), 409, 'inspections.mark_not_allowed');
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 1, active: 1 });
    // a no-show recorded by mistake is corrected to done
    expect(await ok(await mark(env, op, ids[1]!, 'done'))).toMatchObject({ status: 'completed' });
    const actions = (await env.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE entity_id = ANY(${ids}) AND action LIKE 'inspections.booking_%' ORDER BY id`).map((a) => a.action);
    expect(actions).toEqual(['inspections.booking_arrived', 'inspections.booking_completed', 'inspections.booking_no_show', 'inspections.booking_completed']);
    // the job leaves what the station ended alone and closes the rest
    env.clock.set(at(D2));
    await runJobs(env);
    expect(await bookingStatus(env, ids[0]!)).toMatchObject({ status: 'completed' });
    expect(await bookingStatus(env, ids[2]!)).toMatchObject({ status: 'no_show' });
  });

  it('X-6.1 each completed booking (done, or a no-show corrected to done) is archived exactly once; a no-show is not', async () => {
    const rows = await env.sql<{ id: string; n: number }[]>`
      SELECT b.id, (SELECT count(*)::int FROM archive_record r WHERE r.business_type = 'inspection_booking' AND r.case_ref = b.code) AS n
      FROM inspection_booking b WHERE b.id = ANY(${ids}) ORDER BY b.id`;
    const byId = Object.fromEntries(rows.map((r) => [r.id, r.n]));
    expect([byId[ids[0]!], byId[ids[1]!], byId[ids[2]!]]).toEqual([1, 1, 0]);
  });

  it('a bad mark is a localised 400, not a 500, and changes nothing', async () => {
    const op = await staffSessionCookie(env, 'station.futian');
    const r = await env.call('POST', `/admin-api/station-roster/${ids[2]}/mark`, { cookie: op, body: { mark: 'gone' } });
    expect(r.status).toBe(400);
    expect((await env.call('POST', '/admin-api/station-roster/not-an-id/mark', { cookie: op, body: { mark: 'done' } })).status).toBe(400);
  });
});

describe('R-36.3 / R-36.5 the station’s `end` of a booking ends it as the roster and the day’s end do (one shared end)', async () => {
  const env = await testEnv();
  const t0 = env.clock.now();
  const citizens = await makeCitizens(env.sql, 3, { start: 450, now: t0 });
  const slot = await makeSlot(env.sql, FUTIAN, D1, '09:00', 5, t0);
  const baoan = await makeSlot(env.sql, BAOAN, D1, '07:00', 5, t0);
  const [cancelled, done] = [await book(env, citizens[0]!, slot), await book(env, citizens[1]!, slot)];
  const elsewhere = await book(env, citizens[2]!, baoan);
  const end = (cookie: string, id: string, outcome: string) => env.call('POST', `/admin-api/inspection-bookings/${id}/end`, { cookie, body: { outcome, note: '检验线故障' } });

  it('R-36.5 cancelled by the station: the place is given back, the user told by SMS, audited like every end; R-36.3 done only from the day; twice → 409', async () => {
    const op = await staffSessionCookie(env, 'station.futian');
    await problem(await end(op, elsewhere.id, 'cancelled'), 404, 'inspections.booking_not_found');
    await problem(await end(op, done.id, 'completed'), 409, 'inspections.booking_not_active'); // before its day
    expect(await ok(await end(op, cancelled.id, 'cancelled'))).toMatchObject({ status: 'cancelled' });
    expect(await bookingStatus(env, cancelled.id)).toEqual({ status: 'cancelled', cancelled_reason: 'by_station' });
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 1, active: 1 });
    expect((await smsTo(env.sql, citizens[0]!.phone, 'inspections.cancelled_by_station')).map((m) => m.payload.code)).toEqual([cancelled.code]);
    await problem(await end(op, cancelled.id, 'cancelled'), 409, 'inspections.booking_not_active');
    const [audit] = await env.sql<{ before: Record<string, unknown>; after: Record<string, unknown> }[]>`
      SELECT before, after FROM audit_log WHERE entity_id = ${cancelled.id} AND action = 'inspections.booking_cancelled'`;
    expect(audit).toEqual({ before: { status: 'booked', day: D1, arrived: false, disruption: null }, after: { status: 'cancelled', cancelledReason: 'by_station', note: '检验线故障' } });
    // on the day, the city's 管理岗 may record it done too; the day's end then leaves it alone
    env.clock.set(at(D1));
    expect(await ok(await end(await staffSessionCookie(env, 'sz.review'), done.id, 'completed'))).toMatchObject({ status: 'completed' });
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 0, active: 0 });
    env.clock.set(at(D2));
    await runJobs(env);
    expect(await bookingStatus(env, done.id)).toEqual({ status: 'completed', cancelled_reason: null });
  });
});

describe('R-36.5 a slot closed by mistake is reopened by its station', async () => {
  const env = await testEnv();
  const t0 = env.clock.now();
  const citizens = await makeCitizens(env.sql, 2, { start: 500, now: t0 });
  const slot = await makeSlot(env.sql, FUTIAN, D2, '09:00', 5, t0);
  const other = await makeSlot(env.sql, FUTIAN, D2, '14:00', 5, t0);
  const [kept, moved] = [await book(env, citizens[0]!, slot), await book(env, citizens[1]!, slot)];

  it('R-36.5 reopening: the slot takes bookings again, bookings not moved stand again with an SMS, audited', async () => {
    const op = await staffSessionCookie(env, 'station.futian');
    await problem(await env.call('POST', `/admin-api/inspection-slots/${slot}/reopen`, { cookie: op }), 409, 'inspections.slot_not_closed');
    await ok(await env.call('POST', '/admin-api/inspection-slots/close', { cookie: op, body: { ids: [slot], reason: 'other', note: '误操作' } }));
    await ok(await env.call('POST', `/api/v1/inspections/bookings/${moved.id}/move`, { cookie: await userSessionCookie(env, citizens[1]!.userId), body: { slotId: other } }), 201);
    const r = await ok(await env.call('POST', `/admin-api/inspection-slots/${slot}/reopen`, { cookie: op }));
    expect(r).toMatchObject({ status: 'open', booked: 1, closureReason: null });
    const b = await ok(await env.call('GET', `/api/v1/inspections/bookings/${kept.id}`, { cookie: await userSessionCookie(env, citizens[0]!.userId) }));
    expect(b).toMatchObject({ status: 'booked', disruption: null });
    expect(await smsTo(env.sql, citizens[0]!.phone, 'inspections.slot_reopened')).toHaveLength(1);
    expect(await smsTo(env.sql, citizens[1]!.phone, 'inspections.slot_reopened')).toHaveLength(0);
    const [audit] = await env.sql`SELECT after FROM audit_log WHERE action = 'inspections.slot_reopened' AND entity_id = ${slot}`;
    expect(audit!.after.restoredBookings).toEqual([kept.code]);
    const [late] = await makeCitizens(env.sql, 1, { start: 550, now: env.clock.now() });
    await book(env, late!, slot);
  });

  it('R-36.5 a slot whose day has passed cannot be reopened; only my station’s operator reopens', async () => {
    const op = await staffSessionCookie(env, 'station.futian');
    await ok(await env.call('POST', '/admin-api/inspection-slots/close', { cookie: op, body: { ids: [other], reason: 'other', note: '' } }));
    expect((await env.call('POST', `/admin-api/inspection-slots/${other}/reopen`, { cookie: await staffSessionCookie(env, 'sz.review') })).status).toBe(403);
    env.clock.set(at(D3));
    const p = await problem(await env.call('POST', `/admin-api/inspection-slots/${other}/reopen`, { cookie: await staffSessionCookie(env, 'station.futian') }), 422, 'inspections.slot_day_passed');
    expect(p.detail).toContain(D2);
  });
});

describe('RACE R-35.5 move (改约) in one step: capacity guarded in SQL, Idempotency-Key stored with the move', async () => {
  const env = await testEnv();
  const { app } = concurrentApp(env);
  const t0 = env.clock.now();
  const post = async (path: string, cookie: string, body: unknown, key?: string) => {
    const r = await app.request(path, {
      method: 'POST',
      headers: { cookie, 'x-forwarded-for': '203.0.113.8', 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    const json = JSON.parse(text) as { code?: string; id?: string };
    return { status: r.status, code: r.status >= 400 ? json.code : undefined, id: json.id, text, replayed: r.headers.get('idempotent-replayed') === 'true' };
  };

  it('RACE 40 citizens move at once onto a slot with 5 free places: exactly 5 moves, the rest 409 slot_full, nothing drifts', async () => {
    const citizens = await makeCitizens(env.sql, 40, { start: 700, now: t0 });
    const from = await makeSlot(env.sql, FUTIAN, D3, '09:00', 40, t0);
    const to = await makeSlot(env.sql, FUTIAN, D3, '14:00', 5, t0);
    const ids = await Promise.all(citizens.map(async (c) => (await post('/api/v1/inspections/bookings', c.cookie, { vehicleId: c.vehicleId, slotId: from })).id!));
    const answers = await Promise.all(citizens.map((c, i) => post(`/api/v1/inspections/bookings/${ids[i]}/move`, c.cookie, { slotId: to }, `move-${i}`)));
    const tally: Record<string, number> = {};
    for (const a of answers) tally[`${a.status}${a.code ? ` ${a.code}` : ''}`] = (tally[`${a.status}${a.code ? ` ${a.code}` : ''}`] ?? 0) + 1;
    expect(tally).toEqual({ '201': 5, '409 inspections.slot_full': 35 });
    expect(await slotState(env.sql, to)).toMatchObject({ capacity: 5, booked: 5, active: 5 });
    expect(await slotState(env.sql, from)).toMatchObject({ booked: 35, active: 35 });
    const [n] = await env.sql<{ audit: number; sms: number; keys: number }[]>`
      SELECT (SELECT count(*)::int FROM audit_log WHERE action = 'inspections.moved' AND after->>'slotId' = ${to}) AS audit,
             (SELECT count(*)::int FROM outbox_message WHERE template = 'inspections.moved' AND payload->>'startsAt' = '14:00' AND payload->>'day' = ${D3}) AS sms,
             (SELECT count(*)::int FROM idempotency_key WHERE key LIKE 'move-%') AS keys`;
    // refusals store no key: their retry runs again
    expect(n).toEqual({ audit: 5, sms: 5, keys: 5 });
  });

  it('the same key sent 5× at once moves once; every answer is that move, byte for byte; another body → 422', async () => {
    const [c] = await makeCitizens(env.sql, 1, { start: 800, now: t0 });
    const a = await makeSlot(env.sql, FUTIAN, D2, '09:00', 5, t0);
    const b = await makeSlot(env.sql, FUTIAN, D2, '14:00', 5, t0);
    const booked = await post('/api/v1/inspections/bookings', c!.cookie, { vehicleId: c!.vehicleId, slotId: a });
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(`/api/v1/inspections/bookings/${booked.id}/move`, c!.cookie, { slotId: b }, 'same-move-key')));
    expect(answers.map((x) => x.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((x) => x.text)).size).toBe(1);
    expect(answers.filter((x) => x.replayed)).toHaveLength(4);
    expect(await slotState(env.sql, b)).toMatchObject({ booked: 1, active: 1 });
    expect(await slotState(env.sql, a)).toMatchObject({ booked: 0, active: 0 });
    const reused = await post(`/api/v1/inspections/bookings/${booked.id}/move`, c!.cookie, { slotId: a }, 'same-move-key');
    expect({ status: reused.status, code: reused.code }).toEqual({ status: 422, code: 'idempotency.key_reused' });
    // the moved booking's own closing job is queued for its day
    const [job] = await env.sql`SELECT 1 FROM job WHERE kind = 'inspections.close_passed' AND dedupe_key = ${answers[0]!.id!} AND status = 'queued'`;
    expect(job).toBeDefined();
  });
});
