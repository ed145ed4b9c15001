import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { citySettingRoutes } from '../../http/city-settings.ts';
import { csvExportRoute, revealRoute } from '../../http/personal-data.ts';
import type { AppEnv } from '../../http/context.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { AcceptRequest, CitySettingDto, CitySettingUpdate, IdParam, ListQuery, NoteRequest, ProduceRequest, ReceiptRequest, RejectRequest, StaffApplicationDto } from './schemas.ts';
import * as service from './service.ts';

const withLocale = (c: Context<AppEnv>): service.Meta => ({ ...meta(c), locale: c.get('locale') });

const anyPost = requireStaff('intake', 'review', 'archive');
const intake = requireStaff('intake');
const archive = requireStaff('archive');

/** A named command of an application: `POST /admin-api/replacements/:id/<command>`. */
const command = (path: string, summary: string, who: typeof intake) =>
  createRoute({
    method: 'post', path: `/admin-api/replacements/{id}/${path}`, tags: ['replacements (staff)'], summary,
    middleware: [who] as const, request: { params: IdParam },
    responses: { 200: jsonResponse(StaffApplicationDto, 'application'), ...problems(401, 403, 404, 409, 422) },
  });
const commandWith = <T extends z.ZodType>(path: string, summary: string, who: typeof intake, body: T) =>
  createRoute({
    method: 'post', path: `/admin-api/replacements/{id}/${path}`, tags: ['replacements (staff)'], summary,
    middleware: [who] as const, request: { params: IdParam, ...jsonBody(body) },
    responses: { 200: jsonResponse(StaffApplicationDto, 'application'), ...problems(401, 403, 404, 409, 422) },
  });

/** Exports and reveals of personal data (issue 17, ADR-024); the export is mounted before `/{id}` (index.ts). */
export const replacementExportRoutes = csvExportRoute({
  resource: 'replacements', tags: ['replacements (staff)'], guard: anyPost, title: '补换领业务',
  sortable: ['acceptDeadline', 'submittedAt', 'status', 'reference', 'updatedAt', 'plateNo', 'id'], defaultSort: ['acceptDeadline', 'ASC'],
  list: (deps, staff, q, now) => service.listQueue(deps, staff, q, now),
  columns: [
    { header: '受理编号', value: (r) => r.reference },
    { header: '申请人', value: (r) => r.applicantNameMasked },
    { header: '申请人身份证明号码', value: (r) => r.applicantIdNumberMasked },
    { header: '申请人手机号码', value: (r) => r.applicantPhoneMasked },
    { header: '号牌号码', value: (r) => r.plateNo },
    { header: '补换领项目', value: (r) => r.item },
    { header: '业务类型', value: (r) => (r.kind === 'replacement' ? '补领' : '换领') },
    { header: '领取方式', value: (r) => (r.delivery === 'post' ? '邮寄' : '自取') },
    { header: '收件人', value: (r) => r.recipientName },
    { header: '收件人手机号码', value: (r) => r.recipientPhoneMasked },
    { header: '邮寄地址', value: (r) => r.postalAddress },
    { header: '状态', value: (r) => r.status },
    { header: '提交时间', value: (r) => r.submittedAt },
    { header: '受理期限', value: (r) => r.acceptDeadline },
    { header: '是否超期', value: (r) => (r.overdue ? '是' : '否') },
  ],
});

export const replacementRevealRoutes = revealRoute({
  resource: 'replacements', tags: ['replacements (staff)'], guard: anyPost,
  fields: 'applicantIdNumber, applicantPhone, recipientPhone, postalAddress', load: service.revealTarget,
});

/**
 * Staff API of 补换领: 受理岗 accepts within one working day (SLA, PD-3),
 * produces, sends or hands out and records the receipt; 档案岗 files,
 * destroys returned items and closes refused cases; 管理岗 sets which
 * plate kinds are replaced online.
 */
export const replacementAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/replacements', tags: ['replacements (staff)'],
      summary: 'Applications of my authority, acceptance deadline first (filter: queue=intake|archive, status, item, q)',
      middleware: [anyPost] as const, request: { query: ListQuery },
      responses: { ...listOf(StaffApplicationDto, 'applications'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['acceptDeadline', 'submittedAt', 'status', 'reference', 'updatedAt', 'plateNo', 'id'], ['acceptDeadline', 'ASC']);
      const { rows, total } = await service.listQueue(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'replacements', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/replacements/{id}', tags: ['replacements (staff)'], summary: 'One application with its progress and the steps allowed now',
      middleware: [anyPost] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(StaffApplicationDto, 'application'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getForStaff(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/replacements/{id}/insurance-certificate', tags: ['replacements (staff)'], summary: 'The uploaded 交强险 certificate (R-29.1.1)',
      middleware: [anyPost] as const, request: { params: IdParam },
      responses: { 200: { description: 'the file (image/jpeg, image/png or application/pdf)' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      const f = await service.insuranceCertificate(c.get('deps'), c.get('staff')!, c.req.valid('param').id);
      return c.body(new Uint8Array(f.content), 200, {
        'content-type': f.contentType,
        'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
    },
  )
  .openapi(commandWith('accept', 'Accept (R-29.1.1): states re-checked; for a sticker every check of the insurance image confirmed', intake, AcceptRequest), async (c) =>
    c.json(await service.acceptApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(commandWith('reject', 'Do not accept, with the reason (SMS to the applicant)', intake, RejectRequest), async (c) =>
    c.json(await service.rejectApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(commandWith('produce', 'Record production (R-29.1.2): the new certificate-core number and the temporary plate (R-28.2)', intake, ProduceRequest), async (c) =>
    c.json(await service.produceItems(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(command('send', 'Hand to the post (outbox `post`, the tracking record) or put out for pickup (one month, R-27.6)', intake), async (c) =>
    c.json(await service.sendItems(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(commandWith('record-receipt', 'Record delivered / refused (post) or picked up / not collected (counter); R-27.5 hand-over; refusal bars for a year (R-27.6)', intake, ReceiptRequest), async (c) =>
    c.json(await service.recordReceipt(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(command('archive', 'File the case (R-29.2.1)', archive), async (c) =>
    c.json(await service.archiveApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(command('destroy-old-item', 'Record the destruction of the returned damaged plate or 行驶证 (R-29.2.2)', archive), async (c) =>
    c.json(await service.destroyOldItem(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(commandWith('restore-core-number', 'Refused or not collected, already filed: restore the certificate-core number (R-29.2.3)', archive, NoteRequest), async (c) =>
    c.json(await service.restoreCoreNumber(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(commandWith('withdraw', 'Refused or not collected, not filed: withdraw the case (退办, R-29.2.3)', archive, NoteRequest), async (c) =>
    c.json(await service.withdrawApplication(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  );

/** the plate kinds each city replaces online, set by its 管理岗. */
export const replacementCitySettingRoutes = citySettingRoutes({
  resource: 'replacement-city-settings', tags: ['replacements (staff)'],
  what: { list: 'Plate kinds each city of my authority replaces online (R-28.1)', one: 'One city’s setting', update: 'Set the plate kinds replaced online (管理岗, R-28.1)' },
  Dto: CitySettingDto, Update: CitySettingUpdate, read: requireStaff('review', 'intake'), write: requireStaff('review'),
  list: service.listCitySettings, get: service.getCitySetting, update: service.updateCitySetting,
});
