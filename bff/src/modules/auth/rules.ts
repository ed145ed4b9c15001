/**
 * Pure sign-in rules: SMS one-time codes and password policy.
 * No SQL, no HTTP, no clock (time comes in as `now`).
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import type { Refusal } from '../../core/errors.ts';

export const smsCodePolicy = {
  digits: 6,
  ttlMs: 5 * 60_000,
  resendAfterMs: 60_000,
  perPhonePerDay: 10,
  maxAttempts: 5,
} as const;

export type SmsSendDecision = { ok: true } | { ok: false; code: 'auth.sms_code_too_soon' | 'auth.sms_code_daily_limit' };

/** Limits on sending codes to one phone: one a minute, ten a day. */
export function decideSmsSend(sentAt: readonly Date[], now: Date): SmsSendDecision {
  const dayAgo = now.getTime() - 24 * 3600_000;
  const recent = sentAt.filter((t) => t.getTime() > dayAgo);
  if (recent.some((t) => now.getTime() - t.getTime() < smsCodePolicy.resendAfterMs)) return { ok: false, code: 'auth.sms_code_too_soon' };
  if (recent.length >= smsCodePolicy.perPhonePerDay) return { ok: false, code: 'auth.sms_code_daily_limit' };
  return { ok: true };
}

/**
 * A new password (issue 17, OWASP ASVS 5.0 V6.2): 8 to 64 characters of any
 * kind (no composition rules), and not common or guessable — zxcvbn's score at
 * least 3 of 4 ("safely unguessable"), with what is known about the user (phone,
 * name, ID number and its parts) as words an attacker would try first. The
 * schema checks the length as a format; this is the rule the service applies.
 */
export const passwordPolicy = { minLength: 8, maxLength: 64, minScore: 3 } as const;

let estimator: ZxcvbnFactory | undefined;
/** Built on first use: the common-password and word lists take ~35 ms to index. */
// Stryker disable next-line ObjectLiteral: built once and cached in module state, so a mutant here never rebuilds it within Stryker's run; without the dictionary the 'common' password tests fail
const zxcvbn = () => (estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }));

/** Why a password is refused, for the refusal's detail. */
export type WeakPasswordReason = 'length' | 'personal' | 'common' | 'pattern';

const COMMON_WARNINGS = new Set(['topTen', 'topHundred', 'common', 'similarToCommon', 'wordByItself', 'namesByThemselves', 'commonNames']);

/**
 * The words an attacker knows of a user: phone, name, ID number, and the parts
 * people build passwords from (the birth date in the ID number, its last six
 * and four characters, the phone's last four digits).
 */
export function personalWords(p: { phone?: string | null; name?: string | null; idNumber?: string | null; username?: string | null }): string[] {
  const words: string[] = [];
  if (p.phone) words.push(p.phone, p.phone.slice(-4));
  if (p.name) words.push(p.name);
  if (p.username) words.push(p.username);
  if (p.idNumber) {
    words.push(p.idNumber, p.idNumber.slice(-6), p.idNumber.slice(-4));
    if (/^\d{17}[\dX]$/i.test(p.idNumber)) words.push(p.idNumber.slice(6, 14), p.idNumber.slice(8, 14));
  }
  return [...new Set(words.filter((w) => w.length >= 4 || /\P{ASCII}/u.test(w)))]; // short ASCII fragments would match too much; names are short
}

/** Refuses a new password that is too short or too long, common, or guessable from the user's own data. */
export function decideNewPassword(password: string, userWords: readonly string[]): Refusal<'auth.weak_password'> | null {
  const length = [...password].length;
  if (length < passwordPolicy.minLength || length > passwordPolicy.maxLength) return { code: 'auth.weak_password', params: { reason: 'length' } };
  const r = zxcvbn().check(password, [...userWords]);
  if (r.score >= passwordPolicy.minScore) return null;
  // Stryker disable next-line ConditionalExpression: equivalent — only zxcvbn's dictionary matches carry a dictionaryName, so `m.pattern === 'dictionary'` → true changes nothing
  const personal = r.sequence.some((m) => m.pattern === 'dictionary' && m.dictionaryName === 'userInputs');
  const reason: WeakPasswordReason = personal ? 'personal' : r.feedback.warning && COMMON_WARNINGS.has(r.feedback.warning) ? 'common' : 'pattern';
  return { code: 'auth.weak_password', params: { reason } };
}

export function generateNumericCode(digits: number, random: (n: number) => number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += String(random(10));
  return s;
}

/** TOTP steps (RFC 6238, 30 s) accepted around `now`: one step of clock drift either way. */
export function acceptableTotpSteps(now: Date, periodSeconds = 30): number[] {
  const step = Math.floor(now.getTime() / 1000 / periodSeconds);
  return [step, step - 1, step + 1];
}
