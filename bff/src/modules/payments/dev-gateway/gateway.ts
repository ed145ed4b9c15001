import { createHmac, createSign, createVerify, randomInt } from 'node:crypto';
import type { Db, Sql } from '../../../db.ts';
import { fenToYuan, shanghaiDay, yuanToFen } from '../shared.ts';
import { alipayTime } from '../provider.ts';
import { DEMO_APP_ID, DEMO_APP_PUBLIC_KEY, DEMO_GATEWAY_PRIVATE_KEY } from './demo-keys.ts';
import { billArchive, type BillTrade } from '../bill.ts';

/**
 * DEVELOPMENT ONLY: a local gateway that plays Alipay (ADR-035) — it checks
 * the platform's RSA2 request signatures with the demo app public key, keeps
 * its trades in dev_gateway_trade, signs its answers and notifications with
 * the demo gateway private key exactly as Alipay does, and serves a daily
 * bill. Nothing here runs with PAYMENT_PROVIDER=alipay or in production.
 */

const pem = (body: string, type: 'PRIVATE KEY' | 'PUBLIC KEY') => `-----BEGIN ${type}-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END ${type}-----`;
const GATEWAY_KEY = pem(DEMO_GATEWAY_PRIVATE_KEY, 'PRIVATE KEY');
const APP_PUBLIC = pem(DEMO_APP_PUBLIC_KEY, 'PUBLIC KEY');

/** Alipay's content to sign: every non-empty field but `sign` (and, for notifications, `sign_type`), sorted, `k=v` joined by `&`. */
export function signContent(params: Record<string, string>, withSignType: boolean): string {
  return Object.keys(params).filter((k) => k !== 'sign' && (withSignType || k !== 'sign_type') && params[k] !== '' && params[k] !== undefined)
    .sort().map((k) => `${k}=${params[k]}`).join('&');
}
export const rsa2Sign = (content: string, key = GATEWAY_KEY) => createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');

/** Whether a request came signed by the demo app key (Alipay checks requests with the app public key the merchant uploaded). */
export function verifyAppRequest(params: Record<string, string>): boolean {
  if (!params.sign || params.app_id !== DEMO_APP_ID) return false;
  try {
    return createVerify('RSA-SHA256').update(signContent(params, true), 'utf8').verify(APP_PUBLIC, params.sign, 'base64');
  } catch {
    return false;
  }
}

/** A signed openapi answer: `{"<method>_response":{…},"sign":"…"}`, the signature over the inner JSON text. */
export function signedAnswer(method: string, body: Record<string, unknown>): string {
  const inner = JSON.stringify(body);
  return `{"${method.replaceAll('.', '_')}_response":${inner},"sign":"${rsa2Sign(inner)}"}`;
}

/** The token on the 确认付款 link (a GET: the bff's pages may not submit forms, ADR-023), so another page cannot pay a trade. */
export const confirmToken = (outTradeNo: string) => createHmac('sha256', DEMO_GATEWAY_PRIVATE_KEY.slice(0, 64)).update(`pay:${outTradeNo}`).digest('hex').slice(0, 32);

export type DevTrade = {
  out_trade_no: string; trade_no: string; app_id: string; total_amount_fen: number; subject: string; status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  notify_url: string; return_url: string; time_expire: Date | null; created_at: Date; paid_at: Date | null; refund_fen: number; refunded_at: Date | null;
};

/** alipay.trade.page.pay: the trade is created on first sight (as Alipay does when the buyer opens the page). */
export async function openTrade(db: Db, now: Date, p: { outTradeNo: string; amountFen: number; subject: string; notifyUrl: string; returnUrl: string; timeExpire: Date | null }): Promise<DevTrade> {
  const tradeNo = `${shanghaiDay(now).replaceAll('-', '')}2200${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(9, '0')}`.slice(0, 28);
  await db`INSERT INTO dev_gateway_trade (out_trade_no, trade_no, app_id, total_amount_fen, subject, status, notify_url, return_url, time_expire, created_at)
           VALUES (${p.outTradeNo}, ${tradeNo}, ${DEMO_APP_ID}, ${p.amountFen}, ${p.subject}, 'WAIT_BUYER_PAY', ${p.notifyUrl}, ${p.returnUrl}, ${p.timeExpire}, ${now})
           ON CONFLICT (out_trade_no) DO NOTHING`;
  const [t] = await db<DevTrade[]>`SELECT * FROM dev_gateway_trade WHERE out_trade_no = ${p.outTradeNo}`;
  return t!;
}

/** The buyer confirms: WAIT_BUYER_PAY → TRADE_SUCCESS once (a conditional update); past time_expire the trade closes instead. */
export async function payTrade(db: Db, now: Date, outTradeNo: string): Promise<{ trade: DevTrade | null; justPaid: boolean }> {
  const [paid] = await db<DevTrade[]>`
    UPDATE dev_gateway_trade SET status = 'TRADE_SUCCESS', paid_at = ${now}
    WHERE out_trade_no = ${outTradeNo} AND status = 'WAIT_BUYER_PAY' AND (time_expire IS NULL OR time_expire > ${now})
    RETURNING *`;
  if (paid) return { trade: paid, justPaid: true };
  await db`UPDATE dev_gateway_trade SET status = 'TRADE_CLOSED' WHERE out_trade_no = ${outTradeNo} AND status = 'WAIT_BUYER_PAY' AND time_expire <= ${now}`;
  const [t] = await db<DevTrade[]>`SELECT * FROM dev_gateway_trade WHERE out_trade_no = ${outTradeNo}`;
  return { trade: t ?? null, justPaid: false };
}

/** The asynchronous notification of a paid trade, signed as Alipay signs it (all fields but sign and sign_type). */
export function notificationOf(t: DevTrade, now: Date): Record<string, string> {
  const params: Record<string, string> = {
    notify_time: alipayTime(now), notify_type: 'trade_status_sync', notify_id: `${t.trade_no}${String(randomInt(1e6)).padStart(6, '0')}`,
    charset: 'utf-8', version: '1.0', app_id: t.app_id, auth_app_id: t.app_id, trade_no: t.trade_no, out_trade_no: t.out_trade_no,
    trade_status: 'TRADE_SUCCESS', total_amount: fenToYuan(Number(t.total_amount_fen)), receipt_amount: fenToYuan(Number(t.total_amount_fen)),
    buyer_pay_amount: fenToYuan(Number(t.total_amount_fen)), subject: t.subject, gmt_create: alipayTime(t.created_at), gmt_payment: alipayTime(t.paid_at!),
    seller_id: '2088000000000001', buyer_id: '2088000000000002',
  };
  return { ...params, sign_type: 'RSA2', sign: rsa2Sign(signContent(params, false)) };
}

/** Posts the notification form-encoded, as Alipay does; answers what the platform said. */
export async function deliverNotification(url: string, params: Record<string, string>): Promise<string> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(params).toString(), signal: AbortSignal.timeout(10_000) });
    return await res.text();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** The openapi methods the platform calls (query, refund, close, bill download URL). */
export async function execMethod(sql: Sql, now: Date, method: string, biz: Record<string, unknown>, billBase: string): Promise<Record<string, unknown>> {
  const outTradeNo = String(biz.out_trade_no ?? '');
  const notExist = { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' };
  switch (method) {
    case 'alipay.trade.query': {
      const [t] = await sql<DevTrade[]>`SELECT * FROM dev_gateway_trade WHERE out_trade_no = ${outTradeNo}`;
      if (!t) return notExist;
      return {
        code: '10000', msg: 'Success', trade_no: t.trade_no, out_trade_no: t.out_trade_no, trade_status: t.status,
        total_amount: fenToYuan(Number(t.total_amount_fen)), buyer_logon_id: 'dem***@example.com',
        ...(t.paid_at ? { send_pay_date: alipayTime(t.paid_at) } : {}),
      };
    }
    case 'alipay.trade.refund': {
      const fen = yuanToFen(String(biz.refund_amount ?? ''));
      const [t] = await sql<DevTrade[]>`SELECT * FROM dev_gateway_trade WHERE out_trade_no = ${outTradeNo}`;
      if (!t) return notExist;
      if (fen === null || fen <= 0 || t.status !== 'TRADE_SUCCESS') return { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_STATUS_ERROR', sub_msg: '交易状态不合法' };
      const [r] = await sql<{ refund_fen: number }[]>`
        UPDATE dev_gateway_trade SET refund_fen = ${fen}, refunded_at = ${now}
        WHERE out_trade_no = ${outTradeNo} AND refund_fen = 0 AND ${fen} <= total_amount_fen RETURNING refund_fen`;
      const [after] = await sql<{ refund_fen: number }[]>`SELECT refund_fen FROM dev_gateway_trade WHERE out_trade_no = ${outTradeNo}`;
      return { code: '10000', msg: 'Success', trade_no: t.trade_no, out_trade_no: outTradeNo, fund_change: r ? 'Y' : 'N', refund_fee: fenToYuan(Number(after!.refund_fen)) };
    }
    case 'alipay.trade.close': {
      const [t] = await sql<DevTrade[]>`UPDATE dev_gateway_trade SET status = 'TRADE_CLOSED' WHERE out_trade_no = ${outTradeNo} AND status = 'WAIT_BUYER_PAY' RETURNING *`;
      return t ? { code: '10000', msg: 'Success', trade_no: t.trade_no, out_trade_no: outTradeNo } : { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_STATUS_ERROR', sub_msg: '交易状态不合法' };
    }
    case 'alipay.data.dataservice.bill.downloadurl.query': {
      const day = String(biz.bill_date ?? '');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return { code: '40004', msg: 'Business Failed', sub_code: 'isp.bill_not_exist', sub_msg: '账单不存在' };
      return { code: '10000', msg: 'Success', bill_download_url: `${billBase}/bills/${day}.zip?token=${confirmToken(`bill:${day}`)}` };
    }
    default:
      return { code: '40004', msg: 'Business Failed', sub_code: 'isv.method-not-supported', sub_msg: `dev gateway: ${method}` };
  }
}

/**
 * The day's bill as Alipay serves it (ADR-038): a ZIP holding the GBK CSV
 * files `<pid>_<yyyymmdd>_业务明细.csv` and `…_业务明细(汇总).csv`, with the
 * payments and refunds completed that day (Asia/Shanghai).
 */
export async function billOf(sql: Sql, day: string, now: Date): Promise<Buffer> {
  const from = new Date(`${day}T00:00:00+08:00`), to = new Date(from.getTime() + 24 * 3600_000);
  const rows = await sql<DevTrade[]>`
    SELECT * FROM dev_gateway_trade WHERE (paid_at >= ${from} AND paid_at < ${to}) OR (refunded_at >= ${from} AND refunded_at < ${to}) ORDER BY out_trade_no`;
  const trades: BillTrade[] = [];
  for (const t of rows) {
    const base = { tradeNo: t.trade_no, outTradeNo: t.out_trade_no, subject: t.subject, createdAt: alipayTime(t.created_at), orderAmountYuan: fenToYuan(Number(t.total_amount_fen)) };
    if (t.paid_at && t.paid_at >= from && t.paid_at < to) trades.push({ ...base, kind: 'payment', doneAt: alipayTime(t.paid_at), amountYuan: fenToYuan(Number(t.total_amount_fen)) });
    if (t.refunded_at && t.refunded_at >= from && t.refunded_at < to) {
      trades.push({ ...base, kind: 'refund', doneAt: alipayTime(t.refunded_at), amountYuan: fenToYuan(Number(t.refund_fen)), refundRequestNo: `R${t.out_trade_no}`.slice(0, 64) });
    }
  }
  const exported = alipayTime(now);
  return billArchive('2088000000000001', day, trades, `${exported.slice(0, 4)}年${exported.slice(5, 7)}月${exported.slice(8, 10)}日 ${exported.slice(11)}`);
}
