import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { IdParam, ListQuery, RosterEntry, RosterMarkRequest } from './schemas.ts';
import * as roster from './roster.ts';

// Station operators only, and only for their own station (roster.ts → stationScope with operatorOnly).
const operator = requireStaff('station_operator');

/** 检验机构当日预约名册 (issue 18, R-36.3), react-admin simple-rest dialect with one named command. */
export const stationRosterRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/station-roster', tags: ['inspections (staff)'],
      summary: 'The day roster of my station: bookings by slot, personal data masked (filter: day — today by default, status, q)',
      middleware: [operator] as const, request: { query: ListQuery },
      responses: { ...listOf(RosterEntry, 'the day’s bookings'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id', 'startsAt'], ['startsAt', 'ASC']);
      const { rows, total } = await roster.roster(c.get('deps').sql, c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'station-roster', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/station-roster/{id}/mark', tags: ['inspections (staff)'],
      summary: 'Mark a booking of the day: arrived (到场), done (检验完成) or no-show (未到检); done and no-show end the booking',
      middleware: [operator] as const, request: { params: IdParam, ...jsonBody(RosterMarkRequest) },
      responses: { 200: jsonResponse(RosterEntry, 'the booking on the roster'), ...problems(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await roster.markBooking(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200),
  );
