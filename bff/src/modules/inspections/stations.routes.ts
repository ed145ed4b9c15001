import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf, wholeListResponse } from '../../http/admin-list.ts';
import { revealRoute } from '../../http/personal-data.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { CapacityRequest, CloseSlotsRequest, CloseSlotsResult, EndBookingRequest, IdParam, ListQuery, PublishSlotsRequest, PublishSlotsResult, ScheduleRequest, StaffBooking, StaffScope, StaffSlot, StationDto, StationStatusRequest, StationStatusResult } from './schemas.ts';
import * as stations from './stations.ts';

const operator = requireStaff('station_operator');
const stationStaff = requireStaff('station_operator', 'review');

/** The citizen's phone on a booking, revealed with a reason (issue 17, ADR-024). */
export const bookingRevealRoutes = revealRoute({
  resource: 'inspection-bookings', tags: ['inspections (staff)'], guard: stationStaff, fields: 'phone', load: stations.bookingRevealTarget,
});

/**
 * Stations' side of 机动车安全技术检验预约 (R-36.2.1, R-36.5, R-36.6),
 * react-admin simple-rest dialect with named commands. Station operators act
 * on their own station only; a city's 管理岗 on the city's stations.
 */
export const inspectionAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-scope', tags: ['inspections (staff)'], summary: 'My station, city or province for the inspection screens',
      middleware: [stationStaff] as const,
      responses: { 200: jsonResponse(StaffScope, 'scope'), ...problems(401, 403) },
    }),
    async (c) => c.json(await stations.staffScope(c.get('deps').sql, c.get('staff')!), 200),
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
      return wholeListResponse(c, 'inspection-stations', q, await stations.listStations(c.get('deps').sql, c.get('staff')!));
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-stations/{id}', tags: ['inspections (staff)'], summary: 'One station',
      middleware: [stationStaff] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StationDto, 'station'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await stations.getStation(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-stations/{id}/schedule', tags: ['inspections (staff)'], summary: 'Publish the schedule: opening days, time slots, capacity, what the station tests (R-36.2.1)',
      middleware: [operator] as const, request: { params: IdParam, ...jsonBody(ScheduleRequest) },
      responses: { 200: jsonResponse(StationDto, 'station'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => c.json(await stations.publishSchedule(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-stations/{id}/status', tags: ['inspections (staff)'], summary: 'Suspend, withdraw or resume the booking service (R-36.6)',
      middleware: [stationStaff] as const, request: { params: IdParam, ...jsonBody(StationStatusRequest) },
      responses: { 200: jsonResponse(StationStatusResult, 'new status, notice and pending bookings'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await stations.changeStationStatus(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
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
      const { rows, total } = await stations.listSlots(c.get('deps').sql, c.get('staff')!, q);
      return listResponse(c, 'inspection-slots', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-slots/publish', tags: ['inspections (staff)'], summary: 'Bulk-create slots for a date range × opening days × time slots (R-36.2.1)',
      middleware: [operator] as const, request: jsonBody(PublishSlotsRequest),
      responses: { 201: jsonResponse(PublishSlotsResult, 'slots created'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await stations.publishSlots(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-slots/close', tags: ['inspections (staff)'], summary: 'Close slots for an exceptional event; every affected user gets an SMS (R-36.5)',
      middleware: [operator] as const, request: jsonBody(CloseSlotsRequest),
      responses: { 200: jsonResponse(CloseSlotsResult, 'closed'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await stations.closeSlots(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-slots/{id}', tags: ['inspections (staff)'], summary: 'One slot',
      middleware: [stationStaff] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StaffSlot, 'slot'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await stations.getSlot(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-slots/{id}/capacity', tags: ['inspections (staff)'], summary: 'Change capacity; below the booked count refused unless the excess is cancelled or moved (with SMS)',
      middleware: [operator] as const, request: { params: IdParam, ...jsonBody(CapacityRequest) },
      responses: { 200: jsonResponse(StaffSlot, 'slot'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await stations.changeCapacity(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-slots/{id}/reopen', tags: ['inspections (staff)'],
      summary: 'Reopen a slot closed by mistake; its bookings not moved meanwhile stand again, each user told by SMS (R-36.5)',
      middleware: [operator] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StaffSlot, 'slot'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await stations.reopenSlot(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, meta(c)), 200),
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
      const { rows, total } = await stations.listStaffBookings(c.get('deps').sql, c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'inspection-bookings', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/inspection-bookings/{id}', tags: ['inspections (staff)'], summary: 'One booking',
      middleware: [stationStaff] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StaffBooking, 'booking'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await stations.getStaffBooking(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/inspection-bookings/{id}/end', tags: ['inspections (staff)'], summary: 'Record completed / no-show, or cancel a booking the station cannot serve (SMS)',
      middleware: [stationStaff] as const, request: { params: IdParam, ...jsonBody(EndBookingRequest) },
      responses: { 200: jsonResponse(StaffBooking, 'booking'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await stations.endBookingByStation(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  );
