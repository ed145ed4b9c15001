import type { z } from '@hono/zod-openapi';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';
import type { Actor, Citizen, RequestMeta } from '../core/context.ts';
import { validationHook } from './validation.ts';
import { DomainError } from '../core/errors.ts';
import { Problem } from '../core/problem.ts';
import type { GuardInfo } from './auth.ts';
import { sessionPolicy } from '../platform/sessions.ts';

/**
 * Every module's router: validation failures (and text with control
 * characters, anywhere in a request) become 400 problem+json. Each route it
 * documents gets an `operationId` made from its method and path, unless it
 * names one, and the security its guard demands (ADR-023).
 */
export function router() {
  const r = new OpenAPIHono<AppEnv>({ defaultHook: (result) => validationHook(result as never) });
  const register = r.openapi;
  r.openapi = ((route: Parameters<typeof register>[0], handler: never, hook: never) =>
    register({ ...route, operationId: route.operationId ?? operationIdOf(route.method, route.path), security: route.security ?? securityOf(route.middleware) }, handler, hook)) as typeof register;
  return r;
}

/** `post /admin-api/uploads/{id}/complete` → `postAdminApiUploadsByIdComplete`: stable, unique with the path. */
export function operationIdOf(method: string, path: string): string {
  const words = path.split('/').filter(Boolean).map((seg) => {
    const param = /^\{(.+)\}$/.exec(seg);
    return (param ? `by-${param[1]}` : seg).split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  });
  return method.toLowerCase() + words.join('');
}

/** The security requirement of a route, from the guard among its middleware (http/auth.ts): none → public. */
function securityOf(middleware: unknown): Record<string, string[]>[] {
  const list = Array.isArray(middleware) ? middleware : middleware ? [middleware] : [];
  const guard = list.map((m) => (m as { guard?: GuardInfo }).guard).find((g) => g !== undefined);
  if (!guard) return [];
  return guard.kind === 'user' ? [{ citizenSession: [] }] : [{ staffSession: [...guard.roles] }];
}

/** The two session cookies as security schemes of the document (citizens and staff never share one). */
export function describeSecurity(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'citizenSession', {
    type: 'apiKey', in: 'cookie', name: sessionPolicy.user.cookie,
    description: 'A citizen’s session (web app), set by signing in or up.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'staffSession', {
    type: 'apiKey', in: 'cookie', name: sessionPolicy.staff.cookie,
    description: 'A staff member’s session (staff console), set by signing in; the requirement lists the posts that may call the operation (none listed: any post).',
  });
}

const problemContent = { 'application/problem+json': { schema: Problem } };

/** The error answers a route may give, for the OpenAPI document. */
export function problems(...statuses: number[]) {
  const out: Record<number, { description: string; content: typeof problemContent }> = {};
  for (const s of [400, ...statuses]) out[s] = { description: `problem (${s})`, content: problemContent };
  return out;
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export function meta(c: Context<AppEnv>): RequestMeta & { userAgent: string | null } {
  return { requestId: c.get('requestId'), ip: c.get('ip'), now: c.get('now'), userAgent: c.req.header('user-agent') ?? null };
}

export function userActor(c: Context<AppEnv>): Actor & { kind: 'user' } {
  const u = c.get('user');
  if (!u) throw new DomainError('auth.required');
  return { kind: 'user', id: u.id, label: u.label };
}

/** {@link userActor}, or the deferred session of an endpoint that reads it itself (http/auth.ts deferSession). */
export function citizenOf(c: Context<AppEnv>): Citizen {
  const deferred = c.get('deferredSession');
  return deferred ? { deferredSession: deferred } : userActor(c);
}

export function staffActor(c: Context<AppEnv>): Actor & { kind: 'staff' } {
  const s = c.get('staff');
  if (!s) throw new DomainError('auth.required');
  return { kind: 'staff', id: s.id, label: s.label, authorityId: s.authorityId };
}
