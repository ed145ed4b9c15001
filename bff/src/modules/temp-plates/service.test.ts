import { beforeAll, describe, expect, it } from 'vitest';
import { fieldsOf, testEnv, type TestEnv } from '../../../test/support.ts';
import { runJobs, staffSession } from '../replacements/test-support.ts';
import { chunkedUpload as upload } from '../../platform/uploads/testing.ts';
import { vinCheckChar } from '../../platform/check-digits.ts';
import { HAND_OUT_DOCUMENTS, REQUIRED_DOCUMENTS } from './rules.ts';

const NEW_CAR = { vin: 'LFVBJ6C27TF583246', brandModel: '大众探岳' }; // 廖志明's car, plate_no NULL
const REGISTERED_VIN = 'LSVAM4189KC263624'; // 粤BA1234
const registration = { ownerName: '廖志明', ownerIdNumber: '44030519900101123X', ownerPhone: '13912345678' };
const owner = { ...registration, ownerIdType: 'resident_id' };
const DAY = 24 * 3600_000;

/** A VIN with a valid check digit that is not in the records (a new car). */
function vin(n: number): string {
  const raw = `LSVCC6A4${0}TN${String(n).padStart(6, '0')}`;
  return raw.slice(0, 8) + vinCheckChar(raw) + raw.slice(9);
}

let env: TestEnv;
let dealer: string;
let review: string;
let intake: string;

async function signIn() {
  [dealer, review, intake] = [await staffSession(env, 'dealer.pengcheng'), await staffSession(env, 'sz.review'), await staffSession(env, 'sz.intake')];
}
async function ok(res: Awaited<ReturnType<TestEnv['call']>>, status = 200) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
async function refused(res: Awaited<ReturnType<TestEnv['call']>>, status: number, code: string) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.code).toBe(code);
  return body;
}
const post = (cookie: string, path: string, body: unknown = {}) => env.call('POST', path, { cookie, body });
const get = (cookie: string, path: string) => env.call('GET', path, { cookie });

async function documents(kinds: readonly string[] = REQUIRED_DOCUMENTS) {
  const out: Record<string, string> = {};
  for (const k of kinds) out[k] = await upload(env, dealer, '/admin-api/temp-plate-uploads', Buffer.from(`%PDF-1.7 ${k}`), { fileName: `${k}.pdf` }, 'application/pdf');
  return out;
}
/** the collector's documents, scanned by 受理岗. */
async function handOutDocuments(kinds: readonly string[] = HAND_OUT_DOCUMENTS) {
  const out: Record<string, string> = {};
  for (const k of kinds) out[k] = await upload(env, intake, '/admin-api/temp-plate-handout-uploads', Buffer.from(`%PDF-1.7 ${k}`), { fileName: `${k}.pdf` }, 'application/pdf');
  return out;
}
async function blanksInStock() {
  const f = encodeURIComponent(JSON.stringify({ status: 'in_stock' }));
  return (await ok(await get(dealer, `/admin-api/temp-plate-blanks?filter=${f}&range=[0,99]`))) as { id: string; plateNo: string }[];
}
async function stock() {
  return ok(await get(dealer, '/admin-api/temp-plate-stock'));
}

describe('temporary plates issued by dealers, on a real database', () => {
  let qid: string;

  beforeAll(async () => {
    env = await testEnv();
    await signIn();
  });

  it('R-30 a dealer-role staff member of an organisation that is not a car dealer cannot apply', async () => {
    const [m] = await env.sql<{ id: string }[]>`
      INSERT INTO staff_member (username, display_name, password_hash, roles, authority_id, organisation_id, totp_key, totp_enabled)
      VALUES ('fake.dealer', '顺达通 经办人', 'x', '{dealer}', '440300', '20000000-0000-4000-8000-000000000002', '\\x00'::bytea, true) RETURNING id`;
    expect(m).toBeDefined();
    const fake = await staffSession(env, 'fake.dealer');
    const docs: Record<string, string> = {};
    for (const k of REQUIRED_DOCUMENTS) docs[k] = await upload(env, fake, '/admin-api/temp-plate-uploads', Buffer.from('%PDF-1.4'), { fileName: 'a.pdf' }, 'application/pdf');
    await refused(await post(fake, '/admin-api/dealer-qualifications', { brandModels: ['大众探岳'], documents: docs }), 403, 'temp_plates.not_a_dealer');
  });

  it('R-31.2 every document is required; R-32.1 the city must entrust dealers', async () => {
    const some = await documents(['organisation_code_certificate', 'letter_of_authorisation']);
    const r = await refused(await post(dealer, '/admin-api/dealer-qualifications', { brandModels: ['大众探岳'], documents: some }), 422, 'temp_plates.documents_incomplete');
    expect(r.detail).toBe('缺少：代理人身份证明、销售机动车品牌型号清单、准予销售证明。请补齐后重新提交。');
    await ok(await env.call('PUT', '/admin-api/temp-plate-city-settings/440300', { cookie: review, body: { dealersEnabled: false } }));
    await refused(await post(dealer, '/admin-api/dealer-qualifications', { brandModels: ['大众探岳'], documents: await documents() }), 422, 'temp_plates.city_not_entrusted');
    await ok(await env.call('PUT', '/admin-api/temp-plate-city-settings/440300', { cookie: review, body: { dealersEnabled: true } }));
  });

  it('R-33.1 管理岗 reviews and records the qualification: one year, with a quota (R-31.3, R-32.6); R-31.1 / R-31.4 no blanks before it is granted', async () => {
    const q = await ok(await post(dealer, '/admin-api/dealer-qualifications', { brandModels: ['大众探岳', '大众帕萨特'], documents: await documents() }), 201);
    expect(q.status).toBe('pending');
    expect(q.organisationName).toBe('深圳市鹏城汽车销售有限公司');
    expect(q.pendingReview.documents).toHaveLength(5);
    qid = q.id;
    await refused(await post(dealer, '/admin-api/dealer-qualifications', { brandModels: ['大众探岳'], documents: await documents() }), 409, 'temp_plates.qualification_exists');
    // the dealer cannot approve itself; intake cannot either
    expect((await post(dealer, `/admin-api/dealer-qualifications/${qid}/approve`, { quota: 20 })).status).toBe(403);
    expect((await post(intake, `/admin-api/dealer-qualifications/${qid}/approve`, { quota: 20 })).status).toBe(403);
    const doc = await get(review, `/admin-api/dealer-qualifications/${qid}/documents/sales_permit`);
    expect(doc.headers.get('content-type')).toBe('application/pdf');
    // blanks are collected only after the qualification is granted — none for a pending one
    const early = await refused(await post(intake, '/admin-api/temp-plate-batches', { documents: await handOutDocuments(), qualificationId: qid, quantity: 5, returnedDamagedNos: [], issuedSinceLast: 0, materialsComplete: true }), 422, 'temp_plates.not_qualified');
    expect(early.params).toEqual({ status: 'pending' });
    expect((await stock()).counters.handedOut).toBe(0);
    await refused(await post(review, `/admin-api/dealer-qualifications/${qid}/approve`, {}), 400, 'temp_plates.quota_required');
    const approved = await ok(await post(review, `/admin-api/dealer-qualifications/${qid}/approve`, { quota: 20, note: '资料齐全' }));
    expect(approved).toMatchObject({ status: 'active', validFrom: '2026-11-25', validUntil: '2027-11-24', quota: 20, renewalWindow: { opensOn: '2027-10-24', closesOn: '2027-11-24' } });
    const [job] = await env.sql<{ run_at: Date }[]>`SELECT run_at FROM job WHERE kind = 'temp_plates.qualification_lapse' AND dedupe_key = ${qid} AND status = 'queued'`;
    expect(job!.run_at.toISOString()).toBe('2027-11-24T16:00:00.000Z');
  });

  it('R-33.2.1 受理岗 checks the collector’s 组织机构代码证, 委托书 and 身份证明: a missing one is refused at its field, naming it, and nothing is handed out', async () => {
    const body = { qualificationId: qid, quantity: 5, returnedDamagedNos: [], issuedSinceLast: 0, materialsComplete: true };
    const without = await refused(await post(intake, '/admin-api/temp-plate-batches', { ...body, documents: await handOutDocuments(['organisation_code_certificate', 'letter_of_authorisation']) }), 422, 'temp_plates.handout_documents_incomplete');
    expect(fieldsOf(without)).toEqual({ 'documents.collector_identity': 'temp_plates.handout_documents_incomplete' });
    expect(without.detail).toContain('领取人身份证明');
    const none = await refused(await post(intake, '/admin-api/temp-plate-batches', body), 422, 'temp_plates.handout_documents_incomplete');
    expect(fieldsOf(none)).toEqual({ 'documents.organisation_code_certificate': 'temp_plates.handout_documents_incomplete' });
    expect(none.params).toEqual({ missing: 'organisation_code_certificate,letter_of_authorisation,collector_identity' });
    const en = await (await env.call('POST', '/admin-api/temp-plate-batches', { cookie: intake, body, headers: { 'accept-language': 'en' } })).json();
    expect(en.detail).toContain('collector’s identity document');
    // a dealer's qualification scan is not a document shown at the counter
    const dealerScan = (await documents(['organisation_code_certificate'])).organisation_code_certificate!;
    const foreign = await refused(await post(intake, '/admin-api/temp-plate-batches', { ...body, documents: { ...(await handOutDocuments()), organisation_code_certificate: dealerScan } }), 422, 'uploads.not_usable');
    expect(fieldsOf(foreign)).toEqual({ 'documents.organisation_code_certificate': 'uploads.not_usable' });
    expect((await stock()).counters.handedOut).toBe(0);
    const [n] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM temp_plate_batch WHERE qualification_id = ${qid}`;
    expect(n!.n).toBe(0);
  });

  it('R-33.2 受理岗 hands out 20 numbered blanks; R-31.5 the dealer issues one; R-31.7 one is damaged; the stock reconciles', async () => {
    const batch = await ok(await post(intake, '/admin-api/temp-plate-batches', { documents: await handOutDocuments(), qualificationId: qid, quantity: 20, returnedDamagedNos: [], issuedSinceLast: 0, materialsComplete: true }), 201);
    expect(batch).toMatchObject({ quantity: 20, firstPlateNo: '粤B临00001', lastPlateNo: '粤B临00020', checkStatus: 'passed' });
    // the documents checked are kept with the hand-out, and audited
    expect(batch.documents.map((d: { kind: string }) => d.kind)).toEqual(['collector_identity', 'letter_of_authorisation', 'organisation_code_certificate']);
    const [audit] = await env.sql<{ after: { documents: { kind: string }[] } }[]>`SELECT after FROM audit_log WHERE action = 'temp_plates.blanks_handed_out' AND entity_id = ${batch.id}`;
    expect(audit!.after.documents.map((d) => d.kind).sort()).toEqual(['collector_identity', 'letter_of_authorisation', 'organisation_code_certificate']);
    const blanks = await blanksInStock();
    expect(blanks).toHaveLength(20);

    await refused(await post(dealer, '/admin-api/temp-plate-issuances', { blankId: blanks[0]!.id, vin: NEW_CAR.vin, brandModel: '丰田凯美瑞', ...owner }), 422, 'temp_plates.model_not_authorised');
    await refused(await post(dealer, '/admin-api/temp-plate-issuances', { blankId: blanks[0]!.id, vin: REGISTERED_VIN, brandModel: '大众探岳', ...owner }), 422, 'temp_plates.vehicle_registered');
    const issued = await ok(await post(dealer, '/admin-api/temp-plate-issuances', { blankId: blanks[0]!.id, ...NEW_CAR, ...owner }), 201);
    expect(issued).toMatchObject({ plateNo: '粤B临00001', status: 'issued', validUntil: '2026-12-09' });
    await refused(await post(dealer, '/admin-api/temp-plate-issuances', { blankId: blanks[1]!.id, ...NEW_CAR, ...owner }), 409, 'temp_plates.vin_has_temp_plate');
    // the same blank is not issued twice
    await refused(await post(dealer, '/admin-api/temp-plate-issuances', { blankId: blanks[0]!.id, vin: 'LRWYEEKB0TC323769', brandModel: '大众帕萨特', ...owner }), 409, 'temp_plates.blank_not_in_stock');

    await ok(await post(dealer, `/admin-api/temp-plate-blanks/${blanks[1]!.id}/report-damaged`, { note: '打印卡纸' }));
    await refused(await post(dealer, `/admin-api/temp-plate-blanks/${blanks[1]!.id}/report-damaged`), 409, 'temp_plates.blank_not_in_stock');
    const s = await stock();
    expect(s.counters).toEqual({ handedOut: 20, inStock: 18, issued: 1, damagedKept: 1, returned: 0, destroyed: 0, recovered: 0 });
    expect(s.balanced).toBe(true);
    expect(s.matches).toBe(true);
  });

  it('X-6.1 the hand-out and the issuance are each in the electronic archive exactly once', async () => {
    const rows = await env.sql<{ business_type: string; n: number }[]>`SELECT business_type, count(*)::int AS n FROM archive_record WHERE business_type LIKE 'temp_plate_%' GROUP BY business_type ORDER BY business_type`;
    expect(rows).toEqual([{ business_type: 'temp_plate_issuance', n: 1 }, { business_type: 'temp_plate_stock', n: 1 }]);
  });

  it('R-33.2.2 the next hand-out checks the damaged blank and the issuance records; R-32.6 the quota holds; R-33.2.5 destruction', async () => {
    const q = await ok(await get(intake, `/admin-api/dealer-qualifications/${qid}`));
    expect(q.handOutCheck).toMatchObject({ damagedKeptNos: ['粤B临00002'], issuedSinceLast: 1 });
    const bad = await refused(await post(intake, '/admin-api/temp-plate-batches', { documents: await handOutDocuments(), qualificationId: qid, quantity: 2, returnedDamagedNos: [], issuedSinceLast: 0, materialsComplete: true }), 422, 'temp_plates.check_failed');
    expect(bad.detail).toContain('粤B临00002');
    await refused(await post(intake, '/admin-api/temp-plate-batches', { documents: await handOutDocuments(), qualificationId: qid, quantity: 3, returnedDamagedNos: ['粤B临00002'], issuedSinceLast: 1, materialsComplete: true }), 409, 'temp_plates.quota_exceeded');
    const batch = await ok(await post(intake, '/admin-api/temp-plate-batches', { documents: await handOutDocuments(), qualificationId: qid, quantity: 2, returnedDamagedNos: ['粤B临00002'], issuedSinceLast: 1, materialsComplete: true }), 201);
    expect(batch.firstPlateNo).toBe('粤B临00021');
    const [damaged] = await env.sql<{ id: string; status: string }[]>`SELECT id, status FROM temp_plate_blank WHERE plate_no = '粤B临00002'`;
    expect(damaged!.status).toBe('returned');
    await ok(await post(intake, `/admin-api/temp-plate-blanks/${damaged!.id}/destroy`));
    const s = await stock();
    expect(s.counters).toEqual({ handedOut: 22, inStock: 20, issued: 1, damagedKept: 0, returned: 0, destroyed: 1, recovered: 0 });
    expect(s.matches).toBe(true);
  });

  it('R-33.2.4 network down: hand out now, check later; a failed late check suspends the dealer and recovers the blanks (PD-8)', async () => {
    // three blanks back to the authority's stock first, so that a hand-out fits the quota
    const blanks = await blanksInStock();
    for (const b of blanks.slice(0, 3)) await ok(await post(dealer, `/admin-api/temp-plate-blanks/${b.id}/report-damaged`, { note: '受潮' }));
    // the dealer says it brings 2 damaged blanks; the records say 3 (+ the first of them counts towards damage)
    const q0 = await ok(await get(review, `/admin-api/dealer-qualifications/${qid}`));
    expect(q0.explanation.required).toBe(true); // three damaged blanks
    await ok(await post(review, `/admin-api/dealer-qualifications/${qid}/accept-explanation`, { note: '已说明' }));
    const batch = await ok(await post(intake, '/admin-api/temp-plate-batches', { documents: await handOutDocuments(),
      qualificationId: qid, quantity: 2, returnedDamagedNos: blanks.slice(0, 2).map((b) => b.plateNo), issuedSinceLast: 0, materialsComplete: true, deferCheck: true,
    }), 201);
    expect(batch.checkStatus).toBe('deferred');
    // not while the check is pending
    await refused(await post(intake, '/admin-api/temp-plate-batches', { documents: await handOutDocuments(), qualificationId: qid, quantity: 1, returnedDamagedNos: [], issuedSinceLast: 0, materialsComplete: true }), 409, 'temp_plates.check_pending');
    env.clock.advance(10 * 60_000);
    await signIn();
    await runJobs(env);
    const checked = await ok(await get(intake, `/admin-api/temp-plate-batches/${batch.id}`));
    expect(checked.checkStatus).toBe('failed');
    const q = await ok(await get(review, `/admin-api/dealer-qualifications/${qid}`));
    expect(q.status).toBe('suspended');
    expect(q.stock.inStock).toBe(0);
    expect(q.stock.recovered).toBe(19);
    expect(q.stock.balanced).toBe(true);
    await refused(await post(dealer, '/admin-api/temp-plate-issuances', { blankId: blanks[5]!.id, vin: 'LRWYEEKB0TC323769', brandModel: '大众帕萨特', ...owner }), 422, 'temp_plates.not_qualified');
    await ok(await post(review, `/admin-api/dealer-qualifications/${qid}/reinstate`, { note: '已补交资料' }));
    const s = await stock();
    expect(s.matches).toBe(true);
    expect(s.counters.handedOut).toBe(24);
  });

  it('R-31.6 / R-32.4 owner-data mismatches are counted; repeated ones need an explanation before the next hand-out', async () => {
    await ok(await post(intake, '/admin-api/temp-plate-batches', { documents: await handOutDocuments(),
      qualificationId: qid, quantity: 5, returnedDamagedNos: ['粤B临00003', '粤B临00004', '粤B临00005'], issuedSinceLast: 0, materialsComplete: true,
    }), 201);
    const blanks = await blanksInStock();
    const ids: string[] = [];
    for (const [i, v] of [vin(1), vin(2)].entries()) {
      ids.push((await ok(await post(dealer, '/admin-api/temp-plate-issuances', { blankId: blanks[i]!.id, vin: v, brandModel: '大众帕萨特', ...owner }), 201)).id);
    }
    const first = await ok(await post(intake, `/admin-api/temp-plate-issuances/${ids[0]}/record-registration`, { ...registration, ownerName: '廖智明' }));
    expect(first.mismatchFields).toEqual(['ownerName']);
    await refused(await post(intake, `/admin-api/temp-plate-issuances/${ids[0]}/record-registration`, registration), 409, 'temp_plates.already_registered');
    await ok(await post(intake, `/admin-api/temp-plate-issuances/${ids[1]}/record-registration`, { ...registration, ownerPhone: '13900000000' }));
    const q = await ok(await get(review, `/admin-api/dealer-qualifications/${qid}`));
    expect(q.mismatchCount).toBe(2);
    expect(q.explanation).toMatchObject({ required: true, reason: 'mismatches' });
    await refused(await post(intake, '/admin-api/temp-plate-batches', { documents: await handOutDocuments(), qualificationId: qid, quantity: 1, returnedDamagedNos: [], issuedSinceLast: q.handOutCheck.issuedSinceLast, materialsComplete: true }), 422, 'temp_plates.explanation_required');
    await ok(await post(dealer, `/admin-api/dealer-qualifications/${qid}/explain`, { text: '客户购车后更换了联系电话，登记时以本人证件为准。' }));
    const cleared = await ok(await post(review, `/admin-api/dealer-qualifications/${qid}/accept-explanation`, {}));
    expect(cleared.mismatchCount).toBe(0);
    expect(cleared.explanation.required).toBe(false);
  });

  it('R-31.3 renewal only in the last month; approval extends by a year', async () => {
    await refused(await post(dealer, `/admin-api/dealer-qualifications/${qid}/renew`, { brandModels: ['大众探岳'], documents: await documents() }), 422, 'temp_plates.renewal_window_closed');
    env.clock.set('2027-10-25T02:00:00Z');
    await signIn();
    await ok(await post(dealer, `/admin-api/dealer-qualifications/${qid}/renew`, { brandModels: ['大众探岳', '大众途观L'], documents: await documents() }));
    const renewed = await ok(await post(review, `/admin-api/dealer-qualifications/${qid}/approve`, {}));
    expect(renewed.validUntil).toBe('2028-11-24');
    expect(renewed.brandModels).toEqual(['大众探岳', '大众途观L']);
    // the lapse job of the old end does nothing; the new one waits for 2028-11-25
    env.clock.set('2027-11-25T02:00:00Z');
    await signIn();
    await runJobs(env);
    expect((await ok(await get(review, `/admin-api/dealer-qualifications/${qid}`))).status).toBe('active');
  });

  it('R-32.3 not renewed in time → lapsed by the job, stock recovered; issuing blocked; R-32.5 no reapplying for a year', async () => {
    const blanks = await blanksInStock();
    env.clock.set('2028-11-25T00:00:00+08:00');
    await signIn();
    await runJobs(env);
    const q = await ok(await get(review, `/admin-api/dealer-qualifications/${qid}`));
    expect(q).toMatchObject({ status: 'lapsed', endReason: 'not_renewed', reapplyAfter: '2029-11-25' });
    expect(q.stock.inStock).toBe(0);
    expect(q.stock.balanced).toBe(true);
    const r = await post(dealer, '/admin-api/temp-plate-issuances', { blankId: blanks[0]!.id, vin: 'LRWYEEKB0TC323769', brandModel: '大众探岳', ...owner });
    expect(r.status).toBe(422);
    expect((await r.json()).code).toBe('temp_plates.not_qualified');
    const again = await refused(await post(dealer, '/admin-api/dealer-qualifications', { brandModels: ['大众探岳'], documents: await documents() }), 422, 'temp_plates.reapply_banned');
    expect(again.detail).toContain('2029-11-25');
    env.clock.advance(366 * DAY);
    await signIn();
    await ok(await post(dealer, '/admin-api/dealer-qualifications', { brandModels: ['大众探岳'], documents: await documents() }), 201);
  });

  it('access: a dealer sees only its own rows; other cities see none', async () => {
    const gz = await staffSession(env, 'gz.intake');
    const list = await ok(await get(gz, '/admin-api/dealer-qualifications'));
    expect(list).toEqual([]);
    expect((await get(await staffSession(env, 'sz.archive'), '/admin-api/dealer-qualifications')).status).toBe(403);
    expect((await env.call('GET', '/admin-api/temp-plate-stock')).status).toBe(401);
    expect((await get(intake, '/admin-api/temp-plate-stock')).status).toBe(403);
  });
});
