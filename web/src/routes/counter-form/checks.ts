import { validateIdNumber } from 'bff/codes';
import type { MessageKey } from '$lib/i18n';

export const COUNTER_FORM_FIELDS = ['name', 'sex', 'birthDate', 'idNumber', 'phone', 'email', 'postalAddress', 'postcode'] as const;
export type CounterFormField = (typeof COUNTER_FORM_FIELDS)[number];
export type CounterFormValues = Record<CounterFormField, string>;

/** A problem of one field: an i18n key and its parameters. */
export type FieldProblem = { key: MessageKey; params?: Record<string, string> };

/**
 * What the web checks before the bff (which checks the formats again): every
 * field but e-mail filled in, a sex chosen (nothing is chosen for the user),
 * a valid resident ID number (GB 11643) and a birth date equal to the one the
 * ID number carries (R-12.1.3 records both). At most one problem a field, in
 * the page's order.
 */
export function checkCounterForm(values: CounterFormValues): Partial<Record<CounterFormField, FieldProblem>> {
  const problems: Partial<Record<CounterFormField, FieldProblem>> = {};
  for (const f of COUNTER_FORM_FIELDS) {
    if (f === 'email' || values[f]) continue;
    problems[f] = { key: f === 'sex' ? 'counterForm.sexRequired' : 'accounts.required' };
  }
  if (values.sex && values.sex !== 'M' && values.sex !== 'F') problems.sex = { key: 'counterForm.sexRequired' };
  if (values.idNumber) {
    const id = validateIdNumber(values.idNumber.toUpperCase());
    if (!id.ok) problems.idNumber = { key: 'counterForm.idNumberInvalid' };
    else if (values.birthDate && values.birthDate !== id.birthDate) {
      problems.birthDate = { key: 'counterForm.birthDateMismatch', params: { date: id.birthDate } };
    }
  }
  return problems;
}
