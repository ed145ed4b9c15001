import type { TransactionSql } from '../../db.ts';
import type { Actor, Deps, RequestMeta } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { ProviderError, type StatementLine } from './provider.ts';
import { providerOf, SYSTEM } from './service.ts';

export type Mismatch = {
  kind: 'payment' | 'refund';
  problem: 'missing_in_ledger' | 'missing_in_statement' | 'amount_differs';
  outTradeNo: string; providerTradeNo: string; ledgerAmountFen: number | null; statementAmountFen: number | null;
};
type LedgerLine = { kind: 'payment' | 'refund'; outTradeNo: string; providerTradeNo: string; amountFen: number };

/**
 * Pure comparison of one day's ledger with the provider's statement, by
 * provider trade number and kind (X-5.8: money in fen, so totals compare
 * exactly). Net = payments − refunds.
 */
export function compareDay(ledger: LedgerLine[], statement: Pick<StatementLine, 'kind' | 'outTradeNo' | 'providerTradeNo' | 'amountFen'>[]) {
  const key = (l: { kind: string; providerTradeNo: string }) => `${l.kind}:${l.providerTradeNo}`;
  const byLedger = new Map(ledger.map((l) => [key(l), l]));
  const byStatement = new Map<string, (typeof statement)[number]>();
  for (const s of statement) {
    const k = key(s);
    const prev = byStatement.get(k);
    // a statement may list one trade in several lines (partial refunds): add them up
    byStatement.set(k, prev ? { ...prev, amountFen: prev.amountFen + s.amountFen } : s);
  }
  const mismatches: Mismatch[] = [];
  for (const [k, l] of byLedger) {
    const s = byStatement.get(k);
    if (!s) mismatches.push({ kind: l.kind, problem: 'missing_in_statement', outTradeNo: l.outTradeNo, providerTradeNo: l.providerTradeNo, ledgerAmountFen: l.amountFen, statementAmountFen: null });
    else if (s.amountFen !== l.amountFen) mismatches.push({ kind: l.kind, problem: 'amount_differs', outTradeNo: l.outTradeNo, providerTradeNo: l.providerTradeNo, ledgerAmountFen: l.amountFen, statementAmountFen: s.amountFen });
  }
  for (const [k, s] of byStatement) {
    if (!byLedger.has(k)) mismatches.push({ kind: s.kind, problem: 'missing_in_ledger', outTradeNo: s.outTradeNo, providerTradeNo: s.providerTradeNo, ledgerAmountFen: null, statementAmountFen: s.amountFen });
  }
  const net = (xs: { kind: string; amountFen: number }[]) => xs.reduce((t, x) => t + (x.kind === 'refund' ? -x.amountFen : x.amountFen), 0);
  return {
    ledgerCount: ledger.length, ledgerNetFen: net(ledger),
    statementCount: statement.length, statementNetFen: net([...byStatement.values()]),
    mismatches,
  };
}

/** The daily reconciliation of one business day: the provider's statement is fetched, kept and compared with the ledger. */
export async function reconcileDay(tx: TransactionSql, deps: Deps, now: Date, day: string, actor: Actor = SYSTEM, requestId = 'job:payments.reconcile_day'): Promise<{ status: 'balanced' | 'mismatched'; mismatchCount: number }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new DomainError('request.malformed');
  let statement: StatementLine[];
  try {
    statement = await providerOf(deps).statement(day);
  } catch (e) {
    if (e instanceof ProviderError) throw new DomainError('payments.provider_unavailable');
    throw e;
  }
  await tx`DELETE FROM payment_statement_line WHERE business_day = ${day}`;
  // One row per trade and kind (a statement may list several partial refunds of one trade: added up), written in
  // batches — a day's bill has tens of thousands of lines (ADR-038, `pnpm bench -- --only=payments`).
  const kept = new Map<string, { business_day: string; kind: string; out_trade_no: string; provider_trade_no: string; amount_fen: number; occurred_at: Date }>();
  for (const s of statement) {
    const k = `${s.kind}:${s.providerTradeNo}`;
    const prev = kept.get(k);
    if (prev) prev.amount_fen += s.amountFen;
    else kept.set(k, { business_day: day, kind: s.kind, out_trade_no: s.outTradeNo, provider_trade_no: s.providerTradeNo, amount_fen: s.amountFen, occurred_at: s.occurredAt });
  }
  const rows = [...kept.values()];
  for (let i = 0; i < rows.length; i += 2000) {
    await tx`INSERT INTO payment_statement_line ${tx(rows.slice(i, i + 2000), 'business_day', 'kind', 'out_trade_no', 'provider_trade_no', 'amount_fen', 'occurred_at')}`;
  }
  const ledger = await tx<{ kind: 'payment' | 'refund'; out_trade_no: string; provider_trade_no: string; amount_fen: number }[]>`
    SELECT kind, out_trade_no, provider_trade_no, amount_fen FROM payment_ledger_entry WHERE business_day = ${day}`;
  const r = compareDay(ledger.map((l) => ({ kind: l.kind, outTradeNo: l.out_trade_no, providerTradeNo: l.provider_trade_no, amountFen: Number(l.amount_fen) })), statement);
  const status = r.mismatches.length === 0 && r.ledgerNetFen === r.statementNetFen ? 'balanced' : 'mismatched';
  const [before] = await tx<{ status: string }[]>`SELECT status FROM payment_reconciliation WHERE business_day = ${day}`;
  await tx`
    INSERT INTO payment_reconciliation (business_day, status, ledger_count, ledger_net_fen, statement_count, statement_net_fen, mismatch_count, ran_at)
    VALUES (${day}, ${status}, ${r.ledgerCount}, ${r.ledgerNetFen}, ${r.statementCount}, ${r.statementNetFen}, ${r.mismatches.length}, ${now})
    ON CONFLICT (business_day) DO UPDATE SET status = EXCLUDED.status, ledger_count = EXCLUDED.ledger_count, ledger_net_fen = EXCLUDED.ledger_net_fen,
      statement_count = EXCLUDED.statement_count, statement_net_fen = EXCLUDED.statement_net_fen, mismatch_count = EXCLUDED.mismatch_count, ran_at = EXCLUDED.ran_at`;
  // Unresolved mismatches of an earlier run are replaced; resolved ones stay with their note.
  await tx`DELETE FROM payment_reconciliation_mismatch WHERE business_day = ${day} AND resolved_at IS NULL`;
  const misRows = r.mismatches.map((m) => ({
    business_day: day, kind: m.kind, problem: m.problem, out_trade_no: m.outTradeNo, provider_trade_no: m.providerTradeNo,
    ledger_amount_fen: m.ledgerAmountFen, statement_amount_fen: m.statementAmountFen,
  }));
  for (let i = 0; i < misRows.length; i += 2000) {
    await tx`INSERT INTO payment_reconciliation_mismatch ${tx(misRows.slice(i, i + 2000), 'business_day', 'kind', 'problem', 'out_trade_no', 'provider_trade_no', 'ledger_amount_fen', 'statement_amount_fen')}
             ON CONFLICT (business_day, provider_trade_no, kind) DO NOTHING`;
  }
  const meta: RequestMeta = { requestId, ip: '', now };
  await writeAudit(tx, actor, meta, { action: 'payments.reconciled', entityType: 'payment_reconciliation', entityId: day,
    before: before ?? null, after: { status, ledgerNetFen: r.ledgerNetFen, statementNetFen: r.statementNetFen, mismatchCount: r.mismatches.length } });
  return { status, mismatchCount: r.mismatches.length };
}

/** 管理岗 notes how a mismatch was settled (e.g. a refund made by hand at the provider). */
export async function resolveMismatch(sql: Deps['sql'], actor: Actor, meta: RequestMeta, id: string, note: string): Promise<void> {
  await sql.begin(async (tx) => {
    if (!/^\d{1,18}$/.test(id)) throw new DomainError('payments.mismatch_not_found');
    const [m] = await tx<{ resolved_at: Date | null }[]>`SELECT resolved_at FROM payment_reconciliation_mismatch WHERE id = ${id} FOR UPDATE`;
    if (!m) throw new DomainError('payments.mismatch_not_found');
    if (m.resolved_at) throw new DomainError('payments.mismatch_resolved');
    await tx`UPDATE payment_reconciliation_mismatch SET resolved_at = ${meta.now}, resolved_by = ${actor.id ?? null}, resolution_note = ${note} WHERE id = ${id}`;
    await writeAudit(tx, actor, meta, { action: 'payments.mismatch_resolved', entityType: 'payment_reconciliation_mismatch', entityId: id,
      before: { resolved: false }, after: { resolved: true, note } });
  });
}
