import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { StatementLine } from './provider.ts';
import { parseAlipayTime } from './provider.ts';
import { yuanToFen } from './shared.ts';

/**
 * Alipay's daily trade bill (ADR-038): `bill.downloadurl.query` answers a
 * link to a ZIP holding GBK-encoded CSV files —
 * `<pid>_<yyyymmdd>_业务明细.csv` (one line per payment or refund, between
 * `#` comment lines, then `#交易合计…` / `#退款合计…` lines) and
 * `<pid>_<yyyymmdd>_业务明细(汇总).csv` (totals per store). The platform
 * reads the detail file. No dependency: Node's zlib inflates the entries
 * (a ZIP is deflate-raw streams plus a central directory), and Node's full
 * ICU decodes GBK (`TextDecoder('gbk')`).
 */

export class BillFormatError extends Error {}

export type ZipEntry = { name: string; data: Buffer };

const gbk = new TextDecoder('gbk');
const utf8 = new TextDecoder('utf-8');

/** The files of a ZIP archive (stored or deflated entries; names in UTF-8 when flagged, else GBK as Alipay writes them). */
export function readZip(zip: Buffer): ZipEntry[] {
  // End of central directory: 22 bytes + a comment of up to 65535, searched from the end.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new BillFormatError('bill: not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) throw new BillFormatError('bill: broken zip directory');
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28), extraLen = zip.readUInt16LE(p + 30), commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const rawName = zip.subarray(p + 46, p + 46 + nameLen);
    const name = (flags & 0x0800 ? utf8 : gbk).decode(rawName);
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x0001) throw new BillFormatError(`bill: ${name} is encrypted`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) throw new BillFormatError('bill: broken zip entry');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw, { maxOutputLength: 256 * 1024 * 1024 });
    else throw new BillFormatError(`bill: ${name} uses compression method ${method}`);
    if (data.length !== size || crc32(data) !== crc) throw new BillFormatError(`bill: ${name} is damaged (size or CRC)`);
    out.push({ name, data });
  }
  return out;
}

/** A ZIP of deflated entries, names in GBK without the UTF-8 flag — as Alipay's bill archive (the dev gateway and tests write it). */
export function writeZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const dir: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = gbkEncode(e.name);
    const body = deflateRawSync(e.data);
    const crc = crc32(e.data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(0, 6); head.writeUInt16LE(8, 8);
    head.writeUInt32LE(0, 10); head.writeUInt32LE(crc, 14); head.writeUInt32LE(body.length, 18); head.writeUInt32LE(e.data.length, 22);
    head.writeUInt16LE(name.length, 26); head.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0, 8); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12); central.writeUInt32LE(crc, 16); central.writeUInt32LE(body.length, 20); central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(head, name, body);
    dir.push(central, name);
    offset += head.length + name.length + body.length;
  }
  const dirBuf = Buffer.concat(dir);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBuf.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBuf, end]);
}

let gbkTable: Map<string, number> | null = null;
/**
 * Text → GBK bytes, for writing a bill as Alipay does (dev gateway, fixtures).
 * The table is the inverse of the platform's own GBK decoder, built once.
 */
export function gbkEncode(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const pair = new Uint8Array(2);
    for (let hi = 0x81; hi <= 0xfe; hi++) {
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue;
        pair[0] = hi; pair[1] = lo;
        const ch = gbk.decode(pair);
        if (ch.length === 1 && ch !== '\uFFFD' && !gbkTable.has(ch)) gbkTable.set(ch, (hi << 8) | lo);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) { out.push(c); continue; }
    const code = gbkTable.get(ch);
    if (code === undefined) throw new Error(`not in GBK: ${ch}`);
    out.push(code >> 8, code & 0xff);
  }
  return Buffer.from(out);
}

/** One CSV line: Alipay quotes nothing, but a quoted field is read as CSV would; every cell is trimmed of the tab Alipay adds after values. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"' && cur.trim() === '') { quoted = true; cur = ''; } else if (ch === ',') { out.push(cur.trim()); cur = ''; } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** '150.50', '-150.50' → 15050 (absolute fen, parsed from the decimal text, never a float). */
function fenOf(s: string | undefined): number | null {
  if (s === undefined) return null;
  return yuanToFen(s.replace(/^-/, ''));
}

/**
 * The 业务明细 detail file's text: comment lines (`#…`) before and after the
 * table; the columns are found by their Chinese names. A 交易 line is a
 * payment of 订单金额（元）; a 退款 line is a refund of |商家实收（元）| (the
 * money that went back; 订单金额 when the column is absent). The trailing
 * `#交易合计：N笔` / `#退款合计：N笔` lines are checked against the lines read,
 * so a truncated download is refused rather than reconciled.
 */
export function parseTradeBill(text: string): StatementLine[] {
  const all = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows = all.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const comments = all.filter((l) => l.startsWith('#'));
  if (rows.length === 0) return [];
  const header = cells(rows[0]!);
  const col = (name: string) => header.findIndex((h) => h.replace(/[（(].*$/, '') === name);
  const iTrade = col('支付宝交易号'), iOut = col('商户订单号'), iType = col('业务类型'), iDone = col('完成时间'), iAmount = col('订单金额'), iNet = col('商家实收');
  const iRequest = col('退款批次号/请求号');
  if ([iTrade, iOut, iType, iDone, iAmount].some((i) => i < 0)) throw new BillFormatError(`bill: unknown columns ${header.slice(0, 8).join(',')}`);
  const out: StatementLine[] = [];
  for (const l of rows.slice(1)) {
    const c = cells(l);
    if (c[0]!.startsWith('合计') || c[0]!.startsWith('总计')) continue;
    if (c.length < Math.max(iTrade, iOut, iType, iDone, iAmount) + 1) throw new BillFormatError(`bill: short line ${l.slice(0, 80)}`);
    const type = c[iType];
    if (type !== '交易' && type !== '退款') throw new BillFormatError(`bill: unknown 业务类型 ${type}`);
    const amountFen = type === '退款' ? fenOf(iNet >= 0 && c[iNet] ? c[iNet] : c[iAmount]) : fenOf(c[iAmount]);
    const at = parseAlipayTime(c[iDone]!);
    if (amountFen === null || !at || !c[iTrade] || !c[iOut]) throw new BillFormatError(`bill: bad line ${l.slice(0, 80)}`);
    out.push({
      kind: type === '退款' ? 'refund' : 'payment', outTradeNo: c[iOut]!, providerTradeNo: c[iTrade]!, amountFen, occurredAt: at,
      ...(type === '退款' && iRequest >= 0 && c[iRequest] ? { refundRequestNo: c[iRequest] } : {}),
    });
  }
  for (const [label, kind] of [['交易合计', 'payment'], ['退款合计', 'refund']] as const) {
    const m = comments.map((l) => new RegExp(`^#${label}[：:]\\s*(\\d+)\\s*笔`).exec(l)).find(Boolean);
    const n = out.filter((x) => x.kind === kind).length;
    if (m && Number(m[1]) !== n) throw new BillFormatError(`bill: ${label} says ${m[1]} lines, the table has ${n}`);
  }
  return out;
}

/** The bill archive: its 业务明细 detail file (not the 汇总 totals), decoded from GBK, parsed. */
export function parseBillZip(zip: Buffer): StatementLine[] {
  const entries = readZip(zip);
  const detail = entries.filter((e) => /业务明细\.csv$/.test(e.name) && !e.name.includes('汇总'));
  if (detail.length !== 1) throw new BillFormatError(`bill: ${detail.length} detail files in ${entries.map((e) => e.name).join(', ')}`);
  return parseTradeBill(gbk.decode(detail[0]!.data));
}

/** The trade bill's table columns, as Alipay's 业务明细 file has them. */
export const TRADE_BILL_COLUMNS = [
  '支付宝交易号', '商户订单号', '业务类型', '商品名称', '创建时间', '完成时间', '门店编号', '门店名称', '操作员', '终端号', '对方账户',
  '订单金额（元）', '商家实收（元）', '支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）', '商家优惠（元）', '券核销金额（元）', '券名称',
  '商家红包消费金额（元）', '卡消费金额（元）', '退款批次号/请求号', '服务费（元）', '分润（元）', '备注',
];

export type BillTrade = {
  tradeNo: string; outTradeNo: string; kind: 'payment' | 'refund'; subject: string; createdAt: string; doneAt: string;
  /** yuan text with two decimals, positive */
  amountYuan: string; orderAmountYuan: string; refundRequestNo?: string;
};

/**
 * The files of a bill archive as Alipay writes them (GBK, values followed by a
 * tab, comment lines, trailing totals) — for the dev gateway and fixtures.
 */
export function billArchive(pid: string, day: string, trades: BillTrade[], exportedAt: string): Buffer {
  const ymd = day.replaceAll('-', '');
  const cn = (d: string) => `${d.slice(0, 4)}年${d.slice(5, 7)}月${d.slice(8, 10)}日`;
  const next = new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
  const sum = (xs: BillTrade[]) => xs.reduce((t, x) => t + yuanToFen(x.amountYuan)!, 0);
  const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
  const pays = trades.filter((t) => t.kind === 'payment'), refunds = trades.filter((t) => t.kind === 'refund');
  const lines = [
    '#支付宝业务明细查询', `#账号：[${pid}0156]`, `#起始日期：[${cn(day)} 00:00:00]   终止日期：[${cn(next)} 00:00:00]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    TRADE_BILL_COLUMNS.join(','),
    ...trades.map((t) => {
      const signed = t.kind === 'refund' ? `-${t.amountYuan}` : t.amountYuan;
      const order = t.kind === 'refund' ? `-${t.orderAmountYuan}` : t.orderAmountYuan;
      const v = [t.tradeNo, t.outTradeNo, t.kind === 'refund' ? '退款' : '交易', t.subject.replaceAll(',', '，'), t.createdAt, t.doneAt, '', '', '', '', 'dem***@example.com',
        order, signed, '0.00', '0.00', '0.00', '0.00', '0.00', '', '0.00', '0.00', t.refundRequestNo ?? '', '0.00', '0.00', ''];
      return v.map((x) => `${x}\t`).join(',');
    }),
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${pays.length}笔，商家实收共${yuan(sum(pays))}元，商家实收退款共0.00元`,
    `#退款合计：${refunds.length}笔，商家实收退款共${yuan(sum(refunds))}元`,
    `#导出时间：[${exportedAt}]`,
  ];
  const summary = [
    '#支付宝业务汇总查询', `#账号：[${pid}0156]`, `#起始日期：[${cn(day)} 00:00:00]   终止日期：[${cn(next)} 00:00:00]`,
    '#-----------------------------------------业务汇总列表----------------------------------------',
    '门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）',
    `合计\t,\t,${pays.length}\t,${refunds.length}\t,${yuan(sum(pays))}\t,${yuan(sum(pays) - sum(refunds))}\t,0.00\t,0.00\t,0.00\t,0.00\t,0.00\t,${yuan(sum(pays) - sum(refunds))}\t`,
    '#-----------------------------------------业务汇总列表结束------------------------------------',
    `#导出时间：[${exportedAt}]`,
  ];
  return writeZip([
    { name: `${pid}_${ymd}_业务明细.csv`, data: gbkEncode(`${lines.join('\r\n')}\r\n`) },
    { name: `${pid}_${ymd}_业务明细(汇总).csv`, data: gbkEncode(`${summary.join('\r\n')}\r\n`) },
  ]);
}
