import type { Deps, IdempotencyContext, StaffPrincipal, UserPrincipal } from '../core/context.ts';
import type { Locale } from '../core/catalog.ts';
import type { Logger } from '../platform/log.ts';

/** The Hono variables of a request. Everything below the routes takes plain values (core/context.ts). */
export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    locale: Locale;
    /** One instant per request, from the injectable clock. */
    now: Date;
    ip: string;
    log: Logger;
    user?: UserPrincipal;
    /** On an endpoint with a deferred session (http/auth.ts deferSession): the id of the cookie's session, not yet read. */
    deferredSession?: string;
    staff?: StaffPrincipal;
    /** Set on endpoints whose service stores the Idempotency-Key with its effect (platform/idempotency.ts). */
    idempotency?: IdempotencyContext;
  };
};

