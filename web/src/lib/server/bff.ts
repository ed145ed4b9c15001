import { env } from '$env/dynamic/private';
import { error, type Cookies } from '@sveltejs/kit';
import { ApiError, createClient, type ApiClient, type ApiResult, type Problem } from 'bff/client';
import { translator, type Locale } from '$lib/i18n';
import { forwardSetCookies } from './set-cookie.ts';

/** Read on every call so the built server follows BFF_URL at run time. */
export function bffUrl(): string {
  return env.BFF_URL || 'http://127.0.0.1:8787';
}

type BffEvent = {
  request: Request;
  cookies: Cookies;
  url: URL;
  locals: App.Locals;
};

/**
 * The browser's address, for the bff's per-address limits (sign-in, lookups):
 * web's server is the one proxy hop the bff trusts (TRUSTED_PROXY_HOPS=1,
 * ADR-023), so it says whom it calls for, as it does under /api.
 */
export function forwardedFor(event: object): Record<string, string> {
  try {
    const address = (event as { getClientAddress?: () => string }).getClientAddress?.();
    return address ? { 'x-forwarded-for': address } : {};
  } catch {
    return {}; // prerendering: there is no client
  }
}

/**
 * The typed bff client for one request: the user's cookie and language go
 * along, and every cookie the bff sets (the session above all) is forwarded to
 * the browser. Global fetch on purpose: SvelteKit's event.fetch rewrites the
 * cookie header when the bff shares web's hostname.
 */
export function bffFor(event: BffEvent): ApiClient {
  // No Origin: a call from this server is not a browser's cross-site request (the bff's check, ADR-023).
  const headers: Record<string, string> = { 'accept-language': event.locals.lang, ...forwardedFor(event) };
  const cookie = event.request.headers.get('cookie');
  if (cookie) headers.cookie = cookie;
  const secure = event.url.protocol === 'https:';
  const forwardingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    forwardSetCookies(response.headers, event.cookies, secure);
    return response;
  };
  return createClient({ baseUrl: bffUrl(), fetch: forwardingFetch, headers });
}

/** Runs a bff call; an unreachable bff becomes a 503 page in the user's language. */
export async function reachBff<T>(lang: Locale, call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    console.warn('bff unreachable', e);
    error(503, translator(lang)('errors.bffUnavailable'));
  }
}

/**
 * For form actions: the bff's refusal, or an unreachable bff as a refusal the
 * form can show in its error summary. Anything else is a bug and is rethrown.
 */
export function asProblem(e: unknown, lang: Locale): Problem {
  if (e instanceof ApiError) return e.problem;
  if (e instanceof TypeError) {
    console.warn('bff unreachable', e);
    const title = translator(lang)('errors.bffUnavailable');
    return { type: 'about:blank', code: 'web.bff_unreachable', status: 503, title };
  }
  throw e;
}
