import { z } from '@hono/zod-openapi';
import { calendarDay } from '../../core/text.ts';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const day = calendarDay();
const subject = z.union([z.literal(1), z.literal(2), z.literal(3)]);
const session = z.enum(['am', 'pm']);
const CLASSES = ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'D', 'E', 'F'] as const;

export const IdParam = z.object({ id: uuid });
export const ListQuery = z.object({ sort: z.string().max(200).optional(), range: z.string().max(200).optional(), filter: z.string().max(4000).optional() });

export const ExamRankKey = z.object({ at: z.string(), kind: z.enum(['accepted', 'last_exam', 'cancelled', 'no_show']) }).openapi('ExamRankKey');
const Refusal = z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).nullable() });

export const ExamPermit = z.object({
  id: z.string(), kind: z.enum(['first_licence', 'add_class']), class: z.string(), issuedOn: z.string(), validUntil: z.string(),
  status: z.enum(['active', 'void', 'completed']), voidReason: z.string().nullable(), rankKey: ExamRankKey,
  examStation: z.object({ id: z.string(), name: z.string() }).nullable(), locationChanges: z.number().int(),
  subjects: z.array(z.object({
    subject, passedOn: z.string().nullable(), sittings: z.number().int().nullable(), waitingDays: z.number().int(), mayBookFrom: z.string(),
    rebookFrom: z.string().nullable(), bookable: z.boolean(), refusal: Refusal.nullable(),
  })),
}).openapi('ExamPermit');
export const ExamPermits = z.object({ permits: z.array(ExamPermit), asOf: z.string() }).openapi('ExamPermits');

export const ExamPlan = z.object({
  id: z.string(), subject, classes: z.array(z.string()), examDate: z.string(), session, seats: z.number().int(), applicants: z.number().int(),
  status: z.enum(['open', 'allocated', 'cancelled']), closesAt: z.string(), extended: z.boolean(), publishedAt: z.string(),
  station: z.object({ id: z.string(), name: z.string(), address: z.string(), phone: z.string().nullable() }),
}).openapi('ExamPlan');
export const ExamPlans = z.object({ plans: z.array(ExamPlan), asOf: z.string() }).openapi('ExamPlans');
export const ExamPlansQuery = z.object({ subject: z.coerce.number().int().min(1).max(3).optional() });

export const ExamApplyRequest = z.strictObject({ planId: uuid }).openapi('ExamApplyRequest');
export const ExamApplication = z.object({
  id: z.string(), reference: z.string(), subject, status: z.enum(['applied', 'allocated', 'not_allocated', 'cancelled', 'passed', 'failed', 'absent']),
  appliedAt: z.string(), rank: z.number().int().nullable(), rankKey: ExamRankKey, projected: z.enum(['within_seats', 'beyond_seats']).nullable(),
  /** PD-13 (ADR-039): while collecting, the first published plan date at which the seats, added up in date order, reach the rank; examDate null = no date yet */
  projectedDate: z.object({ examDate: z.string().nullable(), session: session.nullable() }).nullable(),
  decidedAt: z.string().nullable(), cancelledAt: z.string().nullable(), cancelledVia: z.string().nullable(),
  result: z.object({ first: z.string(), retake: z.string().nullable() }).nullable(),
  plan: ExamPlan,
  receipt: z.object({ reference: z.string(), examDate: z.string(), session, stationName: z.string(), stationAddress: z.string(), rank: z.number().int() }).nullable(),
}).openapi('ExamApplication');
export const ExamApplications = z.object({ applications: z.array(ExamApplication) }).openapi('ExamApplications');

export const ExamLedger = z.object({
  plan: z.object({ id: z.string(), subject, classes: z.array(z.string()), examDate: z.string(), session, seats: z.number().int(), stationName: z.string() }),
  allocation: z.object({ allocatedAt: z.string(), applicants: z.number().int(), allocated: z.number().int(), digest: z.string() }),
  rows: z.array(z.object({ rank: z.number().int(), reference: z.string(), rankKey: ExamRankKey, outcome: z.enum(['allocated', 'not_allocated', 'cancelled']) })),
}).openapi('ExamLedger');

// ---------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------

export const ExamPlanRequest = z.strictObject({
  subject, classes: z.array(z.enum(CLASSES)).min(1).max(14), examDate: day, session, seats: z.number().int().min(1).max(10000),
}).openapi('ExamPlanRequest');
export const ExamStaffPlan = ExamPlan.extend({
  stationId: z.string(), stationName: z.string(),
  allocation: z.object({ allocated: z.number().int(), digest: z.string(), allocatedAt: z.string() }).nullable(),
  anomalies: z.array(z.string()),
  check: z.object({ digest: z.string(), stored: z.string(), matches: z.boolean() }).nullable().optional(),
}).openapi('ExamStaffPlan');
export const ExamStaffApplication = z.object({
  id: z.string(), reference: z.string(), planId: z.string(), subject, status: z.string(), rank: z.number().int().nullable(), rankKey: ExamRankKey,
  appliedAt: z.string(), examDate: z.string(), session: z.string(), stationId: z.string(), stationName: z.string(), closesAt: z.string(),
  personName: z.string(), idNumberMasked: z.string(), phoneMasked: z.string().nullable(), class: z.string(), cancelledVia: z.string().nullable(),
  result: z.object({ first: z.string(), retake: z.string().nullable() }).nullable(),
}).openapi('ExamStaffApplication');
export const ExamResultRequest = z.strictObject({
  first: z.enum(['pass', 'fail', 'absent']), retake: z.enum(['pass', 'fail', 'skipped']).nullable().optional(),
}).openapi('ExamResultRequest');

/** 学习驾驶证明 as staff see it (X-4.4.1, X-4.4.3, X-4.4.4; ADR-039): ID number masked. */
export const ExamLearnerPermit = z.object({
  id: z.string(), kind: z.enum(['first_licence', 'add_class']), class: z.string(), status: z.enum(['active', 'void', 'completed']),
  issuedOn: z.string(), validUntil: z.string(), personName: z.string(), idNumberMasked: z.string(), licenceApplicationId: z.string().nullable(),
  issuedBy: z.string().nullable(), subject2From: z.string(), subject3From: z.string(), rankKey: ExamRankKey, expired: z.boolean(),
}).openapi('ExamLearnerPermit');
export const ExamIssuePermitRequest = z.strictObject({ licenceApplicationId: uuid }).openapi('ExamIssuePermitRequest');
