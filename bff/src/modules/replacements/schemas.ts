import { z } from '@hono/zod-openapi';
import { phoneSchema } from '../auth/schemas.ts';
import { text as textOf } from '../../core/text.ts';
import { DELIVERIES, INSURANCE_CHECKS, ITEMS, KINDS } from './rules.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const IdParam = z.object({ id: uuid });
export const CityParam = z.object({ id: z.string().regex(/^\d{6}$/) });
export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});

const item = z.enum(ITEMS).openapi({ description: 'plate 号牌, vehicle_licence 行驶证, inspection_sticker 检验合格标志' });
const kind = z.enum(KINDS).openapi({ description: 'replacement 补领 (lost), exchange 换领 (damaged)' });
const delivery = z.enum(DELIVERIES).openapi({ description: 'post 邮寄, pickup 自取' });
const text = (max: number) => textOf({ max, multiline: true });

export const Reason = z.object({ code: z.string(), title: z.string(), detail: z.string().nullable() }).openapi('ReplacementRefusal');

// ---------------------------------------------------------------------------
// Citizens
// ---------------------------------------------------------------------------

const ItemOption = z.object({
  item,
  allowed: z.boolean(),
  reason: Reason.nullable(),
  postAllowed: z.boolean(),
  postReason: Reason.nullable(),
  tempPlateOffered: z.boolean(),
  insuranceRequired: z.boolean(),
});

const BarDto = z.object({ endsOn: z.string(), reason: z.string() });

export const OptionsDto = z
  .object({
    eligible: z.boolean(),
    refusal: Reason.nullable(),
    bar: BarDto.nullable(),
    recipient: z.object({ name: z.string(), phoneMasked: z.string(), postalAddress: z.string().nullable(), postcode: z.string().nullable() }),
    vehicles: z.array(
      z.object({
        id: z.string(),
        plateNo: z.string().nullable(),
        plateKind: z.string(),
        brandModel: z.string(),
        vinMasked: z.string(),
        states: z.array(z.string()),
        binding: z.string(),
        authorityName: z.string(),
        items: z.array(ItemOption),
      }),
    ),
  })
  .openapi('ReplacementOptions');

export const ApplyRequest = z
  .strictObject({
    vehicleId: uuid,
    item,
    kind,
    reasonNote: text(200).optional(),
    delivery,
    recipientName: text(60).min(2).optional(),
    recipientPhone: phoneSchema.optional(),
    postalAddress: text(200).min(5).optional(),
    postcode: z.string().regex(/^\d{6}$/).optional(),
    tempPlate: z.boolean().optional(),
    insuranceUploadId: uuid.optional(),
  })
  .openapi('ReplacementRequest');

const Common = {
  id: z.string(),
  reference: z.string(),
  status: z.string(),
  item: z.string(),
  kind: z.string(),
  reasonNote: z.string(),
  plateNo: z.string().nullable(),
  plateKind: z.string(),
  brandModel: z.string(),
  vinMasked: z.string(),
  authorityId: z.string(),
  authorityName: z.string(),
  delivery: z.string(),
  tempPlateRequested: z.boolean(),
  tempPlateNo: z.string().nullable(),
  oldItemHandOverRequired: z.boolean(),
  oldItemHandedOver: z.boolean().nullable(),
  submittedAt: z.string(),
  acceptDeadline: z.string(),
  acceptLastDay: z.string(),
  acceptedAt: z.string().nullable(),
  rejectedAt: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  producedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  post: z.object({ messageId: z.string(), status: z.string().nullable(), trackingNo: z.string().nullable() }).nullable(),
  readyAt: z.string().nullable(),
  pickupLastDay: z.string().nullable(),
  completedAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  archivedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  updatedAt: z.string(),
  recipientName: z.string().nullable(),
  recipientPhoneMasked: z.string().nullable(),
  postalAddress: z.string().nullable(),
  postcode: z.string().nullable(),
};
const Event = z.object({ at: z.string(), status: z.string(), note: z.string().nullable() });
const ActiveBar = z.object({ endsOn: z.string(), reason: z.string(), startsAt: z.string(), reference: z.string() });

export const ApplicationDto = z.object({ ...Common, events: z.array(Event), bar: ActiveBar.nullable().optional() }).openapi('ReplacementApplication');
export const MyApplications = z.object({ bar: ActiveBar.nullable(), applications: z.array(ApplicationDto), asOf: z.string() }).openapi('MyReplacements');

// ---------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------

export const StaffApplicationDto = z
  .object({
    ...Common,
    overdue: z.boolean(),
    applicantNameMasked: z.string(),
    applicantPhoneMasked: z.string(),
    applicantIdNumberMasked: z.string().nullable(),
    coreNumber: z.string().nullable(),
    insuranceCheck: z.record(z.string(), z.unknown()).nullable(),
    insuranceCertificate: z
      .object({ uploadId: z.string(), fileName: z.string().nullable(), contentType: z.string().nullable(), sizeBytes: z.number().nullable(), sha256: z.string().nullable() })
      .nullable(),
    oldItemDestroyedAt: z.string().nullable(),
    closingStep: z.enum(['restore_core_number', 'withdraw']).nullable(),
    allowedCommands: z.array(z.string()),
    events: z.array(Event).optional(),
  })
  .openapi('StaffReplacementApplication');

const check = z.strictObject(Object.fromEntries(INSURANCE_CHECKS.map((k) => [k, z.boolean()])) as Record<(typeof INSURANCE_CHECKS)[number], z.ZodBoolean>);
export const AcceptRequest = z.strictObject({ insuranceCheck: check.optional() }).openapi('ReplacementAccept');
export const RejectRequest = z.strictObject({ reason: text(200).min(2), insuranceCheck: check.optional() }).openapi('ReplacementReject');
export const ProduceRequest = z.strictObject({ coreNumber: z.string().trim().regex(/^[0-9A-Z-]{4,30}$/), tempPlateNo: text(20).min(4).optional() }).openapi('ReplacementProduce');
export const ReceiptRequest = z
  .strictObject({ outcome: z.enum(['delivered', 'refused', 'picked_up', 'not_collected']), oldItemHandedOver: z.boolean().optional(), note: text(200).optional() })
  .openapi('ReplacementReceipt');
export const NoteRequest = z.strictObject({ note: text(200).optional() }).openapi('ReplacementNote');

export const CitySettingDto = z
  .object({ id: z.string(), authorityName: z.string(), onlinePlateKinds: z.array(z.string()), note: z.string(), updatedAt: z.string().nullable(), updatedBy: z.string().nullable() })
  .openapi('ReplacementCitySetting');
export const CitySettingUpdate = z
  .object({
    onlinePlateKinds: z.array(z.enum(['small_blue', 'small_new_energy', 'large_yellow', 'large_new_energy', 'trailer', 'motorcycle'])).max(6),
    note: text(200).optional(),
  })
  .openapi('ReplacementCitySettingUpdate');
