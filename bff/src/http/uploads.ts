import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { routeOptions } from './route-options.ts';
import type { AppEnv } from './context.ts';
import type { Guard } from './auth.ts';
import { bodyLimitOf } from './body-limit.ts';
import { jsonBody, jsonResponse, problems, router } from './openapi.ts';
import { DomainError } from '../core/errors.ts';
import { FILE_TYPES } from '../platform/uploads/kinds.ts';
import { MAX_UPLOAD_BYTES } from '../platform/uploads/rules.ts';
import { ChunkedUploadDto, ChunkedUploadStart, ChunkParam, UploadChunk, UploadIdParam } from '../platform/uploads/schemas.ts';
import { completeUpload, startUpload, uploadChunk, type UploadOwner } from '../platform/uploads/service.ts';

/**
 * Routes that take a file (ADR-021). A route declares its binary body with
 * {@link binaryUpload}: the declaration puts the body in the OpenAPI document
 * and carries the route's own size limit, which app.ts applies instead of the
 * 256 KB JSON limit — nothing is switched on by path.
 */

/** Content types a file body may be sent as: the stored type is read from the bytes, never from this header. */
export const UPLOAD_BODY_TYPES = [...FILE_TYPES, 'application/octet-stream'] as const;

type BinaryBodyDeclaration = { limit: MiddlewareHandler<AppEnv> };
type BinaryBodyMiddleware = MiddlewareHandler<AppEnv> & { binaryBody: BinaryBodyDeclaration };

/**
 * A file as the request body, at most `maxBytes` (5 MB and a little slack, so
 * an oversized file is refused by the store with its own words). Only file
 * types are accepted as content type: a cross-site HTML form can send none of
 * them, which is what the JSON-only rule guards against on every other route.
 * Put `middleware` after the guard, `body` in the route's `request`.
 */
export function binaryUpload(opts: { maxBytes?: number; description?: string } = {}) {
  const maxBytes = opts.maxBytes ?? MAX_UPLOAD_BYTES + 1024;
  const mw: MiddlewareHandler<AppEnv> = async (c, next) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(UPLOAD_BODY_TYPES as readonly string[]).includes(type)) throw new DomainError('uploads.type');
    await next();
  };
  const file = { schema: z.string().openapi({ format: 'binary' }) };
  return {
    middleware: Object.assign(mw, { binaryBody: { limit: bodyLimitOf(maxBytes, 'uploads.too_large') } }) as BinaryBodyMiddleware,
    body: {
      content: Object.fromEntries(UPLOAD_BODY_TYPES.map((t) => [t, file])),
      required: true,
      description: opts.description ?? `the file’s bytes: JPEG, PNG or PDF (recognised by its bytes), at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
    },
  };
}

/** The matched route's binary-body declaration, if it made one (POST / PUT only). */
export function binaryBodyOf(c: Context<AppEnv>): BinaryBodyDeclaration | undefined {
  if (c.req.method !== 'POST' && c.req.method !== 'PUT') return undefined;
  return routeOptions(c).binaryBody;
}

/** The body of a {@link binaryUpload} route. */
export async function fileBody(c: Context<AppEnv>): Promise<Uint8Array> {
  return new Uint8Array(await c.req.arrayBuffer());
}

/**
 * The three routes of a chunked upload under `path` — start, chunk, complete —
 * for one upload kind of a module, each a JSON request within the API's usual
 * limit. `owner` is the signed-in principal the guard admitted.
 */
export function chunkedUploadRoutes(o: { path: string; tags: string[]; guard: Guard; purpose: string; what: string; owner: (c: Context<AppEnv>) => UploadOwner }) {
  const forbidden = o.guard.guard.kind === 'staff' ? [403] : [];
  return router()
    .openapi(
      createRoute({
        method: 'post', path: o.path, tags: o.tags,
        summary: `Start uploading ${o.what} (JPEG, PNG or PDF, at most 5 MB), sent in chunks of 128 KB`,
        middleware: [o.guard] as const, request: jsonBody(ChunkedUploadStart),
        responses: { 201: jsonResponse(ChunkedUploadDto, 'upload started'), ...problems(401, ...forbidden, 415, 422) },
      }),
      async (c) => c.json(await startUpload(c.get('deps').sql, o.owner(c), { ...c.req.valid('json'), purpose: o.purpose }, c.get('now')), 201),
    )
    .openapi(
      createRoute({
        method: 'put', path: `${o.path}/{id}/chunks/{index}`, tags: o.tags, summary: 'One chunk (base64), in order; a repeated chunk is accepted',
        middleware: [o.guard] as const, request: { params: ChunkParam, ...jsonBody(UploadChunk) },
        responses: { 200: jsonResponse(ChunkedUploadDto, 'upload'), ...problems(401, ...forbidden, 404, 409, 422) },
      }),
      async (c) => {
        const { id, index } = c.req.valid('param');
        return c.json(await uploadChunk(c.get('deps').sql, o.owner(c), id, index, c.req.valid('json').data), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: `${o.path}/{id}/complete`, tags: o.tags, summary: 'Finish: size, sha256 and file type are checked',
        middleware: [o.guard] as const, request: { params: UploadIdParam },
        responses: { 200: jsonResponse(ChunkedUploadDto, 'upload complete'), ...problems(401, ...forbidden, 404, 422) },
      }),
      async (c) => c.json(await completeUpload(c.get('deps').sql, o.owner(c), c.req.valid('param').id, c.get('now')), 200),
    );
}

/** A stored file as the answer, for the OpenAPI document (the handler answers with `c.body`). */
export function fileResponse(description: string) {
  const file = { schema: z.string().openapi({ format: 'binary' }) };
  return { description, content: Object.fromEntries(FILE_TYPES.map((t) => [t, file])) };
}
