/** Integer fen → "¥1,234.56" from the digits (X-5.8: money is integer fen; no float on the way). */
export function formatFen(fen: unknown): string {
  if (typeof fen !== 'number' || !Number.isSafeInteger(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}¥${digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${digits.slice(-2)}`;
}
