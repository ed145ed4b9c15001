import { describe, expect, it } from 'vitest';
import { cookiesOf, lastSmsCode, testEnv, fieldsOf } from '../../../test/support.ts';
import { onVehicleRegistered } from './bindings.ts';
import {
  advanceAndRunJobs, auditActions, JPEG, LI_NA, LIAO_ZHIMING, LIU_JIANHUA, PASSWORD, phoneOf, SHUNDATONG, signUp, smsSignIn, smsTo, staffCookie, uploadRaw,
  userCookie, WANG_FANG, ZHANG_WEI, ZHAO_LEI, ZHONG_XUE,
} from './testing.ts';

const HOUR = 3600_000;

describe('online registration of each personal type (R-7.1, R-9, R-11.2)', async () => {
  const env = await testEnv();

  it('R-7.1 学员 only after an accepted first-licence application, with that application’s phone (R-11.2)', async () => {
    expect((await (await signUp(env, LIU_JIANHUA)).json()).code).toBe('accounts.no_records');
    expect((await (await signUp(env, { ...LIU_JIANHUA, phone: '13603016709' }, 'learner')).json()).code).toBe('accounts.phone_mismatch');
    expect((await (await signUp(env, ZHAO_LEI, 'learner')).json()).code).toBe('accounts.has_records');
    const res = await signUp(env, LIU_JIANHUA, 'learner');
    expect(res.status).toBe(201);
    expect((await res.json()).user).toMatchObject({ personalType: 'learner', registrationChannel: 'online' });
    const me = await (await env.call('GET', '/api/v1/me', { cookie: res.cookie })).json();
    // exam booking and plate preselection only (plus the account itself).
    expect(me.services).toEqual(['plate_preselection', 'exam_booking', 'change_contact', 'change_password', 'suspend', 'cancel']);
    expect(me.preselectBy).toBeNull();
  });

  it('R-9.2.2 the learner becomes a driver when 受理岗 records the licence issued; the licence is bound', async () => {
    const intake = await staffCookie(env, 'sz.intake');
    const list = await (await env.call('GET', '/admin-api/licence-applications?filter={"status":"accepted"}', { cookie: intake })).json();
    const app = list.find((a: { personName: string }) => a.personName === '刘建华');
    expect(app).toBeDefined();
    const issued = await env.call('POST', `/admin-api/licence-applications/${app.id}/issue`, { cookie: intake });
    expect(issued.status).toBe(200);
    expect(await issued.json()).toMatchObject({ status: 'issued' });
    const uid = (await env.sql`SELECT id FROM user_account WHERE phone = ${LIU_JIANHUA.phone}`)[0]!.id;
    const me = await (await env.call('GET', '/api/v1/me', { cookie: await userCookie(env, uid) })).json();
    expect(me.user.personalType).toBe('owner_driver');
    expect(me.licences).toHaveLength(1);
    expect(me.services).toContain('bind_own_licence');
    const [audit] = await env.sql`SELECT before, after FROM audit_log WHERE action = 'accounts.personal_type_converted' AND entity_id = ${uid}`;
    expect(audit).toMatchObject({ before: { personalType: 'learner' }, after: { personalType: 'owner_driver' } });
    expect((await env.call('POST', `/admin-api/licence-applications/${app.id}/issue`, { cookie: intake })).status).toBe(409);
  });

  it('R-7.1 新车车主 after buying a car that needs registration; R-9.3.1 plate preselection only; 24 hours to preselect', async () => {
    const phone = await phoneOf(env, LIAO_ZHIMING.idNumber);
    expect((await (await signUp(env, { ...LIAO_ZHIMING, phone }, 'learner')).json()).code).toBe('accounts.no_licence_application');
    const res = await signUp(env, { ...LIAO_ZHIMING, phone }, 'new_car_owner');
    expect(res.status).toBe(201);
    const me = await (await env.call('GET', '/api/v1/me', { cookie: res.cookie })).json();
    expect(me.user.personalType).toBe('new_car_owner');
    expect(me.services).toEqual(['plate_preselection', 'change_contact', 'change_password', 'suspend', 'cancel']);
    expect(me.preselectBy).toBe(new Date(env.clock.now().getTime() + 24 * HOUR).toISOString());
    expect(me.vehicles).toHaveLength(0);
    // no binding of vehicles for a new-car owner.
    const [car] = await env.sql`SELECT v.id FROM vehicle v JOIN person p ON p.id = v.owner_person_id WHERE p.id_number = ${LIAO_ZHIMING.idNumber}`;
    const bind = await env.call('POST', `/api/v1/me/vehicles/${car!.id}/bind`, { cookie: res.cookie });
    expect(bind.status).toBe(403);
    expect((await bind.json()).code).toBe('accounts.service_not_available');
  });

  it('R-9.3.2 the new car registered: owner-or-driver, the car bound, the 24-hour watch ends without cancelling', async () => {
    const [car] = await env.sql<{ id: string }[]>`SELECT v.id FROM vehicle v JOIN person p ON p.id = v.owner_person_id WHERE p.id_number = ${LIAO_ZHIMING.idNumber}`;
    await env.sql.begin(async (tx) => {
      await tx`UPDATE vehicle SET plate_no = '粤BX0001', registered_on = '2026-11-25' WHERE id = ${car!.id}`;
      await onVehicleRegistered(tx, car!.id, { kind: 'system', label: 'test' }, { requestId: 't', ip: 'test', now: env.clock.now() });
    });
    const uid = (await env.sql`SELECT id FROM user_account WHERE person_id = (SELECT id FROM person WHERE id_number = ${LIAO_ZHIMING.idNumber})`)[0]!.id;
    const me = await (await env.call('GET', '/api/v1/me', { cookie: await userCookie(env, uid) })).json();
    expect(me.user.personalType).toBe('owner_driver');
    expect(me.vehicles.map((v: { plateNo: string }) => v.plateNo)).toEqual(['粤BX0001']);
    await advanceAndRunJobs(env, 25 * HOUR);
    expect((await env.sql`SELECT status FROM user_account WHERE id = ${uid}`)[0]!.status).toBe('active');
  });
});

describe('R-21.1.4 the 24-hour job cancels a new-car owner who did not preselect', async () => {
  const env = await testEnv();

  it('R-21.1.4 still active after 23 hours; cancelled by the durable job after 24, with the reason, SMS and sessions ended', async () => {
    const phone = await phoneOf(env, ZHONG_XUE.idNumber);
    const res = await signUp(env, { ...ZHONG_XUE, phone }, 'new_car_owner');
    expect(res.status).toBe(201);
    const uid = (await res.json()).user.id;
    const [job] = await env.sql`SELECT run_at FROM job WHERE kind = 'accounts.new_car_owner_check' AND dedupe_key = ${uid} AND status = 'queued'`;
    expect(job!.run_at.toISOString()).toBe(new Date(env.clock.now().getTime() + 24 * HOUR).toISOString());

    await advanceAndRunJobs(env, 23 * HOUR);
    expect((await env.sql`SELECT status FROM user_account WHERE id = ${uid}`)[0]!.status).toBe('active');
    await advanceAndRunJobs(env, HOUR);
    const [acct] = await env.sql`SELECT status, cancel_reason FROM user_account WHERE id = ${uid}`;
    expect(acct).toMatchObject({ status: 'cancelled', cancel_reason: 'new_car_no_preselection' });
    const [rec] = await env.sql`SELECT kind, reason, staff_id FROM account_cancellation WHERE user_account_id = ${uid}`;
    expect(rec).toMatchObject({ kind: 'automatic', reason: 'new_car_no_preselection', staff_id: null });
    expect(await smsTo(env, phone, 'accounts.cancelled')).toHaveLength(1);
    expect((await env.call('GET', '/api/v1/me', { cookie: res.cookie })).status).toBe(401);
    expect(await auditActions(env, 'user_account', uid)).toContain('accounts.cancelled');
  });
});

describe('bindings online (R-9.1.1, R-9.1.4, PD-6)', async () => {
  const env = await testEnv();
  let lina = '';

  it('R-9.1.1 unbind and bind an own vehicle; someone else’s vehicle is “not found”', async () => {
    lina = (await signUp(env, LI_NA)).cookie;
    const b = await (await env.call('GET', '/api/v1/me/bindings', { cookie: lina })).json();
    const car = b.vehicles.find((v: { plateNo: string }) => v.plateNo === '粤B12345');
    expect(car.binding).toBe('own');
    const un = await env.call('POST', `/api/v1/me/vehicles/${car.id}/unbind`, { cookie: lina });
    expect(un.status).toBe(200);
    const after = await un.json();
    expect(after.vehicles.map((v: { plateNo: string }) => v.plateNo)).not.toContain('粤B12345');
    expect(after.bindableVehicles.map((v: { plateNo: string }) => v.plateNo)).toContain('粤B12345');
    expect((await env.call('POST', `/api/v1/me/vehicles/${car.id}/unbind`, { cookie: lina })).status).toBe(404);
    expect((await env.call('POST', `/api/v1/me/vehicles/${car.id}/bind`, { cookie: lina })).status).toBe(200);
    expect((await env.call('POST', `/api/v1/me/vehicles/${car.id}/bind`, { cookie: lina })).status).toBe(409);
    const [zhangCar] = await env.sql`SELECT id FROM vehicle WHERE plate_no = '粤BA1234'`;
    expect((await env.call('POST', `/api/v1/me/vehicles/${zhangCar!.id}/bind`, { cookie: lina })).status).toBe(404);
    expect(await auditActions(env, 'user_account', (await env.sql`SELECT id FROM user_account WHERE phone = ${LI_NA.phone}`)[0]!.id)).toEqual(
      expect.arrayContaining(['accounts.vehicle_unbound', 'accounts.vehicle_bound']),
    );
  });

  it('R-9.1.4 the driver binds the own licence to a unit and takes it back; PD-6 the unit can unbind it too', async () => {
    const b = await (await env.call('GET', '/api/v1/me/bindings', { cookie: lina })).json();
    const licenceId = b.licences[0].id;
    const bad = await env.call('POST', `/api/v1/me/licences/${licenceId}/organisations`, { cookie: lina, body: { uscc: '914403001922821606' } });
    expect((await bad.json()).code).toBe('accounts.organisation_not_found'); // the dealer has no account
    const bind = await env.call('POST', `/api/v1/me/licences/${licenceId}/organisations`, { cookie: lina, body: { uscc: SHUNDATONG.uscc } });
    expect(bind.status).toBe(200);
    const links = (await bind.json()).organisationLinks;
    expect(links).toHaveLength(1);
    expect(links[0].organisationName).toBe('深圳市顺达通物流有限公司');
    const unit = await userCookie(env, SHUNDATONG.userId);
    const unitMe = await (await env.call('GET', '/api/v1/me', { cookie: unit })).json();
    expect(unitMe.licences.map((l: { id: string }) => l.id)).toContain(licenceId);

    const back = await env.call('POST', `/api/v1/me/licences/${licenceId}/organisations/${SHUNDATONG.userId}/unbind`, { cookie: lina });
    expect((await back.json()).organisationLinks).toHaveLength(0);
    await env.call('POST', `/api/v1/me/licences/${licenceId}/organisations`, { cookie: lina, body: { uscc: SHUNDATONG.uscc } });
    const byUnit = await env.call('POST', `/api/v1/me/licences/${licenceId}/unbind`, { cookie: unit });
    expect(byUnit.status).toBe(200);
    expect((await (await env.call('GET', '/api/v1/me', { cookie: unit })).json()).licences.map((l: { id: string }) => l.id)).not.toContain(licenceId);
    // The unit cannot bind licences itself, nor anyone another person's licence.
    const zhang = await userCookie(env, ZHANG_WEI.userId);
    expect((await env.call('POST', `/api/v1/me/licences/${licenceId}/organisations`, { cookie: zhang, body: { uscc: SHUNDATONG.uscc } })).status).toBe(404);
  });

  it('non-negotiable 7: a user never sees another user’s data', async () => {
    const wang = await userCookie(env, WANG_FANG.userId);
    const lm = await (await env.call('GET', '/api/v1/me/bindings', { cookie: lina })).json();
    const wm = await (await env.call('GET', '/api/v1/me/bindings', { cookie: wang })).json();
    const ids = (x: { vehicles: { id: string }[]; licences: { id: string }[]; bindableVehicles: { id: string }[] }) => [...x.vehicles, ...x.licences, ...x.bindableVehicles].map((v) => v.id);
    for (const id of ids(lm)) expect(ids(wm)).not.toContain(id);
    expect(JSON.stringify(lm)).not.toContain(LI_NA.idNumber);
    expect((await env.call('GET', '/api/v1/me/certificate-photos', { cookie: wang })).status).toBe(200);
    expect(await (await env.call('GET', '/api/v1/applications', { cookie: wang })).json()).toEqual([]);
  });
});

describe('R-17 vehicle and licence events unbind automatically', async () => {
  const env = await testEnv();
  const intake = await staffCookie(env, 'sz.intake');

  it('R-17 a transfer unbinds everyone but the new owner; audited; another city cannot record it', async () => {
    const gz = await staffCookie(env, 'gz.intake');
    expect((await env.call('POST', '/admin-api/records-events/vehicle', { cookie: gz, body: { plateNo: '粤B8K2M9', kind: 'vehicle_deregistration' } })).status).toBe(404);
    const res = await env.call('POST', '/admin-api/records-events/vehicle', {
      cookie: intake, body: { plateNo: '粤B8K2M9', kind: 'vehicle_transfer', newOwnerIdNumber: ZHAO_LEI.idNumber, newOwnerName: '赵磊', newOwnerPhone: ZHAO_LEI.phone },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ kind: 'vehicle_transfer', plateNo: '粤B8K2M9', unbound: 1 });
    const zhang = await (await env.call('GET', '/api/v1/me', { cookie: await userCookie(env, ZHANG_WEI.userId) })).json();
    expect(zhang.vehicles.map((v: { plateNo: string }) => v.plateNo)).not.toContain('粤B8K2M9');
    const [v] = await env.sql`SELECT p.id_number FROM vehicle v JOIN person p ON p.id = v.owner_person_id WHERE v.plate_no = '粤B8K2M9'`;
    expect(v!.id_number).toBe(ZHAO_LEI.idNumber);
    expect(await auditActions(env, 'user_account', ZHANG_WEI.userId)).toContain('accounts.vehicle_unbound_automatically');
    // The new owner registers and gets it as own.
    const zhao = await signUp(env, ZHAO_LEI);
    expect((await (await env.call('GET', '/api/v1/me', { cookie: zhao.cookie })).json()).vehicles.map((x: { plateNo: string }) => x.plateNo)).toContain('粤B8K2M9');
  });

  it('R-17 operating → non-operating keeps the owning unit’s binding', async () => {
    const res = await env.call('POST', '/admin-api/records-events/vehicle', { cookie: intake, body: { plateNo: '粤BH3256', kind: 'vehicle_operating_to_non_operating' } });
    expect(res.status).toBe(201);
    expect((await res.json()).unbound).toBe(0);
    const again = await env.call('POST', '/admin-api/records-events/vehicle', { cookie: intake, body: { plateNo: '粤BH3256', kind: 'vehicle_operating_to_non_operating' } });
    expect((await again.json()).code).toBe('accounts.event_not_applicable');
  });

  it('R-17 a cancelled licence is unbound from every user', async () => {
    const res = await env.call('POST', '/admin-api/records-events/licence', { cookie: intake, body: { licenceNo: ZHANG_WEI.idNumber, kind: 'licence_cancellation' } });
    expect(res.status).toBe(201);
    expect((await res.json()).unbound).toBe(1);
    const zhang = await (await env.call('GET', '/api/v1/me', { cookie: await userCookie(env, ZHANG_WEI.userId) })).json();
    expect(zhang.licences).toHaveLength(0);
    const list = await (await env.call('GET', '/admin-api/records-events', { cookie: intake })).json();
    expect(list.map((e: { kind: string }) => e.kind).sort()).toEqual(['licence_cancellation', 'vehicle_operating_to_non_operating', 'vehicle_transfer']);
  });
});

describe('account changes, suspension and cancellation (R-11, R-15, R-18, R-21)', async () => {
  const env = await testEnv();

  it('R-11.1 a phone change needs a code sent to the new number; R-11.2 the records follow the account', async () => {
    const wang = await userCookie(env, WANG_FANG.userId);
    const taken = await env.call('POST', '/api/v1/me/phone/sms-code', { cookie: wang, body: { phone: ZHANG_WEI.phone } });
    expect(taken.status).toBe(409);
    const send = await env.call('POST', '/api/v1/me/phone/sms-code', { cookie: wang, body: { phone: '13700137111' } });
    expect(send.status).toBe(202);
    const wrong = await env.call('POST', '/api/v1/me/phone', { cookie: wang, body: { phone: '13700137111', smsCode: '000000' } });
    expect(wrong.status).toBe(422);
    const smsCode = await lastSmsCode(env.sql, '13700137111');
    const ok = await env.call('POST', '/api/v1/me/phone', { cookie: wang, body: { phone: '13700137111', smsCode } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).user.phoneMasked).toBe('137****7111');
    const phones = await env.sql`
      SELECT v.owner_phone AS phone FROM vehicle v JOIN person p ON p.id = v.owner_person_id WHERE p.id_number = ${WANG_FANG.idNumber}
      UNION SELECT l.phone FROM driving_licence l JOIN person p ON p.id = l.person_id WHERE p.id_number = ${WANG_FANG.idNumber}`;
    expect(phones.map((r) => r.phone)).toEqual(['13700137111']);
  });

  it('R-15 contact details and password', async () => {
    const wang = await userCookie(env, WANG_FANG.userId);
    const c = await env.call('POST', '/api/v1/me/contact', { cookie: wang, body: { email: 'wang@example.com', postalAddress: '广东省深圳市南山区科技南十二路28号', postcode: '518057' } });
    expect(c.status).toBe(200);
    expect((await c.json()).contact).toEqual({ email: 'wang@example.com', postalAddress: '广东省深圳市南山区科技南十二路28号', postcode: '518057' });
    const badCode = await env.call('POST', '/api/v1/me/contact', { cookie: wang, body: { email: 'x', postalAddress: null, postcode: '51' } });
    expect(Object.keys(fieldsOf(await badCode.json())).sort()).toEqual(['email', 'postcode']);
    const wrong = await env.call('POST', '/api/v1/me/password', { cookie: wang, body: { currentPassword: 'nope', newPassword: 'New#2026pass' } });
    expect((await wrong.json()).code).toBe('accounts.wrong_password');
    expect((await env.call('POST', '/api/v1/me/password', { cookie: wang, body: { currentPassword: 'Demo#2026pass', newPassword: 'New#2026pass' } })).status).toBe(204);
    expect((await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: '13700137111', password: 'New#2026pass' } })).status).toBe(200);
  });

  it('R-15 / PD-4 a suspended account is signed out everywhere; the password no longer works; an SMS sign-in reactivates it', async () => {
    const signIn = await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: ZHANG_WEI.phone, password: 'Demo#2026pass' } });
    const zhang = cookiesOf(signIn);
    expect((await env.call('POST', '/api/v1/me/suspend', { cookie: zhang })).status).toBe(204);
    expect((await env.call('GET', '/api/v1/me', { cookie: zhang })).status).toBe(401);
    const pw = await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: ZHANG_WEI.phone, password: 'Demo#2026pass' } });
    expect((await pw.json()).code).toBe('auth.account_suspended');
    const sms = await smsSignIn(env, ZHANG_WEI.phone);
    expect(sms.status).toBe(200);
    expect((await sms.json()).user.status).toBe('active');
    expect(await auditActions(env, 'user_account', ZHANG_WEI.userId)).toEqual(expect.arrayContaining(['accounts.suspended', 'accounts.reactivated']));
  });

  it('R-15 / R-18 a window-registered user uploads a certificate photo; 管理岗 reviews it within one working day; online users cannot', async () => {
    const zhang = await userCookie(env, ZHANG_WEI.userId);
    const up = await uploadRaw(env, '/api/v1/uploads', zhang, 'certificate_photo', JPEG);
    expect(up.status).toBe(201);
    const upload = await up.json();
    const me = await (await env.call('GET', '/api/v1/me', { cookie: zhang })).json();
    const sub = await env.call('POST', '/api/v1/me/certificate-photos', { cookie: zhang, body: { licenceId: me.licences[0].id, uploadId: upload.id } });
    expect(sub.status).toBe(201);
    const [mine] = await sub.json();
    // Wednesday 10:00 → due Thursday 24:00.
    expect(mine).toMatchObject({ status: 'submitted', dueAt: '2026-11-26T16:00:00.000Z' });
    expect((await env.call('POST', '/api/v1/me/certificate-photos', { cookie: zhang, body: { licenceId: me.licences[0].id, uploadId: upload.id } })).status).toBe(409);

    const lina = (await signUp(env, LI_NA)).cookie;
    const denied = await uploadRaw(env, '/api/v1/uploads', lina, 'certificate_photo', JPEG);
    expect(denied.status).toBe(403);
    expect((await uploadRaw(env, '/api/v1/uploads', zhang, 'identity_document', JPEG)).status).toBe(403);

    const review = await staffCookie(env, 'sz.review');
    const queue = await (await env.call('GET', '/admin-api/certificate-photos?filter={"status":"submitted"}', { cookie: review })).json();
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ holderName: '张伟', overdue: false });
    const photo = await env.app.request(`/admin-api/uploads/${queue[0].uploadId}`, { headers: { cookie: review } });
    expect(photo.status).toBe(200);
    const ok = await env.call('POST', `/admin-api/certificate-photos/${queue[0].id}/approve`, { cookie: review });
    expect((await ok.json()).status).toBe('approved');
    expect(await smsTo(env, ZHANG_WEI.phone, 'accounts.certificate_photo_decided')).toHaveLength(1);
  });

  it('R-21.2 forced cancellation with a reason fitting the account; only 管理岗', async () => {
    const review = await staffCookie(env, 'sz.review');
    const intake = await staffCookie(env, 'sz.intake');
    const wrongPost = await env.call('POST', `/admin-api/user-accounts/${WANG_FANG.userId}/cancel`, { cookie: intake, body: { reason: 'deceased', note: '户籍注销' } });
    expect(wrongPost.status).toBe(403);
    const wrongReason = await env.call('POST', `/admin-api/user-accounts/${WANG_FANG.userId}/cancel`, { cookie: review, body: { reason: 'dissolved', note: '—— 单位注销' } });
    expect((await wrongReason.json()).code).toBe('accounts.cancel_reason_not_allowed');
    const ok = await env.call('POST', `/admin-api/user-accounts/${WANG_FANG.userId}/cancel`, { cookie: review, body: { reason: 'false_materials', note: '以他人身份证明注册' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'cancelled', cancelReason: 'false_materials' });
    // the record page keeps saying when and why (it answered "—" before).
    const page = await env.call('GET', `/admin-api/user-accounts/${WANG_FANG.userId}`, { cookie: review });
    expect(await page.json()).toMatchObject({ status: 'cancelled', cancelReason: 'false_materials' });
    const [rec] = await env.sql`SELECT kind, reason, note FROM account_cancellation WHERE user_account_id = ${WANG_FANG.userId}`;
    expect(rec).toMatchObject({ kind: 'forced', reason: 'false_materials', note: '以他人身份证明注册' });
    expect(await env.sql`SELECT 1 FROM vehicle_binding WHERE user_account_id = ${WANG_FANG.userId} AND unbound_at IS NULL`).toHaveLength(0);
    // A 广州 review post may not cancel a 深圳 counter account (PD-9).
    const gd = await staffCookie(env, 'gd.review');
    expect((await env.call('GET', `/admin-api/user-accounts/${ZHANG_WEI.userId}`, { cookie: gd })).status).toBe(200);
  });

  it('R-21.1.2 self-service cancellation, confirmed with the password', async () => {
    const lina = cookiesOf(await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: LI_NA.phone, password: PASSWORD } }));
    const wrong = await env.call('POST', '/api/v1/me/cancel', { cookie: lina, body: { password: 'nope', confirm: true } });
    expect((await wrong.json()).code).toBe('accounts.wrong_password');
    expect((await env.call('POST', '/api/v1/me/cancel', { cookie: lina, body: { password: PASSWORD, confirm: true } })).status).toBe(204);
    expect((await env.call('GET', '/api/v1/me', { cookie: lina })).status).toBe(401);
    expect((await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: LI_NA.phone, password: PASSWORD } })).status).toBe(401);
    // a cancelled account frees the person to register again.
    expect((await signUp(env, LI_NA)).status).toBe(201);
  });
});
