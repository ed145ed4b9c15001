import type { Context } from 'hono';
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { chunkedUploadRoutes } from '../../http/uploads.ts';
import {
  ApplicationDto, ApplyRequest, DeferralDto, DeferralRequest, HealthReportDto, HealthReportRequest, IdParam, MyApplications, MyDeferrals,
  OptionsDto, ReceiptCheckDto, ReceiptQuery, RestoreDto,
} from './schemas.ts';
import * as service from './service.ts';
import * as deferrals from './deferrals.ts';
import * as obligations from './obligations.ts';

const withLocale = (c: Context<AppEnv>): service.Meta => ({ ...meta(c), locale: c.get('locale') });
const tags = ['licences'];

/** Citizen API of 补换领驾驶证, 延期 and the health certificate. */
export const licenceRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/licences/options', tags,
      summary: 'My bound licences: state, each service with its refusal explained (X-4.1.1 – X-4.1.12), health certificate, obligation, cancellation',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(OptionsDto, 'options'), ...problems(401, 403) },
    }),
    async (c) => c.json(await service.licenceOptions(c.get('deps').sql, c.get('user')!.id, c.get('now'), c.get('locale')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/licences/applications', tags, summary: 'My licence applications with their progress, and the one-year bar if active (X-4.1.9)',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(MyApplications, 'mine'), ...problems(401) },
    }),
    async (c) => c.json(await service.myApplications(c.get('deps').sql, c.get('user')!.id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/licences/applications', tags,
      summary: '期满换证 / 超龄换证 / 损毁换证 / 遗失补证; 受理岗 accepts within one working day (X-4.1.10)',
      middleware: [requireUser()] as const, request: jsonBody(ApplyRequest),
      responses: { 201: jsonResponse(ApplicationDto, 'submitted'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.applyForLicence(c.get('deps'), userActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/licences/applications/{id}', tags, summary: 'One of my licence applications with its progress',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ApplicationDto, 'application'), ...problems(401, 404) },
    }),
    async (c) => c.json(await service.getMyApplication(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/licences/applications/{id}/cancel', tags, summary: 'Cancel before 受理岗 accepted it',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ApplicationDto, 'cancelled'), ...problems(401, 404, 409) },
    }),
    async (c) => c.json(await service.cancelApplication(c.get('deps'), userActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/licences/deferrals', tags, summary: 'My deferrals (X-4.2) with their receipts once accepted',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(MyDeferrals, 'mine'), ...problems(401) },
    }),
    async (c) => c.json(await deferrals.myDeferrals(c.get('deps').sql, c.get('user')!.id, c.get('locale')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/licences/deferrals', tags,
      summary: '延期换证 / 延期审验 / 延期提交身体条件证明: ≥ 1 month before the date, once per period, ≤ 3 years (X-4.2, PD-11)',
      middleware: [requireUser()] as const, request: jsonBody(DeferralRequest),
      responses: { 201: jsonResponse(DeferralDto, 'submitted'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await deferrals.applyForDeferral(c.get('deps'), userActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/licences/deferrals/{id}', tags, summary: 'One of my deferrals: the 延期回执 with its verification code once accepted (X-4.2.4)',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(DeferralDto, 'deferral'), ...problems(401, 404) },
    }),
    async (c) => c.json(await deferrals.getMyDeferral(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').id, c.get('locale')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/public/licence-deferral-receipts', tags,
      summary: 'Check a printed 延期回执 by its number and verification code (X-4.2.4); public, answers masked data only',
      request: { query: ReceiptQuery },
      responses: { 200: jsonResponse(ReceiptCheckDto, 'receipt'), ...problems(404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await deferrals.verifyReceipt(c.get('deps').sql, q.reference, q.code, c.get('locale')), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/licences/{id}/health-reports', tags,
      summary: 'Submit my own 体检 report for my bound licence (X-4.3.5); restores a licence cancelled under X-4.3.3 when still possible',
      middleware: [requireUser()] as const, request: { params: IdParam, ...jsonBody(HealthReportRequest) },
      responses: { 201: jsonResponse(HealthReportDto, 'recorded'), ...problems(401, 404, 409, 422) },
    }),
    async (c) => c.json(await obligations.submitHealthReport(c.get('deps'), userActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/licences/{id}/restore', tags,
      summary: 'Restore a licence cancelled for a missing certificate, with a certificate submitted since (X-4.3.3)',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(RestoreDto, 'restored'), ...problems(401, 404, 409, 422) },
    }),
    async (c) => c.json(await obligations.restoreLicence(c.get('deps'), userActor(c), c.req.valid('param').id, withLocale(c)), 200),
  );

/** the citizen's own 体检 report, uploaded in chunks (the one store, ADR-021). */
export const licenceUploadRoutes = chunkedUploadRoutes({
  path: '/api/v1/licences/uploads', tags, guard: requireUser(), purpose: 'health_report',
  what: 'a 体检 (medical examination) report', owner: (c) => ({ kind: 'user', id: c.get('user')!.id }),
});
