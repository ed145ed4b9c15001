/**
 * Mutation-testing companions to rules.test.ts (issue 18): the edges of the
 * temporary-plate rules StrykerJS showed were not asserted — boundaries (the
 * last valid day, one blank), suspended dealers' renewals, and the exact
 * parameters a refusal carries to its message.
 */
import { describe, expect, it } from 'vitest';
import {
  checkHandOut, decideApplication, decideHandOut, decideIssue, decideQuantity, decideRenewal, isBalanced, normaliseModel, REQUIRED_DOCUMENTS,
  stockFromStatuses, type ApplicantFacts, type IssueFacts, type QualificationFacts,
} from './rules.ts';
import { vinCheckChar } from '../../platform/check-digits.ts';

const TODAY = '2026-11-25';
const applicant: ApplicantFacts = { isCarDealer: true, dissolved: false, cityEntrusted: true, reapplyAfter: null, documentKinds: [...REQUIRED_DOCUMENTS] };
const q: QualificationFacts = { status: 'active', validUntil: '2027-11-24', brandModels: ['大众帕萨特'], explanationPending: false };

describe('R-31.2 every document of an application', () => {
  it('R-31.2 the refusal names every missing document, in catalog order, comma-separated', () => {
    expect(decideApplication({ ...applicant, documentKinds: ['letter_of_authorisation', 'brand_model_list', 'sales_permit'] }, TODAY)).toEqual({
      ok: false,
      code: 'temp_plates.documents_incomplete',
      params: { missing: 'organisation_code_certificate,agent_identity' },
    });
  });
});

describe('R-31.3 renewal', () => {
  it('R-31.3 a suspended dealer may still submit a renewal inside the window', () => {
    expect(decideRenewal({ status: 'suspended', validUntil: '2027-11-24' }, '2027-11-01')).toEqual({ ok: true });
  });
  it('R-31.3 a pending or lapsed qualification, or one without an end day, is not renewed', () => {
    expect(decideRenewal({ status: 'pending', validUntil: '2027-11-24' }, '2027-11-01')).toEqual({ ok: false, code: 'temp_plates.wrong_status', params: { status: 'pending' } });
    expect(decideRenewal({ status: 'lapsed', validUntil: '2027-11-24' }, '2027-11-01')).toEqual({ ok: false, code: 'temp_plates.wrong_status', params: { status: 'lapsed' } });
    expect(decideRenewal({ status: 'active', validUntil: null }, '2027-11-01')).toEqual({ ok: false, code: 'temp_plates.wrong_status', params: { status: 'active' } });
  });
});

describe('R-32.6 / R-33.2 handing out blanks', () => {
  it('R-32.6 a single blank may be handed out; a fraction of one may not', () => {
    expect(decideQuantity(20, 19, 1)).toEqual({ ok: true });
    expect(decideQuantity(20, 0, 1.5)).toEqual({ ok: false, code: 'temp_plates.quota_exceeded', params: { quota: 20, inStock: 0, available: 20 } });
    expect(decideQuantity(20, 25, 1)).toEqual({ ok: false, code: 'temp_plates.quota_exceeded', params: { quota: 20, inStock: 25, available: 0 } });
  });

  it('R-33.2.2 a failed check lists every problem and every blank number, sorted', () => {
    const r = checkHandOut(
      { returnedDamagedNos: ['粤B临00009', '粤B临00007'], issuedSinceLast: 3, materialsComplete: false },
      { damagedKeptNos: ['粤B临00005', '粤B临00002'], issuedSinceLast: 4 },
    );
    expect(r).toEqual({
      ok: false,
      code: 'temp_plates.check_failed',
      problems: ['damaged_missing', 'damaged_unknown', 'issued_count', 'materials'],
      params: {
        problems: 'damaged_missing,damaged_unknown,issued_count,materials',
        damagedMissing: '粤B临00002、粤B临00005',
        damagedUnknown: '粤B临00007、粤B临00009',
        issuedDeclared: 3,
        issuedRecorded: 4,
      },
    });
  });

  it('R-31.3 blanks are handed out on the last valid day of the qualification, not after', () => {
    expect(decideHandOut(q, '2027-11-24', true)).toEqual({ ok: true });
  });
  it('R-31.3 an active qualification without an end day receives no blanks', () => {
    expect(decideHandOut({ ...q, validUntil: null }, TODAY, true)).toEqual({ ok: false, code: 'temp_plates.qualification_expired', params: { validUntil: '' } });
  });
});

describe('R-31.5 issuing', () => {
  const raw = 'LSVCC6A42TN123456';
  const vin = raw.slice(0, 8) + vinCheckChar(raw) + raw.slice(9);
  const base: IssueFacts = { qualification: q, cityEntrusted: true, brandModel: '大众帕萨特', vin, vehicle: null };
  it('R-31.5 a dealer may issue on the last valid day of its qualification', () => {
    expect(decideIssue(base, '2027-11-24')).toEqual({ ok: true });
  });
  it('R-31.5 an active qualification without an end day issues nothing', () => {
    expect(decideIssue({ ...base, qualification: { ...q, validUntil: null } }, TODAY)).toEqual({ ok: false, code: 'temp_plates.qualification_expired', params: { validUntil: '' } });
  });
  it('R-31.5 brand/model names are normalised to upper case without blanks or middle dots', () => {
    expect(normaliseModel(' Mercedes·Benz  gle・350 ')).toBe('MERCEDESBENZGLE350');
  });
});

describe('R-31.7 / R-33.2.3 accounting', () => {
  it('R-31.7 returned, destroyed and recovered blanks count towards those handed out', () => {
    const s = stockFromStatuses({ in_stock: 10, issued: 4, damaged: 1, returned: 2, destroyed: 3, recovered: 5 });
    expect(s).toEqual({ handedOut: 25, inStock: 10, issued: 4, damagedKept: 1, returned: 2, destroyed: 3, recovered: 5 });
    expect(isBalanced(s)).toBe(true);
    expect(isBalanced({ ...s, recovered: 4 })).toBe(false);
    expect(isBalanced({ ...s, returned: 1, destroyed: 4 })).toBe(true);
  });
});
