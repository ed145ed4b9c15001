import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { fileResponse, chunkedUploadRoutes } from '../../http/uploads.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { ApplyRequest, DocumentParam, IdParam, ListQuery, MyQualificationDto, NoteOptional, NoteRequired, QualificationDto, RevokeRequest } from './schemas.ts';
import * as service from './qualifications.ts';
import type { Meta } from './shared.ts';

const withLocale = (c: Context<AppEnv>): Meta => ({ ...meta(c), locale: c.get('locale') });

const operator = requireStaff('medical_operator');
const review = requireStaff('review');
const either = requireStaff('medical_operator', 'review');
const tags = ['medical institutions (staff, entrusted institutions)'];

const command = <T extends z.ZodType>(path: string, summary: string, who: typeof operator, body: T) =>
  createRoute({
    method: 'post', path: `/admin-api/medical-qualifications/{id}/${path}`, tags, summary,
    middleware: [who] as const, request: { params: IdParam, ...jsonBody(body) },
    responses: { 200: jsonResponse(QualificationDto, 'entrustment'), ...problems(401, 403, 404, 409, 422) },
  });

/**
 * Staff API of the entrustment of medical institutions (X-4.3.1, PD-12 — as
 * the dealer's for temporary plates): the institution's operator applies and
 * renews; 管理岗 reviews (queue: filter `reviewPending`, sort `reviewDueAt`)
 * and revokes for false certificates.
 */
export const medicalQualificationRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/medical-qualifications/mine', tags, summary: 'The operator’s own institution’s entrustment (live, else its latest; null before it ever applied)',
      middleware: [operator] as const,
      responses: { 200: jsonResponse(MyQualificationDto, 'the entrustment'), ...problems(401, 403) },
    }),
    async (c) => c.json({ qualification: await service.myQualification(c.get('deps'), c.get('staff')!, c.get('now')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/medical-qualifications', tags, summary: 'Entrustments (operator: its own; 管理岗: their authority’s). Filters: status, q, reviewPending',
      middleware: [either] as const, request: { query: ListQuery },
      responses: { ...listOf(QualificationDto, 'entrustments'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['appliedAt', 'validUntil', 'status', 'organisationName', 'updatedAt', 'reviewDueAt', 'id'], ['appliedAt', 'DESC']);
      const { rows, total } = await service.listQualifications(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'medical-qualifications', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/medical-qualifications/{id}', tags, summary: 'One entrustment with its reviews and documents',
      middleware: [either] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(QualificationDto, 'entrustment'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getQualification(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/medical-qualifications/{id}/documents/{kind}', tags, summary: 'A document of the latest review that has it',
      middleware: [either] as const, request: { params: DocumentParam },
      responses: { 200: fileResponse('the file'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const { id, kind } = c.req.valid('param');
      const f = await service.qualificationDocument(c.get('deps'), c.get('staff')!, id, kind);
      return c.body(new Uint8Array(f.content), 200, {
        'content-type': f.contentType, 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
        'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff',
      });
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/medical-qualifications', tags, summary: 'Apply for the entrustment with the five documents (X-4.3.1, PD-12)',
      middleware: [operator] as const, request: jsonBody(ApplyRequest),
      responses: { 201: jsonResponse(QualificationDto, 'pending review'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.applyForQualification(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(command('renew', 'Submit the renewal review in the last month of the term (PD-12)', operator, ApplyRequest), async (c) =>
    c.json(await service.requestRenewal(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(command('approve', 'Approve the pending review: admission for one year, or renewal for one more (PD-12)', review, NoteOptional), async (c) =>
    c.json(await service.approveReview(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(command('reject', 'Reject the pending review, with the reason', review, NoteRequired), async (c) =>
    c.json(await service.rejectReview(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(command('revoke', 'Revoke for false certificates: its certificates are no longer accepted; no new application for a year (X-4.3.1, PD-12)', review, RevokeRequest), async (c) =>
    c.json(await service.revokeQualification(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  );

/** PD-12: the entrustment's documents, uploaded in chunks by the institution's operator (the one store, ADR-021). */
export const medicalQualificationUploadRoutes = chunkedUploadRoutes({
  path: '/admin-api/medical-qualification-uploads', tags, guard: operator, purpose: 'medical_qualification_document',
  what: 'an entrustment document', owner: (c) => ({ kind: 'staff', id: c.get('staff')!.id }),
});
