import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { router, jsonBody, jsonResponse, problems, meta } from '../../http/openapi.ts';
import type { AppEnv } from '../../http/context.ts';
import { bodyLimitOf } from '../../http/body-limit.ts';
import { DomainError } from '../../core/errors.ts';
import { platformNow } from '../../platform/dev-clock.ts';
import { paymentSettings } from './config.ts';
import { parseAlipayTime } from './provider.ts';
import { fenToYuan, yuanToFen } from './shared.ts';
import { openPaymentOrder } from './orders.ts';
import { DEV_TEST_SETTLED_JOB } from './jobs.ts';
import { formFields } from './form.ts';
import { PaymentDevTestOrderAnswer, PaymentDevTestOrderRequest } from './schemas.ts';
import { billOf, confirmToken, deliverNotification, execMethod, notificationOf, openTrade, payTrade, signedAnswer, verifyAppRequest } from './dev-gateway/gateway.ts';

/**
 * DEVELOPMENT ONLY (ADR-035): the gateway that plays Alipay, served by the bff
 * under /dev-gateway/alipay/ and refused (404) unless the development tools
 * are on (DEV_TOOLS=1, itself refused in production by env.ts) and
 * PAYMENT_PROVIDER=dev. Outside /api and /dev because Alipay's protocol is
 * form-encoded. Its pay page confirms with a link (the bff's pages may submit
 * no form, ADR-023), then posts the signed notification to the platform's
 * notify endpoint — more than once, as Alipay may — and sends the buyer back.
 */
const tags = ['dev'];
const enabled = (c: Context<AppEnv>) => {
  const deps = c.get('deps');
  if (!deps.config.DEV_TOOLS || deps.config.NODE_ENV === 'production' || paymentSettings(deps.config).provider !== 'dev') throw new DomainError('payments.dev_gateway_disabled');
  return deps;
};
const nowOf = async (c: Context<AppEnv>) => platformNow(c.get('deps').sql, c.get('now'), c.get('deps').config.allowTestClock);
const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const billBase = (gateway: string) => gateway.replace(/\/gateway\.do$/, '');

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title></head>
<body><p><strong>开发环境模拟支付宝 · Development gateway — not Alipay, no money moves</strong></p><main>${body}</main></body></html>`;
}

const html = { 200: { content: { 'text/html': { schema: z.string() } }, description: 'page' } };

export const paymentDevGatewayRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/dev-gateway/alipay/gateway.do', tags, summary: 'Dev gateway: alipay.trade.page.pay — the pay page (development only)',
      responses: { ...html, ...problems(404) },
    }),
    async (c) => {
      const deps = enabled(c);
      const q: Record<string, string> = c.req.query();
      if (q.method !== 'alipay.trade.page.pay' || !verifyAppRequest(q)) return c.html(page('签名错误', '<h1>验签出错 (invalid-signature)</h1>'), 400);
      let biz: Record<string, string>;
      try { biz = JSON.parse(q.biz_content ?? '') as Record<string, string>; } catch { return c.html(page('参数错误', '<h1>biz_content 无效</h1>'), 400); }
      const amountFen = yuanToFen(String(biz.total_amount ?? ''));
      if (!biz.out_trade_no || amountFen === null || amountFen <= 0 || !q.notify_url || !q.return_url) return c.html(page('参数错误', '<h1>缺少参数</h1>'), 400);
      const now = await nowOf(c);
      const t = await openTrade(deps.sql, now, {
        outTradeNo: String(biz.out_trade_no), amountFen, subject: String(biz.subject ?? ''), notifyUrl: q.notify_url, returnUrl: q.return_url,
        timeExpire: parseAlipayTime(String(biz.time_expire ?? '')),
      });
      if (Number(t.total_amount_fen) !== amountFen) return c.html(page('订单信息不一致', '<h1>交易信息被篡改 (ACQ.TRADE_HAS_CHANGED)</h1>'), 400);
      const amount = fenToYuan(amountFen);
      const body = t.status === 'TRADE_SUCCESS'
        ? `<h1>该订单已支付</h1><p><a href="${esc(t.return_url)}">返回商户</a></p>`
        : t.status === 'TRADE_CLOSED' ? '<h1>交易已关闭</h1>'
          : `<h1>支付宝收银台（模拟）</h1><dl><dt>商品</dt><dd>${esc(t.subject)}</dd><dt>订单号</dt><dd>${esc(t.out_trade_no)}</dd><dt>应付金额</dt><dd>¥${amount} 元</dd></dl>
<p><a role="button" href="/dev-gateway/alipay/pay?out_trade_no=${encodeURIComponent(t.out_trade_no)}&amp;token=${confirmToken(t.out_trade_no)}">确认付款</a></p>`;
      return c.html(page('支付宝收银台（模拟）', body), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/dev-gateway/alipay/pay', tags, summary: 'Dev gateway: the buyer confirms; the signed notification is posted, then the buyer goes back (development only)',
      request: { query: z.object({ out_trade_no: z.string().max(64), token: z.string().max(64), notify: z.enum(['none']).optional() }) },
      responses: { 302: { description: 'back to the merchant' }, ...html, ...problems(404) },
    }),
    async (c) => {
      const deps = enabled(c);
      const q = c.req.valid('query');
      if (q.token !== confirmToken(q.out_trade_no)) throw new DomainError('payments.dev_trade_not_found');
      const now = await nowOf(c);
      const { trade, justPaid } = await payTrade(deps.sql, now, q.out_trade_no);
      if (!trade) throw new DomainError('payments.dev_trade_not_found');
      if (trade.status !== 'TRADE_SUCCESS') return c.html(page('交易已关闭', '<h1>交易已关闭，未扣款</h1>'), 200);
      if (q.notify !== 'none') {
        // Alipay may deliver one notification more than once, and at the same time: so does this gateway
        // (DEV_GATEWAY_NOTIFY_TIMES, default 2); confirming a paid trade again delivers it once more, as a late resend.
        const params = notificationOf(trade, now);
        const times = justPaid ? paymentSettings(deps.config).devNotifyTimes : 1;
        const answers = await Promise.all(Array.from({ length: times }, () => deliverNotification(trade.notify_url, params)));
        c.get('log').info({ outTradeNo: trade.out_trade_no, answers }, 'dev gateway delivered the notification');
      }
      const back = new URL(trade.return_url);
      back.searchParams.set('out_trade_no', trade.out_trade_no);
      back.searchParams.set('trade_no', trade.trade_no);
      back.searchParams.set('total_amount', fenToYuan(Number(trade.total_amount_fen)));
      return c.redirect(back.toString(), 302);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/dev-gateway/alipay/gateway.do', tags, summary: 'Dev gateway: openapi methods (query, refund, close, bill URL), RSA2-signed both ways (development only)',
      middleware: [bodyLimitOf(16 * 1024, 'request.too_large')] as const,
      responses: { 200: { description: 'the signed answer, `{"<method>_response":{…},"sign":"…"}` (JSON text: the signature covers its exact bytes)' }, ...problems(404) },
    }),
    async (c) => {
      const deps = enabled(c);
      const params: Record<string, string> = { ...c.req.query(), ...(await formFields(c.req)) };
      const method = String(params.method ?? '');
      if (!verifyAppRequest(params)) {
        return c.body(JSON.stringify({ error_response: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' } }), 200, { 'content-type': 'application/json; charset=utf-8' });
      }
      let biz: Record<string, unknown> = {};
      try { biz = JSON.parse(params.biz_content ?? '{}') as Record<string, unknown>; } catch { /* empty biz: answered as not found */ }
      const answer = await execMethod(deps.sql, await nowOf(c), method, biz, billBase(paymentSettings(deps.config).gateway));
      return c.body(signedAnswer(method, answer), 200, { 'content-type': 'application/json; charset=utf-8' });
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/dev-gateway/alipay/bills/{file}', tags, summary: 'Dev gateway: the day’s trade bill, a ZIP of GBK CSV files as Alipay serves it (development only)',
      request: { params: z.object({ file: z.string().regex(/^\d{4}-\d{2}-\d{2}\.zip$/) }), query: z.object({ token: z.string().max(64) }) },
      responses: { 200: { content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'bill archive' }, ...problems(404) },
    }),
    async (c) => {
      const deps = enabled(c);
      const day = c.req.valid('param').file.slice(0, 10);
      if (c.req.valid('query').token !== confirmToken(`bill:${day}`)) throw new DomainError('payments.dev_trade_not_found');
      const zip = await billOf(deps.sql, day, await nowOf(c));
      return c.body(new Uint8Array(zip), 200, { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${day.replaceAll('-', '')}.csv.zip"` });
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/dev/payments/test-orders', tags, summary: 'A test payable and its payment order for a citizen (development only; e2e and demos)',
      request: jsonBody(PaymentDevTestOrderRequest), responses: { 201: jsonResponse(PaymentDevTestOrderAnswer, 'order'), ...problems(404) },
    }),
    async (c) => {
      const deps = enabled(c);
      const { phone, amountFen } = c.req.valid('json');
      const m = meta(c);
      const answer = await deps.sql.begin(async (tx) => {
        const [u] = await tx<{ id: string }[]>`SELECT id FROM user_account WHERE phone = ${phone} AND status <> 'cancelled'`;
        if (!u) throw new DomainError('payments.order_not_found');
        const ref = `T${m.now.getTime().toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
        const endOfDay = new Date(new Date(`${new Date(m.now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)}T00:00:00+08:00`).getTime() + 24 * 3600_000);
        return openPaymentOrder(tx, { kind: 'system', label: 'dev test order' }, m, {
          payableKind: 'dev_test', payableRef: ref, amountFen, subject: `测试缴费 ${ref}`, ownerUserId: u.id, expiresAt: endOfDay, settledJob: DEV_TEST_SETTLED_JOB,
          breakdown: amountFen > 100 ? [{ label: '罚款 / fine', amountFen: amountFen - 100 }, { label: '滞纳金 / late fee', amountFen: 100 }] : [],
        });
      });
      return c.json({ orderId: answer.orderId, outTradeNo: answer.outTradeNo, payUrl: answer.payUrl, amountFen: answer.amountFen }, 201);
    },
  );
