import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { clearOwnerCookie, clearSessionCookie } from '../../platform/sessions.ts';
import { PasswordResetCodeRequest, PasswordResetRequest, PasswordResetResponse, SmsCodeRequest, SmsCodeResponse } from './schemas.ts';
import * as service from './service.ts';

/** SMS codes, password reset and sign-out (signing up and in answer with the account, so they live in accounts). */
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
      method: 'post', path: '/api/v1/auth/password-reset/sms-code', tags: ['auth'], summary: 'Send a password-reset code (issue 18)',
      request: jsonBody(PasswordResetCodeRequest),
      responses: { 202: jsonResponse(SmsCodeResponse, 'code sent — or silently not, for a phone without an account: the answer is the same'), ...problems(429) },
    }),
    async (c) => c.json(await service.requestPasswordResetCode(c.get('deps'), c.req.valid('json'), meta(c)), 202),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/password-reset', tags: ['auth'], summary: 'Set a new password with a reset code; ends the account\'s other sessions (issue 18)',
      request: jsonBody(PasswordResetRequest),
      responses: { 200: jsonResponse(PasswordResetResponse, 'password reset'), ...problems(422, 429) },
    }),
    async (c) => {
      const user = c.get('user');
      return c.json(await service.resetPassword(c.get('deps'), c.req.valid('json'), meta(c), user ? { userId: user.id, sessionId: user.sessionId } : undefined), 200);
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
