import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { clearOwnerCookie, clearSessionCookie, ownerCookie, sessionCookie } from '../../platform/sessions.ts';
import { SignInRequest, SmsCodeRequest, SmsCodeResponse, SmsSignInRequest } from './schemas.ts';
import { UserDto } from '../accounts/schemas.ts';
import * as service from './service.ts';
import { getUserDto } from '../accounts/service.ts';

const AuthResponse = z.object({ user: UserDto }).openapi('AuthResponse');

/** Citizen sign-in, sign-out and SMS codes (sign-up lives in accounts). */
export const authRoutes = router()
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/sms-codes', tags: ['auth'], summary: 'Send a one-time SMS code',
      request: jsonBody(SmsCodeRequest),
      responses: { 202: jsonResponse(SmsCodeResponse, 'code sent (or silently not, for unknown phones at sign-in)'), ...problems(429) },
    }),
    async (c) => c.json(await service.requestSmsCode(c.get('deps'), c.req.valid('json'), meta(c)), 202),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/sign-in', tags: ['auth'], summary: 'Sign in with phone and password',
      request: jsonBody(SignInRequest),
      responses: { 200: jsonResponse(AuthResponse, 'signed in; sets the jg_session cookie'), ...problems(401, 403, 429) },
    }),
    async (c) => {
      const s = await service.signInWithPassword(c.get('deps'), c.req.valid('json'), meta(c), c.get('user')?.sessionId);
      c.header('Set-Cookie', sessionCookie('user', s.token, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      c.header('Set-Cookie', ownerCookie(s.userId, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.json({ user: await getUserDto(c.get('deps').sql, s.userId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/sign-in/sms', tags: ['auth'], summary: 'Sign in with an SMS code (also reactivates a suspended account)',
      request: jsonBody(SmsSignInRequest),
      responses: { 200: jsonResponse(AuthResponse, 'signed in'), ...problems(401, 422, 429) },
    }),
    async (c) => {
      const s = await service.signInWithSms(c.get('deps'), c.req.valid('json'), meta(c), c.get('user')?.sessionId);
      c.header('Set-Cookie', sessionCookie('user', s.token, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      c.header('Set-Cookie', ownerCookie(s.userId, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.json({ user: await getUserDto(c.get('deps').sql, s.userId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/sign-out', tags: ['auth'], summary: 'Sign out this device',
      middleware: [requireUser()] as const,
      responses: { 204: { description: 'signed out' }, ...problems(401) },
    }),
    async (c) => {
      await service.signOut(c.get('deps'), userActor(c), c.get('user')!.sessionId, meta(c));
      c.header('Set-Cookie', clearSessionCookie('user', c.get('deps').config.COOKIE_SECURE), { append: true });
      c.header('Set-Cookie', clearOwnerCookie(c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/sign-out-everywhere', tags: ['auth'], summary: 'End every session of this account',
      middleware: [requireUser()] as const,
      responses: { 204: { description: 'all sessions ended' }, ...problems(401) },
    }),
    async (c) => {
      await service.signOutEverywhere(c.get('deps'), userActor(c), meta(c));
      c.header('Set-Cookie', clearSessionCookie('user', c.get('deps').config.COOKIE_SECURE), { append: true });
      c.header('Set-Cookie', clearOwnerCookie(c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.body(null, 204);
    },
  );
