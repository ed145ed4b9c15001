import { z } from '@hono/zod-openapi';
import { FILE_TYPES } from './kinds.ts';
import { MAX_UPLOAD_BYTES } from './rules.ts';

/** Wire shapes of the upload store (ADR-021), shared by every module that takes files. */

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

/** A file sent whole as the request body: what was stored. */
export const UploadDto = z.object({ id: z.string(), purpose: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string() }).openapi('Upload');

/** `?purpose=` of a one-body upload: one of the kinds the route's module declared. */
export const uploadQuery = <const K extends readonly [string, ...string[]]>(kinds: K) =>
  z.object({ purpose: z.enum(kinds).openapi({ description: 'what the file is (an upload kind of the module)' }) });

// Chunked uploads: announced, sent in ordered base64 chunks, then checked.
export const ChunkedUploadStart = z
  .strictObject({
    fileName: z.string().trim().min(1).max(200),
    contentType: z.enum(FILE_TYPES),
    sizeBytes: z.number().int().min(1).max(MAX_UPLOAD_BYTES),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/),
  })
  .openapi('ChunkedUploadStart');
export const UploadChunk = z.strictObject({ data: z.string().min(1).max(200_000) }).openapi('UploadChunk');
export const ChunkedUploadDto = z
  .object({
    id: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    receivedBytes: z.number().int(),
    nextChunk: z.number().int(),
    chunkBytes: z.number().int(),
    status: z.enum(['receiving', 'complete']),
  })
  .openapi('ChunkedUpload');
export const UploadIdParam = z.object({ id: uuid });
export const ChunkParam = z.object({ id: uuid, index: z.coerce.number().int().min(0).max(100) });
