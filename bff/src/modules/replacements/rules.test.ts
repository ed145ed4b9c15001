import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../platform/calendar.ts';
import { describe as describeCode } from '../../core/catalog.ts';
import { messages } from './messages.ts';

const refusalDetail = (code: string, params: Record<string, string | number> | undefined, locale: 'zh-CN' | 'en') => describeCode(messages, code, params, locale).detail;
import {
  acceptDeadline, barEndsOn, closingStep, decideBar, decideChoices, decideDelivery, decideInsuranceCheck, decideItem, decideUser,
  isBarActive, notCollectedAt, oldItemMustBeHandedOver, pickupDeadlineDay, postAllowed, replacementReference, REPLACEMENT_BLOCKING_STATES,
  transition, type AppFacts, type Command, type Item, type VehicleFacts,
} from './rules.ts';

const car: VehicleFacts = { binding: 'own', states: ['normal'], plateNo: '粤BA1234', plateKind: 'small_blue', hasCertificatePhoto: true };
const city = { onlinePlateKinds: ['small_blue', 'small_new_energy'], openItems: [] as Item[] };

describe('R-26 who may replace online', () => {
  it.each([
    ['R-26 a counter-registered personal user may', { kind: 'personal', registrationChannel: 'counter' }, { ok: true }],
    ['R-26 an online-registered personal user may not', { kind: 'personal', registrationChannel: 'online' }, { ok: false, code: 'replacements.counter_registered_only' }],
    ['R-26 an organisation user may not (PD-6)', { kind: 'organisation', registrationChannel: 'counter' }, { ok: false, code: 'replacements.personal_only' }],
  ] as const)('%s', (_n, user, expected) => {
    expect(decideUser(user)).toEqual(expected);
  });
});

describe('R-27.6 the one-year bar', () => {
  it.each([
    ['R-27.6 a bar starting 2026-11-25 ends (first free day) 2027-11-25', '2026-11-25', '2027-11-25'],
    ['R-27.6 a bar from 29 Feb ends 28 Feb of the next year (PD-2)', '2028-02-29', '2029-02-28'],
  ])('%s', (_n, start, end) => {
    expect(barEndsOn(start)).toBe(end);
  });

  it.each([
    ['R-27.6 the bar holds on its last day', '2027-11-24', true],
    ['R-27.6 the bar is over on its end day', '2027-11-25', false],
    ['R-27.6 the bar holds from its first day', '2026-11-25', true],
  ])('%s', (_n, today, active) => {
    expect(isBarActive({ endsOn: '2027-11-25' }, today)).toBe(active);
  });

  it('R-27.6 the refusal names the latest end date of the active bars', () => {
    const bars = [
      { endsOn: '2027-03-01', reason: 'refused' as const },
      { endsOn: '2027-11-25', reason: 'not_collected' as const },
      { endsOn: '2026-01-01', reason: 'refused' as const },
    ];
    expect(decideBar(bars, '2026-11-25')).toEqual({ ok: false, code: 'replacements.barred', params: { endsOn: '2027-11-25', reason: 'not_collected' } });
    expect(decideBar(bars, '2027-11-25')).toEqual({ ok: true });
    expect(refusalDetail('replacements.barred', { endsOn: '2027-11-25' }, 'zh-CN')).toContain('2027-11-25');
  });
});

describe('R-27.2 blocking vehicle states (PD-1)', () => {
  const named: [string, string][] = [
    ['transferred_out', '转出'], ['stolen_robbed', '被盗抢'], ['out_of_service', '停驶'], ['deregistered', '注销'], ['suspect', '嫌疑车'],
    ['withheld', '扣留'], ['forcibly_deregistered', '强制注销'], ['hit_and_run', '事故逃逸'], ['locked', '锁定'],
  ];
  it('R-27.2 the list holds exactly the nine states the article names', () => {
    expect([...REPLACEMENT_BLOCKING_STATES].sort()).toEqual(named.map(([s]) => s).sort());
  });
  it.each(named)('R-27.2 a vehicle in state %s (%s) is refused with the state named', (state, zh) => {
    expect(decideItem({ ...car, states: [state] }, 'plate', city)).toEqual({ ok: false, code: 'replacements.vehicle_state_blocked', params: { state } });
    expect(refusalDetail('replacements.vehicle_state_blocked', { state }, 'zh-CN')).toContain(zh);
  });
  it('R-27.2 暂扣 (detained) is not 扣留 and does not block a replacement', () => {
    expect(decideItem({ ...car, states: ['detained'] }, 'plate', city)).toEqual({ ok: true });
  });
});

describe('R-27.1, R-27.3, R-28.1 which items of which vehicle', () => {
  it.each([
    ['R-27.1 an own bound vehicle: plate', car, 'plate', { ok: true }],
    ['R-27.1 an own bound vehicle: 行驶证', car, 'vehicle_licence', { ok: true }],
    ['R-27.1 an own bound vehicle: sticker', car, 'inspection_sticker', { ok: true }],
    ['R-27.1 a non-own bound vehicle is refused', { ...car, binding: 'non_own' }, 'plate', { ok: false, code: 'replacements.vehicle_not_own' }],
    ['R-27.1 an organisation vehicle is refused', { ...car, binding: 'organisation' }, 'sticker', { ok: false, code: 'replacements.vehicle_not_own' }],
    ['R-27.1 a vehicle without plate (not registered) has nothing to replace', { ...car, plateNo: null }, 'plate', { ok: false, code: 'replacements.vehicle_not_registered' }],
    ['R-27.3 行驶证 without a certificate photo is refused', { ...car, hasCertificatePhoto: false }, 'vehicle_licence', { ok: false, code: 'replacements.no_certificate_photo' }],
    ['R-27.3 plates without a certificate photo are fine', { ...car, hasCertificatePhoto: false }, 'plate', { ok: true }],
    ['R-28.1 a plate kind the city does not replace online is refused', { ...car, plateKind: 'large_yellow' }, 'plate', { ok: false, code: 'replacements.plate_kind_not_online', params: { plateKind: 'large_yellow' } }],
    ['R-28.1 the plate-kind list does not limit the 行驶证', { ...car, plateKind: 'large_yellow' }, 'vehicle_licence', { ok: true }],
  ] as [string, VehicleFacts, Item | 'sticker', unknown][])('%s', (_n, v, item, expected) => {
    expect(decideItem(v, item === 'sticker' ? 'inspection_sticker' : item, city)).toEqual(expected);
  });

  it('one open application per vehicle and item', () => {
    expect(decideItem(car, 'plate', { ...city, openItems: ['plate'] })).toEqual({ ok: false, code: 'replacements.application_open' });
    expect(decideItem(car, 'vehicle_licence', { ...city, openItems: ['plate'] })).toEqual({ ok: true });
  });
});

describe('R-27.4 delivery, R-28.2 temporary plate, R-29.1.1 insurance certificate', () => {
  it.each([
    ['R-27.4 a first plate replacement may go by post', 'plate', 'post', 0, true],
    ['R-27.4 a second plate replacement may not go by post', 'plate', 'post', 1, false],
    ['R-27.4 a second plate replacement may be collected', 'plate', 'pickup', 3, true],
    ['R-27.4 a 行驶证 may always go by post', 'vehicle_licence', 'post', 5, true],
    ['R-27.4 a sticker may always go by post', 'inspection_sticker', 'post', 5, true],
  ] as [string, Item, 'post' | 'pickup', number, boolean][])('%s', (_n, item, delivery, earlier, ok) => {
    expect(decideDelivery(item, delivery, earlier).ok).toBe(ok);
    if (delivery === 'post') expect(postAllowed(item, earlier)).toBe(ok);
  });

  const base = { item: 'plate' as Item, kind: 'replacement' as const, delivery: 'post' as const, tempPlate: false, insuranceUploadId: null };
  it.each([
    ['R-28.2 a temporary plate may be ordered with plates', { ...base, tempPlate: true }, { ok: true }],
    ['R-28.2 a temporary plate only with plates', { ...base, item: 'vehicle_licence', tempPlate: true }, { ok: false, code: 'replacements.temp_plate_only_with_plate' }],
    ['R-29.1.1 a sticker needs the 交强险 certificate', { ...base, item: 'inspection_sticker' }, { ok: false, code: 'replacements.insurance_certificate_required' }],
    ['R-29.1.1 a sticker with the certificate is fine', { ...base, item: 'inspection_sticker', insuranceUploadId: 'u1' }, { ok: true }],
    ['R-27.4 choices: post refused for a second plate replacement', base, { ok: false, code: 'replacements.post_not_allowed' }, 1],
  ] as [string, Parameters<typeof decideChoices>[0], unknown, number?][])('%s', (_n, input, expected, earlier = 0) => {
    expect(decideChoices(input, earlier)).toEqual(expected);
  });

  const allChecks = { clear: true, complete: true, unaltered: true, valid: true, matchesVehicle: true };
  it.each([
    ['R-29.1.1 every check confirmed: accept', 'inspection_sticker', allChecks, { ok: true }],
    ['R-29.1.1 an altered certificate is not accepted', 'inspection_sticker', { ...allChecks, unaltered: false }, { ok: false, code: 'replacements.insurance_check_failed', params: { failed: 'unaltered' } }],
    ['R-29.1.1 no check recorded: not accepted', 'inspection_sticker', undefined, { ok: false, code: 'replacements.insurance_check_failed', params: { failed: 'clear,complete,unaltered,valid,matchesVehicle' } }],
    ['R-29.1.1 plates need no insurance check', 'plate', undefined, { ok: true }],
  ] as [string, Item, Record<string, boolean> | undefined, unknown][])('%s', (_n, item, check, expected) => {
    expect(decideInsuranceCheck(item, check)).toEqual(expected);
  });
});

describe('deadlines (PD-2, PD-3)', () => {
  const cal = createCalendar();
  it.each([
    ['R-29.1.1 a Wednesday submission is accepted by Thursday 24:00', '2026-11-25T02:00:00Z', '2026-11-26T16:00:00.000Z'],
    ['R-29.1.1 a Friday-evening submission is accepted by Monday 24:00', '2026-11-27T12:00:00Z', '2026-11-30T16:00:00.000Z'],
    ['R-29.1.1 on 30 September (National Day holiday 1–7 October 2026) the deadline is 8 October 24:00', '2026-09-30T03:00:00Z', '2026-10-08T16:00:00.000Z'],
  ])('%s', (_n, at, deadline) => {
    expect(acceptDeadline(cal, new Date(at)).toISOString()).toBe(deadline);
  });

  it.each([
    ['R-27.6 ready on 2026-11-25: the last pickup day is 2026-12-25', '2026-11-25', '2026-12-25'],
    ['R-27.6 ready on 31 January: the last day is 28 February (clamped)', '2027-01-31', '2027-02-28'],
  ])('%s', (_n, ready, last) => {
    expect(pickupDeadlineDay(ready)).toBe(last);
  });

  it('R-27.6 the pickup is overdue from 00:00 Shanghai after the last day', () => {
    expect(notCollectedAt('2026-12-25').toISOString()).toBe('2026-12-25T16:00:00.000Z');
  });
});

describe('R-27.5 the damaged item is handed over', () => {
  it.each([
    ['R-27.5 exchanging damaged plates hands the old ones over', 'plate', 'exchange', true],
    ['R-27.5 exchanging a damaged 行驶证 hands the old one over', 'vehicle_licence', 'exchange', true],
    ['R-27.5 a lost plate has nothing to hand over', 'plate', 'replacement', false],
    ['R-27.5 stickers are not handed over', 'inspection_sticker', 'exchange', false],
  ] as [string, Item, 'exchange' | 'replacement', boolean][])('%s', (_n, item, kind, expected) => {
    expect(oldItemMustBeHandedOver(item, kind)).toBe(expected);
  });
});

describe('the lifecycle (R-29.1, R-29.2)', () => {
  const app = (over: Partial<AppFacts> = {}): AppFacts => ({
    status: 'submitted', item: 'plate', kind: 'replacement', delivery: 'post', archived: false, oldItemHandedOver: null, oldItemDestroyed: false, pickupDeadlineDay: null, ...over,
  });
  const now = new Date('2026-12-26T01:00:00Z');
  it.each([
    ['R-29.1.1 受理岗 accepts a submitted application', app(), 'accept', { ok: true, to: 'accepted' }],
    ['R-29.1.1 受理岗 may reject a submitted application', app(), 'reject', { ok: true, to: 'rejected' }],
    ['the citizen may cancel before acceptance', app(), 'cancel', { ok: true, to: 'cancelled' }],
    ['the citizen may not cancel after acceptance', app({ status: 'accepted' }), 'cancel', { ok: false, code: 'replacements.wrong_status', params: { status: 'accepted', command: 'cancel' } }],
    ['R-29.1.2 accepted items are produced', app({ status: 'accepted' }), 'produce', { ok: true, to: 'produced' }],
    ['R-29.1.2 produced items go to the post', app({ status: 'produced' }), 'send', { ok: true, to: 'sent' }],
    ['R-29.1.2 produced items wait for pickup', app({ status: 'produced', delivery: 'pickup' }), 'send', { ok: true, to: 'ready_for_pickup' }],
    ['R-29.1.3 a delivery is recorded', app({ status: 'sent' }), 'deliver', { ok: true, to: 'delivered' }],
    ['R-29.1.3 a refused delivery is recorded', app({ status: 'sent' }), 'refuse', { ok: true, to: 'refused' }],
    ['R-27.5 an exchange is not delivered without the damaged plate', app({ status: 'sent', kind: 'exchange' }), 'deliver', { ok: false, code: 'replacements.old_item_required' }],
    ['R-27.5 an exchange with the damaged 行驶证 handed over is collected', app({ status: 'ready_for_pickup', delivery: 'pickup', kind: 'exchange', item: 'vehicle_licence' }), 'pick_up', { ok: true, to: 'picked_up' }, { oldItemHandedOver: true }],
    ['R-29.2.1 a delivered case archived earlier is complete at once', app({ status: 'sent', archived: true }), 'deliver', { ok: true, to: 'archived' }],
    ['R-27.6 a pickup is not recorded as uncollected within the month', app({ status: 'ready_for_pickup', delivery: 'pickup', pickupDeadlineDay: '2026-12-26' }), 'not_collected', { ok: false, code: 'replacements.pickup_not_overdue', params: { lastDay: '2026-12-26' } }],
    ['R-27.6 after the month the pickup is uncollected', app({ status: 'ready_for_pickup', delivery: 'pickup', pickupDeadlineDay: '2026-12-25' }), 'not_collected', { ok: true, to: 'not_collected' }],
    ['R-29.2.1 档案岗 archives a delivered case', app({ status: 'delivered' }), 'archive', { ok: true, to: 'archived' }],
    ['R-29.2.1 档案岗 may file a case still in the post (status unchanged)', app({ status: 'sent' }), 'archive', { ok: true, to: 'sent' }],
    ['R-29.2.1 a submitted case is not archived', app(), 'archive', { ok: false, code: 'replacements.wrong_status', params: { status: 'submitted', command: 'archive' } }],
    ['R-29.2.2 档案岗 destroys a damaged plate that was handed back', app({ status: 'delivered', oldItemHandedOver: true }), 'destroy_old_item', { ok: true, to: 'delivered' }],
    ['R-29.2.2 nothing handed back: nothing to destroy', app({ status: 'delivered', oldItemHandedOver: false }), 'destroy_old_item', { ok: false, code: 'replacements.nothing_to_destroy' }],
    ['R-29.2.2 a returned item is destroyed once', app({ status: 'archived', archived: true, oldItemHandedOver: true, oldItemDestroyed: true }), 'destroy_old_item', { ok: false, code: 'replacements.nothing_to_destroy' }],
    ['R-29.2.3 a refused, archived case: restore the certificate-core number', app({ status: 'refused', archived: true }), 'restore_core_number', { ok: true, to: 'core_number_restored' }],
    ['R-29.2.3 a refused, unarchived case: withdraw (退办)', app({ status: 'refused' }), 'withdraw', { ok: true, to: 'withdrawn' }],
    ['R-29.2.3 an unarchived case cannot have its number restored', app({ status: 'not_collected' }), 'restore_core_number', { ok: false, code: 'replacements.archive_first' }],
    ['R-29.2.3 an archived case is not withdrawn', app({ status: 'not_collected', archived: true }), 'withdraw', { ok: false, code: 'replacements.already_archived' }],
  ] as [string, AppFacts, Command, unknown, { oldItemHandedOver?: boolean }?][])('%s', (_n, facts, command, expected, opts = {}) => {
    expect(transition(facts, command, { ...opts, now })).toEqual(expected);
  });

  it('R-29.2.3 the closing step follows the archive', () => {
    expect(closingStep(true)).toBe('restore_core_number');
    expect(closingStep(false)).toBe('withdraw');
  });

  it('reference numbers carry the authority and the Shanghai day', () => {
    expect(replacementReference('440300', new Date('2026-11-24T17:00:00Z'), 42)).toBe('BH44030020261125000042');
  });
});
