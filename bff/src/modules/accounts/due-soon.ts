/**
 * "What is due soon" for 我的账户 (issue 18): the few dates a citizen must act
 * by, each with what resolves it — an inspection whose validity ends within
 * 90 days (R-35.3 opens booking three months before), a reserved plate that
 * must be registered by its deadline (R-23.4), the 24 hours a new-car owner
 * has to preselect (R-21.1.4), a temporary plate's last day (R-31), a counter
 * application returned by 管理岗 (R-12.2.4), a replacement waiting to be
 * collected (R-27.6). Read-only and the caller's own only: everything is
 * found through the signed-in account (its bindings, its person's ID).
 * Plain SQL over the other modules' tables, because those modules import
 * accounts (an import back would be a cycle); nothing here writes.
 */
import { type DueItemDto, type DueSoonDto } from './due-soon.schemas.ts';
import type { Db } from '../../db.ts';
import { addDays, addHours, shanghaiDay } from '../../platform/calendar.ts';
import { DomainError } from '../../core/errors.ts';
import * as repo from './repo.ts';
import { NEW_CAR_PRESELECT_HOURS } from './rules.ts';

/** An inspection "due soon": its validity ends within this many days (or has ended). */
export const DUE_SOON_DAYS = 90;

type Item = DueItemDto;

/** The citizen's own due items, soonest first; undated ones last. */
export async function dueSoon(db: Db, userId: string, now: Date): Promise<DueSoonDto> {
  const u = await repo.findUser(db, userId);
  if (!u || u.status === 'cancelled') throw new DomainError('accounts.not_found');
  const today = shanghaiDay(now);
  const horizon = addDays(today, DUE_SOON_DAYS);
  const items: Item[] = [];

  // Inspections of the vehicles this account may book for (own, or the unit's): not the non-own ones, which the owner books.
  const vehicles = await db<{ id: string; plate_no: string; valid_until: string; booking_id: string | null; booking_day: string | null }[]>`
    SELECT v.id, v.plate_no, to_char(v.inspection_valid_until, 'YYYY-MM-DD') AS valid_until,
           bk.id AS booking_id, to_char(s.day, 'YYYY-MM-DD') AS booking_day
    FROM vehicle_binding b
    JOIN vehicle v ON v.id = b.vehicle_id
    LEFT JOIN inspection_booking bk ON bk.vehicle_id = v.id AND bk.status = 'booked' AND bk.user_account_id = ${userId}
    LEFT JOIN inspection_slot s ON s.id = bk.slot_id
    WHERE b.user_account_id = ${userId} AND b.unbound_at IS NULL AND b.kind IN ('own', 'organisation')
      AND v.plate_no IS NOT NULL AND v.inspection_valid_until IS NOT NULL AND v.inspection_valid_until <= ${horizon}::date
      AND v.states = '{normal}'
    ORDER BY v.inspection_valid_until, v.plate_no`;
  for (const v of vehicles) {
    const overdue = v.valid_until < today;
    items.push(
      v.booking_id
        ? { kind: 'inspection_booked', label: v.plate_no, subjectId: v.booking_id, dueAt: v.valid_until, overdue, detail: v.booking_day }
        : { kind: 'inspection_due', label: v.plate_no, subjectId: v.id, dueAt: v.valid_until, overdue, detail: null },
    );
  }

  const preselections = await db<{ id: string; status: string; plate_no: string | null; deadline: Date | null }[]>`
    SELECT id, status, plate_no, deadline FROM plate_preselection
    WHERE user_account_id = ${userId} AND status IN ('drawing', 'reserved', 'registered') ORDER BY created_at DESC`;
  for (const p of preselections.filter((x) => x.status === 'reserved' && x.deadline)) {
    items.push({ kind: 'plate_reservation', label: p.plate_no ?? '', subjectId: p.id, dueAt: p.deadline!.toISOString(), overdue: p.deadline! < now, detail: null });
  }
  if (u.kind === 'personal' && u.personal_type === 'new_car_owner' && !preselections.some((p) => p.status !== 'drawing')) {
    const by = addHours(u.created_at, NEW_CAR_PRESELECT_HOURS);
    const drawing = preselections.find((p) => p.status === 'drawing');
    items.push({ kind: 'preselect_by', label: '', subjectId: drawing?.id ?? null, dueAt: by.toISOString(), overdue: by < now, detail: null });
  }

  if (u.kind === 'personal' && u.person_id) {
    const person = await repo.findPersonById(db, u.person_id);
    if (person) {
      const temps = await db<{ plate_no: string; valid_until: string }[]>`
        SELECT plate_no, to_char(valid_until, 'YYYY-MM-DD') AS valid_until FROM temp_plate_issuance
        WHERE owner_id_type = ${person.id_type} AND owner_id_number = ${person.id_number} AND status = 'issued'
        ORDER BY valid_until`;
      for (const t of temps) items.push({ kind: 'temp_plate', label: t.plate_no, subjectId: null, dueAt: t.valid_until, overdue: t.valid_until < today, detail: null });

      const returned = await db<{ reference: string; returned_note: string | null; review_due_at: Date | null }[]>`
        SELECT reference, returned_note, review_due_at FROM account_application
        WHERE status = 'returned' AND ((id_type = ${person.id_type} AND id_number = ${person.id_number}) OR user_account_id = ${userId})
        ORDER BY returned_at DESC LIMIT 10`;
      for (const a of returned) items.push({ kind: 'application_returned', label: a.reference, subjectId: a.reference, dueAt: null, overdue: false, detail: a.returned_note });
    }
  }

  const pickups = await db<{ id: string; reference: string; last_day: string }[]>`
    SELECT id, reference, to_char(pickup_deadline_day, 'YYYY-MM-DD') AS last_day FROM replacement_application
    WHERE user_account_id = ${userId} AND status = 'ready_for_pickup' AND pickup_deadline_day IS NOT NULL ORDER BY pickup_deadline_day`;
  for (const r of pickups) items.push({ kind: 'replacement_pickup', label: r.reference, subjectId: r.id, dueAt: r.last_day, overdue: r.last_day < today, detail: null });

  // A day sorts as its start; an instant as is; undated (returned applications) first: they wait for the citizen now.
  const key = (i: Item) => (i.dueAt === null ? '' : i.dueAt.length === 10 ? `${i.dueAt}T00:00:00+08:00` : i.dueAt);
  const instant = (i: Item) => (i.dueAt === null ? -Infinity : Date.parse(key(i)));
  items.sort((a, b) => instant(a) - instant(b));
  return { items, asOf: now.toISOString(), horizonDays: DUE_SOON_DAYS };
}
