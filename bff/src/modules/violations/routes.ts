import type { Context } from 'hono';
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { fileResponse } from '../../http/uploads.ts';
import type { AppEnv } from '../../http/context.ts';
import {
  BatchRequest, ConfirmCodeAnswer, DecisionDto, DecisionNoQuery, HandleRequest, IdParam, MyDecisions, MyViolations, ObjectionRequest, PayAnswer,
  PayByNumberRequest, PhotoParam, PointsDto, VerifyAnswer, VerifyQuery, ViolationDetail,
} from './schemas.ts';
import * as service from './service.ts';

const withLocale = (c: Context<AppEnv>): service.Meta => ({ ...meta(c), locale: c.get('locale') });
const tags = ['violations'];

/** Citizen API of 道路交通违法业务 (第五章, X-5.1 … ). */
export const violationRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/violations', tags,
      summary: 'Records of my bound vehicles and licence, each with whether it can be handled online and, if not, why and where to go (X-5.1 – X-5.4)',
      middleware: [requireUser()] as const, responses: { 200: jsonResponse(MyViolations, 'records'), ...problems(401, 403) },
    }),
    async (c) => c.json(await service.myViolations(c.get('deps').sql, c.get('user')!.id, c.get('now'), c.get('locale')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/violations/decisions', tags, summary: 'Penalty decisions of my bound vehicles and licence, unpaid first, with today’s fine and late fee (X-5.7, X-5.8)',
      middleware: [requireUser()] as const, responses: { 200: jsonResponse(MyDecisions, 'decisions'), ...problems(401, 403) },
    }),
    async (c) => c.json(await service.myDecisions(c.get('deps').sql, c.get('user')!.id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/violations/decisions/by-number', tags, summary: 'A penalty decision by its 决定书编号, to pay it (X-5.7): fine and late fee of today',
      middleware: [requireUser()] as const, request: { query: DecisionNoQuery }, responses: { 200: jsonResponse(DecisionDto, 'decision'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.decisionByNumber(c.get('deps').sql, c.get('user')!.id, c.req.valid('query').decisionNo, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/violations/decisions/pay-by-number', tags, summary: 'Pay a decision by its 决定书编号 (X-5.7): opens today’s payment order',
      middleware: [requireUser()] as const, request: jsonBody(PayByNumberRequest), responses: { 200: jsonResponse(PayAnswer, 'payment order'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.payDecision(c.get('deps'), userActor(c), { decisionNo: c.req.valid('json').decisionNo }, withLocale(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/violations/decisions/{id}', tags, summary: 'One penalty decision (处罚决定书), printable, with its verification code (X-5.5)',
      middleware: [requireUser()] as const, request: { params: IdParam }, responses: { 200: jsonResponse(DecisionDto, 'decision'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.myDecision(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/violations/decisions/{id}/pay', tags, summary: 'Pay the fine and today’s late fee (X-5.5, X-5.8): opens or reuses today’s payment order',
      middleware: [requireUser()] as const, request: { params: IdParam }, responses: { 200: jsonResponse(PayAnswer, 'payment order'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.payDecision(c.get('deps'), userActor(c), { id: c.req.valid('param').id }, withLocale(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/violations/points', tags, summary: 'The points ledger of my licence per scoring cycle; unpaid fines carried (X-5.9)',
      middleware: [requireUser()] as const, responses: { 200: jsonResponse(PointsDto, 'ledger'), ...problems(401, 403, 422) },
    }),
    async (c) => c.json(await service.myPoints(c.get('deps').sql, c.get('user')!.id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/violations/confirm-code', tags,
      summary: 'Step 1 of handling (X-5.5, X-5.6): the records of one vehicle are checked and an SMS code confirming their fine and points is sent',
      middleware: [requireUser()] as const, request: jsonBody(BatchRequest), responses: { 200: jsonResponse(ConfirmCodeAnswer, 'code sent'), ...problems(401, 403, 404, 409, 422, 429) },
    }),
    async (c) => c.json(await service.requestConfirmCode(c.get('deps'), userActor(c), c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/violations/handle', tags,
      summary: 'Step 2 (X-5.5): the SMS code confirms → the electronic penalty decision is served; handling counts once it is paid',
      middleware: [requireUser()] as const, request: jsonBody(HandleRequest), responses: { 201: jsonResponse(DecisionDto, 'decision served'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.handleViolations(c.get('deps'), userActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/violations/{id}', tags, summary: 'One record of a bound vehicle or licence, with its photos and objections',
      middleware: [requireUser()] as const, request: { params: IdParam }, responses: { 200: jsonResponse(ViolationDetail, 'record'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.myViolation(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').id, c.get('locale')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/violations/{id}/photos/{position}', tags, summary: 'A photo of the record (upload store, ADR-021)',
      middleware: [requireUser()] as const, request: { params: PhotoParam }, responses: { 200: fileResponse('the photo'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const f = await service.photoForCitizen(c.get('deps').sql, c.get('user')!.id, p.id, p.position);
      return c.body(new Uint8Array(f.content), 200, { 'content-type': f.contentType, 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' });
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/violations/{id}/objections', tags, summary: 'Raise an objection or ask for an exemption online (X-5.11): reviewed within five working days, exemptions cleared within three',
      middleware: [requireUser()] as const, request: { params: IdParam, ...jsonBody(ObjectionRequest) }, responses: { 201: jsonResponse(ViolationDetail, 'objection raised'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.raiseObjection(c.get('deps'), userActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 201),
  );

/** The public check of a printed 处罚决定书: its number and verification code. */
export const violationPublicRoutes = router().openapi(
  createRoute({
    method: 'get', path: '/api/v1/public/violations/decisions/verify', tags,
    summary: 'Verify a printed penalty decision by its number and verification code (public; answers only what the paper shows, masked)',
    request: { query: VerifyQuery }, responses: { 200: jsonResponse(VerifyAnswer, 'verification'), ...problems() },
  }),
  async (c) => {
    const q = c.req.valid('query');
    return c.json(await service.verifyDecision(c.get('deps').sql, q.decisionNo, q.code), 200);
  },
);
