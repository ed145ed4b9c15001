import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { csvExportRoute, revealRoute } from '../../http/personal-data.ts';
import type { AppEnv } from '../../http/context.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { IdParam, ListQuery, NoteRequest, ProduceRequest, ReceiptRequest, RejectRequest, StaffApplicationDto, StaffDeferralDto } from './schemas.ts';
import * as service from './service.ts';
import * as deferrals from './deferrals.ts';

const withLocale = (c: Context<AppEnv>): service.Meta => ({ ...meta(c), locale: c.get('locale') });
const tags = ['licences (staff)'];
const anyPost = requireStaff('intake', 'review', 'archive');
const intake = requireStaff('intake');
const archive = requireStaff('archive');
const SORTABLE = ['acceptDeadline', 'submittedAt', 'status', 'reference', 'updatedAt', 'id'];

const command = (path: string, summary: string, who: typeof intake) =>
  createRoute({
    method: 'post', path: `/admin-api/licence-services/{id}/${path}`, tags, summary,
    middleware: [who] as const, request: { params: IdParam },
    responses: { 200: jsonResponse(StaffApplicationDto, 'application'), ...problems(401, 403, 404, 409, 422) },
  });
const commandWith = <T extends z.ZodType>(path: string, summary: string, who: typeof intake, body: T) =>
  createRoute({
    method: 'post', path: `/admin-api/licence-services/{id}/${path}`, tags, summary,
    middleware: [who] as const, request: { params: IdParam, ...jsonBody(body) },
    responses: { 200: jsonResponse(StaffApplicationDto, 'application'), ...problems(401, 403, 404, 409, 422) },
  });

/** The export is mounted before `/{id}` (index.ts); masked like the list (ADR-024). */
export const licenceExportRoutes = csvExportRoute({
  resource: 'licence-services', tags, guard: anyPost, title: '驾驶证补换领业务',
  sortable: SORTABLE, defaultSort: ['acceptDeadline', 'ASC'],
  list: (deps, staff, q, now) => service.listQueue(deps, staff, q, now),
  columns: [
    { header: '业务流水号', value: (r) => r.reference },
    { header: '申请人', value: (r) => r.applicantNameMasked },
    { header: '申请人身份证明号码', value: (r) => r.applicantIdNumberMasked },
    { header: '申请人手机号码', value: (r) => r.applicantPhoneMasked },
    { header: '业务类型', value: (r) => r.kind },
    { header: '领取方式', value: (r) => (r.delivery === 'post' ? '邮寄' : '自取') },
    { header: '状态', value: (r) => r.status },
    { header: '提交时间', value: (r) => r.submittedAt },
    { header: '受理期限', value: (r) => r.acceptDeadline },
    { header: '是否超期', value: (r) => (r.overdue ? '是' : '否') },
  ],
});

export const licenceRevealRoutes = revealRoute({
  resource: 'licence-services', tags, guard: anyPost,
  fields: 'applicantIdNumber, applicantPhone, recipientPhone, postalAddress', load: service.revealTarget,
});

/**
 * Staff API of 补换领驾驶证: 受理岗 accepts within one working day (SLA, PD-3),
 * produces, posts or hands out and records the receipt; 档案岗
 * files, destroys returned licences, 恢复证芯 / 退办 (as ).
 */
export const licenceAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/licence-services', tags,
      summary: 'Licence applications of my authority, acceptance deadline first (filter: queue=intake|archive, status, kind, q)',
      middleware: [anyPost] as const, request: { query: ListQuery },
      responses: { ...listOf(StaffApplicationDto, 'applications'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), SORTABLE, ['acceptDeadline', 'ASC']);
      const { rows, total } = await service.listQueue(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'licence-services', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/licence-services/{id}', tags, summary: 'One application with its progress and the steps allowed now',
      middleware: [anyPost] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StaffApplicationDto, 'application'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getForStaff(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(command('accept', 'Accept (X-4.1.10): the licence state re-checked (X-4.1.3)', intake), async (c) =>
    c.json(await service.acceptApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(commandWith('reject', 'Do not accept, with the reason (SMS)', intake, RejectRequest), async (c) =>
    c.json(await service.rejectApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(commandWith('produce', 'Record the new licence (its core number; validity and classes updated)', intake, ProduceRequest), async (c) =>
    c.json(await service.produceLicence(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(command('send', 'Hand to the post or put out for pickup (one month, X-4.1.9)', intake), async (c) =>
    c.json(await service.sendLicence(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(commandWith('record-receipt', 'Delivered / refused or picked up / not collected; old licence handed in for 换证; refusal bars for a year (X-4.1.9)', intake, ReceiptRequest), async (c) =>
    c.json(await service.recordReceipt(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(command('archive', 'File the case (档案岗)', archive), async (c) =>
    c.json(await service.archiveApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(command('destroy-old-licence', 'Record the destruction of the returned licence (档案岗)', archive), async (c) =>
    c.json(await service.destroyOldLicence(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(commandWith('restore-core-number', 'Refused or not collected, filed: 恢复证芯 (档案岗)', archive, NoteRequest), async (c) =>
    c.json(await service.restoreCoreNumber(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(commandWith('withdraw', 'Refused or not collected, not filed: 退办 (档案岗)', archive, NoteRequest), async (c) =>
    c.json(await service.withdrawApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  );

/** 受理岗 records deferrals within one working day (SLA, PD-3). */
export const licenceDeferralAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/licence-deferrals', tags, summary: 'Deferrals of my authority, acceptance deadline first (filter: status)',
      middleware: [anyPost] as const, request: { query: ListQuery },
      responses: { ...listOf(StaffDeferralDto, 'deferrals'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['acceptDeadline', 'submittedAt', 'status', 'reference', 'id'], ['acceptDeadline', 'ASC']);
      const { rows, total } = await deferrals.listDeferrals(c.get('deps'), c.get('staff')!, q, c.get('now'), c.get('locale'));
      return listResponse(c, 'licence-deferrals', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/licence-deferrals/{id}', tags, summary: 'One deferral',
      middleware: [anyPost] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StaffDeferralDto, 'deferral'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await deferrals.getDeferralForStaff(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now'), c.get('locale')), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/licence-deferrals/{id}/accept', tags, summary: 'Record the deferral (X-4.2.4): the receipt becomes available; SMS',
      middleware: [intake] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StaffDeferralDto, 'deferral'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await deferrals.decideDeferral(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, { accept: true }, withLocale(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/licence-deferrals/{id}/reject', tags, summary: 'Refuse the deferral with the reason; SMS',
      middleware: [intake] as const, request: { params: IdParam, ...jsonBody(RejectRequest) },
      responses: { 200: jsonResponse(StaffDeferralDto, 'deferral'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await deferrals.decideDeferral(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, { accept: false, reason: c.req.valid('json').reason }, withLocale(c)), 200),
  );
