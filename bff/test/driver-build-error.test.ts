/**
 * The database driver when a statement cannot be built (postgres.js 3.4.9
 * src/connection.js `execute()`, patched: patches/postgres@3.4.9.patch,
 * ADR-014). A parameter that is `undefined`, an invalid Date, or
 * a JSON value that cannot be serialised makes the build throw before a byte
 * is sent. Unpatched, when that statement was pipelined behind another one
 * on the same connection, the driver rejected the statement *in flight* with
 * the error, left the failed one in its list of sent statements, and then
 * matched every later answer on that connection to the statement before it:
 * one request's rows went to another request — another citizen's data — until
 * the connection closed. Patched, only the failed statement fails; nothing
 * was sent for it, so nothing on the wire changes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from './support.ts';
import { createSql } from '../src/db.ts';

/** The answer, or 'no answer' after a few seconds (the unpatched driver leaves the last statement waiting forever). */
function within<T>(p: Promise<T>, ms = 3000): Promise<T | 'no answer'> {
  return Promise.race([p, new Promise<'no answer'>((r) => setTimeout(() => r('no answer'), ms).unref())]);
}
const answerOf = (s: PromiseSettledResult<unknown>) =>
  s.status === 'rejected' ? `rejected: ${(s.reason as { code?: string }).code}` : s.value === 'no answer' ? 'no answer' : (s.value as { v: unknown }[])[0]?.v;
/** One statement's answer as {@link answerOf} says it. */
const answer = async (p: Promise<unknown>) => answerOf((await Promise.allSettled([within(p)]))[0]!);

describe('postgres.js: a statement that cannot be built (patched)', async () => {
  const env = await testEnv();
  // One connection, so the statements below share it (postgres.js pipelines statements
  // without parameters, and prepared ones, on a busy connection).
  const one = createSql(env.url, { max: 1 });
  afterAll(async () => {
    await one.end({ timeout: 1 });
  });

  it('fails alone: the statement in flight and those after it get their own answers', async () => {
    const ask = (tag: string) => one.unsafe<{ v: string }[]>(`SELECT '${tag}'::text AS v, pg_sleep(0.05)::text AS s`);
    await ask('warm'); // the connection is open, so the next ones pipeline on it
    const inFlight = ask('a');
    const broken = one`SELECT ${undefined as unknown as string}::text AS v`;
    const after = [ask('c'), ask('d'), ask('e')];
    const settled = await Promise.allSettled([inFlight, broken, ...after].map((p) => within(p)));
    expect(settled.map(answerOf)).toEqual(['a', 'rejected: UNDEFINED_VALUE', 'c', 'd', 'e']);
    // The connection is still in step: a parameterised statement, then a plain one.
    expect(await answer(one`SELECT ${'f'}::text AS v`)).toBe('f');
    expect(await answer(ask('g'))).toBe('g');
  });

  it('fails alone when nothing else is in flight, and the connection goes on', async () => {
    expect(await answer(one`SELECT ${new Date('not a date')}::timestamptz AS v`)).toMatch(/^rejected/);
    expect(await answer(one`SELECT ${'h'}::text AS v`)).toBe('h');
  });

  it('fails alone many times over under load: no answer ever reaches another statement', async () => {
    const wide = createSql(env.url, { max: 4 });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 2000 }, (_, i) =>
          within(i % 7 === 3 ? wide`SELECT ${undefined as unknown as number}::int AS v` : wide<{ v: number }[]>`SELECT ${i}::int AS v`, 10_000),
        ),
      );
      const wrong = results.map(answerOf).filter((a, i) => (i % 7 === 3 ? a !== 'rejected: UNDEFINED_VALUE' : a !== i));
      expect(wrong).toEqual([]);
    } finally {
      await wide.end({ timeout: 1 });
    }
  });
});
