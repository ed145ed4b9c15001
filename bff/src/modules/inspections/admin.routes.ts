import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import {
  CapacityRequest, CityBookingRequest, CityDto, CityParam, CloseSlotsRequest, CloseSlotsResult, EndBookingRequest, IdParam, ListQuery, PlanDto, PlanRequest,
  ProvincePlanDto, PublishPlanRequest, PublishSlotsRequest, PublishSlotsResult, ScheduleRequest, StaffBooking, StaffScope, StaffSlot, StationDto, StationStatusRequest,
  StationStatusResult,
} from './schemas.ts';
import * as service from './service.ts';

const listOf = (schema: z.ZodType, what: string) => ({
  200: { ...jsonResponse(z.array(schema), what), headers: z.object({ 'Content-Range': z.string() }) },
});

/** A whole (small) collection in the simple-rest dialect: every row, one page. */
const wholeList = <T>(rows: T[], q: { offset: number; limit: number }) => ({ rows: rows.slice(q.offset, q.offset + q.limit), total: rows.length });

const operator = requireStaff('station_operator');
const stationStaff = requireStaff('station_operator', 'review');
const authority = requireStaff('review');

/**
 * Staff side of 机动车安全技术检验预约, react-admin simple-rest dialect
 * with named commands. Station operators act on their own station only; a
 * city's 管理岗 on the city (switch, plan, station status), the province's
 * 管理岗 publishes the aggregated cross-city plan.
 */
export const inspectionAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-scope', tags: ['inspections (staff)'], summary: 'My station, city or province for the inspection screens',
      middleware: [stationStaff] as const,
      responses: { 200: jsonResponse(StaffScope, 'scope'), ...problems(401, 403) },
    }),
    async (c) => c.json(await service.staffScope(c.get('deps').sql, c.get('staff')!), 200),
  )
  // --- stations and schedules (R-36.2.1) ---
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-stations', tags: ['inspections (staff)'], summary: 'Stations in my scope, with schedule and pending bookings',
      middleware: [stationStaff] as const, request: { query: ListQuery },
      responses: { ...listOf(StationDto, 'stations'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'name'], ['name', 'ASC']);
      const { rows, total } = wholeList(await service.listStations(c.get('deps').sql, c.get('staff')!), q);
      return listResponse(c, 'inspection-stations', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-stations/{id}', tags: ['inspections (staff)'], summary: 'One station',
      middleware: [stationStaff] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StationDto, 'station'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getStation(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-stations/{id}/schedule', tags: ['inspections (staff)'], summary: 'Publish the schedule: opening days, time slots, capacity, what the station tests (R-36.2.1)',
      middleware: [operator] as const, request: { params: IdParam, ...jsonBody(ScheduleRequest) },
      responses: { 200: jsonResponse(StationDto, 'station'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => c.json(await service.publishSchedule(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-stations/{id}/status', tags: ['inspections (staff)'], summary: 'Suspend, withdraw or resume the booking service (R-36.6)',
      middleware: [stationStaff] as const, request: { params: IdParam, ...jsonBody(StationStatusRequest) },
      responses: { 200: jsonResponse(StationStatusResult, 'new status, notice and pending bookings'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.changeStationStatus(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  // --- slots (R-36.2.1, R-36.5) ---
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-slots', tags: ['inspections (staff)'], summary: 'Slots with capacity and booked (filter: from, to, day, status, stationId)',
      middleware: [stationStaff] as const, request: { query: ListQuery },
      responses: { ...listOf(StaffSlot, 'slots'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'day', 'capacity', 'booked', 'status', 'stationName'], ['day', 'ASC']);
      const { rows, total } = await service.listSlots(c.get('deps').sql, c.get('staff')!, q);
      return listResponse(c, 'inspection-slots', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-slots/publish', tags: ['inspections (staff)'], summary: 'Bulk-create slots for a date range × opening days × time slots (R-36.2.1)',
      middleware: [operator] as const, request: jsonBody(PublishSlotsRequest),
      responses: { 201: jsonResponse(PublishSlotsResult, 'slots created'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.publishSlots(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-slots/close', tags: ['inspections (staff)'], summary: 'Close slots for an exceptional event; every affected user gets an SMS (R-36.5)',
      middleware: [operator] as const, request: jsonBody(CloseSlotsRequest),
      responses: { 200: jsonResponse(CloseSlotsResult, 'closed'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.closeSlots(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-slots/{id}', tags: ['inspections (staff)'], summary: 'One slot',
      middleware: [stationStaff] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StaffSlot, 'slot'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getSlot(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-slots/{id}/capacity', tags: ['inspections (staff)'], summary: 'Change capacity; below the booked count refused unless the excess is cancelled or moved (with SMS)',
      middleware: [operator] as const, request: { params: IdParam, ...jsonBody(CapacityRequest) },
      responses: { 200: jsonResponse(StaffSlot, 'slot'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.changeCapacity(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  // --- bookings, station side ---
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-bookings', tags: ['inspections (staff)'], summary: 'Bookings of my stations (filter: pending, status, slotId, stationId, q)',
      middleware: [stationStaff] as const, request: { query: ListQuery },
      responses: { ...listOf(StaffBooking, 'bookings'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'day', 'createdAt', 'status', 'code'], ['day', 'ASC']);
      const { rows, total } = await service.listStaffBookings(c.get('deps').sql, c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'inspection-bookings', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-bookings/{id}', tags: ['inspections (staff)'], summary: 'One booking',
      middleware: [stationStaff] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StaffBooking, 'booking'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getStaffBooking(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-bookings/{id}/end', tags: ['inspections (staff)'], summary: 'Record completed / no-show, or cancel a booking the station cannot serve (SMS)',
      middleware: [stationStaff] as const, request: { params: IdParam, ...jsonBody(EndBookingRequest) },
      responses: { 200: jsonResponse(StaffBooking, 'booking'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.endBookingByStation(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  // --- authorities: city switch ---
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-cities', tags: ['inspections (staff)'], summary: 'Cities in my scope and whether they offer booking (R-36.1)',
      middleware: [authority] as const, request: { query: ListQuery },
      responses: { ...listOf(CityDto, 'cities'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'name'], ['id', 'ASC']);
      const { rows, total } = wholeList(await service.listCities(c.get('deps').sql, c.get('staff')!), q);
      return listResponse(c, 'inspection-cities', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-cities/{id}/booking', tags: ['inspections (staff)'], summary: 'Switch online booking on or off for my city (R-36.1)',
      middleware: [authority] as const, request: { params: CityParam, ...jsonBody(CityBookingRequest) },
      responses: { 200: jsonResponse(CityDto, 'city'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.setCityBooking(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
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
      const { rows, total } = await service.listPlans(c.get('deps').sql, c.get('staff')!, q);
      return listResponse(c, 'inspection-plans', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-plans', tags: ['inspections (staff)'], summary: 'Prepare my city’s cross-city plan (draft) (R-36.2.1)',
      middleware: [authority] as const, request: jsonBody(PlanRequest),
      responses: { 201: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.createPlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-plans/publish', tags: ['inspections (staff)'], summary: 'Province: aggregate every city’s latest filed plan and publish (R-36.2.2)',
      middleware: [authority] as const, request: jsonBody(PublishPlanRequest),
      responses: { 201: jsonResponse(ProvincePlanDto, 'published'), ...problems(401, 403, 422) },
    }),
    async (c) => c.json(await service.publishProvincePlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-plans/{id}', tags: ['inspections (staff)'], summary: 'One plan',
      middleware: [authority] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getPlan(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'put', path: '/admin-api/inspection-plans/{id}', tags: ['inspections (staff)'], summary: 'Change a draft plan',
      middleware: [authority] as const, request: { params: IdParam, ...jsonBody(PlanRequest) },
      responses: { 200: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.updatePlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-plans/{id}/file', tags: ['inspections (staff)'], summary: 'File the plan with the province (报备) (R-36.2.1)',
      middleware: [authority] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(PlanDto, 'plan'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.filePlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-province-plans', tags: ['inspections (staff)'], summary: 'The province’s publications, newest first',
      middleware: [authority] as const, request: { query: ListQuery },
      responses: { ...listOf(ProvincePlanDto, 'publications'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'version'], ['version', 'DESC']);
      const { rows, total } = wholeList(await service.listProvincePlans(c.get('deps').sql, c.get('staff')!), q);
      return listResponse(c, 'inspection-province-plans', q, rows, total);
    },
  );
