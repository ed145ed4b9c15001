/**
 * 概览 (issue 18): one page per post — what waits in each of its queues, how
 * much of it is past its deadline, what falls due today and how many steps the
 * staff member took today. Read-only counts over the modules' tables, scoped
 * the way their own lists are: the authorities the member sees (own city, a
 * province's cities; non-negotiable 7) and, for a station's operator, the own
 * station only. Each queue names the admin list (resource + filter) that shows
 * exactly the rows counted, so a number on the dashboard is one click from them.
 */
import type { Deps, StaffPrincipal, StaffRole } from '../../core/context.ts';
import type { Db } from '../../db.ts';
import { visibleAuthorities } from '../../platform/authorities.ts';
import { addDays, shanghaiDay, startOfShanghaiDay } from '../../platform/calendar.ts';

/** The posts with a work queue; other roles (system admin, auditor, dealer) get an empty dashboard. */
export const DASHBOARD_POSTS = ['intake', 'review', 'archive', 'station_operator'] as const;
export type DashboardPost = (typeof DASHBOARD_POSTS)[number];

export type QueueCount = {
  post: DashboardPost;
  /** `dashboard.queue.<key>` in the admin's dictionaries. */
  key: string;
  /** The admin list that shows the rows counted, and its filter. */
  resource: string;
  filter: Record<string, string>;
  count: number;
  /** Past the deadline and still waiting (PD-3: flagged, never decided by the clock). */
  overdue: number;
  /** Deadline falls within today (Beijing time): after 00:00, up to 24:00. */
  dueToday: number;
  /** The earliest deadline among the waiting rows, if the queue has deadlines. */
  nextDueAt: string | null;
};

export type Dashboard = {
  posts: DashboardPost[];
  authorityIds: string[];
  stationId: string | null;
  today: string;
  queues: QueueCount[];
  /** Audited steps this staff member took today. */
  stepsToday: number;
};

type Row = { count: number; overdue: number; due_today: number; next_due: Date | null };
type Window = { now: Date; dayStart: Date; dayEnd: Date };

const one = async (rows: Promise<Row[]>) => {
  const [r] = await rows;
  return { count: r?.count ?? 0, overdue: r?.overdue ?? 0, dueToday: r?.due_today ?? 0, nextDueAt: r?.next_due ? r.next_due.toISOString() : null };
};

/** count / overdue / due today / next deadline of `deadline` over the rows `where` selects. */
function deadlineCounts(db: Db, table: string, deadline: string, where: ReturnType<Db>, w: Window) {
  return one(db<Row[]>`
    SELECT count(*)::int AS count,
           count(*) FILTER (WHERE ${db(deadline)} < ${w.now})::int AS overdue,
           count(*) FILTER (WHERE ${db(deadline)} > ${w.dayStart} AND ${db(deadline)} <= ${w.dayEnd})::int AS due_today,
           min(${db(deadline)}) AS next_due
      FROM ${db(table)} t ${where}`);
}

async function intakeQueues(db: Db, a: string[], w: Window): Promise<QueueCount[]> {
  const post = 'intake' as const;
  const returned = await deadlineCounts(db, 'account_application', 'review_due_at', db`WHERE t.authority_id = ANY(${a}) AND t.status = 'returned'`, w);
  // The 受理岗 queue of 补换领 as its list shows it; only applications not yet accepted have a deadline.
  const [rep] = await db<Row[]>`
    SELECT count(*)::int AS count,
           count(*) FILTER (WHERE t.status = 'submitted' AND t.accept_deadline < ${w.now})::int AS overdue,
           count(*) FILTER (WHERE t.status = 'submitted' AND t.accept_deadline > ${w.dayStart} AND t.accept_deadline <= ${w.dayEnd})::int AS due_today,
           min(t.accept_deadline) FILTER (WHERE t.status = 'submitted') AS next_due
      FROM replacement_application t
     WHERE t.authority_id = ANY(${a}) AND t.status IN ('submitted', 'accepted', 'produced', 'sent', 'ready_for_pickup')`;
  const [lic] = await db<{ count: number }[]>`SELECT count(*)::int AS count FROM licence_application WHERE authority_id = ANY(${a}) AND status = 'accepted'`;
  return [
    { post, key: 'account_returned', resource: 'account-applications', filter: { queue: 'intake' }, ...returned },
    {
      post, key: 'replacement_intake', resource: 'replacements', filter: { queue: 'intake' },
      count: rep?.count ?? 0, overdue: rep?.overdue ?? 0, dueToday: rep?.due_today ?? 0, nextDueAt: rep?.next_due ? rep.next_due.toISOString() : null,
    },
    { post, key: 'licence_to_issue', resource: 'licence-applications', filter: { status: 'accepted' }, count: lic?.count ?? 0, overdue: 0, dueToday: 0, nextDueAt: null },
  ];
}

async function reviewQueues(db: Db, a: string[], w: Window): Promise<QueueCount[]> {
  const post = 'review' as const;
  const review = await deadlineCounts(db, 'account_application', 'review_due_at', db`WHERE t.authority_id = ANY(${a}) AND t.status = 'review'`, w);
  const photos = await deadlineCounts(db, 'certificate_photo_submission', 'due_at', db`WHERE t.authority_id = ANY(${a}) AND t.status = 'submitted'`, w);
  const [dealers] = await db<{ count: number }[]>`
    SELECT count(*)::int AS count FROM dealer_qualification_review r JOIN dealer_qualification q ON q.id = r.qualification_id
     WHERE q.authority_id = ANY(${a}) AND r.status = 'pending'`;
  return [
    { post, key: 'account_review', resource: 'account-applications', filter: { queue: 'review' }, ...review },
    { post, key: 'certificate_photos', resource: 'certificate-photos', filter: { status: 'submitted' }, ...photos },
    { post, key: 'dealer_reviews', resource: 'dealer-qualifications', filter: {}, count: dealers?.count ?? 0, overdue: 0, dueToday: 0, nextDueAt: null },
  ];
}

async function archiveQueues(db: Db, a: string[]): Promise<QueueCount[]> {
  const post = 'archive' as const;
  const [files] = await db<{ count: number }[]>`SELECT count(*)::int AS count FROM account_archive WHERE authority_id = ANY(${a}) AND status = 'pending'`;
  // The same condition as the 档案岗 list of 补换领 (replacements/repo.ts, queue=archive).
  const [rep] = await db<{ count: number }[]>`
    SELECT count(*)::int AS count FROM replacement_application ra
     WHERE ra.authority_id = ANY(${a})
       AND ((ra.archived_at IS NULL AND ra.status IN ('produced', 'sent', 'ready_for_pickup', 'delivered', 'picked_up'))
            OR ra.status IN ('refused', 'not_collected')
            OR (ra.old_item_handed_over AND ra.old_item_destroyed_at IS NULL))`;
  return [
    { post, key: 'account_archive', resource: 'account-archives', filter: { status: 'pending' }, count: files?.count ?? 0, overdue: 0, dueToday: 0, nextDueAt: null },
    { post, key: 'replacement_archive', resource: 'replacements', filter: { queue: 'archive' }, count: rep?.count ?? 0, overdue: 0, dueToday: 0, nextDueAt: null },
  ];
}

/** The own station's day: bookings to inspect today, and past bookings never marked done (overdue). */
async function stationQueues(db: Db, stationId: string | null, today: string): Promise<QueueCount[]> {
  const post = 'station_operator' as const;
  if (!stationId) return [];
  const [b] = await db<{ today: number; overdue: number }[]>`
    SELECT count(*) FILTER (WHERE s.day = ${today}::date)::int AS today,
           count(*) FILTER (WHERE s.day < ${today}::date)::int AS overdue
      FROM inspection_booking b JOIN inspection_slot s ON s.id = b.slot_id
     WHERE b.station_id = ${stationId} AND b.status = 'booked'`;
  const [s] = await db<{ count: number }[]>`SELECT count(*)::int AS count FROM inspection_slot WHERE station_id = ${stationId} AND day = ${today}::date AND status = 'open'`;
  return [
    { post, key: 'bookings_today', resource: 'inspection-slots', filter: { day: today }, count: b?.today ?? 0, overdue: b?.overdue ?? 0, dueToday: b?.today ?? 0, nextDueAt: null },
    { post, key: 'slots_open_today', resource: 'inspection-slots', filter: { day: today }, count: s?.count ?? 0, overdue: 0, dueToday: 0, nextDueAt: null },
  ];
}

export async function dashboardOf(deps: Deps, staff: StaffPrincipal, now: Date): Promise<Dashboard> {
  const db = deps.sql;
  const posts = DASHBOARD_POSTS.filter((p) => staff.roles.includes(p as StaffRole));
  const authorityIds = await visibleAuthorities(db, staff.authorityId);
  const today = shanghaiDay(now);
  const w: Window = { now, dayStart: startOfShanghaiDay(today), dayEnd: startOfShanghaiDay(addDays(today, 1)) };
  const queues: QueueCount[] = [];
  if (posts.includes('intake')) queues.push(...(await intakeQueues(db, authorityIds, w)));
  if (posts.includes('review')) queues.push(...(await reviewQueues(db, authorityIds, w)));
  if (posts.includes('archive')) queues.push(...(await archiveQueues(db, authorityIds)));
  if (posts.includes('station_operator')) queues.push(...(await stationQueues(db, staff.stationId, today)));
  const [steps] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM audit_log WHERE actor_kind = 'staff' AND actor_id = ${staff.id} AND at >= ${w.dayStart} AND at < ${w.dayEnd}`;
  return { posts, authorityIds, stationId: posts.includes('station_operator') ? staff.stationId : null, today, queues, stepsToday: steps?.n ?? 0 };
}
