/**
 * 检验机构当日预约名册 — the station's day roster (issue 18, R-36.3): the
 * day's bookings by slot with the booker's personal data masked, and the
 * station's marks 到场 / 检验完成 / 未到检. Done and no-show end the booking
 * exactly as the day's end does (service.ts `endActiveBooking`).
 */
import type { Sql } from '../../db.ts';
import type { Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import { filterString, type ListQuery } from '../../core/list-query.ts';
import { isPlatformDay } from '../../core/text.ts';
import { writeAudit } from '../../platform/audit.ts';
import { maskName, maskPhone } from '../../platform/check-digits.ts';
import * as repo from './repo.ts';
import { decideRosterMark, type RosterMark } from './rules.ts';
import { archiveInspection, endActiveBooking, todayOf, type StaffActor } from './service.ts';
import { stationScope } from './stations.ts';

const MARKS: readonly RosterMark[] = ['arrived', 'done', 'no_show'];

function rosterDto(b: repo.RosterRow, today: string) {
  const facts = { status: b.status, day: b.day, arrived: b.arrived_at !== null };
  return {
    id: b.id, code: b.code, status: b.status, cancelledReason: b.cancelled_reason, disruption: b.disruption,
    arrivedAt: b.arrived_at?.toISOString() ?? null, endedAt: b.ended_at?.toISOString() ?? null, crossCity: b.cross_city,
    plateNo: b.plate_no, vehicleType: b.vehicle_type, brandModel: b.brand_model,
    bookerNameMasked: b.booker_name ? maskName(b.booker_name) : null, phoneMasked: maskPhone(b.user_phone),
    stationId: b.station_id, stationName: b.station_name, slotId: b.slot_id, day: b.day, startsAt: b.starts_at, endsAt: b.ends_at,
    marks: MARKS.filter((m) => decideRosterMark(facts, m, today).ok),
  };
}

/** The roster of one day (filter `day`, today by default) of the operator's own station. */
export async function roster(sql: Sql, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const scope = await stationScope(sql, staff, { operatorOnly: true });
  const today = todayOf(now);
  const asked = filterString(q.filter, 'day');
  const day = asked && isPlatformDay(asked) ? asked : today;
  const status = filterString(q.filter, 'status');
  const rows = await repo.rosterBookings(sql, scope, day, { status: status || undefined, q: filterString(q.filter, 'q') || undefined });
  const all = rows.map((b) => rosterDto(b, today));
  return { rows: all.slice(q.offset, q.offset + q.limit), total: all.length };
}

/**
 * A mark on the roster, by the operator of the booking's station only.
 * 到场 keeps the booking active (the day's end then closes it as completed);
 * 检验完成 / 未到检 end it now; 检验完成 also corrects an earlier no-show.
 */
export async function markBooking(
  deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { mark: RosterMark; note: string }, meta: RequestMeta,
) {
  const today = todayOf(meta.now);
  return deps.sql.begin(async (tx) => {
    const scope = await stationScope(tx, staff, { operatorOnly: true });
    const b = await repo.staffBooking(tx, scope, id, true);
    if (!b) throw new DomainError('inspections.booking_not_found');
    const d = decideRosterMark({ status: b.status, day: b.day, arrived: b.arrived_at !== null }, input.mark, today);
    if (!d.ok) throw refuse(d, 'mark');
    if (input.mark === 'arrived') {
      if (!(await repo.markArrived(tx, b.id, meta.now))) throw new DomainError('inspections.mark_not_allowed', { params: { status: 'arrived' }, field: 'mark' });
      await writeAudit(tx, actor, meta, {
        action: 'inspections.booking_arrived', entityType: 'inspection_booking', entityId: b.id, authorityId: b.station_city,
        before: { status: b.status, arrived: false }, after: { status: b.status, arrived: true, ...(input.note ? { note: input.note } : {}) },
      });
    } else if (b.status === 'no_show') {
      await repo.correctNoShow(tx, b.id, meta.now);
      await writeAudit(tx, actor, meta, {
        action: 'inspections.booking_completed', entityType: 'inspection_booking', entityId: b.id, authorityId: b.station_city,
        before: { status: 'no_show' }, after: { status: 'completed', corrected: true, ...(input.note ? { note: input.note } : {}) },
      });
      await archiveInspection(tx, b, actor, meta);
    } else {
      const end = d.to === 'completed' ? { status: 'completed' as const } : { status: 'no_show' as const };
      const action = d.to === 'completed' ? 'inspections.booking_completed' : 'inspections.booking_no_show';
      if (!(await endActiveBooking(tx, b, end, actor, meta, action, input.note))) throw new DomainError('inspections.booking_not_active');
    }
    const [after] = await repo.rosterBookings(tx, scope, b.day).then((rows) => rows.filter((r) => r.id === b.id));
    return rosterDto(after!, today);
  });
}
