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
import { chunkedUploadRoutes } from '../../http/uploads.ts';
import { ApplyRequest, ApproveRequest, BatchDto, BlankDto, CitySettingDto, CitySettingUpdate, DocumentParam, ExplainRequest, HandOutRequest, IdParam, IssuanceDto, IssueRequest, ListQuery, NoteOptional, NoteRequired, QualificationDto, QuotaRequest, RegistrationRequest, RevokeRequest, StockDto } from './schemas.ts';
import * as service from './service.ts';

const withLocale = (c: Context<AppEnv>): service.Meta => ({ ...meta(c), locale: c.get('locale') });

const dealer = requireStaff('dealer');
const review = requireStaff('review');
const intake = requireStaff('intake');
const anyone = requireStaff('dealer', 'review', 'intake');
const tags = ['temporary plates (staff, dealers)'];

/** Exports and reveals of personal data (issue 17, ADR-024); the export is mounted before `/{id}` (index.ts). */
export const issuanceExportRoutes = csvExportRoute({
  resource: 'temp-plate-issuances', tags, guard: anyone, title: '临时号牌核发记录', sortable: ['issuedAt', 'id'], defaultSort: ['issuedAt', 'DESC'],
  list: (deps, staff, q) => service.listIssuances(deps, staff, q),
  columns: [
    { header: '号牌号码', value: (r) => r.plateNo },
    { header: '销售企业', value: (r) => r.organisationName },
    { header: '车辆识别代号', value: (r) => r.vinMasked },
    { header: '品牌型号', value: (r) => r.brandModel },
    { header: '机动车所有人', value: (r) => r.ownerNameMasked },
    { header: '所有人身份证明号码', value: (r) => r.ownerIdNumberMasked },
    { header: '所有人手机号码', value: (r) => r.ownerPhoneMasked },
    { header: '有效期至', value: (r) => r.validUntil },
    { header: '状态', value: (r) => r.status },
    { header: '核发时间', value: (r) => r.issuedAt },
    { header: '核发人', value: (r) => r.issuedBy },
    { header: '注册登记时间', value: (r) => r.registeredAt },
  ],
});

export const issuanceRevealRoutes = revealRoute({
  resource: 'temp-plate-issuances', tags, guard: anyone, fields: 'ownerIdNumber, ownerPhone', load: service.revealTarget,
});

const qualificationCommand = <T extends z.ZodType>(path: string, summary: string, who: typeof dealer, body: T) =>
  createRoute({
    method: 'post', path: `/admin-api/dealer-qualifications/{id}/${path}`, tags, summary,
    middleware: [who] as const, request: { params: IdParam, ...jsonBody(body) },
    responses: { 200: jsonResponse(QualificationDto, 'qualification'), ...problems(401, 403, 404, 409, 422) },
  });

/**
 * Staff API of 核发临时号牌 (R-30 … R-33): dealers (role `dealer`, their
 * organisation) apply, renew, issue and report damage; 管理岗 reviews and
 * manages qualifications and the city switch; 受理岗 hands out blanks,
 * destroys returned damaged ones and records registrations.
 */
export const tempPlateAdminRoutes = router()
  // --- qualifications
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/dealer-qualifications', tags, summary: 'Qualifications (dealer: its own; posts: their authority’s)',
      middleware: [anyone] as const, request: { query: ListQuery },
      responses: { ...listOf(QualificationDto, 'qualifications'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['appliedAt', 'validUntil', 'status', 'organisationName', 'updatedAt', 'id'], ['appliedAt', 'DESC']);
      const { rows, total } = await service.listQualifications(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'dealer-qualifications', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/dealer-qualifications/{id}', tags, summary: 'One qualification with its reviews, documents, stock and the records 受理岗 checks (R-33.2.2)',
      middleware: [anyone] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(QualificationDto, 'qualification'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getQualification(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/dealer-qualifications/{id}/documents/{kind}', tags, summary: 'A document of the latest review (R-31.2, R-33.1.1)',
      middleware: [anyone] as const, request: { params: DocumentParam },
      responses: { 200: { description: 'the file' }, ...problems(401, 403, 404) },
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
      method: 'post', path: '/admin-api/dealer-qualifications', tags, summary: 'Apply for the qualification with the five documents and the brand/model list (R-30, R-31.2, R-32.1, R-32.5)',
      middleware: [dealer] as const, request: jsonBody(ApplyRequest),
      responses: { 201: jsonResponse(QualificationDto, 'pending review'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.applyForQualification(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(qualificationCommand('renew', 'Submit the renewal review in the last month (R-31.3)', dealer, ApplyRequest), async (c) =>
    c.json(await service.requestRenewal(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(qualificationCommand('explain', 'Give the explanation for repeated mismatches or damage (R-31.6, R-32.4)', dealer, ExplainRequest), async (c) =>
    c.json(await service.submitExplanation(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(qualificationCommand('approve', 'Approve the pending review: admission for one year with its quota, or renewal for one more (R-33.1, R-31.3, R-32.6)', review, ApproveRequest), async (c) =>
    c.json(await service.approveReview(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(qualificationCommand('reject', 'Reject the pending review, with the reason', review, NoteRequired), async (c) =>
    c.json(await service.rejectReview(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(qualificationCommand('revoke', 'Revoke (R-32.4); the dealer may not reapply for a year (R-32.5); unused blanks recovered', review, RevokeRequest), async (c) =>
    c.json(await service.revokeQualification(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(qualificationCommand('set-quota', 'Set how many blanks the dealer may hold (R-32.6)', review, QuotaRequest), async (c) =>
    c.json(await service.setQuota(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(qualificationCommand('accept-explanation', 'Accept the explanation; the counters start again (R-32.4)', review, NoteOptional), async (c) =>
    c.json(await service.acceptExplanation(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(qualificationCommand('reinstate', 'Lift a suspension after a failed deferred check was cleared up (R-33.2.4)', review, NoteOptional), async (c) =>
    c.json(await service.reinstateQualification(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  // --- hand-outs
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/temp-plate-batches', tags, summary: 'Hand-outs of blank plates, newest first',
      middleware: [anyone] as const, request: { query: ListQuery },
      responses: { ...listOf(BatchDto, 'batches'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['handedOutAt', 'id'], ['handedOutAt', 'DESC']);
      const { rows, total } = await service.listBatches(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'temp-plate-batches', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/temp-plate-batches/{id}', tags, summary: 'One hand-out',
      middleware: [anyone] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(BatchDto, 'batch'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getBatch(c.get('deps'), c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/temp-plate-batches', tags,
      summary: 'Hand out numbered blanks after checking the damaged blanks and issuance records handed in (R-33.2); deferCheck when the records cannot be consulted (R-33.2.4)',
      middleware: [intake] as const, request: jsonBody(HandOutRequest),
      responses: { 201: jsonResponse(BatchDto, 'handed out'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.handOutBlanks(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  // --- blanks
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/temp-plate-blanks', tags, summary: 'Numbered blanks (filter: status, qualificationId, q)',
      middleware: [anyone] as const, request: { query: ListQuery },
      responses: { ...listOf(BlankDto, 'blanks'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['plateNo', 'status', 'updatedAt', 'id'], ['plateNo', 'ASC']);
      const { rows, total } = await service.listBlanks(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'temp-plate-blanks', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/temp-plate-blanks/{id}', tags, summary: 'One blank',
      middleware: [anyone] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(BlankDto, 'blank'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getBlank(c.get('deps'), c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/temp-plate-blanks/{id}/report-damaged', tags, summary: 'A blank damaged at the dealer: kept and returned at the next collection (R-31.7)',
      middleware: [dealer] as const, request: { params: IdParam, ...jsonBody(NoteOptional) },
      responses: { 200: jsonResponse(BlankDto, 'blank'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.reportDamaged(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/temp-plate-blanks/{id}/destroy', tags, summary: 'Destroy a damaged blank handed back (R-31.7, R-33.2.5)',
      middleware: [intake] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(BlankDto, 'blank'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.destroyBlank(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, withLocale(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/temp-plate-stock', tags, summary: 'The dealer’s reconciliation: handed out = in stock + issued + damaged + returned + destroyed + recovered',
      middleware: [dealer] as const,
      responses: { 200: jsonResponse(StockDto, 'stock'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.stockOfDealer(c.get('deps'), c.get('staff')!, c.get('now')), 200),
  )
  // --- issuances
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/temp-plate-issuances', tags, summary: 'Temporary plates issued',
      middleware: [anyone] as const, request: { query: ListQuery },
      responses: { ...listOf(IssuanceDto, 'issuances'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['issuedAt', 'id'], ['issuedAt', 'DESC']);
      const { rows, total } = await service.listIssuances(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'temp-plate-issuances', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/temp-plate-issuances/{id}', tags, summary: 'One issuance',
      middleware: [anyone] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(IssuanceDto, 'issuance'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getIssuance(c.get('deps'), c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/temp-plate-issuances', tags, summary: 'Issue a temporary plate for an authorised model of a car still to be registered (R-31.5)',
      middleware: [dealer] as const, request: jsonBody(IssueRequest),
      responses: { 201: jsonResponse(IssuanceDto, 'issued'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.issueTempPlate(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), withLocale(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/temp-plate-issuances/{id}/record-registration', tags, summary: 'Record the owner data at registration; differences count against the dealer (R-31.6, R-32.4)',
      middleware: [intake] as const, request: { params: IdParam, ...jsonBody(RegistrationRequest) },
      responses: { 200: jsonResponse(IssuanceDto, 'issuance'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await service.recordRegistration(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), withLocale(c)), 200),
  );

/** the dealer's qualification documents, uploaded in chunks (the one store, ADR-021). */
export const tempPlateUploadRoutes = chunkedUploadRoutes({
  path: '/admin-api/temp-plate-uploads', tags, guard: dealer, purpose: 'qualification_document',
  what: 'a qualification document', owner: (c) => ({ kind: 'staff', id: c.get('staff')!.id }),
});

/** the collector's documents, scanned by 受理岗 at a hand-out (the one store, ADR-021). */
export const tempPlateHandOutUploadRoutes = chunkedUploadRoutes({
  path: '/admin-api/temp-plate-handout-uploads', tags, guard: intake, purpose: 'handout_document',
  what: 'a document shown at a hand-out of blanks', owner: (c) => ({ kind: 'staff', id: c.get('staff')!.id }),
});

/** whether each city entrusts dealers with temporary plates, switched by its 管理岗. */
export const tempPlateCitySettingRoutes = citySettingRoutes({
  resource: 'temp-plate-city-settings', tags,
  what: { list: 'Whether each city entrusts dealers (R-32.1)', one: 'One city', update: 'Switch dealer temporary plates on or off for a city (管理岗, R-32.1)' },
  Dto: CitySettingDto, Update: CitySettingUpdate, read: requireStaff('review', 'intake'), write: review,
  list: service.listCitySettings, get: service.getCitySetting, update: service.updateCitySetting,
});
