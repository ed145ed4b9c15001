import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.ts';
import { chunkedUpload } from '../../platform/uploads/testing.ts';
import { runSweep, scheduleSweep } from './obligations.ts';
import { giveCertificate, makeHolder, runJobs, smsTo, userCookie } from './testing.ts';

let env: TestEnv;

const png = () => {
  const b = Buffer.alloc(2048, 7);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  return b;
};
/** Runs the daily sweep at the clock's time, as its job does (the first test runs it through the job table). */
async function sweep() {
  await env.sql.begin((tx) => runSweep(tx, env.clock.now()));
  await runJobs(env);
}
const statusOf = async (licenceId: string) => (await env.sql<{ status: string }[]>`SELECT status FROM driving_licence WHERE id = ${licenceId}`)[0]!.status;

describe('health-certificate obligations (X-4.3.2, X-4.3.3, X-4.3.5) on a real database', () => {
  beforeAll(async () => {
    env = await testEnv({ start: '2026-11-24T18:00:00Z' }); // 2026-11-25 02:00 Shanghai
  });

  it('X-4.3.2 a 70+ holder is reminded when the window opens and 7 days before it closes, not once answered; the job queues its successor', async () => {
    const h = await makeHolder(env.sql, { birth: '1950-02-01', firstIssuedOn: '1990-11-25' });
    await giveCertificate(env.sql, h, { issuedOn: '2026-01-10', purpose: 'age_70_yearly', source: 'self' }); // answers the cycle that ended 2025-11-25
    const answered = await makeHolder(env.sql, { birth: '1950-03-01', firstIssuedOn: '1991-11-25' });
    await giveCertificate(env.sql, answered, { issuedOn: '2026-01-10', purpose: 'age_70_yearly', source: 'self' });
    await giveCertificate(env.sql, answered, { issuedOn: '2026-11-25', purpose: 'age_70_yearly' });
    const c5 = await makeHolder(env.sql, { birth: '1980-01-01', classes: 'C5', firstIssuedOn: '2014-11-25' });
    // the seed queues the first run (2026-11-26 01:00); bring it forward to now
    await scheduleSweep(env.sql, env.clock.now(), env.clock.now());
    const moved = await env.sql`UPDATE job SET run_at = ${env.clock.now()} WHERE kind = 'licences.obligations_sweep' AND status = 'queued' RETURNING id`;
    expect(moved).toHaveLength(1);
    await runJobs(env);
    expect(await smsTo(env.sql, h.phone)).toEqual(['licences.obligation_opened']);
    expect(await smsTo(env.sql, answered.phone)).toEqual([]);
    expect(await smsTo(env.sql, c5.phone)).toEqual(['licences.obligation_opened']); // 12 years: a third-year cycle
    const [next] = await env.sql<{ run_at: Date }[]>`SELECT run_at FROM job WHERE kind = 'licences.obligations_sweep' AND status = 'queued'`;
    expect(next!.run_at.toISOString()).toBe('2026-11-25T17:00:00.000Z'); // 2026-11-26 01:00 Shanghai
    // a rerun the same day sends nothing twice
    await sweep();
    expect(await smsTo(env.sql, h.phone)).toEqual(['licences.obligation_opened']);
    env.clock.set('2026-12-16T18:00:00Z'); // 2026-12-17: seven days before the last day 2026-12-24
    await runJobs(env);
    expect(await smsTo(env.sql, h.phone)).toEqual(['licences.obligation_opened', 'licences.obligation_closing']);
    env.clock.set('2026-11-24T18:00:00Z');
  });

  it('X-4.3.3 a 70+ holder with nothing a year after the cycle ended is cancelled (audited, SMS); a certificate restores it', async () => {
    const h = await makeHolder(env.sql, { birth: '1950-02-01', firstIssuedOn: '1990-10-20', validUntil: '2028-10-20' });
    const young = await makeHolder(env.sql, { birth: '1960-02-01', firstIssuedOn: '1990-10-20' });
    await sweep();
    expect(await statusOf(h.licenceId)).toBe('cancelled');
    expect(await statusOf(young.licenceId)).toBe('valid');
    expect(await smsTo(env.sql, h.phone)).toContain('licences.cancelled_no_certificate');
    const [audit] = await env.sql<{ before: { status: string }; after: { status: string; cycleEnd: string } }[]>`
      SELECT before, after FROM audit_log WHERE action = 'licences.cancelled_no_certificate' AND entity_id = ${h.licenceId}`;
    expect(audit!.before.status).toBe('valid');
    expect(audit!.after.cycleEnd).toBe('2025-10-20');
    // the citizen's page says so and how to restore
    const cookie = await userCookie(env, h.userId);
    const o = (await (await env.call('GET', '/api/v1/licences/options', { cookie })).json()) as { licences: { cancellation: { restorable: boolean }; statusName: string }[] };
    expect(o.licences[0]!.cancellation.restorable).toBe(true);
    expect(o.licences[0]!.statusName).toBe('注销');
    // restoring needs a certificate submitted since
    const none = await env.call('POST', `/api/v1/licences/${h.licenceId}/restore`, { cookie });
    expect((await none.json()).code).toBe('licences.no_certificate_for_restore');
    // a hospital's certificate comes; the next sweep restores
    await giveCertificate(env.sql, h, { issuedOn: '2026-11-25', purpose: 'age_70_yearly' });
    await sweep();
    expect(await statusOf(h.licenceId)).toBe('valid');
    expect(await smsTo(env.sql, h.phone)).toContain('licences.restored');
  });

  it('X-4.3.3 more than a year past expiry a certificate does not restore', async () => {
    const h = await makeHolder(env.sql, { birth: '1950-02-01', firstIssuedOn: '1990-10-20', validUntil: '2025-11-01' });
    await sweep();
    expect(await statusOf(h.licenceId)).toBe('cancelled');
    await giveCertificate(env.sql, h, { issuedOn: '2026-11-25', purpose: 'age_70_yearly' });
    const r = await env.call('POST', `/api/v1/licences/${h.licenceId}/restore`, { cookie: await userCookie(env, h.userId) });
    const body = await r.json();
    expect(body.code).toBe('licences.not_restorable');
    expect(body.detail).toContain('2026-11-01');
    expect(await statusOf(h.licenceId)).toBe('cancelled');
  });

  it('X-4.3.5 a citizen uploads his own 体检 report; it is recorded as his (source self) and restores a cancelled licence', async () => {
    const h = await makeHolder(env.sql, { birth: '1949-05-05', firstIssuedOn: '1990-10-20', validUntil: '2029-01-01' });
    await sweep();
    expect(await statusOf(h.licenceId)).toBe('cancelled');
    const cookie = await userCookie(env, h.userId);
    const uploadId = await chunkedUpload(env, cookie, '/api/v1/licences/uploads', png());
    const r = await env.call('POST', `/api/v1/licences/${h.licenceId}/health-reports`, { cookie, body: { uploadId, issuedOn: '2026-11-20', purpose: 'age_70_yearly', conclusion: 'fit' } });
    const body = await r.json();
    expect(r.status, JSON.stringify(body)).toBe(201);
    expect(body.certificate.source).toBe('self');
    expect(body.restored).toBe(true);
    expect(await statusOf(h.licenceId)).toBe('valid');
    // another person's licence: not found; a future day: refused at the field
    const other = await makeHolder(env.sql);
    const nope = await env.call('POST', `/api/v1/licences/${other.licenceId}/health-reports`, { cookie, body: { uploadId, issuedOn: '2026-11-20', purpose: 'renewal', conclusion: 'fit' } });
    expect(nope.status).toBe(404);
    const future = await env.call('POST', `/api/v1/licences/${h.licenceId}/health-reports`, { cookie, body: { uploadId, issuedOn: '2026-12-20', purpose: 'renewal', conclusion: 'fit' } });
    expect(future.status).toBe(422);
    expect(JSON.stringify(await future.json())).toContain('issuedOn');
  });
});
