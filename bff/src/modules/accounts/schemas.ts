import { z } from '@hono/zod-openapi';
import { idNumberSchema } from '../../platform/check-digits.ts';
import { passwordSchema, phoneSchema, smsCodeSchema } from '../auth/schemas.ts';

export const UserDto = z
  .object({
    id: z.string(),
    name: z.string(),
    phoneMasked: z.string(),
    idNumberMasked: z.string(),
    kind: z.enum(['personal', 'organisation']),
    personalType: z.enum(['owner_driver', 'learner', 'new_car_owner']).nullable(),
    registrationChannel: z.enum(['online', 'counter']),
    status: z.enum(['active', 'suspended', 'cancelled']),
  })
  .openapi('User');

export const VehicleDto = z
  .object({
    id: z.string(),
    plateNo: z.string().nullable(),
    plateKind: z.string(),
    vehicleType: z.string(),
    brandModel: z.string(),
    vinMasked: z.string(),
    states: z.array(z.string()),
    inspectionValidUntil: z.string().nullable(),
    binding: z.enum(['own', 'non_own', 'organisation']),
  })
  .openapi('BoundVehicle');

export const LicenceDto = z
  .object({
    id: z.string(),
    licenceNoMasked: z.string(),
    classes: z.string(),
    validUntil: z.string(),
    status: z.string(),
    points: z.number().int(),
  })
  .openapi('BoundLicence');

export const MeResponse = z
  .object({ user: UserDto, vehicles: z.array(VehicleDto), licences: z.array(LicenceDto), asOf: z.string() })
  .openapi('Me');

export const SignUpRequest = z
  .strictObject({
    name: z
      .string()
      .trim()
      .refine((v) => v.length >= 2 && v.length <= 30, { params: { code: 'validation.name' } }),
    idNumber: idNumberSchema(),
    phone: phoneSchema,
    smsCode: smsCodeSchema,
    password: passwordSchema,
  })
  .openapi('SignUpRequest');
