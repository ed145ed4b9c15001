/**
 * Pure rules of 预选号牌号码 (plate-number preselection, spec 第三章第一节,
 * R-22 … R-25, PD-14): GA 36 number formats, segment plans, the
 * preselection's lifecycle and the provably fair random draw. No SQL, no HTTP,
 * no clock: time comes in as `now`, working days as a calendar.
 */
import { createHash } from 'node:crypto';
import { addCalendarYears, shanghaiDay, type WorkingDayCalendar } from '../../platform/calendar.ts';

// ---------------------------------------------------------------------------
// GA 36 number formats
// ---------------------------------------------------------------------------

/** 号牌种类 a segment can be planned for. */
export type PlateKind = 'small_blue' | 'small_new_energy' | 'large_yellow' | 'large_new_energy';
export const PLATE_KINDS: readonly PlateKind[] = ['small_blue', 'small_new_energy', 'large_yellow', 'large_new_energy'];

/** 省、自治区、直辖市简称: the first character of every plate (GA 36). */
export const PROVINCE_CHARS = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
/** Letters used on plates: A–Z without I and O (GA 36: they read as 1 and 0). */
export const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '0123456789';
/** Energy-type letters of new-energy serials: D = battery electric, F = other new energy (GA 36-2018). */
const ENERGY_LETTERS = 'DF';

/** GA 36: at most two letters in a serial (self-composed numbers follow the same limit). */
export const MAX_SERIAL_LETTERS = 2;

export const isNewEnergy = (kind: PlateKind) => kind === 'small_new_energy' || kind === 'large_new_energy';

/** GA 36: 5 characters for ordinary plates, 6 for new-energy plates (GA 36-2018). */
export function serialLength(kind: PlateKind): 5 | 6 {
  return isNewEnergy(kind) ? 6 : 5;
}

/**
 * Characters GA 36 allows at one serial position of a plate kind, before the
 * letter limit:
 * - ordinary (blue, yellow): digits and letters; not D or F first (this
 *   platform's convention, as in the demo seed: a serial starting with D/F
 *   reads as new-energy);
 * - small new-energy: D/F, then a digit or letter, then four digits;
 * - large new-energy: five digits, then D/F.
 */
export function allowedAt(kind: PlateKind, pos: number): string {
  const all = DIGITS + PLATE_LETTERS;
  switch (kind) {
    case 'small_blue':
    case 'large_yellow':
      return pos === 0 ? all.replace(/[DF]/g, '') : all;
    case 'small_new_energy':
      return pos === 0 ? ENERGY_LETTERS : pos === 1 ? all : DIGITS;
    case 'large_new_energy':
      return pos === 5 ? ENERGY_LETTERS : DIGITS;
  }
}

/** Why a serial is refused; each rule has its own code so the user is told which one. */
export type SerialProblem =
  | 'plates.serial_charset'
  | 'plates.serial_letter_i_o'
  | 'plates.serial_length'
  | 'plates.serial_too_many_letters'
  | 'plates.serial_ordinary_d_f'
  | 'plates.serial_new_energy_type'
  | 'plates.serial_new_energy_digits'
  | 'plates.serial_not_in_segment'
  | 'plates.serial_excluded_digit';

const isLetter = (c: string) => c >= 'A' && c <= 'Z';
const isDigit = (c: string) => c >= '0' && c <= '9';

/** Upper case, no blanks or the middle dot people type from the plate (粤B·12345). */
export function normaliseSerial(raw: string): string {
  return raw.replace(/[\s·.-]/g, '').toUpperCase();
}

/**
 * GA 36 format rules of a serial for a plate kind, every broken rule in a
 * fixed order. Empty = the format is fine.
 */
export function serialProblems(kind: PlateKind, serial: string): SerialProblem[] {
  const chars = Array.from(serial);
  if (chars.length === 0 || chars.some((c) => !isLetter(c) && !isDigit(c))) return ['plates.serial_charset'];
  const out: SerialProblem[] = [];
  if (chars.some((c) => c === 'I' || c === 'O')) out.push('plates.serial_letter_i_o');
  if (chars.length !== serialLength(kind)) {
    out.push('plates.serial_length');
    return out;
  }
  if (isNewEnergy(kind)) {
    const typePos = kind === 'small_new_energy' ? 0 : 5;
    if (!ENERGY_LETTERS.includes(chars[typePos]!)) out.push('plates.serial_new_energy_type');
    const digitPositions = kind === 'small_new_energy' ? [2, 3, 4, 5] : [0, 1, 2, 3, 4];
    if (digitPositions.some((p) => !isDigit(chars[p]!))) out.push('plates.serial_new_energy_digits');
  } else if (chars[0] === 'D' || chars[0] === 'F') {
    out.push('plates.serial_ordinary_d_f');
  }
  if (chars.filter(isLetter).length > MAX_SERIAL_LETTERS) out.push('plates.serial_too_many_letters');
  return out;
}

export type PlateParts = { province: string; authorityLetter: string; serial: string };
export type PlateProblem = 'plates.plate_province' | 'plates.plate_authority_letter';

/**
 * A full plate number: province character + authority letter (发牌机关代号)
 * + serial (GA 36). Only the first two parts are checked here; the serial goes
 * through {@link serialProblems}.
 */
export function parsePlateNumber(plate: string): { ok: true; parts: PlateParts } | { ok: false; code: PlateProblem } {
  const chars = Array.from(plate.replace(/[\s·]/g, ''));
  if (!chars[0] || !PROVINCE_CHARS.includes(chars[0])) return { ok: false, code: 'plates.plate_province' };
  if (!chars[1] || !PLATE_LETTERS.includes(chars[1].toUpperCase())) return { ok: false, code: 'plates.plate_authority_letter' };
  return { ok: true, parts: { province: chars[0], authorityLetter: chars[1].toUpperCase(), serial: normaliseSerial(chars.slice(2).join('')) } };
}

// ---------------------------------------------------------------------------
// Segment patterns
// ---------------------------------------------------------------------------

/**
 * A segment's pattern has one symbol per serial position: a literal digit or
 * letter, `#` any digit, `@` any letter (no I/O), `*` digit or letter. The
 * numbers of the segment are the serials that match it and pass GA 36; e.g.
 * small blue `A####` = 粤BA0000 … 粤BA9999, small new-energy `D*###`… .
 * Parsed, each position is the string of characters allowed there (pattern ∩
 * GA 36 position rules).
 */
export type SegmentPattern = { kind: PlateKind; positions: string[] };
export type PatternProblem = 'plates.pattern_length' | 'plates.pattern_invalid';

export function parsePattern(kind: PlateKind, pattern: string): { ok: true; value: SegmentPattern } | { ok: false; code: PatternProblem } {
  const symbols = Array.from(pattern.toUpperCase());
  if (symbols.length !== serialLength(kind)) return { ok: false, code: 'plates.pattern_length' };
  const positions: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    const set = s === '#' ? DIGITS : s === '@' ? PLATE_LETTERS : s === '*' ? DIGITS + PLATE_LETTERS : s;
    // a symbol that is neither a wildcard, a digit nor a plate letter keeps nothing GA 36 allows here
    const allowed = allowedAt(kind, i);
    const here = Array.from(set).filter((c) => allowed.includes(c)).join('');
    if (here.length === 0) return { ok: false, code: 'plates.pattern_invalid' };
    positions.push(here);
  }
  return { ok: true, value: { kind, positions } };
}

/** How many candidate serials the pattern spans (before the letter limit): the pool build walks 0 … count-1. */
export function candidateCount(p: SegmentPattern): number {
  return p.positions.reduce((n, set) => n * set.length, 1);
}

/** The i-th candidate serial, position 0 most significant (so candidates come in plate order). */
export function candidateAt(p: SegmentPattern, i: number): string {
  let out = '';
  let rest = i;
  for (let pos = p.positions.length - 1; pos >= 0; pos--) {
    const set = p.positions[pos]!;
    out = set[rest % set.length]! + out;
    rest = Math.floor(rest / set.length);
  }
  return out;
}

/** Whether a serial is one of the segment's numbers (pattern and GA 36). */
export function serialInSegment(p: SegmentPattern, serial: string): boolean {
  const chars = Array.from(serial);
  return chars.length === p.positions.length && chars.every((c, i) => p.positions[i]!.includes(c)) && serialProblems(p.kind, serial).length === 0;
}

/**
 * counts the segment's numbers: serials of the pattern within the
 * GA 36 letter limit, counted by letters used so far (no enumeration).
 */
export function segmentSize(p: SegmentPattern): number {
  let byLetters = new Array<number>(MAX_SERIAL_LETTERS + 1).fill(0);
  byLetters[0] = 1;
  for (const set of p.positions) {
    const letters = Array.from(set).filter(isLetter).length;
    const digits = set.length - letters;
    const next = new Array<number>(MAX_SERIAL_LETTERS + 1).fill(0);
    for (let l = 0; l <= MAX_SERIAL_LETTERS; l++) {
      next[l]! += byLetters[l]! * digits;
      if (l + 1 <= MAX_SERIAL_LETTERS) next[l + 1]! += byLetters[l]! * letters;
    }
    byLetters = next;
  }
  return byLetters.reduce((a, b) => a + b, 0);
}

/** Numbers containing one of these digits are left out of the pool (e.g. "4", a local exclusion list). */
export function hasExcludedDigit(serial: string, excludeDigits: string): boolean {
  return Array.from(serial).some((c) => excludeDigits.includes(c));
}

/**
 * counts what the pool will actually hold for use: the segment's
 * numbers (pattern and GA 36) without those containing an excluded digit, and
 * without the withheld (保留) serials, which stay in the pool but are never
 * offered or reserved. Counted like {@link segmentSize}, with the excluded
 * digits taken out of every position (no enumeration); the withheld serials
 * are counted once each, and only if they are otherwise in the pool.
 * Numbers already issued elsewhere are only known to the pool build.
 */
export function usableSegmentSize(p: SegmentPattern, excludeDigits: string, withheldSerials: readonly string[]): { numbers: number; withoutExcludedDigits: number; usable: number } {
  const numbers = segmentSize(p);
  const withoutExcludedDigits = segmentSize({ kind: p.kind, positions: p.positions.map((set) => Array.from(set).filter((c) => !excludeDigits.includes(c)).join('')) });
  const withheld = new Set(withheldSerials.map(normaliseSerial).filter((s) => serialInSegment(p, s) && !hasExcludedDigit(s, excludeDigits)));
  return { numbers, withoutExcludedDigits, usable: withoutExcludedDigits - withheld.size };
}

/**
 * Everything a self-composed serial may break for a segment: GA 36 first,
 * then the segment's pattern, then the segment's excluded digits.
 */
export function selfComposedProblems(p: SegmentPattern, excludeDigits: string, serial: string): SerialProblem[] {
  const out = serialProblems(p.kind, serial);
  if (out.length > 0) return out;
  if (!serialInSegment(p, serial)) return ['plates.serial_not_in_segment'];
  if (hasExcludedDigit(serial, excludeDigits)) return ['plates.serial_excluded_digit'];
  return [];
}

// ---------------------------------------------------------------------------
// Segment plans
// ---------------------------------------------------------------------------

/** a segment put into use holds at least 1,000 numbers. */
export const SEGMENT_MIN_SIZE = 1000;
/** the preselection pool holds at least 50,000 available numbers. */
export const OPEN_POOL_MIN = 50_000;
/** Staff are warned when the available pool gets within 20 % of the minimum. */
export const OPEN_POOL_WARN = 60_000;
/** a new segment's plan is published at least three working days before its start. */
export const PUBLISH_LEAD_WORKING_DAYS = 3;

export function checkSegmentSize(size: number): 'plates.segment_too_small' | null {
  return size < SEGMENT_MIN_SIZE ? 'plates.segment_too_small' : null;
}

export type SegmentSizeRefusal = {
  code: 'plates.segment_too_small' | 'plates.segment_too_small_after_exclusions';
  /** the form field to change: the pattern itself, the excluded digits or the withheld numbers */
  field: 'pattern' | 'excludeDigits' | 'withheldSerials';
  params: { size: number; numbers: number; withoutExcludedDigits: number; minimum: number };
};

/**
 * on what the pool will hold ({@link usableSegmentSize}): fewer than
 * 1,000 usable numbers is refused at the field that took them away: the
 * pattern if it is too narrow by itself, else the excluded digits if they
 * alone leave too few, else the withheld numbers.
 */
export function checkUsableSegmentSize(size: ReturnType<typeof usableSegmentSize>): SegmentSizeRefusal | null {
  if (size.usable >= SEGMENT_MIN_SIZE) return null;
  const params = { size: size.usable, numbers: size.numbers, withoutExcludedDigits: size.withoutExcludedDigits, minimum: SEGMENT_MIN_SIZE };
  if (size.numbers < SEGMENT_MIN_SIZE) return { code: 'plates.segment_too_small', field: 'pattern', params };
  return { code: 'plates.segment_too_small_after_exclusions', field: size.withoutExcludedDigits < SEGMENT_MIN_SIZE ? 'excludeDigits' : 'withheldSerials', params };
}

/**
 * the last day the plan may be published is the third working day
 * before the start day (start Thursday → publish by Monday; a weekend or a
 * holiday in between pushes it back).
 */
export function latestPublicationDay(cal: WorkingDayCalendar, startAt: Date): string {
  return cal.addWorkingDays(shanghaiDay(startAt), -PUBLISH_LEAD_WORKING_DAYS);
}

export function checkPublicationLead(cal: WorkingDayCalendar, now: Date, startAt: Date): { ok: true } | { ok: false; code: 'plates.publish_too_late'; latestDay: string } {
  const latestDay = latestPublicationDay(cal, startAt);
  return shanghaiDay(now) <= latestDay ? { ok: true } : { ok: false, code: 'plates.publish_too_late', latestDay };
}

/** level of an available pool, for the warning shown to staff. */
export function poolLevel(available: number): 'ok' | 'low' | 'below_minimum' {
  return available < OPEN_POOL_MIN ? 'below_minimum' : available < OPEN_POOL_WARN ? 'low' : 'ok';
}

/**
 * when a segment is opened: the authority's open pool of that plate
 * kind, with this segment, must hold at least 50,000 available numbers.
 */
export function checkOpenPool(availableAfterOpen: number): { ok: true; warning: boolean } | { ok: false; code: 'plates.pool_below_minimum' } {
  const level = poolLevel(availableAfterOpen);
  return level === 'below_minimum' ? { ok: false, code: 'plates.pool_below_minimum' } : { ok: true, warning: level === 'low' };
}

export type OpenRefusal = {
  code: 'plates.plan_wrong_status' | 'plates.plan_not_started' | 'plates.pool_below_minimum';
  params: { status?: string; startAt?: string; available?: number; minimum?: number };
};

/**
 * Whether 管理岗 may open the segment now, and if not, why: the one rule the
 * open command applies and the plan resource shows (`canOpen`), so the button
 * and the server cannot disagree. Status first (only a built pool opens),
 * then the announced start, then on the authority's open pool
 * of the plate kind with this segment.
 */
export function openDecision(input: { status: PlanStatus; now: Date; startAt: Date; availableAfterOpen: number }): { ok: true; warning: boolean } | ({ ok: false } & OpenRefusal) {
  if (!planTransition(input.status, 'open').ok) return { ok: false, code: 'plates.plan_wrong_status', params: { status: input.status } };
  const early = checkOpenTime(input.now, input.startAt);
  if (early) return { ok: false, code: early, params: { startAt: input.startAt.toISOString() } };
  const pool = checkOpenPool(input.availableAfterOpen);
  if (!pool.ok) return { ok: false, code: pool.code, params: { available: input.availableAfterOpen, minimum: OPEN_POOL_MIN } };
  return pool;
}

export type PlanStatus = 'draft' | 'submitted' | 'approved' | 'published' | 'building' | 'pool_built' | 'open' | 'closed';
export type PlanCommand = 'submit' | 'approve' | 'publish' | 'build' | 'finish_build' | 'open' | 'close';

/** The plan's lifecycle (R-25.1 →, then open and closed): which command moves which status. */
export const PLAN_TRANSITIONS: Readonly<Record<PlanCommand, { from: readonly PlanStatus[]; to: PlanStatus }>> = {
  submit: { from: ['draft'], to: 'submitted' }, // 报上级
  approve: { from: ['submitted'], to: 'approved' }, // 批准或备案
  publish: { from: ['approved'], to: 'published' },
  build: { from: ['published'], to: 'building' },
  finish_build: { from: ['building'], to: 'pool_built' },
  open: { from: ['pool_built'], to: 'open' },
  close: { from: ['open'], to: 'closed' },
};

export function planTransition(status: PlanStatus, command: PlanCommand): { ok: true; to: PlanStatus } | { ok: false; code: 'plates.plan_wrong_status' } {
  const t = PLAN_TRANSITIONS[command];
  return t.from.includes(status) ? { ok: true, to: t.to } : { ok: false, code: 'plates.plan_wrong_status' };
}

/** A segment opens on its start, not before (the plan announced that time, R-25.3). */
export function checkOpenTime(now: Date, startAt: Date): 'plates.plan_not_started' | null {
  return now.getTime() < startAt.getTime() ? 'plates.plan_not_started' : null;
}

// ---------------------------------------------------------------------------
// Preselections
// ---------------------------------------------------------------------------

export type OwnerIdType = 'resident_id' | 'passport' | 'hk_macao_permit' | 'taiwan_permit' | 'foreign_permanent_id' | 'military_id' | 'uscc';
export const OWNER_ID_TYPES: readonly OwnerIdType[] = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id', 'uscc'];

/** The user as the records know them: a person (ID type and number) or an organisation (USCC). */
export type UserIdentity = { idType: OwnerIdType; idNumber: string; name: string };
/** The vehicle record of the VIN, if the records hold one (a brand-new car usually is not in them yet). */
export type VehicleFacts = { plateNo: string | null; ownedByUser: boolean; plateKind: string } | null;

export type OwnVehicleProblem = 'plates.not_own_vehicle' | 'plates.vehicle_already_registered' | 'plates.plate_kind_mismatch';

/**
 * only for the user's own (or own organisation's) vehicle that still
 * needs registration. The owner given must be the user; a VIN the records
 * already hold must be the user's and have no plate yet; its plate kind must
 * be the segment's.
 */
export function ownVehicleProblem(user: UserIdentity, owner: { idType: OwnerIdType; idNumber: string; name: string }, vehicle: VehicleFacts, planKind: PlateKind): OwnVehicleProblem | null {
  if (owner.idType !== user.idType || owner.idNumber !== user.idNumber || owner.name !== user.name) return 'plates.not_own_vehicle';
  if (vehicle) {
    if (vehicle.plateNo !== null) return 'plates.vehicle_already_registered';
    if (!vehicle.ownedByUser) return 'plates.not_own_vehicle';
    if (vehicle.plateKind !== planKind) return 'plates.plate_kind_mismatch';
  }
  return null;
}

/** a user holds one live preselection at a time; the next waits for the registration. */
export const ACTIVE_PRESELECTION_STATUSES = ['drawing', 'reserved'] as const;

/** register within three working days: 24:00 of the third working day after the reservation day. */
export const REGISTRATION_WORKING_DAYS = 3;
export function registrationDeadline(cal: WorkingDayCalendar, reservedAt: Date): Date {
  return cal.deadlineAfterWorkingDays(reservedAt, REGISTRATION_WORKING_DAYS);
}

/** two years without online preselection (calendar years, clamped at month end — PD-2). */
export const BAN_YEARS = 2;
/** The first day the user may preselect again. */
export function banEndsOn(at: Date): string {
  return addCalendarYears(shanghaiDay(at), BAN_YEARS);
}
export function isBanActive(endsOn: string, now: Date): boolean {
  return shanghaiDay(now) < endsOn;
}

/** what the registration application must repeat exactly. */
export type RegistrationFacts = { vin: string; ownerIdType: OwnerIdType; ownerIdNumber: string; ownerName: string; phone: string };
export const REGISTRATION_FIELDS: readonly (keyof RegistrationFacts)[] = ['vin', 'ownerIdType', 'ownerIdNumber', 'ownerName', 'phone'];

const canonical = (field: keyof RegistrationFacts, v: string) => {
  const t = v.trim();
  // Stryker disable next-line MethodExpression: equivalent — both sides are cased alike, and VINs and ID numbers are ASCII letters and digits
  return field === 'vin' || field === 'ownerIdNumber' ? t.toUpperCase() : t;
};

/** the fields where the registration differs from the preselection (empty = match). */
export function registrationMismatches(reserved: RegistrationFacts, presented: RegistrationFacts): (keyof RegistrationFacts)[] {
  return REGISTRATION_FIELDS.filter((f) => canonical(f, reserved[f]) !== canonical(f, presented[f]));
}

/** The reference number shown on the confirmation page: YX + authority + day + sequence. */
export function preselectionReference(authorityId: string, now: Date, seq: number): string {
  return `YX${authorityId}${shanghaiDay(now).replace(/-/g, '')}${String(seq % 1_000_000).padStart(6, '0')}`;
}

// ---------------------------------------------------------------------------
// Random draw (R-24.2 自动选取, PD-14), provably fair
// ---------------------------------------------------------------------------

/** PD-14: 10 numbers a draw, at most 5 draws per vehicle, 10 minutes to pick. */
export const DRAW_SIZE = 10;
export const MAX_DRAWS = 5;
export const OFFER_MINUTES = 10;
/** A draw stops after this many candidates (an almost exhausted pool offers fewer numbers). */
export const MAX_CANDIDATES = 2000;

export const DRAW_ALGORITHM = 'jg-plate-draw-v1: sha256-ctr, u32be words, rejection sampling';
const DOMAIN = Buffer.from('jg-plate-draw-v1', 'utf8');
/**
 * The draw since issue 18 (ADR-010): the server commits to sha256(server seed)
 * before the citizen's browser sends a 32-byte nonce of its own; the draw
 * runs jg-plate-draw-v1 over sha256("jg-plate-draw-v2" ‖ server seed ‖ nonce).
 */
export const DRAW_ALGORITHM_V2 = 'jg-plate-draw-v2: seed = sha256("jg-plate-draw-v2" ‖ server seed ‖ client nonce), then jg-plate-draw-v1';
const DOMAIN_V2 = Buffer.from('jg-plate-draw-v2', 'utf8');
/** Length in bytes of the server seed and of the client's nonce. */
export const SEED_BYTES = 32;

/**
 * The seed a v2 draw runs on: neither party alone chooses it. The server's
 * seed is fixed by its commitment before the nonce is known; the nonce is
 * chosen by the browser without knowing the seed.
 */
export function drawSeed(serverSeed: Uint8Array, clientNonce: Uint8Array): Buffer {
  if (serverSeed.length !== SEED_BYTES || clientNonce.length !== SEED_BYTES) throw new RangeError('seed and nonce must be 32 bytes');
  return createHash('sha256').update(DOMAIN_V2).update(serverSeed).update(clientNonce).digest();
}

export function offerExpiresAt(drawnAt: Date): Date {
  return new Date(drawnAt.getTime() + OFFER_MINUTES * 60_000);
}

/** The commitment shown when the numbers are offered: lowercase hex sha256 of the 32-byte seed. */
export function commitmentOf(seed: Uint8Array): string {
  return createHash('sha256').update(seed).digest('hex');
}

/**
 * The published draw algorithm (docs/decisions/010-plate-draw-fairness.md):
 *
 *   block_k = SHA-256("jg-plate-draw-v1" ‖ seed ‖ uint32_be(k)),  k = 0, 1, 2, …
 *   each block gives eight 32-bit big-endian words w, in order;
 *   limit = 2^32 − (2^32 mod N);  w < limit → candidate index w mod N, else drop w.
 *
 * Dropping the top `2^32 mod N` words makes every index in [0, N) exactly
 * equally likely (no modulo bias). Yields candidate indices for ever; the
 * caller stops. `rejected` counts dropped words so far.
 */
export function* candidateIndices(seed: Uint8Array, poolSize: number): Generator<{ idx: number; rejected: number }> {
  if (!Number.isSafeInteger(poolSize) || poolSize < 1 || poolSize > 0xffffffff) throw new RangeError(`pool size out of range: ${poolSize}`);
  if (seed.length !== 32) throw new RangeError('seed must be 32 bytes');
  const range = 2 ** 32;
  const limit = range - (range % poolSize);
  const counter = Buffer.alloc(4);
  let rejected = 0;
  // Stryker disable next-line EqualityOperator: equivalent in practice — no draw reads 2^32 blocks (2^35 words) before stopping
  for (let k = 0; k <= 0xffffffff; k++) {
    counter.writeUInt32BE(k);
    const block = createHash('sha256').update(DOMAIN).update(seed).update(counter).digest();
    for (let j = 0; j < 32; j += 4) {
      const w = block.readUInt32BE(j);
      if (w < limit) yield { idx: w % poolSize, rejected };
      else rejected++;
    }
  }
}

/** The first `count` candidate indices of a seed, and how many words were dropped on the way. */
export function deriveCandidates(seed: Uint8Array, poolSize: number, count: number): { indices: number[]; rejectedWords: number } {
  const indices: number[] = [];
  let rejectedWords = 0;
  if (count <= 0) return { indices, rejectedWords };
  for (const c of candidateIndices(seed, poolSize)) {
    indices.push(c.idx);
    rejectedWords = c.rejected;
    if (indices.length >= count) break;
  }
  return { indices, rejectedWords };
}

/**
 * What a candidate turned out to be when the draw examined it: offered to
 * this user, or skipped because it was already in this draw, held by another
 * user's offer, reserved, issued, withheld by the authority, or being taken
 * at that very moment by another transaction (row locked).
 */
export type CandidateOutcome = 'offered' | 'repeat' | 'offered_to_other' | 'reserved' | 'issued' | 'withheld' | 'busy';
export type DrawCandidate = { n: number; idx: number; plateNo: string; outcome: CandidateOutcome };

/** Turns the status a skipped candidate had into its outcome. */
export function skippedOutcome(status: string, heldByThisDraw: boolean): CandidateOutcome {
  if (heldByThisDraw) return 'repeat';
  switch (status) {
    case 'offered':
      return 'offered_to_other';
    case 'reserved':
    case 'issued':
    case 'withheld':
      return status;
    default:
      return 'busy';
  }
}

export type DrawProof = {
  seedHex: string;
  /** the browser's nonce (v2 draws); null for draws before issue 18 (v1: the server seed alone) */
  clientNonceHex?: string | null;
  commitment: string;
  poolSize: number;
  candidates: readonly DrawCandidate[];
  rejectedWords: number;
  offered: readonly string[];
};

export type ProofCheck = { ok: true } | { ok: false; reason: 'commitment' | 'indices' | 'offered' | 'rejected_words' };

/**
 * Re-runs the draw from its revealed seed (and, for v2 draws, the browser's
 * nonce): the seed hashes to the commitment shown before the nonce was sent,
 * the candidate indices are exactly the algorithm's, and
 * the offered numbers are exactly the candidates recorded as offered, in order.
 */
export function verifyDraw(proof: DrawProof): ProofCheck {
  if (!/^[0-9a-f]{64}$/.test(proof.seedHex)) return { ok: false, reason: 'commitment' };
  const seed = Buffer.from(proof.seedHex, 'hex');
  if (commitmentOf(seed) !== proof.commitment) return { ok: false, reason: 'commitment' };
  const nonce = proof.clientNonceHex ?? null;
  if (nonce !== null && !/^[0-9a-f]{64}$/.test(nonce)) return { ok: false, reason: 'indices' };
  const runSeed = nonce === null ? seed : drawSeed(seed, Buffer.from(nonce, 'hex'));
  const { indices, rejectedWords } = deriveCandidates(runSeed, proof.poolSize, proof.candidates.length);
  // Stryker disable next-line ConditionalExpression: `indices.length !== proof.candidates.length` → false is equivalent — deriveCandidates returns exactly as many indices as asked
  if (indices.length !== proof.candidates.length || proof.candidates.some((c, i) => c.idx !== indices[i] || c.n !== i + 1)) return { ok: false, reason: 'indices' };
  if (proof.candidates.length > 0 && rejectedWords !== proof.rejectedWords) return { ok: false, reason: 'rejected_words' };
  const offered = proof.candidates.filter((c) => c.outcome === 'offered').map((c) => c.plateNo);
  if (offered.length !== proof.offered.length || offered.some((p, i) => p !== proof.offered[i])) return { ok: false, reason: 'offered' };
  return { ok: true };
}
