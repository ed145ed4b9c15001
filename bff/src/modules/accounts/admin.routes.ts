import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { AdminPhotoDto, AdminUserDto, ForcedCancelRequest, IdParam, ListQuery, ReasonRequest } from './schemas.ts';
import * as service from './service.ts';

const review = requireStaff('review');
const counter = requireStaff('intake', 'review');

/**
 * Staff API of chapter 2, the account itself: 受理岗 and 管理岗 find the
 * accounts of their city; 管理岗 force-cancels and reviews
 * certificate photos. Own post and own city only (PD-9): others' rows
 * are 404. Bindings' staff routes are in bindings-admin.routes.ts, the
 * counter's in counter-admin.routes.ts.
 */
export const accountAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/user-accounts', tags: ['accounts (staff)'], summary: 'Accounts of my authority; national accounts by exact phone / ID (filter q)',
      middleware: [counter] as const, request: { query: ListQuery },
      responses: { ...listOf(AdminUserDto, 'accounts'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['createdAt', 'id'], ['createdAt', 'DESC']);
      const { rows, total } = await service.listUsers(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'user-accounts', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/user-accounts/{id}', tags: ['accounts (staff)'], summary: 'One account',
      middleware: [counter] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(AdminUserDto, 'account'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getUserForStaff(c.get('deps'), c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/user-accounts/{id}/cancel', tags: ['accounts (staff)'], summary: '强制注销 with the reason (R-21.1 (一)(三), R-21.2)',
      middleware: [review] as const, request: { params: IdParam, ...jsonBody(ForcedCancelRequest) },
      responses: { 200: jsonResponse(AdminUserDto, 'account'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.forceCancel(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/certificate-photos', tags: ['accounts (staff)'], summary: '管理岗 queue of certificate photos, due first (R-18)',
      middleware: [review] as const, request: { query: ListQuery },
      responses: { ...listOf(AdminPhotoDto, 'submissions'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['dueAt', 'id'], ['dueAt', 'ASC']);
      const { rows, total } = await service.listPhotos(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'certificate-photos', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/certificate-photos/{id}', tags: ['accounts (staff)'], summary: 'One certificate-photo submission',
      middleware: [review] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(AdminPhotoDto, 'submission'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getPhoto(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/certificate-photos/{id}/approve', tags: ['accounts (staff)'], summary: 'Photo is clear, valid and matches the registration photo: save it (R-18)',
      middleware: [review] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(AdminPhotoDto, 'submission'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.decidePhoto(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, { approve: true }, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/certificate-photos/{id}/reject', tags: ['accounts (staff)'], summary: 'Refuse the photo with the reason (R-18)',
      middleware: [review] as const, request: { params: IdParam, ...jsonBody(ReasonRequest) },
      responses: { 200: jsonResponse(AdminPhotoDto, 'submission'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.decidePhoto(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, { approve: false, reason: c.req.valid('json').reason }, meta(c)), 200),
  );
