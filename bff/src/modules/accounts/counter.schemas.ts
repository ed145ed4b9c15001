/**
 * Request and answer shapes of the counter: the
 * application forms, the staff's application and archive records, the
 * citizen's application with its timeline, the pre-filled form.
 */
import { z } from '@hono/zod-openapi';
import { refineIdDocument, usccSchema } from '../../platform/check-digits.ts';
import { calendarDay, text } from '../../core/text.ts';
import { phoneSchema } from '../auth/schemas.ts';
import { UPLOAD_PURPOSES } from './rules.ts';
import { addressSchema, emailSchema, nameSchema, postcodeSchema } from './schemas.ts';

// ---------------------------------------------------------------------------
// Counter forms
// ---------------------------------------------------------------------------

const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id'] as const;

const identity = {
  name: nameSchema,
  sex: z.enum(['M', 'F']),
  birthDate: calendarDay(),
  idType: z.enum(ID_TYPES),
  idNumber: z.string().trim().toUpperCase().min(5).max(30),
};

/** A resident ID number must pass GB 11643 whatever the other fields say (the one shared check, platform/check-digits.ts). */
const residentIdOk = refineIdDocument('idType', 'idNumber');

/** 《互联网个人用户注册/变更申请表》. */
export const PersonForm = z
  .strictObject({
    ...identity,
    phone: phoneSchema,
    email: emailSchema.nullable().optional(),
    postalAddress: addressSchema,
    postcode: postcodeSchema,
  })
  .superRefine(residentIdOk)
  .openapi('PersonForm');
export type PersonFormInput = z.infer<typeof PersonForm>;

export const ORG_KINDS = ['state_organ', 'enterprise', 'public_institution', 'social_group', 'other'] as const;

/** 《互联网单位用户注册/变更申请表》. */
export const OrganisationForm = z
  .strictObject({
    organisationKind: z.enum(ORG_KINDS),
    organisationName: text({ min: 2, max: 100 }),
    uscc: usccSchema(),
    postalAddress: addressSchema,
    postcode: postcodeSchema,
    legalRepName: nameSchema,
    legalRepPhone: phoneSchema,
    agent: z
      .strictObject({ ...identity, phone: phoneSchema, email: emailSchema.nullable().optional() })
      .superRefine(residentIdOk),
    matters: text({ min: 2, max: 500, multiline: true }),
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

/**
 * The form 受理岗 corrects. Staff see the ID number, phone, e-mail
 * and address masked (issue 17, ADR-024): a field left out keeps what the
 * application holds, so correcting the address needs no reveal of the phone.
 * The identity document never changes in a correction.
 */
export const CorrectionForm = z
  .strictObject({
    ...identity,
    idType: identity.idType.optional(),
    idNumber: identity.idNumber.optional(),
    phone: phoneSchema.optional(),
    email: emailSchema.nullable().optional(),
    postalAddress: addressSchema.optional(),
    postcode: postcodeSchema,
  })
  .openapi('CorrectionForm');

export const ApplicationCorrect = z
  .strictObject({ form: CorrectionForm, vehicle: NonOwnVehicle.optional(), documents: documents.optional(), note: text({ max: 500, multiline: true }).optional() })
  .openapi('ApplicationCorrect');
export type CorrectionFormInput = z.infer<typeof CorrectionForm>;

export const NoteRequest = z.strictObject({ note: text({ min: 2, max: 500, multiline: true }) }).openapi('NoteRequest');

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
  .strictObject({ checkedDocuments: z.array(z.string().max(60)).max(10), fileLocation: text({ max: 120 }), note: text({ max: 500, multiline: true }).optional() })
  .openapi('ArchiveRequest');
