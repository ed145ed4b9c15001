/**
 * Bindings, citizen side (R-9.1.1, R-9.1.4, R-10.3.1, PD-6): what is bound
 * and bindable, binding and unbinding own vehicles and licences, licences
 * bound to units.
 */
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { IdParam } from './schemas.ts';
import { BindingsResponse, BindLicenceToOrganisationRequest, OrgLinkParams } from './bindings.schemas.ts';
import * as bindings from './bindings.ts';

const bindingCommand = (path: string, summary: string) =>
  createRoute({
    method: 'post', path, tags: ['accounts'], summary, middleware: [requireUser()] as const, request: { params: IdParam },
    responses: { 200: jsonResponse(BindingsResponse, 'bindings after the change'), ...problems(401, 403, 404, 409, 422) },
  });

/** Citizen API of chapter 2, bindings: own vehicles and licences, a licence bound to a unit. */
export const bindingRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/me/bindings', tags: ['accounts'], summary: 'Bound and bindable vehicles and licences, licences bound to units (R-9.1.1, R-9.1.4)',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(BindingsResponse, 'bindings'), ...problems(401) },
    }),
    async (c) => c.json(await bindings.getBindings(c.get('deps').sql, c.get('user')!.id), 200),
  )
  .openapi(bindingCommand('/api/v1/me/vehicles/{id}/bind', 'Bind an own (or own unit’s) vehicle (R-9.1.1, R-10.3.1)'), async (c) =>
    c.json(await bindings.bindOwnVehicle(c.get('deps'), userActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(bindingCommand('/api/v1/me/vehicles/{id}/unbind', 'Unbind a vehicle'), async (c) =>
    c.json(await bindings.unbindVehicle(c.get('deps'), userActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(bindingCommand('/api/v1/me/licences/{id}/bind', 'Bind the own driving licence (R-9.1.1)'), async (c) =>
    c.json(await bindings.bindOwnLicence(c.get('deps'), userActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(bindingCommand('/api/v1/me/licences/{id}/unbind', 'Unbind a licence (own; a unit: a driver’s, PD-6)'), async (c) =>
    c.json(await bindings.unbindLicence(c.get('deps'), userActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/licences/{id}/organisations', tags: ['accounts'], summary: 'Bind my licence to a registered unit (R-9.1.4)',
      middleware: [requireUser()] as const, request: { params: IdParam, ...jsonBody(BindLicenceToOrganisationRequest) },
      responses: { 200: jsonResponse(BindingsResponse, 'bindings after the change'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await bindings.bindLicenceToOrganisation(c.get('deps'), userActor(c), c.req.valid('param').id, c.req.valid('json').uscc, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/licences/{id}/organisations/{accountId}/unbind', tags: ['accounts'], summary: 'Take my licence back from a unit (R-9.1.4, PD-6)',
      middleware: [requireUser()] as const, request: { params: OrgLinkParams },
      responses: { 200: jsonResponse(BindingsResponse, 'bindings after the change'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await bindings.unbindLicenceFromOrganisation(c.get('deps'), userActor(c), p.id, p.accountId, meta(c)), 200);
    },
  );
