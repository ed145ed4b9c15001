/** Test fixtures of the upload store (imported by *.test.ts only). */
import { expect } from 'vitest';
import type { TestEnv } from '../../../test/support.ts';
import { sha256Hex } from './service.ts';
import { UPLOAD_CHUNK_BYTES } from './rules.ts';

/** Uploads `bytes` through the chunked upload routes under `base` (http/uploads.ts chunkedUploadRoutes) and answers the upload id. */
export async function chunkedUpload(env: TestEnv, cookie: string, base: string, bytes: Buffer, extra: Record<string, unknown> = {}, contentType = 'image/png'): Promise<string> {
  const started = await env.call('POST', base, { cookie, body: { fileName: 'certificate.png', contentType, sizeBytes: bytes.length, sha256: sha256Hex(bytes), ...extra } });
  expect(started.status, JSON.stringify(await started.clone().json())).toBe(201);
  const id = (await started.json()).id as string;
  for (let i = 0; i * UPLOAD_CHUNK_BYTES < bytes.length; i++) {
    const part = bytes.subarray(i * UPLOAD_CHUNK_BYTES, (i + 1) * UPLOAD_CHUNK_BYTES);
    const r = await env.call('PUT', `${base}/${id}/chunks/${i}`, { cookie, body: { data: part.toString('base64') } });
    expect(r.status, JSON.stringify(await r.clone().json())).toBe(200);
  }
  const done = await env.call('POST', `${base}/${id}/complete`, { cookie });
  expect(done.status, JSON.stringify(await done.clone().json())).toBe(200);
  return id;
}
