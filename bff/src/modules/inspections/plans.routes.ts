import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf, wholeListResponse } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { CityBookingRequest, CityDto, CityParam, IdParam, ListQuery, PlanDto, PlanRequest, ProvincePlanDto, PublishPlanRequest } from './schemas.ts';
import * as plans from './plans.ts';

const authority = requireStaff('review');

/**
 * Authorities' side of 机动车安全技术检验预约: a city's 管理岗 switches online
 * booking on or off (R-36.1) and files its cross-city plan; the province's
 * 管理岗 publishes the aggregated plan (R-36.2).
 */
export const inspectionPlanAdminRoutes = router()
  // --- authorities: city switch ---
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-cities', tags: ['inspections (staff)'], summary: 'Cities in my scope and whether they offer booking (R-36.1)',
      middleware: [authority] as const, request: { query: ListQuery },
      responses: { ...listOf(CityDto, 'cities'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'name'], ['id', 'ASC']);
      return wholeListResponse(c, 'inspection-cities', q, await plans.listCities(c.get('deps').sql, c.get('staff')!));
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-cities/{id}/booking', tags: ['inspections (staff)'], summary: 'Switch online booking on or off for my city (R-36.1)',
      middleware: [authority] as const, request: { params: CityParam, ...jsonBody(CityBookingRequest) },
      responses: { 200: jsonResponse(CityDto, 'city'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await plans.setCityBooking(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  // --- authorities: cross-city plans ---
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-plans', tags: ['inspections (staff)'], summary: 'Cross-city plans: my city’s, or (province) those my cities filed',
      middleware: [authority] as const, request: { query: ListQuery },
      responses: { ...listOf(PlanDto, 'plans'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'updatedAt', 'cityName'], ['updatedAt', 'DESC']);
      const { rows, total } = await plans.listPlans(c.get('deps').sql, c.get('staff')!, q);
      return listResponse(c, 'inspection-plans', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-plans', tags: ['inspections (staff)'], summary: 'Prepare my city’s cross-city plan (draft) (R-36.2.1)',
      middleware: [authority] as const, request: jsonBody(PlanRequest),
      responses: { 201: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await plans.createPlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-plans/publish', tags: ['inspections (staff)'], summary: 'Province: aggregate every city’s latest filed plan and publish (R-36.2.2)',
      middleware: [authority] as const, request: jsonBody(PublishPlanRequest),
      responses: { 201: jsonResponse(ProvincePlanDto, 'published'), ...problems(401, 403, 422) },
    }),
    async (c) => c.json(await plans.publishProvincePlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-plans/{id}', tags: ['inspections (staff)'], summary: 'One plan',
      middleware: [authority] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await plans.getPlan(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'put', path: '/admin-api/inspection-plans/{id}', tags: ['inspections (staff)'], summary: 'Change a draft plan',
      middleware: [authority] as const, request: { params: IdParam, ...jsonBody(PlanRequest) },
      responses: { 200: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await plans.updatePlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-plans/{id}/file', tags: ['inspections (staff)'], summary: 'File the plan with the province (报备) (R-36.2.1)',
      middleware: [authority] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await plans.filePlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-province-plans', tags: ['inspections (staff)'], summary: 'The province’s publications, newest first',
      middleware: [authority] as const, request: { query: ListQuery },
      responses: { ...listOf(ProvincePlanDto, 'publications'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'version'], ['version', 'DESC']);
      return wholeListResponse(c, 'inspection-province-plans', q, await plans.listProvincePlans(c.get('deps').sql, c.get('staff')!));
    },
  );
