import { z } from '@hono/zod-openapi';
import { DATA_KINDS } from '../../platform/masking.ts';

/** One reveal of the citizen's data, as she sees it: the posts and city of whoever looked, when, what and why — never a name. */
export const DataAccessEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    /** the staff member's posts at that moment (intake, review, archive, …) */
    posts: z.array(z.string()),
    cityId: z.string(),
    cityName: z.string(),
    /** the kind of record it was read on (account-applications, replacements, …) */
    resource: z.string(),
    /** a revealed value's kind, or archive_record: a whole case record of the archive was opened (X-6.3, issue 22) */
    dataKind: z.enum([...DATA_KINDS, 'archive_record']),
    reason: z.string(),
  })
  .openapi('DataAccessEntry');

export const DataAccessLog = z.object({ entries: z.array(DataAccessEntry), asOf: z.string() }).openapi('DataAccessLog');

/** A staff member asks for one full value of one record, with the reason (recorded, and shown to the citizen). */
export const RevealRequest = z
  .strictObject({
    field: z.string().min(1).max(60).regex(/^[A-Za-z][A-Za-z.]*$/),
    reason: z.string().trim().min(2).max(200),
  })
  .openapi('PersonalDataRevealRequest');

export const RevealAnswer = z
  .object({ field: z.string(), kind: z.enum(DATA_KINDS), value: z.string() })
  .openapi('PersonalDataReveal');
