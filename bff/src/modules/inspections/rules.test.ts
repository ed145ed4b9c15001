import { describe, expect, it } from 'vitest';
import {
  INSPECTION_BLOCKING_STATES,
  bookingCode,
  bookingOpensOn,
  checkTimeSlots,
  decideBinding,
  decideBooking,
  decideCancellation,
  decideCapability,
  decideCapacityChange,
  dayEndOutcome,
  decideRosterMark,
  decideJurisdiction,
  decideMove,
  decideStationTransition,
  decideValidityWindow,
  decideVehicleEligibility,
  decideVehicleStates,
  distanceKm,
  isoWeekday,
  nearestSlots,
  placeFor,
  plannedSlots,
  type CrossCityOffer,
  type StationState,
} from './rules.ts';
import { describe as describeCode } from '../../core/catalog.ts';
import { messages } from './messages.ts';

const refusalDetail = (code: string, params: Record<string, string | number> | undefined, locale: 'zh-CN' | 'en') => describeCode(messages, code, params, locale).detail;

const TODAY = '2026-11-25';

describe('R-35.1 own or organisation vehicles only', () => {
  it.each([
    ['own', true],
    ['organisation', true],
    ['non_own', false],
  ] as const)('R-35.1 a %s binding → %s', (binding, ok) => {
    const r = decideBinding(binding);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.code).toBe('inspections.vehicle_not_own');
  });
});

describe('R-35.2 blocked vehicle states', () => {
  it('R-35.2 the list is exactly 转出 被盗抢 停驶 注销 嫌疑车 暂扣 强制注销 事故逃逸 锁定', () => {
    expect([...INSPECTION_BLOCKING_STATES].sort()).toEqual(
      ['transferred_out', 'stolen_robbed', 'out_of_service', 'deregistered', 'suspect', 'detained', 'forcibly_deregistered', 'hit_and_run', 'locked'].sort(),
    );
  });

  it.each([
    ['transferred_out', '转出'],
    ['stolen_robbed', '被盗抢'],
    ['out_of_service', '停驶'],
    ['deregistered', '注销'],
    ['suspect', '嫌疑车'],
    ['detained', '暂扣'],
    ['forcibly_deregistered', '强制注销'],
    ['hit_and_run', '事故逃逸'],
    ['locked', '锁定'],
  ])('R-35.2 %s (%s) is refused and the refusal names the state', (state, zh) => {
    const r = decideVehicleStates(['normal', state]);
    expect(r).toEqual({ ok: false, code: 'inspections.vehicle_state_blocked', params: { state } });
    expect(refusalDetail('inspections.vehicle_state_blocked', { state }, 'zh-CN')).toContain(zh);
  });

  it.each([[['normal']], [['withheld']], [[]]])('R-35.2 %j is not blocked (扣留 withheld is R-27.2, not R-35.2)', (states) => {
    expect(decideVehicleStates(states).ok).toBe(true);
  });
});

describe('R-35.3 the three months before the inspection valid-until date', () => {
  it.each([
    // valid until, today, ok, opensOn
    ['2027-01-31', TODAY, true, '2026-10-31'], // inside the window
    ['2027-02-25', TODAY, true, '2026-11-25'], // opens today
    ['2027-02-26', TODAY, false, '2026-11-26'], // opens tomorrow
    ['2027-04-30', TODAY, false, '2027-01-30'], // five months out: refused with the opening day
    ['2026-11-30', TODAY, true, '2026-08-30'],
    ['2027-05-31', '2027-02-28', true, '2027-02-28'], // PD-2: 31 May − 3 months = 28 Feb (clamped)
    ['2027-05-31', '2027-02-27', false, '2027-02-28'],
    ['2028-05-31', '2028-02-29', true, '2028-02-29'], // leap year
  ] as const)('R-35.3 valid until %s, today %s → %s (opens %s)', (validUntil, today, ok, opensOn) => {
    expect(bookingOpensOn(validUntil)).toBe(opensOn);
    const r = decideValidityWindow(validUntil, today);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r).toEqual({ ok: false, code: 'inspections.too_early', params: { opensOn, validUntil } });
  });

  it('R-35.3 a vehicle whose validity ends in five months is refused, naming the day booking opens', () => {
    const r = decideVehicleEligibility({ binding: 'own', states: ['normal'], inspectionValidUntil: '2027-04-30' }, TODAY);
    expect(r).toMatchObject({ ok: false, code: 'inspections.too_early', params: { opensOn: '2027-01-30' } });
    expect(refusalDetail('inspections.too_early', (r as { params: Record<string, string> }).params, 'zh-CN')).toBe('检验有效期至2027-04-30，可于2027-01-30起预约，届时再来办理即可。');
  });

  it('R-35.3 an overdue vehicle stays bookable and is flagged', () => {
    expect(decideValidityWindow('2026-10-31', TODAY)).toEqual({ ok: true, opensOn: '2026-07-31', overdue: true });
  });

  it('R-35.3 no recorded date → refused', () => {
    expect(decideValidityWindow(null, TODAY)).toEqual({ ok: false, code: 'inspections.validity_unknown' });
  });

  it('R-35.1 before R-35.2 before R-35.3: the first failing rule is reported', () => {
    expect(decideVehicleEligibility({ binding: 'non_own', states: ['locked'], inspectionValidUntil: '2030-01-31' }, TODAY)).toMatchObject({ code: 'inspections.vehicle_not_own' });
    expect(decideVehicleEligibility({ binding: 'own', states: ['locked'], inspectionValidUntil: '2030-01-31' }, TODAY)).toMatchObject({ code: 'inspections.vehicle_state_blocked' });
  });
});

const car = { vehicleType: 'K33', axleLoadKg: 900, brakeType: 'hydraulic' };
const truck = { vehicleType: 'H11', axleLoadKg: 11200, brakeType: 'pneumatic' };
const futian = { vehicleTypes: ['K33', 'K31', 'K32'], maxAxleLoadKg: 2000, brakeTypes: ['hydraulic'] };
const baoan = { vehicleTypes: ['K33', 'K31', 'K32', 'H11', 'H21', 'H31'], maxAxleLoadKg: 13000, brakeTypes: ['hydraulic', 'pneumatic', 'mixed'] };

describe('R-36.2.1 stations test the vehicle types, axle loads and brake types they publish', () => {
  it.each([
    ['a small car at 福田', futian, car, null],
    ['a truck at 宝安', baoan, truck, null],
    ['a truck at 福田: vehicle type', futian, truck, 'vehicle_type'],
    ['an overweight axle', { ...baoan, maxAxleLoadKg: 10000 }, truck, 'axle_load'],
    ['a pneumatic brake where only hydraulic is tested', { ...futian, vehicleTypes: ['H11'], maxAxleLoadKg: 13000 }, truck, 'brake_type'],
    ['an unknown axle load and brake type', futian, { vehicleType: 'K33', axleLoadKg: null, brakeType: null }, null],
  ] as const)('R-36.2.1 %s', (_name, cap, vehicle, limit) => {
    const r = decideCapability(cap, vehicle);
    if (limit === null) expect(r.ok).toBe(true);
    else expect(r).toMatchObject({ ok: false, code: 'inspections.station_cannot_test', params: { limit } });
  });
});

const offer: CrossCityOffer = { ...futian, quotaPerSlot: 3 };
const sz = { vehicleCity: '440300', vehicleProvince: '440000', stationCity: '440300', stationProvince: '440000' };
const guangzhouCarInShenzhen = { ...sz, vehicleCity: '440100' };

describe('R-35.4 registration city, or another city of the province by a published plan', () => {
  it.each([
    ['registration city, no plan', sz, null, { ok: true, crossCity: false }],
    ['other city of the province, no published plan', guangzhouCarInShenzhen, null, { ok: false, code: 'inspections.cross_city_not_allowed' }],
    ['other city of the province, station in the published plan', guangzhouCarInShenzhen, offer, { ok: true, crossCity: true, quotaPerSlot: 3 }],
    ['another province, even with a plan', { ...guangzhouCarInShenzhen, vehicleCity: '430100', vehicleProvince: '430000' }, offer, { ok: false, code: 'inspections.cross_city_not_allowed' }],
  ] as const)('R-35.4 %s', (_name, j, o, expected) => {
    expect(decideJurisdiction(j, o, car)).toMatchObject(expected);
  });

  it('R-35.4 / R-36.2.1 the plan’s own limits apply to cross-city vehicles', () => {
    expect(decideJurisdiction(guangzhouCarInShenzhen, { ...offer, vehicleTypes: ['K31'] }, car)).toMatchObject({ ok: false, code: 'inspections.station_cannot_test' });
  });
});

describe('R-35.4 / R-36.2.2 free places for a vehicle in an open slot', () => {
  const slot = { stationCity: '440300', stationProvince: '440000', capability: futian, offer: null, capacity: 10, booked: 4, crossCityBooked: 0 };
  const local = { ...car, city: '440300', province: '440000' };
  const fromGuangzhou = { ...car, city: '440100', province: '440000' };
  it.each([
    ['a local vehicle sees capacity − booked', local, slot, { ok: true, crossCity: false, free: 6 }],
    ['a cross-city vehicle without a plan sees nothing', fromGuangzhou, slot, { ok: false, code: 'inspections.cross_city_not_allowed' }],
    ['a cross-city vehicle sees the plan quota left', fromGuangzhou, { ...slot, offer, crossCityBooked: 1 }, { ok: true, crossCity: true, free: 2 }],
    ['… but never more than the slot has', fromGuangzhou, { ...slot, offer, booked: 9 }, { ok: true, crossCity: true, free: 1 }],
    ['a truck at a station for cars', { ...truck, city: '440300', province: '440000' }, slot, { ok: false, code: 'inspections.station_cannot_test' }],
  ] as const)('R-35.4 %s', (_n, v, s, expected) => {
    expect(placeFor(v, s)).toMatchObject(expected);
  });
});

describe('a booking as a whole (R-35, R-36.1, R-36.5, R-36.6)', () => {
  const station: StationState = { ...futian, status: 'active', cityBookingEnabled: true };
  const base = {
    vehicle: { binding: 'own' as const, states: ['normal'], inspectionValidUntil: '2027-01-31', ...car },
    station,
    slot: { day: '2026-11-26', status: 'open' as const },
    jurisdiction: sz,
    offer: null,
    today: TODAY,
  };
  it.each([
    ['a normal booking', {}, null],
    ['R-36.1 the city does not offer booking', { station: { ...station, cityBookingEnabled: false } }, 'inspections.city_not_offering'],
    ['R-36.6 a suspended station takes no new bookings', { station: { ...station, status: 'suspended' as const } }, 'inspections.station_not_accepting'],
    ['R-36.6 a withdrawn station takes no new bookings', { station: { ...station, status: 'withdrawn' as const } }, 'inspections.station_not_accepting'],
    ['R-36.5 a slot closed for an exceptional event', { slot: { day: '2026-11-26', status: 'closed' as const } }, 'inspections.slot_closed'],
    ['a slot of today', { slot: { day: TODAY, status: 'open' as const } }, 'inspections.slot_in_past'],
    ['R-36.2.1 a station that cannot test the vehicle', { vehicle: { ...base.vehicle, ...truck } }, 'inspections.station_cannot_test'],
    ['R-35.4 a cross-city booking without a plan', { jurisdiction: guangzhouCarInShenzhen }, 'inspections.cross_city_not_allowed'],
    ['R-35.2 a detained vehicle', { vehicle: { ...base.vehicle, states: ['detained'] } }, 'inspections.vehicle_state_blocked'],
    ['R-35.3 five months out', { vehicle: { ...base.vehicle, inspectionValidUntil: '2027-04-30' } }, 'inspections.too_early'],
  ] as const)('%s', (_name, change, code) => {
    const r = decideBooking({ ...base, ...change });
    if (code === null) expect(r).toEqual({ ok: true, crossCity: false, quotaPerSlot: null });
    else expect(r).toMatchObject({ ok: false, code });
  });
});

describe('R-35.5 cancel before the inspection day', () => {
  it.each([
    ['the day before', '2026-11-30', '2026-11-29', true],
    ['weeks before', '2026-12-20', TODAY, true],
    ['on the day', '2026-11-30', '2026-11-30', false],
    ['after the day', '2026-11-30', '2026-12-01', false],
  ] as const)('R-35.5 %s', (_n, day, today, ok) => {
    const r = decideCancellation({ status: 'booked', day }, today);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r).toEqual({ ok: false, code: 'inspections.cancel_too_late', params: { day } });
  });

  it('R-35.5 only an active booking can be cancelled', () => {
    for (const status of ['cancelled', 'moved', 'completed', 'no_show']) {
      expect(decideCancellation({ status, day: '2026-12-20' }, TODAY)).toEqual({ ok: false, code: 'inspections.booking_not_active' });
    }
  });

  it('R-35.5 / R-36.6 a disrupted booking may be moved even on its day; an ordinary one not', () => {
    const b = { status: 'booked', day: TODAY, slotId: 'a', disruption: null };
    expect(decideMove(b, 'b', TODAY)).toEqual({ ok: false, code: 'inspections.move_too_late', params: { day: TODAY } });
    expect(decideMove({ ...b, disruption: 'station_suspended' }, 'b', TODAY)).toEqual({ ok: true });
    expect(decideMove({ ...b, day: '2026-12-01' }, 'a', TODAY)).toMatchObject({ code: 'inspections.move_same_slot' });
  });
});

describe('R-36.2.1 schedules and bulk publication', () => {
  it('R-36.2.1 time slots must be well formed, ordered and not overlap', () => {
    expect(checkTimeSlots([{ startsAt: '10:30', endsAt: '12:00', capacity: 10 }, { startsAt: '09:00', endsAt: '10:30', capacity: 12 }])).toEqual({
      ok: true,
      sorted: [{ startsAt: '09:00', endsAt: '10:30', capacity: 12 }, { startsAt: '10:30', endsAt: '12:00', capacity: 10 }],
    });
    expect(checkTimeSlots([{ startsAt: '9:00', endsAt: '10:00', capacity: 1 }])).toMatchObject({ ok: false, problem: 'format' });
    expect(checkTimeSlots([{ startsAt: '10:00', endsAt: '10:00', capacity: 1 }])).toMatchObject({ ok: false, problem: 'order' });
    expect(checkTimeSlots([{ startsAt: '09:00', endsAt: '11:00', capacity: 1 }, { startsAt: '10:00', endsAt: '12:00', capacity: 1 }])).toMatchObject({ ok: false, problem: 'overlap', index: 1 });
    expect(checkTimeSlots([{ startsAt: '09:00', endsAt: '11:00', capacity: -1 }])).toMatchObject({ ok: false, problem: 'capacity' });
  });

  it('R-36.2.1 a publication covers opening days only, from tomorrow', () => {
    expect(isoWeekday('2026-11-29')).toBe(7); // a Sunday
    const r = plannedSlots(
      { from: '2026-11-24', to: '2026-11-30', openingDays: [1, 2, 3, 4, 5, 6], times: [{ startsAt: '09:00', endsAt: '10:30', capacity: 5 }] },
      '2026-11-26',
    );
    expect(r.ok && r.slots.map((s) => s.day)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-30']);
    expect(plannedSlots({ from: '2026-12-01', to: '2026-11-30', openingDays: [1], times: [] }, TODAY)).toEqual({ ok: false, problem: 'range' });
    expect(plannedSlots({ from: '2026-12-01', to: '2027-03-31', openingDays: [1], times: [] }, TODAY)).toEqual({ ok: false, problem: 'too_long' });
  });

  it.each([
    [10, 4, 6, 'refuse', { ok: true, displaced: 0 }],
    [10, 8, 6, 'refuse', { ok: false, code: 'inspections.capacity_below_booked', params: { booked: 8, capacity: 6 } }],
    [10, 8, 6, 'cancel', { ok: true, displaced: 2 }],
    [10, 8, 0, 'move', { ok: true, displaced: 8 }],
  ] as const)('R-36.2.1 capacity %i with %i booked → %i (%s): never cancels silently', (capacity, booked, newCapacity, excess, expected) => {
    expect(decideCapacityChange({ capacity, booked, newCapacity, excess })).toEqual(expected);
  });
});

describe('R-36.6 suspension, withdrawal, resumption', () => {
  it.each([
    ['active', 'suspended', 'equipment_failure', true],
    ['active', 'suspended', 'plan_change', true],
    ['active', 'suspended', 'licence_expired', true],
    ['active', 'suspended', 'licence_revoked', false],
    ['active', 'withdrawn', 'licence_revoked', true],
    ['suspended', 'withdrawn', 'licence_expired', true],
    ['suspended', 'active', 'resumed', true],
    ['suspended', 'active', 'plan_change', false],
    ['active', 'active', 'resumed', false],
    ['withdrawn', 'active', 'resumed', false],
    ['withdrawn', 'suspended', 'equipment_failure', false],
  ] as const)('R-36.6 %s → %s (%s): %s', (from, to, reason, ok) => {
    expect(decideStationTransition(from, to, reason).ok).toBe(ok);
  });
});

describe('R-36.6 nearest free slots elsewhere', () => {
  const futianPt = { latitude: 22.533406, longitude: 114.024528 };
  const baoanPt = { latitude: 22.574137, longitude: 113.872605 };
  const tianhePt = { latitude: 23.127215, longitude: 113.342719 };

  it('R-36.6 distances between the demo stations are plausible', () => {
    expect(distanceKm(futianPt, baoanPt)).toBeGreaterThan(15);
    expect(distanceKm(futianPt, baoanPt)).toBeLessThan(17);
    expect(distanceKm(futianPt, tianhePt)).toBeGreaterThan(90);
  });

  it('R-36.6 ordered by distance from the original station, then time; full slots left out; at most n per station', () => {
    const c = (slotId: string, stationId: string, location: typeof futianPt | null, day: string, startsAt: string, free = 1) => ({ slotId, stationId, location, day, startsAt, free });
    const r = nearestSlots(futianPt, [
      c('t1', 'tianhe', tianhePt, '2026-11-26', '09:00'),
      c('b2', 'baoan', baoanPt, '2026-11-27', '09:00'),
      c('b1', 'baoan', baoanPt, '2026-11-26', '14:00'),
      c('b0', 'baoan', baoanPt, '2026-11-26', '09:00', 0),
      c('b3', 'baoan', baoanPt, '2026-11-28', '09:00'),
      c('x', 'nowhere', null, '2026-11-26', '08:00'),
    ], 5, 2);
    expect(r.map((x) => x.slotId)).toEqual(['b1', 'b2', 't1', 'x']);
    expect(r[0]!.distanceKm).toBeCloseTo(16.2, 0);
    expect(r[3]!.distanceKm).toBeNull();
  });
});

describe('booking codes', () => {
  it('are JY + 8 unambiguous characters', () => {
    expect(bookingCode(new Uint8Array([0, 0, 0, 0, 0]))).toBe('JY22222222');
    expect(bookingCode(new Uint8Array([255, 255, 255, 255, 255]))).toBe('JYZZZZZZZZ');
    expect(bookingCode(new Uint8Array([1, 2, 3, 4, 5]))).toMatch(/^JY[2-9A-HJ-NP-Z]{8}$/);
  });
});

describe('R-35.5 / R-36.3 the end of the inspection day (issue 18)', () => {
  const day = '2026-11-26';
  it('R-35.5 nothing ends on or before the inspection day', () => {
    expect(dayEndOutcome({ day, arrived: false, disruption: null }, '2026-11-25')).toBeNull();
    expect(dayEndOutcome({ day, arrived: false, disruption: null }, day)).toBeNull();
  });
  it('R-36.3 after the day: arrived → completed, disrupted → cancelled with its reason, else no-show', () => {
    expect(dayEndOutcome({ day, arrived: true, disruption: null }, '2026-11-27')).toEqual({ status: 'completed' });
    expect(dayEndOutcome({ day, arrived: true, disruption: 'slot_closed' }, '2026-11-27')).toEqual({ status: 'completed' });
    expect(dayEndOutcome({ day, arrived: false, disruption: 'station_suspended' }, '2026-11-27')).toEqual({ status: 'cancelled', reason: 'station_suspended' });
    expect(dayEndOutcome({ day, arrived: false, disruption: null }, '2026-12-30')).toEqual({ status: 'no_show' });
  });
});

describe('R-36.3 the station’s marks on its day roster', () => {
  const day = '2026-11-26';
  const booked = { status: 'booked', day, arrived: false };
  it('R-36.3 no mark before the inspection day, naming the day', () => {
    for (const m of ['arrived', 'done', 'no_show'] as const) expect(decideRosterMark(booked, m, '2026-11-25')).toEqual({ ok: false, code: 'inspections.mark_too_early', params: { day } });
  });
  it('R-36.3 on the day: arrived keeps it active; done and no-show end it; no-show after arrival is refused', () => {
    expect(decideRosterMark(booked, 'arrived', day)).toEqual({ ok: true, to: 'booked' });
    expect(decideRosterMark(booked, 'done', day)).toEqual({ ok: true, to: 'completed' });
    expect(decideRosterMark(booked, 'no_show', day)).toEqual({ ok: true, to: 'no_show' });
    const arrived = { ...booked, arrived: true };
    expect(decideRosterMark(arrived, 'arrived', day)).toMatchObject({ ok: false, code: 'inspections.mark_not_allowed' });
    expect(decideRosterMark(arrived, 'no_show', day)).toMatchObject({ ok: false, code: 'inspections.mark_not_allowed' });
    expect(decideRosterMark(arrived, 'done', day)).toEqual({ ok: true, to: 'completed' });
  });
  it('R-36.3 an ended booking takes no mark, except a no-show corrected to done', () => {
    for (const status of ['completed', 'cancelled', 'moved']) expect(decideRosterMark({ ...booked, status }, 'done', day)).toEqual({ ok: false, code: 'inspections.mark_not_allowed', params: { status } });
    expect(decideRosterMark({ ...booked, status: 'no_show' }, 'done', '2026-12-01')).toEqual({ ok: true, to: 'completed' });
    expect(decideRosterMark({ ...booked, status: 'no_show' }, 'arrived', day)).toMatchObject({ ok: false });
  });
});
