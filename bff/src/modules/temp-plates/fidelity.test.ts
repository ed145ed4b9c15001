/**
 * Rule fidelity of 第三十二条 and 第三十三条 (issue 18): the headings R-32 and
 * R-33 named by tests of their sub-rules, through the pure rules.
 */
import { describe, expect, it } from 'vitest';
import {
  decideApplication, decideHandOut, decideIssue, explanationNeeded, isLapsed, lapsesAt, reapplyAfter, REQUIRED_DOCUMENTS,
  type ApplicantFacts, type QualificationFacts,
} from './rules.ts';
import { vinCheckChar } from '../../platform/check-digits.ts';

const TODAY = '2026-11-25';
const RAW = 'LSVAU2180N2183294';
const VIN = RAW.slice(0, 8) + vinCheckChar(RAW) + RAW.slice(9);
const applicant: ApplicantFacts = { isCarDealer: true, dissolved: false, cityEntrusted: true, reapplyAfter: null, documentKinds: [...REQUIRED_DOCUMENTS] };
const active: QualificationFacts = { status: 'active', validUntil: '2027-11-24', brandModels: ['大众 帕萨特', 'Tesla Model 3'], explanationPending: false };

describe('R-32 the department manages the entrustment', () => {
  it('R-32 / R-32.2 admission: an entrusted city lets a dealer in; exit: revocation or lapse keeps it out for a year, then it may enter again', () => {
    expect(decideApplication(applicant, TODAY)).toEqual({ ok: true });
    // Exit by lapse: the day after the last valid day.
    expect(isLapsed('2026-11-24', TODAY)).toBe(true);
    expect(lapsesAt('2026-11-24').toISOString()).toBe('2026-11-24T16:00:00.000Z');
    // Exit by revocation: one calendar year before re-entry.
    const after = reapplyAfter(TODAY);
    expect(after).toBe('2027-11-25');
    expect(decideApplication({ ...applicant, reapplyAfter: after }, '2027-11-24')).toMatchObject({ ok: false, code: 'temp_plates.reapply_banned' });
    expect(decideApplication({ ...applicant, reapplyAfter: after }, after)).toEqual({ ok: true });
    // Once out, no blanks and no plates.
    for (const status of ['revoked', 'lapsed', 'rejected', 'pending'] as const) {
      expect(decideHandOut({ ...active, status }, TODAY, true)).toMatchObject({ ok: false, code: 'temp_plates.not_qualified' });
      expect(decideIssue({ qualification: { ...active, status }, cityEntrusted: true, brandModel: '大众帕萨特', vin: VIN, vehicle: null }, TODAY)).toMatchObject({ ok: false, code: 'temp_plates.not_qualified' });
    }
  });

  it('R-32 / R-32.4 repeated mismatches (from 2) or damaged blanks (from 3) call for an explanation, and nothing is handed out until it is accepted', () => {
    expect(explanationNeeded(1, 2)).toBeNull();
    expect(explanationNeeded(2, 0)).toBe('mismatches');
    expect(explanationNeeded(0, 3)).toBe('damage');
    expect(explanationNeeded(2, 3)).toBe('mismatches');
    expect(decideHandOut({ ...active, explanationPending: true }, TODAY, true)).toEqual({ ok: false, code: 'temp_plates.explanation_required' });
  });
});

describe('R-33 the procedure of the entrustment', () => {
  it.each(REQUIRED_DOCUMENTS.map((d) => [d]))('R-33 / R-33.1.1 管理岗 refuses an application without the %s', (missing) => {
    const r = decideApplication({ ...applicant, documentKinds: REQUIRED_DOCUMENTS.filter((d) => d !== missing) }, TODAY);
    expect(r).toEqual({ ok: false, code: 'temp_plates.documents_incomplete', params: { missing } });
  });

  it('R-33.1.1 / R-33.1.3 the brand/model list recorded at review bounds what the dealer may issue (blanks and case do not matter)', () => {
    const issue = (brandModel: string) => decideIssue({ qualification: active, cityEntrusted: true, brandModel, vin: VIN, vehicle: null }, TODAY);
    expect(issue('大众帕萨特')).toEqual({ ok: true });
    expect(issue('tesla model3')).toEqual({ ok: true });
    expect(issue('大众途观')).toMatchObject({ ok: false, code: 'temp_plates.model_not_authorised' });
  });
});
