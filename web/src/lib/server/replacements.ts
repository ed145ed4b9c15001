import { createHash } from 'node:crypto';
import { error, redirect, type Cookies } from '@sveltejs/kit';
import { ApiError, replacementsClient, type ApiResult } from 'bff/client';
import { bffFor, reachBff } from '$lib/server/bff';

type Event = { request: Request; cookies: Cookies; url: URL; locals: App.Locals };

/** The replacement calls of the bff client, for one request (cookie and language forwarded). */
export function replacements(event: Event) {
  return replacementsClient(bffFor(event));
}

export function signInRedirect(event: Event): never {
  redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
}

/** For loads: the data; signed out → sign-in; another refusal → the error page with the bff's text. */
export async function loadOrFail<T>(event: Event, call: () => Promise<ApiResult<T>>): Promise<T> {
  try {
    return (await reachBff(event.locals.lang, call)).data;
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.problem.status === 401) signInRedirect(event);
      error(e.problem.status, e.problem.detail ?? e.problem.title);
    }
    throw e;
  }
}

export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
const TYPES: Record<string, 'image/jpeg' | 'image/png' | 'application/pdf'> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', pdf: 'application/pdf' };

/** JPEG, PNG or PDF, by the browser's type or else the file name (R-29.1.1 certificate image). */
export function uploadType(file: File): 'image/jpeg' | 'image/png' | 'application/pdf' | null {
  if (file.type === 'image/jpeg' || file.type === 'image/png' || file.type === 'application/pdf') return file.type;
  return TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''] ?? null;
}

/**
 * Sends a file to the bff in the chunks its JSON API takes (≤ 256 KB bodies):
 * start with size and sha256, PUT each chunk as base64, complete. Answers the upload id.
 */
export async function uploadInsuranceCertificate(event: Event, file: File): Promise<string> {
  const api = replacements(event);
  const bytes = Buffer.from(await file.arrayBuffer());
  const contentType = uploadType(file)!;
  const { data: started } = await api.startUpload({
    fileName: file.name.slice(-200) || 'certificate',
    contentType,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  for (let i = 0; i * started.chunkBytes < bytes.length; i++) {
    await api.uploadChunk(started.id, i, bytes.subarray(i * started.chunkBytes, (i + 1) * started.chunkBytes).toString('base64'));
  }
  await api.completeUpload(started.id);
  return started.id;
}
