import type { Deps, RequestMeta } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { readsOf } from '../../core/context.ts';
import { paymentSettings } from './config.ts';
import { orderById, providerOf, checkOrderNow, type OrderRow } from './service.ts';
import type { PaymentOrder } from './schemas.ts';

export function orderDto(o: OrderRow): PaymentOrder {
  return {
    id: o.id, outTradeNo: o.out_trade_no, subject: o.subject, amountFen: Number(o.amount_fen),
    breakdown: (o.breakdown ?? []).map((l) => ({ label: String(l.label), amountFen: Number(l.amountFen) })),
    status: o.status as PaymentOrder['status'], payableKind: o.payable_kind, payableRef: o.payable_ref,
    createdAt: o.created_at.toISOString(), expiresAt: o.expires_at.toISOString(), paidAt: o.paid_at?.toISOString() ?? null,
    providerTradeNo: o.provider_trade_no, provider: 'alipay', refundedAt: o.refunded_at?.toISOString() ?? null,
  };
}

/** The citizen's own order; anyone else's is 404 (non-negotiable 6). */
async function ownOrder(db: Deps['sql'], userId: string, id: string): Promise<OrderRow> {
  const o = await orderById(db, id);
  if (!o || o.owner_user_id !== userId) throw new DomainError('payments.order_not_found');
  return o;
}

export async function getOwnOrder(deps: Deps, userId: string, id: string): Promise<PaymentOrder> {
  return orderDto(await ownOrder(readsOf(deps), userId, id));
}

/**
 * The provider's page for an open order. Every tab and device of one payable
 * gets the same out_trade_no (one open order per payable), so the provider
 * takes the money once.
 */
export async function payOwnOrder(deps: Deps, userId: string, id: string, meta: RequestMeta): Promise<{ redirectUrl: string }> {
  const o = await ownOrder(deps.sql, userId, id);
  if (o.status !== 'open') throw new DomainError('payments.order_not_open', { params: { status: o.status } });
  if (o.expires_at.getTime() <= meta.now.getTime()) throw new DomainError('payments.order_expired');
  const settings = paymentSettings(deps.config);
  const redirectUrl = providerOf(deps).payUrl({
    outTradeNo: o.out_trade_no, amountFen: Number(o.amount_fen), subject: o.subject, expiresAt: o.expires_at, returnUrl: settings.returnUrl(o.id),
  });
  return { redirectUrl };
}

/** The result page's "check now": asks the provider, settles a payment whose notification is late. */
export async function checkOwnOrder(deps: Deps, userId: string, id: string, meta: RequestMeta): Promise<PaymentOrder> {
  const o = await ownOrder(deps.sql, userId, id);
  if (o.status === 'open') await checkOrderNow(deps, meta, id);
  return orderDto((await orderById(deps.sql, id))!);
}
