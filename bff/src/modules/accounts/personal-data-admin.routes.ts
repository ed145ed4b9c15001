/**
 * Personal data on the accounts module's staff records (issue 17, ADR-024):
 * the logged reveal of one masked value with a reason, and the CSV exports
 * of the staff lists (zh-CN headers, masked values, UTF-8 BOM, audited). The
 * exports are mounted before the `/{id}` routes (accounts/index.ts).
 */
import { filterString } from '../../core/list-query.ts';
import { requireStaff } from '../../http/auth.ts';
import { csvExportRoute, revealRoute } from '../../http/personal-data.ts';
import * as service from './service.ts';
import * as applications from './counter.ts';
import * as bindings from './bindings.ts';
import { applicationRevealTarget, userRevealTarget } from './reveal.ts';

const tags = ['accounts (staff)'];
const counter = requireStaff('intake', 'review');
const intake = requireStaff('intake');
const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

export const applicationRevealRoutes = revealRoute({
  resource: 'account-applications', tags, guard: counter,
  fields: 'idNumber, phone, email, postalAddress; an organisation’s postalAddress, legalRepPhone, agent.idNumber, agent.phone, agent.email',
  load: applicationRevealTarget,
});

export const userRevealRoutes = revealRoute({
  resource: 'user-accounts', tags, guard: counter, fields: 'idNumber, phone, email, postalAddress', load: userRevealTarget,
});

export const applicationExportRoutes = csvExportRoute({
  resource: 'account-applications', tags, guard: counter, title: '窗口注册变更申请',
  sortable: ['reviewDueAt', 'acceptedAt', 'reference', 'status', 'id'], defaultSort: ['reviewDueAt', 'ASC'],
  list: (deps, staff, q, now) => applications.listApplications(deps, staff, q, now),
  columns: [
    { header: '受理编号', value: (r) => r.reference },
    { header: '申请人', value: (r) => r.applicantName },
    { header: '身份证明号码', value: (r) => r.idNumber },
    { header: '手机号码', value: (r) => r.phone },
    { header: '电子邮箱', value: (r) => (r.form.email as string | null | undefined) ?? (r.form.agent as { email?: string } | undefined)?.email ?? '' },
    { header: '邮寄地址', value: (r) => r.form.postalAddress as string | undefined },
    { header: '主体', value: (r) => (r.subject === 'person' ? '个人' : '单位') },
    { header: '业务类型', value: (r) => (r.kind === 'registration' ? '注册' : '变更') },
    { header: '状态', value: (r) => r.status },
    { header: '核查状态', value: (r) => r.checkStatus },
    { header: '受理时间', value: (r) => r.acceptedAt },
    { header: '受理人', value: (r) => r.acceptedBy },
    { header: '审核期限', value: (r) => r.reviewDueAt },
    { header: '是否超期', value: (r) => (r.overdue ? '是' : '否') },
  ],
});

export const userExportRoutes = csvExportRoute({
  resource: 'user-accounts', tags, guard: counter, title: '互联网用户', sortable: ['createdAt', 'id'], defaultSort: ['createdAt', 'DESC'],
  list: (deps, staff, q) => service.listUsers(deps, staff, q),
  columns: [
    { header: '姓名或单位名称', value: (r) => r.name },
    { header: '身份证明号码', value: (r) => r.idNumberMasked },
    { header: '手机号码', value: (r) => r.phoneMasked },
    { header: '用户类型', value: (r) => (r.kind === 'personal' ? '个人' : '单位') },
    { header: '个人用户类别', value: (r) => r.personalType },
    { header: '注册方式', value: (r) => (r.registrationChannel === 'online' ? '网上注册' : '窗口注册') },
    { header: '状态', value: (r) => r.status },
    { header: '所属机关', value: (r) => r.authorityId },
    { header: '注册时间', value: (r) => r.createdAt },
    { header: '注销时间', value: (r) => r.cancelledAt },
    { header: '注销原因', value: (r) => r.cancelReason },
  ],
});

export const recordsEventExportRoutes = csvExportRoute({
  resource: 'records-events', tags, guard: counter, title: '登记事件', sortable: ['at', 'id'], defaultSort: ['at', 'DESC'],
  list: (deps, staff, q) => bindings.listRecordsEvents(deps, staff, q),
  columns: [
    { header: '时间', value: (r) => r.at },
    { header: '事件', value: (r) => r.kind },
    { header: '号牌号码', value: (r) => r.plateNo },
    { header: '驾驶证号', value: (r) => r.licenceNoMasked },
    { header: '解除绑定数', value: (r) => r.unbound },
    { header: '登记人', value: (r) => r.recordedBy },
    { header: '详情', value: (r) => json(r.detail) },
  ],
});

export const licenceApplicationExportRoutes = csvExportRoute({
  resource: 'licence-applications', tags, guard: intake, title: '初次申领驾驶证', sortable: ['acceptedAt', 'id'], defaultSort: ['acceptedAt', 'DESC'],
  list: (deps, staff, q) => bindings.listLicenceApplications(deps, staff, q, filterString(q.filter, 'status')),
  columns: [
    { header: '姓名', value: (r) => r.personName },
    { header: '身份证明号码', value: (r) => r.idNumberMasked },
    { header: '准驾车型', value: (r) => r.classes },
    { header: '状态', value: (r) => r.status },
    { header: '受理时间', value: (r) => r.acceptedAt },
    { header: '发证时间', value: (r) => r.issuedAt },
  ],
});

/** In the order they must be mounted: the exports before the lists' `/{id}` routes. */
export const accountPersonalDataRoutes = [
  applicationExportRoutes, userExportRoutes, recordsEventExportRoutes, licenceApplicationExportRoutes, applicationRevealRoutes, userRevealRoutes,
] as const;
