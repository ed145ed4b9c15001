/**
 * is checked again when 管理岗 decides: a renewal filed inside the last
 * month but approved after that month closed is refused (the qualification is
 * not extended; the lapse job ends it, R-32.3).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.ts';
import { staffSession } from '../replacements/test-support.ts';
import { chunkedUpload as upload } from '../../platform/uploads/testing.ts';
import { REQUIRED_DOCUMENTS } from './rules.ts';

let env: TestEnv;
let qid: string;

async function ok(res: Awaited<ReturnType<TestEnv['call']>>, status = 200) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
async function documents(dealer: string) {
  const out: Record<string, string> = {};
  for (const k of REQUIRED_DOCUMENTS) out[k] = await upload(env, dealer, '/admin-api/temp-plate-uploads', Buffer.from(`%PDF-1.7 ${k}`), { fileName: `${k}.pdf` }, 'application/pdf');
  return out;
}

describe('R-31.3 the renewal window at the 管理岗 decision', () => {
  beforeAll(async () => {
    env = await testEnv();
    const [dealer, review] = [await staffSession(env, 'dealer.pengcheng'), await staffSession(env, 'sz.review')];
    qid = (await ok(await env.call('POST', '/admin-api/dealer-qualifications', { cookie: dealer, body: { brandModels: ['大众探岳'], documents: await documents(dealer) } }), 201)).id;
    const q = await ok(await env.call('POST', `/admin-api/dealer-qualifications/${qid}/approve`, { cookie: review, body: { quota: 5 } }));
    expect(q).toMatchObject({ validUntil: '2027-11-24', renewalWindow: { opensOn: '2027-10-24', closesOn: '2027-11-24' } });
  });

  it('R-31.3 filed on the window’s last day, approved the day after it closed: refused, nothing extended', async () => {
    env.clock.set('2027-11-24T10:00:00Z'); // 18:00 on the last valid day, inside the window
    const dealer = await staffSession(env, 'dealer.pengcheng');
    await ok(await env.call('POST', `/admin-api/dealer-qualifications/${qid}/renew`, { cookie: dealer, body: { brandModels: ['大众探岳'], documents: await documents(dealer) } }));
    env.clock.set('2027-11-25T01:00:00Z'); // 09:00 the next day: the window has closed (the lapse job has not run yet)
    const review = await staffSession(env, 'sz.review');
    const res = await env.call('POST', `/admin-api/dealer-qualifications/${qid}/approve`, { cookie: review, body: {} });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(422);
    expect(body.code).toBe('temp_plates.renewal_window_closed');
    expect(body.params).toMatchObject({ closesOn: '2027-11-24' });
    const [q] = await env.sql`SELECT valid_until::text AS valid_until FROM dealer_qualification WHERE id = ${qid}`;
    expect(q!.valid_until).toBe('2027-11-24');
    const [r] = await env.sql`SELECT status FROM dealer_qualification_review WHERE qualification_id = ${qid} AND kind = 'renewal'`;
    expect(r!.status).toBe('pending');
  });
});
