/**
 * CHAOS: PostgreSQL stops and starts again under load. While it is down the
 * bff answers 503 with a problem+json (`request.unavailable`, Retry-After),
 * never a 500 and never a crash; once it is back the same process serves
 * again by itself, without a restart. The server is an embedded PostgreSQL of
 * this test's own (its own data folder and port), so stopping it disturbs
 * nothing else.
 */
import { afterAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { call, citizens, ownPostgres, sleep, slot, startBff, waitFor, type Answer, type BffProcess, type OwnPostgres } from './support.ts';
import { createSql } from '../../src/db.ts';

type Seen = Answer & { start: number; at: number; phase: 'up' | 'down' | 'back'; retryAfter?: string | null; path: string };

describe('CHAOS restart PostgreSQL during load', async () => {
  let pg: OwnPostgres | undefined;
  let bff: BffProcess | undefined;
  afterAll(async () => {
    await bff?.stop();
    await pg?.destroy();
  });

  it('503 problem+json while it is down, no 5xx otherwise, the process stays up and recovers by itself', async () => {
    pg = await ownPostgres();
    const sql = createSql(pg.url, { max: 2 });
    const people = await citizens(sql, 1, 40);
    const slotId = await slot(sql, 12, 0, 1000);
    await sql.end();
    bff = await startBff(pg.url);

    let phase: Seen['phase'] = 'up';
    let stop = false;
    const seen: Seen[] = [];
    const t0 = Date.now();
    // 20 clients in a loop: the home page data, bookings (each citizen books once, then gets a 409), the health check.
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const c = people[(w * 7 + i) % people.length]!;
        const kind = i % 3;
        const p = phase;
        const start = Date.now() - t0;
        const url =
          kind === 0 ? `${bff!.url}/api/v1/me` : kind === 1 ? `${bff!.url}/api/v1/inspections/bookings` : `${bff!.url}/healthz`;
        const init: RequestInit & { timeoutMs: number } =
          kind === 1
            ? { method: 'POST', headers: { 'content-type': 'application/json', cookie: c.cookie }, body: JSON.stringify({ vehicleId: c.vehicleId, slotId }), timeoutMs: 20_000 }
            : { headers: { cookie: c.cookie }, timeoutMs: 20_000 };
        const r = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs) }).then(
          async (res) => {
            const text = await res.text();
            let code: string | undefined;
            try {
              code = (JSON.parse(text) as { code?: string }).code;
            } catch {
              /* not JSON */
            }
            return { status: res.status, code: res.status >= 400 ? code : undefined, contentType: res.headers.get('content-type') ?? undefined, retryAfter: res.headers.get('retry-after') };
          },
          (e: Error) => ({ status: 0, error: e.message }) as Answer & { retryAfter?: string | null },
        );
        seen.push({ ...r, start, at: Date.now() - t0, phase: p, path: url.slice(bff!.url.length) });
        await sleep(5);
      }
    };
    const workers = Array.from({ length: 20 }, (_, w) => worker(w));

    await sleep(2000);
    expect(seen.filter((s) => s.status >= 200 && s.status < 300).length).toBeGreaterThan(20);

    // Down.
    phase = 'down';
    await pg.stop();
    const downAt = Date.now() - t0;
    await sleep(3000);
    expect(bff.alive(), `the bff died while the database was down:\n${bff.output().slice(-20_000)}`).toBe(true);
    const health = await call(`${bff.url}/healthz`, {});
    expect(health.status).toBe(503);

    // Back: the same port, the same data.
    await pg.start();
    phase = 'back';
    const backAt = Date.now() - t0;
    // Answering again = a signed-in read and the health check (which asks both pools, ADR-016)
    // both succeed five times in a row: a pooled connection opened in the first instants of the new
    // server can still be terminated with it, and answers 503 (with Retry-After) once.
    let streak = 0;
    let firstOfStreak = 0;
    const recovered = await waitFor('the bff to answer from the database again', async () => {
      const r = await call(`${bff!.url}/api/v1/me`, { headers: { cookie: people[0]!.cookie } });
      const h = await call(`${bff!.url}/healthz`, {});
      if (r.status !== 200 || h.status !== 200) streak = 0;
      else if (streak++ === 0) firstOfStreak = Date.now() - t0;
      return streak >= 5 ? firstOfStreak : null;
    }, 30_000, 100);
    await sleep(1500);
    stop = true;
    await Promise.all(workers);
    expect(bff.alive(), bff.output().slice(-20_000)).toBe(true);

    // Requests made and answered while it was down (plus half a second for the shutdown to finish).
    const during = seen.filter((s) => s.start > downAt + 500 && s.at < backAt);
    const afterRecovery = seen.filter((s) => s.phase === 'back' && s.at > recovered + 200);
    const summary = (list: Seen[]) => {
      const t: Record<string, number> = {};
      for (const s of list) t[`${s.status} ${s.code ?? ''}`.trim()] = (t[`${s.status} ${s.code ?? ''}`.trim()] ?? 0) + 1;
      return t;
    };
    console.log(`[chaos pg restart] down ${downAt}–${backAt} ms, answering again ${recovered} ms; before ${JSON.stringify(summary(seen.filter((s) => s.phase === 'up')))}; down ${JSON.stringify(summary(during))}; after ${JSON.stringify(summary(afterRecovery))}`);

    // Never a 500, never a dropped connection: a bff that cannot reach its database still answers.
    expect(seen.filter((s) => s.status === 0 || (s.status >= 500 && s.status !== 503)), bff.output().slice(-20_000)).toEqual([]);
    // While it is down: 503 problem+json request.unavailable with Retry-After, for every request that needs the database.
    expect(during.length).toBeGreaterThan(20);
    for (const s of during) {
      expect(s.status, JSON.stringify(s)).toBe(503);
      expect(s.contentType, JSON.stringify(s)).toMatch(/^application\/problem\+json/);
      expect(s.code).toBe('request.unavailable');
      expect(s.retryAfter).toBe('2');
    }
    // Every 503 anywhere in the run was that problem.
    expect(seen.filter((s) => s.status === 503 && s.code !== 'request.unavailable')).toEqual([]);
    // Back: everything answers from the database again, by itself (the same process).
    expect(afterRecovery.length).toBeGreaterThan(20);
    expect(afterRecovery.filter((s) => s.status >= 500), bff.output().slice(-6_000)).toEqual([]);
    expect(recovered - backAt).toBeLessThan(15_000);

    // No booking was lost or doubled across the restart.
    const check = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      const [s] = await check<{ booked: number; active: number; twice: number }[]>`
        SELECT booked, (SELECT count(*)::int FROM inspection_booking WHERE slot_id = ${slotId} AND status = 'booked') AS active,
               (SELECT count(*)::int FROM (SELECT vehicle_id FROM inspection_booking WHERE status = 'booked' GROUP BY vehicle_id HAVING count(*) > 1) x) AS twice
        FROM inspection_slot WHERE id = ${slotId}`;
      expect(s!.booked).toBe(s!.active);
      expect(s!.twice).toBe(0);
      expect(s!.active).toBeLessThanOrEqual(people.length);
    } finally {
      await check.end();
    }
  });
});
