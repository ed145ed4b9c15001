import { describe, expect, it } from 'vitest';
import { buildPercent, nextCommand, parseSerialList, startAtOf } from './lifecycle.ts';

describe('plate plan lifecycle helpers', () => {
  it.each([
    ['draft', 'submit'],
    ['submitted', 'approve'],
    ['approved', 'publish'],
    ['published', 'build-pool'],
    ['building', null],
    ['pool_built', 'open'],
    ['open', 'close'],
    ['closed', null],
    ['nonsense', null],
  ])('R-25 the next step after %s is %s', (status, command) => {
    expect(nextCommand(status)).toBe(command);
  });

  it('reads withheld numbers from lines, commas and blanks', () => {
    expect(parseSerialList('8aa88, 8BB88\n8aa88  8CC88，8DD88')).toEqual(['8AA88', '8BB88', '8CC88', '8DD88']);
    expect(parseSerialList('')).toEqual([]);
  });

  it('starts a segment at 00:00 Beijing time of its day', () => {
    expect(new Date(startAtOf('2026-12-01')).toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('shows build progress in whole percent', () => {
    expect(buildPercent({ cursor: 25_000, total: 57_600 })).toBe(43);
    expect(buildPercent({ cursor: 0, total: 0 })).toBe(0);
  });
});
