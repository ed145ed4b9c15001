import { describe, expect, it } from 'vitest';
import { checkCounterForm, type CounterFormValues } from './checks.ts';

const zhang: CounterFormValues = {
  name: '张伟', sex: 'M', birthDate: '1985-03-12', idNumber: '440304198503122756', phone: '13800138000',
  email: '', postalAddress: '广东省深圳市福田区福华三路88号', postcode: '518048',
};

describe('counter pre-fill form checks', () => {
  it('R-12.1.3 a complete form with the birth date of the ID number passes (e-mail is optional)', () => {
    expect(checkCounterForm(zhang)).toEqual({});
  });

  it('R-12.1.3 no sex is chosen for the user: an unchosen sex is a problem of its own', () => {
    expect(checkCounterForm({ ...zhang, sex: '' })).toEqual({ sex: { key: 'counterForm.sexRequired' } });
  });

  it('R-12.1.3 the birth date is checked against the ID number, which names the right date', () => {
    expect(checkCounterForm({ ...zhang, birthDate: '1985-03-21' })).toEqual({
      birthDate: { key: 'counterForm.birthDateMismatch', params: { date: '1985-03-12' } },
    });
  });

  it('one problem a field: a wrong ID number is not also a birth-date mismatch; blanks say "required" once', () => {
    const p = checkCounterForm({ ...zhang, idNumber: '440304198503122757', name: '', postcode: '' });
    expect(p).toEqual({ name: { key: 'accounts.required' }, idNumber: { key: 'counterForm.idNumberInvalid' }, postcode: { key: 'accounts.required' } });
  });
});
