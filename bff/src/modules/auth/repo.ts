import type { Db } from '../../db.ts';

export type StaffRow = {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: ('intake' | 'review' | 'archive' | 'station_operator' | 'dealer' | 'system_admin')[];
  authority_id: string;
  authority_name: string;
  totp_key: Buffer | null;
  totp_enabled: boolean;
  totp_last_step: number | null;
  status: 'active' | 'disabled';
};

export async function findStaffByUsername(db: Db, username: string): Promise<StaffRow | undefined> {
  const [row] = await db<StaffRow[]>`
    SELECT s.id, s.username, s.display_name, s.password_hash, s.roles, s.authority_id, a.name AS authority_name,
           s.totp_key, s.totp_enabled, s.totp_last_step, s.status
    FROM staff_member s JOIN authority a ON a.id = s.authority_id
    WHERE s.username = ${username}`;
  return row;
}

export async function findStaffById(db: Db, id: string, forUpdate = false): Promise<StaffRow | undefined> {
  const lock = forUpdate ? db`FOR UPDATE OF s` : db``;
  const [row] = await db<StaffRow[]>`
    SELECT s.id, s.username, s.display_name, s.password_hash, s.roles, s.authority_id, a.name AS authority_name,
           s.totp_key, s.totp_enabled, s.totp_last_step, s.status
    FROM staff_member s JOIN authority a ON a.id = s.authority_id
    WHERE s.id = ${id} ${lock}`;
  return row;
}

/** Records the used TOTP step; refuses a step at or before the last one (replay). */
export async function useTotpStep(db: Db, staffId: string, step: number): Promise<boolean> {
  const rows = await db`
    UPDATE staff_member SET totp_last_step = ${step}
    WHERE id = ${staffId} AND (totp_last_step IS NULL OR totp_last_step < ${step})
    RETURNING id`;
  return rows.length > 0;
}

export async function setPendingTotpKey(db: Db, staffId: string, key: Uint8Array) {
  await db`UPDATE staff_member SET totp_key = ${Buffer.from(key)}, totp_enabled = false WHERE id = ${staffId}`;
}

export async function enableTotp(db: Db, staffId: string, step: number) {
  await db`UPDATE staff_member SET totp_enabled = true, totp_last_step = ${step} WHERE id = ${staffId}`;
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

/** The newest unconsumed, unexpired code, locked so concurrent guesses count one by one. */
export async function lockLatestSmsCode(db: Db, phone: string, purpose: string, now: Date) {
  const [row] = await db<{ id: string; code_hash: string; attempts: number }[]>`
    SELECT id, code_hash, attempts FROM sms_code
    WHERE phone = ${phone} AND purpose = ${purpose} AND consumed_at IS NULL AND expires_at > ${now}
    ORDER BY created_at DESC LIMIT 1 FOR UPDATE`;
  return row;
}

export async function markSmsAttempt(db: Db, id: string, consumedAt: Date | null) {
  await db`UPDATE sms_code SET attempts = attempts + 1, consumed_at = ${consumedAt} WHERE id = ${id}`;
}
