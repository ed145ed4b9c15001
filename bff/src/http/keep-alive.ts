import type { Server } from 'node:http';

/**
 * How long an idle keep-alive connection stays open. Node's default is 5 s,
 * shorter than the idle timeout of the clients and proxies in front of the
 * bff (nginx's upstream keepalive 60 s, a browser's or a test runner's pool
 * with none): a client that sends on a connection at the instant the server
 * closes it gets a reset instead of an answer (ECONNRESET, or a 502 from the
 * proxy). The server must outlast its clients, so 65 s; the header timeout
 * stays above it, as Node requires for the two not to race.
 */
export const KEEP_ALIVE_MS = 65_000;

export function keepConnectionsAlive(server: Pick<Server, 'keepAliveTimeout' | 'headersTimeout'>) {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}
