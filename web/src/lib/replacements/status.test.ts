import { describe, expect, it } from 'vitest';
import { statusTag, timeline } from './status.ts';

describe('the citizen’s progress timeline', () => {
  it('shows done, current and coming steps of a posted application', () => {
    const steps = timeline({ status: 'accepted', delivery: 'post', events: [{ at: 't1', status: 'submitted', note: null }, { at: 't2', status: 'accepted', note: null }] });
    expect(steps.map((s) => [s.key, s.state])).toEqual([['submitted', 'done'], ['accepted', 'done'], ['produced', 'current'], ['sent', 'todo'], ['delivered', 'todo']]);
  });
  it('R-27.6 a pickup not collected ends the line with the bar day as its note', () => {
    const events = ['submitted', 'accepted', 'produced', 'ready_for_pickup'].map((status, i) => ({ at: `t${i}`, status, note: null as string | null }));
    events.push({ at: 't9', status: 'not_collected', note: '2027-12-26' });
    const steps = timeline({ status: 'not_collected', delivery: 'pickup', events });
    expect(steps.map((s) => s.key)).toEqual(['submitted', 'accepted', 'produced', 'ready_for_pickup', 'not_collected']);
    expect(steps.at(-1)).toMatchObject({ state: 'done', note: '2027-12-26' });
  });
  it('colours refusals as errors and completions as done', () => {
    expect(statusTag('refused')).toBe('tag--error');
    expect(statusTag('picked_up')).toBe('tag--ok');
    expect(statusTag('submitted')).toBe('tag--info');
  });
});
