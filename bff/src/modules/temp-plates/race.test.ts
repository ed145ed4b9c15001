/**
 * Races with real concurrent connections (style §4, §7): concurrent hand-outs
 * never take a dealer past its quota, and a blank number is never
 * handed out or issued twice — the database refuses it whatever the code does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.ts';
import { isPgError, PG } from '../../core/errors.ts';
import { staffSession } from '../replacements/test-support.ts';
import { chunkedUpload as upload } from '../../platform/uploads/testing.ts';
import { HAND_OUT_DOCUMENTS, REQUIRED_DOCUMENTS } from './rules.ts';

let env: TestEnv;
let dealer: string;
let intake: string;
let qid: string;

/** the collector's documents, scanned by 受理岗. */
async function handOutDocuments() {
  const out: Record<string, string> = {};
  for (const k of HAND_OUT_DOCUMENTS) out[k] = await upload(env, intake, '/admin-api/temp-plate-handout-uploads', Buffer.from(`%PDF-1.7 ${k}`), { fileName: `${k}.pdf` }, 'application/pdf');
  return out;
}
const handOut = (quantity: number, documents: Record<string, string>) =>
  env.call('POST', '/admin-api/temp-plate-batches', { cookie: intake, body: { qualificationId: qid, quantity, returnedDamagedNos: [], issuedSinceLast: 0, materialsComplete: true, documents } });

describe('races on blank temporary plates', () => {
  beforeAll(async () => {
    env = await testEnv();
    dealer = await staffSession(env, 'dealer.pengcheng');
    intake = await staffSession(env, 'sz.intake');
    const review = await staffSession(env, 'sz.review');
    const documents: Record<string, string> = {};
    for (const k of REQUIRED_DOCUMENTS) documents[k] = await upload(env, dealer, '/admin-api/temp-plate-uploads', Buffer.from(`%PDF-1.7 ${k}`), { fileName: `${k}.pdf` }, 'application/pdf');
    const q = await (await env.call('POST', '/admin-api/dealer-qualifications', { cookie: dealer, body: { brandModels: ['大众探岳'], documents } })).json();
    qid = q.id;
    const approved = await env.call('POST', `/admin-api/dealer-qualifications/${qid}/approve`, { cookie: review, body: { quota: 20 } });
    expect(approved.status).toBe(200);
  });

  it('R-32.6 two concurrent hand-outs of 15 against a quota of 20: exactly one succeeds', async () => {
    const [a, b] = [await handOutDocuments(), await handOutDocuments()];
    const answers = await Promise.all([handOut(15, a), handOut(15, b)]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409]);
    const refused = await answers.find((a) => a.status === 409)!.json();
    expect(refused.code).toBe('temp_plates.quota_exceeded');
    const [q] = await env.sql<{ blanks_in_stock: number; blanks_handed_out: number }[]>`SELECT blanks_in_stock, blanks_handed_out FROM dealer_qualification WHERE id = ${qid}`;
    expect(q).toEqual({ blanks_in_stock: 15, blanks_handed_out: 15 });
  });

  it('R-32.6 eight concurrent hand-outs of 1 with 5 left: five succeed, every number once', async () => {
    const docs: Record<string, string>[] = [];
    for (let i = 0; i < 8; i++) docs.push(await handOutDocuments());
    const answers = await Promise.all(docs.map((d) => handOut(1, d)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(3);
    const [counts] = await env.sql<{ n: number; distinct: number; in_stock: number }[]>`
      SELECT count(*)::int AS n, count(DISTINCT plate_no)::int AS distinct,
             (SELECT blanks_in_stock FROM dealer_qualification WHERE id = ${qid}) AS in_stock
      FROM temp_plate_blank WHERE qualification_id = ${qid}`;
    expect(counts).toEqual({ n: 20, distinct: 20, in_stock: 20 });
    // consecutive numbers, no gap and no repeat
    const nos = await env.sql<{ plate_no: string }[]>`SELECT plate_no FROM temp_plate_blank WHERE qualification_id = ${qid} ORDER BY plate_no`;
    expect(nos.map((r) => r.plate_no)).toEqual(Array.from({ length: 20 }, (_, i) => `粤B临${String(i + 1).padStart(5, '0')}`));
  });

  it('a blank issued by two concurrent requests is issued once', async () => {
    const [blank] = await env.sql<{ id: string }[]>`SELECT id FROM temp_plate_blank WHERE qualification_id = ${qid} AND status = 'in_stock' ORDER BY plate_no LIMIT 1`;
    const body = (vin: string) => ({ blankId: blank!.id, vin, brandModel: '大众探岳', ownerName: '廖志明', ownerIdType: 'resident_id', ownerIdNumber: '44030519900101123X', ownerPhone: '13912345678' });
    const answers = await Promise.all([
      env.call('POST', '/admin-api/temp-plate-issuances', { cookie: dealer, body: body('LFVBJ6C27TF583246') }),
      env.call('POST', '/admin-api/temp-plate-issuances', { cookie: dealer, body: body('LRWYEEKB0TC323769') }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const [n] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM temp_plate_issuance WHERE blank_id = ${blank!.id}`;
    expect(n!.n).toBe(1);
  });

  it('the database itself refuses a second blank with the same number, a second issuance of a blank, and a lost blank', async () => {
    const [b] = await env.sql<{ id: string; plate_no: string; batch_id: string }[]>`SELECT id, plate_no, batch_id FROM temp_plate_blank WHERE qualification_id = ${qid} LIMIT 1`;
    const dupBlank = await env.sql`
      INSERT INTO temp_plate_blank (plate_no, authority_id, qualification_id, batch_id, updated_at) VALUES (${b!.plate_no}, '440300', ${qid}, ${b!.batch_id}, now())`.catch((e: unknown) => e);
    expect(isPgError(dupBlank, PG.uniqueViolation)).toBe(true);
    const [issued] = await env.sql<{ blank_id: string }[]>`SELECT blank_id FROM temp_plate_issuance LIMIT 1`;
    const dupIssue = await env.sql`
      INSERT INTO temp_plate_issuance (blank_id, plate_no, qualification_id, authority_id, vin, brand_model, owner_name, owner_id_type, owner_id_number, owner_phone, valid_until, issued_by, issued_at)
      SELECT blank_id, plate_no || 'X', qualification_id, authority_id, 'LSVAM4189KC263624', brand_model, owner_name, owner_id_type, owner_id_number, owner_phone, valid_until, issued_by, issued_at
      FROM temp_plate_issuance WHERE blank_id = ${issued!.blank_id}`.catch((e: unknown) => e);
    expect(isPgError(dupIssue, PG.uniqueViolation)).toBe(true);
    // accounting identity: a counter change that loses a blank is refused
    const lost = await env.sql`UPDATE dealer_qualification SET blanks_in_stock = blanks_in_stock - 1 WHERE id = ${qid}`.catch((e: unknown) => e);
    expect(isPgError(lost, PG.checkViolation)).toBe(true);
  });
});
