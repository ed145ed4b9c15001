import type { StaffRole } from '../../core/context.ts';
import type { Db } from '../../db.ts';

export type StaffRow = {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: StaffRole[];
  authority_id: string;
  authority_name: string;
  totp_key: Buffer | null;
  totp_enabled: boolean;
  totp_last_step: number | null;
  /** a key waiting for the code that confirms it (enrolment, re-enrolment) */
  totp_pending_key: Buffer | null;
  status: 'active' | 'disabled';
};

export async function findStaffByUsername(db: Db, username: string): Promise<StaffRow | undefined> {
  const [row] = await db<StaffRow[]>`
    SELECT s.id, s.username, s.display_name, s.password_hash, s.roles, s.authority_id, a.name AS authority_name,
           s.totp_key, s.totp_enabled, s.totp_last_step, s.totp_pending_key, s.status
    FROM staff_member s JOIN authority a ON a.id = s.authority_id
    WHERE s.username = ${username}`;
  return row;
}

export async function findStaffById(db: Db, id: string, forUpdate = false): Promise<StaffRow | undefined> {
  const lock = forUpdate ? db`FOR UPDATE OF s` : db``;
  const [row] = await db<StaffRow[]>`
    SELECT s.id, s.username, s.display_name, s.password_hash, s.roles, s.authority_id, a.name AS authority_name,
           s.totp_key, s.totp_enabled, s.totp_last_step, s.totp_pending_key, s.status
    FROM staff_member s JOIN authority a ON a.id = s.authority_id
    WHERE s.id = ${id} ${lock}`;
  return row;
}

/**
 * Records the used TOTP step; refuses the last one and the two before it
 * (replay). A code is accepted one step either side of the clock, so on a
 * clock that only moves forward no step older than that is ever accepted
 * again and this is the same as refusing every step up to the last; it also
 * lets a member sign in after the clock was set back (the development clock
 * that e2e moves, an NTP correction) instead of locking them out until it
 * catches up.
 */
export async function useTotpStep(db: Db, staffId: string, step: number): Promise<boolean> {
  const rows = await db`
    UPDATE staff_member SET totp_last_step = ${step}
    WHERE id = ${staffId} AND (totp_last_step IS NULL OR totp_last_step < ${step} OR totp_last_step - 2 > ${step})
    RETURNING id`;
  return rows.length > 0;
}

/** A new key waits for its confirming code; an enabled key keeps working until then. */
export async function setPendingTotpKey(db: Db, staffId: string, key: Uint8Array) {
  await db`UPDATE staff_member SET totp_pending_key = ${Buffer.from(key)} WHERE id = ${staffId}`;
}

/** The pending key, confirmed by a code of step `step`, becomes the second factor. */
export async function enablePendingTotp(db: Db, staffId: string, step: number) {
  await db`UPDATE staff_member SET totp_key = totp_pending_key, totp_pending_key = NULL, totp_enabled = true, totp_last_step = ${step}
    WHERE id = ${staffId} AND totp_pending_key IS NOT NULL`;
}

/** No second factor any more: the member enrols again at the next sign-in. */
export async function resetTotp(db: Db, staffId: string) {
  await db`UPDATE staff_member SET totp_key = NULL, totp_enabled = false, totp_pending_key = NULL, totp_last_step = NULL WHERE id = ${staffId}`;
}

export type StaffAccountRow = {
  id: string; username: string; display_name: string; roles: StaffRow['roles']; authority_id: string; authority_name: string;
  station_name: string | null; organisation_name: string | null; status: 'active' | 'disabled';
  totp_enabled: boolean; totp_pending: boolean; created_at: Date;
};

export type StaffAccountFilter = { q?: string | undefined; role?: string | undefined; authorityId?: string | undefined; totpEnabled?: boolean | undefined; id?: string[] | undefined };

const STAFF_ACCOUNT_SORT: Record<string, string> = { username: 's.username', displayName: 's.display_name', authorityId: 's.authority_id', createdAt: 's.created_at' };
export const staffAccountSortable = Object.keys(STAFF_ACCOUNT_SORT);

/** Staff accounts with their posts, city and second-factor state (never a key). */
export async function listStaffAccounts(
  db: Db, f: StaffAccountFilter, page: { sortField: string; sortDesc: boolean; offset: number; limit: number },
): Promise<{ rows: StaffAccountRow[]; total: number }> {
  const where = [db`TRUE`];
  if (f.q) where.push(db`(s.username ILIKE ${'%' + f.q + '%'} OR s.display_name ILIKE ${'%' + f.q + '%'})`);
  if (f.role) where.push(db`${f.role} = ANY(s.roles)`);
  if (f.authorityId) where.push(db`s.authority_id = ${f.authorityId}`);
  if (f.totpEnabled !== undefined) where.push(db`s.totp_enabled = ${f.totpEnabled}`);
  if (f.id) where.push(db`s.id::text = ANY(${f.id})`);
  const cond = where.reduce((a, b) => db`${a} AND ${b}`);
  const order = db.unsafe(`${STAFF_ACCOUNT_SORT[page.sortField] ?? 's.username'} ${page.sortDesc ? 'DESC' : 'ASC'}, s.id`);
  const rows = await db<(StaffAccountRow & { total: number })[]>`
    SELECT s.id, s.username, s.display_name, s.roles, s.authority_id, a.name AS authority_name,
           st.name AS station_name, o.name AS organisation_name, s.status,
           s.totp_enabled, s.totp_pending_key IS NOT NULL AS totp_pending, s.created_at,
           count(*) OVER ()::int AS total
    FROM staff_member s
    JOIN authority a ON a.id = s.authority_id
    LEFT JOIN inspection_station st ON st.id = s.station_id
    LEFT JOIN organisation o ON o.id = s.organisation_id
    WHERE ${cond}
    ORDER BY ${order}
    LIMIT ${page.limit} OFFSET ${page.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export type UserAuthRow = { id: string; password_hash: string | null; status: 'active' | 'suspended' | 'cancelled'; authority_id: string | null };

export async function findLiveUserByPhone(db: Db, phone: string): Promise<UserAuthRow | undefined> {
  const [row] = await db<UserAuthRow[]>`
    SELECT id, password_hash, status, authority_id FROM user_account WHERE phone = ${phone} AND status <> 'cancelled'`;
  return row;
}

export async function setUserStatus(db: Db, id: string, status: 'active' | 'suspended') {
  await db`UPDATE user_account SET status = ${status} WHERE id = ${id}`;
}

export async function recentSmsSends(db: Db, phone: string, since: Date): Promise<Date[]> {
  const rows = await db<{ created_at: Date }[]>`
    SELECT created_at FROM sms_code WHERE phone = ${phone} AND created_at > ${since} ORDER BY created_at DESC`;
  return rows.map((r) => r.created_at);
}

export async function insertSmsCode(db: Db, phone: string, purpose: string, codeHash: string, now: Date, expiresAt: Date) {
  await db`INSERT INTO sms_code (phone, purpose, code_hash, created_at, expires_at) VALUES (${phone}, ${purpose}, ${codeHash}, ${now}, ${expiresAt})`;
}

/**
 * The newest code of a phone for a purpose, locked so concurrent attempts
 * count one by one. Only the newest counts: once it is used, expired or
 * burnt, an earlier one does not come back (issue 17).
 */
export async function lockLatestSmsCode(db: Db, phone: string, purpose: string) {
  const [row] = await db<{ id: string; code_hash: string; attempts: number; consumed_at: Date | null; expires_at: Date }[]>`
    SELECT id, code_hash, attempts, consumed_at, expires_at FROM sms_code
    WHERE phone = ${phone} AND purpose = ${purpose}
    ORDER BY created_at DESC LIMIT 1 FOR UPDATE`;
  return row;
}

export async function markSmsAttempt(db: Db, id: string, consumedAt: Date | null) {
  await db`UPDATE sms_code SET attempts = attempts + 1, consumed_at = ${consumedAt} WHERE id = ${id}`;
}

/** A live account by its phone, locked, with what its password must not be built from (issue 18: password reset). */
export type ResetTargetRow = { id: string; phone: string; status: 'active' | 'suspended'; authority_id: string | null; name: string | null; id_number: string | null };

export async function lockLiveUserByPhone(db: Db, phone: string): Promise<ResetTargetRow | undefined> {
  const [row] = await db<ResetTargetRow[]>`
    SELECT ua.id, ua.phone, ua.status, ua.authority_id, COALESCE(o.name, p.name) AS name, COALESCE(o.uscc, p.id_number) AS id_number
    FROM user_account ua
    LEFT JOIN person p ON p.id = ua.person_id
    LEFT JOIN organisation o ON o.id = ua.organisation_id
    WHERE ua.phone = ${phone} AND ua.status <> 'cancelled'
    FOR UPDATE OF ua`;
  return row;
}

export async function setUserPassword(db: Db, userId: string, hash: string) {
  await db`UPDATE user_account SET password_hash = ${hash} WHERE id = ${userId}`;
}
