import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { csvExportRoute } from '../../http/personal-data.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { DomainError } from '../../core/errors.ts';
import { isPlatformDay } from '../../core/text.ts';
import { AuditEntryDto, CalendarDayCreate, CalendarDayDto, CalendarStatus, CalendarYearRequest, IdParam, JobDto, ListQuery, OutboxDto } from './schemas.ts';
import * as service from './service.ts';

/** 审计员 and the system administrator; dealers and station operators for their own members' entries (issue 17, ADR-024). */
const auditReaders = requireStaff('auditor', 'system_admin', 'dealer', 'station_operator');
const AUDIT_SORT = ['id', 'at', 'action', 'entityType'] as const;
const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

/** The audit log as CSV for 审计员 (issue 17): mounted before `/admin-api/audit-log/{id}`. */
export const auditExportRoutes = csvExportRoute({
  resource: 'audit-log', tags: ['ops'], guard: auditReaders, title: '审计日志', sortable: AUDIT_SORT, defaultSort: ['at', 'DESC'],
  list: (deps, staff, q) => service.listAudit(deps, staff, q),
  columns: [
    { header: '编号', value: (r) => r.id },
    { header: '时间', value: (r) => r.at },
    { header: '操作人类型', value: (r) => r.actorKind },
    { header: '操作人', value: (r) => r.actorLabel },
    { header: '所属机关', value: (r) => r.authorityId },
    { header: '操作', value: (r) => r.action },
    { header: '对象类型', value: (r) => r.entityType },
    { header: '对象编号', value: (r) => r.entityId },
    { header: '变更前', value: (r) => json(r.before) },
    { header: '变更后', value: (r) => json(r.after) },
    { header: '请求编号', value: (r) => r.requestId },
  ],
});

/** Staff lists of the platform services: audit log, outbox, jobs, working-day calendar. */
export const opsAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/audit-log', tags: ['ops'], summary: 'Audit log: 审计员 (own authority), system admin (all); a dealer or station operator only its own members\' entries',
      middleware: [auditReaders] as const, request: { query: ListQuery },
      responses: { ...listOf(AuditEntryDto, 'entries'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), AUDIT_SORT, ['at', 'DESC']);
      const { rows, total } = await service.listAudit(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'audit-log', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/audit-log/{id}', tags: ['ops'], summary: 'One audit entry (the same readers and scope as the list)',
      middleware: [auditReaders] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(AuditEntryDto, 'entry'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const id = Number(c.req.valid('param').id);
      if (!Number.isSafeInteger(id) || id < 1) throw new DomainError('request.not_found');
      return c.json(await service.getAudit(c.get('deps'), c.get('staff')!, id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/outbox', tags: ['ops'], summary: 'Outbox messages with delivery states',
      middleware: [requireStaff('system_admin', 'intake', 'review')] as const, request: { query: ListQuery },
      responses: { ...listOf(OutboxDto, 'messages'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['createdAt', 'updatedAt', 'status', 'channel', 'id'], ['createdAt', 'DESC']);
      const { rows, total } = await service.listOutbox(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'outbox', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/outbox/{id}', tags: ['ops'], summary: 'One message and its delivery events',
      middleware: [requireStaff('system_admin', 'intake', 'review')] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(OutboxDto, 'message'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getOutbox(c.get('deps'), c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/jobs', tags: ['ops'], summary: 'Durable jobs',
      middleware: [requireStaff('system_admin')] as const, request: { query: ListQuery },
      responses: { ...listOf(JobDto, 'jobs'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['runAt', 'createdAt', 'id', 'status'], ['runAt', 'DESC']);
      const { rows, total } = await service.listJobs(c.get('deps'), q);
      return listResponse(c, 'jobs', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/calendar-days', tags: ['calendar'], summary: 'Staff overrides of the working-day calendar',
      middleware: [requireStaff('system_admin')] as const, request: { query: ListQuery },
      responses: { ...listOf(CalendarDayDto, 'overrides'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['day', 'id'], ['day', 'ASC']);
      const { rows, total } = await service.listCalendarDays(c.get('deps'), q);
      return listResponse(c, 'calendar-days', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/calendar-days', tags: ['calendar'], summary: 'Set one day as working day or holiday',
      middleware: [requireStaff('system_admin')] as const, request: jsonBody(CalendarDayCreate),
      responses: { 201: jsonResponse(CalendarDayDto, 'override'), ...problems(401, 403, 422) },
    }),
    async (c) => c.json(await service.setCalendarDay(c.get('deps'), staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/admin-api/calendar-days/{id}', tags: ['calendar'], summary: 'Remove an override',
      middleware: [requireStaff('system_admin')] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(CalendarDayDto, 'removed override'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const day = c.req.valid('param').id;
      if (!isPlatformDay(day)) throw new DomainError('calendar.not_found');
      return c.json(await service.removeCalendarDay(c.get('deps'), staffActor(c), day, meta(c)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/calendar/years', tags: ['calendar'], summary: "Enter a whole year's holidays and make-up working days",
      middleware: [requireStaff('system_admin')] as const, request: jsonBody(CalendarYearRequest),
      responses: { 200: jsonResponse(CalendarStatus, 'status after the entry'), ...problems(401, 403, 422) },
    }),
    async (c) => c.json(await service.enterCalendarYear(c.get('deps'), staffActor(c), c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/calendar/status', tags: ['calendar'], summary: 'Which years have holiday data; warns when next year is missing',
      middleware: [requireStaff()] as const,
      responses: { 200: jsonResponse(CalendarStatus, 'status'), ...problems(401) },
    }),
    async (c) => c.json(await service.getCalendarStatus(c.get('deps'), c.get('now')), 200),
  );
