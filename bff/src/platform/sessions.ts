import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db, Sql, SqlFragment } from '../db.ts';
import { groupCommitFor } from './group-commit.ts';
import type { Actor, StaffPrincipal, StaffRole, UserPrincipal } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { maskName } from './check-digits.ts';

/**
 * Sessions after lucia's published design: a random token lives only in the
 * browser's httpOnly cookie; the table keys the session by hex(sha256(token)),
 * so a database leak does not leak usable tokens. Idle expiry slides, the
 * absolute expiry does not. See docs/decisions/003-sessions.md.
 */
export type PrincipalKind = 'user' | 'staff';

export const sessionPolicy: Record<PrincipalKind, { idleMs: number; absoluteMs: number; cookie: string }> = {
  user: { idleMs: 7 * 24 * 3600_000, absoluteMs: 30 * 24 * 3600_000, cookie: 'jg_session' },
  // Staff consoles lock sooner (等保 level 3 asks short idle timeouts for administrators).
  staff: { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000, cookie: 'jg_staff_session' },
};

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  // Node's native SHA-256 (the same digest as lucia's JS one; every signed-in request hashes its token).
  return createHash('sha256').update(token).digest('hex');
}

export type SessionRow = {
  id: string;
  principal_kind: PrincipalKind;
  principal_id: string;
  idle_expires_at: Date;
  absolute_expires_at: Date;
};

export async function createSession(
  tx: Db,
  kind: PrincipalKind,
  principalId: string,
  now: Date,
  meta: { ip: string; userAgent: string | null },
): Promise<{ token: string; session: SessionRow }> {
  const token = generateSessionToken();
  const id = sessionIdFromToken(token);
  const p = sessionPolicy[kind];
  const idle = new Date(now.getTime() + p.idleMs);
  const absolute = new Date(now.getTime() + p.absoluteMs);
  await tx`
    INSERT INTO session (id, principal_kind, principal_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent)
    VALUES (${id}, ${kind}, ${principalId}, ${now}, ${now}, ${idle}, ${absolute}, ${meta.ip}, ${meta.userAgent?.slice(0, 300) ?? null})`;
  return { token, session: { id, principal_kind: kind, principal_id: principalId, idle_expires_at: idle, absolute_expires_at: absolute } };
}

/**
 * Returns the live session for a token, extending the idle expiry when less
 * than half of the idle window is left (one write per half window, not per request).
 */
export async function validateSessionToken(sql: Db, kind: PrincipalKind, token: string, now: Date): Promise<SessionRow | null> {
  const id = sessionIdOf(token);
  if (!id) return null;
  const [s] = await sql<SessionRow[]>`
    SELECT id, principal_kind, principal_id, idle_expires_at, absolute_expires_at
    FROM session WHERE id = ${id} AND principal_kind = ${kind}`;
  if (!s) return null;
  return keepAlive(sql, kind, s, now);
}

export type SessionUser = { id: string; name: string; status: string };

/** A session's id from a cookie's token, or null when the token cannot be one of ours. */
export function sessionIdOf(token: string): string | null {
  return /^[a-z2-7]{32}$/.test(token) ? sessionIdFromToken(token) : null;
}

/** A citizen's session joined with her account: one row, or none. */
export type UserSessionRow = SessionRow & { user_id: string | null; user_name: string | null; user_status: string | null };

/**
 * The statement that finds a citizen's session with her account. Run on its
 * own by {@link validateUserSessionToken}; or inlined as a CTE into a
 * service's first statement on an endpoint with a deferred session
 * (http/auth.ts, ADR-017), whose JSON row {@link userSessionFromJson} reads back.
 */
export function userSessionQuery(db: Db, sessionId: string | SqlFragment) {
  return db`SELECT s.id, s.principal_kind, s.principal_id, s.idle_expires_at, s.absolute_expires_at,
           ua.id AS user_id, COALESCE(o.name, p.name) AS user_name, ua.status AS user_status
    FROM session s
    LEFT JOIN user_account ua ON ua.id = s.principal_id
    LEFT JOIN person p ON p.id = ua.person_id
    LEFT JOIN organisation o ON o.id = ua.organisation_id
    WHERE s.id = ${sessionId} AND s.principal_kind = 'user'`;
}

/** {@link UserSessionRow} from `to_json` of the CTE (timestamps arrive as text). */
export function userSessionFromJson(j: Record<string, unknown> | null): UserSessionRow | null {
  if (!j) return null;
  return {
    ...(j as unknown as UserSessionRow),
    idle_expires_at: new Date(j.idle_expires_at as string),
    absolute_expires_at: new Date(j.absolute_expires_at as string),
  };
}

/**
 * A citizen's session and her account in one round trip (every signed-in API
 * request starts here): the same checks as {@link validateSessionToken}.
 * `user` is null when the account row is gone. The read may go to the pool of
 * short reads (`reads`); the rare expiry or slide writes go to `sql`.
 */
export async function validateUserSessionToken(
  sql: Db, token: string, now: Date, reads: Db = sql, batched?: Sql,
): Promise<{ session: SessionRow; user: SessionUser | null } | null> {
  const id = sessionIdOf(token);
  if (!id) return null;
  const row = batched ? await sessionReadBatcher(batched).submit(id) : (await reads<UserSessionRow[]>`${userSessionQuery(reads, id)}`)[0];
  return row ? settleUserSession(sql, row, now) : null;
}

/**
 * The sessions of many requests in ONE statement (issue 23, ADR-040 "Reads"):
 * {@link userSessionQuery} with each id taken from its row of the input. A
 * read, lock-free; the slide or expiry each request may then need is still
 * written by that request ({@link settleUserSession}). One entry per id, in order.
 * `LIMIT 1` keeps the lateral a lookup by key per id (ADR-040 "Batched reads
 * look up by key"): flattened, the planner hashes the ids and scans the table.
 */
export async function userSessionsBatch(reads: Db, ids: string[]): Promise<(UserSessionRow | null)[]> {
  const rows = await reads<(UserSessionRow & { n: number })[]>`
    SELECT i.n::int AS n, s.*
    FROM jsonb_array_elements_text(${reads.json(ids)}) WITH ORDINALITY AS i(sid, n)
    JOIN LATERAL (${userSessionQuery(reads, reads`i.sid`)} LIMIT 1) s ON true`;
  const out: (UserSessionRow | null)[] = ids.map(() => null);
  for (const { n, ...r } of rows) out[n - 1] = r;
  return out;
}

/** Every signed-in citizen request's session read, batched per process and read pool (with GROUP_COMMIT). */
const sessionReadBatcher = (reads: Sql) =>
  groupCommitFor<string, UserSessionRow | null>(reads, 'sessions.user', () => ({
    run: (ids) => userSessionsBatch(reads, ids),
    windowMs: 2,
    maxBatch: 64,
    maxInFlight: 4,
  }));

/** A found citizen's session: expired → deleted (null), else slid if due, with her account (null when gone). */
export async function settleUserSession(sql: Db, row: UserSessionRow, now: Date): Promise<{ session: SessionRow; user: SessionUser | null } | null> {
  const { user_id, user_name, user_status, ...session } = row;
  const live = await keepAlive(sql, 'user', session, now);
  if (!live) return null;
  return { session: live, user: user_id ? { id: user_id, name: user_name ?? '', status: user_status ?? '' } : null };
}

/** Expired → deleted (null); less than half the idle window left → slid. */
async function keepAlive(sql: Db, kind: PrincipalKind, s: SessionRow, now: Date): Promise<SessionRow | null> {
  if (now >= s.idle_expires_at || now >= s.absolute_expires_at) {
    await sql`DELETE FROM session WHERE id = ${s.id}`;
    return null;
  }
  const p = sessionPolicy[kind];
  if (s.idle_expires_at.getTime() - now.getTime() < p.idleMs / 2) {
    const idle = new Date(Math.min(now.getTime() + p.idleMs, s.absolute_expires_at.getTime()));
    await sql`UPDATE session SET idle_expires_at = ${idle}, last_seen_at = ${now} WHERE id = ${s.id}`;
    s.idle_expires_at = idle;
  }
  return s;
}

export async function invalidateSession(sql: Db, id: string): Promise<void> {
  await sql`DELETE FROM session WHERE id = ${id}`;
}

export async function invalidateAllSessions(sql: Db, kind: PrincipalKind, principalId: string): Promise<number> {
  const rows = await sql`DELETE FROM session WHERE principal_kind = ${kind} AND principal_id = ${principalId} RETURNING id`;
  return rows.length;
}

/** Ends every session of a principal but `keepSessionId` (the one making a password or phone change; issue 17). */
export async function invalidateOtherSessions(sql: Db, kind: PrincipalKind, principalId: string, keepSessionId: string): Promise<number> {
  const rows = await sql`DELETE FROM session WHERE principal_kind = ${kind} AND principal_id = ${principalId} AND id <> ${keepSessionId} RETURNING id`;
  return rows.length;
}

export function sessionCookie(kind: PrincipalKind, token: string, expires: Date, secure: boolean): string {
  const p = sessionPolicy[kind];
  const parts = [`${p.cookie}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Expires=${expires.toUTCString()}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearSessionCookie(kind: PrincipalKind, secure: boolean): string {
  const parts = [`${sessionPolicy[kind].cookie}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0'];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * A readable, non-secret tag of the signed-in user for the web app's offline
 * outbox: requests queued on a shared device are replayed only while the same
 * user is signed in. Not a credential (the session cookie stays httpOnly).
 */
export function ownerTag(userId: string): string {
  return createHash('sha256').update(`owner:${userId}`).digest('hex').slice(0, 16);
}

export function ownerCookie(userId: string, expires: Date, secure: boolean): string {
  const parts = [`jg_owner=${ownerTag(userId)}`, 'Path=/', 'SameSite=Lax', `Expires=${expires.toUTCString()}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearOwnerCookie(secure: boolean): string {
  return ['jg_owner=', 'Path=/', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}

// ---------------------------------------------------------------------------
// Who a session stands for (the HTTP layer only reads the cookies: http/auth.ts)
// ---------------------------------------------------------------------------

/** A citizen is signed in when her session is live and her account not cancelled. */
const signedIn = (u: SessionUser | null | undefined): u is SessionUser => !!u && u.status !== 'cancelled';
const citizenActor = (u: SessionUser): Actor & { kind: 'user' } => ({ kind: 'user', id: u.id, label: maskName(u.name) });

/** The signed-in citizen of a session token, or null (session and account in one round trip). */
export async function citizenOfToken(sql: Db, token: string, now: Date, reads: Db = sql, batched?: Sql): Promise<UserPrincipal | null> {
  const s = await validateUserSessionToken(sql, token, now, reads, batched);
  return s && signedIn(s.user) ? { ...citizenActor(s.user), sessionId: s.session.id } : null;
}

/** The active staff member of a staff session token, or null. */
export async function staffOfToken(sql: Db, token: string, now: Date): Promise<StaffPrincipal | null> {
  const s = await validateSessionToken(sql, 'staff', token, now);
  if (!s) return null;
  const [m] = await sql<{ id: string; display_name: string; username: string; roles: StaffRole[]; authority_id: string; station_id: string | null; organisation_id: string | null; status: string; totp_enabled: boolean }[]>`
    SELECT id, display_name, username, roles, authority_id, station_id, organisation_id, status, totp_enabled FROM staff_member WHERE id = ${s.principal_id}`;
  if (!m || m.status !== 'active') return null;
  return {
    kind: 'staff', id: m.id, sessionId: s.id, label: `${m.display_name}(${m.username})`,
    roles: m.roles, authorityId: m.authority_id, stationId: m.station_id, organisationId: m.organisation_id,
    totpEnrolled: m.totp_enabled,
  };
}

/**
 * The citizen of a deferred session (ADR-017), from the session row the
 * service's first statement read ({@link userSessionQuery} → `to_json`): the
 * same rules as {@link citizenOfToken} — no such session, expired (deleted
 * here) or a cancelled account → 401; the idle expiry slides as usual.
 */
export async function deferredCitizen(sql: Db, session: Record<string, unknown> | null, now: Date): Promise<Actor & { kind: 'user' }> {
  const row = userSessionFromJson(session);
  const s = row && (await settleUserSession(sql, row, now));
  if (!s || !signedIn(s.user)) throw new DomainError('auth.required');
  return citizenActor(s.user);
}
