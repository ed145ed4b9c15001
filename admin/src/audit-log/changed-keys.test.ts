import { describe, expect, it } from 'vitest';
import { changedKeys } from './changed-keys.ts';

describe('changedKeys', () => {
  it('names the top-level fields that differ, including added and removed ones', () => {
    expect(changedKeys({ kind: 'holiday', note: '', same: 1 }, { kind: 'workday', same: 1, extra: true })).toEqual([
      'extra',
      'kind',
      'note',
    ]);
  });

  it('treats a creation (before = null) as every field changed, and compares nested values', () => {
    expect(changedKeys(null, { a: 1, b: { c: 2 } })).toEqual(['a', 'b']);
    expect(changedKeys({ b: { c: 2 } }, { b: { c: 2 } })).toEqual([]);
  });
});
