import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './context.ts';
import type { Config } from '../env.ts';
import { DomainError } from '../core/errors.ts';

const originOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
};

/**
 * State changes sent by a browser from another site are refused with 403
 * `request.cross_site` (ADR-023), by Hono's `csrf` middleware: a request
 * passes when the browser says it is same-origin (`Sec-Fetch-Site`) or when
 * its `Origin` is the web app's, the staff console's or the bff's own.
 *
 * What a cross-site page can send without a CORS preflight (which the bff
 * never grants) is a form or text body, or none at all: exactly what Hono's
 * middleware judges. A JSON or file body needs the preflight, so cannot be
 * sent cross-site at all.
 *
 * A request with neither `Origin` nor `Sec-Fetch-Site` is not a browser's
 * (every current browser sends `Origin` with a POST): web's server calling on
 * behalf of the signed-in citizen, scripts, tests. It passes — the browser
 * request that reached web's server was judged there (SvelteKit's own origin
 * check for forms, and this one for what web relays under `/api`).
 */
export function crossSiteGuard(config: Pick<Config, 'PUBLIC_WEB_URL' | 'PUBLIC_ADMIN_URL'>): MiddlewareHandler<AppEnv> {
  const allowed = new Set([originOf(config.PUBLIC_WEB_URL), originOf(config.PUBLIC_ADMIN_URL)].filter((o): o is string => !!o));
  const check = csrf({
    origin: (origin: string, c: Context) => allowed.has(origin) || origin === new URL(c.req.url).origin,
    secFetchSite: 'same-origin',
  });
  return async (c, next) => {
    if (c.req.header('origin') === undefined && c.req.header('sec-fetch-site') === undefined) return next();
    try {
      await check(c, async () => {});
    } catch (e) {
      if (e instanceof HTTPException && e.status === 403) throw new DomainError('request.cross_site');
      throw e;
    }
    return next();
  };
}
