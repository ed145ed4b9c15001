import { AlipaySdk } from 'alipay-sdk';
import type { PaymentSettings } from './config.ts';
import { fenToYuan, yuanToFen } from './shared.ts';
import { BillFormatError, parseBillZip } from './bill.ts';

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

export type StatementLine = {
  kind: 'payment' | 'refund'; outTradeNo: string; providerTradeNo: string; amountFen: number; occurredAt: Date;
  /** a refund line's 退款批次号/请求号 (out_request_no) */
  refundRequestNo?: string;
};

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
   * alipay.data.dataservice.bill.downloadurl.query, then the bill itself: a
   * ZIP of GBK CSV files, whose 业务明细 detail file is read (bill.ts, ADR-038).
   * The link is valid for 30 seconds, so it is fetched at once.
   */
  async statement(day: string): Promise<StatementLine[]> {
    const r = await this.#exec('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: day });
    // no trade that day: Alipay answers that the bill does not exist
    if (r.code === '40004' && /bill_not_exist/i.test(String(r.subCode ?? ''))) return [];
    if (r.code !== '10000' || typeof r.billDownloadUrl !== 'string') throw new ProviderError(`bill.downloadurl.query: ${r.code} ${r.subCode ?? ''}`);
    let zip: Buffer;
    try {
      const res = await fetch(r.billDownloadUrl, { signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      zip = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      throw new ProviderError(`bill download: ${(e as Error).message}`);
    }
    try {
      return parseBillZip(zip);
    } catch (e) {
      if (e instanceof BillFormatError) throw new ProviderError(e.message);
      throw e;
    }
  }
}

let cached: { settings: PaymentSettings; provider: PaymentProvider } | null = null;
/** The provider for these settings (one SDK instance per settings). */
export function providerFor(s: PaymentSettings): PaymentProvider {
  if (cached?.settings !== s) cached = { settings: s, provider: new AlipayProvider(s) };
  return cached.provider;
}
