/**
 * 机动车状态 — the one vocabulary of vehicle states (PD-1): every state the
 * spec names, its zh-CN / en name, and which online services it blocks.
 * 扣留 (`withheld`) and 暂扣 (`detained`) stay distinct: R-27.2 names 扣留 for
 * replacements, R-35.2 names 暂扣 for inspection booking. Read by the
 * modules' rules, their refusal texts, web and admin (package export
 * `bff/vehicle-states`); nothing else lists states.
 */
export type BlockableService = 'replacement' | 'inspection_booking';

const BOTH: readonly BlockableService[] = ['replacement', 'inspection_booking'];

export const VEHICLE_STATES = {
  normal: { 'zh-CN': '正常', en: 'Normal', blocks: [] },
  transferred_out: { 'zh-CN': '转出', en: 'Transferred out', blocks: BOTH },
  stolen_robbed: { 'zh-CN': '被盗抢', en: 'Stolen or robbed', blocks: BOTH },
  out_of_service: { 'zh-CN': '停驶', en: 'Out of service', blocks: BOTH },
  deregistered: { 'zh-CN': '注销', en: 'Deregistered', blocks: BOTH },
  suspect: { 'zh-CN': '嫌疑车', en: 'Suspect vehicle', blocks: BOTH },
  // names 扣留: a withheld vehicle may still be booked for inspection.
  withheld: { 'zh-CN': '扣留', en: 'Withheld', blocks: ['replacement'] },
  // names 暂扣: a detained vehicle may still have its plates replaced.
  detained: { 'zh-CN': '暂扣', en: 'Detained', blocks: ['inspection_booking'] },
  forcibly_deregistered: { 'zh-CN': '强制注销', en: 'Forcibly deregistered', blocks: BOTH },
  hit_and_run: { 'zh-CN': '事故逃逸', en: 'Hit and run', blocks: BOTH },
  locked: { 'zh-CN': '锁定', en: 'Locked', blocks: BOTH },
} as const satisfies Record<string, { 'zh-CN': string; en: string; blocks: readonly BlockableService[] }>;

export type VehicleState = keyof typeof VEHICLE_STATES;
export const vehicleStates = Object.keys(VEHICLE_STATES) as VehicleState[];

/** The states that block a service, in the vocabulary's order (the order a refusal names the first). */
export function statesBlocking(service: BlockableService): VehicleState[] {
  return vehicleStates.filter((s) => (VEHICLE_STATES[s].blocks as readonly BlockableService[]).includes(service));
}

/** The first of a vehicle's states that blocks the service, or null. */
export function blockingState(states: readonly string[], service: BlockableService): VehicleState | null {
  return statesBlocking(service).find((s) => states.includes(s)) ?? null;
}

/** A state's name (a label, as on the vehicle record) in a language; an unknown code is shown as it is. */
export function vehicleStateName(state: string, locale: 'zh-CN' | 'en'): string {
  return (VEHICLE_STATES as Record<string, { 'zh-CN': string; en: string }>)[state]?.[locale] ?? state;
}

/** Every state's name in a language, by code: the web app's labels. */
export function vehicleStateLabels(locale: 'zh-CN' | 'en'): Record<VehicleState, string> {
  return Object.fromEntries(vehicleStates.map((s) => [s, VEHICLE_STATES[s][locale]])) as Record<VehicleState, string>;
}
