import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { HTTPException } from 'hono/http-exception';
import { getCookie } from 'hono/cookie';
import { router } from './http/openapi.ts';
import type { Deps } from './core/context.ts';
import type { Logger } from './platform/log.ts';
import { DomainError, refusalOfConstraint } from './core/errors.ts';
import { problemBody } from './http/problem.ts';
import { pickLocale } from './core/catalog.ts';
import { loadSession } from './http/auth.ts';
import { idempotencyKeys } from './http/idempotency.ts';
import { platformNow } from './platform/dev-clock.ts';
import { AdmissionGate } from './platform/admission.ts';
import { bodyLimitOf } from './http/body-limit.ts';
import { binaryBodyOf } from './http/uploads.ts';
import { constraintMap, modules } from './modules/index.ts';
import { devRoutes, platformInfoRoutes } from './http/dev.routes.ts';
import { clientAddress } from './http/client-address.ts';
import { crossSiteGuard } from './http/cross-site.ts';
import { securityHeaders } from './http/security-headers.ts';
import { serveAdmin } from './http/admin-static.ts';
import { describeSecurity } from './http/openapi.ts';
import type { Sql } from './db.ts';
import { transientPgError } from './platform/group-commit.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** The API reference's start-up script, served beside swagger-ui's own files (no inline script: ADR-023). */
const SWAGGER_INIT = 'jg-swagger-init.js';

function isDbDown(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  // ECONNRESET / EPIPE: the server went away in the middle of a query (a restart under load,
  // test/chaos/restart-postgres.test.ts); the bff talks to nothing else over the network.
  return code === 'ECONNREFUSED' || code === 'CONNECTION_CLOSED' || code === 'CONNECTION_ENDED' || code === 'CONNECT_TIMEOUT' ||
    code === 'CONNECTION_DESTROYED' || code === 'ECONNRESET' || code === 'EPIPE' ||
    code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/**
 * A request's logger, made only when something is logged: most requests log
 * nothing, and a pino child (with its masked bindings) costs more than the
 * rest of a cheap request's bookkeeping.
 */
function lazyChild(base: Logger, bindings: Record<string, string>): Logger {
  let child: Logger | undefined;
  return new Proxy({} as Logger, {
    get(_t, prop) {
      child ??= base.child(bindings);
      const v = (child as unknown as Record<string | symbol, unknown>)[prop];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(child) : v;
    },
  });
}

export function createApp(deps: Deps) {
  const app = router();
  const debugOn = deps.log.isLevelEnabled('debug');
  // One gate for the API of this process (platform/admission.ts, ADR-016).
  const gate = new AdmissionGate(deps.config.MAX_IN_FLIGHT, deps.config.MAX_QUEUED);

  // Outermost, so that every answer carries them: errors, replays, files (ADR-023).
  app.use('*', securityHeaders(deps.config));
  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    c.set('requestId', incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID());
    c.set('deps', deps);
    c.set('locale', pickLocale(c.req.header('accept-language'), getCookie(c, 'lang')));
    // Only the configured proxy hops are believed (http/client-address.ts, ADR-023).
    const remote = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
    c.set('ip', clientAddress(c.req.header('x-forwarded-for'), remote, deps.config.TRUSTED_PROXY_HOPS));
    const log = lazyChild(deps.log, { requestId: c.get('requestId') });
    c.set('log', log);
    const started = performance.now();
    c.set('now', deps.clock.now());
    // Before the handler: c.json / c.body take it from here (a raw Response — a replay, an error — carries its own).
    c.header('x-request-id', c.get('requestId'));
    await next();
    const status = c.res.status;
    if (status >= 500) log.error({ method: c.req.method, path: c.req.path, status, ms: Math.round(performance.now() - started) }, 'request failed');
    else if (debugOn) log.debug({ method: c.req.method, path: c.req.path, status, ms: Math.round(performance.now() - started) }, 'request');
  });

  app.onError((err, c) => {
    const locale = c.get('locale') ?? 'zh-CN';
    const requestId = c.get('requestId');
    let body;
    // A module's guard in the database refused the write: the refusal it stands for (core/errors.ts).
    const refusal = err instanceof DomainError ? err : refusalOfConstraint(err, constraintMap);
    if (refusal) {
      err = refusal;
    }
    if (err instanceof DomainError) {
      body = problemBody(err.code, locale, requestId, err.details);
      if (err.code === 'request.busy') c.header('Retry-After', '1');
    }
    else if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 413 ? 'request.too_large' : err.status === 415 ? 'request.unsupported_media_type' : err.status === 404 ? 'request.not_found' : 'request.malformed';
      body = problemBody(code, locale, requestId);
    } else if (isDbDown(err)) {
      c.get('log')?.warn({ err: (err as Error).message }, 'database unavailable');
      body = problemBody('request.unavailable', locale, requestId);
      c.header('Retry-After', '2');
    } else {
      (c.get('log') ?? deps.log).error({ err, path: c.req.path }, 'unhandled error');
      body = problemBody('request.internal', locale, requestId);
    }
    return c.body(JSON.stringify(body), body.status as 400, { 'content-type': 'application/problem+json; charset=utf-8', 'x-request-id': requestId ?? '' });
  });

  app.notFound((c) => {
    const body = problemBody('request.not_found', c.get('locale') ?? 'zh-CN', c.get('requestId'));
    return c.body(JSON.stringify(body), 404, { 'content-type': 'application/problem+json; charset=utf-8', 'x-request-id': c.get('requestId') ?? '' });
  });

  app.get('/healthz', async (c) => {
    // Both pools (ADR-016): each reconnects on its own after the database comes back.
    // A connection pooled in the last instants of a restarting server is ended with it: once more on another.
    const ping = async (db: Sql) => {
      try {
        await db`SELECT 1`;
      } catch (e) {
        if (!transientPgError(e)) throw e;
        await db`SELECT 1`;
      }
    };
    await Promise.all([ping(deps.sql), ...(deps.reads ? [ping(deps.reads)] : [])]);
    return c.json({ ok: true });
  });

  // API requests: state changes only from the platform's own sites, bounded bodies, JSON only, the shared clock, the session, idempotency.
  const crossSite = crossSiteGuard(deps.config);
  for (const prefix of ['/api/*', '/admin-api/*', '/dev/*']) {
    app.use(prefix, crossSite);
    // A file body (JPEG / PNG / PDF ≤ 5 MB) is taken only where the route declares one
    // (http/uploads.ts binaryUpload, ADR-021), with the limit it declares; everything else is JSON ≤ 256 KiB.
    const jsonLimit = bodyLimitOf(256 * 1024, 'request.too_large');
    app.use(prefix, (c, next) => (binaryBodyOf(c)?.limit ?? jsonLimit)(c, next));
    app.use(prefix, async (c, next) => {
      const len = c.req.header('content-length');
      const hasBody = (len !== undefined && len !== '0') || c.req.header('transfer-encoding') !== undefined;
      const upload = binaryBodyOf(c) !== undefined;
      if (hasBody && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(c.req.method) && !upload) {
        const type = c.req.header('content-type') ?? '';
        // JSON only: a cross-site form cannot send it without a CORS preflight we never grant.
        if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) throw new DomainError('request.unsupported_media_type');
        // Read before the gate, so a slow sender holds no place past it. Hono
        // caches the text: the Idempotency-Key hash and the validator's parse use it.
        await c.req.text();
      }
      // Uploads (≤ 5 MB, rare) are not gated: their body is read inside the handler.
      const entered = upload ? true : gate.enter();
      if (entered === false) throw new DomainError('request.busy');
      if (entered !== true) await entered;
      try {
        c.set('now', await platformNow(deps.sql, c.get('now'), deps.config.allowTestClock));
        await next();
      } finally {
        if (!upload) gate.leave();
      }
    });
    app.use(prefix, loadSession());
    app.use(prefix, idempotencyKeys());
  }

  for (const m of modules) for (const r of m.routes) app.route('/', r);
  app.route('/', platformInfoRoutes);
  // Development tools exist only when enabled (DEV_TOOLS=1, refused in production: env.ts).
  if (deps.config.DEV_TOOLS) {
    app.route('/', devRoutes);
    for (const m of modules) for (const r of m.devRoutes ?? []) app.route('/', r);
  }

  // Security schemes, and each operation's security from its guard and its operationId (http/openapi.ts).
  describeSecurity(app);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: '交管互联网服务平台 API',
      version: '0.1.0',
      description: 'Citizen API (/api/v1) and staff API (/admin-api) of the traffic-management online services platform. Errors are application/problem+json with zh-CN or en text (Accept-Language).',
    },
    servers: [{ url: '/', description: 'this bff' }],
  });

  // Browsable reference, served from the swagger-ui-dist package (no CDN: works offline).
  const require = createRequire(import.meta.url);
  const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  // No inline script (the page's CSP allows only its own files): the start-up is a file of its own.
  app.get('/api/docs', (c) =>
    c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API reference</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/${SWAGGER_INIT}"></script></body></html>`),
  );
  app.get('/api/docs/assets/:file{[a-z0-9.-]+\\.(css|js)}', (c) => {
    if (c.req.param('file') === SWAGGER_INIT) {
      return c.body(`window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });\n`, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' });
    }
    const file = path.join(swaggerDir, c.req.param('file'));
    if (!existsSync(file)) throw new DomainError('request.not_found');
    const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    return c.body(readFileSync(file), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });

  // The staff console (admin/dist), same origin as /admin-api.
  const adminDist = deps.config.ADMIN_DIST;
  // Compressed, hashed assets cached for good, index.html revalidated (http/admin-static.ts, issue 18).
  if (adminDist && existsSync(adminDist)) serveAdmin(app, adminDist);
  app.get('/', (c) => c.redirect(deps.config.PUBLIC_WEB_URL));

  return app;
}

export type App = ReturnType<typeof createApp>;
