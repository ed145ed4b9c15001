import type { Deps, StaffPrincipal } from '../../core/context.ts';
import { readsOf } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { filterString, type ListQuery } from '../../core/list-query.ts';
import { visibleAuthorities } from '../../platform/authorities.ts';
import { orderDto } from './citizen.ts';
import type { OrderRow } from './service.ts';
import type { z } from '@hono/zod-openapi';
import type { PaymentAdminOrderDto, PaymentMismatchDto, PaymentReconciliationDto, PaymentRejectedNotificationDto } from './schemas.ts';

type AdminOrder = z.infer<typeof PaymentAdminOrderDto>;

/**
 * Staff scope (non-negotiable 6, PD-9): an order belongs to the city of its
 * payable; orders without a city, the ledger's reconciliation and the refused
 * notifications belong to the merchant account, which is the province's —
 * province-level 管理岗 only.
 */
async function scopeOf(deps: Deps, staff: StaffPrincipal) {
  const db = readsOf(deps);
  const cities = await visibleAuthorities(db, staff.authorityId);
  const [a] = await db<{ level: string }[]>`SELECT level FROM authority WHERE id = ${staff.authorityId}`;
  return { cities, province: a?.level === 'province' };
}
export async function requireProvince(deps: Deps, staff: StaffPrincipal): Promise<void> {
  if (!(await scopeOf(deps, staff)).province) throw new DomainError('payments.province_only');
}

const ORDER_SORT: Record<string, string> = { createdAt: 'created_at', paidAt: 'paid_at', amountFen: 'amount_fen', status: 'status', id: 'id' };
export const ORDER_SORTABLE = Object.keys(ORDER_SORT);

export async function listOrders(deps: Deps, staff: StaffPrincipal, q: ListQuery): Promise<{ rows: AdminOrder[]; total: number }> {
  const db = readsOf(deps);
  const { cities, province } = await scopeOf(deps, staff);
  const status = filterString(q.filter, 'status');
  const ref = filterString(q.filter, 'q');
  const where = db`(authority_id = ANY(${cities}) ${province ? db`OR authority_id IS NULL` : db``})
    ${status ? db`AND status = ${status}` : db``}
    ${ref ? db`AND (out_trade_no = ${ref} OR provider_trade_no = ${ref} OR payable_ref = ${ref})` : db``}`;
  const rows = await db<(OrderRow & { ledger_entries: number; total: number })[]>`
    SELECT o.*, (SELECT count(*)::int FROM payment_ledger_entry l WHERE l.order_id = o.id) AS ledger_entries, count(*) OVER ()::int AS total
    FROM payment_order o WHERE ${where}
    ORDER BY ${db(ORDER_SORT[q.sortField]!)} ${q.sortDesc ? db`DESC NULLS LAST` : db`ASC`}, id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows: rows.map(adminOrder), total: rows[0]?.total ?? 0 };
}

function adminOrder(o: OrderRow & { ledger_entries: number }): AdminOrder {
  return { ...orderDto(o), authorityId: o.authority_id, settledBy: o.settled_by, refundReason: o.refund_reason, ledgerEntries: Number(o.ledger_entries) };
}

export async function getOrder(deps: Deps, staff: StaffPrincipal, id: string): Promise<AdminOrder> {
  const db = readsOf(deps);
  const { cities, province } = await scopeOf(deps, staff);
  const [o] = await db<(OrderRow & { ledger_entries: number })[]>`
    SELECT o.*, (SELECT count(*)::int FROM payment_ledger_entry l WHERE l.order_id = o.id) AS ledger_entries FROM payment_order o WHERE id = ${id}`;
  if (!o || !(o.authority_id ? cities.includes(o.authority_id) : province)) throw new DomainError('payments.order_not_found');
  return adminOrder(o);
}

/** The cities whose orders this member may refund (null: also orders without a city). */
export async function refundScope(deps: Deps, staff: StaffPrincipal): Promise<string[] | null> {
  const { cities, province } = await scopeOf(deps, staff);
  return province ? null : cities;
}

type Rec = z.infer<typeof PaymentReconciliationDto>;
export async function listReconciliations(deps: Deps, q: ListQuery): Promise<{ rows: Rec[]; total: number }> {
  const db = readsOf(deps);
  const status = filterString(q.filter, 'status');
  const rows = await db<{ business_day: string; status: 'balanced' | 'mismatched'; ledger_count: number; ledger_net_fen: number; statement_count: number; statement_net_fen: number; mismatch_count: number; unresolved: number; ran_at: Date; total: number }[]>`
    SELECT r.*, (SELECT count(*)::int FROM payment_reconciliation_mismatch m WHERE m.business_day = r.business_day AND m.resolved_at IS NULL) AS unresolved,
           count(*) OVER ()::int AS total
    FROM payment_reconciliation r ${status ? db`WHERE status = ${status}` : db``}
    ORDER BY business_day ${q.sortDesc ? db`DESC` : db`ASC`} LIMIT ${q.limit} OFFSET ${q.offset}`;
  return {
    rows: rows.map((r) => ({ id: r.business_day, businessDay: r.business_day, status: r.status, ledgerCount: r.ledger_count, ledgerNetFen: Number(r.ledger_net_fen),
      statementCount: r.statement_count, statementNetFen: Number(r.statement_net_fen), mismatchCount: r.mismatch_count, unresolvedCount: r.unresolved, ranAt: r.ran_at.toISOString() })),
    total: rows[0]?.total ?? 0,
  };
}
export async function getReconciliation(deps: Deps, day: string): Promise<Rec> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new DomainError('payments.mismatch_not_found');
  const { rows } = await listReconciliations(deps, { sortField: 'businessDay', sortDesc: true, offset: 0, limit: 1000, filter: {} });
  const r = rows.find((x) => x.businessDay === day);
  if (!r) throw new DomainError('payments.mismatch_not_found');
  return r;
}

type Mis = z.infer<typeof PaymentMismatchDto>;
export async function listMismatches(deps: Deps, q: ListQuery): Promise<{ rows: Mis[]; total: number }> {
  const db = readsOf(deps);
  const day = filterString(q.filter, 'businessDay');
  const open = q.filter.resolved === false || q.filter.resolved === 'false';
  const rows = await db<{ id: number; business_day: string; kind: 'payment' | 'refund'; problem: Mis['problem']; out_trade_no: string; provider_trade_no: string; ledger_amount_fen: number | null; statement_amount_fen: number | null; resolved_at: Date | null; resolution_note: string | null; total: number }[]>`
    SELECT m.*, count(*) OVER ()::int AS total FROM payment_reconciliation_mismatch m
    WHERE true ${day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? db`AND business_day = ${day}` : db``} ${open ? db`AND resolved_at IS NULL` : db``}
    ORDER BY business_day DESC, id LIMIT ${q.limit} OFFSET ${q.offset}`;
  return {
    rows: rows.map((m) => ({ id: String(m.id), businessDay: m.business_day, kind: m.kind, problem: m.problem, outTradeNo: m.out_trade_no, providerTradeNo: m.provider_trade_no,
      ledgerAmountFen: m.ledger_amount_fen === null ? null : Number(m.ledger_amount_fen), statementAmountFen: m.statement_amount_fen === null ? null : Number(m.statement_amount_fen),
      resolvedAt: m.resolved_at?.toISOString() ?? null, resolutionNote: m.resolution_note })),
    total: rows[0]?.total ?? 0,
  };
}

type Rej = z.infer<typeof PaymentRejectedNotificationDto>;
export async function listRejected(deps: Deps, q: ListQuery): Promise<{ rows: Rej[]; total: number }> {
  const db = readsOf(deps);
  const rows = await db<{ id: number; received_at: Date; reason: string; out_trade_no: string | null; provider_trade_no: string | null; ip: string; total: number }[]>`
    SELECT id, received_at, reason, out_trade_no, provider_trade_no, ip, count(*) OVER ()::int AS total FROM payment_notification_rejected
    ORDER BY received_at DESC, id DESC LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows: rows.map((r) => ({ id: String(r.id), receivedAt: r.received_at.toISOString(), reason: r.reason, outTradeNo: r.out_trade_no, providerTradeNo: r.provider_trade_no, ip: r.ip })), total: rows[0]?.total ?? 0 };
}
