import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff, requireStaffOrEnrolment } from '../../http/auth.ts';
import { DomainError } from '../../core/errors.ts';
import { clearSessionCookie, sessionCookie } from '../../platform/sessions.ts';
import { StaffDto, StaffSignInRequest, TotpConfirmRequest, TotpSetupRequest, TotpSetupResponse } from './schemas.ts';
import * as service from './service.ts';
import { findStaffById } from './repo.ts';

const StaffResponse = z.object({ staff: StaffDto }).openapi('StaffResponse');

/**
 * Staff sign-in with the second factor, and TOTP enrolment. A member without
 * one gets an enrolment session: who-am-I, sign-out and the two enrolment
 * steps open to it, every other staff route answers 403
 * `auth.totp_enrolment_required` (issue 17).
 */
export const staffAuthRoutes = router()
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/auth/sign-in', tags: ['staff auth'], summary: 'Staff sign-in (password, then TOTP; without one yet, an enrolment session)',
      request: jsonBody(StaffSignInRequest),
      responses: { 200: jsonResponse(StaffResponse, 'signed in; sets jg_staff_session'), ...problems(401, 403, 429) },
    }),
    async (c) => {
      const r = await service.staffSignIn(c.get('deps'), c.req.valid('json'), meta(c), c.get('staff')?.sessionId);
      c.header('Set-Cookie', sessionCookie('staff', r.token, r.expiresAt, c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.json({ staff: r.staff }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/auth/me', tags: ['staff auth'], summary: 'The signed-in staff member',
      middleware: [requireStaffOrEnrolment()] as const,
      responses: { 200: jsonResponse(StaffResponse, 'staff'), ...problems(401) },
    }),
    async (c) => {
      const s = await findStaffById(c.get('deps').sql, c.get('staff')!.id);
      if (!s) throw new DomainError('auth.required');
      return c.json({ staff: service.staffDto(s) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/auth/sign-out', tags: ['staff auth'], summary: 'Staff sign-out',
      middleware: [requireStaffOrEnrolment()] as const,
      responses: { 204: { description: 'signed out' }, ...problems(401) },
    }),
    async (c) => {
      await service.signOut(c.get('deps'), staffActor(c), c.get('staff')!.sessionId, meta(c));
      c.header('Set-Cookie', clearSessionCookie('staff', c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/auth/sign-out-everywhere', tags: ['staff auth'], summary: 'End every session of this staff member',
      middleware: [requireStaff()] as const,
      responses: { 204: { description: 'all sessions ended' }, ...problems(401) },
    }),
    async (c) => {
      await service.signOutEverywhere(c.get('deps'), staffActor(c), meta(c));
      c.header('Set-Cookie', clearSessionCookie('staff', c.get('deps').config.COOKIE_SECURE), { append: true });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/auth/totp/setup', tags: ['staff auth'],
      summary: 'Begin enrolling a second factor (replacing an enabled one needs the current password and a current code)',
      middleware: [requireStaffOrEnrolment()] as const,
      request: jsonBody(TotpSetupRequest),
      responses: { 200: jsonResponse(TotpSetupResponse, 'new key, shown once; it takes effect when a code confirms it'), ...problems(401, 422, 429) },
    }),
    async (c) => c.json(await service.beginTotpSetup(c.get('deps'), staffActor(c), c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/auth/totp/confirm', tags: ['staff auth'], summary: 'Confirm enrolment with a code of the new key; other sessions end',
      middleware: [requireStaffOrEnrolment()] as const,
      request: jsonBody(TotpConfirmRequest),
      responses: { 204: { description: 'second factor enabled' }, ...problems(401, 409, 429) },
    }),
    async (c) => {
      await service.confirmTotpSetup(c.get('deps'), staffActor(c), c.get('staff')!.sessionId, c.req.valid('json').code, meta(c));
      return c.body(null, 204);
    },
  );
