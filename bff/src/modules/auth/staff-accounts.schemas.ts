import { z } from '@hono/zod-openapi';
import { StaffDto } from './schemas.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

export const StaffAccountIdParam = z.object({ id: uuid });

export const StaffAccountListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});

/** A staff account as the system administrator sees it: posts, city, second-factor state — never a key. */
export const StaffAccountDto = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: StaffDto.shape.roles,
    authorityId: z.string(),
    authorityName: z.string(),
    stationName: z.string().nullable(),
    organisationName: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    /** enabled: signs in with a code; not_enrolled: enrols at the next sign-in; pending: enrolment started, not confirmed */
    totpState: z.enum(['enabled', 'not_enrolled', 'pending']),
    /** a replacement key is waiting for its confirming code (the enabled one still works) */
    totpReplacementPending: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('StaffAccount');

export const TotpResetRequest = z.strictObject({ reason: z.string().trim().min(2).max(500) }).openapi('StaffTotpResetRequest');
