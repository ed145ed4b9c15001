import QRCode from 'qrcode';
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { generateHOTP, createTOTPKeyURI } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import type { Deps, RequestMeta, Actor } from '../../core/context.ts';
import { DomainError, refuse, type Params } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { hashPassword, verifyPassword } from '../../platform/passwords.ts';
import { createSession, invalidateAllSessions, invalidateOtherSessions, invalidateSession } from '../../platform/sessions.ts';
import { clearFailures, lockOf, recordFailure, throttlePolicies, type FailureCount } from '../../platform/throttle.ts';
import { maskPhone } from '../../platform/check-digits.ts';
import type { Db } from '../../db.ts';
import * as repo from './repo.ts';
import { acceptableTotpSteps, decideNewPassword, decideSmsSend, generateNumericCode, personalWords, smsCodePolicy } from './rules.ts';

export type Meta = RequestMeta & { userAgent: string | null };

function codeHash(phone: string, purpose: string, code: string): string {
  return createHash('sha256').update(`${phone}:${purpose}:${code}`).digest('hex');
}

/**
 * Sends a one-time code through the outbox. For sign-in to a phone without an
 * account nothing is sent, but the answer is the same, so the endpoint does
 * not reveal which phones have accounts.
 */
export async function requestSmsCode(deps: Deps, input: { phone: string; purpose: 'sign_up' | 'sign_in' | 'change_phone' }, meta: Meta) {
  const { phone, purpose } = input;
  const expiresAt = new Date(meta.now.getTime() + smsCodePolicy.ttlMs);
  await deps.sql.begin(async (tx) => {
    // Serialise sends per phone across processes so the rate limit cannot be raced.
    await tx`SELECT pg_advisory_xact_lock(hashtext(${'sms:' + phone}))`;
    const sent = await repo.recentSmsSends(tx, phone, new Date(meta.now.getTime() - 24 * 3600_000));
    const decision = decideSmsSend(sent, meta.now);
    if (!decision.ok) throw new DomainError(decision.code);
    const code = generateNumericCode(smsCodePolicy.digits, (n) => randomInt(n));
    await repo.insertSmsCode(tx, phone, purpose, codeHash(phone, purpose, code), meta.now, expiresAt);
    const account = purpose === 'sign_in' ? await repo.findLiveUserByPhone(tx, phone) : null;
    // change_phone (accounts, R-11.1): the code proves the new number is the user's own.
    if (purpose !== 'sign_in' || account) {
      await enqueueMessage(tx, { channel: 'sms', recipient: phone, template: 'auth.sms_code', payload: { code, minutes: smsCodePolicy.ttlMs / 60_000, purpose } }, meta.now);
    }
    await writeAudit(tx, { kind: 'anonymous', label: maskPhone(phone) }, meta, {
      action: 'auth.sms_code_requested',
      entityType: 'phone',
      entityId: maskPhone(phone),
      after: { purpose, expiresAt },
    });
  });
  return { expiresAt: expiresAt.toISOString(), resendAfterSeconds: smsCodePolicy.resendAfterMs / 1000 };
}

/**
 * Checks and consumes a code: the right one is used up at once, whatever the
 * request does next (see {@link withSmsCode}); a wrong one is a guess, and
 * five wrong guesses burn it. Only the phone's newest code for the purpose counts.
 */
export async function consumeSmsCode(tx: Db, phone: string, purpose: string, code: string, now: Date): Promise<void> {
  const row = await repo.lockLatestSmsCode(tx, phone, purpose);
  if (!row || row.consumed_at || row.expires_at <= now || row.attempts >= smsCodePolicy.maxAttempts) {
    throw new DomainError('auth.sms_code_invalid', { field: 'smsCode' });
  }
  const a = Buffer.from(row.code_hash, 'hex');
  const b = Buffer.from(codeHash(phone, purpose, code), 'hex');
  const ok = a.length === b.length && timingSafeEqual(a, b);
  await repo.markSmsAttempt(tx, row.id, ok ? now : null);
  if (!ok) throw new SmsCodeMismatch();
}

/** Thrown inside a transaction after the attempt was counted; the caller commits the count. */
export class SmsCodeMismatch extends Error {}

/**
 * Runs what a code authorises in the transaction that consumes the code, so
 * that the code is burnt by its first use, successful or not (issue 17: one
 * code used to serve several sign-up attempts, testing name/ID pairs). `use`
 * runs in a savepoint: when it fails, its writes roll back, the code's
 * consumption commits, and its error is thrown after the commit. A wrong code
 * answers auth.sms_code_invalid at `smsCode` (the guess is counted).
 */
export async function withSmsCode<T>(deps: Deps, code: { phone: string; purpose: string; smsCode: string }, now: Date, use: (tx: Db) => Promise<T>): Promise<T> {
  const state: { outcome?: { kind: 'mismatch' } | { kind: 'failed'; error: unknown } } = {};
  const result = await deps.sql.begin(async (tx) => {
    try {
      await consumeSmsCode(tx, code.phone, code.purpose, code.smsCode, now);
    } catch (e) {
      if (!(e instanceof SmsCodeMismatch)) throw e;
      state.outcome = { kind: 'mismatch' };
      return undefined;
    }
    try {
      return (await tx.savepoint((sp) => use(sp))) as T;
    } catch (error) {
      state.outcome = { kind: 'failed', error };
      return undefined;
    }
  });
  if (state.outcome?.kind === 'mismatch') throw new DomainError('auth.sms_code_invalid', { field: 'smsCode' });
  if (state.outcome?.kind === 'failed') throw state.outcome.error;
  return result as T;
}

/**
 * A new password, wherever one is set (sign-up, change, any reset; citizens
 * and staff): long enough, not common or guessable from `userWords`
 * (auth/rules.ts `decideNewPassword`), and not the current one. Refused at
 * `field` in the server's words.
 */
export async function checkNewPassword(password: string, opts: { field: string; userWords: readonly string[]; currentHash?: string | null }): Promise<void> {
  const weak = decideNewPassword(password, opts.userWords);
  if (weak) throw refuse(weak, opts.field);
  if (opts.currentHash && (await verifyPassword(opts.currentHash, password))) throw new DomainError('auth.password_unchanged', { field: opts.field });
}

/** The sign-in throttle's bucket of a citizen account (platform/throttle.ts). */
export const userBucket = (phone: string) => `user:${phone}`;

/**
 * "Confirm with your password" (password change, cancellation, …), limited
 * like sign-in (issue 17): the same buckets — the account's and the IP's —
 * and thresholds, so guesses here and at sign-in count together; a locked
 * account or IP answers auth.throttled, even for the right password. A wrong
 * password is counted and audited; the caller refuses it in its own words.
 */
export async function confirmPassword(
  deps: Deps, actor: Actor & { kind: 'user' | 'staff' }, account: { bucket: string; passwordHash: string }, password: string, meta: RequestMeta,
): Promise<boolean> {
  const ipBucket = `ip:${meta.ip}`;
  await throttled(deps, [account.bucket, ipBucket], meta.now);
  if (await verifyPassword(account.passwordHash, password)) {
    await clearFailures(deps.sql, account.bucket);
    return true;
  }
  await deps.sql.begin(async (tx) => {
    await recordFailure(tx, account.bucket, throttlePolicies.account, meta.now);
    await recordFailure(tx, ipBucket, throttlePolicies.ip, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'auth.password_confirmation_failed', entityType: actor.kind === 'user' ? 'user_account' : 'staff_member', entityId: actor.id,
    });
  });
  return false;
}

export type SignedIn = { userId: string; token: string; expiresAt: Date };

/** An instant as Beijing time, to the minute ('2026-11-25 10:15'), for the texts of a lock. */
const beijingMinute = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Issue 18: a lock's particulars — whose (an account's or a client address's), how long it lasts, when it ends. */
function lockParams(scope: 'account' | 'ip', until: Date): Params {
  return { scope, minutes: throttlePolicies[scope].lockMs / 60_000, until: beijingMinute(until) };
}

/**
 * A locked account or client address is refused before anything else, in
 * words that say how long the lock lasts and when it ends (issue 18). A
 * citizen's account lock is shown at `field`; an address's lock is about no field.
 */
async function throttled(deps: Deps, buckets: string[], now: Date, field?: string) {
  const lock = await lockOf(deps.sql, buckets, now);
  if (!lock) return;
  const scope = lock.bucket.startsWith('ip:') ? 'ip' : 'account';
  throw new DomainError('auth.throttled', { params: lockParams(scope, lock.lockedUntil), ...(field && scope === 'account' ? { field } : {}) });
}

/**
 * What a wrong password or code tells (issue 18): the lock it started, else —
 * before the last attempt — that one attempt is left before the account is
 * locked. Counted per phone whether or not it has an account, so the answer
 * is the same for both.
 */
function failureParams(account: FailureCount, ip: FailureCount): Params | undefined {
  if (account.lockedUntil) return lockParams('account', account.lockedUntil);
  if (ip.lockedUntil) return lockParams('ip', ip.lockedUntil);
  if (account.attemptsLeft === 1) return { attemptsLeft: 1, minutes: throttlePolicies.account.lockMs / 60_000 };
  return undefined;
}

async function failSignIn(
  deps: Deps, accountBucket: string, ipBucket: string, meta: Meta, label: string, actorKind: 'user' | 'staff' | 'anonymous', actorId: string | null,
  action = 'auth.sign_in_failed',
): Promise<Params | undefined> {
  return deps.sql.begin(async (tx) => {
    const account = await recordFailure(tx, accountBucket, throttlePolicies.account, meta.now);
    const ip = await recordFailure(tx, ipBucket, throttlePolicies.ip, meta.now);
    const actor: Actor = actorKind === 'anonymous' || !actorId ? { kind: 'anonymous', label } : { kind: actorKind, id: actorId, label };
    await writeAudit(tx, actor, meta, { action, entityType: actorKind === 'staff' ? 'staff_member' : 'user_account', entityId: actorId });
    return failureParams(account, ip);
  });
}

/** Refusal details with the params only when there are some. */
const withParams = (params: Params | undefined, field?: string) => ({ ...(params ? { params } : {}), ...(field ? { field } : {}) });

/**
 * Citizen sign-in with phone and password. A new session every time (rotation at sign-in).
 * Issue 18: refusals are shown at the phone (the account), warn before the
 * last attempt and say how long a lock lasts and when it ends.
 */
export async function signInWithPassword(deps: Deps, input: { phone: string; password: string }, meta: Meta, previousSessionId?: string): Promise<SignedIn> {
  const accountBucket = `user:${input.phone}`;
  const ipBucket = `ip:${meta.ip}`;
  await throttled(deps, [accountBucket, ipBucket], meta.now, 'phone');
  const user = await repo.findLiveUserByPhone(deps.sql, input.phone);
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !ok) {
    const params = await failSignIn(deps, accountBucket, ipBucket, meta, maskPhone(input.phone), user ? 'user' : 'anonymous', user?.id ?? null);
    throw new DomainError('auth.invalid_credentials', withParams(params, 'phone'));
  }
  if (user.status === 'suspended') throw new DomainError('auth.account_suspended');
  return startUserSession(deps, user.id, user.authority_id, meta, 'auth.signed_in', accountBucket, previousSessionId);
}

/**
 * Citizen sign-in with an SMS code. It also reactivates a suspended account
 * (PD-4: "the user can reactivate by signing in with an SMS code").
 */
export async function signInWithSms(deps: Deps, input: { phone: string; smsCode: string }, meta: Meta, previousSessionId?: string): Promise<SignedIn> {
  const accountBucket = `user:${input.phone}`;
  const ipBucket = `ip:${meta.ip}`;
  await throttled(deps, [accountBucket, ipBucket], meta.now, 'phone');
  let mismatch = false;
  const user = await deps.sql.begin(async (tx) => {
    try {
      await consumeSmsCode(tx, input.phone, 'sign_in', input.smsCode, meta.now);
    } catch (e) {
      if (e instanceof SmsCodeMismatch) {
        mismatch = true;
        return null;
      }
      throw e;
    }
    const u = await repo.findLiveUserByPhone(tx, input.phone);
    if (u?.status === 'suspended') {
      await repo.setUserStatus(tx, u.id, 'active');
      await writeAudit(tx, { kind: 'user', id: u.id, label: maskPhone(input.phone) }, meta, {
        action: 'accounts.reactivated', entityType: 'user_account', entityId: u.id, before: { status: 'suspended' }, after: { status: 'active' },
      });
    }
    return u ?? null;
  });
  if (mismatch || !user) {
    const params = await failSignIn(deps, accountBucket, ipBucket, meta, maskPhone(input.phone), user ? 'user' : 'anonymous', null);
    throw new DomainError('auth.sms_code_invalid', withParams(params, 'smsCode'));
  }
  return startUserSession(deps, user.id, user.authority_id, meta, 'auth.signed_in_sms', accountBucket, previousSessionId);
}

export async function startUserSession(
  deps: Deps, userId: string, authorityId: string | null, meta: Meta, action: string, accountBucket?: string, previousSessionId?: string, tx?: Db,
): Promise<SignedIn> {
  const run = async (t: Db) => {
    if (previousSessionId) await invalidateSession(t, previousSessionId);
    if (accountBucket) await clearFailures(t, accountBucket);
    const { token, session } = await createSession(t, 'user', userId, meta.now, meta);
    await writeAudit(t, { kind: 'user', id: userId, label: `user:${userId.slice(0, 8)}`, authorityId }, meta, {
      action, entityType: 'session', entityId: session.id.slice(0, 12), after: { idleExpiresAt: session.idle_expires_at, absoluteExpiresAt: session.absolute_expires_at },
    });
    return { userId, token, expiresAt: session.absolute_expires_at };
  };
  return tx ? run(tx) : deps.sql.begin((t) => run(t));
}

export async function signOut(deps: Deps, actor: Actor & { kind: 'user' | 'staff' }, sessionId: string, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    await invalidateSession(tx, sessionId);
    await writeAudit(tx, actor, meta, { action: 'auth.signed_out', entityType: 'session', entityId: sessionId.slice(0, 12) });
  });
}

export async function signOutEverywhere(deps: Deps, actor: Actor & { kind: 'user' | 'staff' }, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const n = await invalidateAllSessions(tx, actor.kind, actor.id);
    await writeAudit(tx, actor, meta, { action: 'auth.signed_out_everywhere', entityType: actor.kind === 'user' ? 'user_account' : 'staff_member', entityId: actor.id, after: { sessionsEnded: n } });
  });
}

// ---------------------------------------------------------------------------
// Password reset by SMS code (issue 18)
// ---------------------------------------------------------------------------

/** The purpose of a password-reset code in `sms_code`. */
export const RESET_PURPOSE = 'password_reset';

/**
 * Issue 18: a code to reset the password, by SMS through the outbox. The
 * answer is the same whether the phone has an account or not — a code row is
 * stored (and counted against the phone's limits) either way, but only an
 * account's phone gets the text. Limited like sign-in: a locked account or
 * client address is refused (the same buckets), each phone gets one code a
 * minute and ten a day, and each client address ten codes an hour, whatever
 * the phones.
 */
export async function requestPasswordResetCode(deps: Deps, input: { phone: string }, meta: Meta) {
  const { phone } = input;
  const requestBucket = `reset_code:ip:${meta.ip}`;
  await throttled(deps, [userBucket(phone), `ip:${meta.ip}`], meta.now, 'phone');
  const addressLock = await lockOf(deps.sql, [requestBucket], meta.now);
  if (addressLock) {
    throw new DomainError('auth.code_requests_throttled', {
      params: { minutes: throttlePolicies.resetCodeRequestsPerIp.lockMs / 60_000, until: beijingMinute(addressLock.lockedUntil) },
    });
  }
  const expiresAt = new Date(meta.now.getTime() + smsCodePolicy.ttlMs);
  await deps.sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext(${'sms:' + phone}))`;
    const sent = await repo.recentSmsSends(tx, phone, new Date(meta.now.getTime() - 24 * 3600_000));
    const decision = decideSmsSend(sent, meta.now);
    if (!decision.ok) throw new DomainError(decision.code, { field: 'phone' });
    await recordFailure(tx, requestBucket, throttlePolicies.resetCodeRequestsPerIp, meta.now);
    const code = generateNumericCode(smsCodePolicy.digits, (n) => randomInt(n));
    await repo.insertSmsCode(tx, phone, RESET_PURPOSE, codeHash(phone, RESET_PURPOSE, code), meta.now, expiresAt);
    if (await repo.findLiveUserByPhone(tx, phone)) {
      await enqueueMessage(tx, { channel: 'sms', recipient: phone, template: 'auth.password_reset_code', payload: { code, minutes: smsCodePolicy.ttlMs / 60_000 } }, meta.now);
    }
    await writeAudit(tx, { kind: 'anonymous', label: maskPhone(phone) }, meta, {
      action: 'auth.password_reset_requested', entityType: 'phone', entityId: maskPhone(phone), after: { expiresAt },
    });
  });
  return { expiresAt: expiresAt.toISOString(), resendAfterSeconds: smsCodePolicy.resendAfterMs / 1000 };
}

type ResetOutcome =
  | { kind: 'invalid' }
  | { kind: 'weak'; refusal: NonNullable<ReturnType<typeof decideNewPassword>> }
  | { kind: 'done'; userId: string; sessionsEnded: number; at: Date };

/**
 * Issue 18: sets a new password with the phone's newest reset code. The code
 * is single-use (consumed by the reset) and expires after 5 minutes; a wrong
 * one counts toward the code's 5 guesses and the account's and the address's
 * sign-in lockout, with the same warning and lock texts as sign-in, and the
 * same answer for a phone without an account. The new password follows the
 * sign-up policy, checked only once the code proved the phone (so its
 * "contains your ID number" cannot be used to probe the registry); a refused
 * password does not use the code up, but counts as one of its 5 uses. The
 * reset ends the account's other sessions — every one, unless the request
 * comes from a session of the same account — audits, and tells the phone.
 */
export async function resetPassword(
  deps: Deps, input: { phone: string; smsCode: string; newPassword: string }, meta: Meta, current?: { userId: string; sessionId: string },
): Promise<{ resetAt: string; sessionsEnded: number }> {
  const { phone } = input;
  const accountBucket = userBucket(phone);
  const ipBucket = `ip:${meta.ip}`;
  await throttled(deps, [accountBucket, ipBucket], meta.now, 'smsCode');
  const outcome = await deps.sql.begin(async (tx): Promise<ResetOutcome> => {
    const row = await repo.lockLatestSmsCode(tx, phone, RESET_PURPOSE);
    if (!row || row.consumed_at || row.expires_at <= meta.now || row.attempts >= smsCodePolicy.maxAttempts) return { kind: 'invalid' };
    const a = Buffer.from(row.code_hash, 'hex');
    const b = Buffer.from(codeHash(phone, RESET_PURPOSE, input.smsCode), 'hex');
    const user = a.length === b.length && timingSafeEqual(a, b) ? await repo.lockLiveUserByPhone(tx, phone) : undefined;
    if (!user) {
      await repo.markSmsAttempt(tx, row.id, null);
      return { kind: 'invalid' };
    }
    const weak = decideNewPassword(input.newPassword, personalWords({ phone, name: user.name, idNumber: user.id_number }));
    if (weak) {
      await repo.markSmsAttempt(tx, row.id, null);
      return { kind: 'weak', refusal: weak };
    }
    const hash = await hashPassword(input.newPassword);
    await repo.markSmsAttempt(tx, row.id, meta.now);
    await repo.setUserPassword(tx, user.id, hash);
    const sessionsEnded = current?.userId === user.id
      ? await invalidateOtherSessions(tx, 'user', user.id, current.sessionId)
      : await invalidateAllSessions(tx, 'user', user.id);
    await clearFailures(tx, accountBucket);
    await writeAudit(tx, { kind: 'user', id: user.id, label: maskPhone(phone), authorityId: user.authority_id }, meta, {
      action: 'auth.password_reset', entityType: 'user_account', entityId: user.id, after: { by: 'sms_code', otherSessionsEnded: sessionsEnded },
    });
    await enqueueMessage(tx, { channel: 'sms', recipient: phone, template: 'auth.password_reset_done', payload: {} }, meta.now);
    return { kind: 'done', userId: user.id, sessionsEnded, at: meta.now };
  });
  if (outcome.kind === 'weak') throw refuse(outcome.refusal, 'newPassword');
  if (outcome.kind === 'invalid') {
    const params = await failSignIn(deps, accountBucket, ipBucket, meta, maskPhone(phone), 'anonymous', null, 'auth.password_reset_failed');
    throw new DomainError('auth.sms_code_invalid', withParams(params, 'smsCode'));
  }
  return { resetAt: outcome.at.toISOString(), sessionsEnded: outcome.sessionsEnded };
}

function totpMatches(key: Uint8Array, code: string, now: Date): number | null {
  for (const step of acceptableTotpSteps(now)) {
    if (generateHOTP(key, BigInt(step), 6) === code) return step;
  }
  return null;
}

/** A code of the member's enabled key, used once: a step at or before the last used one is a replay. */
async function useTotpCode(tx: Db, staff: repo.StaffRow, code: string, now: Date): Promise<boolean> {
  if (!staff.totp_enabled || !staff.totp_key) return false;
  const step = totpMatches(new Uint8Array(staff.totp_key), code, now);
  return step !== null && (await repo.useTotpStep(tx, staff.id, step));
}

/** The sign-in throttle's bucket of a staff account (platform/throttle.ts). */
export const staffBucket = (username: string) => `staff:${username.toLowerCase()}`;
const staffLabel = (s: Pick<repo.StaffRow, 'display_name' | 'username'>) => `${s.display_name}(${s.username})`;

/**
 * A wrong second factor counts toward the account's and the IP's lockout
 * exactly like a wrong password (same buckets, same thresholds; issue 17).
 * Committed on its own, after the refused attempt rolled back.
 */
async function failSecondFactor(deps: Deps, staff: repo.StaffRow, meta: RequestMeta, action: string) {
  await deps.sql.begin(async (tx) => {
    await recordFailure(tx, staffBucket(staff.username), throttlePolicies.account, meta.now);
    await recordFailure(tx, `ip:${meta.ip}`, throttlePolicies.ip, meta.now);
    await writeAudit(tx, { kind: 'staff', id: staff.id, label: staffLabel(staff), authorityId: staff.authority_id }, meta, {
      action, entityType: 'staff_member', entityId: staff.id, after: { factor: 'totp' },
    });
  });
}

export type StaffDto = {
  id: string; username: string; displayName: string; roles: repo.StaffRow['roles']; authorityId: string; authorityName: string; totpEnabled: boolean;
  totpEnrolmentRequired: boolean;
};
export const staffDto = (s: repo.StaffRow): StaffDto => ({
  id: s.id, username: s.username, displayName: s.display_name, roles: s.roles, authorityId: s.authority_id, authorityName: s.authority_name, totpEnabled: s.totp_enabled,
  totpEnrolmentRequired: !s.totp_enabled,
});

/**
 * Staff sign-in: password, then the second factor (等保 level 3). A member who
 * has not enrolled one yet gets an enrolment session, which opens nothing but
 * the enrolment (http/auth.ts `requireStaff`; issue 17). Wrong codes count
 * toward the lockout like wrong passwords.
 */
export async function staffSignIn(
  deps: Deps, input: { username: string; password: string; totp?: string | undefined }, meta: Meta, previousSessionId?: string,
): Promise<{ staff: StaffDto; token: string; expiresAt: Date }> {
  const accountBucket = staffBucket(input.username);
  const ipBucket = `ip:${meta.ip}`;
  await throttled(deps, [accountBucket, ipBucket], meta.now);
  const staff = await repo.findStaffByUsername(deps.sql, input.username);
  const ok = await verifyPassword(staff?.password_hash ?? null, input.password);
  if (!staff || !ok) {
    const params = await failSignIn(deps, accountBucket, ipBucket, meta, input.username.slice(0, 64), staff ? 'staff' : 'anonymous', staff?.id ?? null);
    throw new DomainError('auth.invalid_credentials', withParams(params));
  }
  if (staff.status !== 'active') throw new DomainError('auth.account_disabled');
  if (staff.totp_enabled && !input.totp) throw new DomainError('auth.totp_required');
  const signedIn = await deps.sql.begin(async (tx) => {
    if (staff.totp_enabled && !(await useTotpCode(tx, staff, input.totp!, meta.now))) return null;
    if (previousSessionId) await invalidateSession(tx, previousSessionId);
    await clearFailures(tx, accountBucket);
    const { token, session } = await createSession(tx, 'staff', staff.id, meta.now, meta);
    await writeAudit(tx, { kind: 'staff', id: staff.id, label: staffLabel(staff), authorityId: staff.authority_id }, meta, {
      action: 'auth.staff_signed_in', entityType: 'staff_member', entityId: staff.id,
      after: { secondFactor: staff.totp_enabled, enrolmentOnly: !staff.totp_enabled, idleExpiresAt: session.idle_expires_at },
    });
    return { staff: staffDto(staff), token, expiresAt: session.absolute_expires_at };
  });
  if (!signedIn) {
    await failSecondFactor(deps, staff, meta, 'auth.sign_in_failed');
    throw new DomainError('auth.totp_invalid', { field: 'totp' });
  }
  return signedIn;
}

/**
 * Starts enrolling a second factor: a new key, shown once, that takes effect
 * only when a code from it confirms it ({@link confirmTotpSetup}). A member
 * who has one already replaces it only with the current password and a
 * current code (wrong ones count toward the lockout); until the new key is
 * confirmed the current one keeps working, so nothing here turns it off.
 */
export async function beginTotpSetup(deps: Deps, actor: Actor & { kind: 'staff' }, input: { password?: string | undefined; code?: string | undefined }, meta: RequestMeta) {
  const current = await repo.findStaffById(deps.sql, actor.id);
  if (!current) throw new DomainError('auth.required');
  if (current.totp_enabled) {
    if (!input.password || !input.code) throw new DomainError('auth.totp_reauth_required', { field: input.password ? 'code' : 'password' });
    await throttled(deps, [staffBucket(current.username), `ip:${meta.ip}`], meta.now);
    const passwordOk = await verifyPassword(current.password_hash, input.password);
    const code = input.code;
    const codeOk = passwordOk && (await deps.sql.begin((tx) => useTotpCode(tx, current, code, meta.now)));
    if (!codeOk) {
      await failSecondFactor(deps, current, meta, 'auth.totp_reauth_failed');
      throw new DomainError('auth.reauth_invalid');
    }
  }
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return deps.sql.begin(async (tx) => {
    const staff = await repo.findStaffById(tx, actor.id, true);
    if (!staff) throw new DomainError('auth.required');
    // enrolled in another tab meanwhile: replacing needs the factors above
    if (staff.totp_enabled && !current.totp_enabled) throw new DomainError('auth.totp_reauth_required', { field: 'password' });
    await repo.setPendingTotpKey(tx, staff.id, key);
    await writeAudit(tx, actor, meta, {
      action: 'auth.totp_setup_started', entityType: 'staff_member', entityId: staff.id,
      before: { totpEnabled: staff.totp_enabled }, after: { totpEnabled: staff.totp_enabled, pending: true },
    });
    const otpauthUri = createTOTPKeyURI('交管业务管理', staff.username, key, 30, 6);
    return { secretBase32: encodeBase32UpperCaseNoPadding(key), otpauthUri, qrDataUrl: await qrDataUrl(otpauthUri) };
  });
}

/** The otpauth:// link as a QR code an authenticator app scans (an SVG data URL: no request leaves the page). */
async function qrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * Confirms the pending key with a code from it: it becomes the second factor
 * (replacing the old one, if any), and every other session of the member ends —
 * only the session that proved the new key stays. Wrong codes count toward
 * the lockout.
 */
export async function confirmTotpSetup(deps: Deps, actor: Actor & { kind: 'staff' }, sessionId: string, code: string, meta: RequestMeta) {
  const current = await repo.findStaffById(deps.sql, actor.id);
  if (!current) throw new DomainError('auth.required');
  await throttled(deps, [staffBucket(current.username), `ip:${meta.ip}`], meta.now);
  const confirmed = await deps.sql.begin(async (tx) => {
    const staff = await repo.findStaffById(tx, actor.id, true);
    if (!staff || !staff.totp_pending_key) throw new DomainError('auth.totp_not_pending');
    const step = totpMatches(new Uint8Array(staff.totp_pending_key), code, meta.now);
    if (step === null) return false;
    await repo.enablePendingTotp(tx, staff.id, step);
    const ended = await invalidateOtherSessions(tx, 'staff', staff.id, sessionId);
    await writeAudit(tx, actor, meta, {
      action: staff.totp_enabled ? 'auth.totp_replaced' : 'auth.totp_enabled', entityType: 'staff_member', entityId: staff.id,
      before: { totpEnabled: staff.totp_enabled }, after: { totpEnabled: true, otherSessionsEnded: ended },
    });
    return true;
  });
  if (!confirmed) {
    await failSecondFactor(deps, current, meta, 'auth.totp_confirm_failed');
    throw new DomainError('auth.totp_invalid', { field: 'code' });
  }
}
