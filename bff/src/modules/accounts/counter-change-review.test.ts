/**
 * R-19.2 (第十九条（二）): 管理岗 reviews a personal counter change within one
 * working day of its submission, on the working-day calendar (PD-2), with the
 * four checks of R-12.2 (form against entries — else back to 受理岗; the on-site
 * photo and ID scan against the population registry; the deferred check, when
 * the network was down); passed → the change applies and the user is told by
 * SMS; failed → the user is told by SMS, with the reason.
 */
import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { advanceAndRunJobs, auditActions, LI_NA, NON_OWN_DOCS, personForm, scan, smsTo, staffCookie, ZHANG_WEI } from './testing.ts';

// Friday 2026-11-27 20:30 in Shanghai: one working day later is Monday 24:00.
const FRIDAY_EVENING = '2026-11-27T12:30:00Z';
const MONDAY_MIDNIGHT = '2026-11-30T16:00:00.000Z';

describe('R-19.2 管理岗 reviews a personal counter change (a non-own vehicle bound at the counter)', async () => {
  const env = await testEnv({ start: FRIDAY_EVENING });
  const form = personForm({ ...ZHANG_WEI, sex: 'M' });
  const bindApp = async (plateNo: string) => {
    const intake = await staffCookie(env, 'sz.intake'); // a staff session ends after idling: one per visit
    return env.call('POST', '/admin-api/account-applications', {
      cookie: intake,
      body: { subject: 'person', kind: 'change', changeKind: 'bind_non_own_vehicle', form, vehicle: { plateNo, ownerIdType: 'resident_id', ownerIdNumber: LI_NA.idNumber }, documents: await scan(env, intake, NON_OWN_DOCS) },
    });
  };
  const boundNonOwn = async (plateNo: string) =>
    (await env.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id
      WHERE b.user_account_id = ${ZHANG_WEI.userId} AND v.plate_no = ${plateNo} AND b.kind = 'non_own' AND b.unbound_at IS NULL`)[0]!.n;

  it('R-19.2.1 within one working day: due Monday 24:00 for a Friday-evening change, with what the four checks need; passed → bound and SMS; failed → SMS with the reason', async () => {
    // accepted on Friday evening: due at 24:00 of the next working day, and the user is told so
    const res = await bindApp('粤B12345');
    expect(res.status).toBe(201);
    const a = await res.json();
    expect(a).toMatchObject({ status: 'review', kind: 'change', changeKind: 'bind_non_own_vehicle', reviewDueAt: MONDAY_MIDNIGHT, overdue: false, checkStatus: 'passed' });
    const [accepted] = await smsTo(env, ZHANG_WEI.phone, 'accounts.application_accepted');
    expect(accepted!.payload).toMatchObject({ reference: a.reference, dueDay: '2026-11-30' });

    // what 管理岗 checks: the form as entered, the registry's reading of the person, the photo and the scans
    const review = await staffCookie(env, 'sz.review');
    const seen = await (await env.call('GET', `/admin-api/account-applications/${a.id}`, { cookie: review })).json();
    expect(seen.registry).toEqual({ name: '张伟', sex: 'M', birthDate: expect.any(String) });
    expect(seen.documents.map((d: { purpose: string }) => d.purpose).sort()).toEqual([...NON_OWN_DOCS].sort());
    expect(await boundNonOwn('粤B12345')).toBe(0); // nothing applies before the review

    // passed on Monday: the binding applies and the user gets an SMS naming the vehicle
    env.clock.set('2026-11-30T02:00:00Z');
    const approved = await env.call('POST', `/admin-api/account-applications/${a.id}/approve`, { cookie: await staffCookie(env, 'sz.review') });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'approved', overdue: false });
    expect(await boundNonOwn('粤B12345')).toBe(1);
    const [passed] = await smsTo(env, ZHANG_WEI.phone, 'accounts.change_approved');
    expect(passed!.payload).toMatchObject({ reference: a.reference, plateNo: '粤B12345' });
    expect(await auditActions(env, 'account_application', a.id)).toEqual(['accounts.application_accepted', 'accounts.application_approved']);

    // another change, accepted Monday morning: due Tuesday 24:00; left past it, it is flagged overdue (PD-3) and still reviewed
    const second = await (await bindApp('粤BD23456')).json();
    expect(second.reviewDueAt).toBe('2026-12-01T16:00:00.000Z');
    await advanceAndRunJobs(env, 2 * 24 * 3600_000);
    const late = await (await env.call('GET', `/admin-api/account-applications/${second.id}`, { cookie: await staffCookie(env, 'sz.review') })).json();
    expect(late).toMatchObject({ status: 'review', overdue: true });
    // failed: refused with the reason, told by SMS; nothing is bound
    const reason = '行驶证影像与被绑定机动车登记信息不一致';
    const rejected = await env.call('POST', `/admin-api/account-applications/${second.id}/reject`, { cookie: await staffCookie(env, 'sz.review'), body: { reason } });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({ status: 'rejected', rejectReason: reason });
    const [failed] = await smsTo(env, ZHANG_WEI.phone, 'accounts.application_rejected');
    expect(failed!.payload).toMatchObject({ reference: second.reference, reason });
    expect(await boundNonOwn('粤BD23456')).toBe(0);
  });
});
