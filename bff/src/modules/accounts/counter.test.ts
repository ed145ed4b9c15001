import { describe, expect, it } from 'vitest';
import { testEnv, fieldsOf } from '../../../test/support.ts';
import {
  advanceAndRunJobs, auditActions, CHEN_JING, NON_OWN_DOCS, ORG_DOCS, PERSON_DOCS, personForm, scan, smsSignIn, smsTo, staffCookie, uploadRaw, userCookie,
  WU_ZHIQIANG, ZHANG_WEI, ZHAO_LEI, LI_NA, JPEG,
} from './testing.ts';

// Friday 2026-11-27 20:30 in Shanghai.
const FRIDAY_EVENING = '2026-11-27T12:30:00Z';

describe('counter registration of a person (R-12) through 受理岗 → 管理岗 → 档案岗', async () => {
  const env = await testEnv({ start: FRIDAY_EVENING });
  const intake = await staffCookie(env, 'sz.intake');
  const newPhone = '15800158999';
  let appId = '';
  let reference = '';
  let token = '';

  it('R-12.1.3 受理岗 must capture the on-site photo and the scans of form and ID', async () => {
    const docs = await scan(env, intake, ['onsite_photo']);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ ...CHEN_JING, phone: newPhone }), documents: docs } });
    expect(res.status).toBe(422);
    const p = await res.json();
    expect(p.code).toBe('accounts.uploads_missing');
    expect(Object.keys(fieldsOf(p))).toEqual(['documents.application_form', 'documents.identity_document']);
  });

  it('uploads: JPEG/PNG/PDF by their bytes, at most 5 MB, hashed', async () => {
    const text = await uploadRaw(env, '/admin-api/uploads', intake, 'application_form', new TextEncoder().encode('<html>'), 'application/pdf');
    expect(text.status).toBe(415);
    expect((await text.json()).code).toBe('uploads.type');
    const big = new Uint8Array(5 * 1024 * 1024 + 10);
    big.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
    expect((await uploadRaw(env, '/admin-api/uploads', intake, 'application_form', big, 'application/pdf')).status).toBe(413);
    const form = await uploadRaw(env, '/admin-api/uploads', intake, 'onsite_photo', JPEG, 'text/plain');
    expect(form.status).toBe(415); // a cross-site form cannot post here
    const ok = await uploadRaw(env, '/admin-api/uploads', intake, 'onsite_photo', JPEG);
    expect(ok.status).toBe(201);
    const body = await ok.json();
    expect(body).toMatchObject({ contentType: 'image/jpeg', size: JPEG.length });
    expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const back = await env.app.request(`/admin-api/uploads/${body.id}`, { headers: { cookie: intake } });
    expect(back.status).toBe(200);
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(JPEG);
    // Another city's staff cannot read it.
    const gz = await staffCookie(env, 'gz.intake');
    expect((await env.app.request(`/admin-api/uploads/${body.id}`, { headers: { cookie: gz } })).status).toBe(404);
  });

  it('R-12.1 accepted; R-12.2 a Friday-evening submission is due Monday 24:00; the citizen gets an SMS with the tracking link', async () => {
    const docs = await scan(env, intake, PERSON_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', {
      cookie: intake,
      body: { subject: 'person', kind: 'registration', form: personForm({ ...CHEN_JING, phone: newPhone }, { postalAddress: '广东省深圳市龙岗区龙城大道99号' }), documents: docs },
    });
    expect(res.status).toBe(201);
    const a = await res.json();
    appId = a.id;
    reference = a.reference;
    token = a.trackToken;
    expect(a).toMatchObject({ status: 'review', checkStatus: 'passed', subject: 'person', kind: 'registration', reviewDueAt: '2026-11-30T16:00:00.000Z', overdue: false });
    expect(a.reference).toMatch(/^YH44030020261127\d{5}$/);
    expect(a.registry).toEqual({ name: '陈静', sex: 'F', birthDate: '1995-09-30' });
    expect(a.documents.map((d: { purpose: string }) => d.purpose).sort()).toEqual([...PERSON_DOCS].sort());
    const [sms] = await smsTo(env, newPhone, 'accounts.application_accepted');
    expect(sms!.payload).toMatchObject({ reference, dueDay: '2026-11-30' });
    expect(String(sms!.payload.link)).toContain(`/applications/track/${token}`);
  });

  it('PD-3: the review queue lists the deadline first; the overdue flag comes with the deadline, nothing is approved by the clock', async () => {
    const review = await staffCookie(env, 'sz.review');
    const res = await env.call('GET', '/admin-api/account-applications?filter={"queue":"review"}&sort=["reviewDueAt","ASC"]', { cookie: review });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toMatch(/^account-applications 0-0\/1$/);
    expect((await res.json())[0].id).toBe(appId);
  });

  it('R-12.2.4 return-for-correction: back to the 受理岗 queue with the note, corrected, resubmitted — the deadline stays', async () => {
    const review = await staffCookie(env, 'sz.review');
    const ret = await env.call('POST', `/admin-api/account-applications/${appId}/return`, { cookie: review, body: { note: '邮寄地址与申请表不一致，请按申请表补全门牌号' } });
    expect(ret.status).toBe(200);
    expect(await ret.json()).toMatchObject({ status: 'returned', returnedNote: '邮寄地址与申请表不一致，请按申请表补全门牌号' });

    // Out of the review queue, into 受理岗's.
    expect(await (await env.call('GET', '/admin-api/account-applications?filter={"queue":"review"}', { cookie: review })).json()).toHaveLength(0);
    const queue = await (await env.call('GET', '/admin-api/account-applications?filter={"queue":"intake"}', { cookie: intake })).json();
    expect(queue.map((x: { id: string }) => x.id)).toEqual([appId]);

    // A returned case cannot be approved before 受理岗 corrects it.
    expect((await env.call('POST', `/admin-api/account-applications/${appId}/approve`, { cookie: review })).status).toBe(409);
    // Only 受理岗 corrects; the identity document cannot change in a correction.
    const wrongId = await env.call('POST', `/admin-api/account-applications/${appId}/resubmit`, { cookie: intake, body: { form: personForm({ ...LI_NA, phone: newPhone }) } });
    expect(wrongId.status).toBe(422);
    expect((await env.call('POST', `/admin-api/account-applications/${appId}/resubmit`, { cookie: review, body: { form: personForm({ ...CHEN_JING, phone: newPhone }) } })).status).toBe(403);

    env.clock.advance(15 * 60_000);
    const fixed = await env.call('POST', `/admin-api/account-applications/${appId}/resubmit`, {
      cookie: intake, body: { form: personForm({ ...CHEN_JING, phone: newPhone }), note: '已按申请表更正' },
    });
    expect(fixed.status).toBe(200);
    expect(await fixed.json()).toMatchObject({ status: 'review', reviewDueAt: '2026-11-30T16:00:00.000Z', returnedNote: '邮寄地址与申请表不一致，请按申请表补全门牌号' });
  });

  it('R-12.2.5 approval creates the counter account and SMSes its details; R-11.3 the counter phone replaces the records’ phone', async () => {
    const review = await staffCookie(env, 'sz.review');
    const res = await env.call('POST', `/admin-api/account-applications/${appId}/approve`, { cookie: review });
    expect(res.status).toBe(200);
    const a = await res.json();
    expect(a.status).toBe('approved');
    const [acct] = await env.sql`SELECT kind, personal_type, registration_channel, authority_id, phone, password_hash FROM user_account WHERE id = ${a.userAccountId}`;
    expect(acct).toMatchObject({ kind: 'personal', personal_type: 'owner_driver', registration_channel: 'counter', authority_id: '440300', phone: newPhone, password_hash: null });
    const [licence] = await env.sql`SELECT l.phone FROM driving_licence l JOIN person p ON p.id = l.person_id WHERE p.id_number = ${CHEN_JING.idNumber}`;
    expect(licence!.phone).toBe(newPhone);
    const [sms] = await smsTo(env, newPhone, 'accounts.registered_at_counter');
    expect(sms!.payload).toMatchObject({ reference, phoneMasked: '158****8999', personalType: 'owner_driver' });
    // Approving twice is a state conflict, not a second account.
    expect((await env.call('POST', `/admin-api/account-applications/${appId}/approve`, { cookie: review })).status).toBe(409);
  });

  it('R-9.4 the counter-registered citizen signs in with an SMS code and gets every personal service', async () => {
    const s = await smsSignIn(env, newPhone);
    expect(s.status).toBe(200);
    const me = await (await env.call('GET', '/api/v1/me', { cookie: s.cookie })).json();
    expect(me.user).toMatchObject({ registrationChannel: 'counter', personalType: 'owner_driver' });
    expect(me.services).toEqual(expect.arrayContaining(['replacement', 'licence_services', 'certificate_photo_upload', 'violation_handling']));
    expect(me.licences).toHaveLength(1);
  });

  it('R-12.3 / R-12.4 档案岗 checks the two documents and records where the paper file is', async () => {
    const archive = await staffCookie(env, 'sz.archive');
    const list = await (await env.call('GET', '/admin-api/account-archives?filter={"status":"pending"}', { cookie: archive })).json();
    const rec = list.find((r: { applicationId: string }) => r.applicationId === appId);
    expect(rec).toMatchObject({ status: 'pending', requiredDocuments: ['application_form_original', 'identity_document_copy'], subject: 'person' });
    const half = await env.call('POST', `/admin-api/account-archives/${rec.id}/archive`, { cookie: archive, body: { checkedDocuments: ['application_form_original'], fileLocation: '网办中心档案室 A-03-12' } });
    expect(half.status).toBe(422);
    expect((await half.json()).code).toBe('accounts.archive_incomplete');
    const noPlace = await env.call('POST', `/admin-api/account-archives/${rec.id}/archive`, { cookie: archive, body: { checkedDocuments: rec.requiredDocuments, fileLocation: ' ' } });
    expect((await noPlace.json()).code).toBe('accounts.archive_location_required');
    const done = await env.call('POST', `/admin-api/account-archives/${rec.id}/archive`, { cookie: archive, body: { checkedDocuments: rec.requiredDocuments, fileLocation: '网办中心档案室 A-03-12' } });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: 'archived', fileLocation: '网办中心档案室 A-03-12' });
    const moved = await env.call('POST', `/admin-api/account-archives/${rec.id}/archive`, { cookie: archive, body: { checkedDocuments: [], fileLocation: '市档案馆 2027-001' } });
    expect(await moved.json()).toMatchObject({ status: 'archived', fileLocation: '市档案馆 2027-001' });
    // The archive post cannot review, and the intake post cannot archive.
    expect((await env.call('POST', `/admin-api/account-applications/${appId}/approve`, { cookie: archive })).status).toBe(403);
    expect((await env.call('GET', '/admin-api/account-archives', { cookie: intake })).status).toBe(403);
  });

  it('audit: an entry for every transition, in order', async () => {
    expect(await auditActions(env, 'account_application', appId)).toEqual([
      'accounts.application_accepted', 'accounts.application_returned', 'accounts.application_resubmitted', 'accounts.application_approved', 'accounts.archived',
    ]);
    const [created] = await env.sql`SELECT entity_id FROM audit_log WHERE action = 'accounts.registered_at_counter'`;
    expect(created).toBeDefined();
  });

  it('R-12.2 the citizen follows the timeline from the SMS link and, signed in, by reference; nobody else can', async () => {
    const tracked = await env.call('GET', `/api/v1/applications/track/${token}`);
    expect(tracked.status).toBe(200);
    const t = await tracked.json();
    expect(t.timeline.map((s: { step: string }) => s.step)).toEqual(['accepted', 'returned', 'resubmitted', 'approved', 'archived']);
    expect(t.timeline[0].dueBy).toBe('2026-11-30T16:00:00.000Z');
    expect(t.applicantNameMasked).toBe('陈*');
    const text = JSON.stringify(t);
    expect(text).not.toContain('门牌号'); // the return note is for 受理岗
    expect(text).not.toContain(CHEN_JING.idNumber);
    expect(text).not.toContain(newPhone);
    expect((await env.call('GET', `/api/v1/applications/track/${'a'.repeat(32)}`)).status).toBe(404);

    const chen = await smsSignIn(env, newPhone);
    const mine = await env.call('GET', `/api/v1/applications/${reference}`, { cookie: chen.cookie });
    expect(mine.status).toBe(200);
    expect((await (await env.call('GET', '/api/v1/applications', { cookie: chen.cookie })).json()).map((x: { reference: string }) => x.reference)).toContain(reference);
    const zhang = await userCookie(env, ZHANG_WEI.userId);
    expect((await env.call('GET', `/api/v1/applications/${reference}`, { cookie: zhang })).status).toBe(404);
    expect((await env.call('GET', `/api/v1/applications/${reference}`)).status).toBe(401);
  });

  it('PD-9: another city’s staff see nothing of it (404); the province sees its cities', async () => {
    const gz = await staffCookie(env, 'gz.intake');
    expect((await env.call('GET', `/admin-api/account-applications/${appId}`, { cookie: gz })).status).toBe(404);
    expect(await (await env.call('GET', '/admin-api/account-applications', { cookie: gz })).json()).toHaveLength(0);
    const province = await staffCookie(env, 'gd.review');
    expect((await env.call('GET', `/admin-api/account-applications/${appId}`, { cookie: province })).status).toBe(200);
    expect((await env.call('GET', '/admin-api/account-applications')).status).toBe(401);
  });

  it('R-7.1 one account per person: a second counter registration of the same person is refused', async () => {
    const docs = await scan(env, intake, PERSON_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ ...CHEN_JING, phone: '15800158777' }), documents: docs } });
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('accounts.already_registered');
  });

  it('the counter pre-fill: the citizen’s form is loaded by its code and marked used', async () => {
    const pre = await env.call('POST', '/api/v1/applications/prefills', { body: { form: personForm({ ...ZHAO_LEI }) } });
    expect(pre.status).toBe(201);
    const { code } = await pre.json();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    const loaded = await env.call('GET', `/admin-api/account-prefills/${code}`, { cookie: intake });
    expect(loaded.status).toBe(200);
    expect((await loaded.json()).form).toMatchObject({ name: '赵磊', idNumber: ZHAO_LEI.idNumber });
    expect((await env.call('GET', `/admin-api/account-prefills/${code}`, { cookie: await staffCookie(env, 'sz.archive') })).status).toBe(403);
    expect((await env.call('GET', '/admin-api/account-prefills/ABCDEFGH23', { cookie: intake })).status).toBe(404);
    const docs = await scan(env, intake, PERSON_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm(ZHAO_LEI), documents: docs, prefillCode: code } });
    expect(res.status).toBe(201);
    const [row] = await env.sql`SELECT used_at FROM account_prefill WHERE code = ${code}`;
    expect(row!.used_at).not.toBeNull();
  });
});

describe('public lookups by code are throttled per IP (issue 7: attack)', async () => {
  const env = await testEnv();
  const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

  it('20 unknown prefill codes or tracking tokens from one IP lock that IP for 15 minutes (429, even for a right code); other IPs and staff are unaffected', async () => {
    const pre = await env.call('POST', '/api/v1/applications/prefills', { body: { form: personForm({ ...ZHAO_LEI }) } });
    const { code } = await pre.json();
    expect((await env.call('GET', `/api/v1/applications/prefills/${code}`, from('198.51.100.7'))).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await env.call('GET', `/api/v1/applications/prefills/ABCDEFGH${'23456789'[i % 8]}${'23456789'[(i + 3) % 8]}`, from('198.51.100.7'))).status).toBe(404);
    for (let i = 0; i < 10; i++) expect((await env.call('GET', `/api/v1/applications/track/${'abcdefghij'[i]!.repeat(32)}`, from('198.51.100.7'))).status).toBe(404);
    const locked = await env.call('GET', `/api/v1/applications/prefills/${code}`, from('198.51.100.7'));
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toContain('application/problem+json');
    expect((await locked.json()).code).toBe('accounts.rate_limited');
    expect((await env.call('GET', `/api/v1/applications/prefills/${code}`, from('198.51.100.8'))).status).toBe(200);
    const intake = await staffCookie(env, 'sz.intake');
    expect((await env.call('GET', `/admin-api/account-prefills/${code}`, { cookie: intake, ...from('198.51.100.7') })).status).toBe(200);
    env.clock.advance(15 * 60_000 + 1000);
    expect((await env.call('GET', `/api/v1/applications/prefills/${code}`, from('198.51.100.7'))).status).toBe(200);
  });
});

describe('prefills are made without an account: limited per IP (issue 7: attack)', async () => {
  const env = await testEnv();
  it('30 prefills from one IP in 15 minutes, then 429 (and no row) until the window has passed; another IP is unaffected', async () => {
    const post = (ip: string) => env.call('POST', '/api/v1/applications/prefills', { body: { form: personForm({ ...ZHAO_LEI }) }, headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 30; i++) expect((await post('198.51.100.20')).status).toBe(201);
    const [before] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM account_prefill`;
    const refused = await post('198.51.100.20');
    expect(refused.status).toBe(429);
    expect((await refused.json()).code).toBe('accounts.rate_limited');
    expect((await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM account_prefill`)[0]!.n).toBe(before!.n);
    expect((await post('198.51.100.21')).status).toBe(201);
    env.clock.advance(15 * 60_000 + 1000);
    expect((await post('198.51.100.20')).status).toBe(201);
  });
});

describe('"network down → accept now, check later" (R-12.1.2, PD-8)', async () => {
  const env = await testEnv();
  const intake = await staffCookie(env, 'sz.intake');
  const review = await staffCookie(env, 'sz.review');

  it('R-12.1.2 a disqualified applicant is refused at once when the registry answers', async () => {
    const docs = await scan(env, intake, PERSON_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ ...WU_ZHIQIANG, phone: '15000150001' }), documents: docs } });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('accounts.disqualified');
    const unknown = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ ...ZHAO_LEI, name: '赵雷' }), documents: docs } });
    expect((await unknown.json()).code).toBe('accounts.person_not_found');
  });

  it('PD-8 accepted while the network is down: pending and visible to 管理岗, not approvable until the rerun check passes', async () => {
    const docs = await scan(env, intake, PERSON_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm(ZHAO_LEI), documents: docs, networkDown: true } });
    expect(res.status).toBe(201);
    const a = await res.json();
    expect(a).toMatchObject({ checkStatus: 'pending', registry: null });
    const pending = await (await env.call('GET', '/admin-api/account-applications?filter={"checkStatus":"pending"}', { cookie: review })).json();
    expect(pending.map((x: { id: string }) => x.id)).toContain(a.id);
    const early = await env.call('POST', `/admin-api/account-applications/${a.id}/approve`, { cookie: review });
    expect(early.status).toBe(409);
    expect((await early.json()).code).toBe('accounts.check_pending');

    expect(await advanceAndRunJobs(env, 5 * 60_000)).toBeGreaterThanOrEqual(1);
    const after = await (await env.call('GET', `/admin-api/account-applications/${a.id}`, { cookie: review })).json();
    expect(after).toMatchObject({ checkStatus: 'passed', registry: { name: '赵磊' } });
    expect(after.timeline.map((s: { step: string }) => s.step)).toEqual(['accepted', 'check_pending', 'check_passed']);
    const ok = await env.call('POST', `/admin-api/account-applications/${a.id}/approve`, { cookie: await staffCookie(env, 'sz.review') });
    expect(ok.status).toBe(200);
  });

  it('PD-8 a failed late check can only be rejected, and the reason goes by SMS (R-12.2.6)', async () => {
    const docs = await scan(env, intake, PERSON_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ ...WU_ZHIQIANG, phone: '15000150001' }), documents: docs, networkDown: true } });
    expect(res.status).toBe(201);
    const a = await res.json();
    await advanceAndRunJobs(env, 5 * 60_000);
    const rv = await staffCookie(env, 'sz.review');
    const approve = await env.call('POST', `/admin-api/account-applications/${a.id}/approve`, { cookie: rv });
    expect(approve.status).toBe(422);
    expect((await approve.json()).code).toBe('accounts.check_failed');
    const reject = await env.call('POST', `/admin-api/account-applications/${a.id}/reject`, { cookie: rv, body: { reason: '存在造成交通事故后逃逸构成犯罪的情形' } });
    expect(reject.status).toBe(200);
    expect(await reject.json()).toMatchObject({ status: 'rejected', rejectReason: '存在造成交通事故后逃逸构成犯罪的情形' });
    const [sms] = await smsTo(env, '15000150001', 'accounts.application_rejected');
    expect(sms!.payload.reason).toBe('存在造成交通事故后逃逸构成犯罪的情形');
    expect(await auditActions(env, 'account_application', a.id)).toEqual(['accounts.application_accepted', 'accounts.application_check_failed', 'accounts.application_rejected']);
  });

  it('PD-3 an open case past its deadline is flagged overdue by the SLA job, and stays open', async () => {
    const docs = await scan(env, intake, PERSON_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ name: '刘建华', idNumber: '440304196604039717', phone: '13603016703' }), documents: docs } });
    expect(res.status).toBe(201);
    const a = await res.json();
    await advanceAndRunJobs(env, 3 * 24 * 3600_000);
    const after = await (await env.call('GET', `/admin-api/account-applications/${a.id}`, { cookie: await staffCookie(env, 'sz.review') })).json();
    expect(after).toMatchObject({ status: 'review', overdue: true });
    expect(after.timeline.map((s: { step: string }) => s.step)).toContain('overdue');
  });
});

describe('organisations at the counter (R-13, R-20, R-16.5)', async () => {
  const env = await testEnv();
  const intake = await staffCookie(env, 'sz.intake');
  const hospital = {
    organisationKind: 'public_institution', organisationName: '深圳市滨海人民医院', uscc: '1244030045571806XX', postalAddress: '广东省深圳市南山区后海大道2108号',
    postcode: '518057', legalRepName: '郭志远', legalRepPhone: '19170466362',
    agent: { name: '任静怡', sex: 'F', birthDate: '1998-01-05', idType: 'resident_id', idNumber: '440309199801053521', phone: '13312345678', email: 'fleet@binhai.example.com' },
    matters: '注册单位用户，绑定本单位机动车',
  };

  it('R-13.1.3 the unit account is created at acceptance, no review; its vehicles are bound; 档案岗 gets the four documents', async () => {
    const docs = await scan(env, intake, ORG_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'organisation', kind: 'registration', form: hospital, documents: docs } });
    expect(res.status).toBe(201);
    const a = await res.json();
    expect(a).toMatchObject({ status: 'completed', reviewDueAt: null, subject: 'organisation' });
    const [acct] = await env.sql`SELECT kind, registration_channel, authority_id, phone FROM user_account WHERE id = ${a.userAccountId}`;
    expect(acct).toMatchObject({ kind: 'organisation', registration_channel: 'counter', authority_id: '440300', phone: '13312345678' });
    const archive = await (await env.call('GET', '/admin-api/account-archives', { cookie: await staffCookie(env, 'sz.archive') })).json();
    expect(archive.find((r: { applicationId: string }) => r.applicationId === a.id).requiredDocuments).toEqual([
      'application_form_original', 'organisation_certificate_copy', 'letter_of_authorisation_original', 'agent_identity_document_copy',
    ]);
    expect(await smsTo(env, '13312345678', 'accounts.organisation_registered')).toHaveLength(1);
    expect((await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'organisation', kind: 'registration', form: hospital, documents: docs } })).status).toBe(409);
  });

  it('an organisation’s vehicles are visible only to that organisation’s users (R-10.3.2, non-negotiable 7)', async () => {
    const unit = await smsSignIn(env, '13312345678');
    const me = await (await env.call('GET', '/api/v1/me', { cookie: unit.cookie })).json();
    expect(me.user).toMatchObject({ kind: 'organisation', name: '深圳市滨海人民医院' });
    expect(me.vehicles.map((v: { plateNo: string; binding: string }) => [v.plateNo, v.binding])).toEqual([['粤B87342', 'organisation']]);
    expect(me.services).toEqual(expect.arrayContaining(['bind_organisation_vehicles', 'inspection_booking', 'plate_preselection']));
    expect(me.services).not.toContain('violation_handling');
    const zhang = await (await env.call('GET', '/api/v1/me', { cookie: await userCookie(env, ZHANG_WEI.userId) })).json();
    expect(zhang.vehicles.map((v: { plateNo: string }) => v.plateNo)).not.toContain('粤B87342');
    const otherUnit = await (await env.call('GET', '/api/v1/me', { cookie: await userCookie(env, '50000000-0000-4000-8000-000000000003') })).json();
    expect(otherUnit.vehicles.map((v: { plateNo: string }) => v.plateNo)).not.toContain('粤B87342');
    // Another user cannot bind the unit's vehicle either: it is "not found".
    const [v] = await env.sql`SELECT id FROM vehicle WHERE plate_no = '粤B87342'`;
    expect((await env.call('POST', `/api/v1/me/vehicles/${v!.id}/bind`, { cookie: await userCookie(env, ZHANG_WEI.userId) })).status).toBe(404);
  });

  it('R-20 / R-16.5 a unit change applies at once and updates the registration data; no archive (materials returned)', async () => {
    const docs = await scan(env, intake, ORG_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', {
      cookie: intake, body: { subject: 'organisation', kind: 'change', form: { ...hospital, legalRepName: '郭志强', legalRepPhone: '19170466363', matters: '变更法定代表人' }, documents: docs },
    });
    expect(res.status).toBe(201);
    const a = await res.json();
    expect(a).toMatchObject({ status: 'completed', kind: 'change', changeKind: 'organisation_info' });
    const [org] = await env.sql`SELECT legal_rep_name, legal_rep_phone FROM organisation WHERE uscc = '1244030045571806XX'`;
    expect(org).toMatchObject({ legal_rep_name: '郭志强', legal_rep_phone: '19170466363' });
    expect(await env.sql`SELECT 1 FROM account_archive WHERE application_id = ${a.id}`).toHaveLength(0);
    // PD-9: unit accounts are local — 广州 cannot change a 深圳 unit.
    const gz = await staffCookie(env, 'gz.intake');
    const gzDocs = await scan(env, gz, ORG_DOCS);
    expect((await env.call('POST', '/admin-api/account-applications', { cookie: gz, body: { subject: 'organisation', kind: 'change', form: hospital, documents: gzDocs } })).status).toBe(404);
  });
});

describe('non-own vehicles bound at the counter (R-16.3, R-19.1)', async () => {
  const env = await testEnv();
  const intake = await staffCookie(env, 'sz.intake');
  const zhangForm = personForm({ ...ZHANG_WEI, sex: 'M' });
  const plates = { liNa1: '粤B12345', liNa2: '粤BD23456', wangFang: '粤BF12345' };
  const bindApp = async (plateNo: string, ownerIdNumber: string, docs?: Record<string, string>) =>
    env.call('POST', '/admin-api/account-applications', {
      cookie: intake,
      body: { subject: 'person', kind: 'change', changeKind: 'bind_non_own_vehicle', form: zhangForm, vehicle: { plateNo, ownerIdType: 'resident_id', ownerIdNumber }, documents: docs ?? (await scan(env, intake, NON_OWN_DOCS)) },
    });

  it('R-19.1.1 needs the owner’s ID and vehicle-licence scans, and the owner’s ID must be the recorded owner’s', async () => {
    const personOnly = await scan(env, intake, PERSON_DOCS);
    const missing = await bindApp(plates.liNa1, LI_NA.idNumber, personOnly);
    expect((await missing.json()).code).toBe('accounts.uploads_missing');
    const wrongOwner = await bindApp(plates.liNa1, ZHAO_LEI.idNumber);
    expect(wrongOwner.status).toBe(422);
    expect((await wrongOwner.json()).code).toBe('accounts.owner_mismatch');
    const own = await bindApp('粤BA1234', ZHANG_WEI.idNumber);
    expect((await own.json()).code).toBe('accounts.own_vehicle');
  });

  it('R-16.3 approved bindings show as non-own; two counters racing for the third slot: one wins, one is refused', async () => {
    const first = await bindApp(plates.liNa1, LI_NA.idNumber);
    expect(first.status).toBe(201);
    const review = await staffCookie(env, 'sz.review');
    expect((await env.call('POST', `/admin-api/account-applications/${(await first.json()).id}/approve`, { cookie: review })).status).toBe(200);
    const zhang = await userCookie(env, ZHANG_WEI.userId);
    const me = await (await env.call('GET', '/api/v1/me', { cookie: zhang })).json();
    expect(me.vehicles.filter((v: { binding: string }) => v.binding === 'non_own').map((v: { plateNo: string }) => v.plateNo).sort()).toEqual(['粤B12345', '粤B8K2M9']);

    const [docsA, docsB] = [await scan(env, intake, NON_OWN_DOCS), await scan(env, intake, NON_OWN_DOCS)];
    const race = await Promise.all([bindApp(plates.liNa2, LI_NA.idNumber, docsA), bindApp(plates.wangFang, '440305199007213406', docsB)]);
    const statuses = race.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 422]);
    const loser = race.find((r) => r.status === 422)!;
    expect((await loser.json()).code).toBe('accounts.non_own_limit');
    const winner = await race.find((r) => r.status === 201)!.json();
    expect((await env.call('POST', `/admin-api/account-applications/${winner.id}/approve`, { cookie: review })).status).toBe(200);
  });

  it('R-16.3 the fourth non-own vehicle is refused at the counter', async () => {
    const [bound] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM vehicle_binding WHERE user_account_id = ${ZHANG_WEI.userId} AND kind = 'non_own' AND unbound_at IS NULL`;
    expect(bound!.n).toBe(3);
    const [free] = await env.sql<{ plate_no: string; id_number: string }[]>`
      SELECT v.plate_no, p.id_number FROM vehicle v JOIN person p ON p.id = v.owner_person_id
      WHERE v.plate_no IS NOT NULL AND v.states = '{normal}' AND p.id_number <> ${ZHANG_WEI.idNumber}
        AND NOT EXISTS (SELECT 1 FROM vehicle_binding b WHERE b.vehicle_id = v.id AND b.user_account_id = ${ZHANG_WEI.userId} AND b.unbound_at IS NULL)
      LIMIT 1`;
    const fourth = await bindApp(free!.plate_no, free!.id_number);
    expect(fourth.status).toBe(422);
    expect((await fourth.json()).code).toBe('accounts.non_own_limit');
  });

  it('R-16.3 two approvals racing past the limit: the user row lock lets exactly one through', async () => {
    // Two applications accepted while two slots were free, then one binding freed and taken again:
    // a stale pair of open cases must not end with four.
    const zhang = await userCookie(env, ZHANG_WEI.userId);
    const [nonOwn] = await env.sql<{ vehicle_id: string }[]>`SELECT vehicle_id FROM vehicle_binding WHERE user_account_id = ${ZHANG_WEI.userId} AND kind = 'non_own' AND unbound_at IS NULL ORDER BY bound_at LIMIT 1`;
    expect((await env.call('POST', `/api/v1/me/vehicles/${nonOwn!.vehicle_id}/unbind`, { cookie: zhang })).status).toBe(200);
    const candidates = await env.sql<{ plate_no: string; id_number: string }[]>`
      SELECT v.plate_no, p.id_number FROM vehicle v JOIN person p ON p.id = v.owner_person_id
      WHERE v.plate_no IS NOT NULL AND v.states = '{normal}' AND p.id_number <> ${ZHANG_WEI.idNumber}
        AND NOT EXISTS (SELECT 1 FROM vehicle_binding b WHERE b.vehicle_id = v.id AND b.user_account_id = ${ZHANG_WEI.userId} AND b.unbound_at IS NULL)
      ORDER BY v.plate_no LIMIT 2`;
    const a1 = await (await bindApp(candidates[0]!.plate_no, candidates[0]!.id_number)).json();
    // Simulate an application accepted earlier (before the limit filled) by inserting its twin directly.
    const [a2] = await env.sql<{ id: string }[]>`
      INSERT INTO account_application (reference, authority_id, subject, kind, change_kind, status, id_type, id_number, phone, form, person_id, user_account_id, vehicle_id,
        check_status, track_token_hash, accepted_by, accepted_at, review_due_at, updated_at)
      SELECT 'YH44030020261125' || lpad((nextval('account_application_ref_seq') % 100000)::text, 5, '0'), authority_id, subject, kind, change_kind, status, id_type, id_number, phone, form,
             person_id, user_account_id, v.id, check_status, md5(random()::text) || md5(random()::text), accepted_by, accepted_at, review_due_at, updated_at
      FROM account_application a, vehicle v WHERE a.id = ${a1.id} AND v.plate_no = ${candidates[1]!.plate_no}
      RETURNING id`;
    const review = await staffCookie(env, 'sz.review');
    const answers = await Promise.all([a1.id, a2!.id].map((id) => env.call('POST', `/admin-api/account-applications/${id}/approve`, { cookie: review })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
    const [after] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM vehicle_binding WHERE user_account_id = ${ZHANG_WEI.userId} AND kind = 'non_own' AND unbound_at IS NULL`;
    expect(after!.n).toBe(3);
  });
});
