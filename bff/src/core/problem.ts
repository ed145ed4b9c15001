import { z } from '@hono/zod-openapi';

/**
 * The one error envelope (RFC 9457 problem+json), for every answer ≥ 400:
 * `title` names the refusal, `detail` gives its particulars and what to do
 * next, in the caller's language; `errors` puts a message at each request
 * field at fault (`pointer` is a JSON pointer into the body, `field` the same
 * path dotted, for forms). Web and admin take the type from here.
 */
export const FieldError = z
  .object({
    pointer: z.string(),
    field: z.string(),
    code: z.string(),
    detail: z.string(),
  })
  .openapi('FieldError');

export const Problem = z
  .object({
    type: z.string(),
    code: z.string(),
    status: z.number().int(),
    title: z.string(),
    detail: z.string().optional(),
    requestId: z.string().optional(),
    /** The refusal's particulars (dates, counts, the state met), for clients that format them themselves. */
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    errors: z.array(FieldError).optional(),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof Problem>;
export type FieldError = z.infer<typeof FieldError>;
