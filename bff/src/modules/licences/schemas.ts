import { z } from '@hono/zod-openapi';
import { phoneSchema } from '../auth/schemas.ts';
import { text as textOf } from '../../core/text.ts';
import { DEFERRAL_KINDS, DEFERRAL_REASONS, DELIVERIES, KINDS } from './rules.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const IdParam = z.object({ id: uuid });
export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});

const kind = z.enum(KINDS).openapi({ description: 'renewal 期满换证, age_renewal 超龄换证, damage_exchange 损毁换证, loss_replacement 遗失补证' });
const delivery = z.enum(DELIVERIES).openapi({ description: 'post 邮寄, pickup 自取' });
const text = (max: number) => textOf({ max, multiline: true });

export const Reason = z.object({ code: z.string(), title: z.string(), detail: z.string().nullable() }).openapi('LicenceRefusal');

// ---------------------------------------------------------------------------
// Citizens
// ---------------------------------------------------------------------------

const KindOption = z.object({
  kind,
  allowed: z.boolean(),
  reason: Reason.nullable(),
  classesAfter: z.string().nullable(),
  needsHealthCertificate: z.boolean(),
  oldLicenceHandedIn: z.boolean(),
});

const LicenceOption = z.object({
  id: z.string(),
  licenceNoMasked: z.string(),
  holderName: z.string(),
  classes: z.string(),
  validUntil: z.string(),
  reviewValidUntil: z.string().nullable(),
  status: z.string(),
  statusName: z.string(),
  binding: z.enum(['own', 'organisation']),
  authorityName: z.string(),
  hasCertificatePhoto: z.boolean(),
  renewalOpensOn: z.string(),
  healthCertificate: z.object({ id: z.string(), source: z.enum(['institution', 'self']), issuedOn: z.string(), validUntil: z.string(), conclusion: z.enum(['fit', 'unfit']) }).nullable(),
  obligation: z.object({ purpose: z.enum(['age_70_yearly', 'disability_3y']), cycleEnd: z.string(), lastDay: z.string() }).nullable(),
  cancellation: z.object({ cycleEnd: z.string(), cancelledAt: z.string(), restorable: z.boolean() }).nullable(),
  kinds: z.array(KindOption),
});

export const OptionsDto = z
  .object({
    eligible: z.boolean(),
    refusal: Reason.nullable(),
    recipient: z.object({ name: z.string(), phoneMasked: z.string(), postalAddress: z.string().nullable(), postcode: z.string().nullable() }),
    licences: z.array(LicenceOption),
    asOf: z.string(),
  })
  .openapi('LicenceOptions');

export const ApplyRequest = z
  .strictObject({
    licenceId: uuid,
    kind,
    declaration: z.boolean().openapi({ description: 'X-4.1.11 申告: none of the disqualifying conditions applies' }),
    delivery,
    recipientName: text(50).min(1).optional(),
    recipientPhone: phoneSchema.optional(),
    postalAddress: text(200).min(5).optional(),
    postcode: z.string().regex(/^\d{6}$/).optional(),
  })
  .openapi('LicenceApply');

const Event = z.object({ at: z.string(), status: z.string(), note: z.string().nullable() });

const Common = {
  id: z.string(),
  reference: z.string(),
  status: z.string(),
  kind,
  licenceNoMasked: z.string(),
  classesBefore: z.string(),
  classesAfter: z.string(),
  validUntilBefore: z.string(),
  newValidUntil: z.string().nullable(),
  healthCertificateId: z.string().nullable(),
  authorityId: z.string(),
  authorityName: z.string(),
  delivery,
  oldLicenceHandInRequired: z.boolean(),
  oldLicenceHandedOver: z.boolean().nullable(),
  submittedAt: z.string(),
  acceptDeadline: z.string(),
  acceptLastDay: z.string(),
  acceptedAt: z.string().nullable(),
  rejectedAt: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  producedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  post: z.object({ status: z.string().nullable(), trackingNo: z.string().nullable() }).nullable(),
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

export const ApplicationDto = z
  .object({ ...Common, events: z.array(Event), bar: z.object({ endsOn: z.string(), reason: z.string() }).nullable() })
  .openapi('LicenceApplication');

export const MyApplications = z
  .object({
    bar: z.object({ endsOn: z.string(), reason: z.string(), reference: z.string() }).nullable(),
    applications: z.array(ApplicationDto.omit({ bar: true })),
    asOf: z.string(),
  })
  .openapi('MyLicenceApplications');

export const HealthReportRequest = z
  .strictObject({
    uploadId: uuid,
    issuedOn: day,
    purpose: z.enum(['renewal', 'age_70_yearly', 'disability_3y']),
    conclusion: z.enum(['fit', 'unfit']),
  })
  .openapi('LicenceHealthReport');
export const HealthReportDto = z
  .object({
    certificate: z.object({ id: z.string(), source: z.string(), purpose: z.string(), issuedOn: z.string(), validUntil: z.string(), conclusion: z.string() }),
    restored: z.boolean(),
  })
  .openapi('LicenceHealthReportResult');
export const RestoreDto = z.object({ restored: z.boolean() }).openapi('LicenceRestored');

// Deferrals
export const DeferralRequest = z
  .strictObject({
    licenceId: uuid,
    kind: z.enum(DEFERRAL_KINDS).openapi({ description: 'renewal 延期换证, review 延期审验, health_certificate 延期提交身体条件证明' }),
    reason: z.enum(DEFERRAL_REASONS).openapi({ description: 'military_service 服兵役, abroad 出国（境）, other 其他' }),
    reasonNote: text(200).optional(),
    deferredUntil: day,
  })
  .openapi('LicenceDeferralApply');

const DeferralCommon = {
  id: z.string(),
  reference: z.string(),
  kind: z.enum(DEFERRAL_KINDS),
  kindName: z.string(),
  reason: z.enum(DEFERRAL_REASONS),
  reasonName: z.string(),
  reasonNote: z.string(),
  licenceNoMasked: z.string(),
  holderName: z.string(),
  endDate: z.string(),
  deferredUntil: z.string(),
  status: z.string(),
  authorityName: z.string(),
  submittedAt: z.string(),
  acceptDeadline: z.string(),
  acceptLastDay: z.string(),
  acceptedAt: z.string().nullable(),
  rejectedAt: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  verificationCode: z.string().nullable(),
};
export const DeferralDto = z.object(DeferralCommon).openapi('LicenceDeferral');
export const MyDeferrals = z.object({ deferrals: z.array(DeferralDto) }).openapi('MyLicenceDeferrals');
export const ReceiptQuery = z.object({ reference: z.string().min(4).max(40), code: z.string().min(4).max(12) });
export const ReceiptCheckDto = z
  .object({
    reference: z.string(), kind: z.string(), kindName: z.string(), holderName: z.string(), licenceNoMasked: z.string(),
    endDate: z.string(), deferredUntil: z.string(), authorityName: z.string(), acceptedAt: z.string(),
  })
  .openapi('LicenceDeferralReceiptCheck');

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
    oldLicenceDestroyedAt: z.string().nullable(),
    closingStep: z.enum(['restore_core_number', 'withdraw']).nullable(),
    allowedCommands: z.array(z.string()),
    events: z.array(Event).optional(),
  })
  .openapi('StaffLicenceApplication');

export const StaffDeferralDto = z
  .object({ ...DeferralCommon, holderIdNumberMasked: z.string(), applicantPhoneMasked: z.string(), overdue: z.boolean(), allowedCommands: z.array(z.string()) })
  .openapi('StaffLicenceDeferral');

export const RejectRequest = z.strictObject({ reason: text(200).min(2) }).openapi('LicenceReject');
export const ProduceRequest = z.strictObject({ coreNumber: z.string().trim().regex(/^[0-9A-Z-]{4,30}$/) }).openapi('LicenceProduce');
export const ReceiptRequest = z
  .strictObject({ outcome: z.enum(['delivered', 'refused', 'picked_up', 'not_collected']), oldLicenceHandedOver: z.boolean().optional(), note: text(200).optional() })
  .openapi('LicenceReceipt');
export const NoteRequest = z.strictObject({ note: text(200).optional() }).openapi('LicenceNote');
