import { z } from '@hono/zod-openapi';

/**
 * What text the bff takes, in one place (issue 17, ADR-023).
 *
 * - No control characters in any string of any request: C0 except tab, line
 *   feed and carriage return, DEL, C1, and lone UTF-16 surrogates (not text
 *   at all). The validation hook (http/validation.ts) walks every validated
 *   value with {@link controlCharacterPath}, so no schema can forget it;
 *   `parseListQuery` does the same for its filter. Refused with 400
 *   `validation.control_characters` at the field.
 * - {@link text}: a one-line (or `multiline`) free text whose length counts
 *   characters (code points: '𠮷' is one), not UTF-16 units as zod's
 *   `.max()` does.
 * - {@link personName}: a name — one line, no bidirectional-control
 *   characters (which can make a name read differently than it is stored),
 *   not made of invisible characters only.
 * - {@link calendarDay}: 'YYYY-MM-DD', a day that exists, between
 *   {@link MIN_DAY} and {@link MAX_DAY}.
 */

/** Dates the platform takes: 1900-01-01 … 2100-12-31 (birth dates of the living, plans and slots of this century). */
export const MIN_DAY = '1900-01-01';
export const MAX_DAY = '2100-12-31';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;
/** Bidirectional embeddings, overrides and isolates, and the marks: never part of a name. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** Characters that show nothing: zero-width spaces and joiners, word joiner, BOM, soft hyphen, Mongolian vowel separator. */
const INVISIBLE = /[\s\u00AD\u180E\u200B-\u200D\u2060-\u2064\uFEFF]/gu;

export const hasControlCharacters = (s: string) => CONTROL.test(s);

/** Length in characters (code points), as people and JSON Schema count them. */
export const charLength = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * The path (dotted, as `errors[].field`) of the first string — value or
 * object key — holding a control character, or undefined. Depth-bounded:
 * bodies are at most 256 KiB and schemas nest a few levels.
 */
export function controlCharacterPath(value: unknown, at: string[] = [], depth = 0): string | undefined {
  if (typeof value === 'string') return hasControlCharacters(value) ? at.join('.') || '_' : undefined;
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof Date) return undefined;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    if (typeof k === 'string' && hasControlCharacters(k)) return [...at, k].join('.');
    const found = controlCharacterPath(v, [...at, String(k)], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

const issue = (code: string) => ({ code: 'custom' as const, message: code, params: { code } });

/** Trimmed free text of `min`..`max` characters; one line unless `multiline`. */
export function text(opts: { max: number; min?: number; multiline?: boolean }) {
  const { max, min = 0, multiline = false } = opts;
  return z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      if (hasControlCharacters(v) || (!multiline && LINE_BREAK.test(v))) return void ctx.addIssue(issue('validation.control_characters'));
      const n = charLength(v);
      if (n < min) ctx.addIssue(issue('validation.too_short'));
      else if (n > max) ctx.addIssue(issue('validation.too_long'));
    })
    .openapi({ minLength: min || undefined, maxLength: max });
}

/** A person's or organisation's name as on its document: `min`..`max` characters, visible, one line, no bidi controls. */
export function personName(opts: { min: number; max: number }) {
  return z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      if (hasControlCharacters(v) || LINE_BREAK.test(v)) return void ctx.addIssue(issue('validation.control_characters'));
      const n = charLength(v);
      if (BIDI.test(v) || v.replace(INVISIBLE, '') === '' || n < opts.min || n > opts.max) ctx.addIssue(issue('validation.name'));
    })
    .openapi({ minLength: opts.min, maxLength: opts.max });
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for an existing day 'YYYY-MM-DD' between {@link MIN_DAY} and {@link MAX_DAY}. */
export function isPlatformDay(v: string): boolean {
  const m = DAY.exec(v);
  if (!m || v < MIN_DAY || v > MAX_DAY) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** An instant in ISO 8601 with its time ('2026-12-01T00:00:00+08:00') on a day between {@link MIN_DAY} and {@link MAX_DAY}; else `validation.date`. */
export function instant() {
  return z
    .string()
    .refine((v) => {
      if (v.length > 40 || !/^\d{4}-\d{2}-\d{2}T/.test(v) || !isPlatformDay(v.slice(0, 10))) return false;
      const ms = Date.parse(v);
      return !Number.isNaN(ms) && ms >= Date.parse(`${MIN_DAY}T00:00:00Z`) - 86_400_000 && ms <= Date.parse(`${MAX_DAY}T23:59:59Z`) + 86_400_000;
    }, { params: { code: 'validation.date' } })
    .openapi({ format: 'date-time' });
}

/** A calendar day 'YYYY-MM-DD' that exists, between 1900-01-01 and 2100-12-31; else `validation.date`. */
export function calendarDay() {
  return z
    .string()
    .refine(isPlatformDay, { params: { code: 'validation.date' } })
    .openapi({ format: 'date', example: '2026-12-01' });
}
