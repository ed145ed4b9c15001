/**
 * Mutation-testing companions to rules.test.ts (issue 18): the exact refusals
 * (code and parameters) of the medical-institution rules and the edges of
 * ages, certificate validity and the entrustment's term — cases StrykerJS
 * showed were not asserted.
 */
import { describe, expect, it } from 'vitest';
import { REQUIRED_DOCUMENTS, ageOn, decideApplication, decideMaySubmit, decidePurpose, decideRenewal, isLapsed, isWithinValidity } from './rules.ts';

describe('X-4.3.4 certificate validity', () => {
  it('X-4.3.4 a certificate can be used on the day of the examination itself', () => {
    expect(isWithinValidity('2026-05-26', '2026-05-26')).toBe(true);
  });
});

describe('X-4.3.1 who needs a certificate', () => {
  it('X-4.3.1 age 70 is reached on the birthday: a birthday later in the year is not yet passed', () => {
    expect(ageOn('1956-12-10', '2026-06-01')).toBe(69);
    expect(ageOn('1956-12-10', '2026-12-09')).toBe(69);
    expect(ageOn('1956-12-10', '2026-12-10')).toBe(70);
    expect(ageOn('1956-03-10', '2026-06-01')).toBe(70);
  });

  it('X-4.3.1 no certificate for a revoked licence, and the refusal says why', () => {
    const base = { birthDate: '1950-01-01', classes: 'C1', licenceStatus: 'revoked', purpose: 'age_70_yearly' } as const;
    expect(decidePurpose(base, '2026-11-25')).toEqual({ ok: false, code: 'medical.purpose_not_applicable', params: { reason: 'licence_state', status: 'revoked' } });
  });

  it('X-4.3.1 the three-yearly certificate without the disability class (C5) is refused as such', () => {
    const p = { birthDate: '1980-01-01', classes: 'C1', licenceStatus: 'valid', purpose: 'disability_3y' } as const;
    expect(decidePurpose(p, '2026-11-25')).toEqual({ ok: false, code: 'medical.purpose_not_applicable', params: { reason: 'no_disability_class' } });
  });
});

describe('X-4.3.1 PD-12 the entrustment (as for temporary-plate dealers)', () => {
  const facts = { isMedicalInstitution: true, dissolved: false, reapplyAfter: null, documentKinds: REQUIRED_DOCUMENTS };

  it('X-4.3.1 PD-12 only a medical institution may apply; the refusal carries no parameters', () => {
    expect(decideApplication({ ...facts, isMedicalInstitution: false }, '2026-11-25')).toEqual({ ok: false, code: 'medical.not_medical_institution' });
  });

  it('X-4.3.1 PD-12 a missing document is named', () => {
    expect(decideApplication({ ...facts, documentKinds: REQUIRED_DOCUMENTS.filter((k) => k !== 'letter_of_authorisation' && k !== 'agent_identity') }, '2026-11-25')).toEqual({
      ok: false, code: 'medical.documents_incomplete', params: { missing: 'letter_of_authorisation,agent_identity' },
    });
  });

  it('X-4.3.1 PD-12 a renewal by an institution not active names its status; the last valid day is still in the window', () => {
    expect(decideRenewal({ status: 'pending', validUntil: null }, '2027-11-01')).toEqual({ ok: false, code: 'medical.wrong_status', params: { status: 'pending' } });
    expect(decideRenewal({ status: 'active', validUntil: '2027-11-24' }, '2027-11-24')).toEqual({ ok: true });
    expect(decideRenewal({ status: 'active', validUntil: '2027-11-24' }, '2027-11-25')).toEqual({
      ok: false, code: 'medical.renewal_window_closed', params: { opensOn: '2027-10-24', closesOn: '2027-11-24' },
    });
  });

  it('X-4.3.1 PD-12 a qualification lapses the day after its last valid day', () => {
    expect(isLapsed('2027-11-24', '2027-11-24')).toBe(false);
    expect(isLapsed('2027-11-24', '2027-11-25')).toBe(true);
  });

  it('X-4.3.1 an institution not qualified to submit is told its status, or that its term ended on which day', () => {
    expect(decideMaySubmit({ status: 'none', validUntil: null }, '2026-11-25')).toEqual({ ok: false, code: 'medical.institution_not_qualified', params: { status: 'none' } });
    expect(decideMaySubmit({ status: 'active', validUntil: null }, '2026-11-25')).toEqual({ ok: false, code: 'medical.institution_not_qualified', params: { status: 'active' } });
    expect(decideMaySubmit({ status: 'active', validUntil: '2027-11-24' }, '2027-11-25')).toEqual({
      ok: false, code: 'medical.institution_not_qualified', params: { status: 'expired', validUntil: '2027-11-24' },
    });
  });
});
