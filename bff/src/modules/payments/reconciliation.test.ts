import { describe, expect, it } from 'vitest';
import { compareDay } from './reconciliation.ts';
import { parseBill } from './provider.ts';
import { fenToYuan, yuanToFen } from './shared.ts';

describe('reconciliation arithmetic (issue 21 "Must hold", ADR-035)', () => {
  it('X-5.8 money in fen: yuan strings of the provider convert to fen and back exactly, for every amount up to 10,000 元', () => {
    for (let fen = 0; fen <= 1_000_000; fen += 7) {
      expect(yuanToFen(fenToYuan(fen))).toBe(fen);
    }
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('200')).toBe(20_000);
    for (const bad of ['', '1.234', '-1', '1e3', 'abc', '0x10', ' ']) expect(yuanToFen(bad)).toBeNull();
    expect(() => fenToYuan(1.5)).toThrow();
  });

  it('X-5.8 totals in fen reconcile: net = payments − refunds on both sides; each difference is listed once', () => {
    const ledger = [
      { kind: 'payment' as const, outTradeNo: 'A', providerTradeNo: 'T1', amountFen: 20_000 },
      { kind: 'payment' as const, outTradeNo: 'B', providerTradeNo: 'T2', amountFen: 15_050 },
      { kind: 'refund' as const, outTradeNo: 'B', providerTradeNo: 'T2', amountFen: 15_050 },
      { kind: 'payment' as const, outTradeNo: 'C', providerTradeNo: 'T3', amountFen: 999 },
    ];
    const same = ledger.map((l) => ({ ...l }));
    expect(compareDay(ledger, same)).toEqual({ ledgerCount: 4, ledgerNetFen: 20_999, statementCount: 4, statementNetFen: 20_999, mismatches: [] });
    const statement = [same[0]!, { ...same[1]!, amountFen: 15_049 }, same[2]!, { kind: 'payment' as const, outTradeNo: 'D', providerTradeNo: 'T4', amountFen: 1 }];
    const r = compareDay(ledger, statement);
    expect([r.ledgerNetFen, r.statementNetFen]).toEqual([20_999, 20_000 + 15_049 - 15_050 + 1]);
    expect(r.mismatches).toEqual([
      { kind: 'payment', problem: 'amount_differs', outTradeNo: 'B', providerTradeNo: 'T2', ledgerAmountFen: 15_050, statementAmountFen: 15_049 },
      { kind: 'payment', problem: 'missing_in_statement', outTradeNo: 'C', providerTradeNo: 'T3', ledgerAmountFen: 999, statementAmountFen: null },
      { kind: 'payment', problem: 'missing_in_ledger', outTradeNo: 'D', providerTradeNo: 'T4', ledgerAmountFen: null, statementAmountFen: 1 },
    ]);
  });

  it('reads Alipay’s trade bill: comment lines skipped, 交易 and 退款 lines, refunds negative, amounts to the fen', () => {
    const bill = ['#支付宝业务明细查询', '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,订单金额（元）',
      '2026120622001,JT2026120600000001,交易,罚款,2026-12-06 10:00:00,2026-12-06 10:01:02,150.50',
      '2026120622001,JT2026120600000001,退款,罚款,2026-12-06 10:00:00,2026-12-06 11:00:00,-150.50', '#业务明细列表结束'].join('\r\n');
    expect(parseBill(bill)).toEqual([
      { kind: 'payment', outTradeNo: 'JT2026120600000001', providerTradeNo: '2026120622001', amountFen: 15_050, occurredAt: new Date('2026-12-06T02:01:02Z') },
      { kind: 'refund', outTradeNo: 'JT2026120600000001', providerTradeNo: '2026120622001', amountFen: 15_050, occurredAt: new Date('2026-12-06T03:00:00Z') },
    ]);
  });
});
