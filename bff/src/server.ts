import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { keepConnectionsAlive } from './http/keep-alive.ts';
import { createApp } from './app.ts';
import { createSql } from './db.ts';
import { loadConfig } from './env.ts';
import { createLogger } from './platform/log.ts';
import { batcherReport } from './platform/group-commit.ts';
import { devProviders } from './platform/outbox.ts';
import { startWorkers } from './workers.ts';
import type { Deps } from './core/context.ts';
import { checkPaymentEnvironment } from './modules/payments/config.ts';

const LISTEN_BACKLOG = 8192;
const config = loadConfig();
// A real payment provider's settings are checked now, not at the first payment (ADR-038).
checkPaymentEnvironment(config);
const log = createLogger(config.LOG_LEVEL);
const sql = createSql(config.DATABASE_URL, { max: config.DB_POOL_MAX });
const reads = createSql(config.DATABASE_URL, { max: config.DB_READ_POOL_MAX });

// Migrations run before the bff starts (`npm start`, or `pnpm db:migrate` in a deployment):
// the bundle does not carry the SQL files.
const deps: Deps = { sql, reads, config, log, clock: { now: () => new Date() }, providers: devProviders() };
const app = createApp(deps);
const server = createAdaptorServer({ fetch: app.fetch }) as Server;
keepConnectionsAlive(server);
// A release rush opens thousands of connections in the same instant. Node's default accept
// backlog (511) drops the SYNs beyond it, and their clients retry only after a second
// (TCP's initial retransmission timeout): a deep backlog lets them all queue instead.
// The kernel caps it at net.core.somaxconn.
server.listen({ host: config.HOST, port: config.PORT, backlog: LISTEN_BACKLOG }, () => {
  const address = server.address();
  log.info({ url: `http://${config.HOST}:${typeof address === 'object' && address ? address.port : config.PORT}` }, 'bff listening');
});
const workers = config.JOBS_ENABLED ? startWorkers(deps) : null;
const traceFile = config.GROUP_COMMIT_TRACE;
const writeTrace = () => traceFile && writeFileSync(traceFile, `${batcherReport().join('\n')}\n`);
if (traceFile) setInterval(writeTrace, 1000).unref();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await workers?.stop();
  writeTrace();
  server.close();
  await Promise.all([sql.end({ timeout: 5 }), reads.end({ timeout: 5 })]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// A lost database connection must never take the process down; requests answer 503 meanwhile.
process.on('unhandledRejection', (e) => log.error({ err: e }, 'unhandled rejection'));
// postgres.js can throw from a socket write after the server killed the connection
// (porsager/postgres#1208): keep serving (requests get 503 until it reconnects).
// Anything else is a bug we do not try to survive.
process.on('uncaughtException', (e) => {
  const code = (e as { code?: string }).code ?? '';
  if (['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED'].includes(code)) {
    log.error({ err: e }, 'database connection error outside a request; continuing');
    return;
  }
  // The same family without a code: a write postgres.js scheduled (setImmediate) runs after the
  // server closed the socket (porsager/postgres#1154, #1208; Postgres restarting under load, found
  // by test/chaos/restart-postgres.test.ts). The queries concerned were already rejected with
  // CONNECTION_CLOSED, so their requests have answered 503.
  if (e instanceof TypeError && /\(reading 'write'\)/.test(e.message) && /[\\/]postgres[\\/]\S*connection\.js/.test(e.stack ?? '')) {
    log.error({ err: e }, 'database connection closed under a pending write; continuing');
    return;
  }
  log.fatal({ err: e }, 'uncaught exception');
  process.exit(1);
});
