import { error, redirect, type Cookies } from '@sveltejs/kit';
import { ApiError, inspectionsClient, type ApiResult } from 'bff/client';
import { bffFor, reachBff } from '$lib/server/bff';

type Event = { request: Request; cookies: Cookies; url: URL; locals: App.Locals };

/** The inspection calls of the bff client, for one request (cookie and language forwarded). */
export function inspections(event: Event) {
  return inspectionsClient(bffFor(event));
}

export function signInRedirect(event: Event): never {
  redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
}

/**
 * For loads: the data, or — signed out → the sign-in page; any other refusal
 * → the error page with the bff's localised text; bff down → 503.
 */
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

/** 'YYYY-MM-DD' or nothing: query parameters are the user's to change. */
export function dayParam(url: URL, name: string): string | undefined {
  const v = url.searchParams.get(name);
  return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
}

export function idParam(url: URL, name: string): string | undefined {
  const v = url.searchParams.get(name);
  return v && /^[0-9a-f-]{36}$/i.test(v) ? v : undefined;
}
