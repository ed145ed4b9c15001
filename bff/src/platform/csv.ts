/**
 * Staff list exports as CSV (issue 17, ADR-024): RFC 4180 quoting, CRLF line
 * ends, and a UTF-8 byte order mark first, without which Excel reads the
 * Chinese headers and names as mojibake. Cells that a spreadsheet would run
 * as a formula (`=`, `+`, `-`, `@`, tab, CR at the start) get a leading `'`
 * (OWASP "CSV injection").
 */
export type CsvColumn<Row> = { header: string; value: (row: Row) => string | number | boolean | null | undefined };

export const UTF8_BOM = '\uFEFF';

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value(r))).join(','));
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
