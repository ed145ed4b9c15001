import { createAdaptorServer } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import type { TestEnv } from '../../../test/support.ts';
import { testEnv } from '../../../test/support.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { jobHandlers } from '../index.ts';
import { openPaymentOrder, type OpenPaymentOrderInput } from './orders.ts';

/**
 * A test database and the whole app listening on a loopback port: the
 * provider adapter speaks HTTP to the dev gateway (alipay-sdk uses urllib),
 * and the gateway posts notifications back over HTTP, as in development.
 */
export async function paymentEnv(): Promise<TestEnv & { base: string }> {
  // one trusted proxy hop: tests may speak for another source address (X-Forwarded-For), as the notify limit is per address
  const env = await testEnv({ config: { DEV_TOOLS: '1', TRUSTED_PROXY_HOPS: '1' } });
  const server = createAdaptorServer({ fetch: env.app.fetch });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.PAYMENT_BFF_URL = base;
  delete process.env.PAYMENT_PROVIDER;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return Object.assign(env, { base });
}

export async function demoUser(env: TestEnv, phone = '13800138000'): Promise<string> {
  const [u] = await env.sql<{ id: string }[]>`SELECT id FROM user_account WHERE phone = ${phone} AND status <> 'cancelled'`;
  if (!u) throw new Error(`no user ${phone}`);
  return u.id;
}

let seq = 0;
export const SETTLED_JOB = 'payments.dev_test_paid';

/** An order for a fresh payable (as the violations module opens one for a fine), in its own transaction. */
export async function openOrder(env: TestEnv, userId: string, o: Partial<OpenPaymentOrderInput> = {}) {
  const now = env.clock.now();
  const endOfDay = new Date(new Date(`${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)}T00:00:00+08:00`).getTime() + 24 * 3600_000);
  const input: OpenPaymentOrderInput = {
    payableKind: 'dev_test', payableRef: `FINE-${process.pid}-${++seq}`, amountFen: 20_000, subject: '交通违法罚款', ownerUserId: userId,
    expiresAt: endOfDay, settledJob: SETTLED_JOB, ...o,
  };
  return env.sql.begin((tx) => openPaymentOrder(tx, { kind: 'user', id: userId, label: 'test' }, { requestId: 'test', ip: '203.0.113.7', now }, input));
}

export const runJobs = (env: TestEnv) => runDueJobs(env.deps, jobHandlers, env.clock.now(), 500);

export async function ledgerOf(env: TestEnv, orderId: string) {
  return env.sql<{ kind: string; amount_fen: number; source: string }[]>`SELECT kind, amount_fen, source FROM payment_ledger_entry WHERE order_id = ${orderId} ORDER BY id`;
}
