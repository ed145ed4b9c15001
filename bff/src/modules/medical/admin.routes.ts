import type { Context } from 'hono';
import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { csvExportRoute, revealRoute } from '../../http/personal-data.ts';
import { fileResponse, chunkedUploadRoutes } from '../../http/uploads.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { CertificateDto, IdParam, ListQuery, RecordCertificateRequest } from './schemas.ts';
import * as service from './service.ts';
import type { Meta } from './shared.ts';

const withLocale = (c: Context<AppEnv>): Meta => ({ ...meta(c), locale: c.get('locale') });

const operator = requireStaff('medical_operator');
const readers = requireStaff('medical_operator', 'review', 'intake');
const tags = ['medical institutions (staff, entrusted institutions)'];
const SORTABLE = ['createdAt', 'issuedOn', 'validUntil', 'reference', 'purpose', 'id'] as const;

const PURPOSE_ZH: Record<string, string> = { renewal: '换领驾驶证', age_70_yearly: '年满70周岁年度提交', disability_3y: '残疾人专用车三年提交' };

/** The staff list as CSV (ADR-024), mounted before `/{id}` (index.ts). */
export const certificateExportRoutes = csvExportRoute({
  resource: 'health-certificates', tags, guard: readers, title: '身体条件证明', sortable: SORTABLE, defaultSort: ['createdAt', 'DESC'],
  list: (deps, staff, q, now) => service.listCertificates(deps, staff, q, now),
  columns: [
    { header: '编号', value: (r) => r.reference },
    { header: '驾驶人', value: (r) => r.holderName },
    { header: '身份证明号码', value: (r) => r.holderIdNumberMasked },
    { header: '驾驶证号', value: (r) => r.licenceNoMasked },
    { header: '准驾车型', value: (r) => r.licenceClasses },
    { header: '用途', value: (r) => PURPOSE_ZH[r.purpose] ?? r.purpose },
    { header: '出具机构', value: (r) => r.issuerName ?? '本人提交' },
    { header: '体检日期', value: (r) => r.issuedOn },
    { header: '有效期至（不含）', value: (r) => r.validUntil },
    { header: '结论', value: (r) => (r.conclusion === 'fit' ? '合格' : '不合格') },
    { header: '今日可用', value: (r) => (r.acceptedToday ? '是' : '否') },
    { header: '提交时间', value: (r) => r.createdAt },
    { header: '提交人', value: (r) => r.createdBy },
  ],
});

export const certificateRevealRoutes = revealRoute({
  resource: 'health-certificates', tags, guard: readers, fields: 'holderIdNumber', load: service.revealTarget,
});

/**
 * 身体条件证明: the entrusted institution's operator sends
 * one for a driver; the operator sees its institution's, 管理岗 and 受理岗
 * their authority's.
 */
export const healthCertificateRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/health-certificates', tags, summary: 'Health certificates (operator: its institution’s; posts: their authority’s). Filters: q, purpose, source, conclusion, status',
      middleware: [readers] as const, request: { query: ListQuery },
      responses: { ...listOf(CertificateDto, 'certificates'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), SORTABLE, ['createdAt', 'DESC']);
      const { rows, total } = await service.listCertificates(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'health-certificates', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/health-certificates/{id}', tags, summary: 'One health certificate',
      middleware: [readers] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(CertificateDto, 'certificate'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getCertificate(c.get('deps'), c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/health-certificates/{id}/scan', tags, summary: 'The certificate’s scan',
      middleware: [readers] as const, request: { params: IdParam },
      responses: { 200: fileResponse('the scan'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const f = await service.certificateScan(c.get('deps'), c.get('staff')!, c.req.valid('param').id);
      return c.body(new Uint8Array(f.content), 200, {
        'content-type': f.contentType, 'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
        'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff',
      });
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/health-certificates', tags,
      summary: 'Send a driver’s 身体条件证明 with its scan (X-4.3.1, X-4.3.4): renewal, 70+ yearly or disability class every three years',
      middleware: [operator] as const, request: jsonBody(RecordCertificateRequest),
      responses: { 201: jsonResponse(CertificateDto, 'recorded, with its reference'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.recordCertificate(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), withLocale(c)), 201),
  );

/** The certificate's scan, uploaded in chunks by the operator (the one store, ADR-021). */
export const healthCertificateUploadRoutes = chunkedUploadRoutes({
  path: '/admin-api/health-certificate-uploads', tags, guard: operator, purpose: 'health_certificate_scan',
  what: 'the scan of a health certificate', owner: (c) => ({ kind: 'staff', id: c.get('staff')!.id }),
});
