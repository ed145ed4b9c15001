import { z } from '@hono/zod-openapi';
import { idNumberSchema, usccSchema, validateIdNumber } from '../../platform/check-digits.ts';
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

const nameSchema = z
  .string()
  .trim()
  .refine((v) => v.length >= 2 && v.length <= 30, { params: { code: 'validation.name' } });

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

// ---------------------------------------------------------------------------
// Bindings and changes (citizen)
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

export const IdParam = z.object({ id: z.string().uuid() });
export const OrgLinkParams = z.object({ id: z.string().uuid(), accountId: z.string().uuid() });

export const BindLicenceToOrganisationRequest = z.strictObject({ uscc: usccSchema() }).openapi('BindLicenceToOrganisation');

export const PhoneCodeRequest = z.strictObject({ phone: phoneSchema }).openapi('PhoneCodeRequest');
export const ChangePhoneRequest = z.strictObject({ phone: phoneSchema, smsCode: smsCodeSchema }).openapi('ChangePhoneRequest');

const postcodeSchema = z.string().trim().refine((v) => /^\d{6}$/.test(v), { params: { code: 'validation.postcode' } });
const emailSchema = z.string().trim().max(120).refine((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), { params: { code: 'validation.email' } });
const addressSchema = z.string().trim().min(5).max(200);

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
// Counter forms
// ---------------------------------------------------------------------------

const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id'] as const;

const identity = {
  name: nameSchema,
  sex: z.enum(['M', 'F']),
  birthDate: z.string().refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v), { params: { code: 'validation.date' } }),
  idType: z.enum(ID_TYPES),
  idNumber: z.string().trim().toUpperCase().min(5).max(30),
};

/** A resident ID number must pass GB 11643 whatever the other fields say. */
function residentIdOk(v: { idType: string; idNumber: string }, ctx: z.RefinementCtx, path: string[]) {
  if (v.idType !== 'resident_id') return;
  const r = validateIdNumber(v.idNumber);
  if (!r.ok) ctx.addIssue({ code: 'custom', path, message: r.reason, params: { code: `validation.id_number_${r.reason}` } });
}

/** 《互联网个人用户注册/变更申请表》. */
export const PersonForm = z
  .strictObject({
    ...identity,
    phone: phoneSchema,
    email: emailSchema.nullable().optional(),
    postalAddress: addressSchema,
    postcode: postcodeSchema,
  })
  .superRefine((v, ctx) => residentIdOk(v, ctx, ['idNumber']))
  .openapi('PersonForm');
export type PersonFormInput = z.infer<typeof PersonForm>;

export const ORG_KINDS = ['state_organ', 'enterprise', 'public_institution', 'social_group', 'other'] as const;

/** 《互联网单位用户注册/变更申请表》. */
export const OrganisationForm = z
  .strictObject({
    organisationKind: z.enum(ORG_KINDS),
    organisationName: z.string().trim().min(2).max(100),
    uscc: usccSchema(),
    postalAddress: addressSchema,
    postcode: postcodeSchema,
    legalRepName: nameSchema,
    legalRepPhone: phoneSchema,
    agent: z
      .strictObject({ ...identity, phone: phoneSchema, email: emailSchema.nullable().optional() })
      .superRefine((v, ctx) => residentIdOk(v, ctx, ['idNumber'])),
    matters: z.string().trim().min(2).max(500),
  })
  .openapi('OrganisationForm');
export type OrganisationFormInput = z.infer<typeof OrganisationForm>;

export const NonOwnVehicle = z
  .strictObject({ plateNo: z.string().trim().min(6).max(10), ownerIdType: z.enum(ID_TYPES), ownerIdNumber: z.string().trim().toUpperCase().min(5).max(30) })
  .openapi('NonOwnVehicle');

const documents = z.partialRecord(z.enum(UPLOAD_PURPOSES), z.string().uuid());

export const ApplicationCreate = z
  .discriminatedUnion('subject', [
    z.strictObject({
      subject: z.literal('person'),
      kind: z.enum(['registration', 'change']),
      changeKind: z.enum(['contact', 'bind_non_own_vehicle']).optional(),
      form: PersonForm,
      vehicle: NonOwnVehicle.optional(),
      documents,
      /** the registry cannot be reached; accept now, check later (PD-8) */
      networkDown: z.boolean().optional(),
      prefillCode: z.string().trim().toUpperCase().regex(/^[A-HJ-NP-Z2-9]{10}$/).optional(),
    }),
    z.strictObject({
      subject: z.literal('organisation'),
      kind: z.enum(['registration', 'change']),
      changeKind: z.enum(['organisation_info']).optional(),
      form: OrganisationForm,
      documents,
    }),
  ])
  .openapi('ApplicationCreate');
export type ApplicationCreateInput = z.infer<typeof ApplicationCreate>;

export const ApplicationCorrect = z
  .strictObject({ form: PersonForm, vehicle: NonOwnVehicle.optional(), documents: documents.optional(), note: z.string().trim().max(500).optional() })
  .openapi('ApplicationCorrect');

export const ReasonRequest = z.strictObject({ reason: z.string().trim().min(2).max(500) }).openapi('ReasonRequest');
export const NoteRequest = z.strictObject({ note: z.string().trim().min(2).max(500) }).openapi('NoteRequest');

export const TimelineStepDto = z.object({
  step: z.enum(['accepted', 'check_pending', 'check_passed', 'check_failed', 'returned', 'resubmitted', 'approved', 'rejected', 'completed', 'archived', 'overdue']),
  at: z.string(),
  dueBy: z.string().optional(),
  reason: z.string().optional(),
});

export const ApplicationDocumentDto = z.object({ purpose: z.string(), uploadId: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string() });

export const AdminApplicationDto = z
  .object({
    id: z.string(),
    reference: z.string(),
    authorityId: z.string(),
    subject: z.enum(['person', 'organisation']),
    kind: z.enum(['registration', 'change']),
    changeKind: z.string().nullable(),
    status: z.enum(['review', 'returned', 'approved', 'rejected', 'completed']),
    applicantName: z.string(),
    idType: z.string(),
    idNumber: z.string(),
    phone: z.string(),
    form: z.record(z.string(), z.unknown()),
    vehicle: z.object({ id: z.string(), plateNo: z.string().nullable(), brandModel: z.string() }).nullable(),
    checkStatus: z.enum(['passed', 'pending', 'failed']),
    checkDetail: z.record(z.string(), z.unknown()),
    photoPrompts: z.array(z.string()),
    registry: z.object({ name: z.string(), sex: z.string(), birthDate: z.string() }).nullable(),
    documents: z.array(ApplicationDocumentDto),
    acceptedAt: z.string(),
    acceptedBy: z.string(),
    reviewDueAt: z.string().nullable(),
    overdue: z.boolean(),
    returnedNote: z.string().nullable(),
    returnedAt: z.string().nullable(),
    decidedAt: z.string().nullable(),
    rejectReason: z.string().nullable(),
    userAccountId: z.string().nullable(),
    timeline: z.array(TimelineStepDto),
  })
  .openapi('AdminApplication');

export const CitizenApplicationDto = z
  .object({
    reference: z.string(),
    subject: z.enum(['person', 'organisation']),
    kind: z.enum(['registration', 'change']),
    changeKind: z.string().nullable(),
    status: z.enum(['review', 'returned', 'approved', 'rejected', 'completed']),
    applicantNameMasked: z.string(),
    acceptedAt: z.string(),
    reviewDueAt: z.string().nullable(),
    overdue: z.boolean(),
    timeline: z.array(TimelineStepDto),
    asOf: z.string(),
  })
  .openapi('CitizenApplication');

export const RefParam = z.object({ ref: z.string().regex(/^YH\d{19}$/) });
export const TokenParam = z.object({ token: z.string().regex(/^[a-z2-7]{32}$/) });

export const PrefillCreate = z.strictObject({ form: PersonForm }).openapi('PrefillCreate');
export const PrefillDto = z.object({ code: z.string(), form: z.record(z.string(), z.unknown()), expiresAt: z.string() }).openapi('Prefill');
export const CodeParam = z.object({ code: z.string().trim().toUpperCase().regex(/^[A-HJ-NP-Z2-9]{10}$/) });

export const ArchiveDto = z
  .object({
    id: z.string(),
    applicationId: z.string(),
    reference: z.string(),
    subject: z.string(),
    applicantName: z.string(),
    status: z.enum(['pending', 'archived']),
    requiredDocuments: z.array(z.string()),
    checkedDocuments: z.array(z.string()),
    fileLocation: z.string().nullable(),
    note: z.string(),
    archivedAt: z.string().nullable(),
    archivedBy: z.string().nullable(),
    createdAt: z.string(),
    userAccountId: z.string().nullable(),
  })
  .openapi('AccountArchive');

export const ArchiveRequest = z
  .strictObject({ checkedDocuments: z.array(z.string().max(60)).max(10), fileLocation: z.string().trim().max(120), note: z.string().trim().max(500).optional() })
  .openapi('ArchiveRequest');

export const AdminUserDto = z
  .object({
    id: z.string(), name: z.string(), phoneMasked: z.string(), idNumberMasked: z.string(), kind: z.string(), personalType: z.string().nullable(),
    registrationChannel: z.string(), status: z.string(), authorityId: z.string().nullable(), createdAt: z.string(), cancelledAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
  })
  .openapi('AdminUser');

export const ForcedCancelRequest = z
  .strictObject({ reason: z.enum(['deceased', 'dissolved', 'false_materials']), note: z.string().trim().min(2).max(500) })
  .openapi('ForcedCancelRequest');

export const VehicleEventRequest = z
  .strictObject({
    plateNo: z.string().trim().min(6).max(10),
    kind: z.enum(['vehicle_transfer', 'vehicle_deregistration', 'vehicle_operating_to_non_operating']),
    newOwnerIdNumber: idNumberSchema().optional(),
    newOwnerName: nameSchema.optional(),
    newOwnerPhone: phoneSchema.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .openapi('VehicleEventRequest');

export const LicenceEventRequest = z
  .strictObject({ licenceNo: z.string().trim().min(5).max(30), kind: z.literal('licence_cancellation'), note: z.string().trim().max(500).optional() })
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
