import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db, Sql } from '../../db.ts';
import { readsOf, type Actor, type Deps, type RequestMeta, type StaffPrincipal } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { describe, type Locale } from '../../core/catalog.ts';
import { messages } from './messages.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { maskedSnapshot, writeAudit } from '../../platform/audit.ts';
import { maskSensitive } from '../../platform/log.ts';
import { groupCommitFor } from '../../platform/group-commit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { cancelJobs, enqueueJob } from '../../platform/jobs.ts';
import { loadCalendar } from '../../platform/calendar-store.ts';
import { createCalendar, shanghaiDay, type WorkingDayCalendar } from '../../platform/calendar.ts';
import { maskIdNumber, maskName, maskPhone, maskVin } from '../../platform/check-digits.ts';
import type { RevealTarget } from '../../platform/personal-data.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';

/** Durable job kinds of the module (handlers in jobs.ts). */
export const PLATE_JOBS = {
  buildPool: 'plates.build_pool',
  offerExpiry: 'plates.offer_expiry',
  reservationDeadline: 'plates.reservation_deadline',
} as const;

/** Candidates of the pattern examined per pool-build job run (one transaction each). */
export const BUILD_CHUNK = 50_000;

type StaffActor = Actor & { kind: 'staff' };
type UserActor = Actor & { kind: 'user' };

const systemActor: Actor = { kind: 'system', label: 'plates' };
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** The last calendar day before a "24:00" deadline instant. */
const lastDayOf = (deadline: Date | null) => (deadline ? shanghaiDay(new Date(deadline.getTime() - 1)) : null);

function patternOf(plan: { plate_kind: rules.PlateKind; pattern: string }): rules.SegmentPattern {
  const p = rules.parsePattern(plan.plate_kind, plan.pattern);
  if (!p.ok) throw new Error(`stored pattern ${plan.pattern} no longer parses: ${p.code}`);
  return p.value;
}


async function visible(db: Db, staff: StaffPrincipal) {
  return repo.visibleAuthorities(db, staff.authorityId);
}

// ---------------------------------------------------------------------------
// DTOs
// ---------------------------------------------------------------------------

function offerDto(d: repo.DrawSummary) {
  return { id: d.id, drawNo: d.draw_no, numbers: d.offered, drawnAt: d.drawn_at.toISOString(), expiresAt: d.expires_at.toISOString(), commitment: d.commitment, status: d.status };
}

function preselectionDto(ps: repo.PreselectionView, now: Date) {
  const { draws, draws_used: drawsUsed, pending } = ps;
  const open = draws.find((d) => d.status === 'open' && d.expires_at > now);
  return {
    id: ps.id,
    reference: ps.reference,
    planId: ps.plan_id,
    authorityName: ps.authority_name,
    prefix: ps.prefix,
    plateKind: ps.plate_kind,
    mode: ps.mode,
    vinMasked: maskVin(ps.vin),
    ownerIdType: ps.owner_id_type,
    ownerIdNumberMasked: maskIdNumber(ps.owner_id_number),
    ownerNameMasked: maskName(ps.owner_name),
    phoneMasked: maskPhone(ps.phone),
    plateNo: ps.plate_no,
    status: ps.status,
    createdAt: ps.created_at.toISOString(),
    reservedAt: iso(ps.reserved_at),
    deadline: iso(ps.deadline),
    lastDay: lastDayOf(ps.deadline),
    registeredAt: iso(ps.registered_at),
    endedAt: iso(ps.ended_at),
    mismatchFields: ps.mismatch_fields,
    drawsUsed,
    drawsLeft: Math.max(0, rules.MAX_DRAWS - drawsUsed),
    offer: open && ps.status === 'drawing' ? offerDto(open) : null,
    /**
     * Issue 18: the commitment (sha256 of the server's seed) of the next draw, stored
     * before the browser sends its nonce; null when no draw is left.
     */
    nextDraw: ps.status === 'drawing' && pending && drawsUsed < rules.MAX_DRAWS ? { commitment: pending.commitment, committedAt: pending.committed_at.toISOString() } : null,
    draws: draws.map((d) => ({ id: d.id, drawNo: d.draw_no, status: d.status, proofAvailable: d.status !== 'open' || d.expires_at <= now })),
    /** the server's now: countdowns run against it, not the device clock */
    asOf: now.toISOString(),
  };
}

function banDto(b: { reason: 'overdue' | 'mismatch'; starts_at: Date; ends_on: string }, reference: string) {
  return { reason: b.reason, startsAt: b.starts_at.toISOString(), endsOn: b.ends_on, reference };
}

function adminPreselectionDto(ps: repo.PreselectionRow, ban: { reason: 'overdue' | 'mismatch'; starts_at: Date; ends_on: string } | null | undefined, now: Date) {
  return {
    id: ps.id,
    reference: ps.reference,
    planId: ps.plan_id,
    authorityId: ps.authority_id,
    prefix: ps.prefix,
    plateKind: ps.plate_kind,
    mode: ps.mode,
    plateNo: ps.plate_no,
    status: ps.status,
    vinMasked: maskVin(ps.vin),
    ownerIdType: ps.owner_id_type,
    ownerIdNumberMasked: maskIdNumber(ps.owner_id_number),
    ownerNameMasked: maskName(ps.owner_name),
    phoneMasked: maskPhone(ps.phone),
    createdAt: ps.created_at.toISOString(),
    reservedAt: iso(ps.reserved_at),
    deadline: iso(ps.deadline),
    lastDay: lastDayOf(ps.deadline),
    overdue: ps.status === 'reserved' && ps.deadline !== null && ps.deadline <= now,
    registeredAt: iso(ps.registered_at),
    endedAt: iso(ps.ended_at),
    mismatchFields: ps.mismatch_fields,
    ban: ban ? banDto(ban, ps.reference) : null,
  };
}

/** What a staff page is rendered for: the request's clock and language. */
export type PlanView = { now: Date; locale: Locale };

/**
 * Whether the open command would succeed now, from the same rule function the
 * command applies (rules.openDecision), with the refusal in the catalog's
 * words: the admin button is disabled with this reason, never offered and
 * then refused for another one (issue 18).
 */
function openDto(p: repo.PlanRow, openPoolAvailable: number, view: PlanView) {
  const d = rules.openDecision({ status: p.status, now: view.now, startAt: p.start_at, availableAfterOpen: openPoolAvailable });
  if (d.ok) return { allowed: true, warning: d.warning, code: null, title: null, detail: null };
  const text = describe(messages, d.code, d.params, view.locale);
  return { allowed: false, warning: false, code: d.code, title: text.title, detail: text.detail ?? null };
}

async function planDto(db: Db, p: repo.PlanRow, cal: WorkingDayCalendar, withCounts: boolean, view: PlanView) {
  const built = ['pool_built', 'open', 'closed'].includes(p.status) || p.status === 'building';
  const counts = withCounts && built ? await repo.poolCounts(db, p.id, p.pool_size) : null;
  const openPoolAvailable = await repo.openPoolAvailable(db, p.authority_id, p.plate_kind, p.status === 'pool_built' ? p.id : undefined);
  return {
    id: p.id,
    authorityId: p.authority_id,
    authorityName: p.authority_name,
    prefix: p.prefix,
    plateKind: p.plate_kind,
    pattern: p.pattern,
    size: p.size,
    excludeDigits: p.exclude_digits,
    withheldSerials: p.withheld_serials,
    startAt: p.start_at.toISOString(),
    note: p.note,
    status: p.status,
    createdAt: p.created_at.toISOString(),
    submittedAt: iso(p.submitted_at),
    approval:
      p.approval_kind && p.approval_authority_id && p.approval_ref && p.approval_recorded_at
        ? {
            kind: p.approval_kind,
            authorityId: p.approval_authority_id,
            authorityName: p.approval_authority_name ?? p.approval_authority_id,
            documentRef: p.approval_ref,
            recordedBy: p.approval_recorded_by_label,
            recordedAt: p.approval_recorded_at.toISOString(),
          }
        : null,
    publishedAt: iso(p.published_at),
    latestPublicationDay: rules.latestPublicationDay(cal, p.start_at),
    build: {
      startedAt: iso(p.build_started_at),
      finishedAt: iso(p.build_finished_at),
      cursor: p.build_cursor,
      total: p.build_total,
      percent: p.build_total > 0 ? Math.floor((p.build_cursor / p.build_total) * 1000) / 10 : 0,
      excludedTaken: p.build_excluded_taken,
      excludedDigits: p.build_excluded_digits,
    },
    poolSize: p.pool_size,
    poolVersion: p.pool_version,
    poolDigest: p.pool_digest,
    counts,
    openPoolAvailable,
    poolLevel: rules.poolLevel(openPoolAvailable),
    open: openDto(p, openPoolAvailable, view),
    openedAt: iso(p.opened_at),
    closedAt: iso(p.closed_at),
    updatedAt: p.updated_at.toISOString(),
  };
}

// ---------------------------------------------------------------------------
// Citizens: segments and the self-composed check
// ---------------------------------------------------------------------------

/** Segments open for preselection now, and those announced for later. */
export async function listSegments(sql: Sql, now: Date) {
  const rows = await repo.listPublicSegments(sql);
  return rows.map((p) => {
    const open = p.status === 'open' && p.start_at <= now;
    return {
      id: p.id,
      authorityId: p.authority_id,
      authorityName: p.authority_name,
      prefix: p.prefix,
      plateKind: p.plate_kind,
      pattern: p.pattern,
      size: p.size,
      excludeDigits: p.exclude_digits,
      startAt: p.start_at.toISOString(),
      state: open ? ('open' as const) : ('announced' as const),
      available: open ? p.pool_size - p.held : null,
    };
  });
}

async function openPlan(db: Db, planId: string, now: Date, lock = false) {
  return checkOpenPlan(await repo.findPlan(db, planId, { lock }), now);
}

function checkOpenPlan<P extends Pick<repo.PlanRow, 'status' | 'start_at'>>(plan: P | undefined | null, now: Date): P {
  if (!plan || plan.status !== 'open' || plan.start_at > now) throw new DomainError('plates.segment_not_open', { field: 'planId' });
  return plan;
}

/** A plan's prefix typed in front of the serial is accepted and dropped. */
function serialFor(plan: Pick<repo.PlanRow, 'prefix'>, raw: string): string {
  const compact = raw.replace(/[\s·]/g, '');
  return rules.normaliseSerial(compact.toUpperCase().startsWith(plan.prefix) ? compact.slice(plan.prefix.length) : compact);
}

/** Answers at once: which format rule a serial breaks, or whether the number is free. */
export async function checkSerial(sql: Sql, planId: string, raw: string, locale: Locale, now: Date) {
  const plan = await openPlan(sql, planId, now);
  const serial = serialFor(plan, raw);
  const plateNo = plan.prefix + serial;
  const problems = rules.selfComposedProblems(patternOf(plan), plan.exclude_digits, serial);
  if (problems.length > 0) {
    return { plateNo, serial, status: 'invalid' as const, problems: problems.map((code) => ({ code, message: describe(messages, code, undefined, locale).title })) };
  }
  const row = await repo.findNumber(sql, plan.id, plateNo);
  const status = row?.status === 'free' ? ('free' as const) : row?.status === 'withheld' ? ('withheld' as const) : ('taken' as const);
  return { plateNo, serial, status, problems: [] };
}

/**
 * Issue 18: a wanted number checked with no segment needed — the GA 36 rules
 * of the plate kind (the same problems a segment check names), then which
 * announced or open segments hold it. Works while no segment is open.
 */
export async function checkWanted(sql: Sql, plateKind: rules.PlateKind, raw: string, locale: Locale, now: Date) {
  const compact = raw.replace(/[\s·]/g, '');
  const chars = Array.from(compact);
  const typedPrefix = chars.length > 2 && rules.PROVINCE_CHARS.includes(chars[0]!) ? chars.slice(0, 2).join('').toUpperCase() : null;
  const serial = rules.normaliseSerial(typedPrefix ? chars.slice(2).join('') : compact);
  const problems = rules.serialProblems(plateKind, serial);
  const segments = problems.length > 0 ? [] : (await listSegments(sql, now)).filter((seg) => seg.plateKind === plateKind && (!typedPrefix || seg.prefix === typedPrefix));
  const holding = segments.filter((seg) => {
    const p = rules.parsePattern(plateKind, seg.pattern);
    return p.ok && rules.selfComposedProblems(p.value, seg.excludeDigits, serial).length === 0;
  });
  return {
    plateKind,
    serial,
    status: problems.length > 0 ? ('invalid' as const) : ('valid' as const),
    problems: problems.map((code) => ({ code, message: describe(messages, code, undefined, locale).title })),
    segments: holding.map((seg) => ({ id: seg.id, prefix: seg.prefix, pattern: seg.pattern, state: seg.state, startAt: seg.startAt, plateNo: seg.prefix + serial })),
  };
}

// ---------------------------------------------------------------------------
// Citizens: preselection
// ---------------------------------------------------------------------------

async function activeUser(db: Db, userId: string) {
  return checkActive(await repo.findUserIdentity(db, userId));
}

/** The account of the request, signed in and active; else the refusal activeUser gives. */
function checkActive<U extends { status: repo.UserIdentityRow['status'] }>(u: U | null | undefined): U {
  if (!u) throw new DomainError('auth.required');
  if (u.status !== 'active') throw new DomainError('plates.account_not_active');
  return u;
}

/** The working-day calendar from the rows a statement read with its own reads (as loadCalendar builds it). */
const calendarOf = (r: repo.CalendarRows) => createCalendar({ overrides: r.cal_overrides, staffYears: r.cal_years });

export type PreselectionInput = {
  planId: string;
  mode: 'self' | 'random';
  serial?: string;
  vin: string;
  ownerIdType: rules.OwnerIdType;
  ownerIdNumber: string;
  ownerName: string;
  phone: string;
};

/**
 * Starts a preselection: the user's own vehicle that still needs
 * registration, one at a time (R-23.2, a partial unique index), no
 * running ban. Self-composed: the number is reserved at once if it is
 * free — the conditional UPDATE and the unique indexes decide races. Random:
 * the preselection waits for draws (PD-14).
 */
export async function startPreselection(deps: Deps, actor: UserActor, input: PreselectionInput, meta: RequestMeta) {
  if (deps.config.GROUP_COMMIT) return input.mode === 'self' ? reserveGroupCommitted(deps, actor, input, meta) : startRandomAtOnce(deps, actor, input, meta);
  const now = meta.now;
  const cal = await loadCalendar(deps.sql);
  const id = await deps.sql.begin(async (tx) => {
    const user = await activeUser(tx, actor.id);
    const ban = await repo.activeBan(tx, user.id, user.id_number, shanghaiDay(now));
    if (ban) throw new DomainError('plates.banned', { params: { endsOn: ban.ends_on } });
    const plan = await openPlan(tx, input.planId, now);
    checkOwnVehicle(user, input, await repo.findVehicleByVin(tx, input.vin), plan);
    const reference = rules.preselectionReference(plan.authority_id, now, await repo.nextReferenceSeq(tx));
    const base = {
      reference, userId: user.id, planId: plan.id, authorityId: plan.authority_id, mode: input.mode, vin: input.vin, ownerIdType: input.ownerIdType,
      ownerIdNumber: input.ownerIdNumber, ownerName: input.ownerName, phone: input.phone, now,
    };

    if (input.mode === 'self') {
      const plateNo = selfComposedNumber(plan, input);
      const deadline = rules.registrationDeadline(cal, now);
      const psId = await repo.insertPreselection(tx, { ...base, status: 'reserved', plateNo, reservedAt: now, deadline });
      if (!(await repo.reserveIfFree(tx, plan.id, plateNo, psId, deadline, now))) {
        const row = await repo.findNumber(tx, plan.id, plateNo);
        throw new DomainError(row?.status === 'withheld' ? 'plates.number_withheld' : 'plates.number_taken', { field: 'serial' });
      }
      await afterReserved(tx, actor, meta, { id: psId, reference, plateNo, phone: input.phone, mode: 'self', deadline, authorityId: plan.authority_id });
      return psId;
    }

    if ((await repo.drawsUsed(tx, user.id, input.vin)) >= rules.MAX_DRAWS) throw new DomainError('plates.draws_exhausted');
    const psId = await repo.insertPreselection(tx, { ...base, status: 'drawing', plateNo: null, reservedAt: null, deadline: null });
    // Issue 18: the seed of the first draw is fixed (and its hash shown) before the browser sends its nonce.
    const commitment = await commitNextDraw(tx, psId, now);
    await writeAudit(tx, actor, meta, {
      action: 'plates.preselection_started', entityType: 'plate_preselection', entityId: psId, authorityId: plan.authority_id,
      after: { reference, mode: 'random', planId: plan.id, vin: maskVin(input.vin), nextDrawCommitment: commitment },
    });
    // A random preselection nobody draws for lapses after the offer time (no ban: nothing was held).
    await enqueueJob(tx, { kind: PLATE_JOBS.offerExpiry, payload: { preselectionId: psId, drawId: null }, runAt: rules.offerExpiresAt(now), dedupeKey: `start:${psId}` }, now);
    return psId;
  });
  return getPreselection(deps.sql, actor.id, id, now);
}

/** the user's own vehicle that still needs a number (rules.ownVehicleProblem), or the refusal. */
function checkOwnVehicle(user: repo.UserIdentityRow, input: PreselectionInput, vehicle: repo.VehicleRow | undefined | null, plan: Pick<repo.PlanRow, 'plate_kind'>) {
  const problem = rules.ownVehicleProblem(
    { idType: user.id_type, idNumber: user.id_number, name: user.name },
    { idType: input.ownerIdType, idNumber: input.ownerIdNumber, name: input.ownerName },
    vehicle
      ? {
          plateNo: vehicle.plate_no,
          plateKind: vehicle.plate_kind,
          ownedByUser: user.kind === 'organisation' ? vehicle.owner_organisation_id === user.organisation_id : vehicle.owner_person_id === user.person_id,
        }
      : null,
    plan.plate_kind,
  );
  if (problem) throw new DomainError(problem, { field: problem === 'plates.not_own_vehicle' ? 'ownerIdNumber' : 'vin' });
}

/** the self-composed number, once the serial keeps the segment's rules. */
function selfComposedNumber(plan: repo.PlanFacts, input: PreselectionInput): string {
  const serial = serialFor(plan, input.serial ?? '');
  if (!serial) throw new DomainError('plates.serial_required', { field: 'serial' });
  const problems = rules.selfComposedProblems(patternOf(plan), plan.exclude_digits, serial);
  if (problems.length > 0) throw new DomainError(problems[0]!, { field: 'serial' });
  return plan.prefix + serial;
}

/**
 * The self-composed reservation with group commit (ADR-040 "Plates", on
 * unless GROUP_COMMIT=false): the same reads and rules as the single path
 * above, in the same order, lock-free; then the write goes with the other
 * reservations that arrived meanwhile as one statement (plate_reserve_batch),
 * which decides it in arrival order by the single path's write-time guards —
 * one live preselection per user and per VIN, one holder per number, the
 * number still free (else withheld / taken) — and writes the winner's
 * preselection, number, audit row, SMS and deadline job with it.
 */
async function reserveGroupCommitted(deps: Deps, actor: UserActor, input: PreselectionInput, meta: RequestMeta) {
  const { sql } = deps;
  // The reads before the write carry the reference number's nextval: main pool; the answer on the pool of short reads (ADR-016).
  const now = meta.now;
  const { r, user, plan, reference } = await startChecked(sql, actor, input, now, { drawsUsed: false, calendar: true });
  const plateNo = selfComposedNumber(plan, input);
  const deadline = rules.registrationDeadline(calendarOf(r), now);
  const id = randomUUID();
  const { outcome, view } = await reserveBatcher(sql).submit({
    id, reference, userId: user.id, planId: plan.id, authorityId: plan.authority_id, vin: input.vin, ownerIdType: input.ownerIdType, ownerIdNumber: input.ownerIdNumber,
    ownerName: input.ownerName, phone: input.phone, plateNo, deadline, at: now,
    ...reservedRows(actor, meta, { reference, plateNo, mode: 'self', deadline }),
  });
  if (outcome !== 'reserved') throw reservationRefusal(outcome);
  return answered(deps, actor.id, id, now, view);
}

/**
 * The single path's first checks, in its order, on the reads of one
 * statement (repo.startReads): the account (activeUser), no running ban
 * the plan open, the own vehicle.
 */
function checkStart(r: repo.StartReads, input: PreselectionInput, now: Date) {
  const user = checkActive(r.user);
  if (r.ban) throw new DomainError('plates.banned', { params: { endsOn: r.ban.ends_on } });
  const plan = checkOpenPlan(r.plan, now);
  checkOwnVehicle(user, input, r.vehicle, plan);
  return { user, plan };
}

/** A start's reads in one statement (batched), its checks in the single path's order, and the reference number the reads took. */
async function startChecked(sql: Sql, actor: UserActor, input: PreselectionInput, now: Date, o: { drawsUsed: boolean; calendar: boolean }) {
  const r = await startReadsBatcher(sql).submit({ userId: actor.id, planId: input.planId, vin: input.vin, today: shanghaiDay(now), now, ...o });
  const { user, plan } = checkStart(r, input, now);
  return { r, user, plan, reference: rules.preselectionReference(plan.authority_id, now, referenceSeq(r)) };
}

/** The reference number the reads took (they take one whenever the account is active, not banned and the plan open: checkStart passed). */
function referenceSeq(r: repo.StartReads): number {
  if (r.ref_seq === null) throw new Error('plates: no reference number taken although the checks passed');
  return r.ref_seq;
}

/**
 * A random preselection with few statements (issue 23): the single path's
 * reads in one statement (repo.startReads) and its checks in the same order
 * (checkStart, then the draws used for the VIN, PD-14), then one writing
 * statement, shared with the starts that arrived meanwhile
 * (repo.startRandomBatch): the preselection — the partial unique indexes
 * decide exactly as the single path's INSERT — the commitment of the
 * first draw (issue 18), the audit row (masked as writeAudit masks) and the
 * offer-expiry job, all or nothing.
 */
async function startRandomAtOnce(deps: Deps, actor: UserActor, input: PreselectionInput, meta: RequestMeta) {
  const { sql } = deps;
  const now = meta.now;
  const { r, user, plan, reference } = await startChecked(sql, actor, input, now, { drawsUsed: true, calendar: false });
  if ((r.draws_used ?? 0) >= rules.MAX_DRAWS) throw new DomainError('plates.draws_exhausted');
  const id = randomUUID();
  // Issue 18: the seed of the first draw is fixed (and its hash shown) before the browser sends its nonce.
  const seed = randomBytes(rules.SEED_BYTES);
  const commitment = rules.commitmentOf(seed);
  const { view } = await startBatcher(sql).submit({
    id, reference, userId: user.id, planId: plan.id, authorityId: plan.authority_id, vin: input.vin, ownerIdType: input.ownerIdType, ownerIdNumber: input.ownerIdNumber,
    ownerName: input.ownerName, phone: input.phone, at: now, seed: seed.toString('hex'), commitment,
    // writeAudit's row: the snapshot and the actor label masked here (auditFields)
    audit: auditFields(actor, meta, { reference, mode: 'random', planId: plan.id, vin: maskVin(input.vin), nextDrawCommitment: commitment }),
    // A random preselection nobody draws for lapses after the offer time (no ban: nothing was held).
    job: { kind: PLATE_JOBS.offerExpiry, payload: { preselectionId: id, drawId: null }, runAt: rules.offerExpiresAt(now), dedupeKey: `start:${id}` },
  });
  return answered(deps, actor.id, id, now, view);
}

/** A batch's "not reserved", as the single path's refusal (the constraint map's codes and fields, or findNumber's). */
function reservationRefusal(outcome: Exclude<repo.ReservationOutcome, 'reserved'>): DomainError {
  if (outcome === 'active_preselection_exists') return new DomainError('plates.active_preselection_exists');
  if (outcome === 'vin_in_preselection') return new DomainError('plates.vin_in_preselection', { field: 'vin' });
  return new DomainError(outcome === 'number_withheld' ? 'plates.number_withheld' : 'plates.number_taken', { field: 'serial' });
}

/** The audit snapshot and SMS payload {@link afterReserved} writes, as a batch member carries them (masked here, as writeAudit does). */
function reservedRows(actor: Actor, meta: RequestMeta, r: { reference: string; plateNo: string; mode: 'self' | 'random'; deadline: Date; drawId?: string }) {
  return {
    audit: {
      actorKind: actor.kind, actorId: actor.id ?? null, actorLabel: maskSensitive(actor.label),
      after: maskedSnapshot({ reference: r.reference, plateNo: r.plateNo, mode: r.mode, deadline: r.deadline.toISOString(), drawId: r.drawId ?? null }),
      requestId: meta.requestId, ip: meta.ip,
    },
    sms: { payload: { plateNo: r.plateNo, reference: r.reference, deadlineDay: lastDayOf(r.deadline)! } },
  };
}

const BATCH = { windowMs: 2, maxBatch: 64, maxInFlight: 4 } as const;

/**
 * The process's batcher of self-composed reservations for this pool (ADR-040
 * "Plates: lanes of numbers"): a batch locks its numbers' pool rows, and a
 * rush wants a few numbers many times over. Batches of one number side by
 * side would wait for each other's locks, one after the other, and the
 * requests arriving meanwhile would leave in small batches that wait too; so
 * a number always goes to the same lane, one batch in flight a lane, and the
 * requests gather behind it. Four lanes run side by side with other numbers.
 */
const reserveBatcher = (sql: Sql) =>
  groupCommitFor<repo.BatchedReservation, repo.Answered<repo.ReservationOutcome>>(sql, 'plates.reserve', () => ({
    run: (members) => repo.writeThenViews(sql, (db) => repo.reserveBatch(db, members), members),
    ...BATCH,
    lanes: 4,
    laneKey: (m) => m.plateNo,
    maxInFlight: 1,
  }));

/**
 * The process's batchers of the plate requests' reads (ADR-040 "Reads", with
 * GROUP_COMMIT): the reads of requests that arrive together go as one
 * statement — the starts' on the main pool (they take the reference number),
 * the picks', the draws' and every answer on the pool of short reads.
 */
/** The process's batcher of random starts for this pool. */
const startBatcher = (sql: Sql) =>
  groupCommitFor<repo.BatchedStart, repo.Answered<'started'>>(sql, 'plates.start', () => ({
    run: (members) => repo.writeThenViews(sql, (db) => repo.startRandomBatch(db, members), members),
    ...BATCH,
  }));
const startReadsBatcher = (sql: Sql) =>
  groupCommitFor<repo.StartReadsRequest, repo.StartReads>(sql, 'plates.start-reads', () => ({ run: (qs) => repo.startReadsBatch(sql, qs), ...BATCH }));
const pickReadsBatcher = (reads: Sql) =>
  groupCommitFor<{ userId: string; preselectionId: string }, repo.PickReads>(reads, 'plates.pick-reads', () => ({ run: (qs) => repo.pickReadsBatch(reads, qs), ...BATCH }));
const drawReadsBatcher = (reads: Sql) =>
  groupCommitFor<{ userId: string; preselectionId: string }, repo.DrawReads>(reads, 'plates.draw-reads', () => ({ run: (qs) => repo.drawReadsBatch(reads, qs), ...BATCH }));
const viewBatcher = (reads: Sql) =>
  groupCommitFor<{ id: string; userId: string }, repo.PreselectionView | undefined>(reads, 'plates.view', () => ({ run: (qs) => repo.preselectionViews(reads, qs), ...BATCH }));

/** The answer of a plate request with GROUP_COMMIT: {@link getPreselection}, its read batched with the answers of requests that finished together. */
async function answerOf(deps: Deps, userId: string, id: string, now: Date) {
  const ps = await viewBatcher(readsOf(deps)).submit({ id, userId });
  if (!ps) throw new DomainError('plates.preselection_not_found');
  return preselectionDto(ps, now);
}

/** The answer read with the write (repo.writeThenViews); read again should that read have failed. */
function answered(deps: Deps, userId: string, id: string, now: Date, view: repo.PreselectionView | undefined | null) {
  return view ? preselectionDto(view, now) : answerOf(deps, userId, id, now);
}

/** A draw's or a pick's answer: the preselection it names. */
const answerOfPreselection = (m: { preselectionId: string; userId: string }) => ({ id: m.preselectionId, userId: m.userId });

/**
 * The process's batcher of draws for this pool (ADR-040 "Plates: batched
 * draws"): at most 32 a batch, as each member runs in a block of its own (a
 * subtransaction; PostgreSQL keeps 64 of them per transaction in shared memory).
 */
const drawBatcher = (sql: Sql) =>
  groupCommitFor<repo.DrawRequest, repo.DrawResult & Pick<repo.Answered<unknown>, 'view'>>(sql, 'plates.draw', () => ({
    run: async (members) =>
      (await repo.writeThenViews(sql, (db) => repo.drawBatch(db, members), members.map(answerOfPreselection))).map(({ outcome, view }) => ({ ...outcome, view })),
    ...BATCH,
    maxBatch: 32,
  }));

/** The process's batcher of picks for this pool (ADR-040). */
const pickBatcher = (sql: Sql) =>
  groupCommitFor<repo.BatchedPick, repo.Answered<repo.PickOutcome>>(sql, 'plates.pick', () => ({
    run: (members) => repo.writeThenViews(sql, (db) => repo.pickBatch(db, members), members.map(answerOfPreselection)),
    ...BATCH,
  }));

/** the reservation holds until the deadline; SMS and the deadline job commit with it. */
async function afterReserved(
  tx: Db,
  actor: Actor,
  meta: RequestMeta,
  r: { id: string; reference: string; plateNo: string; phone: string; mode: 'self' | 'random'; deadline: Date; authorityId: string; drawId?: string },
) {
  const lastDay = lastDayOf(r.deadline)!;
  // Independent writes, pipelined on the transaction's connection (one round trip, not three).
  await Promise.all([
    writeAudit(tx, actor, meta, {
      action: 'plates.number_reserved', entityType: 'plate_preselection', entityId: r.id, authorityId: r.authorityId,
      after: { reference: r.reference, plateNo: r.plateNo, mode: r.mode, deadline: r.deadline.toISOString(), drawId: r.drawId ?? null },
    }),
    enqueueMessage(tx, {
      channel: 'sms', recipient: r.phone, template: 'plates.reserved', authorityId: r.authorityId, dedupeKey: `plates.reserved:${r.id}`,
      payload: { plateNo: r.plateNo, reference: r.reference, deadlineDay: lastDay },
    }, meta.now),
    enqueueJob(tx, { kind: PLATE_JOBS.reservationDeadline, payload: { preselectionId: r.id }, runAt: r.deadline, dedupeKey: r.id }, meta.now),
  ]);
}

async function lockOwnPreselection(tx: Db, userId: string, id: string) {
  const ps = await repo.findPreselection(tx, id, { userId, lock: true });
  if (!ps) throw new DomainError('plates.preselection_not_found');
  return ps;
}

/**
 * Issue 18: a fresh 32-byte seed for the preselection's next draw, stored with
 * its commitment (sha256) in this transaction — so before the browser can see
 * the commitment, and before any nonce for that draw exists.
 */
async function commitNextDraw(tx: Db, preselectionId: string, now: Date): Promise<string> {
  const seed = randomBytes(rules.SEED_BYTES);
  const commitment = rules.commitmentOf(seed);
  await repo.insertCommitment(tx, { preselectionId, seed, commitment, now });
  return commitment;
}

export type DrawInput = { commitment: string; clientNonce: string };

/**
 * One random draw (PD-14, ADR-010, issue 18): the seed committed to before
 * (its sha256 shown on the page as `nextDraw.commitment`), mixed with the
 * nonce the citizen's browser chose after seeing that commitment; candidates
 * from the published algorithm, each offered if free, else recorded with why
 * it was skipped. The previous offer of this preselection ends (its numbers
 * go back to the pool), and the seed of the following draw is committed to.
 */
export async function drawNumbers(deps: Deps, actor: UserActor, preselectionId: string, input: DrawInput, meta: RequestMeta) {
  if (deps.config.GROUP_COMMIT) return drawAtOnce(deps, actor, preselectionId, input, meta);
  const now = meta.now;
  await deps.sql.begin(async (tx) => {
    await activeUser(tx, actor.id);
    const ps = await lockOwnPreselection(tx, actor.id, preselectionId);
    if (ps.status !== 'drawing') throw new DomainError('plates.preselection_wrong_status');
    const plan = await openPlan(tx, ps.plan_id, now);
    const used = await repo.drawsUsed(tx, actor.id, ps.vin);
    if (used >= rules.MAX_DRAWS) throw new DomainError('plates.draws_exhausted');
    // The nonce counts only against the commitment the browser was shown, stored by an earlier request.
    const pending = await repo.pendingCommitment(tx, ps.id);
    if (!pending || pending.commitment !== input.commitment) throw new DomainError('plates.draw_commitment_stale', { field: 'commitment' });
    if (!(await repo.useCommitment(tx, pending.id, now))) throw new DomainError('plates.draw_commitment_stale', { field: 'commitment' });
    const previous = await repo.openDrawOf(tx, ps.id);
    if (previous) {
      await repo.releaseOffered(tx, previous.id, now);
      await repo.endDraw(tx, previous.id, 'superseded', now);
    }
    const clientNonce = Buffer.from(input.clientNonce, 'hex');
    const seed = Buffer.from(pending.seed);
    const commitment = pending.commitment;
    const expiresAt = rules.offerExpiresAt(now);
    const drawNo = used + 1;
    const drawId = await repo.insertDraw(tx, {
      preselectionId: ps.id, drawNo, planId: plan.id, poolVersion: plan.pool_version, poolSize: plan.pool_size, poolDigest: plan.pool_digest,
      algorithm: rules.DRAW_ALGORITHM_V2, seed, commitment, commitmentId: pending.id, clientNonce, drawnAt: now, expiresAt,
    });
    const candidates: rules.DrawCandidate[] = [];
    const offered: string[] = [];
    let rejectedWords = 0;
    const next = rules.candidateIndices(rules.drawSeed(seed, clientNonce), plan.pool_size);
    // Candidates in order, each offered if free, else peeked for why it was skipped — as many
    // at a time as numbers are still wanted, pipelined on the transaction's connection. The
    // statements still run one after another in candidate order (offer 1, peek 1, offer 2, …),
    // so the draw is the same as one round trip per statement; only the waiting is shared.
    while (offered.length < rules.DRAW_SIZE && candidates.length < rules.MAX_CANDIDATES) {
      const batch = Array.from({ length: Math.min(rules.DRAW_SIZE - offered.length, rules.MAX_CANDIDATES - candidates.length) }, () => next.next().value!);
      const answers = await Promise.all(
        batch.map((c) => Promise.all([repo.offerIfFree(tx, plan.id, c.idx, drawId, expiresAt, now), repo.peekNumber(tx, plan.id, c.idx)] as const)),
      );
      batch.forEach((c, i) => {
        const [plateNo, row] = answers[i]!;
        rejectedWords = c.rejected;
        const n = candidates.length + 1;
        if (plateNo) {
          candidates.push({ n, idx: c.idx, plateNo, outcome: 'offered' });
          offered.push(plateNo);
        } else {
          candidates.push({ n, idx: c.idx, plateNo: row?.plate_no ?? '', outcome: rules.skippedOutcome(row?.status ?? 'free', row?.offer_id === drawId) });
        }
      });
    }
    if (offered.length === 0) throw new DomainError('plates.pool_exhausted');
    // Independent writes, pipelined.
    const nextCommitment = drawNo < rules.MAX_DRAWS ? commitNextDraw(tx, ps.id, now) : Promise.resolve(null);
    await Promise.all([
      nextCommitment,
      repo.finishDrawRecord(tx, drawId, candidates, rejectedWords, offered),
      writeAudit(tx, actor, meta, {
        action: 'plates.numbers_offered', entityType: 'plate_draw', entityId: drawId, authorityId: ps.authority_id,
        after: {
          preselectionId: ps.id, drawNo, commitment, committedAt: pending.committed_at.toISOString(), clientNonce: input.clientNonce,
          poolVersion: plan.pool_version, poolSize: plan.pool_size, candidates: candidates.length, offered,
        },
      }),
      enqueueJob(tx, { kind: PLATE_JOBS.offerExpiry, payload: { preselectionId: ps.id, drawId }, runAt: expiresAt, dedupeKey: drawId }, now),
    ]);
  });
  return getPreselection(deps.sql, actor.id, preselectionId, now);
}

/** Candidates handed to the draw's statement at first: enough for ten offers unless the pool is crowded (then all MAX_CANDIDATES, once more). */
const FIRST_CANDIDATES = 64;

/** Every (status, held by this draw) a skipped candidate can have, with its outcome as rules.skippedOutcome decides it. */
const SKIPPED_OUTCOMES: Record<string, rules.CandidateOutcome> = Object.fromEntries(
  ['free', 'offered', 'reserved', 'issued', 'withheld'].flatMap((status) => [
    [status, rules.skippedOutcome(status, false)],
    [`this:${status}`, rules.skippedOutcome(status, true)],
  ]),
);

/** The audit row's actor and request fields as writeAudit writes them, with a snapshot masked as writeAudit masks it. */
function auditFields(actor: Actor, meta: RequestMeta, after: unknown): repo.BatchedAudit {
  return { actorKind: actor.kind, actorId: actor.id ?? null, actorLabel: maskSensitive(actor.label), after: maskedSnapshot(after), requestId: meta.requestId, ip: meta.ip };
}

/**
 * The draw with few statements (issue 23): the single path's reads in one
 * lock-free statement (repo.drawReads) and its checks in the same order; the
 * candidates from the published algorithm here (rules.candidateIndices, on the
 * pending commitment's seed and the browser's nonce); then ONE statement
 * (plate_draw_batch, migration 0036, with the other draws of its batch) that
 * takes the single path's locks (the preselection, the previous offer's
 * numbers, the commitment, the previous draw, pool rows),
 * re-checks everything under them, and walks the candidates in order exactly
 * as the single path does: each offered if free (offerIfFree's conditional
 * UPDATE with SKIP LOCKED), else recorded with why (SKIPPED_OUTCOMES, from
 * rules.skippedOutcome), up to DRAW_SIZE offered or MAX_CANDIDATES examined;
 * then the draw record, the next commitment, the audit row and the job.
 */
async function drawAtOnce(deps: Deps, actor: UserActor, preselectionId: string, input: DrawInput, meta: RequestMeta) {
  const { sql } = deps;
  const now = meta.now;
  const r = await drawReadsBatcher(readsOf(deps)).submit({ userId: actor.id, preselectionId });
  checkActive(r.user_status === null ? null : { status: r.user_status });
  const ps = r.ps;
  if (!ps) throw new DomainError('plates.preselection_not_found');
  if (ps.status !== 'drawing') throw new DomainError('plates.preselection_wrong_status');
  const plan = checkOpenPlan(r.plan, now);
  if (r.draws_used >= rules.MAX_DRAWS) throw new DomainError('plates.draws_exhausted');
  // The nonce counts only against the commitment the browser was shown, stored by an earlier request.
  const pending = r.pending;
  if (!pending || pending.commitment !== input.commitment) throw new DomainError('plates.draw_commitment_stale', { field: 'commitment' });
  const clientNonce = Buffer.from(input.clientNonce, 'hex');
  const next = rules.candidateIndices(rules.drawSeed(Buffer.from(pending.seed), clientNonce), plan.pool_size);
  const idx: number[] = [];
  const rejected: number[] = [];
  const derive = (count: number) => {
    while (idx.length < count) {
      const c = next.next().value!;
      idx.push(c.idx);
      rejected.push(c.rejected);
    }
  };
  derive(Math.min(FIRST_CANDIDATES, rules.MAX_CANDIDATES));
  const drawNo = r.draws_used + 1;
  const nextSeed = randomBytes(rules.SEED_BYTES);
  const draw = () =>
    drawBatcher(sql).submit({
      preselectionId: ps.id, userId: actor.id, commitmentId: pending.id, commitment: pending.commitment, clientNonce, poolSize: plan.pool_size, poolVersion: plan.pool_version,
      drawNo, now, expiresAt: rules.offerExpiresAt(now), algorithm: rules.DRAW_ALGORITHM_V2, idx, rejected, maxCandidates: rules.MAX_CANDIDATES, drawSize: rules.DRAW_SIZE,
      maxDraws: rules.MAX_DRAWS, skipped: SKIPPED_OUTCOMES, nextSeed, nextCommitment: rules.commitmentOf(nextSeed), jobKind: PLATE_JOBS.offerExpiry,
      // What writeAudit's snapshot holds before the draw; the statement adds the candidates examined and the numbers offered.
      audit: auditFields(actor, meta, {
        preselectionId: ps.id, drawNo, commitment: pending.commitment, committedAt: pending.committed_at.toISOString(), clientNonce: input.clientNonce,
        poolVersion: plan.pool_version, poolSize: plan.pool_size,
      }),
    });
  let out = await draw();
  if (out.outcome === 'more_candidates') {
    // A crowded pool: the statement ran out of candidates and committed nothing; again with all of them.
    derive(rules.MAX_CANDIDATES);
    out = await draw();
  }
  if (out.outcome !== 'drawn') {
    if (out.outcome === 'more_candidates') throw new Error('plates: the draw ran out of candidates with all of them');
    if (out.outcome === 'segment_not_open') throw new DomainError('plates.segment_not_open', { field: 'planId' });
    throw new DomainError(`plates.${out.outcome}`, out.outcome === 'draw_commitment_stale' ? { field: 'commitment' } : undefined);
  }
  return answered(deps, actor.id, preselectionId, now, out.view);
}

/** Picks one number of the open offer; the other nine go back to the pool at once. */
export async function pickNumber(deps: Deps, actor: UserActor, preselectionId: string, input: { drawId: string; plateNo: string }, meta: RequestMeta) {
  if (deps.config.GROUP_COMMIT) return pickGroupCommitted(deps, actor, preselectionId, input, meta);
  const now = meta.now;
  const cal = await loadCalendar(deps.sql);
  await deps.sql.begin(async (tx) => {
    await activeUser(tx, actor.id);
    const ps = await lockOwnPreselection(tx, actor.id, preselectionId);
    if (ps.status !== 'drawing') throw new DomainError('plates.preselection_wrong_status');
    const draw = await repo.findDraw(tx, input.drawId, { lock: true });
    if (!draw || draw.preselection_id !== ps.id) throw new DomainError('plates.draw_not_found');
    if (draw.status !== 'open' || draw.expires_at <= now) throw new DomainError('plates.offer_expired');
    const plateNo = input.plateNo.replace(/[\s·]/g, '').toUpperCase();
    if (!draw.offered.includes(plateNo)) throw new DomainError('plates.number_not_offered', { field: 'plateNo' });
    const deadline = rules.registrationDeadline(cal, now);
    if (!(await repo.reserveOffered(tx, draw.id, plateNo, ps.id, deadline, now))) throw new DomainError('plates.offer_expired');
    // The number is ours: the rest are independent writes, pipelined.
    await Promise.all([
      repo.releaseOffered(tx, draw.id, now),
      repo.endDraw(tx, draw.id, 'picked', now, plateNo),
      repo.markReserved(tx, ps.id, plateNo, now, deadline),
      afterReserved(tx, actor, meta, { id: ps.id, reference: ps.reference, plateNo, phone: ps.phone, mode: 'random', deadline, authorityId: ps.authority_id, drawId: draw.id }),
    ]);
  });
  return getPreselection(deps.sql, actor.id, preselectionId, now);
}

/**
 * The pick with group commit (ADR-040 "Plates"): the account checked as the
 * single path does; then the pick goes with the others that arrived meanwhile
 * as one statement (plate_pick_batch), which locks the preselections and the
 * draws and decides each pick in arrival order by the single pick's checks
 * (preselection of the user, still drawing, the draw of this preselection,
 * open and in time, the number offered, still offered by this draw), writing
 * the winner's reservation, released offer, ended draw, audit row, SMS and
 * deadline job with it. The preselection's reference and phone (fixed at its
 * start) are read first, lock-free, for the audit row and the SMS.
 */
async function pickGroupCommitted(deps: Deps, actor: UserActor, preselectionId: string, input: { drawId: string; plateNo: string }, meta: RequestMeta) {
  const { sql } = deps;
  const reads = readsOf(deps);
  const now = meta.now;
  // The account, the preselection's fixed fields and the calendar: one lock-free statement.
  const r = await pickReadsBatcher(reads).submit({ userId: actor.id, preselectionId });
  checkActive(r.user_status === null ? null : { status: r.user_status });
  const ps = r.ps;
  if (!ps) throw new DomainError('plates.preselection_not_found');
  const plateNo = input.plateNo.replace(/[\s·]/g, '').toUpperCase();
  const deadline = rules.registrationDeadline(calendarOf(r), now);
  // The draw's id as PostgreSQL writes a uuid (the single path audits the stored row's id).
  const drawId = input.drawId.toLowerCase();
  const { outcome, view } = await pickBatcher(sql).submit({
    preselectionId: ps.id, userId: actor.id, drawId, plateNo, deadline, at: now, authorityId: ps.authority_id, phone: ps.phone,
    ...reservedRows(actor, meta, { reference: ps.reference, plateNo, mode: 'random', deadline, drawId }),
  });
  if (outcome !== 'reserved') throw new DomainError(`plates.${outcome}`, outcome === 'number_not_offered' ? { field: 'plateNo' } : undefined);
  return answered(deps, actor.id, preselectionId, now, view);
}

/** One of my preselections with its draws, the draws used for its vehicle and the next draw's commitment: one statement (repo.preselectionView). */
export async function getPreselection(db: Db, userId: string, id: string, now: Date) {
  const ps = await repo.preselectionView(db, id, userId);
  if (!ps) throw new DomainError('plates.preselection_not_found');
  return preselectionDto(ps, now);
}

/** "My plates": the live preselection with its deadline, earlier ones, and a running ban with its end date. */
export async function myPlates(sql: Sql, userId: string, now: Date) {
  const user = await repo.findUserIdentity(sql, userId);
  if (!user) throw new DomainError('auth.required');
  const [list, ban] = await Promise.all([repo.userPreselectionViews(sql, userId), repo.activeBan(sql, userId, user.id_number, shanghaiDay(now))]);
  const dtos = list.map((ps) => preselectionDto(ps, now));
  const currentIdx = dtos.findIndex((d) => d.status === 'drawing' || d.status === 'reserved');
  return {
    current: currentIdx >= 0 ? dtos[currentIdx]! : null,
    history: dtos.filter((_, i) => i !== currentIdx),
    ban: ban ? banDto(ban, ban.reference) : null,
    asOf: now.toISOString(),
  };
}

/**
 * The proof of a draw once its offer has ended: the seed, the commitment
 * shown at draw time, the pool and every candidate with its outcome, plus the
 * server's own re-run of the published algorithm.
 */
export async function drawProof(sql: Sql, userId: string, drawId: string, now: Date) {
  const d = await repo.findDraw(sql, drawId);
  if (!d || d.user_account_id !== userId) throw new DomainError('plates.draw_not_found');
  if (d.status === 'open' && d.expires_at > now) throw new DomainError('plates.proof_not_ready');
  const seedHex = Buffer.from(d.seed).toString('hex');
  const clientNonceHex = d.client_nonce ? Buffer.from(d.client_nonce).toString('hex') : null;
  const check = rules.verifyDraw({
    seedHex, clientNonceHex, commitment: d.commitment, poolSize: d.pool_size, candidates: d.candidates as rules.DrawCandidate[], rejectedWords: d.rejected_words, offered: d.offered,
  });
  const committedAt = d.commitment_id ? await repo.commitmentTime(sql, d.commitment_id) : null;
  return {
    drawId: d.id,
    drawNo: d.draw_no,
    algorithm: d.algorithm,
    seed: seedHex,
    /** issue 18: the nonce the citizen's browser sent after the commitment was shown (null for earlier draws) */
    clientNonce: clientNonceHex,
    /** when the server stored the seed and its commitment (before the nonce came) */
    committedAt: iso(committedAt),
    /** the seed the candidates come from: sha256("jg-plate-draw-v2" ‖ seed ‖ nonce), or the seed itself for v1 */
    drawSeed: clientNonceHex ? rules.drawSeed(d.seed, Buffer.from(clientNonceHex, 'hex')).toString('hex') : seedHex,
    commitment: d.commitment,
    planId: d.plan_id,
    poolVersion: d.pool_version,
    poolSize: d.pool_size,
    poolDigest: d.pool_digest,
    drawnAt: d.drawn_at.toISOString(),
    expiresAt: d.expires_at.toISOString(),
    endedAt: (d.ended_at ?? d.expires_at).toISOString(),
    status: d.status === 'open' ? 'expired' : d.status,
    candidates: d.candidates,
    rejectedWords: d.rejected_words,
    offered: d.offered,
    picked: d.picked_plate_no,
    verified: check.ok,
  };
}

// ---------------------------------------------------------------------------
// Staff: segment plans (管理岗, R-25)
// ---------------------------------------------------------------------------

export async function listPlans(deps: Deps, staff: StaffPrincipal, q: ListQuery, view: PlanView) {
  const cal = await loadCalendar(deps.sql);
  const { rows, total } = await repo.listPlans(deps.sql, q, await visible(deps.sql, staff));
  return { total, rows: await Promise.all(rows.map((r) => planDto(deps.sql, r, cal, false, view))) };
}

export async function getPlan(deps: Deps, staff: StaffPrincipal, id: string, view: PlanView) {
  const plan = await repo.findPlan(deps.sql, id, { authorities: await visible(deps.sql, staff) });
  if (!plan) throw new DomainError('plates.plan_not_found');
  return planDto(deps.sql, plan, await loadCalendar(deps.sql), true, view);
}

/** A staff command's request: its meta and the language its answer is in. */
export type StaffMeta = RequestMeta & { locale: Locale };

export type PlanInput = { plateKind: rules.PlateKind; pattern: string; startAt: string; excludeDigits: string; withheldSerials: string[]; note: string };

/** the plan of a new segment: its pattern (≥ 1,000 numbers, R-24.1) and start (publishable in time, R-24.4). */
export async function createPlan(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: PlanInput, meta: StaffMeta) {
  const authority = await repo.findAuthority(deps.sql, staff.authorityId);
  if (!authority?.plate_prefix) throw new DomainError('plates.authority_without_prefix');
  const parsed = rules.parsePattern(input.plateKind, input.pattern);
  if (!parsed.ok) throw new DomainError(parsed.code, { field: 'pattern' });
  const withheld = [...new Set(input.withheldSerials.map(rules.normaliseSerial))];
  if (withheld.some((s) => !rules.serialInSegment(parsed.value, s))) throw new DomainError('plates.withheld_serial_invalid', { field: 'withheldSerials' });
  // on what the pool will hold: without numbers with an excluded digit and without the withheld ones.
  const counted = rules.usableSegmentSize(parsed.value, input.excludeDigits, withheld);
  const tooSmall = rules.checkUsableSegmentSize(counted);
  if (tooSmall) throw new DomainError(tooSmall.code, { field: tooSmall.field, params: tooSmall.params });
  const size = counted.usable;
  const startAt = new Date(input.startAt);
  const cal = await loadCalendar(deps.sql);
  const lead = rules.checkPublicationLead(cal, meta.now, startAt);
  if (!lead.ok) throw new DomainError(lead.code, { field: 'startAt', params: { latestDay: lead.latestDay } });
  const id = await deps.sql.begin(async (tx) => {
    const planId = await repo.insertPlan(tx, {
      authorityId: authority.id, prefix: authority.plate_prefix!, plateKind: input.plateKind, pattern: input.pattern, size, excludeDigits: input.excludeDigits,
      withheldSerials: withheld, startAt, note: input.note, staffId: staff.id, now: meta.now,
    });
    await writeAudit(tx, actor, meta, {
      action: 'plates.plan_created', entityType: 'plate_segment_plan', entityId: planId, authorityId: authority.id,
      after: { prefix: authority.plate_prefix, plateKind: input.plateKind, pattern: input.pattern, size, startAt: startAt.toISOString(), excludeDigits: input.excludeDigits, withheld: withheld.length },
    });
    return planId;
  });
  return getPlan(deps, staff, id, meta);
}

/** One transaction per plan command: lock, check the transition, decide, write, audit. */
async function planCommand(
  deps: Deps,
  staff: StaffPrincipal,
  actor: StaffActor,
  id: string,
  command: rules.PlanCommand,
  meta: StaffMeta,
  act: (tx: Db, plan: repo.PlanRow, cal: WorkingDayCalendar) => Promise<Record<string, unknown>>,
) {
  const cal = await loadCalendar(deps.sql);
  await deps.sql.begin(async (tx) => {
    const plan = await repo.findPlan(tx, id, { lock: true, authorities: await visible(tx, staff) });
    if (!plan) throw new DomainError('plates.plan_not_found');
    const t = rules.planTransition(plan.status, command);
    if (!t.ok) throw new DomainError(t.code, { params: { status: plan.status } });
    const after = await act(tx, plan, cal);
    await writeAudit(tx, actor, meta, {
      action: `plates.plan_${command}`, entityType: 'plate_segment_plan', entityId: plan.id, authorityId: plan.authority_id,
      before: { status: plan.status }, after: { status: t.to, ...after },
    });
  });
  return getPlan(deps, staff, id, meta);
}

export function submitPlan(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: StaffMeta) {
  return planCommand(deps, staff, actor, id, 'submit', meta, async (tx) => {
    await repo.markSubmitted(tx, id, staff.id, meta.now);
    return {};
  });
}

/** records the superior authority's approval (批准) or filing (备案), with its document. */
export function approvePlan(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { kind: 'approved' | 'filed'; authorityId?: string; documentRef: string }, meta: StaffMeta) {
  return planCommand(deps, staff, actor, id, 'approve', meta, async (tx, plan) => {
    const superior = input.authorityId ?? plan.authority_parent_id;
    if (!superior || superior !== plan.authority_parent_id) throw new DomainError('plates.approval_authority_invalid', { field: 'authorityId' });
    await repo.markApproved(tx, id, { kind: input.kind, authorityId: superior, documentRef: input.documentRef, staffId: staff.id, now: meta.now });
    return { approvalKind: input.kind, approvalAuthorityId: superior, documentRef: input.documentRef };
  });
}

/** publication, at least three working days before the start. */
export function publishPlan(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: StaffMeta) {
  return planCommand(deps, staff, actor, id, 'publish', meta, async (tx, plan, cal) => {
    const lead = rules.checkPublicationLead(cal, meta.now, plan.start_at);
    if (!lead.ok) throw new DomainError(lead.code, { params: { latestDay: lead.latestDay } });
    await repo.markPublished(tx, id, staff.id, meta.now);
    return { latestPublicationDay: lead.ok ? rules.latestPublicationDay(cal, plan.start_at) : null };
  });
}

/** builds the pool as a durable job in chunks; progress is on the plan. */
export function buildPool(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: StaffMeta) {
  return planCommand(deps, staff, actor, id, 'build', meta, async (tx, plan) => {
    const total = rules.candidateCount(patternOf(plan));
    await repo.markBuildStarted(tx, id, staff.id, total, meta.now);
    await enqueueJob(tx, { kind: PLATE_JOBS.buildPool, payload: { planId: id }, runAt: meta.now, dedupeKey: id }, meta.now);
    return { candidates: total };
  });
}

/** Opens the segment at its start: refused when the authority's open pool would hold fewer than 50,000. */
export function openSegment(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: StaffMeta) {
  return planCommand(deps, staff, actor, id, 'open', meta, async (tx, plan) => {
    const available = await repo.openPoolAvailable(tx, plan.authority_id, plan.plate_kind, plan.id);
    // the rule the plan resource shows as `open` (openDto): the button and the command agree
    const check = rules.openDecision({ status: plan.status, now: meta.now, startAt: plan.start_at, availableAfterOpen: available });
    if (!check.ok) throw new DomainError(check.code, { params: check.params });
    await repo.markOpened(tx, id, staff.id, meta.now);
    return { openPoolAvailable: available, warning: check.warning };
  });
}

export function closeSegment(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: StaffMeta) {
  return planCommand(deps, staff, actor, id, 'close', meta, async (tx) => {
    await repo.markClosed(tx, id, staff.id, meta.now);
    return {};
  });
}

// ---------------------------------------------------------------------------
// Staff: preselections and registration at the counter (受理岗)
// ---------------------------------------------------------------------------

export async function listPreselections(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const { rows, total } = await repo.listPreselections(deps.sql, q, await visible(deps.sql, staff));
  return {
    total,
    rows: rows.map((r) => adminPreselectionDto(r, r.ban_reason && r.ban_starts_at && r.ban_ends_on ? { reason: r.ban_reason, starts_at: r.ban_starts_at, ends_on: r.ban_ends_on } : null, now)),
  };
}

export async function getAdminPreselection(db: Db, staff: StaffPrincipal, id: string, now: Date) {
  const ps = await repo.findPreselection(db, id, { authorities: await visible(db, staff) });
  if (!ps) throw new DomainError('plates.preselection_not_found');
  return adminPreselectionDto(ps, await repo.banOfPreselection(db, ps.id), now);
}

/** The owner's ID number and the phone of a preselection of my authority, for a logged reveal (issue 17, ADR-024). */
export async function revealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const ps = await repo.findPreselection(db, id, { authorities: await visible(db, staff) });
  if (!ps) throw new DomainError('plates.preselection_not_found');
  return {
    subject: { userAccountId: ps.user_account_id },
    fields: { ownerIdNumber: { kind: 'id_number', value: ps.owner_id_number }, phone: { kind: 'phone', value: ps.phone } },
  };
}

/**
 * Ends a reservation that breached R-23.4 (overdue) or R-23.3 (mismatch): the
 * number goes back to the pool, the user is banned for two years, SMS.
 */
async function cancelReservation(tx: Db, ps: repo.PreselectionRow, reason: 'overdue' | 'mismatch', actor: Actor, meta: RequestMeta, mismatchFields: string[] = []) {
  const user = await repo.findUserIdentity(tx, ps.user_account_id);
  await repo.releaseReserved(tx, ps.id, meta.now);
  await repo.markPreselectionEnded(tx, ps.id, reason === 'overdue' ? 'expired' : 'cancelled', meta.now, reason === 'mismatch' ? mismatchFields : null);
  const endsOn = rules.banEndsOn(meta.now);
  await repo.insertBan(tx, { userId: ps.user_account_id, subjectIdNumber: user?.id_number ?? ps.owner_id_number, preselectionId: ps.id, reason, startsAt: meta.now, endsOn, authorityId: ps.authority_id });
  await cancelJobs(tx, PLATE_JOBS.reservationDeadline, ps.id, meta.now);
  await writeAudit(tx, actor, meta, {
    action: reason === 'overdue' ? 'plates.reservation_expired' : 'plates.reservation_cancelled', entityType: 'plate_preselection', entityId: ps.id,
    authorityId: ps.authority_id, before: { status: ps.status, plateNo: ps.plate_no },
    after: { status: reason === 'overdue' ? 'expired' : 'cancelled', numberReleased: ps.plate_no, banEndsOn: endsOn, mismatchFields },
  });
  await enqueueMessage(tx, {
    channel: 'sms', recipient: ps.phone, template: 'plates.cancelled', authorityId: ps.authority_id, dedupeKey: `plates.cancelled:${ps.id}`,
    payload: { plateNo: ps.plate_no, reference: ps.reference, reason, banEndsOn: endsOn },
  }, meta.now);
  return endsOn;
}

export type RegistrationInput = rules.RegistrationFacts & { brandModel?: string; vehicleType?: string };

/**
 * 受理岗 registers the vehicle with the reserved number: the
 * application's VIN, owner ID, name and phone must equal the reservation's.
 * Match → the number is issued, the vehicle record carries it, the user is
 * free for another preselection and a learner / new-car owner becomes an
 * owner. Mismatch → cancelled, number back, two-year ban.
 */
export async function registerVehicle(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: RegistrationInput, meta: RequestMeta) {
  const now = meta.now;
  const result = await deps.sql.begin(async (tx) => {
    const ps = await repo.findPreselection(tx, id, { authorities: await visible(tx, staff), lock: true });
    if (!ps) throw new DomainError('plates.preselection_not_found');
    if (ps.status !== 'reserved' || !ps.plate_no || !ps.deadline) throw new DomainError('plates.preselection_wrong_status');
    if (ps.deadline <= now) throw new DomainError('plates.reservation_overdue');
    const mismatches = rules.registrationMismatches(
      { vin: ps.vin, ownerIdType: ps.owner_id_type, ownerIdNumber: ps.owner_id_number, ownerName: ps.owner_name, phone: ps.phone },
      input,
    );
    if (mismatches.length > 0) {
      await cancelReservation(tx, ps, 'mismatch', actor, meta, mismatches);
      return { outcome: 'mismatch' as const, mismatchFields: mismatches as string[] };
    }
    const user = await repo.findUserIdentity(tx, ps.user_account_id);
    if (!user) throw new DomainError('plates.preselection_not_found');
    if (!(await repo.issueReserved(tx, ps.id, now))) throw new DomainError('plates.preselection_wrong_status');
    const day = shanghaiDay(now);
    const existing = await repo.findVehicleByVin(tx, ps.vin, true);
    let vehicleId: string;
    if (existing) {
      if (!(await repo.setVehiclePlate(tx, existing.id, ps.plate_no, ps.authority_id, day, ps.phone))) throw new DomainError('plates.vehicle_already_registered');
      vehicleId = existing.id;
    } else {
      vehicleId = await repo.insertVehicle(tx, {
        vin: ps.vin, plateNo: ps.plate_no, plateKind: ps.plate_kind, vehicleType: input.vehicleType ?? 'K33', brandModel: input.brandModel ?? '—',
        personId: user.kind === 'organisation' ? null : user.person_id, organisationId: user.kind === 'organisation' ? user.organisation_id : null,
        phone: ps.phone, authorityId: ps.authority_id, day,
      });
    }
    await repo.bindOwnVehicle(tx, user.id, vehicleId, user.kind === 'organisation' ? 'organisation' : 'own', now);
    await repo.markRegistered(tx, ps.id, staff.id, vehicleId, now);
    await cancelJobs(tx, PLATE_JOBS.reservationDeadline, ps.id, now);
    await writeAudit(tx, actor, meta, {
      action: 'plates.number_issued', entityType: 'plate_preselection', entityId: ps.id, authorityId: ps.authority_id,
      before: { status: 'reserved' }, after: { status: 'registered', plateNo: ps.plate_no, vehicleId, newVehicleRecord: !existing },
    });
    const converted = await repo.convertToOwner(tx, user.id);
    if (converted) {
      await writeAudit(tx, actor, meta, {
        action: 'accounts.personal_type_converted', entityType: 'user_account', entityId: user.id, authorityId: ps.authority_id,
        before: { personalType: converted }, after: { personalType: 'owner_driver', reason: 'R-9.3 new-car registration' },
      });
    }
    await enqueueMessage(tx, {
      channel: 'sms', recipient: ps.phone, template: 'plates.issued', authorityId: ps.authority_id, dedupeKey: `plates.issued:${ps.id}`,
      payload: { plateNo: ps.plate_no, reference: ps.reference },
    }, now);
    // the preselection ends with the vehicle registered: to the electronic archive (ADR-036).
    await archiveCase(tx, actor, meta, {
      businessType: 'plate_registration', caseRef: ps.reference, entityIds: [ps.id], authorityId: ps.authority_id, personId: user.kind === 'organisation' ? null : user.person_id,
      organisationId: user.kind === 'organisation' ? user.organisation_id : null, userAccountId: user.id, plateNo: ps.plate_no,
      data: { preselection: ps, registration: input, vehicleId, newVehicleRecord: !existing }, finishedAt: now,
    });
    return { outcome: 'issued' as const, mismatchFields: [] as string[] };
  });
  return { ...result, preselection: await getAdminPreselection(deps.sql, staff, id, now) };
}

// ---------------------------------------------------------------------------
// Durable jobs (injected clock: `now` comes from the worker)
// ---------------------------------------------------------------------------

const jobMeta = (jobId: number, now: Date): RequestMeta => ({ requestId: `job:${jobId}`, ip: 'system', now });

/**
 * pool build, one chunk of the pattern's candidates per run: GA 36
 * numbers of the segment, without those with an excluded digit and those
 * already issued or held elsewhere; withheld serials enter as 'withheld'.
 * Indices stay dense because only this job writes the plan's pool and it
 * holds the plan's row lock.
 */
export async function buildPoolChunk(tx: Db, jobId: number, planId: string, now: Date, chunk = BUILD_CHUNK) {
  const plan = await repo.findPlan(tx, planId, { lock: true });
  if (!plan || plan.status !== 'building') return;
  const pattern = patternOf(plan);
  const from = plan.build_cursor;
  const to = Math.min(plan.build_total, from + chunk);
  const candidates: string[] = [];
  let excludedDigits = 0;
  for (let i = from; i < to; i++) {
    const serial = rules.candidateAt(pattern, i);
    if (rules.serialProblems(pattern.kind, serial).length > 0) continue;
    if (rules.hasExcludedDigit(serial, plan.exclude_digits)) {
      excludedDigits++;
      continue;
    }
    candidates.push(serial);
  }
  const taken = await repo.unavailablePlates(tx, plan.id, candidates.map((s) => plan.prefix + s));
  const withheld = new Set(plan.withheld_serials);
  const rows = candidates
    .filter((s) => !taken.has(plan.prefix + s))
    .map((s) => ({ plateNo: plan.prefix + s, status: withheld.has(s) ? ('withheld' as const) : ('free' as const) }));
  await repo.insertPoolRows(tx, plan.id, plan.pool_size, rows, now);
  // Chained digest of the pool in idx order: published, it pins the index → number map a proof refers to.
  const digest = createHash('sha256').update(`${plan.pool_digest ?? ''}\n${rows.map((r) => r.plateNo).join('\n')}`).digest('hex');
  await repo.recordBuildChunk(tx, plan.id, { cursor: to, poolSize: plan.pool_size + rows.length, digest, excludedTaken: candidates.length - rows.length, excludedDigits, now });
  if (to < plan.build_total) {
    await enqueueJob(tx, { kind: PLATE_JOBS.buildPool, payload: { planId }, runAt: now, dedupeKey: planId }, now);
    return;
  }
  await repo.markBuildFinished(tx, plan.id, now);
  await writeAudit(tx, systemActor, jobMeta(jobId, now), {
    action: 'plates.pool_built', entityType: 'plate_segment_plan', entityId: plan.id, authorityId: plan.authority_id,
    before: { status: 'building' }, after: { status: 'pool_built', poolSize: plan.pool_size + rows.length, poolDigest: digest },
  });
}

/**
 * PD-14: an offer ends after 10 minutes: its numbers go back to the
 * pool. A random preselection whose last offer ended without a pick (or that
 * never drew) lapses — no number was held, so no ban.
 */
export async function expireOffer(tx: Db, jobId: number, preselectionId: string, drawId: string | null, now: Date) {
  const ps = await repo.findPreselection(tx, preselectionId, { lock: true });
  if (!ps) return;
  const meta = jobMeta(jobId, now);
  if (drawId) {
    const draw = await repo.findDraw(tx, drawId, { lock: true });
    if (draw && draw.status === 'open' && draw.expires_at <= now) {
      const released = await repo.releaseOffered(tx, draw.id, now);
      await repo.endDraw(tx, draw.id, 'expired', now);
      await writeAudit(tx, systemActor, meta, { action: 'plates.offer_expired', entityType: 'plate_draw', entityId: draw.id, authorityId: ps.authority_id, after: { released } });
    }
  }
  if (ps.status !== 'drawing') return;
  const open = await repo.openDrawOf(tx, ps.id);
  if (open && open.expires_at > now) return;
  if (open) {
    await repo.releaseOffered(tx, open.id, now);
    await repo.endDraw(tx, open.id, 'expired', now);
  }
  await repo.markPreselectionEnded(tx, ps.id, 'lapsed', now);
  await writeAudit(tx, systemActor, meta, { action: 'plates.preselection_lapsed', entityType: 'plate_preselection', entityId: ps.id, authorityId: ps.authority_id, before: { status: 'drawing' }, after: { status: 'lapsed' } });
}

/** not registered within three working days → number released, two-year ban, SMS. */
export async function expireReservation(tx: Db, jobId: number, preselectionId: string, now: Date) {
  const ps = await repo.findPreselection(tx, preselectionId, { lock: true });
  if (!ps || ps.status !== 'reserved' || !ps.deadline || ps.deadline > now) return;
  await cancelReservation(tx, ps, 'overdue', systemActor, jobMeta(jobId, now));
}
