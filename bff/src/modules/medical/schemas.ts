import { z } from '@hono/zod-openapi';
import { idNumberSchema } from '../../platform/check-digits.ts';
import { calendarDay, text as textOf } from '../../core/text.ts';
import { CERTIFICATE_PURPOSES, REQUIRED_DOCUMENTS } from './rules.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const IdParam = z.object({ id: uuid });
export const DocumentParam = z.object({ id: uuid, kind: z.enum(REQUIRED_DOCUMENTS) });
export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});
const text = (max: number) => textOf({ max, multiline: true });
const documents = z
  .strictObject(Object.fromEntries(REQUIRED_DOCUMENTS.map((k) => [k, uuid.optional()])) as Record<(typeof REQUIRED_DOCUMENTS)[number], z.ZodOptional<typeof uuid>>)
  .openapi({ description: 'PD-12: upload id of each document (practice licence, organisation code certificate, letter of authorisation, agent identity, the health authority’s published list)' });

export const ApplyRequest = z
  .strictObject({ practiceLicenceNo: textOf({ max: 60, min: 4 }), documents })
  .openapi('MedicalQualificationApply');
export const NoteOptional = z.strictObject({ note: text(200).optional() }).openapi('MedicalNote');
export const NoteRequired = z.strictObject({ note: text(200).min(2) }).openapi('MedicalNoteRequired');
export const RevokeRequest = z.strictObject({ reason: text(500).min(2) }).openapi('MedicalQualificationRevoke');

export const QualificationDto = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    organisationName: z.string(),
    organisationCode: z.string(),
    legalRepName: z.string(),
    legalRepPhoneMasked: z.string(),
    practiceLicenceNo: z.string(),
    authorityId: z.string(),
    status: z.string(),
    maySubmit: z.boolean(),
    validFrom: z.string().nullable(),
    validUntil: z.string().nullable(),
    renewalWindow: z.object({ opensOn: z.string(), closesOn: z.string() }).nullable(),
    mayRenew: z.boolean(),
    appliedAt: z.string(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string(),
    endedAt: z.string().nullable(),
    endReason: z.string().nullable(),
    reapplyAfter: z.string().nullable(),
    updatedAt: z.string(),
    certificateCount: z.number().int(),
    reviewKind: z.string().nullable(),
    reviewSubmittedAt: z.string().nullable(),
    reviewDueAt: z.string().nullable(),
    pendingReview: z
      .object({
        id: z.string(),
        kind: z.string(),
        submittedAt: z.string(),
        dueAt: z.string(),
        documents: z.array(z.object({ kind: z.string(), uploadId: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int() })),
      })
      .nullable(),
    reviews: z.array(z.object({ id: z.string(), kind: z.string(), status: z.string(), submittedAt: z.string(), dueAt: z.string(), decidedAt: z.string().nullable(), note: z.string() })),
  })
  .openapi('MedicalQualification');
export const MyQualificationDto = z.object({ qualification: QualificationDto.nullable() }).openapi('MedicalMyQualification');

export const RecordCertificateRequest = z
  .strictObject({
    idNumber: idNumberSchema(),
    licenceNo: z.string().trim().toUpperCase().min(6).max(30),
    purpose: z.enum(CERTIFICATE_PURPOSES),
    issuedOn: calendarDay(),
    conclusion: z.enum(['fit', 'unfit']),
    scanUploadId: uuid,
  })
  .openapi('MedicalRecordCertificate');

export const CertificateDto = z
  .object({
    id: z.string(),
    reference: z.string(),
    holderName: z.string(),
    holderIdNumberMasked: z.string(),
    licenceNoMasked: z.string().nullable(),
    licenceClasses: z.string().nullable(),
    issuerOrganisationId: z.string().nullable(),
    issuerName: z.string().nullable(),
    source: z.string(),
    purpose: z.string(),
    issuedOn: z.string(),
    validUntil: z.string(),
    conclusion: z.string(),
    status: z.string(),
    voidReason: z.string().nullable(),
    issuerRevoked: z.boolean(),
    acceptedToday: z.boolean(),
    hasScan: z.boolean(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .openapi('MedicalHealthCertificate');
