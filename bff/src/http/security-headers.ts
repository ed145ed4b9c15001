import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './context.ts';
import type { Config } from '../env.ts';

/**
 * Security headers on everything the bff serves (Hono's `secureHeaders`,
 * ADR-023): a Content-Security-Policy without inline or eval'd scripts and
 * with `frame-ancestors 'none'`, `X-Content-Type-Options: nosniff` (file
 * downloads and uploads included), `Referrer-Policy: no-referrer`,
 * `X-Frame-Options: DENY`, and HSTS only when the platform is served over TLS
 * (`COOKIE_SECURE`). Three policies, by what is served:
 *
 * - the API (JSON, problem+json, files): nothing may load or run at all;
 * - the API reference (/api/docs, swagger-ui): its own scripts and styles;
 * - the staff console (/admin/): its own scripts; styles may be inline, since
 *   MUI (emotion) writes them at run time.
 */
const base = { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] };
const page = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

export function securityHeaders(config: Pick<Config, 'COOKIE_SECURE'>): MiddlewareHandler<AppEnv> {
  const common = {
    strictTransportSecurity: config.COOKIE_SECURE ? 'max-age=31536000; includeSubDomains' : false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
  } as const;
  const api = secureHeaders({ ...common, contentSecurityPolicy: base });
  const docs = secureHeaders({ ...common, contentSecurityPolicy: page });
  const admin = secureHeaders({ ...common, contentSecurityPolicy: { ...page, manifestSrc: ["'self'"] } });
  return (c, next) => {
    const p = c.req.path;
    if (p === '/admin' || p.startsWith('/admin/')) return admin(c, next);
    if (p === '/api/docs' || p.startsWith('/api/docs/')) return docs(c, next);
    return api(c, next);
  };
}
