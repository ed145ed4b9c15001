import { error, redirect, type Cookies } from '@sveltejs/kit';
import { ApiError, platesClient, type ApiResult } from 'bff/client';
import { bffFor, reachBff } from '$lib/server/bff';

type Event = { request: Request; cookies: Cookies; url: URL; locals: App.Locals };

/** The plate-preselection calls of the bff client, for one request (cookie and language forwarded). */
export function plates(event: Event) {
  return platesClient(bffFor(event));
}

export function toSignIn(event: Event): never {
  redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
}

/** For loads: the data; signed out → sign-in; another refusal → the error page with the bff's text; bff down → 503. */
export async function loadPlates<T>(event: Event, call: () => Promise<ApiResult<T>>): Promise<T> {
  try {
    return (await reachBff(event.locals.lang, call)).data;
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.problem.status === 401) toSignIn(event);
      error(e.problem.status, e.problem.title);
    }
    throw e;
  }
}

/** A uuid path parameter, or 404 without asking the bff. */
export function uuidParam(value: string | undefined): string {
  if (!value || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) error(404, 'Not found');
  return value;
}
