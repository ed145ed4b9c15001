import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonResponse } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { readsOf } from '../../core/context.ts';
import { DataAccessLog } from './schemas.ts';
import { myDataAccess } from './service.ts';

/** The citizen's "who viewed my data" (issue 17, ADR-024). */
export const dataAccessRoutes = router().openapi(
  createRoute({
    method: 'get', path: '/api/v1/me/data-access', tags: ['accounts'],
    summary: 'Who viewed my data: each time a staff member revealed my ID number, phone, e-mail or address — post, city, when, why (never the name)',
    middleware: [requireUser()] as const,
    responses: { 200: jsonResponse(DataAccessLog, 'reveals of my data, newest first'), ...problems(401) },
  }),
  async (c) => c.json(await myDataAccess(readsOf(c.get('deps')), c.get('user')!.id, c.get('now')), 200),
);
