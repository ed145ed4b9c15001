/**
 * Rule fidelity of chapter 2 (issue 18): the rules of R-7 … R-21 that no
 * other test named, each exercised through the pure rule or through the
 * counter and citizen API on the real Postgres.
 */
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../platform/calendar.ts';
import { testEnv } from '../../../test/support.ts';
import {
  archiveProblem, ARCHIVE_DOCUMENTS, capabilities, changeKindAllowed, convertedType, decideNewCarOwnerCheck, forcedReasonAllowed, missingUploads,
  requiredUploads, reviewDeadline, type CapabilitySubject, type CancelReason, type Service,
} from './rules.ts';
import { CHEN_JING, ORG_DOCS, PERSON_DOCS, personForm, scan, staffCookie, userCookie, ZHANG_WEI } from './testing.ts';

const ACCOUNT: Service[] = ['change_contact', 'change_password', 'suspend', 'cancel'];
const person = (over: Partial<CapabilitySubject> = {}): CapabilitySubject => ({ kind: 'personal', personalType: 'owner_driver', registrationChannel: 'online', status: 'active', ...over });
const unit: CapabilitySubject = { kind: 'organisation', personalType: null, registrationChannel: 'counter', status: 'active' };

describe('who may use what (R-7.2, R-9, R-10.3)', () => {
  it('R-9.1.3 an online owner-or-driver books plates, inspections and exams, handles camera violations, pays fines and changes contact', () => {
    const s = capabilities(person());
    for (const x of ['plate_preselection', 'inspection_booking', 'exam_booking', 'violation_handling', 'fine_payment', 'change_contact'] as const) expect(s).toContain(x);
    // the window-only services are not among them.
    for (const x of ['replacement', 'licence_services', 'certificate_photo_upload'] as const) expect(s).not.toContain(x);
  });

  it('R-9.2 a learner has exam booking and plate preselection only, and becomes an owner-or-driver on conversion', () => {
    expect(capabilities(person({ personalType: 'learner' })).filter((s) => !ACCOUNT.includes(s))).toEqual(['plate_preselection', 'exam_booking']);
    // beside it: a new-car owner preselects only.
    expect(capabilities(person({ personalType: 'new_car_owner' })).filter((s) => !ACCOUNT.includes(s))).toEqual(['plate_preselection']);
    expect(convertedType('learner')).toBe('owner_driver');
    expect(convertedType('new_car_owner')).toBe('owner_driver');
    expect(convertedType('owner_driver')).toBeNull();
    expect(convertedType(null)).toBeNull();
  });

  it('R-7.2 / R-10.3.1 a unit user binds its own unit’s vehicles — not personal vehicles or licences — and has no exam, violation or replacement service', () => {
    const s = capabilities(unit);
    expect(s).toContain('bind_organisation_vehicles');
    expect(s).toContain('query_bound');
    for (const x of ['bind_own_vehicles', 'bind_own_licence', 'exam_booking', 'violation_handling', 'fine_payment', 'replacement', 'licence_services'] as const) expect(s).not.toContain(x);
    // The registration channel of a unit changes nothing (R-10.1: always the window).
    expect(capabilities({ ...unit, registrationChannel: 'online' })).toEqual(s);
    expect(capabilities(person({ registrationChannel: 'counter' }))).not.toContain('bind_organisation_vehicles');
  });

  it('R-14 / R-15 changes are made online: contact, password, suspension and cancellation are offered to every active account', () => {
    for (const u of [person(), person({ personalType: 'learner' }), person({ registrationChannel: 'counter' }), unit]) expect(capabilities(u)).toEqual(expect.arrayContaining(ACCOUNT));
  });
});

describe('counter materials (R-10.2, R-12.1.1, R-13.1.1, R-16)', () => {
  it('R-12.1.1 受理岗 checks the form and the identity in person: on-site photo, form and ID, for a registration and for a change', () => {
    expect(requiredUploads('person', null)).toEqual(['onsite_photo', 'application_form', 'identity_document']);
    expect(requiredUploads('person', 'contact')).toEqual(['onsite_photo', 'application_form', 'identity_document']);
    expect(missingUploads('person', null, ['onsite_photo'])).toEqual(['application_form', 'identity_document']);
    expect(missingUploads('person', null, PERSON_DOCS)).toEqual([]);
  });

  it('R-10.2 / R-13.1.1 a unit registers with the form, the organisation certificate, the letter of authorisation and the agent’s ID; R-16.4 a unit change needs the same', () => {
    const unitDocs = ['onsite_photo', 'application_form', 'organisation_certificate', 'letter_of_authorisation', 'agent_identity_document'];
    expect(requiredUploads('organisation', null)).toEqual(unitDocs);
    expect(requiredUploads('organisation', 'organisation_info')).toEqual(unitDocs);
    // A person's documents do not register a unit.
    expect(missingUploads('organisation', null, PERSON_DOCS)).toEqual(['organisation_certificate', 'letter_of_authorisation', 'agent_identity_document']);
  });

  it('R-16.1 the two forms: a person changes contact data or binds a non-own vehicle; a unit changes its information; nothing crosses over', () => {
    expect(changeKindAllowed('person', 'contact')).toBe(true);
    expect(changeKindAllowed('person', 'bind_non_own_vehicle')).toBe(true);
    expect(changeKindAllowed('person', 'organisation_info')).toBe(false);
    expect(changeKindAllowed('organisation', 'organisation_info')).toBe(true);
    expect(changeKindAllowed('organisation', 'contact')).toBe(false);
    expect(changeKindAllowed('organisation', 'bind_non_own_vehicle')).toBe(false);
  });

  it('R-12.2.1 管理岗 finishes the review within one working day of submission: a holiday-eve submission is due after the holiday', () => {
    const cal = createCalendar();
    // Wednesday 2026-09-30 10:00 +08, before the National Day holiday (Oct 1–7 2026): due at 24:00 of the next working day.
    const due = reviewDeadline(cal, new Date('2026-09-30T02:00:00Z'));
    expect(cal.isWorkingDay('2026-10-01')).toBe(false);
    expect(due.getTime()).toBeGreaterThan(new Date('2026-10-07T16:00:00Z').getTime());
    // A Monday submission is due Tuesday 24:00.
    expect(reviewDeadline(cal, new Date('2026-11-23T02:00:00Z')).toISOString()).toBe('2026-11-24T16:00:00.000Z');
  });

  it('R-13.2 档案岗 files the unit form original, the organisation-certificate copy, the letter of authorisation and the agent’s ID copy, and records the place', () => {
    const required = ARCHIVE_DOCUMENTS.organisation;
    expect(required).toEqual(['application_form_original', 'organisation_certificate_copy', 'letter_of_authorisation_original', 'agent_identity_document_copy']);
    expect(archiveProblem(required, required.slice(0, 3), 'A-01')).toBe('accounts.archive_incomplete');
    expect(archiveProblem(required, required, '   ')).toBe('accounts.archive_location_required');
    expect(archiveProblem(required, required, 'A-01')).toBeNull();
  });
});

describe('cancellation (R-21.1)', () => {
  it('R-21.1 the department cancels for death (persons), dissolution (units) or false materials (both); a user request is not a forced reason', () => {
    const allowed = (kind: 'personal' | 'organisation', r: CancelReason) => forcedReasonAllowed(kind, r);
    expect(allowed('personal', 'deceased')).toBe(true);
    expect(allowed('personal', 'dissolved')).toBe(false);
    expect(allowed('organisation', 'dissolved')).toBe(true);
    expect(allowed('organisation', 'deceased')).toBe(false);
    expect(allowed('personal', 'false_materials')).toBe(true);
    expect(allowed('organisation', 'false_materials')).toBe(true);
    expect(allowed('personal', 'user_request')).toBe(false);
  });

  it('R-21.1 (四) a new-car owner with no preselection 24 hours after registering is cancelled; an owner-or-driver never is', () => {
    const createdAt = new Date('2026-11-25T02:00:00Z');
    const at = (h: number) => new Date(createdAt.getTime() + h * 3_600_000);
    const account = { personalType: 'new_car_owner' as const, status: 'active' as const, createdAt };
    expect(decideNewCarOwnerCheck(account, [], at(23))).toEqual({ action: 'recheck', at: at(24) });
    expect(decideNewCarOwnerCheck(account, [], at(24))).toEqual({ action: 'cancel', reason: 'new_car_no_preselection' });
    expect(decideNewCarOwnerCheck(account, [{ status: 'expired', deadline: at(20) }], at(30))).toEqual({ action: 'cancel', reason: 'new_car_not_registered' });
    expect(decideNewCarOwnerCheck({ ...account, personalType: 'owner_driver' }, [], at(48))).toEqual({ action: 'none' });
  });
});

describe('counter and online channels on the real database (R-10.1, R-12.1.4, R-13.1.1, R-14, R-16.2)', async () => {
  const env = await testEnv({ start: '2026-11-25T02:00:00Z' });
  const intake = await staffCookie(env, 'sz.intake');

  it('R-10.1 a unit cannot register online: the sign-up takes a person’s ID only, and no account is made', async () => {
    const before = await env.sql`SELECT count(*)::int AS n FROM user_account`;
    const res = await env.call('POST', '/api/v1/auth/sign-up', {
      body: { name: '深圳市顺达通物流有限公司', idNumber: '91440300MA5F28360P', phone: '13600136001', smsCode: '123456', password: 'Test#2026pass', personalType: 'organisation' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('request.invalid');
    expect(await env.sql`SELECT count(*)::int AS n FROM user_account`).toEqual(before);
  });

  it('R-12.1.4 a local licence without a certificate photo makes 受理岗 tell the applicant; with the photo there is no prompt', async () => {
    await env.sql`UPDATE driving_licence SET has_certificate_photo = false WHERE person_id = (SELECT id FROM person WHERE id_number = ${CHEN_JING.idNumber})`;
    const docs = await scan(env, intake, PERSON_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ ...CHEN_JING, phone: '15800158111' }), documents: docs } });
    expect(res.status).toBe(201);
    const a = await res.json();
    expect(a.photoPrompts).toContain('licence_photo_missing');
    expect(a.photoPrompts).not.toContain('vehicle_photo_missing');
    // Reject it so the person can apply again; with the photo back, no prompt.
    const review = await staffCookie(env, 'sz.review');
    expect((await env.call('POST', `/admin-api/account-applications/${a.id}/reject`, { cookie: review, body: { reason: '申请人撤回申请，另行办理' } })).status).toBe(200);
    await env.sql`UPDATE driving_licence SET has_certificate_photo = true WHERE person_id = (SELECT id FROM person WHERE id_number = ${CHEN_JING.idNumber})`;
    const again = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ ...CHEN_JING, phone: '15800158111' }), documents: await scan(env, intake, PERSON_DOCS) } });
    expect(again.status).toBe(201);
    expect((await again.json()).photoPrompts).toEqual([]);
  });

  it('R-16.2 a personal change at the counter is the account holder’s own: a person with no account cannot change one', async () => {
    const docs = await scan(env, intake, PERSON_DOCS);
    // 陈静's registration above is still in review: she has no live account yet.
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'change', changeKind: 'contact', form: personForm({ ...CHEN_JING, phone: '15800158112' }), documents: docs } });
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe('accounts.not_found');
  });

  it('R-14 a change is made online too: the citizen changes the contact details, and the change is audited', async () => {
    const cookie = await userCookie(env, ZHANG_WEI.userId);
    const res = await env.call('POST', '/api/v1/me/contact', { cookie, body: { email: 'zhangwei@example.com', postalAddress: '广东省深圳市福田区福华一路1号', postcode: '518048' } });
    expect(res.status).toBe(200);
    const me = await (await env.call('GET', '/api/v1/me', { cookie })).json();
    expect(me.contact).toMatchObject({ email: 'zhangwei@example.com', postcode: '518048' });
    const [row] = await env.sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = ${ZHANG_WEI.userId}`;
    expect(row!.n).toBeGreaterThan(0);
  });

  it('R-13.1.1 the agent’s ID card is read against 人口信息库: a wrong name is refused at the agent’s ID and no unit is made', async () => {
    const docs = await scan(env, intake, ORG_DOCS);
    const form = {
      organisationKind: 'public_institution', organisationName: '深圳市滨海人民医院', uscc: '1244030045571806XX', postalAddress: '广东省深圳市南山区后海大道2108号',
      postcode: '518052', legalRepName: '郭志远', legalRepPhone: '19170466362',
      agent: { name: '任静', sex: 'F', birthDate: '1998-01-05', idType: 'resident_id', idNumber: '440309199801053521', phone: '13312345679' },
      matters: '注册单位用户',
    };
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'organisation', kind: 'registration', form, documents: docs } });
    expect(res.status).toBe(422);
    const p = await res.json();
    expect(p.code).toBe('accounts.person_not_found');
    expect(JSON.stringify(p)).toContain('form.agent.idNumber');
    expect(await env.sql`SELECT 1 FROM user_account WHERE phone = ${form.agent.phone}`).toHaveLength(0);
    // With the name as 人口信息库 has it, the same unit is registered at once.
    const ok = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'organisation', kind: 'registration', form: { ...form, agent: { ...form.agent, name: '任静怡' } }, documents: docs } });
    expect(ok.status).toBe(201);
  });
});
