import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { staffAccountSortable } from './repo.ts';
import { StaffAccountDto, StaffAccountIdParam, StaffAccountListQuery, TotpResetRequest } from './staff-accounts.schemas.ts';
import * as service from './staff-accounts.ts';

const systemAdmin = requireStaff('system_admin');

/** 工作人员账号: the system administrator lists staff accounts and resets a member's second factor (issue 17). */
export const staffAccountAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/staff-accounts', tags: ['staff auth'], summary: 'Staff accounts with their posts, city and second-factor state',
      middleware: [systemAdmin] as const, request: { query: StaffAccountListQuery },
      responses: { ...listOf(StaffAccountDto, 'staff accounts'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), staffAccountSortable, ['username', 'ASC']);
      const { rows, total } = await service.listStaffAccounts(c.get('deps'), q);
      return listResponse(c, 'staff-accounts', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/staff-accounts/{id}', tags: ['staff auth'], summary: 'One staff account',
      middleware: [systemAdmin] as const, request: { params: StaffAccountIdParam },
      responses: { 200: jsonResponse(StaffAccountDto, 'staff account'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await service.getStaffAccount(c.get('deps'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/staff-accounts/{id}/reset-totp', tags: ['staff auth'],
      summary: "Reset a member's second factor with the reason (audited); the member enrols again at the next sign-in",
      middleware: [systemAdmin] as const, request: { params: StaffAccountIdParam, ...jsonBody(TotpResetRequest) },
      responses: { 200: jsonResponse(StaffAccountDto, 'staff account'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await service.resetStaffTotp(c.get('deps'), staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  );
