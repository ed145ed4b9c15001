/**
 * 补、换领机动车号牌、行驶证、检验合格标志 — the pure rules of 第三章第二节
 * (R-26 … R-29). No SQL, no HTTP, no clock: "today" comes in as an
 * Asia/Shanghai calendar day ('YYYY-MM-DD') and instants as `Date`s decided by
 * the caller from the request's `now`.
 */
import { blockingState, statesBlocking } from '../../core/vehicle-states.ts';
import { addCalendarMonths, addCalendarYears, addDays, shanghaiDay, startOfShanghaiDay, type WorkingDayCalendar } from '../../platform/calendar.ts';

/** 号牌 / 行驶证 / 检验合格标志 */
export const ITEMS = ['plate', 'vehicle_licence', 'inspection_sticker'] as const;
export type Item = (typeof ITEMS)[number];
/** 补领 (lost) / 换领 (damaged) */
export const KINDS = ['replacement', 'exchange'] as const;
export type Kind = (typeof KINDS)[number];
export const DELIVERIES = ['post', 'pickup'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export const STATUSES = [
  'submitted', 'accepted', 'rejected', 'cancelled', 'produced', 'sent', 'ready_for_pickup',
  'delivered', 'picked_up', 'refused', 'not_collected', 'archived', 'withdrawn', 'core_number_restored',
] as const;
export type Status = (typeof STATUSES)[number];
/** Statuses of an application still in progress (one per vehicle and item, a partial unique index). */
export const OPEN_STATUSES: readonly Status[] = ['submitted', 'accepted', 'produced', 'sent', 'ready_for_pickup'];

export type RefusalCode =
  | 'replacements.personal_only'
  | 'replacements.counter_registered_only'
  | 'replacements.barred'
  | 'replacements.vehicle_not_own'
  | 'replacements.vehicle_not_registered'
  | 'replacements.vehicle_state_blocked'
  | 'replacements.no_certificate_photo'
  | 'replacements.plate_kind_not_online'
  | 'replacements.application_open'
  | 'replacements.post_not_allowed'
  | 'replacements.temp_plate_only_with_plate'
  | 'replacements.insurance_certificate_required'
  | 'replacements.insurance_check_failed'
  | 'replacements.old_item_required'
  | 'replacements.pickup_not_overdue'
  | 'replacements.wrong_status'
  | 'replacements.archive_first'
  | 'replacements.already_archived'
  | 'replacements.nothing_to_destroy';
export type Refusal = { ok: false; code: RefusalCode; params?: Record<string, string | number> };
export type Ok = { ok: true };

const refuse = (code: RefusalCode, params?: Record<string, string | number>): Refusal => (params ? { ok: false, code, params } : { ok: false, code });
const OK: Ok = { ok: true };

// ---------------------------------------------------------------------------
// who may use the service; — the one-year bar
// ---------------------------------------------------------------------------

export type UserFacts = { kind: 'personal' | 'organisation'; registrationChannel: 'online' | 'counter' };

/**
 * only window-registered (窗口注册) personal users; organisation users
 * are not named (PD-6) and online-registered users get the other services only.
 */
export function decideUser(u: UserFacts): Ok | Refusal {
  if (u.kind !== 'personal') return refuse('replacements.personal_only');
  if (u.registrationChannel !== 'counter') return refuse('replacements.counter_registered_only');
  return OK;
}

export type Bar = { endsOn: string; reason: 'refused' | 'not_collected' };

/** the bar lasts one calendar year from the day it started; `endsOn` is the first free day. */
export function barEndsOn(startDay: string): string {
  return addCalendarYears(startDay, 1);
}

/** a bar is active before its end day. */
export function isBarActive(bar: { endsOn: string }, today: string): boolean {
  return today < bar.endsOn;
}

/** the latest active bar among several, as a refusal naming its end date. */
export function decideBar(bars: readonly Bar[], today: string): Ok | Refusal {
  const active = bars.filter((b) => isBarActive(b, today)).sort((a, b) => b.endsOn.localeCompare(a.endsOn))[0];
  return active ? refuse('replacements.barred', { endsOn: active.endsOn, reason: active.reason }) : OK;
}

// ---------------------------------------------------------------------------
// … — which items of which vehicle
// ---------------------------------------------------------------------------

/**
 * R-27.2 (PD-1: the list as data, in one place): 转出, 被盗抢, 停驶, 注销,
 * 嫌疑车, 扣留, 强制注销, 事故逃逸, 锁定. 扣留 is `withheld`; 暂扣 (`detained`)
 * is not in this list (it blocks inspection booking, R-35.2, instead).
 */
export const REPLACEMENT_BLOCKING_STATES = statesBlocking('replacement');

export type VehicleFacts = {
  binding: 'own' | 'non_own' | 'organisation';
  states: readonly string[];
  plateNo: string | null;
  plateKind: string;
  hasCertificatePhoto: boolean;
};

/** the user's own bound vehicle (a non-own one is visible but not eligible). */
export function decideVehicle(v: VehicleFacts): Ok | Refusal {
  if (v.binding !== 'own') return refuse('replacements.vehicle_not_own');
  if (v.plateNo === null) return refuse('replacements.vehicle_not_registered');
  const blocking = blockingState(v.states, 'replacement');
  return blocking ? refuse('replacements.vehicle_state_blocked', { state: blocking }) : OK;
}

/**
 * One item of one vehicle, R-27.3 (行驶证 needs a stored
 * certificate photo), R-28.1 (the city replaces this plate kind online), and
 * one open application per vehicle and item.
 */
export function decideItem(v: VehicleFacts, item: Item, ctx: { onlinePlateKinds: readonly string[]; openItems: readonly Item[] }): Ok | Refusal {
  const vehicle = decideVehicle(v);
  if (!vehicle.ok) return vehicle;
  if (item === 'vehicle_licence' && !v.hasCertificatePhoto) return refuse('replacements.no_certificate_photo');
  if (item === 'plate' && !ctx.onlinePlateKinds.includes(v.plateKind)) return refuse('replacements.plate_kind_not_online', { plateKind: v.plateKind });
  if (ctx.openItems.includes(item)) return refuse('replacements.application_open');
  return OK;
}

// ---------------------------------------------------------------------------
// delivery, hand-over, temporary plate, insurance
// ---------------------------------------------------------------------------

/**
 * post or pickup, but a plate replacement that is not the vehicle's
 * first must be collected. `earlierPlateApplications` counts the vehicle's
 * earlier plate applications that were not rejected or cancelled.
 */
export function decideDelivery(item: Item, delivery: Delivery, earlierPlateApplications: number): Ok | Refusal {
  if (delivery === 'post' && item === 'plate' && earlierPlateApplications > 0) return refuse('replacements.post_not_allowed');
  return OK;
}

/** whether post is offered at all for this item of this vehicle. */
export function postAllowed(item: Item, earlierPlateApplications: number): boolean {
  return decideDelivery(item, 'post', earlierPlateApplications).ok;
}

/** a damaged plate or 行驶证 being exchanged is handed over at delivery or pickup. */
export function oldItemMustBeHandedOver(item: Item, kind: Kind): boolean {
  return kind === 'exchange' && (item === 'plate' || item === 'vehicle_licence');
}

export type ApplicationInput = {
  item: Item;
  kind: Kind;
  delivery: Delivery;
  tempPlate: boolean;
  insuranceUploadId: string | null;
};

/**
 * The application's own choices: delivery, R-28.2 a temporary plate
 * only with a plate, R-29.1.1 a sticker needs the 交强险 certificate image.
 */
export function decideChoices(input: ApplicationInput, earlierPlateApplications: number): Ok | Refusal {
  const delivery = decideDelivery(input.item, input.delivery, earlierPlateApplications);
  if (!delivery.ok) return delivery;
  if (input.tempPlate && input.item !== 'plate') return refuse('replacements.temp_plate_only_with_plate');
  if (input.item === 'inspection_sticker' && !input.insuranceUploadId) return refuse('replacements.insurance_certificate_required');
  return OK;
}

/** what 受理岗 confirms about the 交强险 certificate image of a sticker application. */
export const INSURANCE_CHECKS = ['clear', 'complete', 'unaltered', 'valid', 'matchesVehicle'] as const;
export type InsuranceCheck = Record<(typeof INSURANCE_CHECKS)[number], boolean>;

/**
 * a sticker application is accepted only when every check of its
 * certificate image passed; a failed check means rejecting it with the reason.
 */
export function decideInsuranceCheck(item: Item, check: Partial<InsuranceCheck> | undefined): Ok | Refusal {
  if (item !== 'inspection_sticker') return OK;
  const failed = INSURANCE_CHECKS.filter((k) => check?.[k] !== true);
  return failed.length ? refuse('replacements.insurance_check_failed', { failed: failed.join(',') }) : OK;
}

// ---------------------------------------------------------------------------
// Deadlines (PD-2)
// ---------------------------------------------------------------------------

/** R-29.1.1 / PD-3: 受理岗 accepts by 24:00 of the next working day (an SLA timer). */
export function acceptDeadline(cal: WorkingDayCalendar, submittedAt: Date): Date {
  return cal.deadlineAfterWorkingDays(submittedAt, 1);
}

/** an item put out for pickup on `readyDay` is collected by the same day one calendar month later. */
export function pickupDeadlineDay(readyDay: string): string {
  return addCalendarMonths(readyDay, 1);
}

/** the instant the pickup becomes overdue (00:00 after the last day). */
export function notCollectedAt(deadlineDay: string): Date {
  return startOfShanghaiDay(addDays(deadlineDay, 1));
}

export function isPickupOverdue(deadlineDay: string, now: Date): boolean {
  return shanghaiDay(now) > deadlineDay;
}

// ---------------------------------------------------------------------------
// The lifecycle
// ---------------------------------------------------------------------------

export type Command =
  | 'cancel' | 'accept' | 'reject' | 'produce' | 'send' | 'deliver' | 'refuse' | 'pick_up' | 'not_collected'
  | 'archive' | 'destroy_old_item' | 'restore_core_number' | 'withdraw';

export type AppFacts = {
  status: Status;
  item: Item;
  kind: Kind;
  delivery: Delivery;
  archived: boolean;
  oldItemHandedOver: boolean | null;
  oldItemDestroyed: boolean;
  pickupDeadlineDay: string | null;
};

const FROM: Record<Command, readonly Status[]> = {
  cancel: ['submitted'],
  accept: ['submitted'],
  reject: ['submitted'],
  produce: ['accepted'],
  send: ['produced'],
  deliver: ['sent'],
  refuse: ['sent'],
  pick_up: ['ready_for_pickup'],
  not_collected: ['ready_for_pickup'],
  // a case is filed once its items exist; refused or uncollected cases are closed instead
  archive: ['produced', 'sent', 'ready_for_pickup', 'delivered', 'picked_up'],
  destroy_old_item: ['delivered', 'picked_up', 'archived'],
  restore_core_number: ['refused', 'not_collected'],
  withdraw: ['refused', 'not_collected'],
};

/**
 * The next status of an application for a command, or why not. Pure: the
 * caller supplies the facts (and `now` for the pickup deadline).
 */
export function transition(app: AppFacts, command: Command, opts: { oldItemHandedOver?: boolean; now?: Date } = {}): { ok: true; to: Status } | Refusal {
  if (!FROM[command].includes(app.status)) return refuse('replacements.wrong_status', { status: app.status, command });
  switch (command) {
    case 'cancel':
      return { ok: true, to: 'cancelled' };
    case 'accept':
      return { ok: true, to: 'accepted' };
    case 'reject':
      return { ok: true, to: 'rejected' };
    case 'produce':
      return { ok: true, to: 'produced' };
    case 'send':
      return { ok: true, to: app.delivery === 'post' ? 'sent' : 'ready_for_pickup' };
    case 'deliver':
    case 'pick_up':
      // the damaged item changes hands with the new one
      if (oldItemMustBeHandedOver(app.item, app.kind) && opts.oldItemHandedOver !== true) return refuse('replacements.old_item_required');
      if (app.archived) return { ok: true, to: 'archived' };
      return { ok: true, to: command === 'deliver' ? 'delivered' : 'picked_up' };
    case 'refuse':
      return { ok: true, to: 'refused' };
    case 'not_collected':
      if (!app.pickupDeadlineDay || !opts.now || !isPickupOverdue(app.pickupDeadlineDay, opts.now)) {
        return refuse('replacements.pickup_not_overdue', { lastDay: app.pickupDeadlineDay ?? '' });
      }
      return { ok: true, to: 'not_collected' };
    case 'archive':
      if (app.archived) return refuse('replacements.already_archived');
      return { ok: true, to: app.status === 'delivered' || app.status === 'picked_up' ? 'archived' : app.status };
    case 'destroy_old_item':
      // only what was actually handed back, once
      if (app.oldItemHandedOver !== true || app.oldItemDestroyed) return refuse('replacements.nothing_to_destroy');
      return { ok: true, to: app.status };
    case 'restore_core_number':
      // an archived case gets its certificate-core number restored …
      return app.archived ? { ok: true, to: 'core_number_restored' } : refuse('replacements.archive_first');
    case 'withdraw':
      // … one not yet archived is withdrawn (退办)
      return app.archived ? refuse('replacements.already_archived') : { ok: true, to: 'withdrawn' };
  }
}

/** which closing step a refused or uncollected case takes. */
export function closingStep(archived: boolean): 'restore_core_number' | 'withdraw' {
  return archived ? 'restore_core_number' : 'withdraw';
}

/** Reference number (业务流水号): BH + authority + Shanghai day + 6 digits. */
export function replacementReference(authorityId: string, now: Date, seq: number): string {
  return `BH${authorityId}${shanghaiDay(now).replace(/-/g, '')}${String(seq % 1_000_000).padStart(6, '0')}`;
}
