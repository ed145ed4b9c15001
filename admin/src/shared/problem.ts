import { HttpError } from 'react-admin';

/**
 * The bff's error envelope (docs/api.md, "Errors: problem+json").
 * `title`, `detail` and `fieldMessages` arrive localised from Accept-Language.
 */
export type Problem = {
  type?: string;
  code: string;
  status: number;
  title: string;
  detail?: string;
  requestId?: string;
  fields?: Record<string, string>;
  fieldMessages?: Record<string, string>;
};

/** What react-admin finds in `error.body`: the problem itself plus `errors` for form fields. */
export type ProblemBody = Problem & {
  errors?: Record<string, unknown>;
};

export const isProblem = (value: unknown): value is Problem => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.title === 'string';
};

/**
 * Turns a failed answer into the HttpError react-admin understands:
 * the message is the localised problem title (shown in notifications), and
 * `body.errors` carries `fieldMessages` so forms put each message under its field.
 * `root.serverError` makes the form's own "invalid" notification show the title too.
 * When there are no field messages `errors` stays absent: controllers then notify
 * the title instead of the generic "form is invalid".
 */
export const problemToHttpError = (status: number, statusText: string, body: unknown): HttpError => {
  if (!isProblem(body)) {
    const message =
      typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : statusText || `HTTP ${status}`;
    return new HttpError(message, status, body ?? null);
  }
  const fieldMessages = body.fieldMessages ?? {};
  const hasFieldMessages = Object.keys(fieldMessages).length > 0;
  const errorBody: ProblemBody = {
    ...body,
    ...(hasFieldMessages ? { errors: { ...fieldMessages, root: { serverError: body.title } } } : {}),
  };
  return new HttpError(body.title, status, errorBody);
};

/** The problem code of an error thrown by the providers, if the bff sent one. */
export const problemCode = (error: unknown): string | undefined => {
  const body = (error as { body?: unknown } | null)?.body;
  return isProblem(body) ? body.code : undefined;
};
