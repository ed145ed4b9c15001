/**
 * Mutation-testing companions to rules.test.ts (issue 18): the boundaries and
 * refusal details of the inspection-booking rules that StrykerJS showed were
 * not asserted.
 */
import { describe, expect, it } from 'vitest';
import {
  bookingCode, checkTimeSlots, dayEndOutcome, decideBooking, decideCapability, decideMove, decideRosterMark, decideStationTransition, decideValidityWindow, MAX_PUBLISH_DAYS, nearestSlots,
  plannedSlots, type StationState,
} from './rules.ts';
import { addDays } from '../../platform/calendar.ts';

const TODAY = '2026-11-25';
const car = { vehicleType: 'K33', axleLoadKg: 900, brakeType: 'hydraulic' };
const futian = { vehicleTypes: ['K33', 'K31', 'K32'], maxAxleLoadKg: 2000, brakeTypes: ['hydraulic'] };

describe('R-35.3 overdue', () => {
  it('R-35.3 a vehicle is overdue only after its valid-until day, not on it', () => {
    expect(decideValidityWindow(TODAY, TODAY)).toEqual({ ok: true, opensOn: '2026-08-25', overdue: false });
    expect(decideValidityWindow('2026-11-24', TODAY)).toEqual({ ok: true, opensOn: '2026-08-24', overdue: true });
    expect(decideValidityWindow('2027-01-31', TODAY)).toEqual({ ok: true, opensOn: '2026-10-31', overdue: false });
  });
});

describe('R-36.2.1 axle loads', () => {
  it('R-36.2.1 an axle load at the station’s maximum is tested; one kilogram more is not', () => {
    expect(decideCapability(futian, { ...car, axleLoadKg: 2000 })).toEqual({ ok: true });
    expect(decideCapability(futian, { ...car, axleLoadKg: 2001 })).toEqual({
      ok: false, code: 'inspections.station_cannot_test', params: { limit: 'axle_load', value: 2001, max: 2000 },
    });
  });
  it('R-36.2.1 a station that publishes no axle-load limit tests any axle load', () => {
    expect(decideCapability({ ...futian, maxAxleLoadKg: null }, { ...car, axleLoadKg: 11200 })).toEqual({ ok: true });
  });
});

describe('R-36.5 / R-36.6 a booking at a station or slot that does not take it', () => {
  const station: StationState = { ...futian, status: 'active', cityBookingEnabled: true };
  const base = {
    vehicle: { binding: 'own' as const, states: ['normal'], inspectionValidUntil: '2027-01-31', ...car },
    station,
    slot: { day: '2026-11-26', status: 'open' as const },
    jurisdiction: { vehicleCity: '440300', vehicleProvince: '440000', stationCity: '440300', stationProvince: '440000' },
    offer: null,
    today: TODAY,
  };
  it('R-36.6 the refusal of a suspended station names its status', () => {
    expect(decideBooking({ ...base, station: { ...station, status: 'suspended' } })).toEqual({
      ok: false, code: 'inspections.station_not_accepting', params: { status: 'suspended' },
    });
  });
  it('R-36.6 a slot suspended with its station is refused as the station not accepting; R-36.5 a closed slot as closed', () => {
    expect(decideBooking({ ...base, slot: { day: '2026-11-26', status: 'suspended' } })).toEqual({ ok: false, code: 'inspections.station_not_accepting' });
    expect(decideBooking({ ...base, slot: { day: '2026-11-26', status: 'closed' } })).toEqual({ ok: false, code: 'inspections.slot_closed' });
  });
});

describe('R-35.5 moving a booking', () => {
  const b = { status: 'booked', day: '2026-11-30', slotId: 'a', disruption: null };
  it('R-35.5 only an active booking is moved', () => {
    for (const status of ['cancelled', 'moved', 'completed', 'no_show']) expect(decideMove({ ...b, status }, 'b', TODAY)).toEqual({ ok: false, code: 'inspections.booking_not_active' });
  });
  it('R-35.5 an ordinary booking is moved before its day; on the day the refusal names the day', () => {
    expect(decideMove(b, 'b', '2026-11-29')).toEqual({ ok: true });
    expect(decideMove(b, 'b', '2026-11-30')).toEqual({ ok: false, code: 'inspections.move_too_late', params: { day: '2026-11-30' } });
  });
});

describe('R-36.2.1 schedules and bulk publication', () => {
  const slot = (capacity: number) => [{ startsAt: '09:00', endsAt: '10:00', capacity }];
  it('R-36.2.1 a time slot holds 0 to 500 places, whole numbers only', () => {
    expect(checkTimeSlots(slot(0))).toEqual({ ok: true, sorted: slot(0) });
    expect(checkTimeSlots(slot(500))).toEqual({ ok: true, sorted: slot(500) });
    expect(checkTimeSlots(slot(501))).toEqual({ ok: false, index: 0, problem: 'capacity' });
    expect(checkTimeSlots(slot(2.5))).toEqual({ ok: false, index: 0, problem: 'capacity' });
  });
  it('R-36.2.1 times are HH:MM of a 24-hour day', () => {
    for (const bad of ['24:00', '9:00', '09:60', '09:0', 'x09:00', '09:00x', '0a:00', '2a:00', '09:a0', '09:0a', '29:00']) {
      expect(checkTimeSlots([{ startsAt: bad, endsAt: '23:59', capacity: 1 }])).toEqual({ ok: false, index: 0, problem: 'format' });
    }
    expect(checkTimeSlots([{ startsAt: '00:00', endsAt: '23:59', capacity: 1 }]).ok).toBe(true);
    expect(checkTimeSlots([{ startsAt: '19:30', endsAt: '20:45', capacity: 1 }]).ok).toBe(true);
  });

  const week = { openingDays: [1, 2, 3, 4, 5, 6, 7], times: [{ startsAt: '09:00', endsAt: '10:00', capacity: 5 }] };
  it('R-36.2.1 a publication of one day is allowed; the range must be two real calendar days in order', () => {
    const r = plannedSlots({ ...week, from: '2026-12-01', to: '2026-12-01' }, '2026-11-26');
    expect(r.ok && r.slots.map((s) => s.day)).toEqual(['2026-12-01']);
    expect(plannedSlots({ ...week, from: '2026-02-30', to: '2026-12-01' }, '2026-11-26')).toEqual({ ok: false, problem: 'range' });
    expect(plannedSlots({ ...week, from: '2026-12-01', to: '2026-12-32' }, '2026-11-26')).toEqual({ ok: false, problem: 'range' });
  });
  it('R-36.2.1 a publication starting after tomorrow starts on its first day', () => {
    const r = plannedSlots({ ...week, from: '2026-12-03', to: '2026-12-04' }, '2026-11-26');
    expect(r.ok && r.slots.map((s) => s.day)).toEqual(['2026-12-03', '2026-12-04']);
  });
  it(`R-36.2.1 at most ${MAX_PUBLISH_DAYS} days, both ends counted`, () => {
    const from = '2026-12-01';
    const last = addDays(from, MAX_PUBLISH_DAYS - 1);
    const r = plannedSlots({ ...week, from, to: last }, '2026-11-26');
    expect(r.ok && r.slots.length).toBe(MAX_PUBLISH_DAYS);
    expect(plannedSlots({ ...week, from, to: addDays(last, 1) }, '2026-11-26')).toEqual({ ok: false, problem: 'too_long' });
  });
});

describe('R-36.6 station status changes', () => {
  it.each([
    ['withdrawn', 'active', 'resumed', 'inspections.station_status_conflict'],
    ['suspended', 'suspended', 'plan_change', 'inspections.station_status_conflict'],
    ['suspended', 'active', 'plan_change', 'request.invalid'],
    ['active', 'withdrawn', 'resumed', 'request.invalid'],
    ['active', 'suspended', 'resumed', 'request.invalid'],
    ['active', 'suspended', 'licence_revoked', 'request.invalid'],
  ] as const)('R-36.6 %s → %s (%s) is refused as %s', (from, to, reason, code) => {
    expect(decideStationTransition(from, to, reason)).toEqual({ ok: false, code });
  });
  it('R-36.6 a suspended station asks to withdraw for good for any reason but resuming', () => {
    expect(decideStationTransition('suspended', 'withdrawn', 'equipment_failure')).toEqual({ ok: true });
  });
});

describe('R-36.6 nearest free slots elsewhere', () => {
  const pt = { latitude: 22.533406, longitude: 114.024528 };
  const baoan = { latitude: 22.574137, longitude: 113.872605 };
  const c = (slotId: string, stationId: string, day: string, startsAt: string) => ({ slotId, stationId, location: baoan, day, startsAt, free: 1 });
  it('R-36.6 at one distance the earlier slot comes first, by day then by time', () => {
    const r = nearestSlots(pt, [c('late', 's', '2026-11-26', '14:00'), c('next', 's', '2026-11-27', '08:00'), c('early', 's', '2026-11-26', '09:00')]);
    expect(r.map((x) => x.slotId)).toEqual(['early', 'late', 'next']);
  });
  it('R-36.6 no more than the limit', () => {
    const r = nearestSlots(pt, [c('1', 'a', '2026-11-26', '09:00'), c('2', 'b', '2026-11-26', '10:00'), c('3', 'c', '2026-11-26', '11:00')], 2);
    expect(r.map((x) => x.slotId)).toEqual(['1', '2']);
  });
});

describe('booking codes', () => {
  it('need 40 random bits', () => {
    expect(() => bookingCode(new Uint8Array([1, 2, 3, 4]))).toThrow(new RangeError('need 5 random bytes'));
  });
});

describe('R-35.5 / R-36.3 the end of the inspection day', () => {
  const day = '2026-11-26';
  it('R-36.5 / R-36.6 an unarrived booking the station could not serve ends cancelled with each reason', () => {
    for (const reason of ['slot_closed', 'station_suspended', 'station_withdrawn'] as const) {
      expect(dayEndOutcome({ day, arrived: false, disruption: reason }, '2026-11-27')).toEqual({ status: 'cancelled', reason });
    }
  });
  it('R-36.3 any other note on the booking is no disruption: the vehicle did not come', () => {
    expect(dayEndOutcome({ day, arrived: false, disruption: 'moved_by_user' }, '2026-11-27')).toEqual({ status: 'no_show' });
  });
});

describe('R-36.3 the station’s marks on its day roster', () => {
  const day = '2026-11-26';
  const arrived = { status: 'booked', day, arrived: true };
  it('R-36.3 an arrival is marked once, and an arrived vehicle is not a no-show: the refusal says it arrived', () => {
    expect(decideRosterMark(arrived, 'arrived', day)).toEqual({ ok: false, code: 'inspections.mark_not_allowed', params: { status: 'arrived' } });
    expect(decideRosterMark(arrived, 'no_show', day)).toEqual({ ok: false, code: 'inspections.mark_not_allowed', params: { status: 'arrived' } });
  });
});
