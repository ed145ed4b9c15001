/**
 * Who may use which screen. The bff enforces the same table on every route
 * (docs/api.md, "Staff endpoints"); this copy only decides what the menu shows
 * and which pages react-admin lets the staff member open.
 */

export const STAFF_ROLES = ['intake', 'review', 'archive', 'station_operator', 'dealer', 'system_admin'] as const;
/** 受理岗 / 管理岗 / 档案岗 / 检验机构操作员 / 汽车销售商 / 系统管理员 */
export type StaffRole = (typeof STAFF_ROLES)[number];

export type Action = 'list' | 'show' | 'create' | 'edit' | 'delete' | 'access';

type Grant = { roles: readonly StaffRole[] | 'all'; actions: readonly Action[] };

/** Resources and custom pages, in menu order. */
export const ACCESS = {
  'audit-log': { roles: 'all', actions: ['list', 'show'] },
  outbox: { roles: ['system_admin', 'intake', 'review'], actions: ['list', 'show'] },
  'calendar-days': { roles: ['system_admin'], actions: ['list', 'create', 'delete'] },
  /** custom route: enter a whole year of holidays and make-up working days */
  'calendar-year': { roles: ['system_admin'], actions: ['access'] },
  jobs: { roles: ['system_admin'], actions: ['list'] },
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
  return roleAllowed && (grant.actions as readonly string[]).includes(action);
};

/** The menu for a set of roles: every resource or page whose first screen the roles may open. */
export const menuFor = (roles: readonly string[]): AdminResource[] =>
  (Object.keys(ACCESS) as AdminResource[]).filter(
    (resource) => canAccess(roles, resource, 'list') || canAccess(roles, resource, 'access'),
  );
