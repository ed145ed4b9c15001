import type { Problem } from 'bff/client';

/** The error part of a refused form, as the page receives it from an action or builds it itself. */
export type FormError = {
  /** The refusal's name (the problem's localised title); shown in the summary when no field of the form is to blame. */
  title: string | null;
  /** Its particulars and the next step, in the user's language; shown under the title. */
  detail?: string | null;
  /** Input name → the message beside that input: the bff's own words for it, or our own checks. */
  fields: Record<string, string>;
  /** The session ended during the action: the page asks the user to sign in again, and keeps what was typed. */
  signIn?: boolean;
};

/** The id of the first input of the inline "sign in again" form, which the summary links to. */
export const SIGN_IN_AGAIN_FIELD = 'reauth-phone';

/**
 * The bff names a field by its dotted path in the JSON body (`form.idNumber`);
 * a page's input is named by the last part of that path where the body wraps
 * the form (`idNumber`). Pages whose inputs are named otherwise pass their own.
 */
export function inputNameOf(path: string): string {
  return path.replace(/^form\./, '');
}

/**
 * A refusal that is not about format names its field with a generic format
 * code only when the bff predates per-refusal field messages; its title is
 * then the user's best words, never "格式不正确".
 */
function fieldMessage(problem: Problem, error: NonNullable<Problem['errors']>[number]): string {
  const generic = error.code.startsWith('validation.');
  return generic && problem.code !== 'request.invalid' ? problem.title : error.detail;
}

/**
 * The one way a bff refusal becomes what a form shows: each `errors[]` entry
 * at the input its `field` names (the server's own words — for a business
 * refusal its detail, for a format error the field's message); the title and
 * detail for the summary at the top when no input is to blame.
 */
export function problemToFormError(problem: Problem, inputName: (path: string) => string = inputNameOf): FormError {
  const fields: Record<string, string> = {};
  for (const error of problem.errors ?? []) {
    if (!error.field) continue;
    const name = inputName(error.field);
    // One message an input, the first the bff names (GOV.UK: one message a field).
    fields[name] ??= fieldMessage(problem, error);
  }
  return {
    title: problem.title,
    detail: problem.detail ?? null,
    fields,
    ...(problem.status === 401 && problem.code === 'auth.required' ? { signIn: true } : {}),
  };
}

/** A refusal in one line, where there is no form to put it on (the outbox): the field's words, else title and detail. */
export function refusalText(error: FormError): string {
  const atField = Object.values(error.fields)[0];
  return atField ?? [error.title, error.detail && error.detail !== error.title ? error.detail : null].filter(Boolean).join(' ');
}

export type SummaryItem = {
  /** The id of the input the line links to. */
  field: string;
  message: string;
  /** The refusal's particulars, under its title (refusals not about one input). */
  detail?: string;
  /** The line asks the user to sign in again (the summary then shows the sign-in form). */
  signIn?: boolean;
};

/**
 * One summary line per field, in the order the fields appear on the page; a
 * message without a field of this form links to `fallback`, the first field.
 * A refusal about no field is one line: its title, with its detail under it.
 */
export function summaryItems(error: FormError | null | undefined, order: readonly string[], fallback: string): SummaryItem[] {
  if (!error) return [];
  const known = order.filter((f) => error.fields[f]).map((f) => ({ field: f, message: error.fields[f]! }));
  const unknown = Object.entries(error.fields)
    .filter(([f]) => !order.includes(f))
    .map(([, message]) => ({ field: fallback, message }));
  const items: SummaryItem[] = [...known, ...unknown];
  if (items.length === 0 && error.title) {
    items.push({
      field: error.signIn ? SIGN_IN_AGAIN_FIELD : fallback,
      message: error.title,
      ...(error.detail && error.detail !== error.title ? { detail: error.detail } : {}),
      ...(error.signIn ? { signIn: true } : {}),
    });
  }
  return items;
}
