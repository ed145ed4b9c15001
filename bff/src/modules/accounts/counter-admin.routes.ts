/**
 * Counter applications, staff side: 受理岗 accepts
 * and corrects, 管理岗 reviews, 档案岗 archives; the pre-filled form and the
 * counter's scans (ADR-021).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { IdParam, ListQuery, ReasonRequest, UploadQuery } from './schemas.ts';
import {
  AdminApplicationDto, ApplicationCorrect, ApplicationCreate, ArchiveDto, ArchiveRequest, CodeParam, NoteRequest, PrefillDto,
} from './counter.schemas.ts';
import * as applications from './counter.ts';
import { binaryUpload, fileBody, fileResponse } from '../../http/uploads.ts';
import { UploadDto } from '../../platform/uploads/schemas.ts';

const intake = requireStaff('intake');
const review = requireStaff('review');
const archive = requireStaff('archive');
const counter = requireStaff('intake', 'review');
const anyPost = requireStaff('intake', 'review', 'archive');
/** A scan as the body (http/uploads.ts): outside the JSON-only rule, within its own limit. */
const scanBody = binaryUpload();

const appRoute = (path: string, summary: string) =>
  createRoute({
    method: 'post', path: `/admin-api/account-applications/{id}/${path}`, tags: ['accounts (staff)'], summary,
    middleware: [review] as const, request: { params: IdParam },
    responses: { 200: jsonResponse(AdminApplicationDto, 'application'), ...problems(401, 403, 404, 409, 422) },
  });
const appRouteWith = <T extends z.ZodType>(path: string, summary: string, body: T) =>
  createRoute({
    method: 'post', path: `/admin-api/account-applications/{id}/${path}`, tags: ['accounts (staff)'], summary,
    middleware: [review] as const, request: { params: IdParam, ...jsonBody(body) },
    responses: { 200: jsonResponse(AdminApplicationDto, 'application'), ...problems(401, 403, 404, 409, 422) },
  });

/**
 * Staff API of chapter 2, the counter: 受理岗 accepts counter applications
 * (R-12.1, R-13.1, R-19.1, R-20.1); 管理岗 reviews (R-12.2, R-19.2); 档案岗
 * archives (R-12.3, R-13.2); the counter's scans. Own post and own city only
 * (PD-9): others' rows are 404.
 */
export const counterAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/account-applications', tags: ['accounts (staff)'], summary: 'Counter applications, review deadline first (filter queue=review|intake|open)',
      middleware: [counter] as const, request: { query: ListQuery },
      responses: { ...listOf(AdminApplicationDto, 'applications'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['reviewDueAt', 'acceptedAt', 'reference', 'status', 'id'], ['reviewDueAt', 'ASC']);
      const { rows, total } = await applications.listApplications(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'account-applications', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/account-applications/{id}', tags: ['accounts (staff)'], summary: 'One application with its documents and timeline',
      middleware: [counter] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(AdminApplicationDto, 'application'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await applications.getApplication(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/account-applications', tags: ['accounts (staff)'], summary: '受理岗 accepts a counter registration or change (R-12.1, R-13.1, R-19.1, R-20.1)',
      middleware: [intake] as const, request: jsonBody(ApplicationCreate),
      responses: { 201: jsonResponse(AdminApplicationDto.extend({ trackToken: z.string() }), 'accepted'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await applications.acceptApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/account-applications/{id}/resubmit', tags: ['accounts (staff)'], summary: '受理岗 corrects a returned application and sends it back to review (R-12.2.4)',
      middleware: [intake] as const, request: { params: IdParam, ...jsonBody(ApplicationCorrect) },
      responses: { 200: jsonResponse(AdminApplicationDto, 'application'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await applications.resubmitApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(appRoute('approve', '管理岗 approves: account created / change applied, SMS (R-12.2.5, R-19.2.5)'), async (c) =>
    c.json(await applications.approveApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(appRouteWith('reject', '管理岗 rejects with the reason, SMS (R-12.2.6)', ReasonRequest), async (c) =>
    c.json(await applications.rejectApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json').reason, meta(c)), 200),
  )
  .openapi(appRouteWith('return', '管理岗 returns the case to 受理岗 with a note (R-12.2.4)', NoteRequest), async (c) =>
    c.json(await applications.returnApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json').note, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/account-prefills/{code}', tags: ['accounts (staff)'], summary: 'Load the form a citizen filled in advance (QR code)',
      middleware: [intake] as const, request: { params: CodeParam },
      responses: { 200: jsonResponse(PrefillDto, 'form'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await applications.getPrefill(c.get('deps').sql, c.req.valid('param').code, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/account-archives', tags: ['accounts (staff)'], summary: '档案岗 queue (filter status=pending|archived)',
      middleware: [archive] as const, request: { query: ListQuery },
      responses: { ...listOf(ArchiveDto, 'archive records'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['createdAt', 'id'], ['createdAt', 'ASC']);
      const { rows, total } = await applications.listArchives(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'account-archives', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/account-archives/{id}', tags: ['accounts (staff)'], summary: 'One archive record',
      middleware: [archive] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ArchiveDto, 'archive record'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await applications.getArchive(c.get('deps'), c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/account-archives/{id}/archive', tags: ['accounts (staff)'], summary: 'Check the documents, record the paper file’s place, archive (R-12.3, R-13.2); later: move the file',
      middleware: [archive] as const, request: { params: IdParam, ...jsonBody(ArchiveRequest) },
      responses: { 200: jsonResponse(ArchiveDto, 'archive record'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => c.json(await applications.archiveRecord(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/uploads/{id}', tags: ['accounts (staff)'], summary: 'A photo or scan of this authority’s counter, or of a certificate photo in its review queue',
      middleware: [anyPost] as const, request: { params: IdParam },
      responses: { 200: fileResponse('the file; its sha256 in X-Content-Sha256'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const u = await applications.uploadForStaff(c.get('deps'), c.get('staff')!, c.req.valid('param').id);
      return c.body(new Uint8Array(u.content), 200, { 'content-type': u.content_type, 'cache-control': 'private, max-age=3600', 'x-content-sha256': u.sha256 });
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/uploads', tags: ['accounts (staff)'],
      summary: 'Scan a photo or document at the counter (R-12.1.3, R-13.1.3, R-19.1): the file’s bytes as the body, JPEG, PNG or PDF, at most 5 MB',
      middleware: [intake, scanBody.middleware] as const, request: { query: UploadQuery, body: scanBody.body },
      responses: { 201: jsonResponse(UploadDto, 'stored, with its sha256'), ...problems(401, 403, 413, 415) },
    }),
    async (c) => c.json(await applications.uploadAsStaff(c.get('deps'), c.get('staff')!, staffActor(c), await fileBody(c), c.req.valid('query').purpose, meta(c)), 201),
  );
