import path from 'node:path';
import type { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { DomainError } from '../core/errors.ts';
import type { AppEnv } from './context.ts';

/** Vite names every file under assets/ by its content's hash: a new build is new URLs. */
const HASHED_ASSETS = /^\/admin\/assets\//;
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The staff console (admin/dist) at /admin/, same origin as /admin-api (issue 18):
 * - compressed: the build writes `.br` and `.gz` beside each file (admin/vite.config.ts)
 *   and the one the browser accepts is sent (brotli first), never recompressed per request;
 * - hashed assets (/admin/assets/*) are cached for a year, immutable; everything else, above
 *   all index.html (the app's entry, which names the current hashes), is revalidated (no-cache),
 *   so a new build reaches staff on their next load;
 * - a missing asset is a 404, never the app's page under an asset's name (which would then be
 *   cached for a year); any other path under /admin/ is the single-page app.
 */
export function serveAdmin(app: Hono<AppEnv>, adminDist: string): void {
  const root = path.relative(process.cwd(), adminDist);
  app.get('/admin', (c) => c.redirect('/admin/'));
  app.use('/admin/*', async (c, next) => {
    await next();
    if (c.res.status !== 200 && c.res.status !== 206) return;
    c.res.headers.set('cache-control', HASHED_ASSETS.test(c.req.path) ? IMMUTABLE : 'no-cache');
    if (!/accept-encoding/i.test(c.res.headers.get('vary') ?? '')) c.res.headers.append('vary', 'Accept-Encoding');
  });
  app.use('/admin/*', serveStatic({ root, precompressed: true, rewriteRequestPath: (p) => p.replace(/^\/admin/, '') }));
  app.get('/admin/assets/*', () => {
    throw new DomainError('request.not_found');
  });
  app.get('/admin/*', serveStatic({ root, path: 'index.html', precompressed: true }));
}
