import { describe, expect, it } from 'vitest';
import { planBody, scheduleBody, statusActions } from './rules.ts';

describe('inspection screens', () => {
  it('R-36.6 offers suspend/withdraw for an active station, resume/withdraw for a suspended one, nothing after withdrawal', () => {
    expect(statusActions('active').map((a) => a.to)).toEqual(['suspended', 'withdrawn']);
    expect(statusActions('suspended').map((a) => a.to)).toEqual(['active', 'withdrawn']);
    expect(statusActions('suspended')[0]!.reasons).toEqual(['resumed']);
    expect(statusActions('withdrawn')).toEqual([]);
  });

  it('R-36.2.1 turns the schedule form into the bff body', () => {
    expect(
      scheduleBody({ openingDays: [3, 1, 3], times: [{ startsAt: '09:00:00', endsAt: '10:30', capacity: '12' }], vehicleTypes: ['K33'], maxAxleLoadKg: '', brakeTypes: ['hydraulic'] }),
    ).toEqual({ openingDays: [1, 3], times: [{ startsAt: '09:00', endsAt: '10:30', capacity: 12 }], vehicleTypes: ['K33'], maxAxleLoadKg: null, brakeTypes: ['hydraulic'] });
  });

  it('R-36.2.1 sends only the editable fields of a plan', () => {
    expect(planBody({ note: null, entries: [{ stationId: 's', quotaPerSlot: '3', fromDay: '2026-12-01T00:00:00.000Z', toDay: '2026-12-31' }] })).toEqual({
      note: '',
      entries: [{ stationId: 's', quotaPerSlot: 3, fromDay: '2026-12-01', toDay: '2026-12-31' }],
    });
  });
});
