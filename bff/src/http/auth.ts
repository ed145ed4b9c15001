import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { readsOf, type AppEnv, type StaffPrincipal, type StaffRole } from './context.ts';
import { DomainError } from './errors.ts';
import { sessionPolicy, validateSessionToken, validateUserSessionToken } from '../platform/sessions.ts';
import { maskName } from '../platform/check-digits.ts';

/**
 * Loads the principal of a session cookie, if any. Citizens and staff have
 * separate cookies (cookies ignore ports, so on localhost both apps share a jar).
 */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { sql } = c.get('deps');
    const reads = readsOf(c.get('deps'));
    const userToken = getCookie(c, sessionPolicy.user.cookie);
    if (userToken) {
      // Session and account in one round trip.
      const s = await validateUserSessionToken(sql, userToken, c.get('now'), reads);
      const u = s?.user;
      if (s && u && u.status !== 'cancelled') c.set('user', { kind: 'user', id: u.id, sessionId: s.session.id, label: maskName(u.name) });
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
    if (!c.get('user')) throw new DomainError('auth.required');
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
