/**
 * Check-digit validators and masking helpers used across the platform.
 *
 * - 居民身份证号码 (GB 11643-1999, ISO 7064 MOD 11-2): identity numbers of
 *   citizens and staff (R-8 registration, R-10.2 agents, R-12.2 review, …).
 * - 车辆识别代号 VIN (GB 16735 / ISO 3779, check digit in position 9): every
 *   vehicle record (R-16.3 non-own vehicles, R-23 plate pre-selection, …).
 * - 统一社会信用代码 USCC (GB 32100-2015, MOD 31), with the embedded
 *   组织机构代码 (GB 11714, MOD 11): unit accounts.
 *
 * Pure functions, no I/O. The validators take the canonical form (upper case,
 * no surrounding blanks); the zod schemas normalise input with
 * `.trim().toUpperCase()` first, so stored values are always canonical.
 *
 * Error codes used by the zod schemas (read by the error-mapping layer from
 * `issue.params.code`):
 *   validation.id_number_{length,charset,region,birth_date,checksum}
 *   validation.vin_{length,charset,checksum}
 *   validation.uscc_{length,charset,checksum,organisation_code}
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------
// 居民身份证号码 — GB 11643-1999
// ---------------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/**
 * Province-level codes (first two digits of the 6-digit 行政区划代码, GB/T 2260)
 * accepted as the region of an identity number: 11–15 华北, 21–23 东北,
 * 31–37 华东, 41–46 中南, 50–54 西南, 61–65 西北, 71 台湾, 81 香港, 82 澳门.
 * (83 — Taiwan residents' residence permits — is deliberately not in the list.)
 */
export const ID_PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/** Earliest birth year accepted (the GB 11643 textbook example is born 1880). */
export const ID_MIN_BIRTH_YEAR = 1800;

export type IdNumberFailure = 'length' | 'charset' | 'region' | 'birth_date' | 'checksum';
export type IdNumberResult =
  | { ok: true; birthDate: string; sex: 'M' | 'F' }
  | { ok: false; reason: IdNumberFailure };

/**
 * GB 11643-1999 check character for the first 17 digits of an identity number:
 * Σ(digit × weight) mod 11 mapped through "10X98765432".
 * @throws RangeError when `first17` is not exactly 17 ASCII digits.
 */
export function idNumberCheckChar(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) {
    throw new RangeError('idNumberCheckChar expects 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

/**
 * Validates an 18-character 居民身份证号码 (canonical form: upper-case `X`).
 * Checks, in this order: length, charset (17 digits + 0-9/X), region (first two
 * digits are a province code, see {@link ID_PROVINCE_CODES}), birth date
 * (digits 7–14 form a real date, year ≥ {@link ID_MIN_BIRTH_YEAR}, not after
 * `today` when given), check character.
 * `sex` comes from digit 17 (odd = M, even = F).
 *
 * @param today optional 'YYYY-MM-DD' (Asia/Shanghai calendar day, e.g.
 *   `shanghaiDay(clock.now())`); without it the future-date check is skipped.
 */
export function validateIdNumber(s: string, today?: string): IdNumberResult {
  if (s.length !== 18) return { ok: false, reason: 'length' };
  if (!/^[0-9]{17}[0-9X]$/.test(s)) return { ok: false, reason: 'charset' };
  if (!ID_PROVINCE_CODES.has(s.slice(0, 2))) return { ok: false, reason: 'region' };
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (!isRealDate(birthDate) || Number(s.slice(6, 10)) < ID_MIN_BIRTH_YEAR) {
    return { ok: false, reason: 'birth_date' };
  }
  if (today !== undefined && birthDate > today) return { ok: false, reason: 'birth_date' };
  if (idNumberCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, reason: 'checksum' };
  return { ok: true, birthDate, sex: Number(s[16]) % 2 === 1 ? 'M' : 'F' };
}

function isRealDate(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

// ---------------------------------------------------------------------------
// 车辆识别代号 VIN — GB 16735 / ISO 3779
// ---------------------------------------------------------------------------

const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** ISO 3779 transliteration of VIN characters to values (I, O, Q are not used). */
const VIN_VALUES: Readonly<Record<string, number>> = {
  '0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9,
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

const VIN_CHARSET = /^[0-9A-HJ-NPR-Z]{17}$/;

export type VinFailure = 'length' | 'charset' | 'checksum';
export type VinResult = { ok: true } | { ok: false; reason: VinFailure };

/**
 * GB 16735 / ISO 3779 check digit of a 17-character VIN; position 9 (the check
 * position, weight 0) may hold anything from the VIN charset.
 * Σ(value × weight) mod 11, remainder 10 → 'X'.
 * @throws RangeError when `vin` is not 17 characters of the VIN charset.
 */
export function vinCheckChar(vin: string): string {
  if (!VIN_CHARSET.test(vin)) throw new RangeError('vinCheckChar expects 17 VIN characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += VIN_VALUES[vin[i]!]! * VIN_WEIGHTS[i]!;
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/**
 * Validates a 17-character VIN (canonical form: upper case). Checks length,
 * charset (0-9 and A-Z without I, O, Q), then the check digit in position 9.
 * GB 16735 makes the check digit mandatory for vehicles built for China;
 * vehicles built for other markets (some imports) may not carry a valid one.
 */
export function validateVin(s: string): VinResult {
  if (s.length !== 17) return { ok: false, reason: 'length' };
  if (!VIN_CHARSET.test(s)) return { ok: false, reason: 'charset' };
  if (vinCheckChar(s) !== s[8]) return { ok: false, reason: 'checksum' };
  return { ok: true };
}

// ---------------------------------------------------------------------------
// 统一社会信用代码 USCC — GB 32100-2015 (+ 组织机构代码 GB 11714)
// ---------------------------------------------------------------------------

/** GB 32100-2015 code characters; the value of a character is its index. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_CHARSET = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

export type UsccFailure = 'length' | 'charset' | 'checksum' | 'organisation_code';
export type UsccResult = { ok: true } | { ok: false; reason: UsccFailure };

export interface UsccOptions {
  /**
   * Also check the 组织机构代码 in positions 9–17 (GB 11714 MOD 11 check).
   * Off by default: GB 32100 only requires its own check character.
   */
  organisationCode?: boolean;
}

/**
 * GB 32100-2015 check character: C18 = 31 − (Σ value × weight mod 31), 31 → 0,
 * written with the USCC alphabet "0123456789ABCDEFGHJKLMNPQRTUWXY".
 * @throws RangeError when `first17` is not 17 characters of that alphabet.
 */
export function usccCheckChar(first17: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17)) {
    throw new RangeError('usccCheckChar expects 17 USCC characters');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

/**
 * GB 11714 check character of the 8-character body of a 组织机构代码
 * (digits 0–9 = 0–9, letters A–Z = 10–35): C9 = 11 − (Σ value × weight mod 11),
 * 10 → 'X', 11 → '0'.
 * @throws RangeError when `first8` is not 8 characters 0-9/A-Z.
 */
export function organisationCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) {
    throw new RangeError('organisationCodeCheckChar expects 8 characters 0-9/A-Z');
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(first8[i]!, 36) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * Validates an 18-character 统一社会信用代码 (canonical form: upper case).
 * Checks length, charset (no I, O, S, V, Z), the GB 32100 check character, and
 * — with `{ organisationCode: true }` — the GB 11714 check of positions 9–17.
 */
export function validateUscc(s: string, options: UsccOptions = {}): UsccResult {
  if (s.length !== 18) return { ok: false, reason: 'length' };
  if (!USCC_CHARSET.test(s)) return { ok: false, reason: 'charset' };
  if (usccCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, reason: 'checksum' };
  if (options.organisationCode && organisationCodeCheckChar(s.slice(8, 16)) !== s[16]) {
    return { ok: false, reason: 'organisation_code' };
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------
// zod 4 schemas for request bodies
// ---------------------------------------------------------------------------

const ID_MESSAGES: Record<IdNumberFailure, string> = {
  length: 'identity number must have 18 characters',
  charset: 'identity number must be 17 digits followed by a digit or X',
  region: 'identity number has an unknown region code',
  birth_date: 'identity number has an invalid birth date',
  checksum: 'identity number check character is wrong',
};
const VIN_MESSAGES: Record<VinFailure, string> = {
  length: 'VIN must have 17 characters',
  charset: 'VIN may only contain 0-9 and A-Z without I, O, Q',
  checksum: 'VIN check digit (position 9) is wrong',
};
const USCC_MESSAGES: Record<UsccFailure, string> = {
  length: 'unified social credit code must have 18 characters',
  charset: 'unified social credit code contains a character outside GB 32100',
  checksum: 'unified social credit code check character is wrong',
  organisation_code: 'organisation code inside the unified social credit code is wrong',
};

/**
 * zod schema for a 居民身份证号码 field: trims, upper-cases (`x` → `X`), then
 * validates with {@link validateIdNumber}. A failure adds one custom issue with
 * `params.code = 'validation.id_number_<reason>'`.
 * @param options.today returns today's Asia/Shanghai day 'YYYY-MM-DD' to reject
 *   future birth dates, e.g. `() => shanghaiDay(clock.now())`.
 */
export function idNumberSchema(options: { today?: () => string } = {}) {
  return z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((value, ctx) => {
      const result = validateIdNumber(value, options.today?.());
      if (!result.ok) {
        ctx.addIssue({
          code: 'custom',
          message: ID_MESSAGES[result.reason],
          params: { code: `validation.id_number_${result.reason}` },
        });
      }
    });
}

/**
 * zod schema for a VIN field: trims, upper-cases, then validates with
 * {@link validateVin}; failure → `params.code = 'validation.vin_<reason>'`.
 */
export function vinSchema() {
  return z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((value, ctx) => {
      const result = validateVin(value);
      if (!result.ok) {
        ctx.addIssue({
          code: 'custom',
          message: VIN_MESSAGES[result.reason],
          params: { code: `validation.vin_${result.reason}` },
        });
      }
    });
}

/**
 * zod schema for a 统一社会信用代码 field: trims, upper-cases, then validates
 * with {@link validateUscc}; failure → `params.code = 'validation.uscc_<reason>'`.
 */
export function usccSchema(options: UsccOptions = {}) {
  return z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((value, ctx) => {
      const result = validateUscc(value, options);
      if (!result.ok) {
        ctx.addIssue({
          code: 'custom',
          message: USCC_MESSAGES[result.reason],
          params: { code: `validation.uscc_${result.reason}` },
        });
      }
    });
}

// ---------------------------------------------------------------------------
// An identity document's number by its type — the one check every form uses
// ---------------------------------------------------------------------------

/** The field codes {@link idDocumentProblem} answers. */
export type IdDocumentProblem = `validation.id_number_${IdNumberFailure}` | `validation.uscc_${UsccFailure}`;

/**
 * The format problem of an identity document number read with its type, or
 * null: a 居民身份证 (`resident_id`) must pass GB 11643 and a 统一社会信用代码
 * (`uscc`) GB 32100; the other documents (passport, permits, …) carry no check
 * digit we can verify. Takes the canonical form (trimmed, upper case).
 * Every schema with an owner's, applicant's or agent's ID number goes through
 * this function, and a service that
 * learns the type only from a stored record calls it too.
 */
export function idDocumentProblem(idType: string, idNumber: string, today?: string): IdDocumentProblem | null {
  if (idType === 'resident_id') {
    const r = validateIdNumber(idNumber, today);
    return r.ok ? null : `validation.id_number_${r.reason}`;
  }
  if (idType === 'uscc') {
    const r = validateUscc(idNumber);
    return r.ok ? null : `validation.uscc_${r.reason}`;
  }
  return null;
}

/**
 * zod refinement for an object holding an ID type and an ID number: adds one
 * issue at `numberKey` with the code of {@link idDocumentProblem}. Use as
 * `z.strictObject({...}).superRefine(refineIdDocument('ownerIdType', 'ownerIdNumber'))`;
 * an absent type (optional field) is not checked here.
 */
export function refineIdDocument(typeKey: string, numberKey: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const type = value[typeKey];
    const number = value[numberKey];
    if (typeof type !== 'string' || typeof number !== 'string') return;
    const problem = idDocumentProblem(type, number);
    if (problem) ctx.addIssue({ code: 'custom', path: [numberKey], message: problem, params: { code: problem } });
  };
}

// ---------------------------------------------------------------------------
// Masking for lists and logs
// ---------------------------------------------------------------------------

/**
 * Keeps `keepStart` leading and `keepEnd` trailing characters (code points) and
 * replaces the rest with '*', preserving the length. A value too short to keep
 * both ends is masked completely, so that malformed input never leaks whole.
 */
export function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  const chars = Array.from(value);
  if (chars.length <= keepStart + keepEnd) return '*'.repeat(chars.length);
  return (
    chars.slice(0, keepStart).join('') +
    '*'.repeat(chars.length - keepStart - keepEnd) +
    chars.slice(chars.length - keepEnd).join('')
  );
}

/** 身份证号: first 6 (region) and last 4 kept: '440305199001011234' → '440305********1234'. */
export function maskIdNumber(idNumber: string): string {
  return maskMiddle(idNumber, 6, 4);
}

/** 手机号: first 3 and last 4 kept: '13800138000' → '138****8000'. */
export function maskPhone(phone: string): string {
  return maskMiddle(phone, 3, 4);
}

/**
 * VIN: first 3 (WMI, the manufacturer) and last 4 kept:
 * 'LVSHCAMB1CE054249' → 'LVS**********4249'.
 * Not the last six: "车辆识别代号后六位" is what 122 services ask as proof of
 * knowing a vehicle, so lists and logs must not show it.
 */
export function maskVin(vin: string): string {
  return maskMiddle(vin, 3, 4);
}

/**
 * 姓名: the first character kept, and the last one too when the name has three
 * or more: '张三' → '张*', '张三丰' → '张*丰', '欧阳娜娜' → '欧**娜'; a
 * one-character name becomes '*'.
 */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return '*'.repeat(chars.length);
  if (chars.length === 2) return `${chars[0]}*`;
  return maskMiddle(name, 1, 1);
}
