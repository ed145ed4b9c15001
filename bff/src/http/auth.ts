import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from './context.ts';
import { readsOf, type Actor, type StaffPrincipal, type StaffRole } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import {
  sessionIdOf, sessionPolicy, settleUserSession, userSessionFromJson, validateSessionToken, validateUserSessionToken,
  type SessionUser,
} from '../platform/sessions.ts';
import { maskName } from '../platform/check-digits.ts';
import type { Db } from '../db.ts';

/**
 * Endpoints with a deferred session (docs/decisions/017): loadSession only
 * hashes the cookie's token, and the service reads the session in its own
 * first statement ({@link userSessionQuery} as a CTE) and settles it with
 * {@link deferredCitizen} before it decides anything. One statement fewer on
 * the hottest endpoint — a release-day loser costs one statement in all.
 * Such an endpoint also stores its Idempotency-Key with its effect (the key's
 * owner is known only inside that statement).
 */
const DEFERRED = new Set<string>();
export function deferSession(method: string, path: string): void {
  DEFERRED.add(`${method} ${path}`);
}
function hasDeferredSession(method: string, path: string): boolean {
  return DEFERRED.has(`${method} ${path}`);
}

/** A citizen is signed in when her session is live and her account not cancelled. */
const signedIn = (u: SessionUser | null | undefined): u is SessionUser => !!u && u.status !== 'cancelled';
const citizenActor = (u: SessionUser): Actor & { kind: 'user' } => ({ kind: 'user', id: u.id, label: maskName(u.name) });

/**
 * Loads the principal of a session cookie, if any. Citizens and staff have
 * separate cookies (cookies ignore ports, so on localhost both apps share a jar).
 */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { sql } = c.get('deps');
    const reads = readsOf(c.get('deps'));
    const userToken = getCookie(c, sessionPolicy.user.cookie);
    if (userToken && hasDeferredSession(c.req.method, c.req.path)) {
      const id = sessionIdOf(userToken);
      if (id) c.set('deferredSession', id);
    } else if (userToken) {
      // Session and account in one round trip.
      const s = await validateUserSessionToken(sql, userToken, c.get('now'), reads);
      if (s && signedIn(s.user)) c.set('user', { ...citizenActor(s.user), sessionId: s.session.id });
    }
    const staffToken = getCookie(c, sessionPolicy.staff.cookie);
    if (staffToken && c.req.path.startsWith('/admin-api')) {
      const s = await validateSessionToken(sql, 'staff', staffToken, c.get('now'));
      if (s) {
        const [m] = await sql<{ id: string; display_name: string; username: string; roles: StaffRole[]; authority_id: string; station_id: string | null; organisation_id: string | null; status: string }[]>`
          SELECT id, display_name, username, roles, authority_id, station_id, organisation_id, status FROM staff_member WHERE id = ${s.principal_id}`;
        if (m && m.status === 'active') {
          const staff: StaffPrincipal = {
            kind: 'staff',
            id: m.id,
            sessionId: s.id,
            label: `${m.display_name}(${m.username})`,
            roles: m.roles,
            authorityId: m.authority_id,
            stationId: m.station_id,
            organisationId: m.organisation_id,
          };
          c.set('staff', staff);
        }
      }
    }
    await next();
  };
}

/** What a guard demands, readable by the authorisation-matrix test. */
export type GuardInfo = { kind: 'user' } | { kind: 'staff'; roles: StaffRole[] };
export type Guard = MiddlewareHandler<AppEnv> & { guard: GuardInfo };

export function requireUser(): Guard {
  const mw: MiddlewareHandler<AppEnv> = async (c, next) => {
    // A deferred session is checked by the service's first statement, before it decides anything.
    if (!c.get('user') && !c.get('deferredSession')) throw new DomainError('auth.required');
    await next();
  };
  return Object.assign(mw, { guard: { kind: 'user' } as const });
}

/** Staff only, and only the listed posts (system_admin is not implied: posts are separate duties). */
export function requireStaff(...roles: StaffRole[]): Guard {
  const mw: MiddlewareHandler<AppEnv> = async (c, next) => {
    const staff = c.get('staff');
    if (!staff) throw new DomainError('auth.required');
    if (roles.length > 0 && !staff.roles.some((r) => roles.includes(r))) throw new DomainError('auth.forbidden');
    await next();
  };
  return Object.assign(mw, { guard: { kind: 'staff', roles } as GuardInfo });
}

/**
 * The citizen of a deferred session, from the session row the service's first
 * statement read ({@link userSessionQuery} → `to_json`): the same rules as
 * {@link loadSession} — no such session, expired (deleted here) or a cancelled
 * account → 401; the idle expiry slides as usual.
 */
export async function deferredCitizen(sql: Db, session: Record<string, unknown> | null, now: Date): Promise<Actor & { kind: 'user' }> {
  const row = userSessionFromJson(session);
  const s = row && (await settleUserSession(sql, row, now));
  if (!s || !signedIn(s.user)) throw new DomainError('auth.required');
  return citizenActor(s.user);
}
