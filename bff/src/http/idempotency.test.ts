/**
 * A keyed answer served by @hono/node-server, as in production: the stored
 * key reads the body where node-server's own Response holds it, and the
 * answer goes out as the handler made it — not turned into undici's Response
 * and copied (ADR-040 "Idempotency keys": half a millisecond of CPU a keyed
 * request). The rest of the key's rules are tested through `app.request` in
 * platform/idempotency.test.ts, where the standard reading is the one taken.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { staffSessionCookie, testEnv } from '../../test/support.ts';
import { heldBodyText } from './idempotency.ts';

describe('Idempotency-Key over a real HTTP server', async () => {
  const env = await testEnv();
  const server = createAdaptorServer({ fetch: env.app.fetch });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookie = await staffSessionCookie(env, 'admin');
  const post = (body: unknown, key: string) =>
    fetch(`${base}/admin-api/calendar-days`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'idempotency-key': key, 'x-forwarded-for': '203.0.113.7' },
      body: JSON.stringify(body),
    });

  it('the first answer is stored from the body node-server holds, never turned into an undici Response; the replay is byte-identical', async () => {
    // node-server's Response (global once a server is made) passes text() on to undici's; the old reading called it for every keyed answer
    const undiciText = vi.spyOn(Object.getPrototypeOf(Response.prototype) as { text: () => Promise<string> }, 'text');
    const body = { day: '2027-04-06', kind: 'holiday', note: 'held body' };
    const first = await post(body, 'held-body-7d0c');
    expect(undiciText).not.toHaveBeenCalled();
    undiciText.mockRestore();
    expect(first.status).toBe(201);
    const firstText = await first.text();
    expect(JSON.parse(firstText)).toMatchObject({ id: '2027-04-06', kind: 'holiday', note: 'held body' });
    const [stored] = await env.sql<{ status: string; response_status: number; response_body: string; response_type: string }[]>`
      SELECT status, response_status, response_body, response_type FROM idempotency_key WHERE key = 'held-body-7d0c'`;
    expect(stored).toEqual({ status: 'done', response_status: 201, response_body: firstText, response_type: first.headers.get('content-type') });

    const again = await post(body, 'held-body-7d0c');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(firstText);
    expect(await env.sql`SELECT 1 FROM audit_log WHERE action = 'calendar.day_set' AND entity_id = '2027-04-06'`).toHaveLength(1);
  });

  it('reads only a body held as a string (or none); anything else is left to the standard reading', () => {
    expect(heldBodyText(new Response('{"a":1}', { status: 201 }))).toBe('{"a":1}');
    expect(heldBodyText(new Response(null, { status: 204 }))).toBe('');
    expect(heldBodyText(new Response(new ReadableStream(), { status: 200 }))).toBeUndefined();
    const turned = new Response('{"b":2}');
    void turned.body; // turned into undici's Response: the held copy is gone
    expect(heldBodyText(turned)).toBeUndefined();
  });
});
