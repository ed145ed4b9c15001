/**
 * the owner's identity number on a temporary plate —
 * at issue by the dealer and at 注册登记 by 受理岗 — is checked by its type
 * with the one shared check (platform/check-digits.ts idDocumentProblem):
 * a resident ID by GB 11643, a USCC by GB 32100. A wrong check digit is a
 * field error that changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fieldsOf, testEnv, type TestEnv } from '../../../test/support.ts';
import { staffSession } from '../replacements/test-support.ts';
import { chunkedUpload as upload } from '../../platform/uploads/testing.ts';
import { HAND_OUT_DOCUMENTS, REQUIRED_DOCUMENTS } from './rules.ts';

const GOOD_ID = '44030519900101123X';
const BAD_ID = '440305199001011234'; // right length, region and birth date; check character should be X
const GOOD_USCC = '91440300MA5F28360P';
const BAD_USCC = '91440300MA5F28360Q';
const owner = { ownerName: '廖志明', ownerIdType: 'resident_id', ownerIdNumber: GOOD_ID, ownerPhone: '13912345678' };

let env: TestEnv;
let dealer: string;
let review: string;
let intake: string;
let blanks: { id: string; plateNo: string }[];

async function ok(res: Awaited<ReturnType<TestEnv['call']>>, status = 200) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
const post = (cookie: string, path: string, body: unknown = {}) => env.call('POST', path, { cookie, body });
async function invalidAt(res: Awaited<ReturnType<TestEnv['call']>>, field: string, code: string) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(body.code).toBe('request.invalid');
  expect(fieldsOf(body)).toEqual({ [field]: code });
}
const counts = async () => (await env.sql<{ issued: number; stock: number }[]>`
  SELECT (SELECT count(*)::int FROM temp_plate_issuance) AS issued, (SELECT count(*)::int FROM temp_plate_blank WHERE status = 'in_stock') AS stock`)[0];

describe('R-31 / R-33 the owner’s ID number on a temporary plate passes its check digit', () => {
  beforeAll(async () => {
    env = await testEnv();
    [dealer, review, intake] = [await staffSession(env, 'dealer.pengcheng'), await staffSession(env, 'sz.review'), await staffSession(env, 'sz.intake')];
    const documents: Record<string, string> = {};
    for (const k of REQUIRED_DOCUMENTS) documents[k] = await upload(env, dealer, '/admin-api/temp-plate-uploads', Buffer.from(`%PDF-1.7 ${k}`), { fileName: `${k}.pdf` }, 'application/pdf');
    const q = await ok(await post(dealer, '/admin-api/dealer-qualifications', { brandModels: ['大众探岳'], documents }), 201);
    await ok(await post(review, `/admin-api/dealer-qualifications/${q.id}/approve`, { quota: 20 }));
    const handOutDocuments: Record<string, string> = {};
    for (const k of HAND_OUT_DOCUMENTS) handOutDocuments[k] = await upload(env, intake, '/admin-api/temp-plate-handout-uploads', Buffer.from(`%PDF-1.7 ${k}`), { fileName: `${k}.pdf` }, 'application/pdf');
    await ok(await post(intake, '/admin-api/temp-plate-batches', { documents: handOutDocuments, qualificationId: q.id, quantity: 3, returnedDamagedNos: [], issuedSinceLast: 0, materialsComplete: true }), 201);
    const f = encodeURIComponent(JSON.stringify({ status: 'in_stock' }));
    blanks = await ok(await env.call('GET', `/admin-api/temp-plate-blanks?filter=${f}&range=[0,99]`, { cookie: dealer }));
  });

  it('R-31.5 issuing with a resident ID or USCC whose check digit is wrong is refused at the field, and nothing is issued', async () => {
    const before = await counts();
    const base = { blankId: blanks[0]!.id, vin: 'LFVBJ6C27TF583246', brandModel: '大众探岳' };
    await invalidAt(await post(dealer, '/admin-api/temp-plate-issuances', { ...base, ...owner, ownerIdNumber: BAD_ID }), 'ownerIdNumber', 'validation.id_number_checksum');
    await invalidAt(await post(dealer, '/admin-api/temp-plate-issuances', { ...base, ...owner, ownerIdType: 'uscc', ownerIdNumber: BAD_USCC }), 'ownerIdNumber', 'validation.uscc_checksum');
    expect(await counts()).toEqual(before);
    // a passport has no check digit we can verify; a right USCC passes
    await ok(await post(dealer, '/admin-api/temp-plate-issuances', { ...base, ...owner, ownerIdType: 'uscc', ownerIdNumber: GOOD_USCC }), 201);
  });

  it('R-31.6 recording the registration with a wrong check digit is refused; without a type the dealer’s recorded type is used', async () => {
    const issued = await ok(await post(dealer, '/admin-api/temp-plate-issuances', { blankId: blanks[1]!.id, vin: 'LRWYEEKB0TC323769', brandModel: '大众探岳', ...owner }), 201);
    const path = `/admin-api/temp-plate-issuances/${issued.id}/record-registration`;
    const reg = { ownerName: owner.ownerName, ownerIdNumber: GOOD_ID, ownerPhone: owner.ownerPhone };
    await invalidAt(await post(intake, path, { ...reg, ownerIdNumber: BAD_ID }), 'ownerIdNumber', 'validation.id_number_checksum');
    await invalidAt(await post(intake, path, { ...reg, ownerIdType: 'uscc', ownerIdNumber: BAD_USCC }), 'ownerIdNumber', 'validation.uscc_checksum');
    const [still] = await env.sql`SELECT status, registered_at FROM temp_plate_issuance WHERE id = ${issued.id}`;
    expect(still).toEqual({ status: 'issued', registered_at: null });
    expect((await ok(await post(intake, path, reg))).mismatchFields).toEqual([]);
  });
});
