import { beforeAll, describe, expect, it } from 'vitest';
import { concurrentApp, testEnv, type TestEnv } from '../../../test/support.ts';
import { makeHolder, smsTo, staffCookie, userCookie, type Holder } from './testing.ts';

let env: TestEnv;
let intake: string;

async function ok(res: Awaited<ReturnType<TestEnv['call']>>, status = 200) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
const defer = async (h: Holder, body: Record<string, unknown>) =>
  env.call('POST', '/api/v1/licences/deferrals', { cookie: await userCookie(env, h.userId), body: { licenceId: h.licenceId, reason: 'abroad', ...body } });

describe('licence deferrals (X-4.2, PD-11) on a real database', () => {
  beforeAll(async () => {
    env = await testEnv();
    intake = await staffCookie(env, 'sz.intake');
  });

  it('X-4.2.1 only a counter-registered user, for his own licence', async () => {
    const online = await makeHolder(env.sql, { channel: 'online', validUntil: '2027-06-30' });
    expect((await (await defer(online, { kind: 'renewal', deferredUntil: '2028-06-30' })).json()).code).toBe('licences.counter_registered_only');
    const a = await makeHolder(env.sql);
    const b = await makeHolder(env.sql);
    const r = await env.call('POST', '/api/v1/licences/deferrals', { cookie: await userCookie(env, a.userId), body: { licenceId: b.licenceId, kind: 'renewal', reason: 'abroad', deferredUntil: '2032-01-01' } });
    expect(r.status).toBe(404);
  });

  it('X-4.2.4 受理岗 accepts within one working day; the receipt has a verification code anyone can check; SMS', async () => {
    const h = await makeHolder(env.sql, { validUntil: '2027-06-30' });
    const d = await ok(await defer(h, { kind: 'renewal', reason: 'military_service', deferredUntil: '2029-06-30' }), 201);
    expect(d.reference).toMatch(/^YQ44030020261125\d{6}$/);
    expect(d.acceptDeadline).toBe('2026-11-26T16:00:00.000Z');
    expect(d.verificationCode).toBeNull(); // no receipt before it is accepted
    const queue = await ok(await env.call('GET', '/admin-api/licence-deferrals', { cookie: intake }));
    expect(queue.find((r: { id: string }) => r.id === d.id).holderIdNumberMasked).toContain('*');
    await ok(await env.call('POST', `/admin-api/licence-deferrals/${d.id}/accept`, { cookie: intake, body: {} }));
    const mine = await ok(await env.call('GET', `/api/v1/licences/deferrals/${d.id}`, { cookie: await userCookie(env, h.userId) }));
    expect(mine.status).toBe('accepted');
    expect(mine.verificationCode).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    const check = await ok(await env.call('GET', `/api/v1/public/licence-deferral-receipts?reference=${d.reference}&code=${mine.verificationCode}`));
    expect(check.deferredUntil).toBe('2029-06-30');
    expect(check.holderName).toContain('*');
    const wrong = await env.call('GET', `/api/v1/public/licence-deferral-receipts?reference=${d.reference}&code=AAAAAAAA`);
    expect(wrong.status).toBe(404);
    expect((await smsTo(env.sql, h.phone)).sort()).toEqual(['licences.deferral_accepted', 'licences.deferral_submitted']);
    // the decided deferral is in the electronic archive once
    const archived = await env.sql<{ outcome: string }[]>`SELECT content->'data'->>'outcome' AS outcome FROM archive_record WHERE business_type = 'licence_service' AND case_ref = ${d.reference}`;
    expect(archived).toEqual([{ outcome: 'accepted' }]);
    const again = await env.call('POST', `/admin-api/licence-deferrals/${d.id}/accept`, { cookie: intake, body: {} });
    expect((await again.json()).code).toBe('licences.deferral_wrong_status');
  });

  it('X-4.2.2 "other" needs its words; the refusal is at the note field', async () => {
    const h = await makeHolder(env.sql, { validUntil: '2027-06-30' });
    const body = await (await defer(h, { kind: 'renewal', reason: 'other', deferredUntil: '2028-06-30' })).json();
    expect(body.code).toBe('licences.deferral_note_required');
    expect(JSON.stringify(body)).toContain('reasonNote');
  });

  it('X-4.2.3 online at least a month before: 审验 ending 2026-12-20 is too late on 2026-11-25', async () => {
    const h = await makeHolder(env.sql, { reviewValidUntil: '2026-12-20' });
    const body = await (await defer(h, { kind: 'review', deferredUntil: '2027-12-20' })).json();
    expect(body.code).toBe('licences.deferral_too_late');
    expect(body.detail).toContain('2026-11-20');
    const none = await makeHolder(env.sql);
    expect((await (await defer(none, { kind: 'review', deferredUntil: '2027-12-20' })).json()).code).toBe('licences.no_review_due');
  });

  it('X-4.2.5 at most three years, refused at the date field', async () => {
    const h = await makeHolder(env.sql, { validUntil: '2027-06-30' });
    const body = await (await defer(h, { kind: 'renewal', deferredUntil: '2030-07-01' })).json();
    expect(body.code).toBe('licences.deferral_too_long');
    expect(body.detail).toContain('2030-06-30');
    expect(JSON.stringify(body)).toContain('deferredUntil');
  });

  it('X-4.2.6 a withheld licence cannot be deferred', async () => {
    const h = await makeHolder(env.sql, { validUntil: '2027-06-30', status: 'withheld' });
    const body = await (await defer(h, { kind: 'renewal', deferredUntil: '2028-06-30' })).json();
    expect(body.code).toBe('licences.state_blocked');
    expect(body.detail).toContain('扣留');
  });

  it('PD-11 once per validity period, guarded by the database: six at once → one', async () => {
    const h = await makeHolder(env.sql, { validUntil: '2027-09-30' });
    const { app } = concurrentApp(env);
    const cookie = await userCookie(env, h.userId);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        app.request('/api/v1/licences/deferrals', {
          method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
          body: JSON.stringify({ licenceId: h.licenceId, kind: 'renewal', reason: 'abroad', deferredUntil: '2028-09-30' }),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(((await r.json()) as { code: string }).code).toBe('licences.deferral_once');
    }
  });
});
