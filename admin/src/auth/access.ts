/**
 * Who may use which screen. The bff enforces the same table on every route
 * (docs/api.md, "Staff endpoints"); this copy only decides what the menu shows
 * and which pages react-admin lets the staff member open.
 */

export const STAFF_ROLES = ['intake', 'review', 'archive', 'station_operator', 'dealer', 'system_admin', 'auditor', 'medical_operator', 'exam_operator'] as const;
/** 受理岗 / 管理岗 / 档案岗 / 检验机构操作员 / 汽车销售商 / 系统管理员 / 审计员 (issue 17: reads the audit log, holds no business post) / 医疗机构操作员 (X-4.3.1) / 考试场操作员 */
export type StaffRole = (typeof STAFF_ROLES)[number];

export type Action = 'list' | 'show' | 'create' | 'edit' | 'delete' | 'access';

type Grant = {
  roles: readonly StaffRole[] | 'all';
  actions: readonly Action[];
  /** An action narrower than the resource: only these roles (e.g. only dealers create an application). */
  only?: Partial<Record<Action, readonly StaffRole[]>>;
};

/** Resources and custom pages, in menu order. */
export const ACCESS = {
  /** 审计日志: 审计员 and the system administrator; dealers and station operators see their own members' entries only (issue 17, ADR-024) */
  'audit-log': { roles: ['auditor', 'system_admin', 'dealer', 'station_operator'], actions: ['list', 'show'] },
  outbox: { roles: ['system_admin', 'intake', 'review'], actions: ['list', 'show'] },
  'calendar-days': { roles: ['system_admin'], actions: ['list', 'create', 'delete'] },
  /** custom route: enter a whole year of holidays and make-up working days */
  'calendar-year': { roles: ['system_admin'], actions: ['access'] },
  jobs: { roles: ['system_admin'], actions: ['list'] },
  /** 工作人员账号: posts, city and second factor of each staff account; reset a member's TOTP (issue 17) */
  'staff-accounts': { roles: ['system_admin'], actions: ['list', 'show'] },
  /** 检验时段: an inspection station's operator, own station only */
  'inspection-slots': { roles: ['station_operator'], actions: ['list', 'create'] },
  /** 当日预约名册: the station's operator marks arrived / done / no-show, own station only (issue 18, R-36.3) */
  'station-roster': { roles: ['station_operator'], actions: ['list'] },
  /** 检验预约开关与异地检验计划: the city's and the province's 管理岗 */
  'inspection-plans': { roles: ['review'], actions: ['list', 'show', 'create', 'edit'] },
  /** 号段启用计划: 管理岗 */
  'plate-plans': { roles: ['review'], actions: ['list', 'show', 'create'] },
  /** 号牌预选: deadlines and bans; 受理岗 registers reserved numbers */
  'plate-preselections': { roles: ['intake', 'review'], actions: ['list', 'show'] },
  /** 补换领业务: 受理岗 and 档案岗 queues; 管理岗 reads */
  replacements: { roles: ['intake', 'archive', 'review'], actions: ['list', 'show'] },
  /** 驾驶证补换领: 受理岗 and 档案岗 queues with the one-working-day SLA; 管理岗 reads */
  'licence-services': { roles: ['intake', 'archive', 'review'], actions: ['list', 'show'] },
  /** 驾驶证延期: 受理岗 records within one working day; 管理岗 reads */
  'licence-deferrals': { roles: ['intake', 'review'], actions: ['list', 'show'] },
  /** 网上补换领号牌种类: 管理岗 */
  'replacement-city-settings': { roles: ['review'], actions: ['list', 'edit'] },
  /** 核发临时号牌资格: dealers apply and renew, 管理岗 reviews, 受理岗 reads before handing out */
  'dealer-qualifications': { roles: ['dealer', 'review', 'intake'], actions: ['list', 'show', 'create'], only: { create: ['dealer'] } },
  /** 空白临时号牌发放: 受理岗 hands out */
  'temp-plate-batches': { roles: ['intake', 'review', 'dealer'], actions: ['list', 'show', 'create'], only: { create: ['intake'] } },
  /** 空白临时号牌: damage (dealer), destruction (受理岗) */
  'temp-plate-blanks': { roles: ['dealer', 'intake', 'review'], actions: ['list'] },
  /** 核发临时号牌: dealers issue, 受理岗 records registrations */
  'temp-plate-issuances': { roles: ['dealer', 'intake', 'review'], actions: ['list', 'show', 'create'], only: { create: ['dealer'] } },
  /** 库存核对: the dealer's reconciliation */
  'temp-plate-stock': { roles: ['dealer'], actions: ['list'] },
  /** 委托销售商核发临时号牌: 管理岗 */
  'temp-plate-city-settings': { roles: ['review'], actions: ['list', 'edit'] },
  /** 窗口注册/变更: 受理岗 accepts and corrects, 管理岗 reviews */
  'account-applications': { roles: ['intake', 'review'], actions: ['list', 'show', 'create'], only: { create: ['intake'] } },
  /** 注册档案: 档案岗 */
  'account-archives': { roles: ['archive'], actions: ['list', 'show'] },
  /** 互联网用户: look-up; 管理岗 force-cancels */
  'user-accounts': { roles: ['intake', 'review'], actions: ['list', 'show'] },
  /** 转移/注销/营运转非营运, 驾驶证注销: 受理岗 records, the bff unbinds */
  'records-events': { roles: ['intake', 'review'], actions: ['list', 'create'], only: { create: ['intake'] } },
  /** 初次申领驾驶证: 受理岗 records the licence issued */
  'licence-applications': { roles: ['intake'], actions: ['list'] },
  /** 证件照片审核: 管理岗 */
  'certificate-photos': { roles: ['review'], actions: ['list', 'show'] },
  /** 电子档案: 档案岗 and 管理岗 of the city search and read */
  'archive-records': { roles: ['archive', 'review'], actions: ['list', 'show'] },
  /** 纸质档案: 档案岗 checks in, lends, takes back; 管理岗 reads */
  'paper-files': { roles: ['archive', 'review'], actions: ['list', 'show', 'create'], only: { create: ['archive'] } },
  /** 档案校验: the digest chains (ADR-036) */
  'archive-chains': { roles: ['archive', 'review'], actions: ['list'] },
  /** 档案销毁计划: 档案岗 decides (ADR-036) */
  'archive-destructions': { roles: ['archive'], actions: ['list'] },
  /** 档案保管期限: 管理岗 sets the retention of each business type (X-6.3, ADR-036) */
  'archive-retention': { roles: ['review'], actions: ['list', 'edit'] },
  /** 档案移交: 档案岗 sends and confirms receipt (ADR-037) */
  'paper-file-transfers': { roles: ['archive', 'review'], actions: ['list', 'create'], only: { create: ['archive'] } },
  /** 交回证件: 档案岗 records destruction, 恢复证芯, 退办 */
  'returned-certificates': { roles: ['archive', 'review'], actions: ['list', 'create'], only: { create: ['archive'] } },
  /** 缴费订单: 管理岗 reads the orders of the city and refunds a paid one (issue 21, ADR-035) */
  'payment-orders': { roles: ['review'], actions: ['list', 'show'] },
  /** 每日对账 and 异常支付通知: the merchant account's, province 管理岗 (the bff refuses city staff) */
  'payment-reconciliations': { roles: ['review'], actions: ['list', 'show'] },
  'payment-rejected-notifications': { roles: ['review'], actions: ['list'] },
  /** 交通违法记录: 受理岗 enters, imports and reviews camera records; 管理岗 clears exemptions; 档案岗 reads the electronic case file */
  violations: { roles: ['intake', 'review', 'archive'], actions: ['list', 'show', 'create'], only: { create: ['intake'] } },
  /** 异议与消除申请: 管理岗 decides; 受理岗 reads */
  'violation-objections': { roles: ['review', 'intake', 'archive'], actions: ['list', 'show'] },
  /** 考试计划: the exam station publishes; 管理岗 reads */
  'exam-plans': { roles: ['exam_operator', 'review'], actions: ['list', 'show', 'create'], only: { create: ['exam_operator'] } },
  /** 考试分配结果: each plan's batch, digest, check and anomalies (X-4.4.8, ADR-033) */
  'exam-allocations': { roles: ['review', 'exam_operator'], actions: ['list', 'show'] },
  /** 考生名单与成绩: the station enters results; 受理岗 cancels at the counter after the cut-off */
  'exam-results': { roles: ['exam_operator', 'review', 'intake'], actions: ['list', 'show'] },
  /** 学习驾驶证明: 受理岗 issues after an accepted first application (X-4.4.1, ADR-039); 管理岗 reads */
  'learner-permits': { roles: ['intake', 'review'], actions: ['list', 'show', 'create'], only: { create: ['intake'] } },
  /** 医疗机构受委托资格: the institution applies and renews, 管理岗 reviews and revokes (X-4.3.1, PD-12) */
  'medical-qualifications': { roles: ['medical_operator', 'review'], actions: ['list', 'show', 'create'], only: { create: ['medical_operator'] } },
  /** 身体条件证明: the entrusted institution uploads; 管理岗 and 受理岗 read */
  'health-certificates': { roles: ['medical_operator', 'review', 'intake'], actions: ['list', 'show', 'create'], only: { create: ['medical_operator'] } },
  /** custom route: 我的动态口令, replace one's own second factor (issue 17) */
  'my-totp': { roles: 'all', actions: ['access'] },
} as const satisfies Record<string, Grant>;

export type AdminResource = keyof typeof ACCESS;

export const isStaffRole = (role: unknown): role is StaffRole =>
  typeof role === 'string' && (STAFF_ROLES as readonly string[]).includes(role);

export const canAccess = (roles: readonly string[], resource: string, action: string): boolean => {
  const grant: Grant | undefined = (ACCESS as Record<string, Grant>)[resource];
  if (!grant) return false;
  const staffRoles = roles.filter(isStaffRole);
  if (staffRoles.length === 0) return false;
  const roleAllowed = grant.roles === 'all' || staffRoles.some((r) => (grant.roles as readonly StaffRole[]).includes(r));
  const narrower = grant.only?.[action as Action];
  if (narrower && !staffRoles.some((r) => narrower.includes(r))) return false;
  return roleAllowed && (grant.actions as readonly string[]).includes(action);
};

/** The menu for a set of roles: every resource or page whose first screen the roles may open. */
export const menuFor = (roles: readonly string[]): AdminResource[] =>
  (Object.keys(ACCESS) as AdminResource[]).filter(
    (resource) => canAccess(roles, resource, 'list') || canAccess(roles, resource, 'access'),
  );
