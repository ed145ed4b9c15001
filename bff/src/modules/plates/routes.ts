import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, userActor } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { readsOf } from '../../core/context.ts';
import { CheckQuery, DrawRequest, IdParam, MyPlates, PickRequest, PreselectionDto, PreselectionRequest, ProofDto, RulesCheck, RulesCheckQuery, SegmentDto, SerialCheck } from './schemas.ts';
import type { PlateKind } from './rules.ts';
import * as service from './service.ts';
import type { PreselectionInput } from './service.ts';

/** Citizen API of plate-number preselection (R-22 … R-24, PD-14). */
export const plateRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/plates/segments', tags: ['plates'], summary: 'Segments open for preselection and those announced (R-25.3)',
      responses: { 200: jsonResponse(z.array(SegmentDto), 'segments'), ...problems() },
    }),
    async (c) => c.json(await service.listSegments(c.get('deps').sql, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/plates/segments/{id}/check', tags: ['plates'], summary: 'Check a self-composed serial: which GA 36 rule it breaks, or whether it is free',
      middleware: [requireUser()] as const, request: { params: IdParam, query: CheckQuery },
      responses: { 200: jsonResponse(SerialCheck, 'answer'), ...problems(401, 422) },
    }),
    async (c) => c.json(await service.checkSerial(c.get('deps').sql, c.req.valid('param').id, c.req.valid('query').serial, c.get('locale'), c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/plates/rules-check', tags: ['plates'], summary: 'Check a wanted number against the GA 36 rules of a plate kind, no segment needed; and the published segments that hold it',
      middleware: [requireUser()] as const, request: { query: RulesCheckQuery },
      responses: { 200: jsonResponse(RulesCheck, 'answer'), ...problems(401) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await service.checkWanted(c.get('deps').sql, q.plateKind as PlateKind, q.serial, c.get('locale'), c.get('now')), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/plates/me', tags: ['plates'], summary: 'My preselection with its deadline, earlier ones, my ban',
      middleware: [requireUser()] as const,
      responses: { 200: jsonResponse(MyPlates, 'mine'), ...problems(401) },
    }),
    async (c) => c.json(await service.myPlates(readsOf(c.get('deps')), c.get('user')!.id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/plates/preselections', tags: ['plates'], summary: 'Preselect: self-composed (reserved at once) or random (then draw)',
      middleware: [requireUser()] as const, request: jsonBody(PreselectionRequest),
      responses: { 201: jsonResponse(PreselectionDto, 'preselection'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.startPreselection(c.get('deps'), userActor(c), c.req.valid('json') as PreselectionInput, meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/plates/preselections/{id}', tags: ['plates'], summary: 'One of my preselections, with the open offer',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(PreselectionDto, 'preselection'), ...problems(401, 404) },
    }),
    async (c) => c.json(await service.getPreselection(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/plates/preselections/{id}/draws', tags: ['plates'],
      summary: 'Draw 10 random free numbers (at most 5 draws, 10 minutes to pick) from the committed seed and the browser’s nonce',
      middleware: [requireUser()] as const, request: { params: IdParam, ...jsonBody(DrawRequest) },
      responses: { 201: jsonResponse(PreselectionDto, 'preselection with the new offer'), ...problems(401, 404, 409, 422) },
    }),
    async (c) => c.json(await service.drawNumbers(c.get('deps'), userActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/plates/preselections/{id}/pick', tags: ['plates'], summary: 'Pick one number of the open offer',
      middleware: [requireUser()] as const, request: { params: IdParam, ...jsonBody(PickRequest) },
      responses: { 200: jsonResponse(PreselectionDto, 'reserved'), ...problems(401, 404, 409, 422) },
    }),
    async (c) => c.json(await service.pickNumber(c.get('deps'), userActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/plates/draws/{id}/proof', tags: ['plates'], summary: 'Fairness proof of an ended draw: seed, commitment, pool, candidates',
      middleware: [requireUser()] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ProofDto, 'proof'), ...problems(401, 404, 409) },
    }),
    async (c) => c.json(await service.drawProof(c.get('deps').sql, c.get('user')!.id, c.req.valid('param').id, c.get('now')), 200),
  );
