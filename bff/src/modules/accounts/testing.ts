/**
 * Fixtures for the accounts tests (imported by *.test.ts only): staff and
 * citizen sessions without argon2 round trips, uploads, valid counter forms,
 * and running the durable jobs that fell due.
 */
import { expect } from 'vitest';
import type { TestEnv, TestResponse } from '../../../test/support.ts';
import { cookiesOf, lastSmsCode } from '../../../test/support.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { jobHandlers } from '../index.ts';

export const ZHANG_WEI = { userId: '50000000-0000-4000-8000-000000000001', idNumber: '440304198503122756', name: '张伟', phone: '13800138000' };
export const WANG_FANG = { userId: '50000000-0000-4000-8000-000000000002', idNumber: '440305199007213406', name: '王芳', phone: '13700137000' };
export const SHUNDATONG = { userId: '50000000-0000-4000-8000-000000000003', uscc: '91440300MA5F28360P', phone: '13600136000' };
export const LI_NA = { name: '李娜', idNumber: '440303198811057101', phone: '13900139000' };
export const ZHAO_LEI = { name: '赵磊', idNumber: '440306197902142234', phone: '13500135000' };
export const CHEN_JING = { name: '陈静', idNumber: '440307199509300705', phone: '15800158000', sex: 'F', birthDate: '1995-09-30' };
/** No vehicle, no licence; an accepted first-licence application in the seed (db/seed, issue 3 block). */
export const LIU_JIANHUA = { name: '刘建华', idNumber: '440304196604039717', phone: '13603016703' };
/** Own a new car without a plate. */
export const LIAO_ZHIMING = { name: '廖志明', idNumber: '44030719600909629X' };
export const ZHONG_XUE = { name: '钟雪', idNumber: '440306200012316380' };
/** 吴志强: hit-and-run crime. */
export const WU_ZHIQIANG = { name: '吴志强', idNumber: '440307197212010257', sex: 'M', birthDate: '1972-12-01' };
export const PASSWORD = 'Test#2026pass';

export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
export const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

export { staffSessionCookie as staffCookie } from '../../../test/support.ts';

export { userSessionCookie as userCookie } from '../../../test/support.ts';

export async function phoneOf(env: TestEnv, idNumber: string): Promise<string> {
  const [p] = await env.sql<{ phone: string }[]>`
    SELECT COALESCE(la.phone, v.owner_phone, p.phone) AS phone FROM person p
    LEFT JOIN licence_application la ON la.person_id = p.id
    LEFT JOIN vehicle v ON v.owner_person_id = p.id
    WHERE p.id_number = ${idNumber} LIMIT 1`;
  return p!.phone;
}

/** Sends a binary upload the way the browser and the counter scanner do. */
export function uploadRaw(env: TestEnv, path: string, cookie: string, purpose: string, bytes: Uint8Array, type = 'image/jpeg'): Promise<TestResponse> {
  return Promise.resolve(
    env.app.request(`${path}?purpose=${purpose}`, {
      method: 'POST',
      headers: { cookie, 'content-type': type, 'x-forwarded-for': '203.0.113.7' },
      body: bytes,
    }),
  ) as Promise<TestResponse>;
}

/** Scans every document of `purposes` at the counter; returns the purpose → upload id map. */
export async function scan(env: TestEnv, cookie: string, purposes: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of purposes) {
    const res = await uploadRaw(env, '/admin-api/uploads', cookie, p, p === 'onsite_photo' ? JPEG : PDF, p === 'onsite_photo' ? 'image/jpeg' : 'application/pdf');
    expect(res.status, p).toBe(201);
    out[p] = (await res.json()).id;
  }
  return out;
}

export const PERSON_DOCS = ['onsite_photo', 'application_form', 'identity_document'];
export const NON_OWN_DOCS = [...PERSON_DOCS, 'owner_identity_document', 'vehicle_licence'];
export const ORG_DOCS = ['onsite_photo', 'application_form', 'organisation_certificate', 'letter_of_authorisation', 'agent_identity_document'];

export function personForm(p: { name: string; idNumber: string; phone: string; sex?: string; birthDate?: string }, over: Record<string, unknown> = {}) {
  return {
    name: p.name,
    sex: p.sex ?? 'M',
    birthDate: p.birthDate ?? `${p.idNumber.slice(6, 10)}-${p.idNumber.slice(10, 12)}-${p.idNumber.slice(12, 14)}`,
    idType: 'resident_id',
    idNumber: p.idNumber,
    phone: p.phone,
    email: null,
    postalAddress: '广东省深圳市龙岗区龙城大道99号碧海名苑1栋2106',
    postcode: '518172',
    ...over,
  };
}

/** Moves the clock and runs the durable jobs that fell due (the worker's loop, by hand). */
export async function advanceAndRunJobs(env: TestEnv, ms: number): Promise<number> {
  env.clock.advance(ms);
  return runDueJobs(env.deps, jobHandlers, env.clock.now(), 200);
}

export async function smsTo(env: TestEnv, phone: string, template: string) {
  return env.sql<{ payload: Record<string, unknown> }[]>`
    SELECT payload FROM outbox_message WHERE channel = 'sms' AND recipient = ${phone} AND template = ${template} ORDER BY created_at DESC`;
}

/** Signs a citizen in with an SMS code (the path a counter-registered user without a password takes). */
export async function smsSignIn(env: TestEnv, phone: string): Promise<TestResponse & { cookie: string }> {
  env.clock.advance(61_000);
  const r = await env.call('POST', '/api/v1/auth/sms-codes', { body: { phone, purpose: 'sign_in' } });
  expect(r.status).toBe(202);
  const code = await lastSmsCode(env.sql, phone);
  const res = await env.call('POST', '/api/v1/auth/sign-in/sms', { body: { phone, smsCode: code } });
  return Object.assign(res, { cookie: cookiesOf(res) });
}

export async function signUp(env: TestEnv, who: { name: string; idNumber: string; phone: string }, personalType?: string): Promise<TestResponse & { cookie: string }> {
  env.clock.advance(61_000);
  const r = await env.call('POST', '/api/v1/auth/sms-codes', { body: { phone: who.phone, purpose: 'sign_up' } });
  expect(r.status).toBe(202);
  const smsCode = await lastSmsCode(env.sql, who.phone);
  const res = await env.call('POST', '/api/v1/auth/sign-up', { body: { ...who, smsCode, password: PASSWORD, ...(personalType ? { personalType } : {}) } });
  return Object.assign(res, { cookie: cookiesOf(res) });
}

export async function auditActions(env: TestEnv, entityType: string, entityId: string): Promise<string[]> {
  const rows = await env.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE entity_type = ${entityType} AND entity_id = ${entityId} ORDER BY id`;
  return rows.map((r) => r.action);
}
