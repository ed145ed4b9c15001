import { z } from '@hono/zod-openapi';
import { smsCodeSchema } from '../auth/schemas.ts';
import { text as textOf } from '../../core/text.ts';
import { OBJECTION_GROUNDS, VIOLATION_STATUSES } from './rules.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const IdParam = z.object({ id: uuid });
export const PhotoParam = z.object({ id: uuid, position: z.coerce.number().int().min(1).max(6) });
export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});
const decisionNo = z.string().regex(/^\d{20}$/).openapi({ description: '决定书编号 (20 digits)', example: '44030020261206000001' });

export const Reason = z.object({ code: z.string(), title: z.string(), detail: z.string().nullable() }).openapi('ViolationRefusal');

const Record_ = z.object({
  id: z.string(), reference: z.string(), source: z.enum(['camera', 'onsite']), plateNo: z.string(), vehicleId: z.string().nullable(),
  occurredAt: z.string(), place: z.string(), actCode: z.string(), act: z.string(), fineFen: z.number().int(), points: z.number().int(),
  status: z.enum(VIOLATION_STATUSES), authorityName: z.string(), photoCount: z.number().int(), decisionId: z.string().nullable(),
});
const CitizenRecord = Record_.extend({ canHandle: z.boolean(), reason: Reason.nullable(), canObject: z.boolean() });

export const MyViolations = z.object({
  refusal: Reason.nullable(),
  licence: z.object({
    id: z.string(), licenceNoMasked: z.string(), status: z.string(), points: z.number().int(), pendingPoints: z.number().int(), cycleStart: z.string(), cycleEnd: z.string(),
  }).nullable(),
  vehicles: z.array(z.object({ id: z.string(), plateNo: z.string().nullable(), brandModel: z.string(), binding: z.string(), records: z.array(CitizenRecord) })),
  licenceRecords: z.array(CitizenRecord),
  asOf: z.string(),
}).openapi('MyViolations');

const Objection = z.object({
  id: z.string(), kind: z.enum(['objection', 'exemption']), ground: z.string(), statement: z.string(), status: z.string(),
  submittedAt: z.string(), dueAt: z.string(), decidedAt: z.string().nullable(), decisionNote: z.string().nullable(),
});
export const ViolationDetail = Record_.extend({
  photos: z.array(z.object({ position: z.number().int(), url: z.string() })),
  objections: z.array(Objection),
  canObject: z.boolean(),
  locale: z.string(),
}).openapi('ViolationDetail');

export const BatchRequest = z.strictObject({ violationIds: z.array(uuid).min(1).max(20) }).openapi('ViolationBatch');
export const ConfirmCodeAnswer = z.object({
  expiresAt: z.string(), resendAfterSeconds: z.number(), phoneMasked: z.string(), fineFen: z.number().int(), points: z.number().int(),
}).openapi('ViolationConfirmCode');
export const HandleRequest = z.strictObject({ violationIds: z.array(uuid).min(1).max(20), smsCode: smsCodeSchema }).openapi('ViolationHandleRequest');

export const DecisionDto = z.object({
  id: z.string(), decisionNo: z.string(), verificationCode: z.string().nullable(), channel: z.string(), plateNo: z.string(),
  holderNameMasked: z.string(), licenceNoMasked: z.string(), authorityName: z.string(), fineFen: z.number().int(), points: z.number().int(),
  servedAt: z.string(), servedDay: z.string(), lastFreeDay: z.string(), status: z.enum(['awaiting_payment', 'paid']),
  paidAt: z.string().nullable(), paidFen: z.number().int().nullable(), paidLateFeeFen: z.number().int().nullable(),
  due: z.object({ day: z.number().int(), fineFen: z.number().int(), lateFeeFen: z.number().int(), totalFen: z.number().int(), asOfDay: z.string() }).nullable(),
  payment: z.object({ orderId: z.string(), status: z.string(), amountFen: z.number().int(), paidAt: z.string().nullable() }).nullable(),
  records: z.array(Record_),
  verifyUrl: z.string(),
}).openapi('PenaltyDecision');
export const MyDecisions = z.object({ decisions: z.array(DecisionDto), asOf: z.string() }).openapi('MyPenaltyDecisions');
export const DecisionNoQuery = z.object({ decisionNo });
export const PayByNumberRequest = z.strictObject({ decisionNo }).openapi('PayByDecisionNumber');
export const PayAnswer = z.object({
  decisionId: z.string(), decisionNo: z.string(), orderId: z.string(), payUrl: z.string(), status: z.enum(['open', 'paid']),
  fineFen: z.number().int(), lateFeeFen: z.number().int(), totalFen: z.number().int(), day: z.number().int(), lastFreeDay: z.string(),
}).openapi('PenaltyPayment');
export const VerifyQuery = z.object({ decisionNo, code: z.string().regex(/^[0-9A-Za-z]{12}$/) });
export const VerifyAnswer = z.object({
  valid: z.boolean(), decisionNo: z.string().optional(), authorityName: z.string().optional(), holderNameMasked: z.string().optional(), plateNo: z.string().optional(),
  fineFen: z.number().int().optional(), points: z.number().int().optional(), servedDay: z.string().optional(), status: z.string().optional(),
}).openapi('PenaltyDecisionVerification');

export const PointsDto = z.object({
  licenceNoMasked: z.string(), status: z.string(), points: z.number().int(), pendingPoints: z.number().int(), cycleStart: z.string(), cycleEnd: z.string(),
  cycles: z.array(z.object({
    start: z.string(), end: z.string(), current: z.boolean(), ledgerPoints: z.number().int(),
    entries: z.array(z.object({ decisionId: z.string(), decisionNo: z.string(), plateNo: z.string(), points: z.number().int(), assessedAt: z.string(), paidAt: z.string().nullable(), carried: z.boolean(), index: z.number().int() })),
  })),
}).openapi('PointsLedger');

export const ObjectionRequest = z.strictObject({
  ground: z.enum(OBJECTION_GROUNDS).openapi({ description: 'not_my_vehicle, wrong_plate 套牌/号牌错误, stolen_plate 号牌被盗, emergency_vehicle 执行紧急任务, facts_wrong, other' }),
  statement: textOf({ max: 1000, min: 1, multiline: true }),
}).openapi('ViolationObjectionRequest');

// ---------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------

export const StaffViolationDto = Record_.extend({
  deviceNo: z.string().nullable(), capturedAt: z.string(), enteredAt: z.string(), importBatch: z.string().nullable(),
  reviewDueAt: z.string(), reviewOverdue: z.boolean(), reviewedAt: z.string().nullable(), notifyDueAt: z.string().nullable(), notifiedAt: z.string().nullable(),
  notifyOverdue: z.boolean(), handledAt: z.string().nullable(), clearedAt: z.string().nullable(), clearedReason: z.string().nullable(),
  ownerNameMasked: z.string().nullable(), ownerPhoneMasked: z.string().nullable(), ownerIdNumberMasked: z.string().nullable(),
  allowedSteps: z.array(z.string()),
}).openapi('StaffViolation');

export const CaseFileDto = StaffViolationDto.extend({
  photos: z.array(z.object({ position: z.number().int(), url: z.string() })),
  decision: z.record(z.string(), z.unknown()).nullable(),
  payment: z.record(z.string(), z.unknown()).nullable(),
  objections: z.array(z.record(z.string(), z.unknown())),
  messages: z.array(z.object({ template: z.string(), status: z.string(), at: z.string(), recipientMasked: z.string() })),
  trail: z.array(z.object({ at: z.string(), action: z.string(), actorKind: z.string(), actor: z.string().nullable(), before: z.unknown(), after: z.unknown() })),
}).openapi('ViolationCaseFile');

const instant = z.string().datetime({ offset: true }).openapi({ example: '2026-12-01T08:15:00+08:00' });
export const EnterRequest = z.strictObject({
  plateNo: z.string().regex(/^[\u4e00-\u9fa5][A-Z][0-9A-HJ-NP-Z]{5,6}$/),
  occurredAt: instant,
  capturedAt: instant.optional(),
  place: textOf({ max: 200, min: 1 }),
  actCode: z.string().regex(/^[0-9]{4,5}$/),
  act: textOf({ max: 200, min: 1 }),
  fineFen: z.number().int().min(0).max(100_000_000),
  points: z.number().int().min(0).max(12),
  deviceNo: textOf({ max: 60 }).optional(),
  photoUploadIds: z.array(uuid).max(6).optional(),
}).openapi('ViolationEnterRequest');
export const ImportRequest = z.strictObject({ csv: z.string().min(1).max(1_000_000) }).openapi('ViolationImportRequest');
export const ImportAnswer = z.object({ batch: z.string(), imported: z.number().int(), ids: z.array(z.string()) }).openapi('ViolationImportAnswer');
export const NoteRequest = z.strictObject({ note: textOf({ max: 500, min: 1, multiline: true }) }).openapi('ViolationNote');

export const StaffObjectionDto = z.object({
  id: z.string(), violationId: z.string(), reference: z.string(), plateNo: z.string(), kind: z.string(), ground: z.string(), statement: z.string(), status: z.string(),
  submittedAt: z.string(), dueAt: z.string(), overdue: z.boolean(), decidedAt: z.string().nullable(), decisionNote: z.string().nullable(),
  applicantNameMasked: z.string().nullable(), applicantPhoneMasked: z.string().nullable(),
}).openapi('StaffViolationObjection');
export const ObjectionDecisionRequest = z.strictObject({ note: textOf({ max: 500, min: 1, multiline: true }) }).openapi('ViolationObjectionDecision');
