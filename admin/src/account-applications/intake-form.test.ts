import { describe, expect, it } from 'vitest';
import { deadlineTone, intakeBody, requiredUploads } from './intake-form.ts';

describe('counter intake form', () => {
  it('R-12.1.3 / R-19.1.1 / R-13.1.3: the scans each application needs', () => {
    expect(requiredUploads('person', null)).toEqual(['onsite_photo', 'application_form', 'identity_document']);
    expect(requiredUploads('person', 'bind_non_own_vehicle')).toContain('vehicle_licence');
    expect(requiredUploads('organisation', 'organisation_info')).toContain('letter_of_authorisation');
  });

  it('builds the bff body: trimmed fields, only needed documents, the non-own vehicle only for that change', () => {
    const body = intakeBody({
      subject: 'person', kind: 'change', changeKind: 'bind_non_own_vehicle', networkDown: true, prefillCode: ' abcdefgh23 ',
      form: { name: ' 张伟 ', idNumber: '440304198503122756', email: '', organisationName: 'left over' },
      vehicle: { plateNo: '粤B12345', ownerIdType: 'resident_id', ownerIdNumber: '440303198811057101' },
      documents: { onsite_photo: 'u1', application_form: 'u2', identity_document: 'u3', owner_identity_document: 'u4', vehicle_licence: 'u5', letter_of_authorisation: 'x' },
    });
    expect(body).toEqual({
      subject: 'person', kind: 'change', changeKind: 'bind_non_own_vehicle',
      form: { name: '张伟', idNumber: '440304198503122756', email: null },
      vehicle: { plateNo: '粤B12345', ownerIdType: 'resident_id', ownerIdNumber: '440303198811057101' },
      documents: { onsite_photo: 'u1', application_form: 'u2', identity_document: 'u3', owner_identity_document: 'u4', vehicle_licence: 'u5' },
      networkDown: true, prefillCode: 'ABCDEFGH23',
    });
    const reg = intakeBody({ subject: 'organisation', kind: 'registration', form: { name: '张伟', uscc: 'X', agent: { name: '任静怡' } }, documents: {} });
    expect(reg).toEqual({ subject: 'organisation', kind: 'registration', form: { uscc: 'X', agent: { name: '任静怡', email: null } }, documents: {} });
  });

  it('PD-3: overdue in red, due within a day highlighted', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    expect(deadlineTone('2026-11-30T16:00:00Z', now, false)).toBe('info');
    expect(deadlineTone('2026-11-30T09:00:00Z', now, false)).toBe('error');
    expect(deadlineTone('2026-12-03T16:00:00Z', now, true)).toBe('error');
    expect(deadlineTone(null, now, false)).toBe('neutral');
  });
});
