import { describe, expect, it } from 'vitest';
import { groupByPost, listPath, type DashboardQueue } from './board.ts';

const q = (post: string, key: string, filter: Record<string, string> = {}): DashboardQueue => ({ post, key, resource: 'replacements', filter, count: 1, overdue: 0, dueToday: 0, nextDueAt: null });

describe('issue 18 dashboard per post', () => {
  it('groups queues under their posts in the bff\'s order', () => {
    const groups = groupByPost([q('intake', 'a'), q('review', 'b'), q('intake', 'c')]);
    expect(groups.map(([p, qs]) => [p, qs.map((x) => x.key)])).toEqual([['intake', ['a', 'c']], ['review', ['b']]]);
  });

  it('links each count to the list filtered to exactly those rows', () => {
    expect(listPath(q('intake', 'a', { queue: 'intake' }))).toBe('/replacements?filter=%7B%22queue%22%3A%22intake%22%7D');
    expect(listPath(q('review', 'b'))).toBe('/replacements');
  });
});
