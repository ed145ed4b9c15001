import { createRoute, z } from '@hono/zod-openapi';
import { readsOf } from '../../core/context.ts';
import { binaryUpload, fileBody } from '../../http/uploads.ts';
import { UploadDto } from '../../platform/uploads/schemas.ts';
import { router, problems, jsonBody, jsonResponse, meta, userActor } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { clearOwnerCookie, clearSessionCookie, ownerCookie, sessionCookie } from '../../platform/sessions.ts';
import { SignInRequest, SmsCodeResponse, SmsSignInRequest } from '../auth/schemas.ts';
import * as auth from '../auth/service.ts';
import { CancelRequest, ChangeContactRequest, ChangePasswordRequest, ChangePhoneRequest, MeResponse, PhoneCodeRequest, PhotoSubmissionDto, SignUpRequest, SubmitPhotoRequest, UploadQuery, AuthResponse } from './schemas.ts';
import * as service from './service.ts';

/** A file as the body (http/uploads.ts): outside the JSON-only rule, within its own limit. */
const photoBody = binaryUpload();

/**
 * Citizen API of chapter 2, the account itself: sign-in and registration
 * my account, changes, suspension
 * (PD-4), cancellation and the certificate photo.
 * Bindings are in bindings.routes.ts, counter applications in counter.routes.ts.
 */
export const accountRoutes = router()
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/sign-in', tags: ['auth'], summary: 'Sign in with phone and password',
      request: jsonBody(SignInRequest),
      responses: { 200: jsonResponse(AuthResponse, 'signed in; sets the jg_session cookie'), ...problems(401, 403, 429) },
    }),
    async (c) => {
      const s = await auth.signInWithPassword(c.get('deps'), c.req.valid('json'), meta(c), c.get('user')?.sessionId);
      c.header('Set-Cookie', sessionCookie('user', s.token, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      c.header('Set-Cookie', ownerCookie(s.userId, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.json({ user: await service.getUserDto(c.get('deps').sql, s.userId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/sign-in/sms', tags: ['auth'], summary: 'Sign in with an SMS code (also reactivates a suspended account)',
      request: jsonBody(SmsSignInRequest),
      responses: { 200: jsonResponse(AuthResponse, 'signed in'), ...problems(401, 422, 429) },
    }),
    async (c) => {
      const s = await auth.signInWithSms(c.get('deps'), c.req.valid('json'), meta(c), c.get('user')?.sessionId);
      c.header('Set-Cookie', sessionCookie('user', s.token, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      c.header('Set-Cookie', ownerCookie(s.userId, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.json({ user: await service.getUserDto(c.get('deps').sql, s.userId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/auth/sign-up', tags: ['accounts'], summary: 'Register online as owner-or-driver, learner or new-car owner (R-7.1, R-11.2)',
      request: jsonBody(SignUpRequest),
      responses: { 201: jsonResponse(AuthResponse, 'registered and signed in'), ...problems(409, 422, 429) },
    }),
    async (c) => {
      const s = await service.registerOnline(c.get('deps'), c.req.valid('json'), meta(c));
      c.header('Set-Cookie', sessionCookie('user', s.token, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      c.header('Set-Cookie', ownerCookie(s.userId, s.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.json({ user: await service.getUserDto(c.get('deps').sql, s.userId) }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/me', tags: ['accounts'], summary: 'My account, bound vehicles and licences, and the services my type may use',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(MeResponse, 'my account'), ...problems(401) },
    }),
    async (c) => c.json(await service.getMe(readsOf(c.get('deps')), c.get('user')!.id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/contact', tags: ['accounts'], summary: 'Change e-mail and postal address (R-15)',
      middleware: [requireUser()] as const, request: jsonBody(ChangeContactRequest),
      responses: { 200: jsonResponse(MeResponse, 'my account'), ...problems(401, 403) },
    }),
    async (c) => c.json(await service.changeContact(c.get('deps'), userActor(c), c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/phone/sms-code', tags: ['accounts'], summary: 'Send a code to the new phone number (R-11.1)',
      middleware: [requireUser()] as const, request: jsonBody(PhoneCodeRequest),
      responses: { 202: jsonResponse(SmsCodeResponse, 'code sent'), ...problems(401, 403, 409, 422, 429) },
    }),
    async (c) => c.json(await service.requestPhoneChangeCode(c.get('deps'), userActor(c), c.req.valid('json').phone, meta(c)), 202),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/phone', tags: ['accounts'], summary: 'Change the phone; the vehicle and licence records follow (R-9.1.3, R-11)',
      middleware: [requireUser()] as const, request: jsonBody(ChangePhoneRequest),
      responses: { 200: jsonResponse(MeResponse, 'my account'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.changePhone(c.get('deps'), userActor(c), c.get('user')!.sessionId, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/password', tags: ['accounts'], summary: 'Change (or first set) the password (R-15)',
      middleware: [requireUser()] as const, request: jsonBody(ChangePasswordRequest),
      responses: { 204: { description: 'changed; every other session of the user ended' }, ...problems(401, 403, 422, 429) },
    }),
    async (c) => {
      await service.changePassword(c.get('deps'), userActor(c), c.get('user')!.sessionId, c.req.valid('json'), meta(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/suspend', tags: ['accounts'], summary: 'Suspend my account; an SMS sign-in reactivates it (R-15, PD-4)',
      middleware: [requireUser()] as const,
      responses: { 204: { description: 'suspended and signed out everywhere' }, ...problems(401, 403, 409) },
    }),
    async (c) => {
      await service.suspendAccount(c.get('deps'), userActor(c), meta(c));
      c.header('Set-Cookie', clearSessionCookie('user', c.get('deps').config.COOKIE_SECURE), { append: true });
      c.header('Set-Cookie', clearOwnerCookie(c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/cancel', tags: ['accounts'], summary: 'Cancel my account (R-21.1.2, R-21.2)',
      middleware: [requireUser()] as const, request: jsonBody(CancelRequest),
      responses: { 204: { description: 'cancelled and signed out' }, ...problems(401, 403, 422, 429) },
    }),
    async (c) => {
      await service.cancelOwnAccount(c.get('deps'), userActor(c), c.req.valid('json'), meta(c));
      c.header('Set-Cookie', clearSessionCookie('user', c.get('deps').config.COOKIE_SECURE), { append: true });
      c.header('Set-Cookie', clearOwnerCookie(c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/me/certificate-photos', tags: ['accounts'], summary: 'My certificate-photo submissions and their review (R-18)',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(z.array(PhotoSubmissionDto), 'submissions'), ...problems(401) },
    }),
    async (c) => c.json(await service.myPhotos(c.get('deps').sql, c.get('user')!.id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/certificate-photos', tags: ['accounts'], summary: 'Submit an uploaded certificate photo for review within one working day (R-15, R-18)',
      middleware: [requireUser()] as const, request: jsonBody(SubmitPhotoRequest),
      responses: { 201: jsonResponse(z.array(PhotoSubmissionDto), 'submissions'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.submitCertificatePhoto(c.get('deps'), userActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/uploads', tags: ['accounts'],
      summary: 'Upload the certificate photo (R-15, R-18): the image’s bytes as the body, JPEG or PNG, at most 5 MB',
      middleware: [requireUser(), photoBody.middleware] as const, request: { query: UploadQuery, body: photoBody.body },
      responses: { 201: jsonResponse(UploadDto, 'stored, with its sha256'), ...problems(401, 403, 413, 415) },
    }),
    async (c) => c.json(await service.uploadAsCitizen(c.get('deps'), userActor(c), await fileBody(c), c.req.valid('query').purpose, meta(c)), 201),
  );
