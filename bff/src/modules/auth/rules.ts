/**
 * Pure sign-in rules: SMS one-time codes and password policy.
 * No SQL, no HTTP, no clock (time comes in as `now`).
 */
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

/** 8–64 characters with at least one letter and one digit (等保 level 3 asks for complexity). */
export function isAcceptablePassword(pw: string): boolean {
  return pw.length >= 8 && pw.length <= 64 && /[A-Za-z]/.test(pw) && /\d/.test(pw);
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
