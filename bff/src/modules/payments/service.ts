import type { Db, TransactionSql } from '../../db.ts';
import type { Actor, Deps, RequestMeta } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { paymentSettings } from './config.ts';
import { parseAlipayTime, providerFor, type PaymentProvider } from './provider.ts';
import { lockOf, recordFailure } from '../../platform/throttle.ts';
import { NOTIFY_REFUSALS_PER_IP, notifyBucket, PAYMENT_JOBS, queryBackoffMs, shanghaiDay, yuanToFen } from './shared.ts';
import type { PaymentRefundedPayload, PaymentSettledPayload } from './orders.ts';

export const SYSTEM: Actor = { kind: 'system', label: 'payments' };
export const providerOf = (deps: Pick<Deps, 'config'>): PaymentProvider => providerFor(paymentSettings(deps.config));

export type OrderRow = {
  id: string; out_trade_no: string; payable_kind: string; payable_ref: string; amount_fen: number; breakdown: { label: string; amountFen: number }[];
  subject: string; owner_user_id: string; authority_id: string | null; settled_job: string; status: string; provider_trade_no: string | null;
  created_at: Date; expires_at: Date; paid_at: Date | null; settled_by: string | null; closed_at: Date | null;
  refund_reason: string | null; refunded_at: Date | null; refunded_job: string | null; refund_reverses_payment: boolean;
};

export async function orderById(db: Db, id: string): Promise<OrderRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [r] = await db<OrderRow[]>`SELECT * FROM payment_order WHERE id = ${id}`;
  return r ?? null;
}

/** One business day's reconciliation is (re)run the next day at 02:00 Asia/Shanghai, and again whenever a late entry lands on it. */
export function reconcileRunAt(day: string): Date {
  return new Date(new Date(`${day}T02:00:00+08:00`).getTime() + 24 * 3600_000);
}

/**
 * (Re)queues the reconciliation of a business day. Read first: once the day's
 * job is queued, the day's settlements must not all meet on its unique key
 * (an INSERT … ON CONFLICT waits for every concurrent inserter of the same key
 * to commit, which made concurrent settlements queue one behind another —
 * found by `pnpm bench -- --only=payments`, ADR-038).
 */
async function queueReconciliation(tx: TransactionSql, day: string, now: Date): Promise<void> {
  const [queued] = await tx`SELECT 1 FROM job WHERE kind = ${PAYMENT_JOBS.reconcileDay} AND dedupe_key = ${day} AND status = 'queued' LIMIT 1`;
  if (!queued) await enqueueJob(tx, { kind: PAYMENT_JOBS.reconcileDay, payload: { day }, runAt: reconcileRunAt(day), dedupeKey: day }, now);
}

export type Settlement = { tradeNo: string; amountFen: number; paidAt: Date; source: 'notification' | 'query' };
export type SettleOutcome = 'paid' | 'duplicate' | 'refund_pending';

/**
 * Records a payment exactly once (ADR-035): all orders of the payable are
 * locked (in id order, so two settlements of one payable queue up), the ledger
 * row is unique per order and per provider trade number, and a second paid
 * order of a payable goes to refund instead of counting twice.
 */
export async function settleOrder(tx: TransactionSql, meta: RequestMeta, orderId: string, s: Settlement): Promise<SettleOutcome> {
  const [head] = await tx<{ payable_kind: string; payable_ref: string }[]>`SELECT payable_kind, payable_ref FROM payment_order WHERE id = ${orderId}`;
  if (!head) throw new Error(`no order ${orderId}`);
  const orders = await tx<OrderRow[]>`
    SELECT * FROM payment_order WHERE payable_kind = ${head.payable_kind} AND payable_ref = ${head.payable_ref} ORDER BY id FOR UPDATE`;
  const order = orders.find((o) => o.id === orderId)!;
  const [already] = await tx<{ id: number }[]>`SELECT id FROM payment_ledger_entry WHERE order_id = ${orderId} AND kind = 'payment'`;
  if (already) return 'duplicate';
  if (!['open', 'closed'].includes(order.status)) return 'duplicate';

  const [entry] = await tx<{ id: number }[]>`
    INSERT INTO payment_ledger_entry (order_id, kind, amount_fen, out_trade_no, provider_trade_no, occurred_at, business_day, recorded_at, source)
    VALUES (${orderId}, 'payment', ${s.amountFen}, ${order.out_trade_no}, ${s.tradeNo}, ${s.paidAt}, ${shanghaiDay(s.paidAt)}, ${meta.now}, ${s.source})
    ON CONFLICT DO NOTHING RETURNING id`;
  if (!entry) return 'duplicate';

  const paidElsewhere = orders.some((o) => o.id !== orderId && o.status === 'paid');
  const before = { status: order.status };
  let outcome: SettleOutcome;
  if (paidElsewhere) {
    // nothing paid twice: the payable was already paid by another order; this money goes back.
    await tx`
      UPDATE payment_order SET status = 'refund_pending', provider_trade_no = ${s.tradeNo}, paid_at = ${s.paidAt}, settled_by = ${s.source},
        refund_reason = '重复支付，自动退款 / paid twice, refunded', refund_requested_at = ${meta.now}
      WHERE id = ${orderId}`;
    await enqueueJob(tx, { kind: PAYMENT_JOBS.refundOrder, payload: { orderId }, runAt: meta.now, dedupeKey: orderId, maxAttempts: 20 }, meta.now);
    outcome = 'refund_pending';
  } else {
    await tx`
      UPDATE payment_order SET status = 'paid', provider_trade_no = ${s.tradeNo}, paid_at = ${s.paidAt}, settled_by = ${s.source}, closed_at = NULL
      WHERE id = ${orderId}`;
    // Other open orders of the payable end here; a payment that still reaches one is refunded.
    await tx`UPDATE payment_order SET status = 'closed', closed_at = ${meta.now}
             WHERE payable_kind = ${order.payable_kind} AND payable_ref = ${order.payable_ref} AND status = 'open' AND id <> ${orderId}`;
    const payload: PaymentSettledPayload = {
      orderId, payableKind: order.payable_kind, payableRef: order.payable_ref, amountFen: s.amountFen, paidAt: s.paidAt.toISOString(),
    };
    await enqueueJob(tx, { kind: order.settled_job, payload, runAt: meta.now, dedupeKey: orderId }, meta.now);
    outcome = 'paid';
  }
  await queueReconciliation(tx, shanghaiDay(s.paidAt), meta.now);
  await writeAudit(tx, SYSTEM, meta, {
    action: outcome === 'paid' ? 'payments.order_paid' : 'payments.paid_twice', entityType: 'payment_order', entityId: orderId, authorityId: order.authority_id,
    before, after: { status: outcome, providerTradeNo: s.tradeNo, amountFen: s.amountFen, paidAt: s.paidAt.toISOString(), source: s.source },
  });
  return outcome;
}

export type RejectReason = 'bad_signature' | 'app_id_mismatch' | 'unknown_order' | 'amount_mismatch' | 'bad_status' | 'malformed';
export type NotifyOutcome = { accepted: true; outcome: SettleOutcome | 'ignored' } | { accepted: false; reason: RejectReason } | { accepted: false; limitedUntil: Date };

/** The fields of a notification kept with a refusal (no buyer identity: buyer_logon_id and buyer_id are left out). */
const KEPT = ['notify_id', 'notify_time', 'notify_type', 'app_id', 'out_trade_no', 'trade_no', 'trade_status', 'total_amount', 'receipt_amount', 'gmt_payment', 'sign_type'];

/**
 * An asynchronous notification (form fields as the provider posted them):
 * signature, app id, order, amount and trade status are checked before
 * anything is recorded; a refusal is kept in payment_notification_rejected
 * and the audit log, in one transaction.
 */
export async function handleNotification(deps: Deps, meta: RequestMeta, params: Record<string, string>): Promise<NotifyOutcome> {
  const provider = providerOf(deps);
  const bucket = notifyBucket(meta.ip);
  // ADR-038: an address that sent too many refused notifications is answered "not taken" (the provider retries later), nothing written
  const lock = await lockOf(deps.sql, [bucket], meta.now);
  if (lock) {
    deps.log.warn({ ip: meta.ip, outTradeNo: params.out_trade_no, lockedUntil: lock.lockedUntil }, 'payment notification rate-limited');
    return { accepted: false, limitedUntil: lock.lockedUntil };
  }
  const reject = async (reason: RejectReason): Promise<NotifyOutcome> => {
    const kept = Object.fromEntries(KEPT.filter((k) => k in params).map((k) => [k, String(params[k]).slice(0, 100)]));
    await deps.sql.begin(async (tx) => {
      await tx`INSERT INTO payment_notification_rejected (received_at, reason, out_trade_no, provider_trade_no, params, ip)
               VALUES (${meta.now}, ${reason}, ${params.out_trade_no?.slice(0, 64) ?? null}, ${params.trade_no?.slice(0, 64) ?? null}, ${tx.json(kept)}, ${meta.ip})`;
      await writeAudit(tx, { kind: 'anonymous', label: 'payment notification' }, meta, {
        action: 'payments.notification_rejected', entityType: 'payment_notification', entityId: params.out_trade_no?.slice(0, 64) ?? null, after: { reason, ...kept },
      });
      await recordFailure(tx, bucket, NOTIFY_REFUSALS_PER_IP, meta.now);
    });
    deps.log.warn({ reason, outTradeNo: params.out_trade_no, ip: meta.ip }, 'payment notification rejected');
    return { accepted: false, reason };
  };

  if (!params.sign || !provider.verifyNotification(params)) return reject('bad_signature');
  if (params.app_id !== provider.appId) return reject('app_id_mismatch');
  const outTradeNo = params.out_trade_no ?? '';
  const [order] = await deps.sql<{ id: string; amount_fen: number; status: string; provider_trade_no: string | null }[]>`
    SELECT id, amount_fen, status, provider_trade_no FROM payment_order WHERE out_trade_no = ${outTradeNo}`;
  if (!order) return reject('unknown_order');
  const amountFen = yuanToFen(params.total_amount ?? '');
  if (amountFen === null || amountFen !== Number(order.amount_fen)) return reject('amount_mismatch');
  const status = params.trade_status;
  if (status === 'WAIT_BUYER_PAY' || status === 'TRADE_CLOSED') return { accepted: true, outcome: 'ignored' };
  if (status !== 'TRADE_SUCCESS' && status !== 'TRADE_FINISHED') return reject('bad_status');
  const paidAt = parseAlipayTime(params.gmt_payment ?? '') ?? meta.now;
  if (!params.trade_no) return reject('malformed');
  // A resend of a payment already recorded (committed, same provider trade): taken without a transaction or a lock.
  if (order.provider_trade_no === params.trade_no && ['paid', 'refund_pending', 'refunded'].includes(order.status)) return { accepted: true, outcome: 'duplicate' };
  const outcome = await deps.sql.begin((tx) => settleOrder(tx, meta, order.id, { tradeNo: params.trade_no!, amountFen, paidAt, source: 'notification' }));
  return { accepted: true, outcome };
}

/**
 * The query job (ADR-035): settles a payment whose notification never came,
 * ends an order past its end that the provider says was not paid, and
 * otherwise asks again later (backoff from the injected clock: the job's `now`).
 */
export async function queryOrderJob(tx: TransactionSql, deps: Deps, now: Date, orderId: string, round: number): Promise<void> {
  const order = await orderById(tx, orderId);
  if (!order || !['open', 'closed'].includes(order.status)) return;
  const meta: RequestMeta = { requestId: `job:${PAYMENT_JOBS.queryOrder}:${orderId}`, ip: '', now };
  const trade = await providerOf(deps).query(order.out_trade_no);
  if (trade.state === 'paid') {
    if (trade.amountFen !== Number(order.amount_fen)) {
      deps.log.error({ orderId, amountFen: trade.amountFen }, 'provider reports another amount for the order');
      return;
    }
    await settleOrder(tx, meta, orderId, { tradeNo: trade.tradeNo, amountFen: trade.amountFen, paidAt: trade.paidAt, source: 'query' });
    return;
  }
  // Past its end (plus a margin for the provider's own close) and not paid: the order is over.
  if (now.getTime() >= order.expires_at.getTime() + 5 * 60_000) {
    if (order.status === 'open') {
      await tx`UPDATE payment_order SET status = 'closed', closed_at = ${now} WHERE id = ${orderId} AND status = 'open'`;
      await writeAudit(tx, SYSTEM, meta, { action: 'payments.order_expired', entityType: 'payment_order', entityId: orderId, authorityId: order.authority_id,
        before: { status: 'open' }, after: { status: 'closed', provider: trade.state } });
    }
    return;
  }
  const next = Math.min(now.getTime() + queryBackoffMs(round + 1), Math.max(now.getTime() + 60_000, order.expires_at.getTime() + 5 * 60_000));
  await enqueueJob(tx, { kind: PAYMENT_JOBS.queryOrder, payload: { orderId, round: round + 1 }, runAt: new Date(next), dedupeKey: orderId, maxAttempts: 20 }, now);
}

/** Asks the provider now (the result page's "check again"; the job does the same later). */
export async function checkOrderNow(deps: Deps, meta: RequestMeta, orderId: string): Promise<void> {
  const order = await orderById(deps.sql, orderId);
  if (!order || order.status !== 'open') return;
  let trade;
  try {
    trade = await providerOf(deps).query(order.out_trade_no);
  } catch {
    throw new DomainError('payments.provider_unavailable');
  }
  if (trade.state === 'paid' && trade.amountFen === Number(order.amount_fen)) {
    await deps.sql.begin((tx) => settleOrder(tx, meta, orderId, { tradeNo: trade.tradeNo, amountFen: trade.amountFen, paidAt: trade.paidAt, source: 'query' }));
  }
}

/** The refund job: sends the refund (idempotent at the provider by out_request_no) and records it once. */
export async function refundOrderJob(tx: TransactionSql, deps: Deps, now: Date, orderId: string): Promise<void> {
  const [order] = await tx<OrderRow[]>`SELECT * FROM payment_order WHERE id = ${orderId} FOR UPDATE`;
  if (!order || order.status !== 'refund_pending') return;
  const meta: RequestMeta = { requestId: `job:${PAYMENT_JOBS.refundOrder}:${orderId}`, ip: '', now };
  const { refundedFen } = await providerOf(deps).refund({
    outTradeNo: order.out_trade_no, amountFen: Number(order.amount_fen), outRequestNo: `R${order.out_trade_no}`.slice(0, 64), reason: order.refund_reason ?? '',
  });
  if (refundedFen !== Number(order.amount_fen)) throw new Error(`refund of ${order.out_trade_no}: provider refunded ${refundedFen}`);
  await tx`
    INSERT INTO payment_ledger_entry (order_id, kind, amount_fen, out_trade_no, provider_trade_no, occurred_at, business_day, recorded_at, source)
    VALUES (${orderId}, 'refund', ${refundedFen}, ${order.out_trade_no}, ${order.provider_trade_no}, ${now}, ${shanghaiDay(now)}, ${now}, 'refund')
    ON CONFLICT DO NOTHING`;
  await tx`UPDATE payment_order SET status = 'refunded', refunded_at = ${now} WHERE id = ${orderId}`;
  // ADR-038: the payment that counted went back — the payable's module undoes what the payment did, once (dedupe by order).
  if (order.refund_reverses_payment && order.refunded_job) {
    const payload: PaymentRefundedPayload = {
      orderId, payableKind: order.payable_kind, payableRef: order.payable_ref, amountFen: refundedFen, refundedAt: now.toISOString(),
      reason: order.refund_reason ?? '', payerUserId: order.owner_user_id,
    };
    await enqueueJob(tx, { kind: order.refunded_job, payload, runAt: now, dedupeKey: orderId }, now);
  }
  await queueReconciliation(tx, shanghaiDay(now), now);
  await writeAudit(tx, SYSTEM, meta, { action: 'payments.order_refunded', entityType: 'payment_order', entityId: orderId, authorityId: order.authority_id,
    before: { status: 'refund_pending' }, after: { status: 'refunded', refundedFen } });
}

/** 管理岗 refunds a paid order (e.g. paid by mistake), with a reason; the refund job sends it. */
export async function requestRefund(sql: Deps['sql'], actor: Actor, meta: RequestMeta, orderId: string, reason: string, scope: string[] | null): Promise<void> {
  await sql.begin(async (tx) => {
    const [order] = await tx<OrderRow[]>`SELECT * FROM payment_order WHERE id = ${orderId} FOR UPDATE`;
    if (!order || (scope && !(order.authority_id && scope.includes(order.authority_id)))) throw new DomainError('payments.order_not_found');
    if (order.status !== 'paid') throw new DomainError('payments.not_refundable', { params: { status: order.status } });
    // the payment that counted for the payable goes back: its module hears of it once the refund is recorded (ADR-038)
    await tx`UPDATE payment_order SET status = 'refund_pending', refund_reason = ${reason}, refund_requested_by = ${actor.id ?? null}, refund_requested_at = ${meta.now},
               refund_reverses_payment = true
             WHERE id = ${orderId}`;
    await enqueueJob(tx, { kind: PAYMENT_JOBS.refundOrder, payload: { orderId }, runAt: meta.now, dedupeKey: orderId, maxAttempts: 20 }, meta.now);
    await writeAudit(tx, actor, meta, { action: 'payments.refund_requested', entityType: 'payment_order', entityId: orderId, authorityId: order.authority_id,
      before: { status: 'paid' }, after: { status: 'refund_pending', reason } });
  });
}
