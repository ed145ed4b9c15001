/**
 * A refusal is an answer, not a fault: in production it is made without a
 * stack trace (capturing one cost 2 % of the bff's CPU in a release rush,
 * where 19 of 20 requests are refused). The error handler never logs one.
 */
const REFUSALS_WITHOUT_STACK = process.env.NODE_ENV === 'production';

/** The particulars a refusal carries: dates, counts, the state met; rendered by the code's `detail`. */
export type Params = Record<string, string | number>;

export type DomainErrorDetails = {
  params?: Params;
  /**
   * The request field this refusal is about (a dotted path, `form.idNumber`):
   * the form shows the refusal's own words there, not a generic format message.
   */
  field?: string;
  /** Format errors (`request.invalid`): field path → field code of the field catalog. */
  fields?: Record<string, string>;
};

/**
 * Every error code of the bff, as a key of this interface: core/catalog.ts and
 * each module's `messages.ts` add theirs by declaration merging
 * (`declare module '…/core/errors.ts' { interface ErrorCodes extends CodesOf<typeof messages> {} }`),
 * so a code that no catalog declares fails to compile, with no central list.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ErrorCodes {}
export type ErrorCode = keyof ErrorCodes & string;
/** The codes of a catalog, for {@link ErrorCodes}. */
export type CodesOf<T> = { [K in keyof T]: true };

/**
 * The one error type of the bff. `code` is `<module>.<snake_case>`; its status
 * and texts come from the catalog (core/catalog.ts, each module's
 * `messages.ts`), rendered once by the HTTP layer (http/problem.ts).
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: DomainErrorDetails;
  constructor(code: ErrorCode, details?: DomainErrorDetails) {
    const limit = Error.stackTraceLimit;
    if (REFUSALS_WITHOUT_STACK) Error.stackTraceLimit = 0;
    super(code);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.details = details;
    this.name = 'DomainError';
  }
}

/** A rule's refusal as the pure rules return it: a code and its particulars. */
export type Refusal<C extends string = ErrorCode> = { code: C; params?: Params };

/** A refusal returned by `rules.ts`, thrown by the service, optionally about one request field. */
export function refuse(r: Refusal, field?: string): DomainError {
  return new DomainError(r.code, { ...(r.params ? { params: r.params } : {}), ...(field ? { field } : {}) });
}

/** Postgres error codes the platform reacts to. */
export const PG = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  foreignKeyViolation: '23503',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  /** The server ended the backend (a shutdown or restart): the statement it was running did not commit. */
  adminShutdown: '57P01',
  crashShutdown: '57P02',
  cannotConnectNow: '57P03',
} as const;

export function isPgError(e: unknown, code?: string): e is { code: string; constraint_name?: string } {
  return typeof e === 'object' && e !== null && 'code' in e && (code === undefined || (e as { code: unknown }).code === code);
}

/**
 * What a module's constraint means when the database refuses a write: its
 * refusal code, and the request field it is about. Each module declares its
 * map in its descriptor; the error handler translates with the union of all
 * maps. A unique, check or exclusion violation of a constraint no map names is
 * a bug (a guard the service should have checked first) and answers 500.
 */
export type ConstraintMap = Record<string, ErrorCode | { code: ErrorCode; field?: string }>;

/** The refusal a constraint violation stands for, or null when no map names it. */
export function refusalOfConstraint(e: unknown, maps: ConstraintMap): DomainError | null {
  if (!isPgError(e) || !['23505', '23514', '23P01', '23503'].includes(e.code)) return null;
  const name = e.constraint_name;
  const hit = name ? maps[name] : undefined;
  if (!hit) return null;
  return typeof hit === 'string' ? new DomainError(hit) : new DomainError(hit.code, hit.field ? { field: hit.field } : undefined);
}
