import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listOf, listResponse } from '../../http/admin-list.ts';
import { filterString, parseListQuery } from '../../core/list-query.ts';
import { csvExportRoute, revealRoute } from '../../http/personal-data.ts';
import { ExamIssuePermitRequest, ExamLearnerPermit, ExamPlanRequest, ExamResultRequest, ExamStaffApplication, ExamStaffPlan, IdParam, ListQuery } from './schemas.ts';
import * as stations from './stations.ts';
import * as permits from './permits.ts';

const planReaders = requireStaff('exam_operator', 'review');
const applicationReaders = requireStaff('exam_operator', 'review', 'intake');

/**
 * Staff side of 考试预约: the exam station publishes plans and
 * enters results; 管理岗 sees plans, allocations and anomalies; 受理岗
 * cancels at the counter after the cut-off.
 */
export const examAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/exam-plans', tags: ['exams (staff)'], summary: 'Exam plans of my station (operator) or my authority (管理岗), with their allocation and anomalies',
      middleware: [planReaders] as const, request: { query: ListQuery },
      responses: { ...listOf(ExamStaffPlan, 'plans'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['examDate'], ['examDate', 'DESC']);
      const subject = Number(filterString(q.filter, 'subject') ?? 0) || undefined;
      const { rows, total } = await stations.listPlans(c.get('deps').sql, c.get('staff')!, { ...q, desc: q.sortDesc, status: filterString(q.filter, 'status'), subject }, c.get('now'));
      return listResponse(c, 'exam-plans', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/exam-plans', tags: ['exams (staff)'], summary: 'Publish an exam plan ≥ 10 days ahead; its batch is queued at the cut-off (X-4.4.7)',
      middleware: [requireStaff('exam_operator')] as const, request: jsonBody(ExamPlanRequest),
      responses: { 201: jsonResponse(ExamStaffPlan, 'published'), ...problems(401, 403, 409, 422) },
    }),
    async (c) => c.json(await stations.publishPlan(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/exam-plans/{id}', tags: ['exams (staff)'], summary: 'One plan, with its batch checked again from the stored keys (ADR-033)',
      middleware: [planReaders] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ExamStaffPlan, 'plan'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await stations.getPlan(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/exam-allocations', tags: ['exams (staff)'], summary: 'Plans past their cut-off: each batch with its digest, and the anomalies (overdue batch, no applicants, seats left) for 管理岗 (ADR-033)',
      middleware: [planReaders] as const, request: { query: ListQuery },
      responses: { ...listOf(ExamStaffPlan, 'allocations'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['examDate'], ['examDate', 'DESC']);
      const { rows, total } = await stations.listAllocations(c.get('deps').sql, c.get('staff')!, { ...q, desc: q.sortDesc }, c.get('now'));
      return listResponse(c, 'exam-allocations', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/exam-allocations/{id}', tags: ['exams (staff)'], summary: 'One plan’s batch, checked again from the stored keys (ADR-033)',
      middleware: [planReaders] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ExamStaffPlan, 'allocation'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await stations.getPlan(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/exam-results', tags: ['exams (staff)'], summary: 'Applications of my station’s or authority’s plans (filter planId, status, reference); ID numbers and phones masked',
      middleware: [applicationReaders] as const, request: { query: ListQuery },
      responses: { ...listOf(ExamStaffApplication, 'applications'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['rank'], ['rank', 'ASC']);
      const f = { planId: filterString(q.filter, 'planId'), status: filterString(q.filter, 'status'), reference: filterString(q.filter, 'reference') };
      if (f.planId && !/^[0-9a-f-]{36}$/i.test(f.planId)) f.planId = '00000000-0000-4000-8000-000000000000';
      const { rows, total } = await stations.listApplications(c.get('deps').sql, c.get('staff')!, f, q);
      return listResponse(c, 'exam-results', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/exam-results/{id}', tags: ['exams (staff)'], summary: 'One application',
      middleware: [applicationReaders] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ExamStaffApplication, 'application'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await stations.getApplication(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/exam-results/{id}/result', tags: ['exams (staff)'], summary: 'Enter a sitting’s result: pass, fail with the retake, absent (X-4.4.4 – X-4.4.6)',
      middleware: [requireStaff('exam_operator')] as const, request: { params: IdParam, ...jsonBody(ExamResultRequest) },
      responses: { 200: jsonResponse(ExamStaffApplication, 'recorded'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await stations.recordResult(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/exam-results/{id}/counter-cancel', tags: ['exams (staff)'], summary: 'Cancel at the counter after the cut-off, until the day before the exam (X-4.4.6)',
      middleware: [requireStaff('intake')] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ExamStaffApplication, 'cancelled'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await stations.counterCancel(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, meta(c)), 200),
  );


const SESSION_ZH: Record<string, string> = { am: '上午', pm: '下午' };
const STATUS_ZH: Record<string, string> = {
  applied: '排队中', allocated: '已分配', not_allocated: '未分配', cancelled: '已取消', passed: '合格', failed: '不合格', absent: '缺考',
};
const OUTCOME_ZH: Record<string, string> = { pass: '合格', fail: '不合格', absent: '缺考', skipped: '放弃补考' };
const managers = requireStaff('review');

/**
 * 管理岗 exports a plan's results as CSV (filter planId), ID numbers masked,
 * one audit entry per export (ADR-024, ADR-039); mounted before `/{id}`.
 */
export const examResultExportRoutes = csvExportRoute({
  resource: 'exam-results', tags: ['exams (staff)'], guard: managers, title: '考试预约结果', sortable: ['rank'], defaultSort: ['rank', 'ASC'],
  list: (deps, staff, q) => {
    let planId = filterString(q.filter, 'planId');
    if (planId && !/^[0-9a-f-]{36}$/i.test(planId)) planId = '00000000-0000-4000-8000-000000000000';
    return stations.listApplications(deps.sql, staff, { planId, status: filterString(q.filter, 'status'), reference: filterString(q.filter, 'reference') }, q);
  },
  columns: [
    { header: '考试日期', value: (r) => `${r.examDate} ${SESSION_ZH[r.session] ?? r.session}` },
    { header: '考试场', value: (r) => r.stationName },
    { header: '科目', value: (r) => ['', '科目一', '科目二', '科目三'][r.subject] ?? String(r.subject) },
    { header: '排序', value: (r) => (r.rank === null ? '' : String(r.rank)) },
    { header: '受理号', value: (r) => r.reference },
    { header: '姓名', value: (r) => r.personName },
    { header: '身份证明号码', value: (r) => r.idNumberMasked },
    { header: '准驾车型', value: (r) => r.class },
    { header: '状态', value: (r) => STATUS_ZH[r.status] ?? r.status },
    { header: '首次考试', value: (r) => (r.result ? OUTCOME_ZH[r.result.first] ?? r.result.first : '') },
    { header: '补考', value: (r) => (r.result?.retake ? OUTCOME_ZH[r.result.retake] ?? r.result.retake : '') },
  ],
});

/** 管理岗 reveals one candidate's full ID number with a reason: audited, in the citizen's access log (ADR-024, ADR-039). */
export const examResultRevealRoutes = revealRoute({ resource: 'exam-results', tags: ['exams (staff)'], guard: managers, fields: 'idNumber', load: stations.revealTarget });

const permitReaders = requireStaff('intake', 'review');

/** 学习驾驶证明: 受理岗 issues one after an accepted first application; 受理岗 and 管理岗 of the city read them (X-4.4.1; ADR-039). */
export const learnerPermitRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/learner-permits', tags: ['exams (staff)'], summary: 'Learner permits of my city (filter q: name or full ID number); ID numbers masked',
      middleware: [permitReaders] as const, request: { query: ListQuery },
      responses: { ...listOf(ExamLearnerPermit, 'permits'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['issuedOn'], ['issuedOn', 'DESC']);
      const { rows, total } = await permits.listPermits(c.get('deps').sql, c.get('staff')!, { q: filterString(q.filter, 'q') }, q, c.get('now'));
      return listResponse(c, 'learner-permits', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/learner-permits', tags: ['exams (staff)'], summary: 'Issue the learner permit after an accepted first application: starts the waiting periods and the three-year validity (X-4.4.1, X-4.4.3, X-4.4.4)',
      middleware: [requireStaff('intake')] as const, request: jsonBody(ExamIssuePermitRequest),
      responses: { 201: jsonResponse(ExamLearnerPermit, 'issued'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await permits.issuePermit(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/learner-permits/{id}', tags: ['exams (staff)'], summary: 'One learner permit',
      middleware: [permitReaders] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(ExamLearnerPermit, 'permit'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await permits.getPermit(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  );
