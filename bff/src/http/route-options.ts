import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from './context.ts';

/**
 * What a route declared about itself through its middleware (ADR-022), read by
 * the API-wide middleware that must act before the route's own: a deferred
 * session (`requireUser({ deferred: true })`), an atomic Idempotency-Key
 * (`idempotency({ atomic: true })`), a file body with its limit
 * (`binaryUpload`). A marker is a property on the middleware function.
 */
export type RouteOptions = {
  deferredSession?: true;
  atomicIdempotency?: true;
  /** The answer holds personal data that must not be kept: an Idempotency-Key is not stored (`idempotency({ store: false })`). */
  unstoredAnswer?: true;
  binaryBody?: { limit: MiddlewareHandler<AppEnv> };
  /** The route has a guard (http/auth.ts): a caller without a session is refused by it. */
  guarded?: true;
};

const seen = new WeakMap<Context, RouteOptions>();

/** The matched route's options, worked out once per request. */
export function routeOptions(c: Context<AppEnv>): RouteOptions {
  let o = seen.get(c);
  if (!o) {
    o = {};
    for (const r of matchedRoutes(c)) {
      const h = r.handler as RouteOptions;
      if (h.deferredSession) o.deferredSession = true;
      if (h.atomicIdempotency) o.atomicIdempotency = true;
      if (h.unstoredAnswer) o.unstoredAnswer = true;
      if (h.binaryBody) o.binaryBody = h.binaryBody;
      if ((h as { guard?: unknown }).guard) o.guarded = true;
    }
    seen.set(c, o);
  }
  return o;
}
