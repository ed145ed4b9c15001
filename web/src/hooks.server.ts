import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { dictionaryScript, toLocale, translator } from '$lib/i18n';
import { bffUrl } from '$lib/server/bff';
import { rewriteSetCookie } from '$lib/server/set-cookie';
import { LANG_COOKIE, TEXT_COOKIE } from '$lib/prefs';

// Hop-by-hop headers belong to one connection, not to the request being relayed.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

/**
 * `/api/*` goes to the bff untouched except for the language: the browser
 * only ever talks to web's origin, the bff answers in the UI's language.
 */
async function proxyToBff(event: RequestEvent): Promise<Response> {
  const { request, url, locals } = event;
  const target = new URL(url.pathname + url.search, bffUrl());

  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (!HOP_BY_HOP.has(name)) headers.set(name, value);
  }
  headers.set('accept-language', locals.lang);
  headers.set('x-forwarded-for', event.getClientAddress());
  headers.set('x-forwarded-proto', url.protocol.replace(':', ''));
  headers.set('x-forwarded-host', url.host);

  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
    });
  } catch (e) {
    console.warn('bff unreachable', e);
    const title = translator(locals.lang)('errors.bffUnavailable');
    return new Response(
      JSON.stringify({ type: 'about:blank', code: 'web.bff_unreachable', status: 502, title }),
      { status: 502, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' } },
    );
  }

  const responseHeaders = new Headers();
  for (const [name, value] of upstream.headers) {
    // fetch already decoded the body, so its encoding and length no longer hold.
    if (name === 'set-cookie' || name === 'content-encoding' || name === 'content-length' || HOP_BY_HOP.has(name)) {
      continue;
    }
    responseHeaders.set(name, value);
  }
  const secure = url.protocol === 'https:';
  for (const cookie of upstream.headers.getSetCookie()) {
    const rewritten = rewriteSetCookie(cookie, secure);
    if (rewritten) responseHeaders.append('set-cookie', rewritten);
  }
  const bodyless = request.method === 'HEAD' || upstream.status === 204 || upstream.status === 304;
  return new Response(bodyless ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders,
  });
}

/**
 * First visit only: start installing the service worker while the page is
 * still parsing instead of after hydration, so a page the user opens right
 * after (the account page after signing in) already goes into its caches.
 * Later visits register through virtual:pwa-register, which handles updates;
 * workbox-window ignores a first install it did not start, so it never
 * mistakes this one for an update and reloads the page. A file, not an
 * inline script: the Content-Security-Policy allows no inline script that
 * SvelteKit did not hash (svelte.config.js, ADR-023).
 */
const EARLY_SW_REGISTRATION = dev ? '' : `<script src="/sw-register-early.js"></script>`;

/** On every page (the CSP comes from SvelteKit, kit.csp): no sniffing, no framing, no full URLs in Referer (ADR-023). */
const PAGE_HEADERS: [string, string][] = [
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'same-origin'],
];

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.lang = toLocale(event.cookies.get(LANG_COOKIE));
  event.locals.largeText = event.cookies.get(TEXT_COOKIE) === 'large';

  if (event.url.pathname.startsWith('/api/')) return proxyToBff(event);

  const { lang, largeText } = event.locals;
  const response = await resolve(event, {
    transformPageChunk: ({ html }) =>
      html
        .replace('%lang%', lang)
        .replace('%text-size%', largeText ? 'large-text' : '')
        .replace('%sw-register%', EARLY_SW_REGISTRATION)
        // The page's language's words as data in the page, so hydration never waits for their chunk (ADR-026).
        .replace('%jg-dict%', () => dictionaryScript(lang)),
  });
  try {
    for (const [name, value] of PAGE_HEADERS) if (!response.headers.has(name)) response.headers.set(name, value);
  } catch {
    // A response with immutable headers (one fetched elsewhere) keeps its own.
  }
  return response;
};

/** Unexpected errors: logged here, never shown; the user gets a plain sentence in their language. */
export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status !== 404) console.error(error);
  return { message: translator(event.locals.lang ?? 'zh-CN')('errors.generic') };
};
