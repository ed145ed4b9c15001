/**
 * Answer shapes of "what is due soon" (due-soon.ts) and of the citizen's own
 * record for the counter form (own-record.ts), apart from their services so
 * that contract.ts imports shapes only.
 */
import { z } from '@hono/zod-openapi';

export const DUE_KINDS = [
  'inspection_due', // book an inspection: /inspections/book?vehicle={subjectId}
  'inspection_booked', // booked: the booking {subjectId}; `detail` is the slot's day
  'plate_reservation', // register the car with the reserved number by the deadline: /plates/preselections/{subjectId}
  'preselect_by', // a new-car owner preselects within 24 h of registering; {subjectId} a preselection already started
  'temp_plate', // register the car before the temporary plate ends (at the counter)
  'application_returned', // a counter application returned; `detail` is the note: /applications/{reference}
  'replacement_pickup', // collect the replacement by the last day: /replacements/{subjectId}
] as const;
export type DueKind = (typeof DUE_KINDS)[number];

export const DueItem = z
  .object({
    kind: z.enum(DUE_KINDS),
    /** What the item is about, as the citizen knows it: a plate number or an application's reference. */
    label: z.string(),
    /** The id the web action needs (vehicle, booking, preselection, application), or null. */
    subjectId: z.string().nullable(),
    /** A day (YYYY-MM-DD) or an instant (ISO); null when nothing fixes one. */
    dueAt: z.string().nullable(),
    overdue: z.boolean(),
    /** A booking's day, a returned application's note. */
    detail: z.string().nullable(),
  })
  .openapi('DueItem');

export const DueSoonResponse = z.object({ items: z.array(DueItem), asOf: z.string(), horizonDays: z.number().int() }).openapi('DueSoon');
export type DueSoonDto = z.infer<typeof DueSoonResponse>;
export type DueItemDto = z.infer<typeof DueItem>;

export const OwnRecord = z
  .object({
    name: z.string(),
    sex: z.enum(['M', 'F']).nullable(),
    birthDate: z.string().nullable(),
    idType: z.string(),
    idNumber: z.string(),
    phone: z.string(),
    email: z.string().nullable(),
    postalAddress: z.string().nullable(),
    postcode: z.string().nullable(),
  })
  .openapi('OwnRecord');
export type OwnRecordDto = z.infer<typeof OwnRecord>;
