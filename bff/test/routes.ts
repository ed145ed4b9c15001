import type { Guard, GuardInfo } from '../src/http/auth.ts';
import type { TestEnv } from './support.ts';

/**
 * Every method + path the app actually mounted (Hono's `app.routes`), not what
 * the OpenAPI document says: a route added outside `createRoute` cannot escape
 * the tests built on this list (authz-matrix.test.ts, fuzz.test.ts).
 */
export type RegisteredRoute = {
  method: string;
  /** As mounted: `/admin-api/uploads/:id`. */
  path: string;
  /** As the OpenAPI document writes it: `/admin-api/uploads/{id}`. */
  docPath: string;
  /** The guard among the route's handlers, if any (http/auth.ts). */
  guard: GuardInfo | null;
};

/** `:name` and `:name{regex}` → `{name}`. */
export const docPathOf = (honoPath: string) => honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');

/** Every parameter of a mounted path replaced by `value`. */
export const concretePath = (honoPath: string, value: string) => honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, value);

export function registeredRoutes(env: TestEnv): RegisteredRoute[] {
  const byKey = new Map<string, RegisteredRoute>();
  for (const r of env.app.routes) {
    // `app.use(...)` middleware is mounted for every method ('ALL'); endpoints name theirs.
    if (r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    const route = byKey.get(key) ?? { method: r.method, path: r.path, docPath: docPathOf(r.path), guard: null };
    const g = (r.handler as Partial<Guard>).guard;
    if (g) route.guard = g;
    byKey.set(key, route);
  }
  return [...byKey.values()];
}

type OpenApiDoc = { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>> };

export async function openapiDocument(env: TestEnv): Promise<OpenApiDoc> {
  return (await (await env.call('GET', '/api/openapi.json')).json()) as OpenApiDoc;
}

/**
 * Mounted routes that are not API operations and so not in the document,
 * each with its reason. Anything else mounted must be documented.
 */
export const OUTSIDE_DOCUMENT: Record<string, string> = {
  'GET /healthz': 'liveness probe of the process and both pools',
  'GET /api/openapi.json': 'the document itself',
  'GET /api/docs': 'the browsable reference (swagger-ui)',
  'GET /api/docs/assets/:file{[a-z0-9.-]+\\.(css|js)}': 'swagger-ui’s own files',
  'GET /admin': 'redirect to the staff console',
  'GET /admin/*': 'the staff console’s static files (admin/dist)',
  'GET /': 'redirect to the citizen web app',
};
