/**
 * Request and answer shapes of the account itself (R-7.1, R-9, R-11, R-15,
 * R-18, R-21) and what the three parts share: the field formats, the id and
 * list parameters, the reason of a refusal. Bindings' shapes are in
 * bindings.schemas.ts, the counter's in counter.schemas.ts.
 */
import { z } from '@hono/zod-openapi';
import { idNumberSchema } from '../../platform/check-digits.ts';
import { personName, text } from '../../core/text.ts';
import { passwordSchema, phoneSchema, smsCodeSchema } from '../auth/schemas.ts';
import { SERVICES, UPLOAD_PURPOSES } from './rules.ts';

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

/** Sign-up and sign-in answer the account they opened. */
export const AuthResponse = z.object({ user: UserDto }).openapi('AuthResponse');

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

export const ServiceEnum = z.enum(SERVICES);

export const MeResponse = z
  .object({
    user: UserDto,
    vehicles: z.array(VehicleDto),
    licences: z.array(LicenceDto),
    asOf: z.string(),
    /** what this account may use */
    services: z.array(ServiceEnum),
    contact: z.object({ email: z.string().nullable(), postalAddress: z.string().nullable(), postcode: z.string().nullable() }),
    /** a new-car owner must preselect a plate before this instant */
    preselectBy: z.string().nullable(),
  })
  .openapi('Me');

export const nameSchema = personName({ min: 2, max: 30 });

export const SignUpRequest = z
  .strictObject({
    name: nameSchema,
    idNumber: idNumberSchema(),
    phone: phoneSchema,
    smsCode: smsCodeSchema,
    password: passwordSchema,
    /** 车主或驾驶人 (default), 学员, 新车车主 */
    personalType: z.enum(['owner_driver', 'learner', 'new_car_owner']).optional(),
  })
  .openapi('SignUpRequest');

export const IdParam = z.object({ id: z.string().uuid() });

// ---------------------------------------------------------------------------
// Changes, cancellation and the certificate photo (citizen)
// ---------------------------------------------------------------------------

export const PhoneCodeRequest = z.strictObject({ phone: phoneSchema }).openapi('PhoneCodeRequest');
export const ChangePhoneRequest = z.strictObject({ phone: phoneSchema, smsCode: smsCodeSchema }).openapi('ChangePhoneRequest');

export const postcodeSchema = z.string().trim().refine((v) => /^\d{6}$/.test(v), { params: { code: 'validation.postcode' } });
export const emailSchema = z.string().trim().max(120).refine((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), { params: { code: 'validation.email' } });
export const addressSchema = text({ min: 5, max: 200 });

export const ChangeContactRequest = z
  .strictObject({ email: emailSchema.nullable(), postalAddress: addressSchema.nullable(), postcode: postcodeSchema.nullable() })
  .openapi('ChangeContactRequest');

export const ChangePasswordRequest = z
  .strictObject({ currentPassword: z.string().max(200).optional(), newPassword: passwordSchema })
  .openapi('ChangePasswordRequest');

export const CancelRequest = z.strictObject({ password: z.string().max(200).optional(), confirm: z.literal(true) }).openapi('CancelOwnAccount');

export const UploadQuery = z.object({ purpose: z.enum(UPLOAD_PURPOSES) });

export const PhotoSubmissionDto = z
  .object({
    id: z.string(),
    licenceId: z.string(),
    status: z.enum(['submitted', 'approved', 'rejected']),
    submittedAt: z.string(),
    dueAt: z.string(),
    reviewedAt: z.string().nullable(),
    rejectReason: z.string().nullable(),
  })
  .openapi('CertificatePhotoSubmission');

export const SubmitPhotoRequest = z.strictObject({ licenceId: z.string().uuid(), uploadId: z.string().uuid() }).openapi('SubmitCertificatePhoto');

// ---------------------------------------------------------------------------
// Staff: accounts, forced cancellation, certificate-photo review
// ---------------------------------------------------------------------------

export const ReasonRequest = z.strictObject({ reason: text({ min: 2, max: 500, multiline: true }) }).openapi('ReasonRequest');

export const AdminUserDto = z
  .object({
    id: z.string(), name: z.string(), phoneMasked: z.string(), idNumberMasked: z.string(), kind: z.string(), personalType: z.string().nullable(),
    registrationChannel: z.string(), status: z.string(), authorityId: z.string().nullable(), createdAt: z.string(), cancelledAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
  })
  .openapi('AdminUser');

export const ForcedCancelRequest = z
  .strictObject({ reason: z.enum(['deceased', 'dissolved', 'false_materials']), note: text({ min: 2, max: 500, multiline: true }) })
  .openapi('ForcedCancelRequest');

export const AdminPhotoDto = z
  .object({
    id: z.string(), holderName: z.string(), licenceNoMasked: z.string(), uploadId: z.string(), registrationPhotoUploadId: z.string().nullable(),
    status: z.enum(['submitted', 'approved', 'rejected']), submittedAt: z.string(), dueAt: z.string(), overdue: z.boolean(), reviewedAt: z.string().nullable(),
    rejectReason: z.string().nullable(),
  })
  .openapi('AdminCertificatePhoto');

export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});
