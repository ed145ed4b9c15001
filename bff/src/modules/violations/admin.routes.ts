import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { csvExportRoute, revealRoute } from '../../http/personal-data.ts';
import { binaryUpload, fileBody, fileResponse } from '../../http/uploads.ts';
import type { AppEnv } from '../../http/context.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { storeFile, uploadDto } from '../../platform/uploads/service.ts';
import { UploadDto } from '../../platform/uploads/schemas.ts';
import {
  CaseFileDto, EnterRequest, IdParam, ImportAnswer, ImportRequest, ListQuery, NoteRequest, ObjectionDecisionRequest, PhotoParam, StaffObjectionDto, StaffViolationDto,
} from './schemas.ts';
import * as service from './service.ts';

const withLocale = (c: Context<AppEnv>): service.Meta => ({ ...meta(c), locale: c.get('locale') });
const tags = ['violations (staff)'];
const anyPost = requireStaff('intake', 'review', 'archive');
const intake = requireStaff('intake');
// 管理岗 handles objections and exceptions (exemptions)
const review = requireStaff('review');
const photoBody = binaryUpload();
const SORTABLE = ['reviewDueAt', 'occurredAt', 'enteredAt', 'status', 'plateNo', 'reference', 'id'] as const;

const command = (path: string, summary: string, who: typeof intake) =>
  createRoute({
    method: 'post', path: `/admin-api/violations/{id}/${path}`, tags, summary,
    middleware: [who] as const, request: { params: IdParam },
    responses: { 200: jsonResponse(CaseFileDto, 'case file'), ...problems(401, 403, 404, 409, 422) },
  });
const commandWith = <T extends z.ZodType>(path: string, summary: string, who: typeof intake, body: T) =>
  createRoute({
    method: 'post', path: `/admin-api/violations/{id}/${path}`, tags, summary,
    middleware: [who] as const, request: { params: IdParam, ...jsonBody(body) },
    responses: { 200: jsonResponse(CaseFileDto, 'case file'), ...problems(401, 403, 404, 409, 422) },
  });

/** Exports and reveals of personal data (ADR-024); the export is mounted before `/{id}`. */
export const violationExportRoutes = csvExportRoute({
  resource: 'violations', tags, guard: anyPost, title: '交通违法记录', sortable: SORTABLE, defaultSort: ['reviewDueAt', 'ASC'],
  list: (deps, staff, q, now) => service.listQueue(deps, staff, q, now),
  columns: [
    { header: '违法编号', value: (r) => r.reference },
    { header: '号牌号码', value: (r) => r.plateNo },
    { header: '违法时间', value: (r) => r.occurredAt },
    { header: '违法地点', value: (r) => r.place },
    { header: '违法代码', value: (r) => r.actCode },
    { header: '违法行为', value: (r) => r.act },
    { header: '罚款（分）', value: (r) => r.fineFen },
    { header: '记分', value: (r) => r.points },
    { header: '状态', value: (r) => r.status },
    { header: '审核期限', value: (r) => r.reviewDueAt },
    { header: '是否超期', value: (r) => (r.reviewOverdue ? '是' : '否') },
    { header: '机动车所有人', value: (r) => r.ownerNameMasked },
    { header: '所有人手机号码', value: (r) => r.ownerPhoneMasked },
  ],
});

export const violationRevealRoutes = revealRoute({ resource: 'violations', tags, guard: anyPost, fields: 'ownerPhone, ownerIdNumber', load: service.revealTarget });

/**
 * Staff API of 第五章: 受理岗 enters or imports camera
 * records and reviews them within five working days of capture (the owner is
 * notified by SMS); 管理岗 clears exemptions and decides objections; every
 * record opens as an electronic case file.
 */
export const violationAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/violation-photos', tags, summary: 'A photo of a camera record (JPEG or PNG, ≤ 5 MB), for entering the record',
      middleware: [intake, photoBody.middleware] as const, request: { body: photoBody.body },
      responses: { 201: jsonResponse(UploadDto, 'stored'), ...problems(401, 403, 413, 415, 422) },
    }),
    async (c) => {
      const staff = c.get('staff')!;
      const u = await storeFile(c.get('deps').sql, { purpose: 'violation_photo', bytes: await fileBody(c), owner: { kind: 'staff', id: staff.id, authorityId: staff.authorityId } }, c.get('now'));
      return c.json(uploadDto(u), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/violations', tags, summary: 'Records of my city, review deadline first (filter: status, q = plate or number, flagged = X-5.12)',
      middleware: [anyPost] as const, request: { query: ListQuery }, responses: { ...listOf(StaffViolationDto, 'records'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), SORTABLE, ['reviewDueAt', 'ASC']);
      const { rows, total } = await service.listQueue(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'violations', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/violations', tags, summary: 'Enter a camera record (X-5.11): due for review within five working days of capture',
      middleware: [intake] as const, request: jsonBody(EnterRequest), responses: { 201: jsonResponse(CaseFileDto, 'entered'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.enterViolation(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/violations/import', tags, summary: 'Import camera records from CSV (X-5.11): all rows or none, each problem named by line and column',
      middleware: [intake] as const, request: jsonBody(ImportRequest), responses: { 201: jsonResponse(ImportAnswer, 'imported'), ...problems(401, 403, 422) },
    }),
    async (c) => c.json(await service.importCsv(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/violations/{id}', tags, summary: 'The electronic case file of a record (X-5.13): record, photos, decision, payment, objections, SMS, trail',
      middleware: [anyPost] as const, request: { params: IdParam }, responses: { 200: jsonResponse(CaseFileDto, 'case file'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.caseFile(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/violations/{id}/photos/{position}', tags, summary: 'A photo of the record',
      middleware: [anyPost] as const, request: { params: PhotoParam }, responses: { 200: fileResponse('the photo'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const f = await service.photoForStaff(c.get('deps'), c.get('staff')!, p.id, p.position);
      return c.body(new Uint8Array(f.content), 200, { 'content-type': f.contentType, 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' });
    },
  )
  .openapi(command('review', 'Review the record (X-5.11): it opens for handling and the owner is notified by SMS', intake), async (c) =>
    c.json(await service.reviewViolation(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(commandWith('reject', 'Void a record that is not valid (wrong reading, unusable photo), with the reason', intake, NoteRequest), async (c) =>
    c.json(await service.rejectViolation(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(commandWith('clear', 'Clear the record for an exemption (X-5.11, 管理岗): emergency vehicle, stolen or wrong plate', review, NoteRequest), async (c) =>
    c.json(await service.clearViolation(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  );

/** objections and exemption requests, decided by 管理岗 within five (three) working days. */
export const violationObjectionRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/violation-objections', tags, summary: 'Objections and exemption requests of my city, due date first (filter: status)',
      middleware: [anyPost] as const, request: { query: ListQuery }, responses: { ...listOf(StaffObjectionDto, 'objections'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['dueAt', 'submittedAt', 'status', 'id'], ['dueAt', 'ASC']);
      const { rows, total } = await service.listObjections(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'violation-objections', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/violation-objections/{id}', tags, summary: 'One objection',
      middleware: [anyPost] as const, request: { params: IdParam }, responses: { 200: jsonResponse(StaffObjectionDto, 'objection'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getObjection(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/violation-objections/{id}/uphold', tags, summary: 'Uphold (管理岗, X-5.13): the record is cleared; SMS to the applicant',
      middleware: [review] as const, request: { params: IdParam, ...jsonBody(ObjectionDecisionRequest) }, responses: { 200: jsonResponse(StaffObjectionDto, 'decided'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.decideObjection(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, { upheld: true, note: c.req.valid('json').note }, withLocale(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/violation-objections/{id}/dismiss', tags, summary: 'Dismiss with the reason (管理岗, X-5.13): the record is open for handling again; SMS to the applicant',
      middleware: [review] as const, request: { params: IdParam, ...jsonBody(ObjectionDecisionRequest) }, responses: { 200: jsonResponse(StaffObjectionDto, 'decided'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.decideObjection(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, { upheld: false, note: c.req.valid('json').note }, withLocale(c)), 200),
  );
