/**
 * The database driver's internal queue (postgres.js 3.4.9 src/queue.js), as
 * patched (patches/postgres@3.4.9.patch, ADR-014). `shift()` only
 * blanks the slot it takes and empties the array when the queue drains;
 * `remove()` searched the whole array. The queue of busy connections of a
 * pool under steady load never drains — every pipelined query shifts a
 * connection and pushes it back — so the array grew by one hole per query and
 * every `remove()` scanned them all: 23 % of the bff's CPU on the read path
 * after ten seconds (`pnpm bench --profile`), and more the longer the load
 * lasted. The patch searches only the live part and drops the holes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

type Q<T> = { length: number; push(x: T): T; shift(): T; remove(x: T): T | null };

async function driverQueue<T>(): Promise<Q<T>> {
  // The package's exports map hides src/; the ESM build sits beside the CommonJS one.
  const cjsIndex = createRequire(import.meta.url).resolve('postgres');
  const file = path.join(path.dirname(cjsIndex), '..', '..', 'src', 'queue.js');
  const mod = (await import(pathToFileURL(file).href)) as { default: () => Q<T> };
  return mod.default();
}

describe('postgres.js connection queue (patched)', () => {
  it('a queue that never drains keeps remove() to its live entries (100,000 pipelined queries on 4 busy connections)', async () => {
    const busy = await driverQueue<{ n: number }>();
    const conns = [0, 1, 2, 3].map((n) => ({ n }));
    for (const c of conns) busy.push(c);
    let widest = 0;
    const indexOf = Array.prototype.indexOf;
    // How many entries each search may visit (deterministic, unlike a timing).
    Array.prototype.indexOf = function (this: unknown[], x: unknown, from = 0) {
      widest = Math.max(widest, this.length - from);
      return indexOf.call(this, x, from);
    };
    try {
      for (let i = 0; i < 100_000; i++) {
        // index.js handler(): go(busy.shift(), query) → move(c, busy): c.queue.remove(c); busy.push(c)
        const c = busy.shift();
        busy.remove(c);
        busy.push(c);
      }
    } finally {
      Array.prototype.indexOf = indexOf;
    }
    expect(widest).toBeLessThanOrEqual(4);
    expect(busy.length).toBe(4);
  });

  it('is still a first-in first-out queue whose remove() takes a live entry out', async () => {
    const q = await driverQueue<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) expect(q.shift()).toBe(i);
    expect(q.remove(2999)).toBeNull(); // already taken
    expect(q.remove(4000)).toBe(4000);
    expect(q.length).toBe(1999);
    const rest: number[] = [];
    while (q.length) rest.push(q.shift());
    expect(rest).toEqual(Array.from({ length: 2000 }, (_, k) => 3000 + k).filter((x) => x !== 4000));
    q.push(7);
    expect(q.shift()).toBe(7);
  });
});
