/** The error part of a refused form, as the page receives it from an action or builds it itself. */
export type FormError = {
  /** The problem's localised title; shown when no single field is to blame. */
  title: string | null;
  /** Field name → localised message (the bff's `fieldMessages`, or our own checks). */
  fields: Record<string, string>;
};

export type SummaryItem = { field: string; message: string };

/**
 * One summary line per field, in the order the fields appear on the page; a
 * message without a field of this form links to `fallback`, the first field.
 */
export function summaryItems(error: FormError | null | undefined, order: readonly string[], fallback: string): SummaryItem[] {
  if (!error) return [];
  const known = order.filter((f) => error.fields[f]).map((f) => ({ field: f, message: error.fields[f]! }));
  const unknown = Object.entries(error.fields)
    .filter(([f]) => !order.includes(f))
    .map(([, message]) => ({ field: fallback, message }));
  const items = [...known, ...unknown];
  if (items.length === 0 && error.title) items.push({ field: fallback, message: error.title });
  return items;
}
