/**
 * The electronic archive, staff API (X-6.1, X-6.3; ADR-036): 档案岗 and 管理岗
 * of a city search and read their city's records (a province its cities',
 * PD-9); every record view is logged for the citizen (ADR-024).
 */
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf, wholeListResponse } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { fileResponse } from '../../http/uploads.ts';
import {
  ArchiveChainDto, ArchiveRecordDetailDto, ArchiveRecordDto, DestructionDecision, DestructionDto, FileParam, IdParam, ListQuery, RetentionDto, RetentionUpdate, TypeParam,
} from './schemas.ts';
import * as service from './service.ts';
import { RECORD_SORTS } from './repo.ts';

const readers = requireStaff('archive', 'review');
const archivePost = requireStaff('archive');
const managers = requireStaff('review');
const tags = ['archives (staff)'];

export const archiveRecordRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/archive-records', tags,
      summary: 'Search the archive (filter: q, caseRef, plateNo, licenceNo, idNumber, businessType, from, to, status, userAccountId)',
      middleware: [readers] as const, request: { query: ListQuery },
      responses: { ...listOf(ArchiveRecordDto, 'archive records'), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), RECORD_SORTS, ['finishedAt', 'DESC']);
      const { rows, total } = await service.listRecords(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'archive-records', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/archive-records/{id}', tags, summary: 'One record, everything in order; the view is logged (X-6.3, ADR-024)',
      middleware: [readers] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ArchiveRecordDetailDto, 'record'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getRecord(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/archive-records/{id}/files/{position}', tags, summary: 'One archived file of a record (content-addressed; its sha256 in X-Content-Sha256)',
      middleware: [readers] as const, request: { params: FileParam },
      responses: { 200: fileResponse('the file'), ...problems(401, 403, 404, 410) },
    }),
    async (c) => {
      const { id, position } = c.req.valid('param');
      const f = await service.recordFile(c.get('deps'), c.get('staff')!, id, position);
      return c.body(new Uint8Array(f.content), 200, { 'content-type': f.content_type, 'cache-control': 'private, max-age=3600', 'x-content-sha256': f.sha256 });
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/archive-chains', tags, summary: 'Verify every digest chain of my city (ADR-036): the first broken record of each',
      middleware: [readers] as const, request: { query: ListQuery },
      responses: { ...listOf(ArchiveChainDto, 'chains'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id'], ['id', 'ASC']);
      return wholeListResponse(c, 'archive-chains', q, await service.verifyChains(c.get('deps').sql, c.get('staff')!));
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/archive-retention', tags, summary: 'Retention per business type (ADR-036)',
      middleware: [readers] as const, request: { query: ListQuery },
      responses: { ...listOf(RetentionDto, 'retention periods'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'businessType'], ['id', 'ASC']);
      return wholeListResponse(c, 'archive-retention', q, await service.listRetention(c.get('deps').sql));
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/archive-retention/{id}', tags, summary: 'Retention of one business type',
      middleware: [readers] as const, request: { params: TypeParam },
      responses: { 200: jsonResponse(RetentionDto, 'retention'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getRetention(c.get('deps').sql, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'put', path: '/admin-api/archive-retention/{id}', tags, summary: '管理岗 sets the retention of one business type (years, or null = permanent)',
      middleware: [managers] as const, request: { params: TypeParam, ...jsonBody(RetentionUpdate) },
      responses: { 200: jsonResponse(RetentionDto, 'retention'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await service.updateRetention(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/archive-destructions', tags, summary: 'The destruction schedule (filter status=proposed|approved|kept)',
      middleware: [readers] as const, request: { query: ListQuery },
      responses: { ...listOf(DestructionDto, 'entries'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['proposedAt', 'id'], ['proposedAt', 'ASC']);
      const { rows, total } = await service.listDestructions(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'archive-destructions', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/archive-destructions/{id}', tags, summary: 'One entry of the schedule',
      middleware: [readers] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(DestructionDto, 'entry'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getDestruction(c.get('deps'), c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/archive-destructions/{id}/approve', tags, summary: '档案岗 approves: the record is destroyed (content dropped, tombstone with digests kept)',
      middleware: [archivePost] as const, request: { params: IdParam, ...jsonBody(DestructionDecision) },
      responses: { 200: jsonResponse(DestructionDto, 'entry'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.decideDestruction(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, 'approved', c.req.valid('json').note, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/archive-destructions/{id}/keep', tags, summary: '档案岗 keeps the record (proposed again after a year)',
      middleware: [archivePost] as const, request: { params: IdParam, ...jsonBody(DestructionDecision) },
      responses: { 200: jsonResponse(DestructionDto, 'entry'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.decideDestruction(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, 'kept', c.req.valid('json').note, meta(c)), 200),
  );
