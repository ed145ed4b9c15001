import type { Context, MiddlewareHandler } from 'hono';
import { routeOptions } from './route-options.ts';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from './context.ts';
import { readsOf, type StaffRole } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { citizenOfToken, sessionIdOf, sessionPolicy, staffOfToken } from '../platform/sessions.ts';

/**
 * Loads the principal of a session cookie, if any. Citizens and staff have
 * separate cookies (cookies ignore ports, so on localhost both apps share a jar).
 * On a route declared with `requireUser({ deferred: true })` (ADR-017) only the
 * cookie's token is hashed: the service reads the session in its own first
 * statement and settles it with `deferredCitizen` (platform/sessions.ts)
 * before it decides anything — a release-day loser costs one statement in all.
 */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { sql } = c.get('deps');
    const userToken = getCookie(c, sessionPolicy.user.cookie);
    if (userToken && hasDeferredSession(c)) {
      const id = sessionIdOf(userToken);
      if (id) c.set('deferredSession', id);
    } else if (userToken) {
      // With group commit, the session reads of requests that arrive together go as one statement (ADR-040 "Reads").
      const reads = readsOf(c.get('deps'));
      const user = await citizenOfToken(sql, userToken, c.get('now'), reads, c.get('deps').config.GROUP_COMMIT ? reads : undefined);
      if (user) c.set('user', user);
    }
    const staffToken = getCookie(c, sessionPolicy.staff.cookie);
    if (staffToken && c.req.path.startsWith('/admin-api')) {
      const staff = await staffOfToken(sql, staffToken, c.get('now'));
      if (staff) c.set('staff', staff);
    }
    await next();
  };
}

/**
 * What a guard demands, readable by the authorisation-matrix test. `enrolment`:
 * the route also opens to an enrolment session (a staff member without a second
 * factor yet, issue 17).
 */
export type GuardInfo = { kind: 'user' } | { kind: 'staff'; roles: StaffRole[]; enrolment?: true };
export type Guard = MiddlewareHandler<AppEnv> & { guard: GuardInfo };

/**
 * Citizens only. `deferred: true` leaves the session to the service's first
 * statement (ADR-017): the endpoint must then also store its key atomically,
 * `idempotency({ atomic: true })`, since the key's owner is known only there.
 */
export function requireUser(opts: { deferred?: boolean } = {}): Guard & { deferredSession?: true } {
  const mw: MiddlewareHandler<AppEnv> = async (c, next) => {
    // A deferred session is checked by the service's first statement, before it decides anything.
    if (!c.get('user') && !c.get('deferredSession')) throw new DomainError('auth.required');
    await next();
  };
  return Object.assign(mw, { guard: { kind: 'user' } as const }, opts.deferred ? { deferredSession: true as const } : {});
}

/** Whether the matched route declared `requireUser({ deferred: true })`. */
const hasDeferredSession = (c: Context<AppEnv>) => routeOptions(c).deferredSession === true;

/**
 * Staff only, and only the listed posts (system_admin is not implied: posts are
 * separate duties). A member who has not enrolled a second factor holds only
 * an enrolment session, which every such route refuses with 403
 * `auth.totp_enrolment_required` (GB/T 22239 level 3, issue 17).
 */
export function requireStaff(...roles: StaffRole[]): Guard {
  const mw: MiddlewareHandler<AppEnv> = async (c, next) => {
    const staff = c.get('staff');
    if (!staff) throw new DomainError('auth.required');
    if (!staff.totpEnrolled) throw new DomainError('auth.totp_enrolment_required');
    if (roles.length > 0 && !staff.roles.some((r) => roles.includes(r))) throw new DomainError('auth.forbidden');
    await next();
  };
  return Object.assign(mw, { guard: { kind: 'staff', roles } as GuardInfo });
}

/**
 * Any signed-in staff member, an enrolment session included: only for who-am-I,
 * sign-out and the second factor's own enrolment (issue 17).
 */
export function requireStaffOrEnrolment(): Guard {
  const mw: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!c.get('staff')) throw new DomainError('auth.required');
    await next();
  };
  return Object.assign(mw, { guard: { kind: 'staff', roles: [], enrolment: true } as GuardInfo });
}
