import { describe, expect, it } from 'vitest';
import * as rules from './rules.ts';

describe('medical institutions and health certificates: the pure rules', () => {
  it('X-4.3.4 a certificate is valid six calendar months, month-end clamped (PD-2), exclusive end', () => {
    expect(rules.certificateValidUntil('2026-05-26')).toBe('2026-11-26');
    expect(rules.certificateValidUntil('2026-08-31')).toBe('2027-02-28');
    expect(rules.certificateValidUntil('2027-08-31')).toBe('2028-02-29');
    expect(rules.isWithinValidity('2026-05-26', '2026-11-25')).toBe(true);
    expect(rules.isWithinValidity('2026-05-26', '2026-11-26')).toBe(false);
    expect(rules.isWithinValidity('2026-05-26', '2026-05-25')).toBe(false);
  });

  it('X-4.3.4 an examination day may be neither in the future nor more than six months ago', () => {
    expect(rules.decideIssueDay('2026-11-26', '2026-11-25')).toEqual({ ok: false, code: 'medical.issued_in_future', params: { today: '2026-11-25' } });
    expect(rules.decideIssueDay('2026-11-25', '2026-11-25')).toEqual({ ok: true });
    expect(rules.decideIssueDay('2026-05-26', '2026-11-25')).toEqual({ ok: true });
    expect(rules.decideIssueDay('2026-05-25', '2026-11-25')).toEqual({ ok: false, code: 'medical.certificate_expired', params: { validUntil: '2026-11-25' } });
  });

  it('X-4.3.1 the yearly certificate is for drivers aged 70+, the three-yearly one for holders of the disability class (C5)', () => {
    const base = { birthDate: '1956-11-26', classes: 'C1', licenceStatus: 'valid' };
    expect(rules.decidePurpose({ ...base, purpose: 'age_70_yearly' }, '2026-11-25')).toEqual({ ok: false, code: 'medical.purpose_not_applicable', params: { reason: 'under_70', age: 69 } });
    expect(rules.decidePurpose({ ...base, purpose: 'age_70_yearly' }, '2026-11-26')).toEqual({ ok: true });
    expect(rules.decidePurpose({ ...base, purpose: 'disability_3y' }, '2026-11-26')).toMatchObject({ ok: false, params: { reason: 'no_disability_class' } });
    expect(rules.decidePurpose({ ...base, classes: 'C5', purpose: 'disability_3y' }, '2026-11-26')).toEqual({ ok: true });
    expect(rules.decidePurpose({ ...base, purpose: 'renewal' }, '2026-11-25')).toEqual({ ok: true });
    expect(rules.decidePurpose({ ...base, licenceStatus: 'revoked', purpose: 'renewal' }, '2026-11-25')).toMatchObject({ ok: false });
    expect(rules.ageOn('1956-02-29', '2026-02-28')).toBe(69);
    expect(rules.ageOn('1956-02-29', '2026-03-01')).toBe(70);
  });

  it('X-4.3.1 only an active entrustment within its term may submit', () => {
    expect(rules.decideMaySubmit({ status: 'active', validUntil: '2027-11-24' }, '2027-11-24')).toEqual({ ok: true });
    expect(rules.decideMaySubmit({ status: 'active', validUntil: '2027-11-24' }, '2027-11-25')).toMatchObject({ ok: false, code: 'medical.institution_not_qualified', params: { status: 'expired' } });
    for (const status of ['none', 'pending', 'rejected', 'revoked', 'lapsed'] as const) {
      expect(rules.decideMaySubmit({ status, validUntil: '2027-11-24' }, '2026-11-25')).toMatchObject({ ok: false, code: 'medical.institution_not_qualified', params: { status } });
    }
  });

  it('PD-12 entrusted like a dealer: one-year term, renewal in the last month, a year more; one-year ban after revocation or lapse', () => {
    expect(rules.validityFrom('2026-11-25')).toEqual({ validFrom: '2026-11-25', validUntil: '2027-11-24' });
    expect(rules.renewalWindow('2027-11-24')).toEqual({ opensOn: '2027-10-24', closesOn: '2027-11-24' });
    expect(rules.decideRenewal({ status: 'active', validUntil: '2027-11-24' }, '2027-10-23')).toMatchObject({ ok: false, code: 'medical.renewal_window_closed' });
    expect(rules.decideRenewal({ status: 'active', validUntil: '2027-11-24' }, '2027-10-24')).toEqual({ ok: true });
    expect(rules.decideRenewal({ status: 'active', validUntil: '2027-11-24' }, '2027-11-25')).toMatchObject({ ok: false });
    expect(rules.decideRenewal({ status: 'revoked', validUntil: '2027-11-24' }, '2027-11-01')).toMatchObject({ ok: false, code: 'medical.wrong_status' });
    expect(rules.renewedUntil('2027-11-24')).toBe('2028-11-24');
    expect(rules.lapsesAt('2027-11-24').toISOString()).toBe('2027-11-24T16:00:00.000Z');
    expect(rules.reapplyAfter('2026-11-25')).toBe('2027-11-25');
    const facts = { isMedicalInstitution: true, dissolved: false, reapplyAfter: null, documentKinds: rules.REQUIRED_DOCUMENTS };
    expect(rules.decideApplication(facts, '2026-11-25')).toEqual({ ok: true });
    expect(rules.decideApplication({ ...facts, isMedicalInstitution: false }, '2026-11-25')).toMatchObject({ code: 'medical.not_medical_institution' });
    expect(rules.decideApplication({ ...facts, dissolved: true }, '2026-11-25')).toMatchObject({ code: 'medical.organisation_dissolved' });
    expect(rules.decideApplication({ ...facts, reapplyAfter: '2026-11-26' }, '2026-11-25')).toMatchObject({ code: 'medical.reapply_banned', params: { reapplyAfter: '2026-11-26' } });
    expect(rules.decideApplication({ ...facts, reapplyAfter: '2026-11-25' }, '2026-11-25')).toEqual({ ok: true });
    expect(rules.decideApplication({ ...facts, documentKinds: ['practice_licence'] }, '2026-11-25')).toMatchObject({ code: 'medical.documents_incomplete' });
  });
});
