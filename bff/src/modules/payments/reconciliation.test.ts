import { describe, expect, it } from 'vitest';
import { compareDay } from './reconciliation.ts';
import { readFileSync } from 'node:fs';
import { billArchive, gbkEncode, parseBillZip, parseTradeBill, readZip, writeZip } from './bill.ts';
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

  it('ADR-038 reads Alipay’s real bill: a ZIP of GBK CSV files (made by Python’s zipfile and gbk codec), the 业务明细 detail file, amounts exact to the fen', () => {
    const zip = readFileSync(new URL('./fixtures/alipay-bill-20261206.zip', import.meta.url));
    expect(readZip(zip).map((e) => e.name)).toEqual(['20880000000000010156_20261206_业务明细.csv', '20880000000000010156_20261206_业务明细(汇总).csv']);
    const lines = parseBillZip(zip);
    expect(lines).toEqual([
      { kind: 'payment', outTradeNo: 'JT202612060000000101', providerTradeNo: '2026120622001402501234567801', amountFen: 15_050, occurredAt: new Date('2026-12-06T01:59:12Z') },
      { kind: 'payment', outTradeNo: 'JT202612060000000102', providerTradeNo: '2026120622001402501234567802', amountFen: 20_000, occurredAt: new Date('2026-12-06T02:21:40Z') },
      { kind: 'refund', outTradeNo: 'JT202612050000000077', providerTradeNo: '2026120522001402501234567799', amountFen: 10, occurredAt: new Date('2026-12-06T03:30:05Z'), refundRequestNo: 'RJT202612050000000077' },
      { kind: 'payment', outTradeNo: 'JT202612060000000103', providerTradeNo: '2026120622001402501234567803', amountFen: 1, occurredAt: new Date('2026-12-06T15:59:59Z') },
    ]);
    // the file's own totals: 350.51 元 taken, 0.10 元 refunded, in fen without floating point
    const net = lines.reduce((t, l) => t + (l.kind === 'refund' ? -l.amountFen : l.amountFen), 0);
    expect(net).toBe(35_041);
  });

  it('ADR-038 a bill that does not add up to its own 交易合计 / 退款合计 lines, or is not a sound ZIP, is refused (not reconciled as if empty)', () => {
    const zip = readFileSync(new URL('./fixtures/alipay-bill-20261206.zip', import.meta.url));
    const text = new TextDecoder('gbk').decode(readZip(zip)[0]!.data);
    const truncated = text.split('\r\n').filter((l) => !l.includes('JT202612060000000103')).join('\r\n');
    expect(() => parseTradeBill(truncated)).toThrow(/交易合计 says 3 lines, the table has 2/);
    expect(() => parseTradeBill(text.replace('交易\t,交通违法罚款 决定书44030020261206000001', '转账\t,x'))).toThrow(/业务类型/);
    expect(() => parseTradeBill(text.replace('150.50\t,150.50', '150.505\t,150.50'))).toThrow(/bad line/);
    expect(() => parseBillZip(zip.subarray(0, zip.length - 30))).toThrow(/zip/);
    const damaged = Buffer.from(zip);
    const inData = 30 + zip.readUInt16LE(26) + 20; // a byte of the first entry's deflated data
    damaged[inData] = damaged[inData]! ^ 0xff;
    expect(() => parseBillZip(damaged)).toThrow();
    expect(() => parseBillZip(writeZip([{ name: 'other.csv', data: Buffer.from('x') }]))).toThrow(/0 detail files/);
  });

  it('ADR-038 the dev gateway writes its bill in the same format: GBK bytes the platform’s decoder reads back, a ZIP the reader opens, totals that match', () => {
    expect(gbkEncode('支付宝业务明细').toString('hex')).toBe('d6a7b8b6b1a6d2b5cef1c3f7cfb8');
    const zip = billArchive('2088000000000001', '2026-12-06', [
      { tradeNo: 'T1', outTradeNo: 'JT1', kind: 'payment', subject: '罚款, 决定书', createdAt: '2026-12-06 10:00:00', doneAt: '2026-12-06 10:00:05', amountYuan: '150.50', orderAmountYuan: '150.50' },
      { tradeNo: 'T1', outTradeNo: 'JT1', kind: 'refund', subject: '罚款', createdAt: '2026-12-06 10:00:00', doneAt: '2026-12-06 12:00:00', amountYuan: '150.50', orderAmountYuan: '150.50', refundRequestNo: 'RJT1' },
    ], '2026年12月07日 09:00:00');
    expect(readZip(zip).map((e) => e.name)).toEqual(['2088000000000001_20261206_业务明细.csv', '2088000000000001_20261206_业务明细(汇总).csv']);
    expect(parseBillZip(zip).map((l) => [l.kind, l.amountFen])).toEqual([['payment', 15_050], ['refund', 15_050]]);
  });
});
