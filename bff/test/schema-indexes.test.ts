/**
 * Issue 23 (ADR-040 "Plates: one index of the number"): no index of the
 * schema answers nothing another index of its table does not. Every write of
 * a row puts an entry in each of its table's indexes (an update that is not
 * HOT too), so an index whose columns lead another one's, with no uniqueness
 * of its own to keep, costs every write and serves no read.
 */
import { describe, expect, it } from 'vitest';
import { type Index, schemaIndexes } from './indexes.ts';
import { testEnv } from './support.ts';

/** `a` adds nothing to `b`: same table, kind and predicate, its columns lead b's, and it keeps no uniqueness b does not. */
function redundant(a: Index, b: Index): boolean {
  if (a === b || a.table !== b.table || a.method !== b.method || a.predicate !== b.predicate || a.expressions || b.expressions) return false;
  if (a.columns.length > b.columns.length || !a.columns.every((col, k) => b.columns[k] === col)) return false;
  const same = a.columns.length === b.columns.length;
  if (same && a.unique === b.unique) return a.name < b.name; // of two alike, one is named
  return !a.unique;
}

describe('the schema keeps no index another one makes redundant', async () => {
  const env = await testEnv();

  it('the rule: leading columns without uniqueness of their own are redundant; a unique key is not', () => {
    const ix = (name: string, columns: string[], unique = false, predicate: string | null = null): Index => ({ table: 't', name, columns, unique, predicate, expressions: false, method: 'btree' });
    expect(redundant(ix('a', ['x']), ix('b', ['x', 'y']))).toBe(true);
    expect(redundant(ix('a', ['x'], true), ix('b', ['x', 'y']))).toBe(false);
    expect(redundant(ix('a', ['x', 'y']), ix('b', ['x', 'y'], true))).toBe(true);
    expect(redundant(ix('a', ['y']), ix('b', ['x', 'y']))).toBe(false);
    expect(redundant(ix('a', ['x']), ix('b', ['x', 'y'], false, "(status <> 'free')"))).toBe(false);
    expect([redundant(ix('a', ['x']), ix('b', ['x'])), redundant(ix('b', ['x']), ix('a', ['x']))].filter(Boolean)).toHaveLength(1);
  });

  it('every table of the migrated schema', async () => {
    const indexes = await schemaIndexes(env.sql);
    expect(indexes.length).toBeGreaterThan(50);
    const found = indexes.flatMap((a) => indexes.filter((b) => redundant(a, b)).map((b) => `${a.table}: ${a.name} (${a.columns.join(', ')}) adds nothing to ${b.name} (${b.columns.join(', ')})`));
    expect(found).toEqual([]);
  });
});
