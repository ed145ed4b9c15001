import type { Context } from 'hono';
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { ApplicationDto, ApplyRequest, ChunkParam, IdParam, MyApplications, OptionsDto, UploadChunk, UploadDto, UploadStart } from './schemas.ts';
import * as service from './service.ts';

const withLocale = (c: Context<AppEnv>): service.Meta => ({ ...meta(c), locale: c.get('locale') });
const owner = (c: Context<AppEnv>): service.UploadOwner => ({ kind: 'user', id: c.get('user')!.id });

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
      method: 'post', path: '/api/v1/replacements/uploads', tags: ['replacements'],
      summary: 'Start uploading the compulsory-insurance certificate (JPEG, PNG or PDF, at most 5 MB), sent in chunks of 128 KB',
      middleware: [requireUser()] as const, request: jsonBody(UploadStart),
      responses: { 201: jsonResponse(UploadDto, 'upload started'), ...problems(401, 422) },
    }),
    async (c) => c.json(await service.startUpload(c.get('deps').sql, owner(c), { ...c.req.valid('json'), purpose: 'insurance_certificate' }, c.get('now')), 201),
  )
  .openapi(
    createRoute({
      method: 'put', path: '/api/v1/replacements/uploads/{id}/chunks/{index}', tags: ['replacements'], summary: 'One chunk (base64), in order; a repeated chunk is accepted',
      middleware: [requireUser()] as const, request: { params: ChunkParam, ...jsonBody(UploadChunk) },
      responses: { 200: jsonResponse(UploadDto, 'upload'), ...problems(401, 404, 409, 422) },
    }),
    async (c) => {
      const { id, index } = c.req.valid('param');
      return c.json(await service.uploadChunk(c.get('deps').sql, owner(c), id, index, c.req.valid('json').data), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/replacements/uploads/{id}/complete', tags: ['replacements'], summary: 'Finish: size, sha256 and file type are checked',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(UploadDto, 'upload complete'), ...problems(401, 404, 422) },
    }),
    async (c) => c.json(await service.completeUpload(c.get('deps').sql, owner(c), c.req.valid('param').id, c.get('now')), 200),
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
