/**
 * Fixtures for the plates tests (imported by *.test.ts only): staff and user
 * sessions without argon2 round trips, many users at once, valid VINs, and a
 * segment plan taken through its whole lifecycle to `open`.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestEnv } from '../../../test/support.ts';
import { cookiesOf, STAFF_PASSWORD, staffTotp } from '../../../test/support.ts';
import { createSession } from '../../platform/sessions.ts';
import { idNumberCheckChar, vinCheckChar } from '../../platform/check-digits.ts';
import { createCalendar, shanghaiDay, startOfShanghaiDay } from '../../platform/calendar.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { jobHandlers } from '../index.ts';
import type { Sql } from '../../db.ts';

export const ZHANG_WEI = { userId: '50000000-0000-4000-8000-000000000001', idNumber: '440304198503122756', name: '张伟', phone: '13800138000' };
/** 深圳市顺达通物流有限公司, an organisation user. */
export const SHUNDATONG = { userId: '50000000-0000-4000-8000-000000000003', uscc: '91440300MA5F28360P', name: '深圳市顺达通物流有限公司', phone: '13600136000' };
export const WANG_FANG = { userId: '50000000-0000-4000-8000-000000000002', idNumber: '440305199007213406', name: '王芳', phone: '13700137000' };
/** The demo seed's brand-new car of 廖志明 (plate_no NULL, owner without account). */
export const SEED_NEW_CAR_VIN = 'LFVBJ6C27TF583246';
/** 粤BA1234, 张伟's registered car. */
export const SEED_REGISTERED_VIN = 'LSVAM4189KC263624';

/** A VIN with a correct check digit, unique per `n`. */
export function vin(n: number): string {
  const body = `LFV3A28K${0}${'ABCDEFGH'[n % 8]}${String(n).padStart(7, '0')}`;
  const raw = body.slice(0, 17);
  return raw.slice(0, 8) + vinCheckChar(raw) + raw.slice(9);
}

export { staffSessionCookie as staffCookie } from '../../../test/support.ts';

/** Signs in through the API once, to prove the path works; the other calls use {@link staffCookie}. */
export async function staffSignIn(env: TestEnv, username: string): Promise<string> {
  const res = await env.call('POST', '/admin-api/auth/sign-in', { body: { username, password: STAFF_PASSWORD, totp: await staffTotp(env, username) } });
  expect(res.status).toBe(200);
  return cookiesOf(res);
}

export async function userCookie(sql: Sql, userId: string, now: Date): Promise<string> {
  const { token } = await createSession(sql, 'user', userId, now, { ip: '203.0.113.7', userAgent: 'vitest' });
  return `jg_session=${token}`;
}

export type TestUser = { userId: string; idNumber: string; name: string; phone: string; cookie: string };

/** `count` new-car-owner users with valid resident IDs, inserted in bulk, each with a session. */
export async function makeUsers(sql: Sql, count: number, now: Date, tag: number): Promise<TestUser[]> {
  const people = Array.from({ length: count }, (_, i) => {
    const body = `440305${1950 + tag}${String(1 + Math.floor(i / 1000)).padStart(2, '0')}01${String(i % 1000).padStart(3, '0')}`;
    return { idNumber: body + idNumberCheckChar(body), name: `测试${tag}号${i}`, phone: `159${String(tag).padStart(2, '0')}${String(i).padStart(6, '0')}` };
  });
  const rows = await sql<{ id: string; phone: string }[]>`
    WITH p AS (
      INSERT INTO person (id_type, id_number, name, sex, birth_date, phone)
      SELECT 'resident_id', t.id_number, t.name, 'M', '1990-01-01', t.phone
      FROM unnest(${sql.array(people.map((p) => p.idNumber))}::text[], ${sql.array(people.map((p) => p.name))}::text[], ${sql.array(people.map((p) => p.phone))}::text[])
           AS t(id_number, name, phone)
      RETURNING id, id_number, phone
    )
    INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, created_at)
    SELECT 'personal', 'new_car_owner', 'online', p.id, p.phone, ${now} FROM p
    RETURNING id, phone`;
  const byPhone = new Map(rows.map((r) => [r.phone, r.id]));
  return Promise.all(
    people.map(async (p) => {
      const userId = byPhone.get(p.phone)!;
      return { ...p, userId, cookie: await userCookie(sql, userId, now) };
    }),
  );
}

/** The first instant of the day that is `n` working days after the clock's day: a start publishable today. */
export function startInWorkingDays(now: Date, n = 3): Date {
  const cal = createCalendar();
  return startOfShanghaiDay(cal.addWorkingDays(shanghaiDay(now), n));
}

export async function runJobs(env: TestEnv): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await runDueJobs(env.deps, jobHandlers, env.clock.now(), 500);
    total += n;
    if (n === 0) return total;
  }
}

/**
 * A plan taken draft → submitted → approved → published → pool built → open,
 * moving the clock to its start. Returns the plan as the staff API shows it.
 */
export async function openPlan(env: TestEnv, review: () => Promise<string>, input: { pattern: string; plateKind?: string; excludeDigits?: string; withheldSerials?: string[] }) {
  const startAt = startInWorkingDays(env.clock.now());
  const created = await env.call('POST', '/admin-api/plate-plans', {
    cookie: await review(),
    body: { plateKind: input.plateKind ?? 'small_blue', pattern: input.pattern, startAt: startAt.toISOString(), excludeDigits: input.excludeDigits ?? '', withheldSerials: input.withheldSerials ?? [] },
  });
  expect(created.status, JSON.stringify(await created.clone().json())).toBe(201);
  const id = (await created.json()).id as string;
  for (const [cmd, body] of [['submit'], ['approve', { kind: 'filed', documentRef: '粤公交管〔2026〕88号' }], ['publish'], ['build-pool']] as [string, unknown?][]) {
    const r = await env.call('POST', `/admin-api/plate-plans/${id}/${cmd}`, body ? { cookie: await review(), body } : { cookie: await review() });
    expect(r.status, `${cmd}: ${JSON.stringify(await r.clone().json())}`).toBe(200);
  }
  await runJobs(env);
  env.clock.set(new Date(startAt.getTime() + 60_000));
  const opened = await env.call('POST', `/admin-api/plate-plans/${id}/open`, { cookie: await review() });
  expect(opened.status, JSON.stringify(await opened.clone().json())).toBe(200);
  return (await opened.json()) as { id: string; poolSize: number; prefix: string; startAt: string };
}

/** Counts by status of a pool, read from every row (the invariant check). */
export async function poolStatusCounts(sql: Sql, planId: string) {
  const rows = await sql<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM plate_number WHERE plan_id = ${planId} GROUP BY status`;
  const c = { free: 0, offered: 0, reserved: 0, issued: 0, withheld: 0 };
  for (const r of rows) c[r.status as keyof typeof c] = r.n;
  return c;
}

export const preselectBody = (planId: string, who: { idNumber: string; name: string; phone: string }, v: string, extra: Record<string, unknown> = {}) => ({
  planId, mode: 'self', vin: v, ownerIdType: 'resident_id', ownerIdNumber: who.idNumber, ownerName: who.name, phone: who.phone, ...extra,
});

/** A browser's nonce for a draw (issue 18): 32 random bytes, hex. */
export const newNonce = () => randomBytes(32).toString('hex');

/**
 * A draw as the browser makes it (issue 18): read the commitment of the next
 * draw shown on the page, then send it with a fresh nonce.
 */
export async function drawFor(env: TestEnv, preselectionId: string, cookie: string, clientNonce = newNonce()): ReturnType<TestEnv['call']> {
  const ps = (await (await env.call('GET', `/api/v1/plates/preselections/${preselectionId}`, { cookie })).json()) as { nextDraw: { commitment: string } | null };
  return env.call('POST', `/api/v1/plates/preselections/${preselectionId}/draws`, { cookie, body: { commitment: ps.nextDraw?.commitment ?? '0'.repeat(64), clientNonce } });
}
