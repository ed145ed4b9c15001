import { z } from '@hono/zod-openapi';
import { calendarDay, text } from '../../core/text.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const IdParam = z.object({ id: uuid });
export const FileParam = z.object({ id: uuid, position: z.coerce.number().int().min(0).max(999) });
export const TypeParam = z.object({ id: z.string().regex(/^[a-z][a-z0-9_]{1,60}$/) });
export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});

const businessType = z.string().regex(/^[a-z][a-z0-9_]{1,60}$/).openapi({ description: 'account_registration, replacement, plate_registration, …' });

export const ArchiveRecordDto = z
  .object({
    id: z.string(), businessType: z.string(), caseRef: z.string(), version: z.number().int(), authorityId: z.string(), authorityName: z.string(),
    personIdNumberMasked: z.string().nullable(), personNameMasked: z.string().nullable(), userAccountId: z.string().nullable(),
    plateNo: z.string().nullable(), licenceNo: z.string().nullable(), finishedAt: z.string(), archivedAt: z.string(), retainUntil: z.string().nullable(),
    status: z.enum(['kept', 'destroyed']), destroyedAt: z.string().nullable(), files: z.number().int(), digest: z.string(), chain: z.string(), chainSeq: z.number().int(),
  })
  .openapi('ArchiveRecord');

export const ArchiveRecordDetailDto = ArchiveRecordDto.extend({
  prevDigest: z.string(), contentDigest: z.string(), contentOk: z.boolean().nullable(),
  data: z.unknown().openapi({ description: 'the application data, payments and deliveries (personal data masked)' }),
  trail: z.array(z.unknown()).openapi({ description: 'the review trail: audit entries of the case, in order' }),
  messages: z.array(z.unknown()).openapi({ description: 'SMS / post messages sent for the case' }),
  documents: z.array(z.object({ position: z.number().int(), purpose: z.string(), contentType: z.string(), sizeBytes: z.number().int(), sha256: z.string(), fileName: z.string().nullable() })),
  versions: z.array(z.object({ id: z.string(), version: z.number().int(), archivedAt: z.string(), status: z.string() })),
  paperFile: z.object({ id: z.string(), fileNo: z.string(), status: z.string(), location: z.string() }).nullable(),
}).openapi('ArchiveRecordDetail');

export const ArchiveChainDto = z
  .object({
    id: z.string(), authorityId: z.string(), businessType: z.string(), records: z.number().int(), ok: z.boolean(),
    brokenAt: z.object({ recordId: z.string().nullable(), seq: z.number().int(), reason: z.enum(['sequence_gap', 'link_broken', 'content_changed', 'file_changed', 'digest_changed', 'head_mismatch']) }).nullable(),
  })
  .openapi('ArchiveChainCheck');

export const RetentionDto = z
  .object({ id: z.string(), businessType: z.string(), years: z.number().int().nullable(), permanent: z.boolean(), note: z.string(), updatedAt: z.string() })
  .openapi('ArchiveRetention');
export const RetentionUpdate = z
  .strictObject({ years: z.number().int().min(1).max(100).nullable().openapi({ description: 'null = permanent' }), note: text({ max: 200 }).default('') })
  .openapi('ArchiveRetentionUpdate');

export const DestructionDto = z
  .object({
    id: z.string(), recordId: z.string(), authorityId: z.string(), status: z.enum(['proposed', 'approved', 'kept']), proposedAt: z.string(), decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(), note: z.string(), businessType: z.string(), caseRef: z.string(), version: z.number().int(), retainUntil: z.string().nullable(),
    finishedAt: z.string(), recordStatus: z.string(), digest: z.string(),
  })
  .openapi('ArchiveDestruction');
export const DestructionDecision = z.strictObject({ note: text({ max: 500, multiline: true }).default('') }).openapi('ArchiveDestructionDecision');

// paper files ---------------------------------------------------------------------

const place = { room: text({ min: 1, max: 40 }), cabinet: text({ min: 1, max: 40 }), shelf: text({ min: 1, max: 40 }), box: text({ min: 1, max: 40 }) };

const LoanDto = z.object({ id: z.string(), borrower: z.string().nullable(), lentAt: z.string(), dueBack: z.string(), overdue: z.boolean() });
export const PaperFileDto = z
  .object({
    id: z.string(), fileNo: z.string(), authorityId: z.string(), authorityName: z.string(), businessType: z.string(), caseRef: z.string(), archiveRecordId: z.string().nullable(),
    personIdNumberMasked: z.string().nullable(), plateNo: z.string().nullable(), requiredDocuments: z.array(z.string()), checkedDocuments: z.array(z.string()),
    bound: z.boolean(), status: z.enum(['on_shelf', 'on_loan', 'in_transfer']), room: z.string(), cabinet: z.string(), shelf: z.string(), box: z.string(), location: z.string(),
    checkedInBy: z.string().nullable(), checkedInAt: z.string(), updatedAt: z.string(), loan: LoanDto.nullable(),
  })
  .openapi('PaperFile');
export const PaperFileDetailDto = PaperFileDto.extend({
  events: z.array(z.object({ id: z.string(), kind: z.string(), at: z.string(), by: z.string(), counterpart: z.string().nullable(), reason: z.string(), dueBack: z.string().nullable(), detail: z.record(z.string(), z.unknown()), city: z.string() })),
}).openapi('PaperFileDetail');

export const CheckInRequest = z
  .strictObject({
    businessType, caseRef: text({ min: 1, max: 100 }), checkedDocuments: z.array(z.string().regex(/^[a-z][a-z_]{1,60}$/)).max(20), bound: z.boolean().default(false),
    ...place, note: text({ max: 200 }).optional(),
  })
  .openapi('PaperFileCheckIn');
export const MoveRequest = z.strictObject({ ...place, reason: text({ min: 2, max: 200 }) }).openapi('PaperFileMove');
export const LendRequest = z
  .strictObject({ borrowerId: uuid, reason: text({ min: 2, max: 200 }), dueBack: calendarDay().optional().openapi({ description: 'the last day (Asia/Shanghai); default: 5 working days' }) })
  .openapi('PaperFileLend');
export const ReturnRequest = z.strictObject({ note: text({ max: 200 }).optional() }).openapi('PaperFileReturn');
export const BorrowerDto = z.object({ id: z.string(), name: z.string(), username: z.string(), roles: z.array(z.string()) }).openapi('PaperFileBorrower');

export const TransferDto = z
  .object({
    id: z.string(), personIdNumberMasked: z.string().nullable(), fromAuthorityId: z.string(), fromName: z.string(), toAuthorityId: z.string(), toName: z.string(),
    canReceive: z.boolean().openapi({ description: 'Sent to the signed-in staff member\'s city and not yet decided: only the receiving city confirms or refuses (ADR-037).' }),
    status: z.enum(['sent', 'received', 'refused']), reason: z.string(), sentBy: z.string(), sentAt: z.string(), decidedBy: z.string().nullable(), decidedAt: z.string().nullable(), files: z.array(z.string()),
  })
  .openapi('PaperFileTransfer');
export const TransferRequest = z
  .strictObject({ idNumber: z.string().regex(/^[0-9A-Za-z]{6,30}$/), toAuthorityId: z.string().regex(/^\d{6}$/), reason: text({ min: 2, max: 200 }) })
  .openapi('PaperFileTransferRequest');
export const ReceiveRequest = z.strictObject({ ...place, reason: text({ max: 200 }).default('') }).openapi('PaperFileTransferReceive');
export const RefuseTransferRequest = z.strictObject({ reason: text({ min: 2, max: 200 }) }).openapi('PaperFileTransferRefuse');

export const CertificateDto = z
  .object({ id: z.string(), businessType: z.string(), caseRef: z.string(), certificate: z.string(), serial: z.string(), action: z.string(), reason: z.string(), by: z.string(), at: z.string() })
  .openapi('ReturnedCertificate');
export const CertificateRequest = z
  .strictObject({
    businessType, caseRef: text({ min: 1, max: 100 }),
    certificate: z.enum(['plate', 'vehicle_licence', 'driving_licence', 'inspection_sticker', 'temp_plate']),
    serial: text({ min: 1, max: 40 }),
    action: z.enum(['destroyed', 'core_restored', 'case_withdrawn']).openapi({ description: 'destroyed 销毁; core_restored 恢复证芯编号; case_withdrawn 退办 (R-29.2)' }),
    reason: text({ min: 2, max: 200 }),
  })
  .openapi('ReturnedCertificateRequest');

export const PaperFileLabelDto = z
  .object({
    id: z.string(), fileNo: z.string(), authorityName: z.string(), businessType: z.string(), caseRef: z.string(), plateNo: z.string().nullable(),
    location: z.string(), room: z.string(), cabinet: z.string(), shelf: z.string(), box: z.string(), checkedInAt: z.string(),
    url: z.string().openapi({ description: 'the file’s page in the console, which the QR code holds' }), qrDataUrl: z.string(),
  })
  .openapi('PaperFileLabel');
