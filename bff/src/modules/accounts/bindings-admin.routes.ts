/**
 * Bindings, staff side: 受理岗 records vehicle and licence
 * events that unbind, and the first licence issued that converts a learner.
 */
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { parseListQuery, filterString } from '../../core/list-query.ts';
import { IdParam, ListQuery } from './schemas.ts';
import { LicenceApplicationDto, LicenceEventRequest, RecordsEventDto, VehicleEventRequest } from './bindings.schemas.ts';
import * as bindings from './bindings.ts';

const intake = requireStaff('intake');
const counter = requireStaff('intake', 'review');

/**
 * Staff API of chapter 2, bindings: 受理岗 records vehicle / licence events
 * and the first licence issued. Own city only (PD-9).
 */
export const bindingAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/records-events', tags: ['accounts (staff)'], summary: 'Vehicle and licence events recorded, with the bindings they ended (R-17)',
      middleware: [counter] as const, request: { query: ListQuery },
      responses: { ...listOf(RecordsEventDto, 'events'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['at', 'id'], ['at', 'DESC']);
      const { rows, total } = await bindings.listRecordsEvents(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'records-events', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/records-events/vehicle', tags: ['accounts (staff)'], summary: 'Record a transfer, deregistration or operating→non-operating: unbinds everyone but the owner (R-17)',
      middleware: [intake] as const, request: jsonBody(VehicleEventRequest),
      responses: { 201: jsonResponse(RecordsEventDto, 'event'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => c.json(await bindings.recordVehicleEvent(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/records-events/licence', tags: ['accounts (staff)'], summary: 'Record a licence cancellation: unbinds it from every user (R-17)',
      middleware: [intake] as const, request: jsonBody(LicenceEventRequest),
      responses: { 201: jsonResponse(RecordsEventDto, 'event'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => c.json(await bindings.recordLicenceEvent(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/licence-applications', tags: ['accounts (staff)'], summary: 'Accepted first-licence applications (filter status)',
      middleware: [intake] as const, request: { query: ListQuery },
      responses: { ...listOf(LicenceApplicationDto, 'applications'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['acceptedAt', 'id'], ['acceptedAt', 'DESC']);
      const { rows, total } = await bindings.listLicenceApplications(c.get('deps'), c.get('staff')!, q, filterString(q.filter, 'status'));
      return listResponse(c, 'licence-applications', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/licence-applications/{id}/issue', tags: ['accounts (staff)'], summary: 'Record the first licence issued: the learner becomes a driver (R-9.2.2)',
      middleware: [intake] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(LicenceApplicationDto, 'application'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await bindings.recordLicenceIssued(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, meta(c)), 200),
  );
