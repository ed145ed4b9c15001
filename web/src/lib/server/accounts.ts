import { error, redirect, type Cookies } from '@sveltejs/kit';
import { accountsClient, ApiError, uploadCertificatePhoto, type ApiResult } from 'bff/client';
import { bffFor, bffUrl, forwardedFor, reachBff } from '$lib/server/bff';

type Event = { request: Request; cookies: Cookies; url: URL; locals: App.Locals };

/** The account calls of the bff client, for one request (cookie and language forwarded). */
export function accounts(event: Event) {
  return accountsClient(bffFor(event));
}

export function signInRedirect(event: Event): never {
  redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
}

/** For loads: the data; signed out → sign-in; another refusal → the error page in the user's language; bff down → 503. */
export async function loadAccount<T>(event: Event, call: () => Promise<ApiResult<T>>, opts: { public?: boolean } = {}): Promise<T> {
  try {
    return (await reachBff(event.locals.lang, call)).data;
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.problem.status === 401 && !opts.public) signInRedirect(event);
      error(e.problem.status, e.problem.title);
    }
    throw e;
  }
}

/** The certificate photo's bytes straight to the bff (binary body, not JSON). */
export async function uploadPhoto(event: Event, file: File) {
  const headers: Record<string, string> = { 'accept-language': event.locals.lang, ...forwardedFor(event) };
  const cookie = event.request.headers.get('cookie');
  if (cookie) headers.cookie = cookie;
  return uploadCertificatePhoto({ baseUrl: bffUrl(), headers }, new Uint8Array(await file.arrayBuffer()), file.type || 'application/octet-stream');
}
