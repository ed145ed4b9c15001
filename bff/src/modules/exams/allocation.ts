/**
 * The batch of X-4.4.8 (ADR-033): after a plan's cut-off its applications are
 * ranked by key (ties by application id) and rank ≤ seats is allocated — once,
 * in one transaction, as a durable job. The plan row is locked FOR UPDATE and
 * the allocation row's primary key is the plan, so two processes or a rerun
 * after a kill allocate exactly once; a kill midway rolls the whole batch back.
 */
import type { Db } from '../../db.ts';
import type { RequestMeta } from '../../core/context.ts';
import { writeAudit } from '../../platform/audit.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import * as repo from './repo.ts';
import { allocate, allocationDigest, atCutOff, extendedCutOffAt, nextByRank, seatsToRefill } from './rules.ts';
import { SESSION_NAMES, SUBJECT_NAMES, systemActor } from './service.ts';

export type AllocationOutcome =
  | { kind: 'not_due' | 'already_allocated' | 'cancelled' }
  | { kind: 'extended'; closesAt: Date }
  | { kind: 'allocated'; applicants: number; allocated: number; digest: string };

/** Queues the plan's batch at its cut-off (deduplicated per plan). */
export async function scheduleAllocation(tx: Db, planId: string, at: Date, now: Date) {
  await enqueueJob(tx, { kind: repo.ALLOCATE_JOB, runAt: at, payload: { planId }, dedupeKey: planId, maxAttempts: 20 }, now);
}

/**
 * One batch at a time across all bff processes (ADR-039): a batch is
 * CPU-bound background work; run one after another they leave the other core
 * to the rank pages applicants load meanwhile. Held until the batch's
 * transaction ends; a waiting job holds only its connection.
 */
export const ALLOCATION_LOCK = 4_044_008; // "X-4.4.8"

export async function allocatePlan(tx: Db, planId: string, now: Date, jobId: number | null = null): Promise<AllocationOutcome> {
  await tx`SELECT pg_advisory_xact_lock(${ALLOCATION_LOCK})`;
  const [x] = await tx<{ id: string; status: string; seats: number; closes_at: Date; extended: boolean; exam_date: string; session: 'am' | 'pm'; subject: 1 | 2 | 3; authority_id: string; station_name: string }[]>`
    SELECT x.id, x.status, x.seats, x.closes_at, x.extended, x.exam_date::text, x.session, x.subject, x.authority_id, s.name AS station_name
    FROM exam_plan x JOIN exam_station s ON s.id = x.station_id WHERE x.id = ${planId} FOR UPDATE OF x`;
  if (!x) return { kind: 'cancelled' };
  if (x.status === 'allocated') return { kind: 'already_allocated' };
  if (x.status !== 'open') return { kind: 'cancelled' };
  if (now.getTime() < x.closes_at.getTime()) return { kind: 'not_due' };
  const meta: RequestMeta = { requestId: `job:${jobId ?? 'direct'}`, ip: '', now };
  const apps = await tx<{ id: string; rank_key_at: Date }[]>`
    SELECT id, rank_key_at FROM exam_application WHERE plan_id = ${planId} AND status = 'applied' ORDER BY rank_key_at, id`;
  // seats left at the 5th day → collection goes on until the 3rd day.
  if (atCutOff({ extended: x.extended, applicants: apps.length, seats: x.seats }) === 'extend') {
    const closesAt = extendedCutOffAt(x.exam_date);
    if (closesAt.getTime() > now.getTime()) {
      await tx`UPDATE exam_plan SET extended = true, closes_at = ${closesAt} WHERE id = ${planId}`;
      await scheduleAllocation(tx, planId, closesAt, now);
      await writeAudit(tx, systemActor, meta, {
        action: 'exams.plan_extended', entityType: 'exam_plan', entityId: planId, authorityId: x.authority_id,
        before: { closesAt: x.closes_at.toISOString() }, after: { closesAt: closesAt.toISOString(), applicants: apps.length, seats: x.seats },
      });
      return { kind: 'extended', closesAt };
    }
  }
  const ranked = allocate(apps.map((a) => ({ id: a.id, rankKeyAt: a.rank_key_at })), x.seats);
  const digest = allocationDigest(ranked);
  const allocated = ranked.filter((r) => r.outcome === 'allocated').length;
  // The one batch of the plan: a second one violates exam_allocation's primary key and rolls back.
  await tx`INSERT INTO exam_allocation (plan_id, allocated_at, applicants, seats, allocated, digest, job_id)
    VALUES (${planId}, ${now}, ${ranked.length}, ${x.seats}, ${allocated}, ${digest}, ${jobId})`;
  await tx`UPDATE exam_plan SET status = 'allocated' WHERE id = ${planId}`;
  if (ranked.length > 0) {
    const ids = ranked.map((r) => r.id);
    const ranks = ranked.map((r) => r.rank);
    const outcomes = ranked.map((r) => r.outcome);
    await tx`UPDATE exam_application a SET rank = v.rank, status = v.outcome, decided_at = ${now}
      FROM (SELECT unnest(${ids}::uuid[]) AS id, unnest(${ranks}::int[]) AS rank, unnest(${outcomes}::text[]) AS outcome) v
      WHERE a.id = v.id`;
    // SMS with the result to every applicant, and one audit row each — set-based, in this transaction.
    const vars = { examDate: x.exam_date, sessionName: SESSION_NAMES[x.session], stationName: x.station_name, subjectName: SUBJECT_NAMES[x.subject], seats: x.seats };
    await tx`
      WITH m AS (
        INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
        SELECT 'sms', u.phone, 'exams.' || a.status,
               ${tx.json(vars)}::jsonb || jsonb_build_object('rank', a.rank, 'reference', a.reference),
               ${x.authority_id}, 'exams.result:' || a.id, 'pending', ${now}, ${now}, ${now}
        FROM exam_application a JOIN user_account u ON u.id = a.user_account_id
        WHERE a.plan_id = ${planId} AND a.status IN ('allocated', 'not_allocated')
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING id
      )
      INSERT INTO outbox_event (message_id, at, status) SELECT id, ${now}, 'pending' FROM m`;
    await tx`
      INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
      SELECT ${now}, 'system', NULL, ${systemActor.label}, ${x.authority_id}, 'exams.' || a.status, 'exam_application', a.id::text,
             '{"status":"applied"}'::jsonb, jsonb_build_object('status', a.status, 'rank', a.rank, 'seats', ${x.seats}::int, 'planId', ${planId}::text),
             ${meta.requestId}, NULL
      FROM exam_application a WHERE a.plan_id = ${planId} AND a.status IN ('allocated', 'not_allocated')`;
  }
  await writeAudit(tx, systemActor, meta, {
    action: 'exams.plan_allocated', entityType: 'exam_plan', entityId: planId, authorityId: x.authority_id,
    before: { status: 'open' }, after: { status: 'allocated', applicants: ranked.length, seats: x.seats, allocated, digest },
  });
  return { kind: 'allocated', applicants: ranked.length, allocated, digest };
}

/**
 * Checks a plan's batch (ADR-033): ranks the same applications again from
 * their stored keys and compares with what was written and with the digest.
 */
export async function checkAllocation(db: Db, planId: string) {
  const al = await repo.allocationOf(db, planId);
  if (!al) return null;
  const rows = await db<{ id: string; rank_key_at: Date; rank: number; status: string }[]>`
    SELECT id, rank_key_at, rank, status FROM exam_application WHERE plan_id = ${planId} AND rank IS NOT NULL`;
  const ranked = allocate(rows.map((r) => ({ id: r.id, rankKeyAt: r.rank_key_at })), al.seats);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const sameRanks = ranked.every((r) => byId.get(r.id)!.rank === r.rank);
  const digest = allocationDigest(ranked);
  return { digest, stored: al.digest, matches: sameRanks && digest === al.digest };
}

/**
 * A seat freed after the batch (ADR-039, X-4.4.6 / X-4.4.8): queued by the
 * cancellation of an allocated application, in its transaction, as a durable
 * job (dedupe key = the freed application), run now.
 */
export async function scheduleRefill(tx: Db, planId: string, freedApplicationId: string, now: Date) {
  await enqueueJob(tx, { kind: repo.REALLOCATE_JOB, runAt: now, payload: { planId, freed: freedApplicationId }, dedupeKey: freedApplicationId, maxAttempts: 20 }, now);
}

export type RefillOutcome = { kind: 'none' | 'too_late' | 'not_allocated_plan' } | { kind: 'refilled'; promoted: { id: string; rank: number }[] };

/**
 * Gives the plan's free seats to the next waiting applicants by rank
 * each with its SMS and audit row in this transaction. Two job
 * runs (two bff processes, two freed seats) queue on the plan's row lock, and
 * the second counts the seats the first filled; the waiting rows are taken
 * `FOR UPDATE SKIP LOCKED` and promoted only while still `not_allocated`, so
 * a seat goes to one applicant and an applicant gets one seat. A rerun after
 * a kill finds the seats already taken (or not, and fills them then).
 */
export async function refillPlan(tx: Db, planId: string, now: Date, jobId: number | null = null, freed: string | null = null): Promise<RefillOutcome> {
  const [x] = await tx<{ id: string; status: string; seats: number; exam_date: string; session: 'am' | 'pm'; subject: 1 | 2 | 3; authority_id: string; station_name: string }[]>`
    SELECT x.id, x.status, x.seats, x.exam_date::text, x.session, x.subject, x.authority_id, s.name AS station_name
    FROM exam_plan x JOIN exam_station s ON s.id = x.station_id WHERE x.id = ${planId} FOR UPDATE OF x`;
  if (!x || x.status !== 'allocated') return { kind: 'not_allocated_plan' };
  const today = shanghaiDay(now);
  const held = await repo.heldSeats(tx, planId);
  const free = seatsToRefill({ status: x.status, seats: x.seats, held, examDate: x.exam_date }, today);
  if (free === 0) return { kind: today >= x.exam_date ? 'too_late' : 'none' };
  const meta: RequestMeta = { requestId: `job:${jobId ?? 'direct'}`, ip: '', now };
  const promoted: { id: string; rank: number }[] = [];
  for (const w of nextByRank(await repo.waitingByRank(tx, planId, free), free)) {
    if (!(await repo.promote(tx, w.id, now))) continue;
    promoted.push({ id: w.id, rank: w.rank });
    await writeAudit(tx, systemActor, meta, {
      action: 'exams.reallocated', entityType: 'exam_application', entityId: w.id, authorityId: x.authority_id,
      before: { status: 'not_allocated' }, after: { status: 'allocated', rank: w.rank, seats: x.seats, planId, freed },
    });
    const [u] = w.user_account_id ? await tx<{ phone: string }[]>`SELECT phone FROM user_account WHERE id = ${w.user_account_id}` : [];
    if (u) {
      await enqueueMessage(tx, {
        channel: 'sms', recipient: u.phone, template: 'exams.reallocated', authorityId: x.authority_id, dedupeKey: `exams.reallocated:${w.id}`,
        payload: { examDate: x.exam_date, sessionName: SESSION_NAMES[x.session], stationName: x.station_name, subjectName: SUBJECT_NAMES[x.subject], rank: w.rank, seats: x.seats, reference: w.reference },
      }, now);
    }
  }
  return { kind: 'refilled', promoted };
}
