import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { router, jsonBody, jsonResponse, problems } from './openapi.ts';
import type { AppEnv } from './context.ts';
import { DomainError } from '../core/errors.ts';
import { renderText } from '../platform/outbox.ts';
import { readClockOffset, setClockOffset } from '../platform/dev-clock.ts';
import { runDueJobs } from '../platform/jobs.ts';
import { dispatchDue } from '../platform/outbox.ts';
import { platformNow } from '../platform/dev-clock.ts';
import { jobHandlers } from '../modules/index.ts';

/** The inbox shows what the dev SMS adapter "sent"; with a real provider there is nothing to show. */
const devOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('deps').config.SMS_PROVIDER !== 'dev') throw new DomainError('dev.disabled');
  await next();
};

const InboxMessage = z.object({ id: z.string(), phone: z.string(), text: z.string(), status: z.string(), createdAt: z.string() });

/**
 * What the apps need to know about this platform before anyone signs in:
 * whether the development tools are on, for the banner both apps show then.
 */
export const platformInfoRoutes = router().openapi(
  createRoute({
    method: 'get', path: '/api/v1/public/platform', tags: ['platform'], summary: 'Whether the development tools are on (both apps then show a banner); public',
    responses: { 200: jsonResponse(z.object({ devTools: z.boolean() }).openapi('PlatformInfo'), 'the platform’s public settings'), ...problems() },
  }),
  (c) => c.json({ devTools: c.get('deps').config.DEV_TOOLS }, 200),
);

/**
 * Development tools, mounted only with DEV_TOOLS=1 (app.ts; refused in
 * production by env.ts): the SMS inbox of the dev adapter, and the shared
 * test clock that e2e moves to make deadlines pass.
 */
export const devRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/dev/inbox', tags: ['dev'], summary: 'SMS delivered by the dev adapter (development only)',
      middleware: [devOnly] as const,
      request: { query: z.object({ phone: z.string().regex(/^1\d{10}$/).optional() }) },
      responses: { 200: jsonResponse(z.array(InboxMessage), 'messages, newest first'), ...problems(404) },
    }),
    async (c) => {
      const { phone } = c.req.valid('query');
      const { sql } = c.get('deps');
      const rows = await sql<{ id: string; recipient: string; template: string; payload: Record<string, unknown>; status: string; created_at: Date }[]>`
        SELECT id, recipient, template, payload, status, created_at FROM outbox_message
        WHERE channel = 'sms' ${phone ? sql`AND recipient = ${phone}` : sql``}
        ORDER BY created_at DESC, id LIMIT 50`;
      return c.json(rows.map((r) => ({ id: r.id, phone: r.recipient, text: renderText('sms', r.template, r.payload), status: r.status, createdAt: r.created_at.toISOString() })), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/dev/clock', tags: ['dev'], summary: 'The shared test clock',
      middleware: [devOnly] as const,
      responses: { 200: jsonResponse(z.object({ now: z.string(), offsetMs: z.number() }), 'clock'), ...problems(404) },
    }),
    async (c) => c.json({ now: c.get('now').toISOString(), offsetMs: await readClockOffset(c.get('deps').sql) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/dev/clock', tags: ['dev'], summary: 'Move the shared test clock and run what fell due',
      middleware: [devOnly] as const,
      request: jsonBody(z.strictObject({ offsetMs: z.number().int().min(0).max(10 * 365 * 24 * 3600_000) })),
      responses: { 200: jsonResponse(z.object({ now: z.string(), jobsRun: z.number() }), 'clock moved'), ...problems(404) },
    }),
    async (c) => {
      const deps = c.get('deps');
      await setClockOffset(deps.sql, c.req.valid('json').offsetMs);
      const now = await platformNow(deps.sql, new Date(), true);
      const jobsRun = await runDueJobs(deps, jobHandlers, now, 500);
      await dispatchDue(deps.sql, deps.providers, now, 200);
      return c.json({ now: now.toISOString(), jobsRun }, 200);
    },
  );
