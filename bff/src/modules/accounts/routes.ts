import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { sessionCookie } from '../../platform/sessions.ts';
import { MeResponse, SignUpRequest, UserDto } from './schemas.ts';
import * as service from './service.ts';

export const accountRoutes = router()
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/sign-up', tags: ['accounts'], summary: 'Register online as owner or driver (R-7.1, R-11.2)',
      request: jsonBody(SignUpRequest),
      responses: { 201: jsonResponse(z.object({ user: UserDto }), 'registered and signed in'), ...problems(409, 422, 429) },
    }),
    async (c) => {
      const s = await service.registerOnline(c.var.deps, c.req.valid('json'), meta(c));
      c.header('Set-Cookie', sessionCookie('user', s.token, s.expiresAt, c.var.deps.config.COOKIE_SECURE), { append: true });
      return c.json({ user: await service.getUserDto(c.var.deps.sql, s.userId) }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/me', tags: ['accounts'], summary: 'My account, bound vehicles and licences',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(MeResponse, 'my account'), ...problems(401) },
    }),
    async (c) => c.json(await service.getMe(c.var.deps.sql, c.var.user!.id, c.var.now), 200),
  );
