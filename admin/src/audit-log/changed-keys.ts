/** Top-level keys whose values differ between `before` and `after` (either may be null). */
export const changedKeys = (before: unknown, after: unknown): string[] => {
  const asObject = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const b = asObject(before);
  const a = asObject(after);
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).sort();
};
