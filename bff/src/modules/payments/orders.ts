import type { Db } from '../../db.ts';
import type { Actor, RequestMeta } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { PAYMENT_JOBS, firstQueryDelayMs } from './shared.ts';

/**
 * The API other modules use to get a payable paid (issue 21, X-5.5, X-5.7,
 * PD-10; ADR-035). Everything here runs in the CALLER's transaction.
 */

export type PaymentBreakdownLine = { label: string; amountFen: number };

export type OpenPaymentOrderInput = {
  payableKind: string;
  payableRef: string;
  /** integer fen, > 0 */
  amountFen: number;
  subject: string;
  ownerUserId: string;
  /** the order ends then (the caller passes 24:00 Asia/Shanghai of the day: a late fee changes daily) */
  expiresAt: Date;
  /** job kind enqueued, in the transaction that records the payment, with payload { orderId, payableKind, payableRef, amountFen, paidAt } */
  settledJob: string;
  /**
   * optional: job kind enqueued, in the transaction that records the refund, when 管理岗 refunds
   * the payment that counted for this payable (payload {@link PaymentRefundedPayload}; ADR-038)
   */
  refundedJob?: string;
  /** optional: what the amount is made of (e.g. 罚款 + 滞纳金), shown on the pay page; the lines must add up to amountFen */
  breakdown?: PaymentBreakdownLine[];
  /** optional: the city whose staff may see the order (the payable's authority) */
  authorityId?: string | null;
};

export type OpenedPaymentOrder = { orderId: string; outTradeNo: string; status: 'open' | 'paid'; payUrl: string; amountFen: number };

/** The payload of the `settledJob` the payments module enqueues when the payment is recorded. */
export type PaymentSettledPayload = { orderId: string; payableKind: string; payableRef: string; amountFen: number; paidAt: string };

/** The payload of the `refundedJob`: the payment that counted for the payable went back to the payer (ADR-038). */
export type PaymentRefundedPayload = {
  orderId: string; payableKind: string; payableRef: string; amountFen: number; refundedAt: string; reason: string; payerUserId: string;
};

/** The web page where the citizen pays an order. */
export const payPagePath = (orderId: string) => `/payments/${orderId}`;

type OrderRow = { id: string; out_trade_no: string; status: string; amount_fen: number; expires_at: Date; paid_at: Date | null };

/**
 * Opens (or returns the open one for the same payable — one open order per
 * payable, enforced by the partial unique index
 * `payment_order_one_open_per_payable`) an order in the same transaction as
 * the caller's writes. A payable already paid answers that paid order
 * (status 'paid') and opens nothing. An open order of another amount, or one
 * past its end, is closed and replaced (a payment that still reaches it is
 * refunded, ADR-035).
 */
export async function openPaymentOrder(tx: Db, actor: Actor, meta: RequestMeta, o: OpenPaymentOrderInput): Promise<OpenedPaymentOrder> {
  if (!Number.isSafeInteger(o.amountFen) || o.amountFen <= 0) throw new DomainError('payments.bad_amount', { params: { amountFen: o.amountFen } });
  if (!(o.expiresAt instanceof Date) || !(o.expiresAt.getTime() > meta.now.getTime())) throw new DomainError('payments.order_expired');
  const breakdown = o.breakdown ?? [];
  if (breakdown.length > 0) {
    const sum = breakdown.reduce((s, l) => s + l.amountFen, 0);
    if (breakdown.some((l) => !Number.isSafeInteger(l.amountFen) || l.amountFen < 0 || !l.label) || sum !== o.amountFen) {
      throw new DomainError('payments.bad_amount', { params: { amountFen: o.amountFen } });
    }
  }
  const answer = (r: OrderRow): OpenedPaymentOrder => ({
    orderId: r.id, outTradeNo: r.out_trade_no, status: r.status === 'paid' ? 'paid' : 'open', payUrl: payPagePath(r.id), amountFen: Number(r.amount_fen),
  });

  for (let attempt = 0; attempt < 3; attempt++) {
    const [paid] = await tx<OrderRow[]>`
      SELECT id, out_trade_no, status, amount_fen, expires_at, paid_at FROM payment_order
      WHERE payable_kind = ${o.payableKind} AND payable_ref = ${o.payableRef} AND status = 'paid'`;
    if (paid) return answer(paid);

    const [open] = await tx<OrderRow[]>`
      SELECT id, out_trade_no, status, amount_fen, expires_at, paid_at FROM payment_order
      WHERE payable_kind = ${o.payableKind} AND payable_ref = ${o.payableRef} AND status = 'open'
      FOR UPDATE`;
    if (open) {
      if (Number(open.amount_fen) === o.amountFen && open.expires_at.getTime() > meta.now.getTime()) return answer(open);
      // Another amount (a new day's late fee) or past its end: closed here; the query job
      // already queued for it still asks the provider, and a late payment is refunded.
      await tx`UPDATE payment_order SET status = 'closed', closed_at = ${meta.now} WHERE id = ${open.id} AND status = 'open'`;
      await writeAudit(tx, actor, meta, {
        action: 'payments.order_replaced', entityType: 'payment_order', entityId: open.id,
        before: { status: 'open', amountFen: Number(open.amount_fen) }, after: { status: 'closed', newAmountFen: o.amountFen },
      });
    }

    const [created] = await tx<OrderRow[]>`
      INSERT INTO payment_order (out_trade_no, payable_kind, payable_ref, amount_fen, breakdown, subject, owner_user_id, authority_id,
                                 settled_job, refunded_job, status, provider, created_at, expires_at)
      VALUES ('JT' || to_char(${meta.now}::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('payment_order_no_seq')::text, 10, '0'),
              ${o.payableKind}, ${o.payableRef}, ${o.amountFen}, ${tx.json(breakdown)}, ${o.subject.slice(0, 128)}, ${o.ownerUserId},
              ${o.authorityId ?? null}, ${o.settledJob}, ${o.refundedJob ?? null}, 'open', 'alipay', ${meta.now}, ${o.expiresAt})
      ON CONFLICT (payable_kind, payable_ref) WHERE status = 'open' DO NOTHING
      RETURNING id, out_trade_no, status, amount_fen, expires_at, paid_at`;
    if (!created) continue; // another transaction opened one at the same moment: read it
    await writeAudit(tx, actor, meta, {
      action: 'payments.order_opened', entityType: 'payment_order', entityId: created.id,
      after: { outTradeNo: created.out_trade_no, payableKind: o.payableKind, payableRef: o.payableRef, amountFen: o.amountFen, expiresAt: o.expiresAt.toISOString() },
    });
    // The durable query job (ADR-035): settles a payment whose notification never comes.
    await enqueueJob(tx, {
      kind: PAYMENT_JOBS.queryOrder, payload: { orderId: created.id, round: 0 },
      runAt: new Date(meta.now.getTime() + firstQueryDelayMs), dedupeKey: created.id, maxAttempts: 20,
    }, meta.now);
    return answer(created);
  }
  throw new DomainError('payments.order_busy');
}

export type PayableStatus = { orderId: string; status: 'open' | 'paid' | 'closed' | 'refunded'; amountFen: number; paidAt: string | null };

/**
 * Where the payment of a payable stands: its paid order if any, else its open
 * one, else the latest. `refund_pending` reads as 'refunded' (the money goes back).
 */
export async function paymentOfPayable(db: Db, payableKind: string, payableRef: string): Promise<PayableStatus | null> {
  const [r] = await db<{ id: string; status: string; amount_fen: number; paid_at: Date | null }[]>`
    SELECT id, status, amount_fen, paid_at FROM payment_order
    WHERE payable_kind = ${payableKind} AND payable_ref = ${payableRef}
    ORDER BY CASE status WHEN 'paid' THEN 0 WHEN 'open' THEN 1 ELSE 2 END, created_at DESC, id
    LIMIT 1`;
  if (!r) return null;
  const status = r.status === 'refund_pending' ? 'refunded' : (r.status as PayableStatus['status']);
  return { orderId: r.id, status, amountFen: Number(r.amount_fen), paidAt: r.paid_at ? r.paid_at.toISOString() : null };
}
