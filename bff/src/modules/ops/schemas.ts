import { z } from '@hono/zod-openapi';
import { calendarDay, text } from '../../core/text.ts';

export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});

export const IdParam = z.object({ id: z.string().max(100) });

export const AuditEntryDto = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actorKind: z.string(),
    actorLabel: z.string().nullable(),
    authorityId: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
  })
  .openapi('AuditEntry');

export const OutboxDto = z
  .object({
    id: z.string(),
    channel: z.string(),
    recipient: z.string(),
    template: z.string(),
    status: z.string(),
    attempts: z.number().int(),
    provider: z.string().nullable(),
    providerRef: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    events: z.array(z.object({ at: z.string(), status: z.string(), detail: z.string().nullable() })).optional(),
  })
  .openapi('OutboxMessage');

export const JobDto = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    status: z.string(),
    runAt: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Job');

const isoDay = calendarDay();

export const CalendarDayDto = z
  .object({ id: z.string(), day: z.string(), kind: z.enum(['workday', 'holiday']), note: z.string(), updatedAt: z.string() })
  .openapi('CalendarDay');
export const CalendarDayCreate = z
  .strictObject({ day: isoDay, kind: z.enum(['workday', 'holiday']), note: text({ max: 200 }).default('') })
  .openapi('CalendarDayCreate');
export const CalendarYearRequest = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    holidays: z.array(isoDay).max(120),
    workdays: z.array(isoDay).max(60),
  })
  .openapi('CalendarYearRequest');
export const CalendarStatus = z
  .object({
    years: z.array(z.object({ year: z.number().int(), source: z.enum(['staff', 'package', 'missing']) })),
    missingNextYear: z.boolean(),
    nextYear: z.number().int(),
  })
  .openapi('CalendarStatus');
