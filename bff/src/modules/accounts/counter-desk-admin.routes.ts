/**
 * The counter's direct acts on an account, staff side (issue 18, ADR-027):
 * 受理岗 reads the holder's identity document and cancels the account
 * (R-21.1 (二), R-21.2) or ends one of its bindings.
 * 受理岗 only; local accounts only at their own city's counters (PD-9).
 */
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { IdParam } from './schemas.ts';
import { CounterActionDto, CounterBindingsDto, CounterCancelRequest, CounterUnbindRequest } from './counter-desk.schemas.ts';
import * as desk from './counter-desk.ts';

const intake = requireStaff('intake');

export const counterDeskAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/user-accounts/{id}/bindings', tags: ['accounts (staff)'], summary: 'The account’s live bindings, for 受理岗 to end one at the holder’s request',
      middleware: [intake] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(CounterBindingsDto, 'bindings'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await desk.bindingsAtCounter(c.get('deps'), c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/user-accounts/{id}/counter-cancel', tags: ['accounts (staff)'],
      summary: '窗口注销 at the holder’s request after the identity document is read (R-21.1 (二), R-21.2, R-16.2, R-20.1)',
      middleware: [intake] as const, request: { params: IdParam, ...jsonBody(CounterCancelRequest) },
      responses: { 200: jsonResponse(CounterActionDto, 'the act with its reference number'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await desk.cancelAtCounter(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/user-accounts/{id}/counter-unbind', tags: ['accounts (staff)'],
      summary: '窗口解绑 of one vehicle or licence at the holder’s request after the identity document is read (R-15, R-19.1, R-20.1)',
      middleware: [intake] as const, request: { params: IdParam, ...jsonBody(CounterUnbindRequest) },
      responses: { 200: jsonResponse(CounterActionDto, 'the act with its reference number'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await desk.unbindAtCounter(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  );
