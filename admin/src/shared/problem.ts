import { HttpError } from 'react-admin';
import type { FieldError, Problem } from 'bff/client';

export type { FieldError, Problem };

/**
 * react-admin form errors: a field path (dotted, `form.idNumber`) → the
 * server's words for it; `root.serverError` is what the form notifies.
 */
export type FormErrors = Record<string, string | { serverError: string }>;

/**
 * What react-admin finds in `error.body`: the bff's problem, with `errors`
 * turned into form errors (react-admin reads `body.errors`) and the bff's own
 * list kept as `fieldErrors`.
 */
export type ProblemBody = Omit<Problem, 'errors'> & { errors?: FormErrors; fieldErrors?: FieldError[] };

/** The part of a problem every reader needs, in the wire body and in `error.body` alike. */
export type ProblemCore = Omit<Problem, 'errors'>;

export const isProblem = (value: unknown): value is ProblemCore => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.title === 'string';
};

const isFieldError = (value: unknown): value is FieldError => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.detail === 'string' && (typeof v.field === 'string' || typeof v.pointer === 'string');
};

/** `/form/idNumber` → `form.idNumber` (RFC 6901 escapes undone). */
export const fieldOfPointer = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');

/**
 * The bff's `errors` list as react-admin form errors: each field gets the
 * server's own words (`detail`) — a refusal's particulars for a business
 * refusal, the field's format message for `request.invalid` — and
 * `root.serverError` the title, which the form notifies. Undefined when no
 * field is named: the caller then notifies title and detail instead.
 */
export const toFormErrors = (problem: { title: string; errors?: unknown }): FormErrors | undefined => {
  const list = Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : [];
  const errors: FormErrors = {};
  for (const e of list) {
    const field = e.field || fieldOfPointer(e.pointer);
    // the first message per field: one is shown under it
    if (!field || field === 'root' || field in errors) continue;
    errors[field] = e.detail;
  }
  if (Object.keys(errors).length === 0) return undefined;
  errors.root = { serverError: problem.title };
  return errors;
};

/**
 * Turns a failed answer into the HttpError react-admin understands: the
 * message is the localised problem title, `body.errors` the form errors of
 * {@link toFormErrors} (absent when no field is named, so react-admin's
 * controllers notify instead of saying "the form is invalid").
 */
export const problemToHttpError = (status: number, statusText: string, body: unknown): HttpError => {
  if (!isProblem(body)) {
    const message =
      typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : statusText || `HTTP ${status}`;
    return new HttpError(message, status, body ?? null);
  }
  const { errors: fieldErrors, ...problem } = body as ProblemCore & { errors?: unknown };
  const errors = toFormErrors(body as ProblemCore & { errors?: unknown });
  const errorBody: ProblemBody = {
    ...problem,
    ...(Array.isArray(fieldErrors) ? { fieldErrors: fieldErrors.filter(isFieldError) } : {}),
    ...(errors ? { errors } : {}),
  };
  return new HttpError(problem.title, status, errorBody);
};

const bodyOf = (error: unknown): unknown => (error as { body?: unknown } | null)?.body;

/** The problem an error thrown by the providers carries, if the bff sent one. */
export const problemOf = (error: unknown): ProblemCore | undefined => {
  const body = bodyOf(error);
  return isProblem(body) ? body : undefined;
};

/** The problem code of an error thrown by the providers, if the bff sent one. */
export const problemCode = (error: unknown): string | undefined => problemOf(error)?.code;

/** The form errors of a refusal (field → the server's words), if it names fields. */
export const formErrorsOf = (error: unknown): FormErrors | undefined => {
  const errors = (bodyOf(error) as { errors?: unknown } | null | undefined)?.errors;
  if (typeof errors !== 'object' || errors === null || Array.isArray(errors)) return undefined;
  return Object.keys(errors).some((k) => k !== 'root') ? (errors as FormErrors) : undefined;
};

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** `title：detail` in Chinese, `title: detail` otherwise; either part may be empty. */
export const joinText = (title: string, detail?: string): string => {
  if (!detail || detail === title) return title;
  if (!title) return detail;
  return `${title}${CJK.test(title) ? '：' : ': '}${detail}`;
};

/**
 * What to tell staff about a failed call: the problem's title and its
 * particulars (`detail`, the server's words), else the error's own message for
 * an answer that is not problem+json, else react-admin's "server error".
 */
export const problemText = (error: unknown, fallback = 'ra.notification.http_error'): string => {
  const problem = problemOf(error);
  if (problem) return joinText(problem.title, problem.detail);
  if (error instanceof HttpError && error.message) return error.message;
  return fallback;
};

/** The 401s of signing in itself: a wrong password or 动态口令 is not a session that ended. */
const SIGN_IN_REFUSALS = new Set(['auth.invalid_credentials', 'auth.totp_required', 'auth.totp_invalid']);

/** A 401 for a signed-in action: the staff session ended (expired, signed out elsewhere). */
export const isSessionEnd = (error: unknown): boolean =>
  (error as { status?: unknown } | null)?.status === 401 && !SIGN_IN_REFUSALS.has(problemCode(error) ?? '');
