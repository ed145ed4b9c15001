/** The account hub's reads (issue 18): what is due soon, and the citizen's own record for the counter form. */
import { createRoute } from '@hono/zod-openapi';
import { DueSoonResponse, OwnRecord } from './due-soon.schemas.ts';
import { router, problems, jsonResponse } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { dueSoon } from './due-soon.ts';
import { ownRecord } from './own-record.ts';

/** GET /api/v1/me/due-soon: registered in the accounts module's routes (index.ts). */
export const dueSoonRoutes = router().openapi(
  createRoute({
    method: 'get', path: '/api/v1/me/due-soon', tags: ['accounts'], summary: 'What is due soon for me, each with the action that resolves it (my account hub)',
    middleware: [requireUser()] as const,
    responses: { 200: jsonResponse(DueSoonResponse, 'due items, soonest first'), ...problems(401) },
  }),
  async (c) => c.json(await dueSoon(c.get('deps').sql, c.get('user')!.id, c.get('now')), 200),
);

export const ownRecordRoutes = router().openapi(
  createRoute({
    method: 'get', path: '/api/v1/me/record', tags: ['accounts'], summary: 'My own record, for the form pre-filled for the counter (R-12.1.3)',
    middleware: [requireUser()] as const,
    responses: { 200: jsonResponse(OwnRecord, 'the signed-in person’s record'), ...problems(401, 404) },
  }),
  async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await ownRecord(c.get('deps').sql, c.get('user')!.id), 200);
  },
);
