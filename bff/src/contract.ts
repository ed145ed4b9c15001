/**
 * The citizen API's body types, inferred from the zod schemas the bff
 * validates requests with and documents in OpenAPI (each module's
 * `schemas.ts`, or its parts' `<part>.schemas.ts`). One definition: a field
 * renamed in a schema fails to compile in `client.ts` and in web. Requests are
 * `z.input` (what a client sends), answers `z.infer` (what the bff returns). Type-only imports: nothing of the bff's runtime
 * reaches a bundle that imports this file.
 */
import type { z } from '@hono/zod-openapi';
import type * as accounts from './modules/accounts/schemas.ts';
import type * as accountBindings from './modules/accounts/bindings.schemas.ts';
import type * as accountCounter from './modules/accounts/counter.schemas.ts';
import type * as accountDueSoon from './modules/accounts/due-soon.schemas.ts';
import type * as auth from './modules/auth/schemas.ts';
import type * as inspections from './modules/inspections/schemas.ts';
import type * as plates from './modules/plates/schemas.ts';
import type * as replacements from './modules/replacements/schemas.ts';
import type * as payments from './modules/payments/schemas.ts';
import type * as uploads from './platform/uploads/schemas.ts';
import type * as dataAccess from './modules/data-access/schemas.ts';
import type * as violations from './modules/violations/schemas.ts';
import type * as exams from './modules/exams/schemas.ts';
import type * as licences from './modules/licences/schemas.ts';

// Code lists the schemas validate as plain strings (`z.enum(LIST as [string, …])`)
// keep their names from the rule books they come from.
export type { OwnerIdType, PlateKind } from './modules/plates/rules.ts';
export type { Item as ReplacementItem, Kind as ReplacementKind, Delivery as ReplacementDelivery } from './modules/replacements/rules.ts';

// ---------------------------------------------------------------------------
// Accounts and sign-in (第二章)
// ---------------------------------------------------------------------------

export type UserDto = z.infer<typeof accounts.UserDto>;
export type VehicleDto = z.infer<typeof accounts.VehicleDto>;
export type LicenceDto = z.infer<typeof accounts.LicenceDto>;
/** GET /api/v1/me: the account, its bindings, the services its type may use. */
export type MeResponse = z.infer<typeof accounts.MeResponse>;
export type AccountService = z.infer<typeof accounts.ServiceEnum>;

export type SmsCodeRequest = z.input<typeof auth.SmsCodeRequest>;
export type SmsCodeResponse = z.infer<typeof auth.SmsCodeResponse>;
export type SignInRequest = z.input<typeof auth.SignInRequest>;
export type SmsSignInRequest = z.input<typeof auth.SmsSignInRequest>;
/** Issue 18: password reset by SMS code. */
export type PasswordResetCodeRequest = z.input<typeof auth.PasswordResetCodeRequest>;
export type PasswordResetRequest = z.input<typeof auth.PasswordResetRequest>;
export type PasswordResetResponse = z.infer<typeof auth.PasswordResetResponse>;
export type SignUpRequest = z.input<typeof accounts.SignUpRequest>;
export type PersonalType = NonNullable<SignUpRequest['personalType']>;
/** Sign-in and sign-up answer the account (accounts/routes.ts). */
export type AuthResponse = z.infer<typeof accounts.AuthResponse>;

export type BindingsResponse = z.infer<typeof accountBindings.BindingsResponse>;
export type BindLicenceToOrganisationRequest = z.input<typeof accountBindings.BindLicenceToOrganisationRequest>;
export type PhoneCodeRequest = z.input<typeof accounts.PhoneCodeRequest>;
export type ChangePhoneRequest = z.input<typeof accounts.ChangePhoneRequest>;
export type ChangeContactRequest = z.input<typeof accounts.ChangeContactRequest>;
export type ChangePasswordRequest = z.input<typeof accounts.ChangePasswordRequest>;
export type CancelRequest = z.input<typeof accounts.CancelRequest>;
export type UploadDto = z.infer<typeof uploads.UploadDto>;
export type PhotoSubmission = z.infer<typeof accounts.PhotoSubmissionDto>;
export type SubmitPhotoRequest = z.input<typeof accounts.SubmitPhotoRequest>;
export type TimelineStep = z.infer<typeof accountCounter.TimelineStepDto>;
export type CitizenApplication = z.infer<typeof accountCounter.CitizenApplicationDto>;
/** GET /api/v1/me/due-soon: what the citizen must act on soon (my account hub). */
export type DueSoon = z.infer<typeof accountDueSoon.DueSoonResponse>;
export type DueItem = z.infer<typeof accountDueSoon.DueItem>;
/** GET /api/v1/me/record: the signed-in person's own record (the counter form's pre-fill). */
export type OwnRecord = z.infer<typeof accountDueSoon.OwnRecord>;
/** 《互联网个人用户注册/变更申请表》. */
export type PersonForm = z.input<typeof accountCounter.PersonForm>;
export type PrefillCreate = z.input<typeof accountCounter.PrefillCreate>;
export type Prefill = z.infer<typeof accountCounter.PrefillDto>;
/** GET /api/v1/me/data-access: who viewed my data — each reveal's posts, city, time, kind of data and reason, never a name (issue 17). */
export type DataAccessLog = z.infer<typeof dataAccess.DataAccessLog>;
export type DataAccessEntry = z.infer<typeof dataAccess.DataAccessEntry>;

// ---------------------------------------------------------------------------
// Safety-inspection appointments (R-34 … R-36)
// ---------------------------------------------------------------------------

export type InspectionRefusal = z.infer<typeof inspections.Reason>;
export type InspectionVehicle = z.infer<typeof inspections.EligibleVehicle>;
export type InspectionVehicles = z.infer<typeof inspections.EligibleVehicles>;
export type InspectionSlotQuery = z.input<typeof inspections.SlotSearchQuery>;
export type InspectionOfferedSlot = z.infer<typeof inspections.OfferedSlot>;
export type InspectionOfferedStation = z.infer<typeof inspections.OfferedStation>;
export type InspectionSlotSearch = z.infer<typeof inspections.SlotSearchResult>;
export type InspectionBookRequest = z.input<typeof inspections.BookRequest>;
export type InspectionMoveRequest = z.input<typeof inspections.MoveRequest>;
export type InspectionBooking = z.infer<typeof inspections.Booking>;
export type InspectionBookings = z.infer<typeof inspections.Bookings>;
export type InspectionAlternative = z.infer<typeof inspections.Alternative>;
export type InspectionAlternatives = z.infer<typeof inspections.Alternatives>;
export type InspectionNotice = z.infer<typeof inspections.Notice>;

// ---------------------------------------------------------------------------
// Plate-number preselection (R-22 … R-25)
// ---------------------------------------------------------------------------

export type PlateSegment = z.infer<typeof plates.SegmentDto>;
export type PlateSerialCheck = z.infer<typeof plates.SerialCheck>;
export type PlateOffer = z.infer<typeof plates.OfferDto>;
export type PlatePreselection = z.infer<typeof plates.PreselectionDto>;
export type PlateBan = z.infer<typeof plates.BanDto>;
export type MyPlates = z.infer<typeof plates.MyPlates>;
export type PlatePreselectionRequest = z.input<typeof plates.PreselectionRequest>;
export type PlatePickRequest = z.input<typeof plates.PickRequest>;
export type PlateDrawRequest = z.input<typeof plates.DrawRequest>;
export type PlateRulesCheck = z.infer<typeof plates.RulesCheck>;
export type PlateDrawProof = z.infer<typeof plates.ProofDto>;

// ---------------------------------------------------------------------------
// Replacements of plates, 行驶证 and inspection stickers (R-26 … R-29)
// ---------------------------------------------------------------------------

/** A refusal explained: the localised title and, where the rule has particulars, a detail sentence. */
export type RefusalReason = z.infer<typeof replacements.Reason>;
export type ReplacementOptions = z.infer<typeof replacements.OptionsDto>;
export type ReplacementRequest = z.input<typeof replacements.ApplyRequest>;
export type ReplacementApplication = z.infer<typeof replacements.ApplicationDto>;
export type MyReplacements = z.infer<typeof replacements.MyApplications>;
/** no online replacement until `endsOn`. */
export type ReplacementBar = NonNullable<MyReplacements['bar']>;
// The chunked upload of the one store (platform/uploads, ADR-021), under /api/v1/replacements/uploads.
export type ReplacementUploadStart = z.input<typeof uploads.ChunkedUploadStart>;
export type ReplacementUploadChunk = z.input<typeof uploads.UploadChunk>;
export type ReplacementUpload = z.infer<typeof uploads.ChunkedUploadDto>;

// ---------------------------------------------------------------------------
// Payments (issue 21, X-5.5, X-5.7, X-5.8; ADR-035): money in integer fen
// ---------------------------------------------------------------------------

export type PaymentOrder = z.infer<typeof payments.PaymentOrderDto>;
export type PaymentPayResult = z.infer<typeof payments.PaymentPayAnswer>;

// ---------------------------------------------------------------------------
// Violations, penalty decisions and points (第五章, X-5, PD-10; ADR-034): money in integer fen
// ---------------------------------------------------------------------------

export type MyViolations = z.infer<typeof violations.MyViolations>;
export type ViolationRecord = MyViolations['vehicles'][number]['records'][number];
export type ViolationDetail = z.infer<typeof violations.ViolationDetail>;
export type ViolationConfirmCode = z.infer<typeof violations.ConfirmCodeAnswer>;
export type PenaltyDecision = z.infer<typeof violations.DecisionDto>;
export type MyPenaltyDecisions = z.infer<typeof violations.MyDecisions>;
export type PenaltyPayment = z.infer<typeof violations.PayAnswer>;
export type PenaltyDecisionVerification = z.infer<typeof violations.VerifyAnswer>;
export type PointsLedger = z.infer<typeof violations.PointsDto>;
export type ViolationObjectionRequest = z.input<typeof violations.ObjectionRequest>;

// ---------------------------------------------------------------------------
// Exam booking by rank (第四章第四节, X-4.4, PD-13; ADR-032, ADR-033)
// ---------------------------------------------------------------------------

export type ExamPermits = z.infer<typeof exams.ExamPermits>;
export type ExamPermit = z.infer<typeof exams.ExamPermit>;
export type ExamPlans = z.infer<typeof exams.ExamPlans>;
export type ExamPlan = z.infer<typeof exams.ExamPlan>;
export type ExamApplication = z.infer<typeof exams.ExamApplication>;
export type ExamApplications = z.infer<typeof exams.ExamApplications>;
export type ExamApplyRequest = z.input<typeof exams.ExamApplyRequest>;
export type ExamLedger = z.infer<typeof exams.ExamLedger>;

// ---------------------------------------------------------------------------
// Driving-licence services (X-4.1 补换领, X-4.2 延期, X-4.3.3/X-4.3.5 health certificate)
// ---------------------------------------------------------------------------

export type LicenceOptions = z.infer<typeof licences.OptionsDto>;
export type LicenceApplyRequest = z.input<typeof licences.ApplyRequest>;
export type LicenceApplication = z.infer<typeof licences.ApplicationDto>;
export type MyLicenceApplications = z.infer<typeof licences.MyApplications>;
export type LicenceDeferralRequest = z.input<typeof licences.DeferralRequest>;
export type LicenceDeferral = z.infer<typeof licences.DeferralDto>;
export type MyLicenceDeferrals = z.infer<typeof licences.MyDeferrals>;
export type LicenceHealthReportRequest = z.input<typeof licences.HealthReportRequest>;
export type LicenceHealthReportResult = z.infer<typeof licences.HealthReportDto>;
