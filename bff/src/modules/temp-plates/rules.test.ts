import { describe, expect, it } from 'vitest';
import { vinCheckChar } from '../../platform/check-digits.ts';
import { describe as describeCode } from '../../core/catalog.ts';
import { messages } from './messages.ts';

const refusalDetail = (code: string, params: Record<string, string | number> | undefined, locale: 'zh-CN' | 'en') => describeCode(messages, code, params, locale).detail;
import {
  blankNumber, checkHandOut, checkHandOutDocuments, decideApplication, decideHandOut, decideIssue, decideQuantity, decideRenewal, explanationNeeded, isBalanced, isLapsed,
  lapsesAt, missingDocuments, ownerMismatches, reapplyAfter, REQUIRED_DOCUMENTS, renewalWindow, renewedUntil, stockFromStatuses, tempPlateValidUntil,
  validityFrom, type ApplicantFacts, type IssueFacts, type QualificationFacts,
} from './rules.ts';

const TODAY = '2026-11-25';
const applicant: ApplicantFacts = { isCarDealer: true, dissolved: false, cityEntrusted: true, reapplyAfter: null, documentKinds: [...REQUIRED_DOCUMENTS] };

describe('who may apply (R-30, R-31.2, R-32.1, R-32.5)', () => {
  it.each([
    ['R-30 a car dealer with every document may apply', applicant, { ok: true }],
    ['R-30 only car dealers', { ...applicant, isCarDealer: false }, { ok: false, code: 'temp_plates.not_a_dealer' }],
    ['R-33.1.2 a dissolved organisation may not', { ...applicant, dissolved: true }, { ok: false, code: 'temp_plates.organisation_dissolved' }],
    ['R-32.1 not in a city that does not entrust dealers', { ...applicant, cityEntrusted: false }, { ok: false, code: 'temp_plates.city_not_entrusted' }],
    ['R-32.5 not within a year of revocation', { ...applicant, reapplyAfter: '2026-11-26' }, { ok: false, code: 'temp_plates.reapply_banned', params: { reapplyAfter: '2026-11-26' } }],
    ['R-32.5 again from the day the ban ends', { ...applicant, reapplyAfter: TODAY }, { ok: true }],
    ['R-31.2 the sales permit is required', { ...applicant, documentKinds: REQUIRED_DOCUMENTS.filter((d) => d !== 'sales_permit') }, { ok: false, code: 'temp_plates.documents_incomplete', params: { missing: 'sales_permit' } }],
  ] as [string, ApplicantFacts, unknown][])('%s', (_n, facts, expected) => {
    expect(decideApplication(facts, TODAY)).toEqual(expected);
  });

  it('R-31.2 the five documents: organisation code, authorisation, agent ID, brand/model list, sales permit', () => {
    expect(missingDocuments([])).toEqual(['organisation_code_certificate', 'letter_of_authorisation', 'agent_identity', 'brand_model_list', 'sales_permit']);
    expect(refusalDetail('temp_plates.documents_incomplete', { missing: 'sales_permit,agent_identity' }, 'zh-CN')).toBe('缺少：准予销售证明、代理人身份证明。请补齐后重新提交。');
  });

  it('R-32.5 the reapply ban lasts one calendar year', () => {
    expect(reapplyAfter('2026-11-25')).toBe('2027-11-25');
    expect(reapplyAfter('2028-02-29')).toBe('2029-02-28');
  });
});

describe('validity and renewal (R-31.3, R-32.3)', () => {
  it('R-31.3 the qualification is valid for one year', () => {
    expect(validityFrom('2026-11-25')).toEqual({ validFrom: '2026-11-25', validUntil: '2027-11-24' });
  });
  it('R-31.3 the renewal window is the last month', () => {
    expect(renewalWindow('2027-11-24')).toEqual({ opensOn: '2027-10-24', closesOn: '2027-11-24' });
  });
  const q = { status: 'active' as const, validUntil: '2027-11-24' };
  it.each([
    ['R-31.3 too early for renewal two months before the end', '2027-09-24', { ok: false, code: 'temp_plates.renewal_window_closed', params: { opensOn: '2027-10-24', closesOn: '2027-11-24' } }],
    ['R-31.3 renewal on the first day of the last month', '2027-10-24', { ok: true }],
    ['R-31.3 renewal on the last valid day', '2027-11-24', { ok: true }],
    ['R-31.3 / R-32.3 too late after the end', '2027-11-25', { ok: false, code: 'temp_plates.renewal_window_closed', params: { opensOn: '2027-10-24', closesOn: '2027-11-24' } }],
  ])('%s', (_n, today, expected) => {
    expect(decideRenewal(q, today)).toEqual(expected);
  });
  it('R-31.3 a revoked qualification is not renewed', () => {
    expect(decideRenewal({ status: 'revoked', validUntil: '2027-11-24' }, '2027-11-01')).toEqual({ ok: false, code: 'temp_plates.wrong_status', params: { status: 'revoked' } });
  });
  it('R-31.3 a passed renewal extends by a year from the old end', () => {
    expect(renewedUntil('2027-11-24')).toBe('2028-11-24');
  });
  it('R-32.3 a qualification not renewed lapses at 00:00 after its last day', () => {
    expect(lapsesAt('2027-11-24').toISOString()).toBe('2027-11-24T16:00:00.000Z');
    expect(isLapsed('2027-11-24', '2027-11-24')).toBe(false);
    expect(isLapsed('2027-11-24', '2027-11-25')).toBe(true);
  });
});

describe('handing out blanks (R-32.6, R-33.2)', () => {
  it.each([
    ['R-32.6 up to the quota', 20, 0, 20, { ok: true }],
    ['R-32.6 a top-up to the quota', 20, 5, 15, { ok: true }],
    ['R-32.6 never above the quota', 20, 5, 16, { ok: false, code: 'temp_plates.quota_exceeded', params: { quota: 20, inStock: 5, available: 15 } }],
    ['R-32.6 at least one blank', 20, 0, 0, { ok: false, code: 'temp_plates.quota_exceeded', params: { quota: 20, inStock: 0, available: 20 } }],
  ])('%s', (_n, quota, inStock, qty, expected) => {
    expect(decideQuantity(quota, inStock, qty)).toEqual(expected);
  });

  it.each([
    ['R-33.2.2 nothing damaged, nothing issued, materials in order', { returnedDamagedNos: [], issuedSinceLast: 0, materialsComplete: true }, { damagedKeptNos: [], issuedSinceLast: 0 }, true, []],
    ['R-33.2.2 the damaged blanks returned match the records', { returnedDamagedNos: ['粤B临00002'], issuedSinceLast: 1, materialsComplete: true }, { damagedKeptNos: ['粤B临00002'], issuedSinceLast: 1 }, true, []],
    ['R-33.2.2 a damaged blank not returned fails', { returnedDamagedNos: [], issuedSinceLast: 1, materialsComplete: true }, { damagedKeptNos: ['粤B临00002'], issuedSinceLast: 1 }, false, ['damaged_missing']],
    ['R-33.2.2 a blank the records do not show as damaged fails', { returnedDamagedNos: ['粤B临00003'], issuedSinceLast: 0, materialsComplete: true }, { damagedKeptNos: [], issuedSinceLast: 0 }, false, ['damaged_unknown']],
    ['R-33.2.2 fewer issuance files than records fails', { returnedDamagedNos: [], issuedSinceLast: 1, materialsComplete: true }, { damagedKeptNos: [], issuedSinceLast: 2 }, false, ['issued_count']],
    ['R-31.8 incomplete materials fail', { returnedDamagedNos: [], issuedSinceLast: 0, materialsComplete: false }, { damagedKeptNos: [], issuedSinceLast: 0 }, false, ['materials']],
  ])('%s', (_n, declared, records, ok, problems) => {
    const r = checkHandOut(declared, records);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.problems).toEqual(problems);
  });

  it('R-33.2.2 the failure names what differs', () => {
    const r = checkHandOut({ returnedDamagedNos: [], issuedSinceLast: 1, materialsComplete: true }, { damagedKeptNos: ['粤B临00002'], issuedSinceLast: 2 });
    if (r.ok) throw new Error('expected a failure');
    expect(refusalDetail(r.code, r.params, 'zh-CN')).toBe('未交回的损毁号牌：粤B临00002；交回核发资料1份，系统记录2份');
  });

  const q: QualificationFacts = { status: 'active', validUntil: '2027-11-24', brandModels: ['大众帕萨特'], explanationPending: false };
  it.each([
    ['R-33.2 an active, valid dealer receives blanks', q, TODAY, true, { ok: true }],
    ['R-32.1 not in a city that stopped entrusting dealers', q, TODAY, false, { ok: false, code: 'temp_plates.city_not_entrusted' }],
    ['R-33.2.4 a suspended dealer receives none', { ...q, status: 'suspended' }, TODAY, true, { ok: false, code: 'temp_plates.not_qualified', params: { status: 'suspended' } }],
    ['R-31.3 an expired qualification receives none', q, '2027-11-25', true, { ok: false, code: 'temp_plates.qualification_expired', params: { validUntil: '2027-11-24' } }],
    ['R-32.4 not while an explanation is outstanding', { ...q, explanationPending: true }, TODAY, true, { ok: false, code: 'temp_plates.explanation_required' }],
  ] as [string, QualificationFacts, string, boolean, unknown][])('%s', (_n, facts, today, city, expected) => {
    expect(decideHandOut(facts, today, city)).toEqual(expected);
  });

  it('blank numbers: prefix, 临, five digits', () => {
    expect(blankNumber('粤B', 7)).toBe('粤B临00007');
  });
});

describe('issuing (R-31.5, R-31.6, R-32.4)', () => {
  const raw = 'LSVCC6A42TN123456';
  const vin = raw.slice(0, 8) + vinCheckChar(raw) + raw.slice(9);
  const badVin = raw.slice(0, 8) + (vinCheckChar(raw) === '1' ? '2' : '1') + raw.slice(9);
  const base: IssueFacts = {
    qualification: { status: 'active', validUntil: '2027-11-24', brandModels: ['大众帕萨特', '大众途观L'], explanationPending: false },
    cityEntrusted: true,
    brandModel: '大众帕萨特',
    vin,
    vehicle: null,
  };
  it.each([
    ['R-31.5 an authorised model of a car not in the records', base, TODAY, { ok: true }],
    ['R-31.5 a car in the records still to register', { ...base, vehicle: { registered: false } }, TODAY, { ok: true }],
    ['R-31.5 model names compare without blanks', { ...base, brandModel: '大众 途观L' }, TODAY, { ok: true }],
    ['R-31.5 a model outside the authorised list is refused', { ...base, brandModel: '丰田凯美瑞' }, TODAY, { ok: false, code: 'temp_plates.model_not_authorised', params: { brandModel: '丰田凯美瑞' } }],
    ['R-31.5 a registered car gets no temporary plate', { ...base, vehicle: { registered: true } }, TODAY, { ok: false, code: 'temp_plates.vehicle_registered' }],
    ['R-31.5 a VIN with a wrong check digit is refused', { ...base, vin: badVin }, TODAY, { ok: false, code: 'temp_plates.vin_invalid' }],
    ['R-31.3 an expired qualification blocks issuing', base, '2027-11-25', { ok: false, code: 'temp_plates.qualification_expired', params: { validUntil: '2027-11-24' } }],
    ['R-32.3 a lapsed qualification blocks issuing', { ...base, qualification: { ...base.qualification, status: 'lapsed' } }, TODAY, { ok: false, code: 'temp_plates.not_qualified', params: { status: 'lapsed' } }],
    ['R-32.1 a city that does not entrust dealers blocks issuing', { ...base, cityEntrusted: false }, TODAY, { ok: false, code: 'temp_plates.city_not_entrusted' }],
  ] as [string, IssueFacts, string, unknown][])('%s', (_n, facts, today, expected) => {
    expect(decideIssue(facts, today)).toEqual(expected);
  });

  it('a temporary plate is valid 15 days including the day of issue', () => {
    expect(tempPlateValidUntil('2026-11-25')).toBe('2026-12-09');
  });

  const issued = { ownerName: '廖志明', ownerIdNumber: '440305199001011234', ownerPhone: '13912345678' };
  it.each([
    ['R-31.6 the same owner data: no mismatch', issued, []],
    ['R-31.6 another owner name is a mismatch', { ...issued, ownerName: '廖智明' }, ['ownerName']],
    ['R-31.6 another phone and ID number are two mismatching fields', { ...issued, ownerPhone: '13900000000', ownerIdNumber: '440305199001011250' }, ['ownerIdNumber', 'ownerPhone']],
    ['R-31.6 case and blanks do not count', { ...issued, ownerIdNumber: '440305199001011234 '.toLowerCase() }, []],
  ])('%s', (_n, registered, expected) => {
    expect(ownerMismatches(issued, registered)).toEqual(expected);
  });

  it.each([
    ['R-32.4 one mismatch needs no explanation', 1, 0, null],
    ['R-32.4 repeated mismatches need an explanation', 2, 0, 'mismatches'],
    ['R-32.4 two damaged blanks need no explanation', 0, 2, null],
    ['R-32.4 repeated damage needs an explanation', 0, 3, 'damage'],
  ] as [string, number, number, string | null][])('%s', (_n, mismatches, damage, expected) => {
    expect(explanationNeeded(mismatches, damage)).toBe(expected);
  });
});

describe('accounting (R-31.7, R-33.2.3)', () => {
  it('R-31.7 every blank is in stock, issued, damaged, returned, destroyed or recovered', () => {
    const s = stockFromStatuses({ in_stock: 18, issued: 1, damaged: 1 });
    expect(s).toEqual({ handedOut: 20, inStock: 18, issued: 1, damagedKept: 1, returned: 0, destroyed: 0, recovered: 0 });
    expect(isBalanced(s)).toBe(true);
    expect(isBalanced({ ...s, handedOut: 21 })).toBe(false);
  });
});

describe('R-33.2.1 the documents checked at a hand-out of blanks', () => {
  it('R-33.2.1 organisation code certificate, letter of authorisation and the collector’s identity: each missing one is named, at the first one’s field', () => {
    expect(checkHandOutDocuments(['organisation_code_certificate', 'letter_of_authorisation', 'collector_identity'])).toEqual({ ok: true });
    expect(checkHandOutDocuments(['organisation_code_certificate', 'collector_identity'])).toEqual({
      ok: false, code: 'temp_plates.handout_documents_incomplete', params: { missing: 'letter_of_authorisation' }, field: 'documents.letter_of_authorisation',
    });
    const none = checkHandOutDocuments([]);
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(refusalDetail(none.code, none.params, 'zh-CN')).toMatch(/^缺少：单位组织机构代码证、委托书、领取人身份证明。请领取人出示/);
      expect(refusalDetail(none.code, none.params, 'en')).toMatch(/^Missing: organisation code certificate, letter of authorisation, collector’s identity document. Ask the collector/);
    }
  });
});
