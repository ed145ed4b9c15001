import type { Cookies } from '@sveltejs/kit';

export type CookieAttributes = {
  path: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
  maxAge?: number;
  expires?: Date;
  priority?: 'low' | 'medium' | 'high';
};

export type ParsedSetCookie = { name: string; value: string; attributes: CookieAttributes };

function oneOf<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  const v = value.toLowerCase();
  return allowed.find((a) => a === v);
}

/**
 * Reads one Set-Cookie header from the bff. The bff sits on another origin,
 * so its Domain never applies to the browser's view of web and is dropped;
 * Secure follows the request the browser made to web (plain http on localhost).
 */
export function parseSetCookie(header: string, secure: boolean): ParsedSetCookie | null {
  const [pair = '', ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const attributes: CookieAttributes = { path: '/', httpOnly: false, secure };
  for (const attribute of rest) {
    const [rawKey = '', ...valueParts] = attribute.split('=');
    const value = valueParts.join('=').trim();
    switch (rawKey.trim().toLowerCase()) {
      case 'path':
        attributes.path = value || '/';
        break;
      case 'httponly':
        attributes.httpOnly = true;
        break;
      case 'max-age': {
        const seconds = Number(value);
        if (value !== '' && Number.isFinite(seconds)) attributes.maxAge = seconds;
        break;
      }
      case 'expires': {
        const at = new Date(value);
        if (!Number.isNaN(at.getTime())) attributes.expires = at;
        break;
      }
      case 'samesite':
        attributes.sameSite = oneOf(value, ['lax', 'strict', 'none'] as const);
        break;
      case 'priority':
        attributes.priority = oneOf(value, ['low', 'medium', 'high'] as const);
        break;
    }
  }
  // SameSite=None is refused without Secure; on http fall back to the browsers' default.
  if (attributes.sameSite === 'none' && !secure) attributes.sameSite = 'lax';
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** Forwards the bff's cookies (the `jg_session` above all) to the browser, from loads and actions. */
export function forwardSetCookies(headers: Headers, cookies: Cookies, secure: boolean): void {
  for (const header of headers.getSetCookie()) {
    const parsed = parseSetCookie(header, secure);
    // The value is already encoded for a cookie header; pass it through untouched.
    if (parsed) cookies.set(parsed.name, parsed.value, { ...parsed.attributes, encode: (v) => v });
  }
}

const title = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** The same rules for the raw headers the /api proxy passes back. */
export function rewriteSetCookie(header: string, secure: boolean): string | null {
  const parsed = parseSetCookie(header, secure);
  if (!parsed) return null;
  const { name, value, attributes: a } = parsed;
  const parts = [`${name}=${value}`, `Path=${a.path}`];
  if (a.maxAge !== undefined) parts.push(`Max-Age=${a.maxAge}`);
  if (a.expires) parts.push(`Expires=${a.expires.toUTCString()}`);
  if (a.httpOnly) parts.push('HttpOnly');
  if (a.secure) parts.push('Secure');
  if (a.sameSite) parts.push(`SameSite=${title(a.sameSite)}`);
  if (a.priority) parts.push(`Priority=${title(a.priority)}`);
  return parts.join('; ');
}
