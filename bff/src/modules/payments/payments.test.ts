import { describe, expect, it } from 'vitest';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { concurrentApp, userSessionCookie, staffSessionCookie } from '../../../test/support.ts';
import { demoUser, ledgerOf, openOrder, paymentEnv, runJobs, SETTLED_JOB } from './test-support.ts';
import { notificationOf, openTrade, payTrade, rsa2Sign, signContent } from './dev-gateway/gateway.ts';
import { paymentOfPayable } from './orders.ts';
import { paymentSettings } from './config.ts';

/**
 * Payments through the provider's protocol (issue 21 "Payment", ADR-035):
 * the adapter talks to the dev gateway over HTTP with alipay-sdk, the
 * gateway signs as Alipay does, and the database keeps it exactly once.
 */
const env = await paymentEnv();
const userId = await demoUser(env);
const cookie = await userSessionCookie(env, userId);

const notify = (params: Record<string, string>) =>
  fetch(`${env.base}/payment-notify/alipay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(params).toString() })
    .then(async (r) => ({ status: r.status, text: await r.text() }));

async function gatewayTradeFor(orderId: string, opts: { notify?: 'none' } = {}) {
  // the citizen's way: pay → the provider's signed page-pay link → the gateway's page → 确认付款
  const pay = await env.call('POST', `/api/v1/payments/orders/${orderId}/pay`, { cookie });
  expect(pay.status).toBe(200);
  const { redirectUrl } = await pay.json();
  expect(redirectUrl).toContain('/dev-gateway/alipay/gateway.do?');
  expect(new URL(redirectUrl).searchParams.get('sign_type')).toBe('RSA2');
  const pageRes = await fetch(redirectUrl);
  expect(pageRes.status).toBe(200);
  const html = await pageRes.text();
  const href = /href="(\/dev-gateway\/alipay\/pay\?[^"]+)">确认付款/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  expect(href, html).toBeTruthy();
  return `${env.base}${href}${opts.notify ? `&notify=${opts.notify}` : ''}`;
}

const countJobs = async (kind: string, orderId: string) =>
  (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM job WHERE kind = ${kind} AND payload->>'orderId' = ${orderId}`)[0]!.n;

describe('payments (issue 21, X-5.5, X-5.7, X-5.8, PD-10)', () => {
  it('X-5.7 two tabs or devices opening one payable at once get one order (partial unique index), so the provider charges once', async () => {
    const ref = `TWO-TABS-${Date.now()}`;
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => openOrder(env, userId, { payableRef: ref })));
    expect(new Set([a!.orderId, b!.orderId, c!.orderId]).size).toBe(1);
    expect(a!.outTradeNo).toMatch(/^JT\d{8}\d{10}$/);
    const rows = await env.sql`SELECT id FROM payment_order WHERE payable_ref = ${ref}`;
    expect(rows).toHaveLength(1);
    expect(a!.payUrl).toBe(`/payments/${a!.orderId}`);
  });

  it('X-5.8 money in fen: an amount that is not a positive whole number of fen, or parts that do not add up, opens nothing', async () => {
    for (const amountFen of [0, -1, 12.5, Number.NaN]) {
      await expect(openOrder(env, userId, { amountFen })).rejects.toMatchObject({ code: 'payments.bad_amount' });
    }
    await expect(openOrder(env, userId, { amountFen: 20_000, breakdown: [{ label: '罚款', amountFen: 15_000 }, { label: '滞纳金', amountFen: 4_999 }] }))
      .rejects.toMatchObject({ code: 'payments.bad_amount' });
    const ok = await openOrder(env, userId, { amountFen: 20_000, breakdown: [{ label: '罚款', amountFen: 15_000 }, { label: '滞纳金', amountFen: 5_000 }] });
    const res = await env.call('GET', `/api/v1/payments/orders/${ok.orderId}`, { cookie });
    const body = await res.json();
    expect(body).toMatchObject({ amountFen: 20_000, status: 'open', breakdown: [{ label: '罚款', amountFen: 15_000 }, { label: '滞纳金', amountFen: 5_000 }] });
    // the provider is asked for yuan with two decimals, from the fen (no float)
    const pay = await (await env.call('POST', `/api/v1/payments/orders/${ok.orderId}/pay`, { cookie })).json();
    expect(JSON.parse(new URL(pay.redirectUrl).searchParams.get('biz_content')!)).toMatchObject({ total_amount: '200.00', out_trade_no: ok.outTradeNo });
  });

  it('X-5.5 paid through the gateway: the notification arrives twice (and at once), the ledger shows one payment, the payable’s job runs once', async () => {
    const o = await openOrder(env, userId, { amountFen: 15_050 });
    const confirm = await gatewayTradeFor(o.orderId);
    const back = await fetch(confirm, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toContain(`/payments/${o.orderId}/result`);
    expect(await ledgerOf(env, o.orderId)).toEqual([{ kind: 'payment', amount_fen: 15_050, source: 'notification' }]);
    expect(await countJobs(SETTLED_JOB, o.orderId)).toBe(1);
    const order = await (await env.call('GET', `/api/v1/payments/orders/${o.orderId}`, { cookie })).json();
    expect(order).toMatchObject({ status: 'paid', amountFen: 15_050 });
    expect(order.providerTradeNo).toMatch(/^\d{20,}$/);
    expect(await paymentOfPayable(env.sql, 'dev_test', (await env.sql`SELECT payable_ref FROM payment_order WHERE id = ${o.orderId}`)[0]!.payable_ref))
      .toMatchObject({ orderId: o.orderId, status: 'paid', amountFen: 15_050 });
    // the payable is paid: opening it again answers the paid order, and the pay page refuses
    const again = await env.call('POST', `/api/v1/payments/orders/${o.orderId}/pay`, { cookie });
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('payments.order_not_open');
    const audit = await env.sql`SELECT action FROM audit_log WHERE entity_id = ${o.orderId} ORDER BY at, action`;
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['payments.order_opened', 'payments.order_paid']));
  });

  it('X-5.7 must hold: each fine notified 3× concurrently and out of order, plus forged and tampered ones → one ledger entry per fine, 0 forged accepted', async () => {
    const fines = await Promise.all(Array.from({ length: 6 }, (_, i) => openOrder(env, userId, { amountFen: 5_000 + i * 1_001 })));
    const paid = fines.slice(0, 5);
    const unpaid = fines[5]!;
    const settings = paymentSettings(env.deps.config);
    const genuine: Record<string, string>[] = [];
    for (const f of paid) {
      await openTrade(env.sql, env.clock.now(), { outTradeNo: f.outTradeNo, amountFen: f.amountFen, subject: 'fine', notifyUrl: settings.notifyUrl, returnUrl: 'http://127.0.0.1/x', timeExpire: null });
      const { trade } = await payTrade(env.sql, env.clock.now(), f.outTradeNo);
      const n = notificationOf(trade!, env.clock.now());
      genuine.push(n, { ...n }, { ...n });
    }
    // forged: signed with a key that is not the provider's, for the unpaid fine and for a paid one
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forge = (base: Record<string, string>) => {
      const p = { ...base };
      delete p.sign;
      return { ...p, sign: createSign('RSA-SHA256').update(signContent(p, false)).sign(privateKey, 'base64') };
    };
    const unpaidFake = { ...genuine[0]!, out_trade_no: unpaid.outTradeNo, total_amount: (unpaid.amountFen / 100).toFixed(2), trade_no: '2026000000000000000000000099' };
    const forged = [forge(unpaidFake), forge(genuine[3]!), { ...unpaidFake }];
    // tampered: a genuine notification with its amount or status changed after signing
    const tampered = [{ ...genuine[0]!, total_amount: '0.01' }, { ...genuine[6]!, out_trade_no: unpaid.outTradeNo }, { ...genuine[9]!, trade_status: 'TRADE_SUCCESS', app_id: '2021000000000000' }];
    // correctly signed by the provider's key but for another app, or another amount: refused too
    const otherApp = (() => { const p = { ...genuine[12]! }; delete p.sign; delete p.sign_type; p.app_id = '2021009999999999'; return { ...p, sign_type: 'RSA2', sign: rsa2Sign(signContent(p, false)) }; })();
    const otherAmount = (() => { const p = { ...genuine[12]! }; delete p.sign; delete p.sign_type; p.total_amount = '1.00'; return { ...p, sign_type: 'RSA2', sign: rsa2Sign(signContent(p, false)) }; })();
    const all = [...genuine, ...forged, ...tampered, otherApp, otherAmount];
    // out of order: a fixed shuffle, all sent at once
    const shuffled = all.map((n, i) => ({ n, k: (i * 7919) % all.length })).sort((x, y) => x.k - y.k).map((x) => x.n);
    const answers = await Promise.all(shuffled.map(notify));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Alipay reads the bare word: `success` for every genuine one (duplicates too), `failure` for the rest
    expect(answers.filter((a) => a.text === 'success')).toHaveLength(genuine.length);
    expect(answers.filter((a) => a.text === 'failure')).toHaveLength(forged.length + tampered.length + 2);
    for (const f of paid) {
      expect(await ledgerOf(env, f.orderId)).toEqual([{ kind: 'payment', amount_fen: f.amountFen, source: 'notification' }]);
      expect(await countJobs(SETTLED_JOB, f.orderId)).toBe(1);
    }
    expect(await ledgerOf(env, unpaid.orderId)).toEqual([]);
    expect((await env.sql`SELECT status FROM payment_order WHERE id = ${unpaid.orderId}`)[0]!.status).toBe('open');
    const rejected = await env.sql<{ reason: string; n: number }[]>`
      SELECT reason, count(*)::int AS n FROM payment_notification_rejected WHERE out_trade_no = ANY(${fines.map((f) => f.outTradeNo)}) GROUP BY reason ORDER BY reason`;
    expect(Object.fromEntries(rejected.map((r) => [r.reason, r.n]))).toEqual({ bad_signature: 6, app_id_mismatch: 1, amount_mismatch: 1 });
    const audited = await env.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'payments.notification_rejected' AND entity_id = ANY(${fines.map((f) => f.outTradeNo)})`;
    expect(audited[0]!.n).toBe(8);
  });

  it('ADR-035 a payment whose notification never comes is settled by the durable query job (backoff on the injected clock)', async () => {
    const o = await openOrder(env, userId, { amountFen: 8_800 });
    const confirm = await gatewayTradeFor(o.orderId, { notify: 'none' });
    expect((await fetch(confirm, { redirect: 'manual' })).status).toBe(302);
    expect(await ledgerOf(env, o.orderId)).toEqual([]);
    await runJobs(env); // not due yet
    expect(await ledgerOf(env, o.orderId)).toEqual([]);
    env.clock.advance(2 * 60_000);
    await runJobs(env);
    expect(await ledgerOf(env, o.orderId)).toEqual([{ kind: 'payment', amount_fen: 8_800, source: 'query' }]);
    expect(await countJobs(SETTLED_JOB, o.orderId)).toBe(1);
    // the late notification changes nothing
    const [t] = await env.sql`SELECT * FROM dev_gateway_trade WHERE out_trade_no = ${o.outTradeNo}`;
    expect((await notify(notificationOf(t as never, env.clock.now()))).text).toBe('success');
    expect(await ledgerOf(env, o.orderId)).toHaveLength(1);
  });

  it('ADR-035 an unpaid order past its end is closed by the query job, which stops asking', async () => {
    const o = await openOrder(env, userId, { amountFen: 1_000, expiresAt: new Date(env.clock.now().getTime() + 10 * 60_000) });
    env.clock.advance(2 * 60_000);
    await runJobs(env);
    expect((await env.sql`SELECT status FROM payment_order WHERE id = ${o.orderId}`)[0]!.status).toBe('open');
    env.clock.advance(60 * 60_000);
    await runJobs(env);
    expect((await env.sql`SELECT status FROM payment_order WHERE id = ${o.orderId}`)[0]!.status).toBe('closed');
    expect((await env.sql`SELECT count(*)::int AS n FROM job WHERE kind = 'payments.query_order' AND payload->>'orderId' = ${o.orderId} AND status = 'queued'`)[0]!.n).toBe(0);
  });

  it('X-5.7 nothing paid twice: an old order of the payable paid after the new one was paid is refunded, and the payable counts once', async () => {
    const ref = `LATE-${Date.now()}`;
    const first = await openOrder(env, userId, { payableRef: ref, amountFen: 10_000 });
    const oldTab = await gatewayTradeFor(first.orderId);
    // the next day's late fee: a new amount closes the old order and opens another
    const second = await openOrder(env, userId, { payableRef: ref, amountFen: 10_300 });
    expect(second.orderId).not.toBe(first.orderId);
    expect((await env.sql`SELECT status FROM payment_order WHERE id = ${first.orderId}`)[0]!.status).toBe('closed');
    await fetch(await gatewayTradeFor(second.orderId), { redirect: 'manual' });
    // the old tab still pays the old order at the provider
    await fetch(oldTab, { redirect: 'manual' });
    expect((await env.sql`SELECT status FROM payment_order WHERE id = ${first.orderId}`)[0]!.status).toBe('refund_pending');
    await runJobs(env);
    expect((await env.sql`SELECT status FROM payment_order WHERE id = ${first.orderId}`)[0]!.status).toBe('refunded');
    expect(await ledgerOf(env, first.orderId)).toEqual([{ kind: 'payment', amount_fen: 10_000, source: 'notification' }, { kind: 'refund', amount_fen: 10_000, source: 'refund' }]);
    expect((await env.sql`SELECT refund_fen FROM dev_gateway_trade WHERE out_trade_no = ${first.outTradeNo}`)[0]!.refund_fen).toBe(10_000);
    expect(await paymentOfPayable(env.sql, 'dev_test', ref)).toMatchObject({ orderId: second.orderId, status: 'paid', amountFen: 10_300 });
    expect(await countJobs(SETTLED_JOB, first.orderId) + await countJobs(SETTLED_JOB, second.orderId)).toBe(1);
  });

  it('ADR-035 daily reconciliation: ledger and provider statement reconcile to the fen; a payment the ledger lacks is listed for province 管理岗', async () => {
    const day = new Date(env.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const gd = await staffSessionCookie(env, 'gd.review');
    const run = await env.call('POST', `/admin-api/payment-reconciliations/${day}/run`, { cookie: gd, body: {} });
    expect(run.status).toBe(200);
    const rec = await run.json();
    expect(rec).toMatchObject({ businessDay: day, status: 'balanced', mismatchCount: 0 });
    const net = (await env.sql<{ net: number }[]>`
      SELECT coalesce(sum(CASE kind WHEN 'refund' THEN -amount_fen ELSE amount_fen END), 0)::bigint AS net FROM payment_ledger_entry WHERE business_day = ${day}`)[0]!.net;
    expect(rec.ledgerNetFen).toBe(Number(net));
    expect(rec.statementNetFen).toBe(Number(net));
    expect(Number.isInteger(rec.ledgerNetFen)).toBe(true);
    // a trade paid at the provider that the platform never recorded (no notification, no query yet)
    const o = await openOrder(env, userId, { amountFen: 4_321 });
    const settings = paymentSettings(env.deps.config);
    await openTrade(env.sql, env.clock.now(), { outTradeNo: o.outTradeNo, amountFen: 4_321, subject: 'x', notifyUrl: settings.notifyUrl, returnUrl: 'http://127.0.0.1/x', timeExpire: null });
    await payTrade(env.sql, env.clock.now(), o.outTradeNo);
    const rerun = await (await env.call('POST', `/admin-api/payment-reconciliations/${day}/run`, { cookie: gd, body: {} })).json();
    expect(rerun).toMatchObject({ status: 'mismatched', mismatchCount: 1, statementNetFen: Number(net) + 4_321, ledgerNetFen: Number(net) });
    const list = await env.call('GET', `/admin-api/payment-mismatches?filter=${encodeURIComponent(JSON.stringify({ businessDay: day }))}`, { cookie: gd });
    expect(await list.json()).toEqual([expect.objectContaining({ problem: 'missing_in_ledger', outTradeNo: o.outTradeNo, statementAmountFen: 4_321, ledgerAmountFen: null })]);
    // city 管理岗 does not hold the merchant account
    const sz = await staffSessionCookie(env, 'sz.review');
    expect((await env.call('GET', '/admin-api/payment-reconciliations', { cookie: sz })).status).toBe(403);
    // the query job settles it, and the day balances again
    env.clock.advance(2 * 60_000);
    await runJobs(env);
    const again = await (await env.call('POST', `/admin-api/payment-reconciliations/${day}/run`, { cookie: gd, body: {} })).json();
    expect(again).toMatchObject({ status: 'balanced', mismatchCount: 0 });
  });

  it('ADR-035 管理岗 refunds a paid order with a reason; the refund job records it once', async () => {
    const o = await openOrder(env, userId, { amountFen: 2_000 });
    await fetch(await gatewayTradeFor(o.orderId), { redirect: 'manual' });
    const gd = await staffSessionCookie(env, 'gd.review');
    const res = await env.call('POST', `/admin-api/payment-orders/${o.orderId}/refund`, { cookie: gd, body: { reason: '当事人重复缴纳' } });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('refund_pending');
    const twice = await env.call('POST', `/admin-api/payment-orders/${o.orderId}/refund`, { cookie: gd, body: { reason: '当事人重复缴纳' } });
    expect(twice.status).toBe(409);
    expect((await twice.json()).code).toBe('payments.not_refundable');
    await runJobs(env);
    await runJobs(env);
    expect(await ledgerOf(env, o.orderId)).toEqual([{ kind: 'payment', amount_fen: 2_000, source: 'notification' }, { kind: 'refund', amount_fen: 2_000, source: 'refund' }]);
    // city staff do not see an order without a city
    const sz = await staffSessionCookie(env, 'sz.review');
    expect((await env.call('GET', `/admin-api/payment-orders/${o.orderId}`, { cookie: sz })).status).toBe(404);
  });

  it('a citizen sees only her own orders (404 otherwise); a garbage notification is refused without a 500', async () => {
    const o = await openOrder(env, userId);
    const [other] = await env.sql<{ id: string }[]>`SELECT id FROM user_account WHERE id <> ${userId} AND status = 'active' LIMIT 1`;
    const otherCookie = await userSessionCookie(env, other!.id);
    expect((await env.call('GET', `/api/v1/payments/orders/${o.orderId}`, { cookie: otherCookie })).status).toBe(404);
    expect((await env.call('POST', `/api/v1/payments/orders/${o.orderId}/pay`, { cookie: otherCookie })).status).toBe(404);
    expect(await notify({ foo: 'bar' })).toEqual({ status: 200, text: 'failure' });
    const json = await fetch(`${env.base}/payment-notify/alipay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(json.status).toBeLessThan(500);
  });
});

describe('the notify endpoint’s limit per source address (ADR-038)', () => {
  it('X-5.7 an address sending forgeries is limited (429, never `success`, nothing written), in the database so a second bff process limits it too; a genuine notification is never dropped: taken from the provider’s address, and from the limited one once its lock ends', async () => {
    const attacker = '198.51.100.9';
    const from = (ip: string | null, params: Record<string, string>, app?: { fetch: (r: Request) => Response | Promise<Response> }) => {
      const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...(ip ? { 'x-forwarded-for': ip } : {}) }, body: new URLSearchParams(params).toString() };
      const res = app ? Promise.resolve(app.fetch(new Request(`${env.base}/payment-notify/alipay`, init))) : fetch(`${env.base}/payment-notify/alipay`, init);
      return res.then(async (r) => ({ status: r.status, text: await r.text(), retryAfter: r.headers.get('retry-after'), type: r.headers.get('content-type') }));
    };
    const o = await openOrder(env, userId, { amountFen: 6_600 });
    const settings = paymentSettings(env.deps.config);
    await openTrade(env.sql, env.clock.now(), { outTradeNo: o.outTradeNo, amountFen: 6_600, subject: 'fine', notifyUrl: settings.notifyUrl, returnUrl: 'http://127.0.0.1/x', timeExpire: null });
    const { trade } = await payTrade(env.sql, env.clock.now(), o.outTradeNo);
    const genuine = notificationOf(trade!, env.clock.now());
    const forged = { ...genuine, total_amount: '0.01' };

    // 20 refusals within 10 minutes, at once: each written and answered `failure`; the 20th locks the address
    const first = await Promise.all(Array.from({ length: 20 }, () => from(attacker, forged)));
    expect(first.map((a) => `${a.status} ${a.text}`)).toEqual(Array(20).fill('200 failure'));
    const limited = await from(attacker, forged);
    // not `success` (Alipay resends anything else): the house problem, with when to come back
    expect(limited).toMatchObject({ status: 429, retryAfter: '600', type: expect.stringContaining('application/problem+json') });
    expect(JSON.parse(limited.text)).toMatchObject({ code: 'payments.notifications_limited' });
    // a second bff process (its own pool) on the same database limits the address as well
    const second = concurrentApp(env, 2);
    expect(await from(attacker, forged, second.app)).toMatchObject({ status: 429 });
    // the genuine one sent from the limited address: not taken, and said so (Alipay resends anything but `success`)
    expect(await from(attacker, genuine)).toMatchObject({ status: 429, text: expect.not.stringMatching(/^success$/) });
    expect(await ledgerOf(env, o.orderId)).toEqual([]);
    const written = await env.sql`SELECT count(*)::int AS n FROM payment_notification_rejected WHERE ip = ${attacker}`;
    expect(written[0]!.n).toBe(20);
    // the provider's own address is not limited by it
    expect(await from(null, genuine)).toMatchObject({ status: 200, text: 'success' });
    expect(await ledgerOf(env, o.orderId)).toEqual([{ kind: 'payment', amount_fen: 6_600, source: 'notification' }]);
    // the lock ends: the resend is taken (a duplicate, still one ledger entry)
    env.clock.advance(10 * 60_000 + 1000);
    expect(await from(attacker, genuine)).toMatchObject({ status: 200, text: 'success' });
    expect(await ledgerOf(env, o.orderId)).toHaveLength(1);
  });
});
