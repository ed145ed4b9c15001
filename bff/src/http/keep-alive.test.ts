/**
 * An idle keep-alive connection outlasts Node's 5 s default: a client that
 * sends on it after six idle seconds gets its answer, not a reset (the e2e
 * stories' request context met that reset when it restored the shared clock;
 * behind nginx it is a 502).
 */
import type { Server } from 'node:http';
import net from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { keepConnectionsAlive } from './keep-alive.ts';

const REQUEST = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

describe('keep-alive', () => {
  it('a connection idle for six seconds still answers its next request', { timeout: 20_000 }, async () => {
    const server = createAdaptorServer({ fetch: () => new Response('ok') }) as Server;
    keepConnectionsAlive(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let closed = false;
    socket.on('data', (d) => (received += d.toString()));
    socket.on('close', () => (closed = true));
    const answers = () => received.split('HTTP/1.1 200').length - 1;
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 100 && !ok() && !closed; i++) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      socket.write(REQUEST);
      await until(() => answers() === 1);
      expect(answers()).toBe(1);
      await new Promise((r) => setTimeout(r, 6_000));
      expect(closed).toBe(false);
      socket.write(REQUEST);
      await until(() => answers() === 2);
      expect(answers()).toBe(2);
    } finally {
      socket.destroy();
      server.close();
    }
  });
});
