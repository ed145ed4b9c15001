import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { csvExportRoute, revealRoute } from '../../http/personal-data.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { AdminPreselectionDto, ApproveRequest, IdParam, ListQuery, PlanCreate, PlanDto, RegisterRequest, RegisterResponse } from './schemas.ts';
import * as service from './service.ts';
import type { PlanInput, RegistrationInput } from './service.ts';

const review = requireStaff('review');
/** A plan command answers with the plan in the request's language (its `open` reason). */
const staffMeta = (c: Parameters<typeof meta>[0]) => ({ ...meta(c), locale: c.get('locale') });
const counter = requireStaff('intake', 'review');

/** Exports and reveals of personal data (issue 17, ADR-024); the export is mounted before `/{id}` (index.ts). */
export const preselectionExportRoutes = csvExportRoute({
  resource: 'plate-preselections', tags: ['plates (staff)'], guard: counter, title: '号牌预选',
  sortable: ['deadline', 'createdAt', 'status', 'reference', 'plateNo', 'id'], defaultSort: ['deadline', 'ASC'],
  list: (deps, staff, q, now) => service.listPreselections(deps, staff, q, now),
  columns: [
    { header: '预选编号', value: (r) => r.reference },
    { header: '号牌号码', value: (r) => r.plateNo },
    { header: '号牌种类', value: (r) => r.plateKind },
    { header: '选号方式', value: (r) => r.mode },
    { header: '状态', value: (r) => r.status },
    { header: '车辆识别代号', value: (r) => r.vinMasked },
    { header: '机动车所有人', value: (r) => r.ownerNameMasked },
    { header: '所有人身份证明号码', value: (r) => r.ownerIdNumberMasked },
    { header: '手机号码', value: (r) => r.phoneMasked },
    { header: '预选时间', value: (r) => r.reservedAt },
    { header: '登记期限', value: (r) => r.lastDay },
    { header: '是否超期', value: (r) => (r.overdue ? '是' : '否') },
    { header: '登记时间', value: (r) => r.registeredAt },
  ],
});

export const preselectionRevealRoutes = revealRoute({
  resource: 'plate-preselections', tags: ['plates (staff)'], guard: counter, fields: 'ownerIdNumber, phone', load: service.revealTarget,
});

/** One named command of a plan (react-admin: `POST /admin-api/plate-plans/:id/<command>`). */
const planCommand = (path: string, summary: string) =>
  createRoute({
    method: 'post', path: `/admin-api/plate-plans/{id}/${path}`, tags: ['plates (staff)'], summary,
    middleware: [review] as const, request: { params: IdParam },
    responses: { 200: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 404, 409, 422) },
  });

/** Staff API: 管理岗 manage segment plans; 受理岗 register vehicles with reserved numbers. */
export const plateAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/plate-plans', tags: ['plates (staff)'], summary: 'Segment plans of my authority',
      middleware: [review] as const, request: { query: ListQuery },
      responses: { ...listOf(PlanDto, 'plans'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['startAt', 'createdAt', 'status', 'size', 'updatedAt', 'id'], ['startAt', 'DESC']);
      const { rows, total } = await service.listPlans(c.get('deps'), c.get('staff')!, q, { now: c.get('now'), locale: c.get('locale') });
      return listResponse(c, 'plate-plans', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/plate-plans/{id}', tags: ['plates (staff)'], summary: 'One plan with pool counts and build progress',
      middleware: [review] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getPlan(c.get('deps'), c.get('staff')!, c.req.valid('param').id, { now: c.get('now'), locale: c.get('locale') }), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/plate-plans', tags: ['plates (staff)'], summary: 'Draft a segment plan (R-25.1, R-24.1, R-24.4)',
      middleware: [review] as const, request: jsonBody(PlanCreate),
      responses: { 201: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 422) },
    }),
    async (c) => c.json(await service.createPlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json') as PlanInput, staffMeta(c)), 201),
  )
  .openapi(planCommand('submit', 'Report the plan to the superior authority (R-25.2)'), async (c) =>
    c.json(await service.submitPlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, staffMeta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/plate-plans/{id}/approve', tags: ['plates (staff)'], summary: 'Record the superior authority’s approval or filing (R-25.2)',
      middleware: [review] as const, request: { params: IdParam, ...jsonBody(ApproveRequest) },
      responses: { 200: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.approvePlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), staffMeta(c)), 200),
  )
  .openapi(planCommand('publish', 'Publish the plan (R-25.3), at least three working days before the start (R-24.4)'), async (c) =>
    c.json(await service.publishPlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, staffMeta(c)), 200),
  )
  .openapi(planCommand('build-pool', 'Build the number pool as a durable job (R-25.4)'), async (c) =>
    c.json(await service.buildPool(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, staffMeta(c)), 200),
  )
  .openapi(planCommand('open', 'Open the segment for preselection (R-24.3: open pool ≥ 50,000)'), async (c) =>
    c.json(await service.openSegment(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, staffMeta(c)), 200),
  )
  .openapi(planCommand('close', 'Close the segment'), async (c) =>
    c.json(await service.closeSegment(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, staffMeta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/plate-preselections', tags: ['plates (staff)'], summary: 'Preselections of my authority, deadline first, with bans',
      middleware: [counter] as const, request: { query: ListQuery },
      responses: { ...listOf(AdminPreselectionDto, 'preselections'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['deadline', 'createdAt', 'status', 'reference', 'plateNo', 'id'], ['deadline', 'ASC']);
      const { rows, total } = await service.listPreselections(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'plate-preselections', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/plate-preselections/{id}', tags: ['plates (staff)'], summary: 'One preselection',
      middleware: [counter] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(AdminPreselectionDto, 'preselection'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getAdminPreselection(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/plate-preselections/{id}/register', tags: ['plates (staff)'], summary: 'Register the vehicle with its reserved number (R-23.3, R-23.4)',
      middleware: [requireStaff('intake')] as const, request: { params: IdParam, ...jsonBody(RegisterRequest) },
      responses: { 200: jsonResponse(RegisterResponse, 'issued, or cancelled for a mismatch'), ...problems(401, 403, 404, 409) },
    }),
    async (c) =>
      c.json(await service.registerVehicle(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json') as RegistrationInput, meta(c)), 200),
  );
