/**
 * Test fixtures for the inspections module (imported by its *.test.ts only):
 * sign-ins, and citizens with vehicles created straight in SQL for the races.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { cookiesOf, STAFF_PASSWORD, staffTotp, type TestEnv } from '../../../test/support.ts';
import type { Db } from '../../db.ts';
import { vinCheckChar } from '../../platform/check-digits.ts';
import { createSession } from '../../platform/sessions.ts';
import type { BatchedBooking } from './repo.ts';
import { bookingCode } from './rules.ts';

export const FUTIAN = '80000000-0000-4000-8000-000000000001';
export const BAOAN = '80000000-0000-4000-8000-000000000002';
export const TIANHE = '80000000-0000-4000-8000-000000000003';
/** 张伟's own 粤BA1234 (valid until 2027-01-31), his own 粤BD12345 (2028-06-30), the non-own 粤B8K2M9. */
export const ZW_LAVIDA = '30000000-0000-4000-8000-000000000001';
export const ZW_HAN = '30000000-0000-4000-8000-000000000002';
export const ZW_NON_OWN = '30000000-0000-4000-8000-000000000003';
/** 王芳's own 粤BF12345. */
export const WF_SONG = '30000000-0000-4000-8000-000000000004';
/** 黄婷's 粤BS6601 (valid until 2027-04-30) and 粤AK6602 (广州, valid until 2027-01-31). */
export const HT_FIVE_MONTHS = '30000000-0000-4000-8000-000000000601';
export const HT_GUANGZHOU = '30000000-0000-4000-8000-000000000602';

export const PHONES = { zhangwei: '13800138000', wangfang: '13700137000', logistics: '13600136000', huangting: '18656166424' } as const;

export async function citizenCookie(env: TestEnv, phone: string): Promise<string> {
  const r = await env.call('POST', '/api/v1/auth/sign-in', { body: { phone, password: 'Demo#2026pass' } });
  expect(r.status, phone).toBe(200);
  return cookiesOf(r);
}

export async function staffCookie(env: TestEnv, username: string): Promise<string> {
  const r = await env.call('POST', '/admin-api/auth/sign-in', { body: { username, password: STAFF_PASSWORD, totp: await staffTotp(env, username) } });
  expect(r.status, username).toBe(200);
  return cookiesOf(r);
}

function vin(n: number): string {
  // WMI LSV, VDS TE + 3 digits, check digit (position 9), model year T, plant C, serial
  const draft = `LSVTE${String(n % 1000).padStart(3, '0')}0TC${String(n).padStart(6, '0').slice(-6)}`;
  return draft.slice(0, 8) + vinCheckChar(draft) + draft.slice(9);
}

export type TestCitizen = { userId: string; vehicleId: string; phone: string; cookie: string };

/**
 * `n` personal users, each with one own small car registered in `city`,
 * inspection due within three months, and a live session (no password
 * hashing: the session row is written directly).
 */
export async function makeCitizens(sql: Db, n: number, opts: { city?: string; start?: number; validUntil?: string; now: Date }): Promise<TestCitizen[]> {
  const start = opts.start ?? 0;
  const city = opts.city ?? '440300';
  const out: TestCitizen[] = [];
  for (let i = start; i < start + n; i++) {
    const phone = `147${String(i).padStart(8, '0')}`;
    const [p] = await sql<{ id: string }[]>`
      INSERT INTO person (id_type, id_number, name, sex, birth_date, phone) VALUES ('passport', ${`RACE${i}`}, ${`测试${i}`}, 'M', '1990-01-01', ${phone}) RETURNING id`;
    const [v] = await sql<{ id: string }[]>`
      INSERT INTO vehicle (vin, plate_no, plate_kind, vehicle_type, brand_model, owner_person_id, owner_phone, registration_authority_id, registered_on, inspection_valid_until, axle_load_kg, brake_type)
      VALUES (${vin(i)}, ${`测${city === '440300' ? 'B' : 'A'}${i}`}, 'small_blue', 'K33', '测试车', ${p!.id}, ${phone}, ${city}, '2020-01-01', ${opts.validUntil ?? '2027-01-31'}, 900, 'hydraulic')
      RETURNING id`;
    const [u] = await sql<{ id: string }[]>`
      INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, created_at) VALUES ('personal', 'owner_driver', 'online', ${p!.id}, ${phone}, ${opts.now})
      RETURNING id`;
    await sql`INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind, bound_at) VALUES (${u!.id}, ${v!.id}, 'own', ${opts.now})`;
    const { token } = await createSession(sql, 'user', u!.id, opts.now, { ip: '203.0.113.9', userAgent: 'test' });
    out.push({ userId: u!.id, vehicleId: v!.id, phone, cookie: `jg_session=${token}` });
  }
  return out;
}

/** One open slot made directly (capacity as given), for tests that need an exact shape. */
export async function makeSlot(sql: Db, stationId: string, day: string, startsAt: string, capacity: number, now: Date): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO inspection_slot (station_id, day, starts_at, ends_at, capacity, created_at, updated_at)
    VALUES (${stationId}, ${day}, ${startsAt}, (${startsAt}::time + interval '90 minutes')::time, ${capacity}, ${now}, ${now}) RETURNING id`;
  return row!.id;
}

export async function slotState(sql: Db, slotId: string) {
  const [row] = await sql<{ booked: number; capacity: number; cross_city_booked: number; active: number; status: string }[]>`
    SELECT s.booked, s.capacity, s.cross_city_booked, s.status,
           (SELECT count(*)::int FROM inspection_booking b WHERE b.slot_id = s.id AND b.status = 'booked') AS active
    FROM inspection_slot s WHERE s.id = ${slotId}`;
  return row!;
}

export async function smsTo(sql: Db, phone: string, template?: string) {
  return sql<{ template: string; payload: Record<string, unknown> }[]>`
    SELECT template, payload FROM outbox_message WHERE channel = 'sms' AND recipient = ${phone} ${template ? sql`AND template = ${template}` : sql``}
    ORDER BY created_at DESC, id DESC`;
}

export type BatchMemberOptions = { key?: string; quota?: number | null; vehicleId?: string };

/** A member of a booking batch as the service builds it, for `inspection_book_batch` itself (ADR-040). */
export function batchMember(c: TestCitizen, slotId: string, now: Date, o: BatchMemberOptions = {}): BatchedBooking {
  const id = randomUUID();
  return {
    id, code: bookingCode(randomBytes(5)), vehicleId: o.vehicleId ?? c.vehicleId, userId: c.userId, slotId, stationId: FUTIAN, quota: o.quota ?? null, at: now, closeAt: new Date(now.getTime() + 86_400_000),
    audit: { actorKind: 'user', actorId: c.userId, actorLabel: 'test', authorityId: '440300', after: { slotId }, requestId: `req-${id}`, ip: '203.0.113.1' },
    sms: { recipient: c.phone, payload: { code: 'x' }, authorityId: '440300' },
    idem: o.key ? { principal: `user:${c.userId}`, key: o.key, method: 'POST', path: '/api/v1/inspections/bookings', hash: 'h', body: JSON.stringify({ id }), type: 'application/json' } : null,
  };
}
