import type { Context } from 'hono';
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { chunkedUploadRoutes } from '../../http/uploads.ts';
import { ApplicationDto, ApplyRequest, IdParam, MyApplications, OptionsDto } from './schemas.ts';
import * as service from './service.ts';

const withLocale = (c: Context<AppEnv>): service.Meta => ({ ...meta(c), locale: c.get('locale') });

/** Citizen API of 补、换领机动车号牌、行驶证、检验合格标志 (R-26 … R-29). */
export const replacementRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/replacements/options', tags: ['replacements'],
      summary: 'What I may replace: my standing (R-26, R-27.6) and each item of each bound vehicle with its refusal explained (R-27, R-28.1)',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(OptionsDto, 'options'), ...problems(401, 403) },
    }),
    async (c) => c.json(await service.replacementOptions(c.get('deps').sql, c.get('user')!.id, c.get('now'), c.get('locale')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/replacements', tags: ['replacements'], summary: 'My applications with their progress, and my bar if one is active (R-27.6)',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(MyApplications, 'mine'), ...problems(401) },
    }),
    async (c) => c.json(await service.myApplications(c.get('deps').sql, c.get('user')!.id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/replacements', tags: ['replacements'],
      summary: 'Apply for a replacement (补领) or exchange (换领) of plates, 行驶证 or sticker; 受理岗 accepts within one working day (R-29.1.1)',
      middleware: [requireUser()] as const, request: jsonBody(ApplyRequest),
      responses: { 201: jsonResponse(ApplicationDto, 'submitted'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.applyForReplacement(c.get('deps'), userActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/replacements/{id}', tags: ['replacements'], summary: 'One of my applications with its progress',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ApplicationDto, 'application'), ...problems(401, 404) },
    }),
    async (c) => c.json(await service.getMyApplication(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/replacements/{id}/cancel', tags: ['replacements'], summary: 'Cancel before 受理岗 accepted it',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ApplicationDto, 'cancelled'), ...problems(401, 404, 409) },
    }),
    async (c) => c.json(await service.cancelApplication(c.get('deps'), userActor(c), c.req.valid('param').id, withLocale(c)), 200),
  );

/** the compulsory-insurance certificate of a sticker replacement, uploaded in chunks (the one store, ADR-021). */
export const replacementUploadRoutes = chunkedUploadRoutes({
  path: '/api/v1/replacements/uploads', tags: ['replacements'], guard: requireUser(), purpose: 'insurance_certificate',
  what: 'the compulsory-insurance certificate', owner: (c) => ({ kind: 'user', id: c.get('user')!.id }),
});
