import { z } from '@hono/zod-openapi';
import { refineIdDocument, vinSchema } from '../../platform/check-digits.ts';
import { phoneSchema } from '../auth/schemas.ts';
import { instant, personName, text } from '../../core/text.ts';
import { OWNER_ID_TYPES, PLATE_KINDS } from './rules.ts';

const matches = (re: RegExp, code = 'validation.invalid') => z.string().refine((v) => re.test(v), { params: { code } });
const uuid = matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const IdParam = z.object({ id: uuid });
export const ListQuery = z.object({
  sort: z.string().max(200).optional(),
  range: z.string().max(200).optional(),
  filter: z.string().max(2000).optional(),
});

const plateKind = z.enum(PLATE_KINDS as [string, ...string[]]).openapi({ description: 'small_blue 小型汽车（蓝）, small_new_energy 小型新能源（绿）, large_yellow 大型汽车（黄）, large_new_energy 大型新能源（黄绿）' });
const ownerIdType = z.enum(OWNER_ID_TYPES as [string, ...string[]]);
const ownerName = personName({ min: 2, max: 60 });
const ownerIdNumber = z.string().trim().toUpperCase().min(2).max(40);

/** facts; an ID number is checked by its type's check digit (resident ID, USCC). */
function registrationFacts<T extends z.ZodRawShape>(extra: T) {
  return z
    .strictObject({ vin: vinSchema(), ownerIdType, ownerIdNumber, ownerName, phone: phoneSchema, ...extra })
    .superRefine((v, ctx) => refineIdDocument('ownerIdType', 'ownerIdNumber')(v as Record<string, unknown>, ctx));
}

// ---------------------------------------------------------------------------
// Citizen API
// ---------------------------------------------------------------------------

export const SegmentDto = z
  .object({
    id: z.string(),
    authorityId: z.string(),
    authorityName: z.string(),
    prefix: z.string(),
    plateKind: z.string(),
    pattern: z.string(),
    size: z.number().int(),
    excludeDigits: z.string(),
    startAt: z.string(),
    /** announced = published, not open yet; open = preselection possible now */
    state: z.enum(['announced', 'open']),
    available: z.number().int().nullable(),
  })
  .openapi('PlateSegment');

export const CheckQuery = z.object({ serial: z.string().max(20) });
export const RulesCheckQuery = z.object({ plateKind, serial: z.string().max(20) });
/** A wanted number against GA 36 for a plate kind, with no segment needed, and the published segments that hold it (issue 18). */
export const RulesCheck = z
  .object({
    plateKind: z.string(),
    serial: z.string(),
    status: z.enum(['valid', 'invalid']),
    problems: z.array(z.object({ code: z.string(), message: z.string() })),
    segments: z.array(z.object({ id: z.string(), prefix: z.string(), pattern: z.string(), state: z.enum(['announced', 'open']), startAt: z.string(), plateNo: z.string() })),
  })
  .openapi('PlateRulesCheck');
export const SerialCheck = z
  .object({
    plateNo: z.string(),
    serial: z.string(),
    status: z.enum(['free', 'taken', 'withheld', 'invalid']),
    problems: z.array(z.object({ code: z.string(), message: z.string() })),
  })
  .openapi('PlateSerialCheck');

export const PreselectionRequest = registrationFacts({
  planId: uuid,
  mode: z.enum(['self', 'random']),
  serial: z.string().trim().max(20).optional(),
}).openapi('PlatePreselectionRequest');

export const OfferDto = z
  .object({
    id: z.string(),
    drawNo: z.number().int(),
    numbers: z.array(z.string()),
    drawnAt: z.string(),
    expiresAt: z.string(),
    commitment: z.string(),
    status: z.enum(['open', 'picked', 'expired', 'superseded', 'lapsed']),
  })
  .openapi('PlateOffer');

export const BanDto = z
  .object({ reason: z.enum(['overdue', 'mismatch']), startsAt: z.string(), endsOn: z.string(), reference: z.string() })
  .openapi('PlateBan');

export const PreselectionDto = z
  .object({
    id: z.string(),
    reference: z.string(),
    planId: z.string(),
    authorityName: z.string(),
    prefix: z.string(),
    plateKind: z.string(),
    mode: z.enum(['self', 'random']),
    vinMasked: z.string(),
    ownerIdType: z.string(),
    ownerIdNumberMasked: z.string(),
    ownerNameMasked: z.string(),
    phoneMasked: z.string(),
    plateNo: z.string().nullable(),
    status: z.enum(['drawing', 'reserved', 'registered', 'expired', 'cancelled', 'lapsed']),
    createdAt: z.string(),
    reservedAt: z.string().nullable(),
    /** the instant the reservation lapses (24:00 of the third working day) */
    deadline: z.string().nullable(),
    /** the last calendar day to register, Asia/Shanghai */
    lastDay: z.string().nullable(),
    registeredAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    mismatchFields: z.array(z.string()).nullable(),
    drawsUsed: z.number().int(),
    drawsLeft: z.number().int(),
    offer: OfferDto.nullable(),
    /** issue 18: sha256 of the server's seed for the next draw, stored before the browser sends its nonce */
    nextDraw: z.object({ commitment: z.string(), committedAt: z.string() }).nullable(),
    draws: z.array(z.object({ id: z.string(), drawNo: z.number().int(), status: z.string(), proofAvailable: z.boolean() })),
    asOf: z.string(),
  })
  .openapi('PlatePreselection');

export const MyPlates = z
  .object({ current: PreselectionDto.nullable(), history: z.array(PreselectionDto), ban: BanDto.nullable(), asOf: z.string() })
  .openapi('MyPlates');

const hex64 = z.string().trim().toLowerCase().refine((v) => /^[0-9a-f]{64}$/.test(v), { params: { code: 'validation.invalid' } });

/** Issue 18: the commitment the browser was shown, and the 32-byte nonce it chose after (crypto.getRandomValues), both hex. */
export const DrawRequest = z.strictObject({ commitment: hex64, clientNonce: hex64 }).openapi('PlateDrawRequest');

export const PickRequest = z.strictObject({ drawId: uuid, plateNo: z.string().trim().min(3).max(12) }).openapi('PlatePickRequest');

export const ProofDto = z
  .object({
    drawId: z.string(),
    drawNo: z.number().int(),
    algorithm: z.string(),
    seed: z.string(),
    /** issue 18: the browser's nonce (null for draws made before it) */
    clientNonce: z.string().nullable(),
    /** when the server stored the seed and its commitment, before the nonce came */
    committedAt: z.string().nullable(),
    /** the seed the candidates come from (v2: sha256("jg-plate-draw-v2" ‖ seed ‖ nonce)) */
    drawSeed: z.string(),
    commitment: z.string(),
    planId: z.string(),
    poolVersion: z.number().int(),
    poolSize: z.number().int(),
    poolDigest: z.string().nullable(),
    drawnAt: z.string(),
    expiresAt: z.string(),
    endedAt: z.string(),
    status: z.string(),
    candidates: z.array(z.object({ n: z.number().int(), idx: z.number().int(), plateNo: z.string(), outcome: z.string() })),
    rejectedWords: z.number().int(),
    offered: z.array(z.string()),
    picked: z.string().nullable(),
    /** the server's own re-run of the published algorithm */
    verified: z.boolean(),
  })
  .openapi('PlateDrawProof');

// ---------------------------------------------------------------------------
// Staff API
// ---------------------------------------------------------------------------

const isoInstant = instant();
const serialText = z.string().trim().toUpperCase().refine((v) => /^[0-9A-Z]{5,6}$/.test(v), { params: { code: 'validation.invalid' } });

export const PlanCreate = z
  .strictObject({
    plateKind,
    pattern: z.string().trim().toUpperCase().min(5).max(6),
    startAt: isoInstant,
    excludeDigits: z.string().trim().refine((v) => /^[0-9]{0,9}$/.test(v), { params: { code: 'validation.invalid' } }).default(''),
    withheldSerials: z.array(serialText).max(1000).default([]),
    note: text({ max: 500, multiline: true }).default(''),
  })
  .openapi('PlatePlanCreate');

export const ApproveRequest = z
  .strictObject({
    kind: z.enum(['approved', 'filed']),
    /** the superior authority; defaults to the plan authority's parent */
    authorityId: z.string().trim().max(12).optional(),
    documentRef: text({ min: 2, max: 100 }),
  })
  .openapi('PlatePlanApprove');

export const PlanDto = z
  .object({
    id: z.string(),
    authorityId: z.string(),
    authorityName: z.string(),
    prefix: z.string(),
    plateKind: z.string(),
    pattern: z.string(),
    size: z.number().int(),
    excludeDigits: z.string(),
    withheldSerials: z.array(z.string()),
    startAt: z.string(),
    note: z.string(),
    status: z.enum(['draft', 'submitted', 'approved', 'published', 'building', 'pool_built', 'open', 'closed']),
    createdAt: z.string(),
    submittedAt: z.string().nullable(),
    approval: z
      .object({ kind: z.enum(['approved', 'filed']), authorityId: z.string(), authorityName: z.string(), documentRef: z.string(), recordedBy: z.string().nullable(), recordedAt: z.string() })
      .nullable(),
    publishedAt: z.string().nullable(),
    /** the last day the plan may be published */
    latestPublicationDay: z.string(),
    build: z.object({
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      cursor: z.number(),
      total: z.number(),
      percent: z.number(),
      excludedTaken: z.number().int(),
      excludedDigits: z.number().int(),
    }),
    poolSize: z.number().int(),
    poolVersion: z.number().int(),
    poolDigest: z.string().nullable(),
    counts: z.object({ free: z.number().int(), offered: z.number().int(), reserved: z.number().int(), issued: z.number().int(), withheld: z.number().int() }).nullable(),
    /** the authority's open pool of this plate kind, with this segment if it is not open yet */
    openPoolAvailable: z.number().int(),
    poolLevel: z.enum(['ok', 'low', 'below_minimum']),
    /**
     * Whether the open command would succeed now (rules.openDecision, the rule the command
     * applies) and, if not, its refusal in the request's language; `warning`: pool
     * within 20 % of the minimum.
     */
    open: z.object({ allowed: z.boolean(), warning: z.boolean(), code: z.string().nullable(), title: z.string().nullable(), detail: z.string().nullable() }),
    openedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('PlatePlan');

export const RegisterRequest = registrationFacts({
  brandModel: text({ min: 1, max: 60 }).optional(),
  vehicleType: z.string().trim().refine((v) => /^[A-Z][0-9A-Z]{1,3}$/.test(v), { params: { code: 'validation.invalid' } }).optional(),
}).openapi('PlateRegistrationRequest');

export const AdminPreselectionDto = z
  .object({
    id: z.string(),
    reference: z.string(),
    planId: z.string(),
    authorityId: z.string(),
    prefix: z.string(),
    plateKind: z.string(),
    mode: z.enum(['self', 'random']),
    plateNo: z.string().nullable(),
    status: z.enum(['drawing', 'reserved', 'registered', 'expired', 'cancelled', 'lapsed']),
    vinMasked: z.string(),
    ownerIdType: z.string(),
    ownerIdNumberMasked: z.string(),
    ownerNameMasked: z.string(),
    phoneMasked: z.string(),
    createdAt: z.string(),
    reservedAt: z.string().nullable(),
    deadline: z.string().nullable(),
    lastDay: z.string().nullable(),
    overdue: z.boolean(),
    registeredAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    mismatchFields: z.array(z.string()).nullable(),
    ban: BanDto.nullable(),
  })
  .openapi('PlatePreselectionAdmin');

export const RegisterResponse = z
  .object({ outcome: z.enum(['issued', 'mismatch']), mismatchFields: z.array(z.string()), preselection: AdminPreselectionDto })
  .openapi('PlateRegistrationResult');
