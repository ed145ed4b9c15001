import { describe, expect, it } from 'vitest';
import { staffSessionCookie } from '../../../test/support.ts';
import { paymentEnv, runJobs } from '../payments/test-support.ts';
import { confirmCode, makeDriver, makeRecord } from './test-support.ts';
import { settleOrder } from '../payments/service.ts';
import { paymentSettings } from '../payments/config.ts';
import { openTrade, payTrade } from '../payments/dev-gateway/gateway.ts';

/**
 * ADR-038: 管理岗 refunds the payment of a fine (admin refund command of the
 * payments module) — the refund goes to the provider (the dev gateway, over
 * HTTP, through alipay-sdk) and, once recorded, the violations module undoes
 * what the payment did.
 */
const env = await paymentEnv();
const post = (path: string, cookie: string, body?: unknown) => env.call('POST', path, { cookie, body: body ?? {} });

/** The citizen pays the decision's order at the dev gateway; the gateway notifies twice; the jobs settle it. */
async function payAtGateway(cookie: string, decisionId: string) {
  const order = await (await post(`/api/v1/violations/decisions/${decisionId}/pay`, cookie)).json();
  const { redirectUrl } = await (await post(`/api/v1/payments/orders/${order.orderId}/pay`, cookie)).json();
  const html = await (await fetch(redirectUrl)).text();
  const href = /href="(\/dev-gateway\/alipay\/pay\?[^"]+)">确认付款/.exec(html)![1]!.replaceAll('&amp;', '&');
  expect((await fetch(`${env.base}${href}`, { redirect: 'manual' })).status).toBe(302);
  await runJobs(env);
  return order as { orderId: string; totalFen: number };
}

const decisionOf = async (id: string) =>
  (await env.sql<{ status: string; paid_fen: number | null; payment_order_id: string | null; points_assessed_at: Date | null }[]>`
    SELECT status, paid_fen, payment_order_id, points_assessed_at FROM penalty_decision WHERE id = ${id}`)[0]!;
const pointsOf = async (licenceId: string) => (await env.sql<{ points: number }[]>`SELECT points FROM driving_licence WHERE id = ${licenceId}`)[0]!.points;
const recordStatuses = async (ids: string[]) => (await env.sql<{ status: string }[]>`SELECT status FROM violation WHERE id = ANY(${ids}) ORDER BY id`).map((r) => r.status);

describe('a staff refund of a paid fine (ADR-038)', () => {
  it('X-5.5 X-5.7 管理岗 refunds a paid fine: the fine is unpaid again, handling no longer counts, the points go, the payer gets an SMS; it can be paid again', async () => {
    const d = await makeDriver(env, { points: 2 });
    const a = await makeRecord(env, d.vehicleId, { fineFen: 100_00, points: 3 });
    const b = await makeRecord(env, d.vehicleId, { fineFen: 50_00, points: 1 });
    expect((await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [a, b] })).status).toBe(200);
    env.clock.advance(1000);
    const served = await post('/api/v1/violations/handle', d.cookie, { violationIds: [a, b], smsCode: await confirmCode(env, d.phone) });
    expect(served.status).toBe(201);
    const decision = await served.json();

    const first = await payAtGateway(d.cookie, decision.id);
    expect(await decisionOf(decision.id)).toMatchObject({ status: 'paid', paid_fen: 150_00, payment_order_id: first.orderId });
    expect(await pointsOf(d.licenceId)).toBe(6);
    expect(await recordStatuses([a, b])).toEqual(['handled', 'handled']);

    const gd = await staffSessionCookie(env, 'gd.review');
    const refund = await env.call('POST', `/admin-api/payment-orders/${first.orderId}/refund`, { cookie: gd, body: { reason: '他人误缴此决定书' } });
    expect(refund.status).toBe(200);
    // requested, not yet back with the payer: the fine still counts as paid
    expect((await decisionOf(decision.id)).status).toBe('paid');
    await runJobs(env); // the refund job (provider refund + ledger) enqueues the violations job in its transaction
    await runJobs(env);

    expect(await decisionOf(decision.id)).toMatchObject({ status: 'awaiting_payment', paid_fen: null, payment_order_id: null, points_assessed_at: null });
    // handling counts only once payment succeeds — the payment no longer stands
    expect(await recordStatuses([a, b])).toEqual(['handling', 'handling']);
    expect(await pointsOf(d.licenceId)).toBe(2);
    expect(await env.sql`SELECT 1 FROM licence_points_entry WHERE decision_id = ${decision.id}`).toHaveLength(0);
    const audit = await env.sql<{ action: string; request_id: string; at: Date }[]>`
      SELECT action, request_id, at FROM audit_log WHERE action IN ('violations.fine_refunded', 'violations.points_withdrawn', 'violations.handling_reverted')
        AND (entity_id = ${decision.id} OR entity_id = ${d.licenceId} OR entity_id = ANY(${[a, b]})) ORDER BY action`;
    expect(audit.map((x) => x.action)).toEqual(['violations.fine_refunded', 'violations.handling_reverted', 'violations.handling_reverted', 'violations.points_withdrawn']);
    expect(new Set(audit.map((x) => x.request_id)).size).toBe(1); // one job, one transaction
    const sms = await env.sql<{ recipient: string; payload: { refunded: string; due: string } }[]>`
      SELECT recipient, payload FROM outbox_message WHERE template = 'violations.fine_refunded'`;
    expect(sms).toEqual([{ recipient: d.phone, payload: expect.objectContaining({ refunded: '150.00', due: '150.00' }) }]);
    // shown as unpaid with today's amount, and the citizen's decision page offers payment again
    const page = await (await env.call('GET', `/api/v1/violations/decisions/${decision.id}`, { cookie: d.cookie })).json();
    expect(page).toMatchObject({ status: 'awaiting_payment', due: { fineFen: 150_00, totalFen: 150_00 }, payment: { orderId: first.orderId, status: 'refunded' } });

    // the job delivered twice changes nothing
    await env.sql`INSERT INTO job (kind, payload, run_at, created_at)
      SELECT kind, payload, run_at, created_at FROM job WHERE kind = 'violations.fine_refunded' AND payload->>'orderId' = ${first.orderId}`;
    await runJobs(env);
    expect((await env.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'violations.fine_refunded' AND entity_id = ${decision.id}`)[0]!.n).toBe(1);
    expect(await env.sql`SELECT 1 FROM outbox_message WHERE template = 'violations.fine_refunded'`).toHaveLength(1);

    // paid again: counted again, points again, a second "paid" SMS
    const second = await payAtGateway(d.cookie, decision.id);
    expect(second.orderId).not.toBe(first.orderId);
    expect(await decisionOf(decision.id)).toMatchObject({ status: 'paid', paid_fen: 150_00, payment_order_id: second.orderId });
    expect(await pointsOf(d.licenceId)).toBe(6);
    expect(await recordStatuses([a, b])).toEqual(['handled', 'handled']);
    expect(await env.sql`SELECT 1 FROM outbox_message WHERE template = 'violations.fine_paid' AND recipient = ${d.phone}`).toHaveLength(2);
  });

  it('X-5.7 a second payment that never counted (an old order paid late) is refunded without touching the paid fine', async () => {
    const d = await makeDriver(env, { points: 0 });
    const r = await makeRecord(env, d.vehicleId, { fineFen: 80_00, points: 2 });
    await post('/api/v1/violations/confirm-code', d.cookie, { violationIds: [r] });
    env.clock.advance(1000);
    const decision = await (await post('/api/v1/violations/handle', d.cookie, { violationIds: [r], smsCode: await confirmCode(env, d.phone) })).json();
    const paid = await payAtGateway(d.cookie, decision.id);
    // an old tab pays a closed order of the same fine at the provider: refunded automatically — it never counted
    const [old] = await env.sql<{ id: string; out_trade_no: string }[]>`
      INSERT INTO payment_order (out_trade_no, payable_kind, payable_ref, amount_fen, subject, owner_user_id, settled_job, refunded_job, status, provider, created_at, expires_at, closed_at)
      VALUES ('JTOLD' || floor(random() * 1e9)::bigint, 'violation_decision', ${decision.id}, 8000, '罚款', ${d.userId}, 'violations.fine_paid', 'violations.fine_refunded', 'closed', 'alipay',
              ${env.clock.now()}, ${new Date(env.clock.now().getTime() + 3_600_000)}, ${env.clock.now()})
      RETURNING id, out_trade_no`;
    const settings = paymentSettings(env.deps.config);
    await openTrade(env.sql, env.clock.now(), { outTradeNo: old!.out_trade_no, amountFen: 80_00, subject: '罚款', notifyUrl: settings.notifyUrl, returnUrl: 'http://127.0.0.1/x', timeExpire: null });
    const { trade } = await payTrade(env.sql, env.clock.now(), old!.out_trade_no);
    const outcome = await env.sql.begin((tx) => settleOrder(tx, { requestId: 't', ip: '', now: env.clock.now() }, old!.id, { tradeNo: trade!.trade_no, amountFen: 80_00, paidAt: env.clock.now(), source: 'query' }));
    expect(outcome).toBe('refund_pending');
    await runJobs(env);
    expect((await env.sql`SELECT status FROM payment_order WHERE id = ${old!.id}`)[0]!.status).toBe('refunded');
    expect(await decisionOf(decision.id)).toMatchObject({ status: 'paid', payment_order_id: paid.orderId });
    expect(await env.sql`SELECT 1 FROM job WHERE kind = 'violations.fine_refunded' AND payload->>'payableRef' = ${decision.id}`).toHaveLength(0);
  });
});
