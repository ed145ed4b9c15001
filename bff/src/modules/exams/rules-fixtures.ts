/** Facts the pure exam-rule tests start from (rules.test.ts, rules-mutation.test.ts): a C1 learner past 科目一 and an open 科目二 plan. */
import type { PermitFacts, PlanFacts } from './rules.ts';

export const permit = (over: Partial<PermitFacts> = {}): PermitFacts => ({
  class: 'C1', status: 'active', issuedOn: '2026-09-01', validUntil: '2029-08-31', holdsAutomobileClass: false,
  passed: { 1: '2026-10-10', 2: null, 3: null }, sittings: { 2: 0, 3: 0 }, rebookFrom: { 2: null, 3: null },
  examStationId: 'S1', locationChanges: 0, ...over,
});
export const plan = (over: Partial<PlanFacts> = {}): PlanFacts => ({
  subject: 2, classes: ['C1', 'C2'], examDate: '2026-12-20', stationId: 'S1', closesAt: new Date('2026-12-14T16:00:00Z'), status: 'open', together23: false, ...over,
});
export const NOW = new Date('2026-11-25T02:00:00Z');
export const TODAY = '2026-11-25';
