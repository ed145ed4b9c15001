import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor, citizenOf } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { readsOf } from '../../core/context.ts';
import { ExamApplication, ExamApplications, ExamApplyRequest, ExamLedger, ExamPermits, ExamPlans, ExamPlansQuery, IdParam } from './schemas.ts';
import * as service from './service.ts';

/** 考试预约, citizen side (X-4.4.1 –, PD-13) and the public ledger of an allocated plan. */
export const examRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/exams/permits', tags: ['exams'], summary: 'My learner permits, each subject with whether it can be booked and from when (X-4.4.1 – X-4.4.5)',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(ExamPermits, 'permits'), ...problems(401, 403) },
    }),
    async (c) => c.json(await service.myPermits(c.get('deps').sql, c.get('user')!.id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/exams/plans', tags: ['exams'], summary: 'Exam plans still collecting applications for my class (X-4.4.7)',
      middleware: [requireUser()] as const, request: { query: ExamPlansQuery },
      responses: { 200: jsonResponse(ExamPlans, 'plans'), ...problems(401, 403) },
    }),
    async (c) => c.json(await service.openPlans(c.get('deps').sql, c.get('user')!.id, c.req.valid('query'), c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/exams/applications', tags: ['exams'], summary: 'Apply for a plan; allocated by rank after the cut-off (X-4.4.8, PD-13)',
      middleware: [requireUser()] as const, request: jsonBody(ExamApplyRequest),
      responses: { 201: jsonResponse(ExamApplication, 'applied'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.apply(c.get('deps'), userActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/exams/applications', tags: ['exams'], summary: 'My exam applications, newest first',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(ExamApplications, 'applications'), ...problems(401) },
    }),
    async (c) => c.json(await service.listApplications(readsOf(c.get('deps')), c.get('user')!.id), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/exams/applications/{id}', tags: ['exams'], summary: 'One of my applications: rank, key, seats, projected outcome and date, 预约凭证 (X-4.4.8, ADR-039)',
      // the rank page: one statement with the session (ADR-017, ADR-039)
      middleware: [requireUser({ deferred: true })] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ExamApplication, 'application'), ...problems(401, 404) },
    }),
    async (c) => c.json(await service.getApplication(c.get('deps'), citizenOf(c), c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/exams/applications/{id}/cancel', tags: ['exams'], summary: 'Cancel online, until the plan’s cut-off (X-4.4.6)',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ExamApplication, 'cancelled'), ...problems(401, 404, 409, 422) },
    }),
    async (c) => c.json(await service.cancelOnline(c.get('deps'), userActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/public/exam-plans/{id}/ledger', tags: ['exams'], summary: 'The anonymised ledger of an allocated plan: rank, masked reference, key, outcome (PD-13); public',
      request: { params: IdParam },
      responses: { 200: jsonResponse(ExamLedger, 'ledger'), ...problems(404) },
    }),
    async (c) => c.json(await service.publicLedger(readsOf(c.get('deps')), c.req.valid('param').id), 200),
  );
