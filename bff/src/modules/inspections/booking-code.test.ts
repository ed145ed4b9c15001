/**
 * A booking's code is 40 random bits (rules.bookingCode), unique in the
 * database. Drawn twice — at the birthday bound about once in ten million
 * bookings at 150,000 of them, and surely over a province's years — the
 * unique index refuses the second holder, and the booking is made again with
 * another code (ADR-041) instead of answering 500. The draw is forced here
 * through `referenceSource`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.ts';
import { createApp } from '../../app.ts';
import { referenceSource } from '../../platform/references.ts';
import { bookingCode } from './rules.ts';
import { FUTIAN, makeCitizens, makeSlot, slotState, type TestCitizen } from './testing.ts';

const realBytes = referenceSource.bytes;
afterEach(() => {
  referenceSource.bytes = realBytes;
});

/** The next `times` draws of a booking code's five bytes are `taken`'s; random ones after. */
function forceDraws(taken: Uint8Array, times: number) {
  let left = times;
  referenceSource.bytes = (n) => (n === taken.length && left-- > 0 ? taken : realBytes(n));
}

type App = { request: (path: string, init: RequestInit) => Response | Promise<Response> };

async function book(app: App, c: TestCitizen, slotId: string, key?: string) {
  const r = await app.request('/api/v1/inspections/bookings', {
    method: 'POST',
    headers: { cookie: c.cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ vehicleId: c.vehicleId, slotId }),
  });
  return { status: r.status, body: (await r.json()) as { id: string; code: string } };
}

async function codesOf(env: TestEnv, slotId: string) {
  return env.sql<{ code: string; sms: string | null; audit: string | null }[]>`
    SELECT b.code,
           (SELECT m.payload->>'code' FROM outbox_message m WHERE m.dedupe_key IN ('inspections.booked:' || b.id, 'inspections.moved:' || b.id)) AS sms,
           (SELECT a.after->>'code' FROM audit_log a WHERE a.entity_id = b.id::text AND a.action IN ('inspections.booked', 'inspections.moved')) AS audit
    FROM inspection_booking b WHERE b.slot_id = ${slotId} ORDER BY b.created_at, b.code`;
}

describe('R-34 a booking code drawn twice: the booking is made with another code', async () => {
  const env = await testEnv();
  const now = env.clock.now();
  const crowd = await makeCitizens(env.sql, 16, { now, start: 8100 });
  const taken = new Uint8Array([0x5a, 0x11, 0xc3, 0x07, 0x9e]);
  const TAKEN = bookingCode(taken);
  const oneByOne = createApp({ ...env.deps, config: { ...env.deps.config, GROUP_COMMIT: false } });

  it('group commit: the second holder of a code is booked under a new one; code, SMS and audit agree', async () => {
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-09', '08:00', 5, now);
    forceDraws(taken, 1);
    const first = await book(env.app, crowd[0]!, slot);
    expect(first.status).toBe(201);
    expect(first.body.code).toBe(TAKEN);
    forceDraws(taken, 1);
    const second = await book(env.app, crowd[1]!, slot, 'code-again-1');
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.code).not.toBe(TAKEN);
    expect(second.body.code).toMatch(/^JY[2-9A-HJ-NP-Z]{8}$/);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 2, active: 2 });
    const rows = await codesOf(env, slot);
    expect(rows.map((r) => r.code).sort()).toEqual([TAKEN, second.body.code].sort());
    for (const r of rows) expect(r).toEqual({ code: r.code, sms: r.code, audit: r.code });
    // the stored answer of the key is the booking that was made
    const [k] = await env.sql<{ body: string }[]>`SELECT response_body AS body FROM idempotency_key WHERE key = 'code-again-1'`;
    expect(JSON.parse(k!.body).code).toBe(second.body.code);
  });

  it('group commit: one member of a batch draws a taken code; it and its neighbours are all booked', async () => {
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-09', '09:30', 10, now);
    forceDraws(taken, 3);
    const answers = await Promise.all(crowd.slice(2, 12).map((c) => book(env.app, c, slot)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(answers.filter((a) => a.body.code === TAKEN)).toHaveLength(0);
    expect(new Set(answers.map((a) => a.body.code)).size).toBe(10);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 10, active: 10 });
  });

  it('one statement a booking (GROUP_COMMIT=false): the same', async () => {
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-10', '08:00', 5, now);
    forceDraws(taken, 2);
    const r = await book(oneByOne, crowd[12]!, slot);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.code).not.toBe(TAKEN);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 1, active: 1 });
    expect((await codesOf(env, slot))[0]).toEqual({ code: r.body.code, sms: r.body.code, audit: r.body.code });
  });

  it('R-36.5 a move that draws a taken code moves under a new one', async () => {
    const from = await makeSlot(env.sql, FUTIAN, '2026-12-10', '09:30', 5, now);
    const to = await makeSlot(env.sql, FUTIAN, '2026-12-10', '11:00', 5, now);
    const b = await book(env.app, crowd[13]!, from);
    expect(b.status).toBe(201);
    forceDraws(taken, 1);
    const r = await env.call('POST', `/api/v1/inspections/bookings/${b.body.id}/move`, { cookie: crowd[13]!.cookie, body: { slotId: to } });
    const moved = (await r.json()) as { code: string; slotId?: string };
    expect(r.status, JSON.stringify(moved)).toBe(201);
    expect(moved.code).not.toBe(TAKEN);
    expect(await slotState(env.sql, from)).toMatchObject({ booked: 0 });
    expect(await slotState(env.sql, to)).toMatchObject({ booked: 1, active: 1 });
    expect((await codesOf(env, to))[0]).toEqual({ code: moved.code, sms: moved.code, audit: moved.code });
  });
});
