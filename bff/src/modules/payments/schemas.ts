import { z } from '@hono/zod-openapi';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const PaymentIdParam = z.object({ id: uuid });
export const PaymentListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});

export const PaymentStatus = z.enum(['open', 'paid', 'closed', 'refund_pending', 'refunded']).openapi('PaymentStatus');

/** A payment order as its owner sees it (pay page, result page, receipt). Money in integer fen. */
export const PaymentOrderDto = z.object({
  id: z.string(),
  /** 商户订单号: the reference number on the receipt */
  outTradeNo: z.string(),
  subject: z.string(),
  amountFen: z.number().int(),
  breakdown: z.array(z.object({ label: z.string(), amountFen: z.number().int() })),
  status: PaymentStatus,
  payableKind: z.string(),
  payableRef: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  paidAt: z.string().nullable(),
  /** 支付宝交易号, once paid */
  providerTradeNo: z.string().nullable(),
  provider: z.string(),
  refundedAt: z.string().nullable(),
}).openapi('PaymentOrder');

export const PaymentPayAnswer = z.object({ redirectUrl: z.string() }).openapi('PaymentPayAnswer');

export const PaymentAdminOrderDto = PaymentOrderDto.extend({
  authorityId: z.string().nullable(),
  settledBy: z.string().nullable(),
  refundReason: z.string().nullable(),
  ledgerEntries: z.number().int(),
}).openapi('PaymentAdminOrder');

export const PaymentRefundRequest = z.strictObject({ reason: z.string().trim().min(2).max(200) }).openapi('PaymentRefundRequest');

export const PaymentReconciliationDto = z.object({
  id: z.string(),
  businessDay: z.string(),
  status: z.enum(['balanced', 'mismatched']),
  ledgerCount: z.number().int(),
  ledgerNetFen: z.number().int(),
  statementCount: z.number().int(),
  statementNetFen: z.number().int(),
  mismatchCount: z.number().int(),
  unresolvedCount: z.number().int(),
  ranAt: z.string(),
}).openapi('PaymentReconciliation');

export const PaymentMismatchDto = z.object({
  id: z.string(),
  businessDay: z.string(),
  kind: z.enum(['payment', 'refund']),
  problem: z.enum(['missing_in_ledger', 'missing_in_statement', 'amount_differs']),
  outTradeNo: z.string(),
  providerTradeNo: z.string(),
  ledgerAmountFen: z.number().int().nullable(),
  statementAmountFen: z.number().int().nullable(),
  resolvedAt: z.string().nullable(),
  resolutionNote: z.string().nullable(),
}).openapi('PaymentMismatch');

export const PaymentResolveRequest = z.strictObject({ note: z.string().trim().min(2).max(500) }).openapi('PaymentResolveRequest');

export const PaymentRejectedNotificationDto = z.object({
  id: z.string(),
  receivedAt: z.string(),
  reason: z.string(),
  outTradeNo: z.string().nullable(),
  providerTradeNo: z.string().nullable(),
  ip: z.string(),
}).openapi('PaymentRejectedNotification');

export const PaymentDevTestOrderRequest = z.strictObject({
  phone: z.string().regex(/^1\d{10}$/),
  amountFen: z.number().int().min(1).max(100_000_00),
}).openapi('PaymentDevTestOrderRequest');
export const PaymentDevTestOrderAnswer = z.object({ orderId: z.string(), outTradeNo: z.string(), payUrl: z.string(), amountFen: z.number().int() }).openapi('PaymentDevTestOrderAnswer');

export type PaymentOrder = z.infer<typeof PaymentOrderDto>;
export type PaymentPayResult = z.infer<typeof PaymentPayAnswer>;
