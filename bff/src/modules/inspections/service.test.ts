import { describe, expect, it } from 'vitest';
import { testEnv, type TestEnv, type TestResponse } from '../../../test/support.ts';
import {
  BAOAN, FUTIAN, HT_FIVE_MONTHS, HT_GUANGZHOU, PHONES, TIANHE, WF_SONG, ZW_HAN, ZW_LAVIDA, ZW_NON_OWN,
  citizenCookie, makeCitizens, makeSlot, slotState, smsTo, staffCookie,
} from './testing.ts';
import { smsTemplates } from './messages.ts';

// The manual clock starts at 2026-11-25T02:00Z = 10:00 on Wednesday 25 November in Shanghai.
const TOMORROW = '2026-11-26';
const DAY_AFTER = '2026-11-27';

async function ok(r: TestResponse, status = 200) {
  const body = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body;
}
async function problem(r: TestResponse, status: number, code: string) {
  const body = await r.json();
  expect({ status: r.status, code: body.code }, JSON.stringify(body)).toEqual({ status, code });
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  return body;
}

/** The operator of 福田 publishes the seed schedule for the next days and returns the slots. */
async function publishFutian(env: TestEnv, op: string, from = TOMORROW, to = '2026-12-02') {
  await ok(await env.call('POST', '/admin-api/inspection-slots/publish', { cookie: op, body: { from, to } }), 201);
  const r = await env.call('GET', `/admin-api/inspection-slots?sort=${encodeURIComponent('["day","ASC"]')}&range=[0,99]&filter=${encodeURIComponent(JSON.stringify({ from, to }))}`, { cookie: op });
  return (await ok(r)) as { id: string; day: string; startsAt: string; capacity: number; booked: number }[];
}

describe('citizen: eligibility (R-35.1, R-35.2, R-35.3)', async () => {
  const env = await testEnv();
  const zw = await citizenCookie(env, PHONES.zhangwei);
  const ht = await citizenCookie(env, PHONES.huangting);

  it('R-35.1 / R-35.3 lists every bound vehicle with whether it can be booked and why not', async () => {
    const { vehicles } = await ok(await env.call('GET', '/api/v1/inspections/vehicles', { cookie: zw }));
    const byId = Object.fromEntries(vehicles.map((v: { id: string }) => [v.id, v]));
    expect(byId[ZW_LAVIDA]).toMatchObject({ plateNo: '粤BA1234', eligible: true, reason: null, opensOn: '2026-10-31', overdue: false });
    expect(byId[ZW_HAN]).toMatchObject({ eligible: false, opensOn: '2028-03-30', reason: { code: 'inspections.too_early' } });
    expect(byId[ZW_NON_OWN]).toMatchObject({ binding: 'non_own', eligible: false, reason: { code: 'inspections.vehicle_not_own' } });
  });

  it('R-35.3 a vehicle whose validity ends in five months is refused with the day booking opens', async () => {
    const { vehicles } = await ok(await env.call('GET', '/api/v1/inspections/vehicles', { cookie: ht, headers: { 'accept-language': 'zh-CN' } }));
    const five = vehicles.find((v: { id: string }) => v.id === HT_FIVE_MONTHS);
    expect(five).toMatchObject({ plateNo: '粤BS6601', eligible: false, opensOn: '2027-01-30', reason: { code: 'inspections.too_early', detail: '检验有效期至2027-04-30，可于2027-01-30起预约，届时再来办理即可。' } });
    const slot = await makeSlot(env.sql, BAOAN, '2026-12-03', '08:00', 5, env.clock.now());
    const p = await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: ht, body: { vehicleId: HT_FIVE_MONTHS, slotId: slot } }), 422, 'inspections.too_early');
    expect(p.detail).toContain('2027-01-30');
    expect(p.params).toEqual({ opensOn: '2027-01-30', validUntil: '2027-04-30' });
    await problem(await env.call('GET', `/api/v1/inspections/slots?vehicleId=${HT_FIVE_MONTHS}`, { cookie: ht }), 422, 'inspections.too_early');
  });

  it('R-35.1 a vehicle that is not the user’s is "not found"; a non-own bound vehicle is refused', async () => {
    const slot = await makeSlot(env.sql, BAOAN, '2026-12-03', '08:30', 5, env.clock.now());
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: WF_SONG, slotId: slot } }), 404, 'inspections.vehicle_not_found');
    await problem(await env.call('GET', `/api/v1/inspections/slots?vehicleId=${WF_SONG}`, { cookie: zw }), 404, 'inspections.vehicle_not_found');
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_NON_OWN, slotId: slot } }), 422, 'inspections.vehicle_not_own');
  });

  it.each([
    ['detained', '暂扣', 422, '06:00'],
    ['locked', '锁定', 422, '06:30'],
    ['withheld', null, 201, '07:00'], // 扣留 blocks replacements, not inspection booking
  ] as const)('R-35.2 a vehicle in state %s (%s) → %i, naming the state', async (state, zh, status, time) => {
    await env.sql`UPDATE vehicle SET states = ${[state]} WHERE id = ${ZW_LAVIDA}`;
    const slot = await makeSlot(env.sql, BAOAN, '2026-12-04', time, 5, env.clock.now());
    const r = await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_LAVIDA, slotId: slot } });
    if (status === 201) {
      const b = await ok(r, 201);
      await ok(await env.call('POST', `/api/v1/inspections/bookings/${b.id}/cancel`, { cookie: zw }));
    } else {
      const p = await problem(r, 422, 'inspections.vehicle_state_blocked');
      expect(p.params).toEqual({ state });
      expect(p.detail).toContain(zh);
    }
    const { vehicles } = await ok(await env.call('GET', '/api/v1/inspections/vehicles', { cookie: zw }));
    expect(vehicles.find((v: { id: string }) => v.id === ZW_LAVIDA).eligible).toBe(status === 201);
    await env.sql`UPDATE vehicle SET states = '{normal}' WHERE id = ${ZW_LAVIDA}`;
  });
});

describe('station operator publishes; citizen books, cancels, books again (R-34, R-35.5, R-36.2.1)', async () => {
  const env = await testEnv();
  const op = await staffCookie(env, 'station.futian');
  const zw = await citizenCookie(env, PHONES.zhangwei);
  let slots: Awaited<ReturnType<typeof publishFutian>> = [];

  it('R-36.2.1 the operator publishes the schedule and bulk-creates slots for opening days only', async () => {
    const station = await ok(await env.call('POST', `/admin-api/inspection-stations/${FUTIAN}/schedule`, {
      cookie: op,
      body: { openingDays: [1, 2, 3, 4, 5, 6], times: [{ startsAt: '14:00', endsAt: '15:30', capacity: 3 }, { startsAt: '09:00', endsAt: '10:30', capacity: 2 }], vehicleTypes: ['K33', 'K31', 'K32'], maxAxleLoadKg: 2000, brakeTypes: ['hydraulic'] },
    }));
    expect(station.times).toEqual([{ startsAt: '09:00', endsAt: '10:30', capacity: 2 }, { startsAt: '14:00', endsAt: '15:30', capacity: 3 }]);
    slots = await publishFutian(env, op);
    // 26 Nov (Thu) … 2 Dec (Wed) without Sunday 29 Nov: 6 days × 2 slots
    expect(slots).toHaveLength(12);
    expect(slots.some((s) => s.day === '2026-11-29')).toBe(false);
    expect(slots[0]).toMatchObject({ day: TOMORROW, startsAt: '09:00', capacity: 2, booked: 0, status: 'open', stationId: FUTIAN });
    // publishing again creates nothing twice
    expect(await ok(await env.call('POST', '/admin-api/inspection-slots/publish', { cookie: op, body: { from: TOMORROW, to: '2026-12-02' } }), 201)).toMatchObject({ created: 0, skipped: 12 });
    const [audit] = await env.sql`SELECT action, entity_id FROM audit_log WHERE action = 'inspections.slots_published' ORDER BY id LIMIT 1`;
    expect(audit).toMatchObject({ entity_id: FUTIAN });
  });

  it('R-36.2.1 overlapping time slots and too long ranges are refused', async () => {
    await problem(await env.call('POST', `/admin-api/inspection-stations/${FUTIAN}/schedule`, {
      cookie: op, body: { openingDays: [1], times: [{ startsAt: '09:00', endsAt: '11:00', capacity: 1 }, { startsAt: '10:00', endsAt: '12:00', capacity: 1 }], vehicleTypes: ['K33'], maxAxleLoadKg: null, brakeTypes: ['hydraulic'] },
    }), 422, 'inspections.schedule_invalid');
    await problem(await env.call('POST', '/admin-api/inspection-slots/publish', { cookie: op, body: { from: TOMORROW, to: '2027-06-30' } }), 422, 'inspections.range_invalid');
  });

  it('the search shows stations that can test the vehicle with free places per slot', async () => {
    const r = await ok(await env.call('GET', `/api/v1/inspections/slots?vehicleId=${ZW_LAVIDA}&from=${TOMORROW}&to=${DAY_AFTER}`, { cookie: zw }));
    const names = r.stations.map((s: { id: string }) => s.id);
    expect(names).toContain(FUTIAN);
    expect(names).toContain(BAOAN);
    expect(names).not.toContain(TIANHE); // another city, no published plan
    const futian = r.stations.find((s: { id: string }) => s.id === FUTIAN);
    expect(futian.slots[0]).toMatchObject({ day: TOMORROW, startsAt: '09:00', capacity: 2, free: 2 });
    expect(futian.crossCity).toBe(false);
  });

  let bookingId = '';
  it('R-34 books: 201 with a booking code, the place taken, an SMS and an audit row in the same transaction', async () => {
    const slot = slots[0]!;
    const b = await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_LAVIDA, slotId: slot.id } }), 201);
    expect(b).toMatchObject({ status: 'booked', code: expect.stringMatching(/^JY[2-9A-HJ-NP-Z]{8}$/), slot: { day: TOMORROW, startsAt: '09:00' }, station: { id: FUTIAN }, canCancel: true, canMove: true });
    bookingId = b.id;
    expect(await slotState(env.sql, slot.id)).toMatchObject({ booked: 1, active: 1 });
    const [sms] = await smsTo(env.sql, PHONES.zhangwei, 'inspections.booked');
    expect(sms!.payload).toMatchObject({ code: b.code, plateNo: '粤BA1234', day: TOMORROW, startsAt: '09:00', stationName: '深圳市福田机动车检测站' });
    expect(smsTemplates['inspections.booked']!(sms!.payload)).toContain(b.code);
    const [audit] = await env.sql`SELECT actor_kind, authority_id, after FROM audit_log WHERE action = 'inspections.booked' AND entity_id = ${b.id}`;
    expect(audit).toMatchObject({ actor_kind: 'user', authority_id: '440300' });
    const mine = await ok(await env.call('GET', '/api/v1/inspections/bookings', { cookie: zw }));
    expect(mine.bookings[0]).toMatchObject({ id: b.id, status: 'booked' });
  });

  it('one active booking per vehicle: a second booking is a 409', async () => {
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_LAVIDA, slotId: slots[1]!.id } }), 409, 'inspections.vehicle_already_booked');
  });

  it('idempotency: a replayed booking answers the first booking, not a 409', async () => {
    const h = { 'idempotency-key': 'book-zw-han-1' };
    await env.sql`UPDATE vehicle SET inspection_valid_until = '2027-01-31' WHERE id = ${ZW_HAN}`;
    const first = await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, headers: h, body: { vehicleId: ZW_HAN, slotId: slots[2]!.id } }), 201);
    const again = await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, headers: h, body: { vehicleId: ZW_HAN, slotId: slots[2]!.id } });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await ok(again, 201)).id).toBe(first.id);
    expect(await slotState(env.sql, slots[2]!.id)).toMatchObject({ booked: 1, active: 1 });
    await ok(await env.call('POST', `/api/v1/inspections/bookings/${first.id}/cancel`, { cookie: zw }));
  });

  it('R-35.5 cancels before the inspection day; the place is free at once; then books again', async () => {
    const c = await ok(await env.call('POST', `/api/v1/inspections/bookings/${bookingId}/cancel`, { cookie: zw }));
    expect(c).toMatchObject({ status: 'cancelled', cancelledReason: 'by_user', canCancel: false });
    expect(await slotState(env.sql, slots[0]!.id)).toMatchObject({ booked: 0, active: 0 });
    expect((await smsTo(env.sql, PHONES.zhangwei, 'inspections.cancelled')).filter((m) => m.payload.code === c.code)).toHaveLength(1);
    await problem(await env.call('POST', `/api/v1/inspections/bookings/${bookingId}/cancel`, { cookie: zw }), 409, 'inspections.booking_not_active');
    const again = await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_LAVIDA, slotId: slots[0]!.id } }), 201);
    expect(again.code).not.toBe(undefined);
    bookingId = again.id;
  });

  it('R-35.5 on the inspection day the booking can no longer be cancelled online', async () => {
    const saved = env.clock.now();
    env.clock.set(new Date('2026-11-26T01:00:00Z')); // 09:00 on the day, Shanghai
    const p = await problem(await env.call('POST', `/api/v1/inspections/bookings/${bookingId}/cancel`, { cookie: zw }), 422, 'inspections.cancel_too_late');
    expect(p.detail).toContain(TOMORROW);
    const b = await ok(await env.call('GET', `/api/v1/inspections/bookings/${bookingId}`, { cookie: zw }));
    expect(b.canCancel).toBe(false);
    env.clock.set(saved);
  });

  it('R-35.5 on the inspection day the booking can no longer be moved online either, and the refusal speaks of moving (move_too_late)', async () => {
    const saved = env.clock.now();
    env.clock.set(new Date('2026-11-26T01:00:00Z')); // 09:00 on the day, Shanghai
    const before = await ok(await env.call('GET', `/api/v1/inspections/bookings/${bookingId}`, { cookie: zw }));
    const target = slots.find((s) => s.id !== before.slot.id && s.day > TOMORROW)!;
    const p = await problem(await env.call('POST', `/api/v1/inspections/bookings/${bookingId}/move`, { cookie: zw, body: { slotId: target.id } }), 422, 'inspections.move_too_late');
    expect(p.title).toBe('检验当日及以后不能网上改约');
    expect(p.detail).toContain(TOMORROW);
    expect(p.detail).not.toContain('取消');
    expect(p.detail).toContain('请按原预约时间到检验机构检验');
    const en = await (await env.call('POST', `/api/v1/inspections/bookings/${bookingId}/move`, { cookie: zw, body: { slotId: target.id }, headers: { 'accept-language': 'en' } })).json();
    expect(en.title).toBe('A booking can no longer be moved online on or after the inspection day');
    // nothing changed
    expect(await ok(await env.call('GET', `/api/v1/inspections/bookings/${bookingId}`, { cookie: zw }))).toMatchObject({ status: 'booked', slot: { id: before.slot.id } });
    env.clock.set(saved);
  });

  it('a slot of today cannot be booked; a full slot is a 409 slot_full', async () => {
    const today = await makeSlot(env.sql, FUTIAN, '2026-11-25', '16:00', 5, env.clock.now());
    const [c] = await makeCitizens(env.sql, 1, { now: env.clock.now() });
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: c!.cookie, body: { vehicleId: c!.vehicleId, slotId: today } }), 422, 'inspections.slot_in_past');
    const full = await makeSlot(env.sql, FUTIAN, '2026-12-05', '16:00', 0, env.clock.now());
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: c!.cookie, body: { vehicleId: c!.vehicleId, slotId: full } }), 409, 'inspections.slot_full');
  });

  it('R-36.2.1 a truck is offered 宝安 (tests H11, pneumatic) and not 福田; booking 福田 is refused', async () => {
    const org = await citizenCookie(env, PHONES.logistics);
    const { vehicles } = await ok(await env.call('GET', '/api/v1/inspections/vehicles', { cookie: org }));
    const truck = vehicles.find((v: { plateNo: string }) => v.plateNo === '粤BM6082');
    expect(truck).toMatchObject({ binding: 'organisation', eligible: true, vehicleType: 'H11' });
    const r = await ok(await env.call('GET', `/api/v1/inspections/slots?vehicleId=${truck.id}`, { cookie: org }));
    expect(r.stations.map((s: { id: string }) => s.id)).toEqual([BAOAN]);
    const p = await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: org, body: { vehicleId: truck.id, slotId: slots[3]!.id } }), 422, 'inspections.station_cannot_test');
    expect(p.params).toMatchObject({ limit: 'vehicle_type', value: 'H11' });
    // an organisation user books its organisation's vehicle
    await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: org, body: { vehicleId: truck.id, slotId: r.stations[0].slots[0].id } }), 201);
  });
});

describe('R-36.1 the city decides whether it offers booking', async () => {
  const env = await testEnv();
  const zw = await citizenCookie(env, PHONES.zhangwei);
  const sz = await staffCookie(env, 'sz.review');
  const slot = await makeSlot(env.sql, BAOAN, '2026-12-03', '07:00', 5, env.clock.now());

  it('R-36.1 switched off: no Shenzhen station is offered and booking is refused; switched on again: it works', async () => {
    const city = await ok(await env.call('POST', '/admin-api/inspection-cities/440300/booking', { cookie: sz, body: { enabled: false, note: '系统升级' } }));
    expect(city).toMatchObject({ id: '440300', bookingEnabled: false, note: '系统升级' });
    const r = await ok(await env.call('GET', `/api/v1/inspections/slots?vehicleId=${ZW_LAVIDA}`, { cookie: zw }));
    expect(r.stations).toEqual([]);
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_LAVIDA, slotId: slot } }), 422, 'inspections.city_not_offering');
    await ok(await env.call('POST', '/admin-api/inspection-cities/440300/booking', { cookie: sz, body: { enabled: true } }));
    await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_LAVIDA, slotId: slot } }), 201);
    const audits = await env.sql`SELECT before, after FROM audit_log WHERE action = 'inspections.city_booking_switched' ORDER BY id`;
    expect(audits.map((a) => a.after.bookingEnabled)).toEqual([false, true]);
  });

  it('R-36.1 only the city’s own 管理岗 switches it', async () => {
    await problem(await env.call('POST', '/admin-api/inspection-cities/440100/booking', { cookie: sz, body: { enabled: false } }), 404, 'inspections.city_not_found');
    await problem(await env.call('POST', '/admin-api/inspection-cities/440300/booking', { cookie: await staffCookie(env, 'gd.review'), body: { enabled: false } }), 403, 'inspections.not_city_staff');
    await problem(await env.call('POST', '/admin-api/inspection-cities/440300/booking', { cookie: await staffCookie(env, 'sz.intake'), body: { enabled: false } }), 403, 'auth.forbidden');
    await problem(await env.call('POST', '/admin-api/inspection-cities/440300/booking', { cookie: await staffCookie(env, 'station.futian'), body: { enabled: false } }), 403, 'auth.forbidden');
  });
});

describe('R-35.4 / R-36.2 cross-city booking only under the province’s published plan', async () => {
  const env = await testEnv();
  const ht = await citizenCookie(env, PHONES.huangting);
  const sz = await staffCookie(env, 'sz.review');
  const gd = await staffCookie(env, 'gd.review');
  const slot = await makeSlot(env.sql, FUTIAN, '2026-12-03', '09:00', 10, env.clock.now());
  let planId = '';

  it('R-35.4 a 粤A vehicle is offered only 广州 stations and refused in 深圳 while no plan is published', async () => {
    const r = await ok(await env.call('GET', `/api/v1/inspections/slots?vehicleId=${HT_GUANGZHOU}`, { cookie: ht }));
    expect(r.stations.map((s: { id: string }) => s.id)).toEqual([TIANHE]);
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: ht, body: { vehicleId: HT_GUANGZHOU, slotId: slot } }), 422, 'inspections.cross_city_not_allowed');
  });

  it('R-36.2.1 the city prepares a plan of its own stations and files it; still no booking before publication', async () => {
    await problem(await env.call('POST', '/admin-api/inspection-plans', { cookie: sz, body: { entries: [{ stationId: TIANHE, quotaPerSlot: 1, fromDay: TOMORROW, toDay: '2026-12-31' }] } }), 422, 'inspections.plan_station_invalid');
    const plan = await ok(await env.call('POST', '/admin-api/inspection-plans', { cookie: sz, body: { note: '福田站接受省内异地车辆', entries: [{ stationId: FUTIAN, quotaPerSlot: 1, fromDay: TOMORROW, toDay: '2026-12-31' }] } }), 201);
    expect(plan).toMatchObject({ cityId: '440300', status: 'draft', entries: [{ stationId: FUTIAN, quotaPerSlot: 1, vehicleTypes: ['K33', 'K31', 'K32'], maxAxleLoadKg: 2000, brakeTypes: ['hydraulic'] }], inForce: false });
    planId = plan.id;
    await problem(await env.call('POST', '/admin-api/inspection-plans', { cookie: sz, body: { entries: [{ stationId: BAOAN, quotaPerSlot: 1, fromDay: TOMORROW, toDay: '2026-12-31' }] } }), 409, 'inspections.plan_draft_exists');
    // the province sees nothing before filing, and cannot publish yet
    expect(await ok(await env.call('GET', '/admin-api/inspection-plans', { cookie: gd }))).toEqual([]);
    await problem(await env.call('POST', '/admin-api/inspection-plans/publish', { cookie: gd, body: {} }), 422, 'inspections.nothing_to_publish');
    expect(await ok(await env.call('POST', `/admin-api/inspection-plans/${planId}/file`, { cookie: sz }))).toMatchObject({ status: 'filed' });
    await problem(await env.call('PUT', `/admin-api/inspection-plans/${planId}`, { cookie: sz, body: { entries: [{ stationId: FUTIAN, quotaPerSlot: 5, fromDay: TOMORROW, toDay: '2026-12-31' }] } }), 409, 'inspections.plan_not_draft');
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: ht, body: { vehicleId: HT_GUANGZHOU, slotId: slot } }), 422, 'inspections.cross_city_not_allowed');
  });

  it('R-36.2.2 only the province publishes; after publication the cross-city booking works within the quota', async () => {
    await problem(await env.call('POST', '/admin-api/inspection-plans/publish', { cookie: sz, body: {} }), 403, 'inspections.not_province_staff');
    const list = await ok(await env.call('GET', '/admin-api/inspection-plans', { cookie: gd }));
    expect(list.map((p: { id: string }) => p.id)).toEqual([planId]);
    const pub = await ok(await env.call('POST', '/admin-api/inspection-plans/publish', { cookie: gd, body: { notice: '广东省2026年12月省内异地检验计划' } }), 201);
    expect(pub).toMatchObject({ provinceId: '440000', version: 1, cityPlanIds: [planId] });
    const inForce = await ok(await env.call('GET', '/api/v1/inspections/cross-city-plans/440000'));
    expect(inForce).toMatchObject({ version: 1, entries: [{ stationId: FUTIAN, quotaPerSlot: 1, cityName: '深圳市' }] });

    const r = await ok(await env.call('GET', `/api/v1/inspections/slots?vehicleId=${HT_GUANGZHOU}&from=2026-12-03&to=2026-12-03`, { cookie: ht }));
    const futian = r.stations.find((s: { id: string }) => s.id === FUTIAN);
    expect(futian).toMatchObject({ crossCity: true, slots: [{ id: slot, free: 1 }] });
    const b = await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: ht, body: { vehicleId: HT_GUANGZHOU, slotId: slot } }), 201);
    expect(b.crossCity).toBe(true);
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 1, cross_city_booked: 1 });

    // a second 粤A vehicle: the slot has room, the plan's quota (1) does not
    const [other] = await makeCitizens(env.sql, 1, { city: '440100', start: 500, now: env.clock.now() });
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: other!.cookie, body: { vehicleId: other!.vehicleId, slotId: slot } }), 409, 'inspections.cross_city_quota_full');
    // a local vehicle still gets in
    const [local] = await makeCitizens(env.sql, 1, { start: 501, now: env.clock.now() });
    await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: local!.cookie, body: { vehicleId: local!.vehicleId, slotId: slot } }), 201);
    // cancelling the cross-city booking gives the quota place back at once
    await ok(await env.call('POST', `/api/v1/inspections/bookings/${b.id}/cancel`, { cookie: ht }));
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 1, cross_city_booked: 0 });
    await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: other!.cookie, body: { vehicleId: other!.vehicleId, slotId: slot } }), 201);
  });

  it('R-35.4 another province’s vehicle is never cross-city', async () => {
    await env.sql`INSERT INTO authority (id, name, level, parent_id, plate_prefix) VALUES ('430000', '湖南省', 'province', NULL, NULL), ('430100', '长沙市', 'city', '430000', '湘A')`;
    const [c] = await makeCitizens(env.sql, 1, { city: '430100', start: 502, now: env.clock.now() });
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: c!.cookie, body: { vehicleId: c!.vehicleId, slotId: slot } }), 422, 'inspections.cross_city_not_allowed');
  });
});

describe('capacity changes never cancel silently', async () => {
  const env = await testEnv();
  const op = await staffCookie(env, 'station.futian');
  const now = env.clock.now();
  const slot = await makeSlot(env.sql, FUTIAN, '2026-12-03', '09:00', 5, now);
  const target = await makeSlot(env.sql, FUTIAN, '2026-12-03', '14:00', 5, now);
  const citizens = await makeCitizens(env.sql, 4, { now });
  const booked: string[] = [];
  for (const c of citizens) {
    env.clock.advance(60_000); // the newest bookings are displaced first: give them distinct times
    booked.push((await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: c.cookie, body: { vehicleId: c.vehicleId, slotId: slot } }), 201)).id);
  }

  it('raising, and lowering down to the booked count, just work', async () => {
    expect(await ok(await env.call('POST', `/admin-api/inspection-slots/${slot}/capacity`, { cookie: op, body: { capacity: 8 } }))).toMatchObject({ capacity: 8, booked: 4, free: 4 });
    expect(await ok(await env.call('POST', `/admin-api/inspection-slots/${slot}/capacity`, { cookie: op, body: { capacity: 4 } }))).toMatchObject({ capacity: 4, booked: 4, free: 0 });
  });

  it('below the booked count is refused with a code, nothing changes', async () => {
    const p = await problem(await env.call('POST', `/admin-api/inspection-slots/${slot}/capacity`, { cookie: op, body: { capacity: 2 } }), 409, 'inspections.capacity_below_booked');
    expect(p.params).toEqual({ booked: 4, capacity: 2 });
    expect(await slotState(env.sql, slot)).toMatchObject({ capacity: 4, booked: 4, active: 4 });
  });

  it('… or the newest excess bookings move to another slot, each user told by SMS', async () => {
    const s = await ok(await env.call('POST', `/admin-api/inspection-slots/${slot}/capacity`, { cookie: op, body: { capacity: 3, excess: 'move', targetSlotId: target } }));
    expect(s).toMatchObject({ capacity: 3, booked: 3 });
    expect(await slotState(env.sql, target)).toMatchObject({ booked: 1, active: 1 });
    const [moved] = await env.sql`SELECT id, slot_id, status FROM inspection_booking WHERE id = ${booked[3]!}`;
    expect(moved).toMatchObject({ slot_id: target, status: 'booked' });
    expect(await smsTo(env.sql, citizens[3]!.phone, 'inspections.moved_by_station')).toHaveLength(1);
    await problem(await env.call('POST', `/admin-api/inspection-slots/${slot}/capacity`, { cookie: op, body: { capacity: 0, excess: 'move', targetSlotId: slot } }), 422, 'inspections.move_target_invalid');
    await problem(await env.call('POST', `/admin-api/inspection-slots/${slot}/capacity`, { cookie: op, body: { capacity: 0, excess: 'move' } }), 422, 'inspections.move_target_invalid');
    expect(await slotState(env.sql, slot)).toMatchObject({ capacity: 3, booked: 3 });
  });

  it('… or the newest excess bookings are cancelled, each user told by SMS', async () => {
    const s = await ok(await env.call('POST', `/admin-api/inspection-slots/${slot}/capacity`, { cookie: op, body: { capacity: 2, excess: 'cancel' } }));
    expect(s).toMatchObject({ capacity: 2, booked: 2 });
    const [c] = await env.sql`SELECT status, cancelled_reason FROM inspection_booking WHERE id = ${booked[2]!}`;
    expect(c).toEqual({ status: 'cancelled', cancelled_reason: 'capacity_reduced' });
    expect(await smsTo(env.sql, citizens[2]!.phone, 'inspections.cancelled_by_station')).toHaveLength(1);
    expect(await smsTo(env.sql, citizens[0]!.phone, 'inspections.cancelled_by_station')).toHaveLength(0);
    const audits = await env.sql`SELECT after FROM audit_log WHERE action = 'inspections.capacity_changed' ORDER BY id`;
    expect(audits).toHaveLength(4);
  });

  it('the CHECK holds even if code tried: booked can never exceed capacity', async () => {
    await expect(env.sql`UPDATE inspection_slot SET booked = capacity + 1 WHERE id = ${slot}`).rejects.toMatchObject({ code: '23514' });
    await expect(env.sql`UPDATE inspection_slot SET capacity = -1, booked = 0 WHERE id = ${target}`).rejects.toMatchObject({ code: '23514' });
  });

  it('an operator acts on their own station only', async () => {
    const baoanSlot = await makeSlot(env.sql, BAOAN, '2026-12-03', '08:00', 5, now);
    await problem(await env.call('POST', `/admin-api/inspection-slots/${baoanSlot}/capacity`, { cookie: op, body: { capacity: 9 } }), 404, 'inspections.slot_not_found');
    await problem(await env.call('GET', `/admin-api/inspection-slots/${baoanSlot}`, { cookie: op }), 404, 'inspections.slot_not_found');
    await problem(await env.call('POST', `/admin-api/inspection-stations/${BAOAN}/schedule`, { cookie: op, body: { openingDays: [1], times: [{ startsAt: '09:00', endsAt: '10:00', capacity: 1 }], vehicleTypes: ['K33'], maxAxleLoadKg: null, brakeTypes: ['hydraulic'] } }), 404, 'inspections.station_not_found');
    const list = await ok(await env.call('GET', '/admin-api/inspection-slots?range=[0,499]', { cookie: op }));
    expect(list.every((s: { stationId: string }) => s.stationId === FUTIAN)).toBe(true);
  });
});

describe('R-36.5 exceptional events close slots and tell every affected user', async () => {
  const env = await testEnv();
  const op = await staffCookie(env, 'station.futian');
  const now = env.clock.now();
  const slot = await makeSlot(env.sql, FUTIAN, '2026-12-03', '09:00', 5, now);
  const other = await makeSlot(env.sql, FUTIAN, '2026-12-03', '14:00', 5, now);
  const citizens = await makeCitizens(env.sql, 3, { now });
  const ids: string[] = [];
  for (const c of citizens) ids.push((await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: c.cookie, body: { vehicleId: c.vehicleId, slotId: slot } }), 201)).id);

  it('R-36.5 closing marks the bookings and SMSes each user; new bookings are refused', async () => {
    const r = await ok(await env.call('POST', '/admin-api/inspection-slots/close', { cookie: op, body: { ids: [slot], reason: 'power_cut', note: '计划停电' } }));
    expect(r).toMatchObject({ closed: 1, notified: 3 });
    for (const c of citizens) {
      const [sms] = await smsTo(env.sql, c.phone, 'inspections.slot_closed');
      expect(smsTemplates['inspections.slot_closed']!(sms!.payload)).toContain('停电');
    }
    const b = await ok(await env.call('GET', `/api/v1/inspections/bookings/${ids[0]}`, { cookie: citizens[0]!.cookie }));
    expect(b).toMatchObject({ status: 'booked', disruption: 'slot_closed', canMove: true });
    const [late] = await makeCitizens(env.sql, 1, { start: 50, now });
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: late!.cookie, body: { vehicleId: late!.vehicleId, slotId: slot } }), 422, 'inspections.slot_closed');
    await problem(await env.call('POST', '/admin-api/inspection-slots/close', { cookie: op, body: { ids: [slot], reason: 'power_cut' } }), 409, 'inspections.slot_not_open');
    const [audit] = await env.sql`SELECT after FROM audit_log WHERE action = 'inspections.slots_closed'`;
    expect(audit!.after.bookings).toHaveLength(3);
  });

  it('R-36.5 the user moves in one call to a free slot; the places follow', async () => {
    const alt = await ok(await env.call('GET', `/api/v1/inspections/bookings/${ids[0]}/alternatives`, { cookie: citizens[0]!.cookie }));
    // the same station first (distance 0), its other slot
    expect(alt.alternatives[0]).toMatchObject({ stationId: FUTIAN, slotId: other, distanceKm: 0 });
    const moved = await ok(await env.call('POST', `/api/v1/inspections/bookings/${ids[0]}/move`, { cookie: citizens[0]!.cookie, body: { slotId: other } }), 201);
    expect(moved).toMatchObject({ status: 'booked', disruption: null, slot: { id: other }, movedFromId: ids[0] });
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 2, active: 2 });
    expect(await slotState(env.sql, other)).toMatchObject({ booked: 1, active: 1 });
    const old = await ok(await env.call('GET', `/api/v1/inspections/bookings/${ids[0]}`, { cookie: citizens[0]!.cookie }));
    expect(old.status).toBe('moved');
    expect(await smsTo(env.sql, citizens[0]!.phone, 'inspections.moved')).toHaveLength(1);
  });
});

describe('R-36.6 suspension stops new bookings at once, is published and lists the pending bookings', async () => {
  const env = await testEnv();
  const op = await staffCookie(env, 'station.futian');
  const sz = await staffCookie(env, 'sz.review');
  const now = env.clock.now();
  const slot = await makeSlot(env.sql, FUTIAN, '2026-12-03', '09:00', 5, now);
  const citizens = await makeCitizens(env.sql, 2, { now });
  const ids: string[] = [];
  for (const c of citizens) ids.push((await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: c.cookie, body: { vehicleId: c.vehicleId, slotId: slot } }), 201)).id);

  it('R-36.6 suspension: new bookings refused, notice published, pending bookings listed with the nearest free slot elsewhere, SMS', async () => {
    const r = await ok(await env.call('POST', `/admin-api/inspection-stations/${FUTIAN}/status`, { cookie: op, body: { status: 'suspended', reason: 'equipment_failure', note: '制动检验台故障' } }));
    expect(r.station).toMatchObject({ status: 'suspended', pendingBookings: 2 });
    expect(r.pending.map((b: { id: string }) => b.id).sort()).toEqual([...ids].sort());
    // 宝安 is the nearest station that tests small cars (~16 km); 天河 is in another city
    expect(r.pending[0].suggestion).toMatchObject({ stationId: BAOAN, day: TOMORROW, crossCity: false });
    expect(r.pending[0].phoneMasked).toMatch(/^147\*{4}\d{4}$/);
    const [sms] = await smsTo(env.sql, citizens[0]!.phone, 'inspections.station_suspended');
    expect(smsTemplates['inspections.station_suspended']!(sms!.payload)).toContain('暂停');

    const [late] = await makeCitizens(env.sql, 1, { start: 60, now });
    await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: late!.cookie, body: { vehicleId: late!.vehicleId, slotId: slot } }), 422, 'inspections.station_not_accepting');
    const search = await ok(await env.call('GET', `/api/v1/inspections/slots?vehicleId=${late!.vehicleId}`, { cookie: late!.cookie }));
    expect(search.stations.map((s: { id: string }) => s.id)).not.toContain(FUTIAN);

    const { notices } = await ok(await env.call('GET', '/api/v1/inspections/notices'));
    expect(notices[0]).toMatchObject({ stationId: FUTIAN, toStatus: 'suspended', reason: 'equipment_failure', pendingBookings: 2 });
    const pending = await ok(await env.call('GET', `/admin-api/inspection-bookings?filter=${encodeURIComponent('{"pending":true}')}`, { cookie: op }));
    expect(pending).toHaveLength(2);
    expect(pending[0].suggestion).toMatchObject({ stationId: BAOAN });
  });

  it('R-36.6 each affected user moves in one tap to the nearest free slot at another station', async () => {
    const c = citizens[0]!;
    const alt = await ok(await env.call('GET', `/api/v1/inspections/bookings/${ids[0]}/alternatives`, { cookie: c.cookie }));
    expect(alt.alternatives.length).toBeGreaterThan(0);
    expect(alt.alternatives.every((a: { stationId: string }) => a.stationId !== FUTIAN)).toBe(true);
    expect(alt.alternatives[0]).toMatchObject({ stationId: BAOAN, day: TOMORROW, startsAt: '09:00' });
    const moved = await ok(await env.call('POST', `/api/v1/inspections/bookings/${ids[0]}/move`, { cookie: c.cookie, body: { slotId: alt.alternatives[0].slotId } }), 201);
    expect(moved).toMatchObject({ station: { id: BAOAN }, status: 'booked' });
    expect(await slotState(env.sql, slot)).toMatchObject({ booked: 1, active: 1 });
    const pending = await ok(await env.call('GET', `/admin-api/inspection-bookings?filter=${encodeURIComponent('{"pending":true}')}`, { cookie: op }));
    expect(pending.map((b: { id: string }) => b.id)).toEqual([ids[1]]);
  });

  it('R-36.6 the city’s 管理岗 resumes it: slots open again, the remaining booking stands, SMS', async () => {
    await problem(await env.call('POST', `/admin-api/inspection-stations/${FUTIAN}/status`, { cookie: sz, body: { status: 'active', reason: 'plan_change' } }), 400, 'request.invalid');
    const r = await ok(await env.call('POST', `/admin-api/inspection-stations/${FUTIAN}/status`, { cookie: sz, body: { status: 'active', reason: 'resumed' } }));
    expect(r.station).toMatchObject({ status: 'active', pendingBookings: 0 });
    expect(await slotState(env.sql, slot)).toMatchObject({ status: 'open' });
    expect(await smsTo(env.sql, citizens[1]!.phone, 'inspections.station_resumed')).toHaveLength(1);
  });

  it('R-36.6 withdrawal is final', async () => {
    await ok(await env.call('POST', `/admin-api/inspection-stations/${FUTIAN}/status`, { cookie: op, body: { status: 'withdrawn', reason: 'licence_revoked' } }));
    await problem(await env.call('POST', `/admin-api/inspection-stations/${FUTIAN}/status`, { cookie: op, body: { status: 'active', reason: 'resumed' } }), 409, 'inspections.station_status_conflict');
    const audits = await env.sql`SELECT action FROM audit_log WHERE entity_type = 'inspection_station' AND action LIKE 'inspections.station_%' ORDER BY id`;
    expect(audits.map((a) => a.action)).toEqual(['inspections.station_suspended', 'inspections.station_resumed', 'inspections.station_withdrawn']);
  });
});

describe('security: every inspections route rejects anonymous and wrong-role callers', async () => {
  const env = await testEnv();
  const citizen = await citizenCookie(env, PHONES.wangfang);
  const intake = await staffCookie(env, 'sz.intake');
  const op = await staffCookie(env, 'station.futian');
  const id = '00000000-0000-4000-8000-000000000000';
  const citizenRoutes: [string, string, unknown?][] = [
    ['GET', '/api/v1/inspections/vehicles'],
    ['GET', `/api/v1/inspections/slots?vehicleId=${id}`],
    ['POST', '/api/v1/inspections/bookings', { vehicleId: id, slotId: id }],
    ['GET', '/api/v1/inspections/bookings'],
    ['GET', `/api/v1/inspections/bookings/${id}`],
    ['POST', `/api/v1/inspections/bookings/${id}/cancel`],
    ['POST', `/api/v1/inspections/bookings/${id}/move`, { slotId: id }],
    ['GET', `/api/v1/inspections/bookings/${id}/alternatives`],
  ];
  const staffRoutes: [string, string, string[], unknown?][] = [
    ['GET', '/admin-api/inspection-scope', ['station_operator', 'review']],
    ['GET', '/admin-api/inspection-stations', ['station_operator', 'review']],
    ['POST', `/admin-api/inspection-stations/${id}/schedule`, ['station_operator'], { openingDays: [1], times: [{ startsAt: '09:00', endsAt: '10:00', capacity: 1 }], vehicleTypes: ['K33'], maxAxleLoadKg: null, brakeTypes: ['hydraulic'] }],
    ['POST', `/admin-api/inspection-stations/${id}/status`, ['station_operator', 'review'], { status: 'suspended', reason: 'plan_change' }],
    ['GET', '/admin-api/inspection-slots', ['station_operator', 'review']],
    ['POST', '/admin-api/inspection-slots/publish', ['station_operator'], { from: TOMORROW, to: TOMORROW }],
    ['POST', '/admin-api/inspection-slots/close', ['station_operator'], { ids: [id], reason: 'other' }],
    ['POST', `/admin-api/inspection-slots/${id}/capacity`, ['station_operator'], { capacity: 1 }],
    ['GET', '/admin-api/inspection-bookings', ['station_operator', 'review']],
    ['POST', `/admin-api/inspection-bookings/${id}/end`, ['station_operator', 'review'], { outcome: 'completed' }],
    ['GET', '/admin-api/inspection-cities', ['review']],
    ['POST', '/admin-api/inspection-cities/440300/booking', ['review'], { enabled: true }],
    ['GET', '/admin-api/inspection-plans', ['review']],
    ['POST', '/admin-api/inspection-plans', ['review'], { entries: [{ stationId: id, quotaPerSlot: 1, fromDay: TOMORROW, toDay: TOMORROW }] }],
    ['POST', '/admin-api/inspection-plans/publish', ['review'], {}],
    ['POST', `/admin-api/inspection-plans/${id}/file`, ['review']],
    ['GET', '/admin-api/inspection-province-plans', ['review']],
  ];

  it.each(citizenRoutes)('%s %s: anonymous → 401', async (method, path, body) => {
    await problem(await env.call(method, path, { body }), 401, 'auth.required');
  });

  it.each(staffRoutes)('%s %s: anonymous and citizens → 401, other posts → 403', async (method, path, roles, body) => {
    await problem(await env.call(method, path, { body }), 401, 'auth.required');
    await problem(await env.call(method, path, { body, cookie: citizen }), 401, 'auth.required');
    await problem(await env.call(method, path, { body, cookie: intake }), 403, 'auth.forbidden');
    if (!roles.includes('station_operator')) await problem(await env.call(method, path, { body, cookie: op }), 403, 'auth.forbidden');
  });

  it('tells each staff member their scope for the inspection screens', async () => {
    expect(await ok(await env.call('GET', '/admin-api/inspection-scope', { cookie: op }))).toMatchObject({ level: 'city', stationId: '80000000-0000-4000-8000-000000000001', canSwitchCity: false });
    expect(await ok(await env.call('GET', '/admin-api/inspection-scope', { cookie: await staffCookie(env, 'sz.review') }))).toMatchObject({ authorityId: '440300', canSwitchCity: true, canPublishProvincePlan: false });
    expect(await ok(await env.call('GET', '/admin-api/inspection-scope', { cookie: await staffCookie(env, 'gd.review') }))).toMatchObject({ authorityId: '440000', level: 'province', canSwitchCity: false, canPublishProvincePlan: true });
  });

  it('a citizen sees only their own bookings: another user’s booking is "not found"', async () => {
    const zw = await citizenCookie(env, PHONES.zhangwei);
    const slot = await makeSlot(env.sql, BAOAN, '2026-12-03', '07:00', 5, env.clock.now());
    const b = await ok(await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_LAVIDA, slotId: slot } }), 201);
    await problem(await env.call('GET', `/api/v1/inspections/bookings/${b.id}`, { cookie: citizen }), 404, 'inspections.booking_not_found');
    await problem(await env.call('POST', `/api/v1/inspections/bookings/${b.id}/cancel`, { cookie: citizen }), 404, 'inspections.booking_not_found');
    await problem(await env.call('GET', `/api/v1/inspections/bookings/${b.id}/alternatives`, { cookie: citizen }), 404, 'inspections.booking_not_found');
  });

  it('English problems: title and detail follow Accept-Language', async () => {
    const ht = await citizenCookie(env, PHONES.huangting);
    const slot = await makeSlot(env.sql, BAOAN, '2026-12-03', '07:30', 5, env.clock.now());
    const p = await problem(await env.call('POST', '/api/v1/inspections/bookings', { cookie: ht, headers: { 'accept-language': 'en' }, body: { vehicleId: HT_FIVE_MONTHS, slotId: slot } }), 422, 'inspections.too_early');
    expect(p.title).toBe('Booking opens three months before the inspection validity ends');
    expect(p.detail).toBe('The inspection is valid until 2027-04-30; you can book from 2027-01-30.');
  });
});
