import type { z } from '@hono/zod-openapi';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';
import type { Actor, Citizen, RequestMeta } from '../core/context.ts';
import { validationHook } from './validation.ts';
import { DomainError } from '../core/errors.ts';
import { Problem } from '../core/problem.ts';

/** Every module's router: validation failures become 400 problem+json. */
export function router() {
  return new OpenAPIHono<AppEnv>({ defaultHook: (result) => validationHook(result as never) });
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
