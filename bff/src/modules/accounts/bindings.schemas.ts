/**
 * Request and answer shapes of bindings
 * and of what staff record so that fire: vehicle and licence
 * events, first-licence applications.
 */
import { z } from '@hono/zod-openapi';
import { idNumberSchema, usccSchema } from '../../platform/check-digits.ts';
import { phoneSchema } from '../auth/schemas.ts';
import { text } from '../../core/text.ts';
import { LicenceDto, nameSchema, VehicleDto } from './schemas.ts';

// ---------------------------------------------------------------------------
// Bindings (citizen)
// ---------------------------------------------------------------------------

export const BindableVehicle = z.object({ id: z.string(), plateNo: z.string().nullable(), brandModel: z.string(), vinMasked: z.string(), bindable: z.boolean() });
export const BindableLicence = z.object({ id: z.string(), licenceNoMasked: z.string(), classes: z.string(), status: z.string(), bindable: z.boolean() });
export const OrganisationLink = z.object({ licenceId: z.string(), organisationAccountId: z.string(), organisationName: z.string(), usccMasked: z.string(), boundAt: z.string() });

export const BindingsResponse = z
  .object({
    vehicles: z.array(VehicleDto.extend({ boundAt: z.string() })),
    licences: z.array(LicenceDto.extend({ binding: z.enum(['own', 'organisation']), holderNameMasked: z.string() })),
    bindableVehicles: z.array(BindableVehicle),
    bindableLicences: z.array(BindableLicence),
    organisationLinks: z.array(OrganisationLink),
    nonOwnCount: z.number().int(),
    nonOwnLimit: z.number().int(),
  })
  .openapi('Bindings');

export const OrgLinkParams = z.object({ id: z.string().uuid(), accountId: z.string().uuid() });

export const BindLicenceToOrganisationRequest = z.strictObject({ uscc: usccSchema() }).openapi('BindLicenceToOrganisation');

// ---------------------------------------------------------------------------
// Records events and first-licence applications, staff
// ---------------------------------------------------------------------------

export const VehicleEventRequest = z
  .strictObject({
    plateNo: z.string().trim().min(6).max(10),
    kind: z.enum(['vehicle_transfer', 'vehicle_deregistration', 'vehicle_operating_to_non_operating']),
    newOwnerIdNumber: idNumberSchema().optional(),
    newOwnerName: nameSchema.optional(),
    newOwnerPhone: phoneSchema.optional(),
    note: text({ max: 500, multiline: true }).optional(),
  })
  .openapi('VehicleEventRequest');

export const LicenceEventRequest = z
  .strictObject({ licenceNo: z.string().trim().min(5).max(30), kind: z.literal('licence_cancellation'), note: text({ max: 500, multiline: true }).optional() })
  .openapi('LicenceEventRequest');

export const RecordsEventDto = z
  .object({
    id: z.string(), kind: z.string(), vehicleId: z.string().nullable(), licenceId: z.string().nullable(), plateNo: z.string().nullable(),
    licenceNoMasked: z.string().nullable(), unbound: z.number().int(), at: z.string(), recordedBy: z.string().nullable(), detail: z.record(z.string(), z.unknown()),
  })
  .openapi('RecordsEvent');

export const LicenceApplicationDto = z
  .object({
    id: z.string(), personName: z.string(), idNumberMasked: z.string(), classes: z.string(), status: z.string(), acceptedAt: z.string(),
    licenceId: z.string().nullable(), issuedAt: z.string().nullable(),
  })
  .openapi('LicenceApplication');
