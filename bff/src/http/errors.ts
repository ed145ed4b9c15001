import type { Problem } from '../client.ts';
import { errorCatalog, errorText, fieldText, type ErrorCode, type Locale } from './messages.ts';

/**
 * A refusal is an answer, not a fault: in production it is made without a
 * stack trace (capturing one cost 2 % of the bff's CPU in a release rush,
 * where 19 of 20 requests are refused). onError never logs a DomainError.
 */
const REFUSALS_WITHOUT_STACK = process.env.NODE_ENV === 'production';

/**
 * The one error type of the bff. `code` is `<module>.<snake_case>` and is
 * mapped to status and localised text by the catalog; `fields` maps a
 * request field path to a field code so forms can show it beside the field.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: { fields?: Record<string, string>; params?: Record<string, string | number>; detail?: string };
  constructor(code: ErrorCode, details?: DomainError['details']) {
    const limit = Error.stackTraceLimit;
    if (REFUSALS_WITHOUT_STACK) Error.stackTraceLimit = 0;
    super(code);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.details = details;
    this.name = 'DomainError';
  }
  get status(): number {
    return errorCatalog[this.code].status;
  }
}

/** The wire shape (shared with the web client), plus rule parameters some codes carry. */
export type ProblemBody = Problem & { params?: Record<string, string | number> };

export function problemBody(
  code: string,
  locale: Locale,
  requestId: string | undefined,
  details?: DomainError['details'],
): ProblemBody {
  const { status, title } = errorText(code, locale);
  const body: ProblemBody = { type: `https://jiaoguan.example/problems/${code}`, code, status, title, requestId };
  if (details?.detail) body.detail = details.detail;
  if (details?.params) body.params = details.params;
  if (details?.fields && Object.keys(details.fields).length > 0) {
    body.fields = details.fields;
    body.fieldMessages = Object.fromEntries(Object.entries(details.fields).map(([k, v]) => [k, fieldText(v, locale)]));
    if (!body.detail) body.detail = Object.values(body.fieldMessages).join('；');
  }
  return body;
}

/** Postgres error codes the services translate into domain codes. */
export const PG = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

export function isPgError(e: unknown, code?: string): e is { code: string; constraint_name?: string } {
  return typeof e === 'object' && e !== null && 'code' in e && (code === undefined || (e as { code: unknown }).code === code);
}
