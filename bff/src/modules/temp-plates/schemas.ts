import { z } from '@hono/zod-openapi';
import { refineIdDocument, vinSchema } from '../../platform/check-digits.ts';
import { phoneSchema } from '../auth/schemas.ts';
import { personName, text as textOf } from '../../core/text.ts';
import { HAND_OUT_DOCUMENTS, REQUIRED_DOCUMENTS } from './rules.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const IdParam = z.object({ id: uuid });
export const CityParam = z.object({ id: z.string().regex(/^\d{6}$/) });
export const DocumentParam = z.object({ id: uuid, kind: z.enum(REQUIRED_DOCUMENTS) });
export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});
const text = (max: number) => textOf({ max, multiline: true });
const ownerIdType = z.enum(['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id', 'uscc']);
const ownerIdNumber = z.string().trim().toUpperCase().min(2).max(40);
const models = z.array(text(60).min(2)).min(1).max(200);
const documents = z
  .strictObject(Object.fromEntries(REQUIRED_DOCUMENTS.map((k) => [k, uuid.optional()])) as Record<(typeof REQUIRED_DOCUMENTS)[number], z.ZodOptional<typeof uuid>>)
  .openapi({ description: 'R-31.2: upload id of each document (organisation code certificate, letter of authorisation, agent identity, brand/model list, sales permit)' });

export const ApplyRequest = z.strictObject({ brandModels: models, documents }).openapi('DealerQualificationApply');
export const ApproveRequest = z.strictObject({ quota: z.number().int().min(1).max(10000).optional(), note: text(200).optional() }).openapi('DealerQualificationApprove');
export const NoteRequired = z.strictObject({ note: text(200).min(2) }).openapi('DealerNoteRequired');
export const NoteOptional = z.strictObject({ note: text(200).optional() }).openapi('DealerNote');
export const RevokeRequest = z.strictObject({ reason: text(200).min(2) }).openapi('DealerQualificationRevoke');
export const QuotaRequest = z.strictObject({ quota: z.number().int().min(0).max(10000) }).openapi('DealerQuota');
export const ExplainRequest = z.strictObject({ text: text(1000).min(5) }).openapi('DealerExplanation');

const Stock = {
  handedOut: z.number().int(),
  inStock: z.number().int(),
  issued: z.number().int(),
  damagedKept: z.number().int(),
  returned: z.number().int(),
  destroyed: z.number().int(),
  recovered: z.number().int(),
};

export const QualificationDto = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    organisationName: z.string(),
    organisationCode: z.string(),
    legalRepName: z.string(),
    legalRepPhoneMasked: z.string(),
    authorityId: z.string(),
    brandModels: z.array(z.string()),
    status: z.string(),
    validFrom: z.string().nullable(),
    validUntil: z.string().nullable(),
    renewalWindow: z.object({ opensOn: z.string(), closesOn: z.string() }).nullable(),
    quota: z.number().int(),
    stock: z.object({ ...Stock, balanced: z.boolean() }),
    mismatchCount: z.number().int(),
    damageCount: z.number().int(),
    explanation: z.object({ required: z.boolean(), requiredAt: z.string().nullable(), reason: z.string().nullable(), text: z.string().nullable(), submittedAt: z.string().nullable() }),
    appliedAt: z.string(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string(),
    endedAt: z.string().nullable(),
    endReason: z.string().nullable(),
    reapplyAfter: z.string().nullable(),
    suspendedAt: z.string().nullable(),
    suspendReason: z.string().nullable(),
    updatedAt: z.string(),
    pendingReview: z
      .object({
        id: z.string(),
        kind: z.string(),
        brandModels: z.array(z.string()),
        submittedAt: z.string(),
        documents: z.array(z.object({ kind: z.string(), uploadId: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int() })),
      })
      .nullable(),
    reviews: z.array(z.object({ id: z.string(), kind: z.string(), status: z.string(), submittedAt: z.string(), decidedAt: z.string().nullable(), note: z.string() })),
    handOutCheck: z.object({ damagedKeptNos: z.array(z.string()), issuedSinceLast: z.number().int(), lastHandOutAt: z.string().nullable() }).nullable(),
  })
  .openapi('DealerQualification');

export const HandOutRequest = z
  .strictObject({
    qualificationId: uuid,
    quantity: z.number().int().min(1).max(10000),
    returnedDamagedNos: z.array(text(20)).max(10000).default([]),
    issuedSinceLast: z.number().int().min(0),
    materialsComplete: z.boolean(),
    deferCheck: z.boolean().optional(),
    // each is checked by the service, which names the missing ones at their field
    documents: z
      .strictObject(Object.fromEntries(HAND_OUT_DOCUMENTS.map((k) => [k, uuid.optional()])) as Record<(typeof HAND_OUT_DOCUMENTS)[number], z.ZodOptional<typeof uuid>>)
      .default({})
      .openapi({ description: 'R-33.2.1: upload id (kind handout_document, uploaded by this 受理岗) of the unit’s organisation code certificate, the letter of authorisation and the collector’s identity document' }),
  })
  .openapi('TempPlateHandOut');

export const BatchDto = z
  .object({
    id: z.string(),
    qualificationId: z.string(),
    organisationName: z.string(),
    quantity: z.number().int(),
    firstPlateNo: z.string(),
    lastPlateNo: z.string(),
    declared: z.object({ returnedDamagedNos: z.array(z.string()), issuedSinceLast: z.number().int(), materialsComplete: z.boolean() }),
    checkStatus: z.string(),
    checkResult: z.record(z.string(), z.unknown()).nullable(),
    checkedAt: z.string().nullable(),
    handedOutAt: z.string(),
    handedOutBy: z.string(),
    documents: z.array(z.object({ kind: z.string(), fileName: z.string().nullable() })).optional().openapi({ description: 'R-33.2.1: the documents checked at the hand-out (one hand-out only)' }),
  })
  .openapi('TempPlateBatch');

export const BlankDto = z
  .object({
    id: z.string(),
    plateNo: z.string(),
    qualificationId: z.string(),
    organisationName: z.string(),
    batchId: z.string(),
    status: z.string(),
    damagedAt: z.string().nullable(),
    damageNote: z.string().nullable(),
    returnedAt: z.string().nullable(),
    destroyedAt: z.string().nullable(),
    recoveredAt: z.string().nullable(),
    issuanceId: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('TempPlateBlank');

export const IssueRequest = z
  .strictObject({
    blankId: uuid,
    vin: vinSchema(),
    brandModel: text(60).min(2),
    ownerName: personName({ min: 2, max: 60 }),
    ownerIdType,
    ownerIdNumber,
    ownerPhone: phoneSchema,
  })
  // the owner's resident ID or USCC must pass its check digit (the one shared check).
  .superRefine(refineIdDocument('ownerIdType', 'ownerIdNumber'))
  .openapi('TempPlateIssue');

export const IssuanceDto = z
  .object({
    id: z.string(),
    blankId: z.string(),
    plateNo: z.string(),
    qualificationId: z.string(),
    organisationName: z.string(),
    vinMasked: z.string(),
    brandModel: z.string(),
    ownerNameMasked: z.string(),
    ownerIdType: z.string(),
    ownerIdNumberMasked: z.string(),
    ownerPhoneMasked: z.string(),
    validUntil: z.string(),
    status: z.string(),
    issuedAt: z.string(),
    issuedBy: z.string(),
    registeredAt: z.string().nullable(),
    mismatchFields: z.array(z.string()).nullable(),
  })
  .openapi('TempPlateIssuance');

/**
 * the owner data at 注册登记. `ownerIdType` defaults to the type the
 * dealer recorded; the number is checked by its type either way (here when
 * the type is sent, in the service with the same check when it is not).
 */
export const RegistrationRequest = z
  .strictObject({ ownerName: personName({ min: 2, max: 60 }), ownerIdType: ownerIdType.optional(), ownerIdNumber, ownerPhone: phoneSchema })
  .superRefine(refineIdDocument('ownerIdType', 'ownerIdNumber'))
  .openapi('TempPlateRegistration');

export const StockDto = z
  .object({
    qualificationId: z.string(),
    status: z.string(),
    validUntil: z.string().nullable(),
    quota: z.number().int(),
    counters: z.object(Stock),
    counted: z.object(Stock),
    balanced: z.boolean(),
    matches: z.boolean(),
    asOf: z.string(),
  })
  .openapi('TempPlateStock');

export const CitySettingDto = z
  .object({ id: z.string(), authorityName: z.string(), dealersEnabled: z.boolean(), note: z.string(), updatedAt: z.string().nullable(), updatedBy: z.string().nullable() })
  .openapi('TempPlateCitySetting');
export const CitySettingUpdate = z.object({ dealersEnabled: z.boolean(), note: text(200).optional() }).openapi('TempPlateCitySettingUpdate');
