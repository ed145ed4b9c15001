import { fetchUtils, HttpError } from 'react-admin';
import { sessionExpiry } from '../auth/session-expiry.ts';
import { isSessionEnd, problemToHttpError } from './problem.ts';

/** Same origin as the bff in production and behind vite's proxy in development. */
export const API_URL = '/admin-api';

export type Locale = 'zh-CN' | 'en';

// The providers are plain objects created once; they read the locale the i18n
// provider last switched to, so the bff localises problem titles to match the screen.
let requestLocale: Locale = 'zh-CN';
export const setRequestLocale = (locale: string) => {
  requestLocale = locale === 'en' ? 'en' : 'zh-CN';
};

export type HttpResult = { status: number; headers: Headers; body: string; json: unknown };

/** Signing in, out and "who am I" answer 401 as part of their job, not because a session ended. */
const AUTH_PATH = `${API_URL}/auth/`;

/**
 * fetchJson with the staff cookie (`jg_staff_session`, httpOnly: the browser adds it),
 * Accept-Language, and problem+json answers turned into localised HttpErrors.
 * A 401 on any other call means the session ended: whoever called gets the
 * error (never a success), and the console sends the staff member to sign in
 * again, once (auth/session-expiry.ts).
 */
export const httpClient = async (url: string, options: fetchUtils.Options = {}): Promise<HttpResult> => {
  const headers = new Headers(options.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
  headers.set('Accept-Language', requestLocale);
  try {
    return await fetchUtils.fetchJson(url, { ...options, headers, credentials: 'include' });
  } catch (error) {
    if (error instanceof HttpError) {
      const refused = problemToHttpError(error.status, error.message, error.body);
      if (isSessionEnd(refused) && !new URL(url, 'http://admin.invalid').pathname.startsWith(AUTH_PATH)) sessionExpiry.ended();
      throw refused;
    }
    throw error;
  }
};

/** A fresh key per user action: the bff replays the first answer if the request is repeated. */
export const newIdempotencyKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export const postJson = (path: string, body?: unknown, idempotencyKey?: string) =>
  httpClient(`${API_URL}${path}`, {
    method: 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: new Headers({
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
    }),
  });

export const getJson = (path: string) => httpClient(`${API_URL}${path}`);
