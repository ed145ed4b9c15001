import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonResponse, meta } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { dashboardOf } from './dashboard.ts';

const QueueCountDto = z
  .object({
    post: z.enum(['intake', 'review', 'archive', 'station_operator']),
    key: z.string(),
    resource: z.string(),
    filter: z.record(z.string(), z.string()),
    count: z.number().int(),
    overdue: z.number().int(),
    dueToday: z.number().int(),
    nextDueAt: z.string().nullable(),
  })
  .openapi('DashboardQueue');

const DashboardDto = z
  .object({
    posts: z.array(z.enum(['intake', 'review', 'archive', 'station_operator'])),
    authorityIds: z.array(z.string()),
    stationId: z.string().nullable(),
    today: z.string(),
    queues: z.array(QueueCountDto),
    stepsToday: z.number().int(),
  })
  .openapi('StaffDashboard');

/** 概览 (issue 18): every signed-in staff member reads the queues of the own posts, city and station. */
export const dashboardRoutes = router().openapi(
  createRoute({
    method: 'get', path: '/admin-api/dashboard', tags: ['ops'],
    summary: 'The signed-in member\'s queues: counts, overdue, due today, per post, scoped to the own city (and station)',
    middleware: [requireStaff('intake', 'review', 'archive', 'station_operator', 'dealer', 'system_admin', 'auditor')] as const,
    responses: { 200: jsonResponse(DashboardDto, 'dashboard'), ...problems(401, 403) },
  }),
  async (c) => c.json(await dashboardOf(c.get('deps'), c.get('staff')!, meta(c).now), 200),
);
