/**
 * R-19.1.5 (第十九条（一）5): a personal change at the counter, like a
 * registration, is accepted while 人口信息库 cannot be reached and
 * checked later (PD-8): the case waits as `pending`, 管理岗 cannot approve it
 * before the rerun check has passed, and nothing is bound until then.
 */
import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { advanceAndRunJobs, LI_NA, NON_OWN_DOCS, personForm, scan, staffCookie, ZHANG_WEI } from './testing.ts';

describe('a personal counter change while the network is down (R-19.1.5, PD-8)', async () => {
  const env = await testEnv();
  const intake = await staffCookie(env, 'sz.intake');
  const review = await staffCookie(env, 'sz.review');
  const nonOwnBindings = async () =>
    (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id
      WHERE b.user_account_id = ${ZHANG_WEI.userId} AND v.plate_no = '粤B12345' AND b.unbound_at IS NULL`)[0]!.n;

  it('R-19.1.5 accepted now, checked later: pending, not approvable, nothing bound until the rerun check passes', async () => {
    const res = await env.call('POST', '/admin-api/account-applications', {
      cookie: intake,
      body: {
        subject: 'person', kind: 'change', changeKind: 'bind_non_own_vehicle', form: personForm({ ...ZHANG_WEI, sex: 'M' }),
        vehicle: { plateNo: '粤B12345', ownerIdType: 'resident_id', ownerIdNumber: LI_NA.idNumber },
        documents: await scan(env, intake, NON_OWN_DOCS), networkDown: true,
      },
    });
    expect(res.status).toBe(201);
    const a = await res.json();
    expect(a).toMatchObject({ kind: 'change', checkStatus: 'pending', registry: null });

    const early = await env.call('POST', `/admin-api/account-applications/${a.id}/approve`, { cookie: review });
    expect(early.status).toBe(409);
    expect((await early.json()).code).toBe('accounts.check_pending');
    expect(await nonOwnBindings()).toBe(0);

    expect(await advanceAndRunJobs(env, 5 * 60_000)).toBeGreaterThanOrEqual(1);
    const after = await (await env.call('GET', `/admin-api/account-applications/${a.id}`, { cookie: review })).json();
    expect(after).toMatchObject({ checkStatus: 'passed', registry: { name: '张伟' } });
    const ok = await env.call('POST', `/admin-api/account-applications/${a.id}/approve`, { cookie: await staffCookie(env, 'sz.review') });
    expect(ok.status).toBe(200);
    expect(await nonOwnBindings()).toBe(1);
  });
});
