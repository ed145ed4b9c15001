/**
 * Mutation-testing companions to rules.test.ts (issue 18): lifecycle edges
 * StrykerJS showed were not asserted.
 */
import { describe, expect, it } from 'vitest';
import { transition, type AppFacts } from './rules.ts';

const app = (over: Partial<AppFacts> = {}): AppFacts => ({
  status: 'submitted', item: 'plate', kind: 'replacement', delivery: 'post', archived: false, oldItemHandedOver: null, oldItemDestroyed: false, pickupDeadlineDay: null, ...over,
});
const now = new Date('2026-12-26T01:00:00Z');

describe('the lifecycle (R-27.6, R-29.2.1)', () => {
  it('R-27.6 an uncollected pickup is recorded only against a known last day, and only with the clock', () => {
    const waiting = app({ status: 'ready_for_pickup', delivery: 'pickup' });
    expect(transition(waiting, 'not_collected', { now })).toEqual({ ok: false, code: 'replacements.pickup_not_overdue', params: { lastDay: '' } });
    expect(transition({ ...waiting, pickupDeadlineDay: '2026-12-25' }, 'not_collected')).toEqual({
      ok: false, code: 'replacements.pickup_not_overdue', params: { lastDay: '2026-12-25' },
    });
  });

  it('R-29.2.1 a case is filed once: an archived case is not archived again', () => {
    expect(transition(app({ status: 'sent', archived: true }), 'archive', { now })).toEqual({ ok: false, code: 'replacements.already_archived' });
  });

  it('R-29.2.1 档案岗 archives a collected case (picked up → archived)', () => {
    expect(transition(app({ status: 'picked_up', delivery: 'pickup' }), 'archive', { now })).toEqual({ ok: true, to: 'archived' });
    expect(transition(app({ status: 'ready_for_pickup', delivery: 'pickup' }), 'archive', { now })).toEqual({ ok: true, to: 'ready_for_pickup' });
  });
});
