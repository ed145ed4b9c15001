/**
 * Integer fen → "¥1,234.56" without floating point (X-5.8: money is integer
 * fen everywhere; the page shows yuan, computed from the digits).
 */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  const yuan = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${digits.slice(-2)}`;
}
