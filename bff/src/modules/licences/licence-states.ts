/**
 * 驾驶证状态 — the one vocabulary of driving-licence states (PD-1, as
 * core/vehicle-states.ts for vehicles): every state of `driving_licence.status`,
 * its zh-CN / en name, and which online licence service it blocks. The rules,
 * the refusal texts and the DTOs read it; nothing else lists licence states.
 *
 * - 补换领 is blocked by 记满12分, 逾期未审验, 扣押/扣留/暂扣, 注销,
 *   吊销, 锁定 (注销可恢复 is `cancelled` too). 逾期未换证 does not block: 期满换证
 *   is how it is cured (its own window, X-4.1.5).
 * - 遗失补证 while seized (扣押/扣留/暂扣) — in the list above.
 * - 延期 is blocked by 注销/吊销/扣留/暂扣/锁定 or an expired licence
 *   (逾期未换证 is the expired state; 撤销 has no state of its own here).
 */
export type LicenceService = 'renewal' | 'age_renewal' | 'damage_exchange' | 'loss_replacement' | 'deferral';

const REPLACEMENTS: readonly LicenceService[] = ['renewal', 'age_renewal', 'damage_exchange', 'loss_replacement'];
const ALL: readonly LicenceService[] = [...REPLACEMENTS, 'deferral'];

export const LICENCE_STATES = {
  valid: { 'zh-CN': '正常', en: 'Valid', blocks: [] },
  full_points: { 'zh-CN': '记满12分', en: '12 points reached', blocks: REPLACEMENTS },
  overdue_review: { 'zh-CN': '逾期未审验', en: 'Review overdue', blocks: REPLACEMENTS },
  overdue_renewal: { 'zh-CN': '逾期未换证', en: 'Renewal overdue', blocks: ['deferral'] },
  seized: { 'zh-CN': '扣押', en: 'Seized', blocks: REPLACEMENTS },
  withheld: { 'zh-CN': '扣留', en: 'Withheld', blocks: ALL },
  detained: { 'zh-CN': '暂扣', en: 'Detained', blocks: ALL },
  revoked: { 'zh-CN': '吊销', en: 'Revoked', blocks: ALL },
  cancelled: { 'zh-CN': '注销', en: 'Cancelled', blocks: ALL },
  locked: { 'zh-CN': '锁定', en: 'Locked', blocks: ALL },
} as const satisfies Record<string, { 'zh-CN': string; en: string; blocks: readonly LicenceService[] }>;

export type LicenceState = keyof typeof LICENCE_STATES;
export const licenceStates = Object.keys(LICENCE_STATES) as LicenceState[];

/** The states that block a service, in the vocabulary's order. */
export function licenceStatesBlocking(service: LicenceService): LicenceState[] {
  return licenceStates.filter((s) => (LICENCE_STATES[s].blocks as readonly LicenceService[]).includes(service));
}

/** Whether the licence's state blocks the service (an unknown state blocks everything: never guess). */
export function licenceStateBlocks(state: string, service: LicenceService): boolean {
  const entry = (LICENCE_STATES as Record<string, { blocks: readonly LicenceService[] }>)[state];
  return entry ? entry.blocks.includes(service) : true;
}

/** A state's name in a language; an unknown code is shown as it is. */
export function licenceStateName(state: string, locale: 'zh-CN' | 'en'): string {
  return (LICENCE_STATES as Record<string, { 'zh-CN': string; en: string }>)[state]?.[locale] ?? state;
}
