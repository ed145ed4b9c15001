import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createSql } from '../db.ts';
import { sessionPolicy } from './sessions.ts';
import { AdmissionGate } from './admission.ts';
import { testEnv } from '../../test/support.ts';

describe('admission gate: bounded requests in flight, the rest in arrival order, 503 beyond the queue (issue 7, ADR-016)', () => {
  it('lets `limit` in, queues in arrival order, refuses beyond maxQueued, and hands a freed place to the next in line', async () => {
    const gate = new AdmissionGate(2, 2);
    expect(gate.enter()).toBe(true);
    expect(gate.enter()).toBe(true);
    const order: string[] = [];
    const third = gate.enter();
    const fourth = gate.enter();
    expect(third).toBeInstanceOf(Promise);
    expect(gate.enter()).toBe(false); // the queue of 2 is full
    expect(gate.stats).toEqual({ active: 2, queued: 2 });
    void (third as Promise<void>).then(() => order.push('third'));
    void (fourth as Promise<void>).then(() => order.push('fourth'));
    gate.leave();
    await Promise.resolve();
    expect(order).toEqual(['third']);
    expect(gate.stats).toEqual({ active: 2, queued: 1 });
    gate.leave();
    await Promise.resolve();
    expect(order).toEqual(['third', 'fourth']);
    gate.leave();
    gate.leave();
    expect(gate.stats).toEqual({ active: 0, queued: 0 });
    expect(gate.enter()).toBe(true);
  });

  it('keeps its order over many waiters (the queue compacts without losing anyone)', async () => {
    const gate = new AdmissionGate(1, 10_000);
    expect(gate.enter()).toBe(true);
    const seen: number[] = [];
    const all = Array.from({ length: 5_000 }, (_, i) => (gate.enter() as Promise<void>).then(() => seen.push(i)));
    for (let i = 0; i < 5_000; i++) {
      gate.leave();
      await Promise.resolve();
    }
    await Promise.all(all);
    expect(seen).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    gate.leave();
    expect(gate.stats).toEqual({ active: 0, queued: 0 });
  });

  it('over HTTP: a request beyond the queue answers 503 request.busy (problem+json, Retry-After, localised); the gate reopens', async () => {
    const env = await testEnv();
    const sql = createSql(env.url, { max: 4 });
    const app = createApp({ ...env.deps, sql, config: { ...env.deps.config, MAX_IN_FLIGHT: 1, MAX_QUEUED: 0 } });
    const cookie = `${sessionPolicy.user.cookie}=${'a'.repeat(32)}`; // well-formed, unknown: one session lookup
    const get = (lang = 'zh-CN') => Promise.resolve(app.request('/api/v1/me', { headers: { cookie, 'accept-language': lang, 'x-forwarded-for': '203.0.113.9' } }));
    // Hold the one place: the session lookup of the first request waits on a lock.
    const locker = createSql(env.url, { max: 1 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const locked = locker.begin(async (tx) => {
      await tx`LOCK TABLE session IN ACCESS EXCLUSIVE MODE`;
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const first = get();
    await new Promise((r) => setTimeout(r, 100));
    const busy = await get('en');
    expect(busy.status).toBe(503);
    expect(busy.headers.get('content-type')).toContain('application/problem+json');
    expect(busy.headers.get('retry-after')).toBe('1');
    const p = await busy.json();
    expect(p).toMatchObject({ status: 503, code: 'request.busy', title: 'Too many people are using the service right now. Please try again in a moment' });
    release();
    await locked;
    expect((await first).status).toBe(401);
    // The place is free again.
    expect((await get()).status).toBe(401);
    await locker.end();
    await sql.end();
  });
});
