import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor, citizenOf } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { readsOf } from '../../core/context.ts';
import {
  Alternatives, BookRequest, Booking, Bookings, EligibleVehicles, IdParam, MoveRequest, Notice, PlanInForce, SlotSearchQuery, SlotSearchResult,
} from './schemas.ts';
import * as service from './service.ts';
import { idempotency, replayResponse } from '../../http/idempotency.ts';

/** 机动车安全技术检验预约, citizen side (R-34, R-35; publications). */
export const inspectionRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/inspections/vehicles', tags: ['inspections'], summary: 'My bound vehicles, each with whether it can be booked and why not (R-35.1–R-35.3)',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(EligibleVehicles, 'vehicles'), ...problems(401) },
    }),
    async (c) => c.json(await service.listVehicles(c.get('deps').sql, c.get('user')!.id, c.get('now'), c.get('locale')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/inspections/slots', tags: ['inspections'], summary: 'Stations that can test the vehicle, with free places per slot (R-35.4, R-36.2.1)',
      middleware: [requireUser()] as const, request: { query: SlotSearchQuery },
      responses: { 200: jsonResponse(SlotSearchResult, 'stations and slots'), ...problems(401, 404, 422) },
    }),
    async (c) => c.json(await service.searchSlots(c.get('deps').sql, c.get('user')!.id, c.req.valid('query'), c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/inspections/bookings', tags: ['inspections'], summary: 'Book an inspection slot; SMS with the booking code (R-34, R-35)',
      // The session is read, and the Idempotency-Key stored, in the booking's own statements (ADR-015, ADR-017).
      middleware: [requireUser({ deferred: true }), idempotency({ atomic: true })] as const, request: jsonBody(BookRequest),
      responses: { 201: jsonResponse(Booking, 'booked'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const r = await service.bookInspection(c.get('deps'), citizenOf(c), c.req.valid('json'), meta(c), c.get('idempotency'));
      // A replay is the stored answer of the first request, byte for byte (its type was checked then).
      if ('replay' in r) return replayResponse(r.replay, c.get('requestId')) as never;
      return c.json(r.booking, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/inspections/bookings', tags: ['inspections'], summary: 'My bookings, newest first (history included)',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(Bookings, 'bookings'), ...problems(401) },
    }),
    async (c) => c.json(await service.listBookings(readsOf(c.get('deps')), c.get('user')!.id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/inspections/bookings/{id}', tags: ['inspections'], summary: 'One of my bookings',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(Booking, 'booking'), ...problems(401, 404) },
    }),
    async (c) => c.json(await service.getBooking(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/inspections/bookings/{id}/cancel', tags: ['inspections'], summary: 'Cancel before the inspection day (R-35.5); the place is free at once',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(Booking, 'cancelled'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.cancelBooking(c.get('deps'), userActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/inspections/bookings/{id}/move', tags: ['inspections'],
      summary: 'Move (改约) an active booking to another slot in one step: the old place freed and the new one taken in one transaction (R-35.5, R-36.6)',
      // The Idempotency-Key is stored in the move's own transaction, as the booking's is (ADR-015).
      middleware: [requireUser(), idempotency({ atomic: true })] as const, request: { params: IdParam, ...jsonBody(MoveRequest) },
      responses: { 201: jsonResponse(Booking, 'the new booking'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const r = await service.moveBooking(c.get('deps'), userActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c), c.get('idempotency'));
      if ('replay' in r) return replayResponse(r.replay, c.get('requestId')) as never;
      return c.json(r.booking, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/inspections/bookings/{id}/alternatives', tags: ['inspections'], summary: 'The nearest free slots that can take this vehicle (R-36.6)',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(Alternatives, 'alternatives'), ...problems(401, 404) },
    }),
    async (c) => c.json(await service.alternatives(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/inspections/notices', tags: ['inspections'], summary: 'Published suspensions, withdrawals and resumptions of stations (R-36.6); public',
      responses: { 200: jsonResponse(z.object({ notices: z.array(Notice) }), 'notices'), ...problems() },
    }),
    async (c) => c.json({ notices: await service.notices(c.get('deps').sql) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/inspections/cross-city-plans/{provinceId}', tags: ['inspections'], summary: 'The province’s published cross-city plan in force (R-36.2.2); public',
      request: { params: z.object({ provinceId: z.string().regex(/^\d{6}$/) }) },
      responses: { 200: jsonResponse(PlanInForce, 'the plan in force'), ...problems(404) },
    }),
    async (c) => c.json(await service.planInForce(c.get('deps').sql, c.req.valid('param').provinceId), 200),
  );
