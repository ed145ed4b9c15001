import { describe, expect, it } from 'vitest';
import { checkStep, emptyAnswers, handOverRequired, nextStep, previousStep, requestOf, stepsFor } from './wizard.ts';

const base = { ...emptyAnswers(), vehicleId: 'v1', item: 'plate', kind: 'replacement' };

describe('the replacement pages', () => {
  it('R-29.1.1 only a sticker asks for the insurance certificate', () => {
    expect(stepsFor('inspection_sticker')).toContain('insurance');
    expect(stepsFor('plate')).not.toContain('insurance');
    expect(nextStep('delivery', 'plate')).toBe('check');
    expect(nextStep('delivery', 'inspection_sticker')).toBe('insurance');
    expect(previousStep('check', 'inspection_sticker')).toBe('insurance');
    expect(previousStep('choose', 'plate')).toBe('choose');
  });

  it('R-27.4 post is refused on the page when the bff says it is not allowed', () => {
    const a = { ...base, delivery: 'post', recipientName: '张伟', recipientPhone: '13800138000', postalAddress: '深圳市南山区科苑路15号', postcode: '518057' };
    expect(checkStep('delivery', a, { postAllowed: true })).toEqual({});
    expect(checkStep('delivery', a, { postAllowed: false })).toEqual({ delivery: 'postNotAllowed' });
    expect(checkStep('delivery', { ...a, delivery: 'pickup' }, { postAllowed: false })).toEqual({});
  });

  it('a posted item needs a name, a mobile number, an address and a six-digit postcode', () => {
    expect(checkStep('delivery', { ...base, delivery: 'post' }, { postAllowed: true })).toEqual({
      recipientName: 'recipientName', recipientPhone: 'recipientPhone', postalAddress: 'postalAddress', postcode: 'postcode',
    });
  });

  it('R-27.5 exchanged plates and licences are handed over', () => {
    expect(handOverRequired('plate', 'exchange')).toBe(true);
    expect(handOverRequired('vehicle_licence', 'replacement')).toBe(false);
    expect(handOverRequired('inspection_sticker', 'exchange')).toBe(false);
  });

  it('R-28.2 the temporary plate goes only with plates; pickup sends no address', () => {
    expect(requestOf({ ...base, delivery: 'pickup', tempPlate: 'yes', recipientName: 'x' })).toEqual({ vehicleId: 'v1', item: 'plate', kind: 'replacement', delivery: 'pickup', tempPlate: true });
    expect(requestOf({ ...base, item: 'vehicle_licence', delivery: 'pickup', tempPlate: 'yes' })).not.toHaveProperty('tempPlate');
  });
});
