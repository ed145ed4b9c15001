/** Job kinds of the payments module (ADR-035). */
export const PAYMENT_JOBS = {
  /** asks the provider where an order stands; settles it when paid, closes it when expired, else asks again later */
  queryOrder: 'payments.query_order',
  /** sends a refund to the provider and records it */
  refundOrder: 'payments.refund_order',
  /** compares one business day's ledger with the provider's statement */
  reconcileDay: 'payments.reconcile_day',
} as const;

/**
 * The notify endpoint's limit per source address (ADR-038), in the database
 * (platform/throttle.ts, the sign-in throttle's table) so every bff process
 * counts the same: refused notifications (forged, tampered, garbage) count;
 * 20 within 10 minutes lock the address for 10 minutes. Genuine ones never
 * count, so the provider's own addresses are not limited by their traffic; a
 * limited request is answered 429 `failure`, which the provider retries.
 */
export const NOTIFY_REFUSALS_PER_IP = { maxFailures: 20, windowMs: 10 * 60_000, lockMs: 10 * 60_000 };
export const notifyBucket = (ip: string) => `payments-notify:${ip}`;

/** The first query of a new order: 2 minutes after it opens (a notification usually comes first). */
export const firstQueryDelayMs = 2 * 60_000;

/**
 * Backoff of the query job (round n → the delay before round n + 1): 2, 4, 8,
 * 16, 32 minutes, then every hour; it stops once the order is past its end
 * and the provider says it was not paid.
 */
export const queryBackoffMs = (round: number): number => Math.min(60 * 60_000, 2 * 60_000 * 2 ** Math.max(0, round));

/** Asia/Shanghai calendar day of an instant, 'YYYY-MM-DD' (the provider's statement day). */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** '123.45' (the provider's yuan with two decimals) ↔ integer fen, without floating point (X-5.8: money in fen). */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error(`not a fen amount: ${fen}`);
  const s = String(fen).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}
export function yuanToFen(yuan: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
