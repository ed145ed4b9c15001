/**
 * RACE: group-committed bookings (issue 23, ADR-040). Two pools with a
 * batcher each stand for two bff processes; PostgreSQL alone decides.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concurrentApp, testEnv } from '../../../test/support.ts';
import { groupCommitFor, GroupCommit } from '../../platform/group-commit.ts';
import * as repo from './repo.ts';
import { sessionIdFromToken } from '../../platform/sessions.ts';
import { batchMember, FUTIAN, makeCitizens, makeSlot, slotState, type BatchMemberOptions, type TestCitizen } from './testing.ts';

type Answer = { status: number; code?: string; id?: string };

describe('RACE: group-committed inspection bookings', async () => {
  const env = await testEnv();
  const now = env.clock.now();
  // Small pools: two of them plus the test's own stay well under the server's connections.
  const one = concurrentApp(env, 10);
  const two = concurrentApp(env, 10);
  const post = async (app: typeof one.app, c: TestCitizen, slotId: string, key?: string): Promise<Answer> => {
    const r = await app.request('/api/v1/inspections/bookings', {
      method: 'POST',
      headers: { cookie: c.cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.8', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify({ vehicleId: c.vehicleId, slotId }),
    });
    const json = (await r.json()) as { code?: string; id?: string };
    return { status: r.status, code: r.status >= 400 ? json.code : undefined, id: json.id };
  };
  const tally = (answers: Answer[]) => {
    const t: Record<string, number> = {};
    for (const a of answers) t[`${a.status}${a.code ? ` ${a.code}` : ''}`] = (t[`${a.status}${a.code ? ` ${a.code}` : ''}`] ?? 0) + 1;
    return t;
  };
  const readBatcherOf = (sql: object) => groupCommitFor<repo.BookingInputsRequest, repo.BookingInputs>(sql, 'inspections.book-inputs', () => { throw new Error('no read batcher yet'); });
  const batcherOf = (sql: object) => groupCommitFor<repo.BatchedBooking, repo.BatchOutcome>(sql, 'inspections.book', () => { throw new Error('no batcher yet'); });

  it('RACE R-36.2.1 two processes’ batchers hammer one slot with 300 requests for 37 places: exactly 37 booked, every request answered', async () => {
    const crowd = await makeCitizens(env.sql, 300, { now, start: 7000 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-09', '09:00', 37, now);
    const answers = await Promise.all(crowd.map((c, i) => post(i % 2 ? two.app : one.app, c, slot, i % 3 ? `gc-${i}` : undefined)));
    expect(answers).toHaveLength(300);
    expect(tally(answers)).toEqual({ '201': 37, '409 inspections.slot_full': 263 });
    expect(await slotState(env.sql, slot)).toMatchObject({ capacity: 37, booked: 37, active: 37 });
    const [n] = await env.sql<{ sms: number; audit: number; jobs: number; keys: number }[]>`
      SELECT (SELECT count(*)::int FROM outbox_message m JOIN outbox_event e ON e.message_id = m.id WHERE m.template = 'inspections.booked' AND m.payload->>'day' = '2026-12-09') AS sms,
             (SELECT count(*)::int FROM audit_log WHERE action = 'inspections.booked' AND after->>'slotId' = ${slot}) AS audit,
             (SELECT count(*)::int FROM job j JOIN inspection_booking b ON b.id::text = j.dedupe_key WHERE j.kind = 'inspections.close_passed' AND b.slot_id = ${slot}) AS jobs,
             (SELECT count(*)::int FROM idempotency_key WHERE key LIKE 'gc-%' AND response_status = 201) AS keys`;
    const keyed = answers.filter((a, i) => a.status === 201 && i % 3 !== 0).length;
    expect(n).toEqual({ sms: 37, audit: 37, jobs: 37, keys: keyed });
    // the audit rows carry the counter each booking left behind: 1 … 37, once each
    const taken = await env.sql<{ p: number }[]>`SELECT (after->>'placesTaken')::int AS p FROM audit_log WHERE action = 'inspections.booked' AND after->>'slotId' = ${slot} ORDER BY 1`;
    expect(taken.map((r) => r.p)).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
    // both processes really batched
    for (const app of [one, two]) {
      for (const s of [batcherOf(app.sql).stats, readBatcherOf(app.sql).stats]) {
        expect(s.batches).toBeGreaterThan(0);
        expect(s.items).toBeGreaterThan(s.batches);
      }
    }
  });

  it('RACE the same vehicles through both processes at once, on two slots: one active booking each', async () => {
    const crowd = await makeCitizens(env.sql, 40, { now, start: 7400 });
    const a = await makeSlot(env.sql, FUTIAN, '2026-12-10', '09:00', 100, now);
    const b = await makeSlot(env.sql, FUTIAN, '2026-12-10', '14:00', 100, now);
    const answers = await Promise.all(crowd.flatMap((c) => [post(one.app, c, a), post(two.app, c, b), post(one.app, c, b)]));
    expect(tally(answers)).toEqual({ '201': 40, '409 inspections.vehicle_already_booked': 80 });
    const [sa, sb] = [await slotState(env.sql, a), await slotState(env.sql, b)];
    expect(sa.booked + sb.booked).toBe(40);
    expect(sa.booked).toBe(sa.active);
    expect(sb.booked).toBe(sb.active);
  });

  const member = (c: TestCitizen, slotId: string, o: BatchMemberOptions = {}) => batchMember(c, slotId, now, o);

  it('one statement decides a batch in arrival order: places, a vehicle twice, a key twice, the cross-city quota, a suspended slot', async () => {
    const [p, q, r, s, t, u] = await makeCitizens(env.sql, 6, { now, start: 7500 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-11', '09:00', 3, now);
    const suspended = await makeSlot(env.sql, FUTIAN, '2026-12-11', '14:00', 3, now);
    await env.sql`UPDATE inspection_slot SET status = 'suspended' WHERE id = ${suspended}`;
    const out = await repo.bookBatch(env.sql, [
      member(p!, slot, { quota: 1 }), // cross-city, takes the quota's only place
      member(q!, slot, { quota: 1 }), // cross-city quota used up — though places are left
      member(p!, slot), // the same vehicle again
      member(r!, slot, { key: 'k-r' }),
      member(r!, slot, { key: 'k-r' }), // the same key again: the first's stored answer
      member(s!, slot), // the last place
      member(t!, slot), // full
      member(u!, suspended),
      member(u!, '00000000-0000-4000-8000-000000000000'),
    ]);
    expect(out.map((o) => o.outcome)).toEqual(['booked', 'no_place', 'vehicle_booked', 'booked', 'replay', 'booked', 'no_place', 'no_place', 'no_place']);
    expect(out[0]).toEqual({ outcome: 'booked', placesBooked: 1, places: 3 });
    expect(out[1]).toMatchObject({ placesBooked: 1, places: 3, crossBooked: 1, slotStatus: 'open' });
    // the same key again within the batch: exactly the answer the stored row gives (migration 0035 answers it before the row is written)
    const stored = await repo.storedKey(env.sql, { principal: `user:${r!.userId}`, key: 'k-r', method: 'POST', path: '/api/v1/inspections/bookings', hash: 'h' });
    expect(stored).toMatchObject({ status: 'done', responseStatus: 201 });
    expect(out[4]).toEqual({ outcome: 'replay', storedKey: stored });
    expect(out[6]).toMatchObject({ placesBooked: 3, places: 3, slotStatus: 'open' });
    expect(out[7]).toMatchObject({ slotStatus: 'suspended' });
    expect(out[8]).toMatchObject({ slotStatus: null, places: null });
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 3, active: 3, cross_city_booked: 1 });
  });

  it('one statement reads a batch: each request gets exactly what its own read would give, in order (ADR-040 "Reads")', async () => {
    const [p, q, r] = await makeCitizens(env.sql, 3, { now, start: 7900 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-15', '09:00', 3, now);
    await env.sql`INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, response_status, response_body, response_type, created_at, locked_until)
      VALUES (${`user:${q!.userId}`}, 'read-k', 'POST', '/api/v1/inspections/bookings', 'h', 'done', 201, '{}', 'application/json', ${now}, ${now})`;
    const sid = (c: TestCitizen) => sessionIdFromToken(c.cookie.slice('jg_session='.length));
    const nobody = '00000000-0000-4000-8000-000000000000';
    const key = (k: string, principal: string | null = null) => ({ principal, key: k, method: 'POST', path: '/api/v1/inspections/bookings', hash: 'h' });
    const reqs: repo.BookingInputsRequest[] = [
      { who: { sessionId: sid(p!) }, vehicleId: p!.vehicleId, slotId: slot, idem: undefined },
      { who: { sessionId: sid(q!) }, vehicleId: q!.vehicleId, slotId: slot, idem: key('read-k') }, // the key stored for her: found
      { who: { sessionId: sid(p!) }, vehicleId: q!.vehicleId, slotId: slot, idem: key('read-k') }, // another's vehicle, another's key: neither
      { who: { userId: r!.userId }, vehicleId: r!.vehicleId, slotId: nobody, idem: key('read-k', `user:${q!.userId}`) },
      { who: { sessionId: 'no-such-session' }, vehicleId: r!.vehicleId, slotId: slot, idem: undefined },
    ];
    const batched = await repo.bookingInputsBatch(env.sql, reqs);
    const single = await Promise.all(reqs.map((x) => repo.bookingInputs(env.sql, x.who, x.vehicleId, x.slotId, x.idem)));
    expect(batched).toEqual(single);
    expect(batched.map((b) => [!!b.session, b.vehicle?.id ?? null, b.slot?.id ?? null, b.account?.phone ?? null, b.idem?.responseStatus ?? null])).toEqual([
      [true, p!.vehicleId, slot, p!.phone, null],
      [true, q!.vehicleId, slot, q!.phone, 201],
      [true, null, slot, p!.phone, null],
      [false, r!.vehicleId, null, r!.phone, 201],
      [false, null, slot, null, null],
    ]);
  });

  it('one malformed booking in a batch fails only itself (split), its neighbours are booked', async () => {
    const crowd = await makeCitizens(env.sql, 7, { now, start: 7600 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-12', '09:00', 10, now);
    const g = new GroupCommit<repo.BatchedBooking, repo.BatchOutcome>({ run: (ms) => repo.bookBatch(env.sql, ms) });
    const members = crowd.map((c, i) => member(c, slot, i === 4 ? { vehicleId: randomUUID() } : {})); // no such vehicle: a foreign key refuses the statement
    const out = await Promise.allSettled(members.map((m) => g.submit(m)));
    expect(out.map((o) => (o.status === 'fulfilled' ? o.value.outcome : 'error'))).toEqual(['booked', 'booked', 'booked', 'booked', 'error', 'booked', 'booked']);
    expect((out[4] as PromiseRejectedResult).reason).toMatchObject({ code: '23503' });
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 6, active: 6 });
    expect(g.stats.splits).toBeGreaterThan(0);
  });

  it('a batch whose connection dies mid-statement commits nothing of it: its members are retried, and only what committed is acknowledged', async () => {
    const crowd = await makeCitizens(env.sql, 12, { now, start: 7800 });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-14', '09:00', 5, now);
    // Hold the slot's row lock, so the batches wait inside their statement…
    const holder = await env.sql.reserve();
    await holder`BEGIN`;
    await holder`SELECT 1 FROM inspection_slot WHERE id = ${slot} FOR UPDATE`;
    const pending = Promise.all(crowd.map((c, i) => post(one.app, c, slot, `dies-${i}`)));
    await new Promise((r) => setTimeout(r, 400));
    // …and kill their backends there, as a crash of the database side of the batch would.
    const killed = await env.sql<{ ok: boolean }[]>`
      SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE '%inspection_book_batch%' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`;
    expect(killed.length).toBeGreaterThan(0);
    await holder`COMMIT`;
    holder.release();
    const answers = await pending;
    // A batch split down to one request whose statement was killed answers 503 (nothing of it committed);
    // the others were retried in halves on live connections.
    const t = tally(answers);
    expect(Object.keys(t).filter((k) => !['201', '409 inspections.slot_full', '503 request.unavailable'].includes(k))).toEqual([]);
    expect(t['201']).toBe(5);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 5, active: 5 });
    const ids = answers.filter((a) => a.status === 201).map((a) => a.id!);
    const found = await env.sql`SELECT 1 FROM inspection_booking WHERE id = ANY(${ids}::uuid[]) AND status = 'booked'`;
    expect(found).toHaveLength(5);
    // a 503 left no key behind: its retry runs afresh
    const unanswered = answers.flatMap((a, i) => (a.status === 503 ? [`dies-${i}`] : []));
    expect(await env.sql`SELECT 1 FROM idempotency_key WHERE key = ANY(${unanswered})`).toHaveLength(0);
    const [n] = await env.sql<{ audit: number; sms: number; keys: number }[]>`
      SELECT (SELECT count(*)::int FROM audit_log WHERE action = 'inspections.booked' AND after->>'slotId' = ${slot}) AS audit,
             (SELECT count(*)::int FROM outbox_message WHERE template = 'inspections.booked' AND payload->>'day' = '2026-12-14') AS sms,
             (SELECT count(*)::int FROM idempotency_key WHERE key LIKE 'dies-%') AS keys`;
    expect(n).toEqual({ audit: 5, sms: 5, keys: 5 });
  });

  it('with GROUP_COMMIT=false the booking goes one statement per request, and the race still holds', async () => {
    const off = await testEnv({ config: { GROUP_COMMIT: 'false' } });
    const { app } = concurrentApp(off, 10);
    const crowd = await makeCitizens(off.sql, 60, { now, start: 7700 });
    const slot = await makeSlot(off.sql, FUTIAN, '2026-12-13', '09:00', 9, now);
    const answers = await Promise.all(crowd.map((c) => post(app, c, slot)));
    expect(tally(answers)).toEqual({ '201': 9, '409 inspections.slot_full': 51 });
    expect(await slotState(off.sql, slot)).toMatchObject({ booked: 9, active: 9 });
  });
});
