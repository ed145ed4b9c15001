import { AlipaySdk } from 'alipay-sdk';
import type { PaymentSettings } from './config.ts';
import { fenToYuan, yuanToFen } from './shared.ts';

/**
 * What the platform needs from a payment provider (ADR-035). The Alipay
 * adapter below speaks Alipay's protocol through the official `alipay-sdk`
 * (RSA2-signed requests, verified answers, `checkNotifySignV2` for
 * notifications); `wechatpay-node-v3` would fit the same interface.
 */
export interface PaymentProvider {
  readonly name: 'alipay';
  readonly appId: string;
  /** the provider's page where the buyer pays (page pay: a signed GET link) */
  payUrl(o: { outTradeNo: string; amountFen: number; subject: string; expiresAt: Date; returnUrl: string }): string;
  /** whether an asynchronous notification's signature is the provider's */
  verifyNotification(params: Record<string, string>): boolean;
  query(outTradeNo: string): Promise<ProviderTrade>;
  refund(o: { outTradeNo: string; amountFen: number; outRequestNo: string; reason: string }): Promise<{ refundedFen: number }>;
  /** the provider's statement of one business day (Asia/Shanghai) */
  statement(day: string): Promise<StatementLine[]>;
}

export type ProviderTrade =
  | { state: 'paid'; tradeNo: string; amountFen: number; paidAt: Date }
  | { state: 'waiting' | 'closed' | 'not_found' };

export type StatementLine = { kind: 'payment' | 'refund'; outTradeNo: string; providerTradeNo: string; amountFen: number; occurredAt: Date };

export class ProviderError extends Error {}

/** 'yyyy-MM-dd HH:mm:ss' in Asia/Shanghai, Alipay's time format. */
export function alipayTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
export function parseAlipayTime(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export class AlipayProvider implements PaymentProvider {
  readonly name = 'alipay' as const;
  readonly appId: string;
  readonly #sdk: AlipaySdk;
  readonly #notifyUrl: string;

  constructor(s: PaymentSettings) {
    this.appId = s.appId;
    this.#notifyUrl = s.notifyUrl;
    this.#sdk = new AlipaySdk({
      appId: s.appId, privateKey: s.privateKey, keyType: s.keyType, alipayPublicKey: s.alipayPublicKey,
      gateway: s.gateway, signType: 'RSA2', timeout: 5000,
    });
  }

  payUrl(o: { outTradeNo: string; amountFen: number; subject: string; expiresAt: Date; returnUrl: string }): string {
    return this.#sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: {
        out_trade_no: o.outTradeNo, total_amount: fenToYuan(o.amountFen), subject: o.subject,
        product_code: 'FAST_INSTANT_TRADE_PAY', time_expire: alipayTime(o.expiresAt),
      },
      notifyUrl: this.#notifyUrl,
      returnUrl: o.returnUrl,
    });
  }

  verifyNotification(params: Record<string, string>): boolean {
    try {
      // V2: the values are the form's decoded values, verified as they are (Alipay signs them so)
      return this.#sdk.checkNotifySignV2(params);
    } catch {
      return false;
    }
  }

  async #exec(method: string, bizContent: Record<string, unknown>) {
    let r: Record<string, unknown>;
    try {
      r = await this.#sdk.exec(method, { bizContent }, { validateSign: true });
    } catch (e) {
      throw new ProviderError(`${method}: ${(e as Error).message.slice(0, 300)}`);
    }
    return r as { code: string; subCode?: string; msg?: string; [k: string]: unknown };
  }

  async query(outTradeNo: string): Promise<ProviderTrade> {
    const r = await this.#exec('alipay.trade.query', { out_trade_no: outTradeNo });
    if (r.code === '40004' && r.subCode === 'ACQ.TRADE_NOT_EXIST') return { state: 'not_found' };
    if (r.code !== '10000') throw new ProviderError(`alipay.trade.query: ${r.code} ${r.subCode ?? ''}`);
    const status = String(r.tradeStatus);
    if (status === 'TRADE_SUCCESS' || status === 'TRADE_FINISHED') {
      const amountFen = yuanToFen(String(r.totalAmount));
      const paidAt = parseAlipayTime(String(r.sendPayDate ?? ''));
      if (amountFen === null || !paidAt || !r.tradeNo) throw new ProviderError('alipay.trade.query: incomplete answer');
      return { state: 'paid', tradeNo: String(r.tradeNo), amountFen, paidAt };
    }
    if (status === 'TRADE_CLOSED') return { state: 'closed' };
    return { state: 'waiting' };
  }

  async refund(o: { outTradeNo: string; amountFen: number; outRequestNo: string; reason: string }): Promise<{ refundedFen: number }> {
    const r = await this.#exec('alipay.trade.refund', {
      out_trade_no: o.outTradeNo, refund_amount: fenToYuan(o.amountFen), out_request_no: o.outRequestNo, refund_reason: o.reason,
    });
    if (r.code !== '10000') throw new ProviderError(`alipay.trade.refund: ${r.code} ${r.subCode ?? ''}`);
    const refundedFen = yuanToFen(String(r.refundFee ?? ''));
    if (refundedFen === null) throw new ProviderError('alipay.trade.refund: no refund_fee');
    return { refundedFen };
  }

  /**
   * alipay.data.dataservice.bill.downloadurl.query, then the bill itself. The
   * dev gateway serves the bill as CSV text; a real merchant's bill is a zip
   * of GBK CSV files (not unpacked here yet: ADR-035, open points).
   */
  async statement(day: string): Promise<StatementLine[]> {
    const r = await this.#exec('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: day });
    if (r.code === '40004') return [];
    if (r.code !== '10000' || typeof r.billDownloadUrl !== 'string') throw new ProviderError(`bill.downloadurl.query: ${r.code}`);
    let text: string;
    try {
      const res = await fetch(r.billDownloadUrl, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    } catch (e) {
      throw new ProviderError(`bill download: ${(e as Error).message}`);
    }
    return parseBill(text);
  }
}

/**
 * Alipay's trade bill (业务明细): comment lines start with '#'; the columns we
 * read are 支付宝交易号, 商户订单号, 业务类型 (交易 / 退款), 完成时间 and
 * 订单金额（元） (for a refund, the refunded amount, negative).
 */
export function parseBill(text: string): StatementLine[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) return [];
  const header = lines[0]!.split(',').map((h) => h.trim());
  const col = (name: string) => header.findIndex((h) => h.startsWith(name));
  const iTrade = col('支付宝交易号'), iOut = col('商户订单号'), iType = col('业务类型'), iDone = col('完成时间'), iAmount = col('订单金额');
  if ([iTrade, iOut, iType, iDone, iAmount].some((i) => i < 0)) throw new ProviderError('bill: unknown columns');
  const out: StatementLine[] = [];
  for (const l of lines.slice(1)) {
    const c = l.split(',').map((x) => x.trim().replace(/^\t/, ''));
    if (c.length < header.length || c[0]!.startsWith('合计')) continue;
    const amount = c[iAmount]!.replace(/^-/, '');
    const fen = yuanToFen(amount);
    const at = parseAlipayTime(c[iDone]!);
    if (fen === null || !at) throw new ProviderError(`bill: bad line ${l.slice(0, 80)}`);
    out.push({ kind: c[iType] === '退款' ? 'refund' : 'payment', outTradeNo: c[iOut]!, providerTradeNo: c[iTrade]!, amountFen: fen, occurredAt: at });
  }
  return out;
}

let cached: { settings: PaymentSettings; provider: PaymentProvider } | null = null;
/** The provider for these settings (one SDK instance per settings). */
export function providerFor(s: PaymentSettings): PaymentProvider {
  if (cached?.settings !== s) cached = { settings: s, provider: new AlipayProvider(s) };
  return cached.provider;
}
