/**
 * Fixtures for the replacements and temporary-plates tests (imported by
 * *.test.ts only): sessions without argon2 round trips, jobs run to the end.
 */
import { expect } from 'vitest';
import type { TestEnv } from '../../../test/support.ts';
import { cookiesOf, STAFF_PASSWORD, staffTotp } from '../../../test/support.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { dispatchDue } from '../../platform/outbox.ts';
import { jobHandlers } from '../index.ts';

/** Seed users (db/seed/README.md). */
export const ZHANG_WEI = { userId: '50000000-0000-4000-8000-000000000001', phone: '13800138000' }; // counter-registered
export const WANG_FANG = { userId: '50000000-0000-4000-8000-000000000002', phone: '13700137000' }; // online-registered
export const LOGISTICS = { userId: '50000000-0000-4000-8000-000000000003' }; // organisation
export const FENG_TAO = { userId: '50000000-0000-4000-8000-000000000701', phone: '15565936332' }; // counter, withheld 粤B59D69
/** 张伟's 粤BA1234 (small_blue), 粤BD12345 (small_new_energy) and the non-own 粤B8K2M9 of 刘丽. */
export const VEHICLES = {
  zwLavida: '30000000-0000-4000-8000-000000000001',
  zwHan: '30000000-0000-4000-8000-000000000002',
  liuliNonOwn: '30000000-0000-4000-8000-000000000003',
  wfSong: '30000000-0000-4000-8000-000000000004',
  ftWithheld: '30000000-0000-4000-8000-000000000030',
};

export async function staffCookie(env: TestEnv, username: string): Promise<string> {
  const res = await env.call('POST', '/admin-api/auth/sign-in', { body: { username, password: STAFF_PASSWORD, totp: await staffTotp(env, username) } });
  expect(res.status).toBe(200);
  return cookiesOf(res);
}

export { staffSessionCookie as staffSession } from '../../../test/support.ts';

export { userSessionCookie as userCookie } from '../../../test/support.ts';

/** Runs every due job at the clock's time, and delivers due outbox messages. */
export async function runJobs(env: TestEnv): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await runDueJobs(env.deps, jobHandlers, env.clock.now(), 500);
    total += n;
    if (n === 0) break;
  }
  await dispatchDue(env.sql, env.deps.providers, env.clock.now(), 200);
  return total;
}

/** A PNG-looking file of `size` bytes. */
export function pngBytes(size: number): Buffer {
  const b = Buffer.alloc(size, 7);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  return b;
}

/** The chunked upload of the one store (platform/uploads/testing.ts). */
export { chunkedUpload as upload } from '../../platform/uploads/testing.ts';
