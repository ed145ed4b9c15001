/**
 * Counter applications, citizen side: my
 * applications and their timeline (网办进度), the SMS tracking link and the
 * form pre-filled for the counter (QR code).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { CitizenApplicationDto, CodeParam, PrefillCreate, PrefillDto, RefParam, TokenParam } from './counter.schemas.ts';
import * as applications from './counter.ts';

/** Citizen API of chapter 2, the counter: my applications, the tracking link, the pre-filled form. */
export const counterRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/applications', tags: ['accounts'], summary: 'My counter applications (网办进度)',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(z.array(CitizenApplicationDto), 'applications'), ...problems(401) },
    }),
    async (c) => c.json(await applications.myApplications(c.get('deps').sql, c.get('user')!.id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/applications/track/{token}', tags: ['accounts'], summary: 'An application’s timeline from the SMS link',
      request: { params: TokenParam },
      responses: { 200: jsonResponse(CitizenApplicationDto, 'timeline'), ...problems(404, 429) },
    }),
    async (c) => c.json(await applications.trackApplication(c.get('deps').sql, c.req.valid('param').token, c.get('now'), c.get('ip')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/applications/prefills', tags: ['accounts'], summary: 'Keep a pre-filled registration/change form for the counter (QR code)',
      request: jsonBody(PrefillCreate),
      responses: { 201: jsonResponse(PrefillDto, 'stored for 30 days'), ...problems(400, 429) },
    }),
    async (c) => c.json(await applications.createPrefill(c.get('deps'), c.req.valid('json').form, meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/applications/prefills/{code}', tags: ['accounts'], summary: 'A pre-filled form by its code',
      request: { params: CodeParam },
      responses: { 200: jsonResponse(PrefillDto, 'form'), ...problems(404, 429) },
    }),
    async (c) => c.json(await applications.getPrefill(c.get('deps').sql, c.req.valid('param').code, c.get('now'), c.get('ip')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/applications/{ref}', tags: ['accounts'], summary: 'One of my applications with its timeline',
      middleware: [requireUser()] as const, request: { params: RefParam },
      responses: { 200: jsonResponse(CitizenApplicationDto, 'timeline'), ...problems(401, 404) },
    }),
    async (c) => c.json(await applications.myApplication(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').ref, c.get('now')), 200),
  );
