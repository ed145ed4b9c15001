import { createRoute, z } from '@hono/zod-openapi';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../core/context.ts';
import { parseListQuery } from '../core/list-query.ts';
import { listOf, wholeListResponse } from './admin-list.ts';
import type { Guard } from './auth.ts';
import { jsonBody, jsonResponse, meta, problems, router, staffActor } from './openapi.ts';

const CityParam = z.object({ id: z.string().regex(/^\d{6}$/) });
const ListQuery = z.object({ sort: z.string().max(200).optional(), range: z.string().max(200).optional(), filter: z.string().max(2000).optional() });

/**
 * The three operations of a module's per-city setting (platform/city-settings.ts)
 * in the simple-rest dialect: the cities of my scope, one city, and the
 * 管理岗's update. The module brings its schemas, guards and service.
 */
export function citySettingRoutes<Dto extends z.ZodType, Update extends z.ZodType>(o: {
  resource: string;
  tags: string[];
  what: { list: string; one: string; update: string };
  Dto: Dto;
  Update: Update;
  read: Guard;
  write: Guard;
  list: (deps: Deps, staff: StaffPrincipal) => Promise<z.infer<Dto>[]>;
  get: (deps: Deps, staff: StaffPrincipal, cityId: string) => Promise<z.infer<Dto>>;
  update: (deps: Deps, staff: StaffPrincipal, actor: Actor & { kind: 'staff' }, cityId: string, input: z.infer<Update>, meta: RequestMeta) => Promise<z.infer<Dto>>;
}) {
  const path = `/admin-api/${o.resource}`;
  return router()
    .openapi(
      createRoute({
        method: 'get', path, tags: o.tags, summary: o.what.list,
        middleware: [o.read] as const, request: { query: ListQuery },
        responses: { ...listOf(o.Dto, 'settings'), ...problems(401, 403) },
      }),
      async (c) => {
        const q = parseListQuery(c.req.valid('query'), ['id'], ['id', 'ASC']);
        return wholeListResponse(c, o.resource, q, await o.list(c.get('deps'), c.get('staff')!));
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: `${path}/{id}`, tags: o.tags, summary: o.what.one,
        middleware: [o.read] as const, request: { params: CityParam },
        responses: { 200: jsonResponse(o.Dto, 'setting'), ...problems(401, 403, 404) },
      }),
      async (c) => c.json((await o.get(c.get('deps'), c.get('staff')!, c.req.valid('param').id)) as object, 200),
    )
    .openapi(
      createRoute({
        method: 'put', path: `${path}/{id}`, tags: o.tags, summary: o.what.update,
        middleware: [o.write] as const, request: { params: CityParam, ...jsonBody(o.Update) },
        responses: { 200: jsonResponse(o.Dto, 'setting'), ...problems(401, 403, 404) },
      }),
      async (c) => {
        // The body's type is the module's `Update` schema, validated above; a generic schema defeats Hono's inference here.
        const valid = c.req.valid.bind(c.req) as unknown as <T extends 'param' | 'json'>(target: T) => T extends 'param' ? { id: string } : z.infer<Update>;
        return c.json((await o.update(c.get('deps'), c.get('staff')!, staffActor(c), valid('param').id, valid('json'), meta(c))) as object, 200);
      },
    );
}
