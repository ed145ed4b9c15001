import { createHash, randomInt } from 'node:crypto';
import type { Db, Sql, TransactionSql } from '../../db.ts';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import { describe, type Locale } from '../../core/catalog.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { loadCalendar } from '../../platform/calendar-store.ts';
import { addDays, shanghaiDay, startOfShanghaiDay } from '../../platform/calendar.ts';
import { maskIdNumber, maskName, maskPhone } from '../../platform/check-digits.ts';
import { fileOf, usableUpload } from '../../platform/uploads/service.ts';
import type { RevealTarget } from '../../platform/personal-data.ts';
import { withSmsCode } from '../auth/service.ts';
import { decideSmsSend, generateNumericCode, smsCodePolicy } from '../auth/rules.ts';
import { insertSmsCode, recentSmsSends } from '../auth/repo.ts';
import { openPaymentOrder, paymentOfPayable, type PaymentRefundedPayload, type PaymentSettledPayload } from '../payments/orders.ts';
import { messages } from './messages.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';

/** Durable job kinds of the module (handlers in jobs.ts). */
export const VIOLATION_JOBS = {
  /** the payments module settled a decision's order (enqueued in its transaction) */
  finePaid: 'violations.fine_paid',
  /** ADR-038: 管理岗 refunded the payment that counted — the fine is unpaid again (enqueued with the refund) */
  fineRefunded: 'violations.fine_refunded',
  /** a scoring cycle ended — the licence's points become those carried into the next */
  cycleEnd: 'violations.cycle_end',
} as const;

/** The payable kind of a penalty decision in the payments module (one order per decision). */
export const PAYABLE_KIND = 'violation_decision';

export type Meta = RequestMeta & { locale: Locale };
type UserActor = Actor & { kind: 'user' };
type StaffActor = Actor & { kind: 'staff' };
const systemActor: Actor = { kind: 'system', label: 'violations' };
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** 粤B7V2K8 → 粤B7***8: enough to recognise one's own car on paper. */
const maskPlate = (p: string) => p.slice(0, 3) + '***' + p.slice(-1);

function reasonDto(r: { code: string; params?: Record<string, string | number> }, locale: Locale) {
  const { title, detail } = describe(messages, r.code, r.params, locale);
  return { code: r.code, title, detail: detail ?? null };
}

// ---------------------------------------------------------------------------
// Citizens: the records of bound vehicles and the bound licence (X-5.1 …)
// ---------------------------------------------------------------------------

async function activeUser(db: Db, userId: string) {
  const u = await repo.findUser(db, userId);
  if (!u) throw new DomainError('auth.required');
  if (u.status !== 'active') throw new DomainError('auth.account_suspended');
  return u;
}

async function licenceFacts(db: Db, l: repo.LicenceRow | undefined): Promise<rules.LicenceFacts | null> {
  if (!l) return null;
  return { bound: true, status: l.status, points: l.points, pendingPoints: await repo.pendingPoints(db, l.id) };
}

function recordFacts(v: repo.ViolationRow): rules.RecordFacts {
  return { id: v.id, vehicleId: v.vehicle_id, source: v.source, fineFen: v.fine_fen, points: v.points, status: v.status };
}

function recordDto(v: repo.ViolationRow) {
  return {
    id: v.id, reference: v.reference, source: v.source, plateNo: v.plate_no, vehicleId: v.vehicle_id, occurredAt: v.occurred_at.toISOString(), place: v.place,
    actCode: v.act_code, act: v.act, fineFen: v.fine_fen, points: v.points, status: v.status, authorityName: v.authority_name, photoCount: v.photo_count,
    decisionId: v.decision_id,
  };
}

/**
 * …: the records of the user's bound vehicles (own and non-own)
 * and bound licence, each with whether it can be handled online and, if
 * not, why and where to go — at the record.
 */
export async function myViolations(sql: Sql, userId: string, now: Date, locale: Locale) {
  const u = await activeUser(sql, userId);
  const [vehicles, licence] = await Promise.all([repo.boundVehicles(sql, userId), repo.ownLicence(sql, userId)]);
  const facts = await licenceFacts(sql, licence);
  const records = await repo.citizenViolations(sql, vehicles.map((v) => v.id), licence?.id ?? null);
  const handler = rules.decideHandler(u.kind, facts);
  const cycle = licence ? rules.scoringCycle(licence.first_issued_on, shanghaiDay(now)) : null;
  const withStanding = (v: repo.ViolationRow) => {
    const s = v.status === 'open' ? rules.recordStanding(u.kind, facts, recordFacts(v)) : rules.decideRecord(recordFacts(v));
    return { ...recordDto(v), canHandle: s.ok, reason: s.ok ? null : reasonDto(s, locale), canObject: rules.decideObjection(v.status).ok };
  };
  return {
    refusal: handler.ok ? null : reasonDto(handler, locale),
    licence: licence && facts
      ? { id: licence.id, licenceNoMasked: maskIdNumber(licence.licence_no), status: licence.status, points: facts.points, pendingPoints: facts.pendingPoints, cycleStart: cycle!.start, cycleEnd: cycle!.end }
      : null,
    vehicles: vehicles.map((veh) => ({
      id: veh.id, plateNo: veh.plate_no, brandModel: veh.brand_model, binding: veh.binding,
      records: records.filter((r) => r.vehicle_id === veh.id).map(withStanding),
    })),
    licenceRecords: records.filter((r) => !vehicles.some((veh) => veh.id === r.vehicle_id)).map(withStanding),
    asOf: now.toISOString(),
  };
}

/** The citizen may see a record of a bound vehicle or the bound licence; anything else is "not found". */
async function visibleRecord(db: Db, userId: string, id: string) {
  const [vehicles, licence] = await Promise.all([repo.boundVehicles(db, userId), repo.ownLicence(db, userId)]);
  const v = await repo.findViolation(db, id, 'system');
  if (!v || v.status === 'pending_review' || v.status === 'rejected') throw new DomainError('violations.not_found');
  if (!vehicles.some((b) => b.id === v.vehicle_id) && !(licence && v.licence_id === licence.id)) throw new DomainError('violations.not_found');
  return v;
}

export async function myViolation(sql: Sql, userId: string, id: string, locale: Locale) {
  const v = await visibleRecord(sql, userId, id);
  const photos = await repo.photosOf(sql, v.id);
  const objections = await repo.objectionsOfViolation(sql, v.id);
  return {
    ...recordDto(v),
    photos: photos.map((p) => ({ position: p.position, url: `/api/v1/violations/${v.id}/photos/${p.position}` })),
    objections: objections.map((o) => ({ id: o.id, kind: o.kind, ground: o.ground, statement: o.statement, status: o.status, submittedAt: o.submitted_at.toISOString(), dueAt: o.due_at.toISOString(), decidedAt: iso(o.decided_at), decisionNote: o.decision_note })),
    canObject: rules.decideObjection(v.status).ok,
    locale,
  };
}

/** A photo of a record the citizen may see (ADR-021 store). */
export async function photoForCitizen(sql: Sql, userId: string, id: string, position: number) {
  const v = await visibleRecord(sql, userId, id);
  return photoFile(sql, v.id, position);
}

async function photoFile(sql: Sql, violationId: string, position: number) {
  const p = await repo.photoOf(sql, violationId, position);
  if (!p) throw new DomainError('violations.photo_not_found');
  const f = await fileOf(sql, p.upload_id);
  return { content: f.content, contentType: f.content_type };
}

// ---------------------------------------------------------------------------
// confirm with an SMS code → the electronic 处罚决定书
// ---------------------------------------------------------------------------

/** The SMS code confirms exactly the batch its text described: the purpose carries the batch. */
const confirmPurpose = (ids: readonly string[]) => `violations:${createHash('sha256').update([...ids].sort().join(',')).digest('hex').slice(0, 24)}`;
// Same hash as modules/auth (consumeSmsCode checks it): sha256 of phone, purpose and code.
const codeHash = (phone: string, purpose: string, code: string) => createHash('sha256').update(`${phone}:${purpose}:${code}`).digest('hex');

async function loadBatch(db: Db, userId: string, ids: readonly string[], lock: boolean) {
  const u = await activeUser(db, userId);
  const unique = [...new Set(ids)];
  const [vehicles, licence] = await Promise.all([repo.boundVehicles(db, userId), repo.ownLicence(db, userId, lock)]);
  const records = unique.length ? await repo.violationsByIds(db, unique, lock) : [];
  // only records of bound vehicles or the bound licence; others are "not found"
  for (const id of unique) {
    const r = records.find((x) => x.id === id);
    if (!r || r.status === 'pending_review' || r.status === 'rejected' || (!vehicles.some((v) => v.id === r.vehicle_id) && !(licence && r.licence_id === licence.id))) {
      throw new DomainError('violations.not_found', { field: 'violationIds' });
    }
  }
  const facts = await licenceFacts(db, licence);
  const decision = rules.decideBatch(u.kind, facts, records.map(recordFacts));
  if (!decision.ok) throw refuse(decision.refusal, decision.perRecord[0] ? `violationIds.${unique.indexOf(decision.perRecord[0].id)}` : 'violationIds');
  return { u, vehicles, licence: licence!, records, decision };
}

/** Step 1 of: the fine and points of the batch, and an SMS code to confirm them. */
export async function requestConfirmCode(deps: Deps, actor: UserActor, input: { violationIds: string[] }, meta: Meta) {
  const expiresAt = new Date(meta.now.getTime() + smsCodePolicy.ttlMs);
  return deps.sql.begin(async (tx) => {
    const { u, records, decision } = await loadBatch(tx, actor.id, input.violationIds, false);
    await tx`SELECT pg_advisory_xact_lock(hashtext(${'sms:' + u.phone}))`;
    const sent = await recentSmsSends(tx, u.phone, new Date(meta.now.getTime() - 24 * 3600_000));
    const send = decideSmsSend(sent, meta.now);
    if (!send.ok) throw new DomainError(send.code);
    const code = generateNumericCode(smsCodePolicy.digits, (n) => randomInt(n));
    const purpose = confirmPurpose(records.map((r) => r.id));
    await insertSmsCode(tx, u.phone, purpose, codeHash(u.phone, purpose, code), meta.now, expiresAt);
    const fine = decision.ok ? decision.fineFen : 0;
    const points = decision.ok ? decision.points : 0;
    await enqueueMessage(tx, {
      channel: 'sms', recipient: u.phone, template: 'violations.confirm_code',
      payload: { code, minutes: smsCodePolicy.ttlMs / 60_000, plateNo: records[0]!.plate_no, fine: rules.yuan(fine), points },
    }, meta.now);
    await writeAudit(tx, actor, meta, { action: 'violations.confirm_code_sent', entityType: 'violation', entityId: records[0]!.id, after: { violationIds: records.map((r) => r.id), fineFen: fine, points } });
    return { expiresAt: expiresAt.toISOString(), resendAfterSeconds: smsCodePolicy.resendAfterMs / 1000, phoneMasked: maskPhone(u.phone), fineFen: fine, points };
  });
}

function verificationCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += rules.VERIFICATION_ALPHABET[randomInt(rules.VERIFICATION_ALPHABET.length)];
  return s;
}

/**
 * Step 2 of: the SMS code confirms the fine and points → the electronic
 * 处罚决定书 is served (day 0 of ). Licence and records are locked, the
 * rules decided again under the locks (X-5.4 cannot be raced by two tabs),
 * and the records move to `handling` only if still open. The points count
 * once the fine is paid.
 */
export async function handleViolations(deps: Deps, actor: UserActor, input: { violationIds: string[]; smsCode: string }, meta: Meta) {
  const u = await activeUser(deps.sql, actor.id);
  const ids = [...new Set(input.violationIds)];
  const purpose = confirmPurpose(ids);
  const id = await withSmsCode(deps, { phone: u.phone, purpose, smsCode: input.smsCode }, meta.now, async (tx) => {
    const { licence, vehicles, records, decision } = await loadBatch(tx, actor.id, ids, true);
    if (!decision.ok) throw new DomainError('violations.batch_empty');
    const first = records[0]!;
    const vehicle = vehicles.find((v) => v.id === first.vehicle_id);
    const nonOwner = !!vehicle && vehicle.owner_person_id !== licence.person_id;
    const servedDay = shanghaiDay(meta.now);
    const cycle = rules.scoringCycle(licence.first_issued_on, servedDay);
    // unusual non-owner handling — this licence, non-own vehicles, within the cycle
    const nonOwn = nonOwner ? [...(await repo.nonOwnVehiclesHandled(tx, licence.id, cycle.start, cycle.end)), first.vehicle_id!] : [];
    const flag = rules.nonOwnerFlag(nonOwn);
    const decisionNo = rules.decisionNumber(first.authority_id, meta.now, await repo.nextDecisionSeq(tx));
    const decisionId = await repo.insertDecision(tx, {
      decisionNo, verificationCode: verificationCode(), userId: actor.id, licenceId: licence.id, vehicleId: first.vehicle_id, plateNo: first.plate_no,
      authorityId: first.authority_id, fineFen: decision.fineFen, points: decision.points, servedAt: meta.now, servedDay, nonOwner,
      flagged: flag.flagged, flagReason: flag.flagged ? `non_owner_vehicles_in_cycle:${flag.vehicles}` : null,
    });
    const moved = await repo.markHandling(tx, ids, decisionId, meta.now);
    if (moved !== ids.length) throw new DomainError('violations.record_not_open', { params: { status: 'handling' }, field: 'violationIds' });
    await writeAudit(tx, actor, meta, {
      action: 'violations.decision_served', entityType: 'penalty_decision', entityId: decisionId, authorityId: first.authority_id,
      after: { decisionNo, violationIds: ids, fineFen: decision.fineFen, points: decision.points, licenceId: licence.id, servedDay, nonOwner, flagged: flag.flagged },
    });
    for (const r of records) {
      await writeAudit(tx, actor, meta, { action: 'violations.handling', entityType: 'violation', entityId: r.id, authorityId: r.authority_id, before: { status: r.status }, after: { status: 'handling', decisionNo } });
    }
    await enqueueMessage(tx, {
      channel: 'sms', recipient: u.phone, template: 'violations.decision_served', authorityId: first.authority_id,
      payload: { decisionNo, fine: rules.yuan(decision.fineFen), points: decision.points, lastFreeDay: addDays(servedDay, rules.FREE_DAYS) }, dedupeKey: `violations-decision:${decisionId}`,
    }, meta.now);
    return decisionId;
  });
  return decisionDto(deps.sql, (await repo.findDecision(deps.sql, id))!, meta.now);
}

// ---------------------------------------------------------------------------
// Decisions: print, verify, pay
// ---------------------------------------------------------------------------

async function decisionDto(sql: Sql, d: repo.DecisionRow, now: Date) {
  const records = await repo.violationsOfDecision(sql, d.id);
  const today = shanghaiDay(now);
  const due = rules.amountDue(d.fine_fen, d.served_day, today);
  const payment = await paymentOfPayable(sql, PAYABLE_KIND, d.id);
  return {
    id: d.id, decisionNo: d.decision_no, verificationCode: d.verification_code, channel: d.channel, plateNo: d.plate_no,
    holderNameMasked: maskName(d.holder_name), licenceNoMasked: maskIdNumber(d.licence_no), authorityName: d.authority_name,
    fineFen: d.fine_fen, points: d.points, servedAt: d.served_at.toISOString(), servedDay: d.served_day, lastFreeDay: due.lastFreeDay,
    status: d.status, paidAt: iso(d.paid_at), paidFen: d.paid_fen, paidLateFeeFen: d.late_fee_fen,
    // shown before paying — the fine and the late fee of today
    due: d.status === 'paid' ? null : { day: due.day, fineFen: due.fineFen, lateFeeFen: due.lateFeeFen, totalFen: due.totalFen, asOfDay: today },
    payment: payment ? { orderId: payment.orderId, status: payment.status, amountFen: payment.amountFen, paidAt: payment.paidAt } : null,
    records: records.map(recordDto),
    verifyUrl: `/violations/verify?no=${d.decision_no}&code=${d.verification_code}`,
  };
}

/** The decisions a citizen may see and pay: handled by the user, of the bound licence, or of a bound vehicle. */
async function visibleDecision(db: Db, userId: string, id: string) {
  const d = await repo.findDecision(db, id);
  if (!d) throw new DomainError('violations.decision_not_found');
  if (d.user_account_id === userId) return d;
  const [vehicles, licence] = await Promise.all([repo.boundVehicles(db, userId), repo.ownLicence(db, userId)]);
  if ((licence && d.licence_id === licence.id) || vehicles.some((v) => v.id === d.vehicle_id)) return d;
  throw new DomainError('violations.decision_not_found');
}

export async function myDecision(sql: Sql, userId: string, id: string, now: Date) {
  await activeUser(sql, userId);
  return decisionDto(sql, await visibleDecision(sql, userId, id), now);
}

/** every decision of my bound vehicles and licence (unpaid first), with today's amount due. */
export async function myDecisions(sql: Sql, userId: string, now: Date) {
  await activeUser(sql, userId);
  const [vehicles, licence] = await Promise.all([repo.boundVehicles(sql, userId), repo.ownLicence(sql, userId)]);
  const rows = await repo.decisionsFor(sql, userId, vehicles.map((v) => v.id), licence?.id ?? null);
  const list = await Promise.all(rows.map((d) => decisionDto(sql, d, now)));
  return { decisions: [...list.filter((d) => d.status !== 'paid'), ...list.filter((d) => d.status === 'paid')], asOf: now.toISOString() };
}

/** a decision by its 决定书编号 — to pay a fine that is not on a bound vehicle or licence. Shows only what the paper shows, masked. */
export async function decisionByNumber(sql: Sql, userId: string, decisionNo: string, now: Date) {
  await activeUser(sql, userId);
  const d = await repo.findDecisionByNumber(sql, decisionNo);
  if (!d) throw new DomainError('violations.decision_not_found', { field: 'decisionNo' });
  const dto = await decisionDto(sql, d, now);
  // Decision numbers run in sequence: someone else's number shows no plate in full, no code, no vehicle id.
  const mask = (plate: string) => (d.user_account_id === userId ? plate : maskPlate(plate));
  return { ...dto, verificationCode: null, plateNo: mask(dto.plateNo), records: dto.records.map((r) => ({ ...r, plateNo: mask(r.plateNo), vehicleId: null })) };
}

/**
 * opens (or reuses) the payment order of a decision for
 * today's amount — the fine plus the late fee — ending at 24:00 Asia/Shanghai
 * today, since the late fee changes daily. Paid by the payments module, which
 * enqueues `violations.fine_paid` in the transaction that records the payment.
 */
export async function payDecision(deps: Deps, actor: UserActor, ref: { id?: string; decisionNo?: string }, meta: Meta) {
  await activeUser(deps.sql, actor.id);
  return deps.sql.begin(async (tx) => {
    const found = ref.id ? await visibleDecision(tx, actor.id, ref.id) : await repo.findDecisionByNumber(tx, ref.decisionNo ?? '');
    if (!found) throw new DomainError('violations.decision_not_found', { field: 'decisionNo' });
    const d = (await repo.findDecision(tx, found.id, true))!;
    if (d.status === 'paid') throw new DomainError('violations.already_paid');
    const today = shanghaiDay(meta.now);
    const due = rules.amountDue(d.fine_fen, d.served_day, today);
    const order = await openPaymentOrder(tx, actor, meta, {
      payableKind: PAYABLE_KIND, payableRef: d.id, amountFen: due.totalFen,
      subject: `交通违法罚款 决定书${d.decision_no}`, ownerUserId: actor.id,
      expiresAt: startOfShanghaiDay(addDays(today, 1)), settledJob: VIOLATION_JOBS.finePaid, refundedJob: VIOLATION_JOBS.fineRefunded, authorityId: d.authority_id,
      breakdown: [{ label: '罚款', amountFen: due.fineFen }, ...(due.lateFeeFen > 0 ? [{ label: '加处罚款（滞纳金）', amountFen: due.lateFeeFen }] : [])],
    });
    await writeAudit(tx, actor, meta, {
      action: 'violations.payment_started', entityType: 'penalty_decision', entityId: d.id, authorityId: d.authority_id,
      after: { decisionNo: d.decision_no, orderId: order.orderId, fineFen: due.fineFen, lateFeeFen: due.lateFeeFen, totalFen: due.totalFen, day: due.day },
    });
    return { decisionId: d.id, decisionNo: d.decision_no, orderId: order.orderId, payUrl: order.payUrl, status: order.status, ...due };
  });
}

/** The public verification of a printed decision: its number and verification code. */
export async function verifyDecision(sql: Sql, decisionNo: string, code: string) {
  const d = await repo.findDecisionByNumber(sql, decisionNo);
  if (!d || d.verification_code !== code.toUpperCase()) return { valid: false as const };
  return {
    valid: true as const, decisionNo: d.decision_no, authorityName: d.authority_name, holderNameMasked: maskName(d.holder_name),
    plateNo: maskPlate(d.plate_no), fineFen: d.fine_fen, points: d.points, servedDay: d.served_day, status: d.status,
  };
}

/**
 * Job: the payments module recorded the payment of a decision's
 * order. Idempotent: only an unpaid decision is settled (conditional update),
 * the points are assessed once (unique per decision). The records become
 * handled, the points enter the ledger, the holder gets an SMS.
 */
export async function settleFinePaid(tx: TransactionSql, payload: PaymentSettledPayload, now: Date) {
  if (payload.payableKind !== PAYABLE_KIND) return;
  const d = await repo.findDecision(tx, payload.payableRef, true);
  if (!d || d.status === 'paid') return;
  const paidAt = new Date(payload.paidAt);
  const lateFee = Math.min(d.fine_fen, Math.max(0, payload.amountFen - d.fine_fen));
  if (!(await repo.markPaid(tx, d.id, { paidAt, paidFen: payload.amountFen, lateFeeFen: lateFee, orderId: payload.orderId }))) return;
  await repo.markHandled(tx, d.id, paidAt);
  const meta: RequestMeta = { requestId: `job:${VIOLATION_JOBS.finePaid}:${d.id}`, ip: 'system', now };
  if (!d.points_assessed_at && d.points > 0) await assessPoints(tx, d, paidAt, meta);
  await writeAudit(tx, systemActor, meta, {
    action: 'violations.fine_paid', entityType: 'penalty_decision', entityId: d.id, authorityId: d.authority_id,
    before: { status: d.status }, after: { status: 'paid', orderId: payload.orderId, paidFen: payload.amountFen, lateFeeFen: lateFee, paidAt: paidAt.toISOString() },
  });
  const licence = await repo.licenceById(tx, d.licence_id);
  const [user] = d.user_account_id ? [await repo.findUser(tx, d.user_account_id)] : [];
  await enqueueMessage(tx, {
    channel: 'sms', recipient: user?.phone ?? licence!.phone, template: 'violations.fine_paid', authorityId: d.authority_id,
    payload: { decisionNo: d.decision_no, fine: rules.yuan(d.fine_fen), lateFee, lateFeeYuan: rules.yuan(lateFee) }, dedupeKey: `violations-paid:${d.id}:${payload.orderId}`, // per order: a fine paid again after a refund is told again
  }, now);  // handled and paid — the case (records, decision, payment, points) goes to the electronic archive
  const records = await repo.violationsOfDecision(tx, d.id);
  const photos = (await Promise.all(records.map((r) => repo.photosOf(tx, r.id)))).flat().map((ph) => ph.upload_id);
  await archiveCase(tx, systemActor, meta, {
    businessType: 'violation', caseRef: d.decision_no, entityIds: [d.id, ...records.map((r) => r.id)], authorityId: d.authority_id,
    personId: d.holder_person_id, userAccountId: d.user_account_id, plateNo: d.plate_no, licenceNo: d.licence_no,
    data: {
      decisionNo: d.decision_no, channel: d.channel, fineFen: d.fine_fen, points: d.points, servedAt: d.served_at, servedDay: d.served_day, nonOwner: d.non_owner,
      records: records.map((r) => ({ id: r.id, occurredAt: r.occurred_at, place: r.place, act: r.act, fineFen: r.fine_fen, points: r.points })),
      payment: { orderId: payload.orderId, paidFen: payload.amountFen, lateFeeFen: lateFee, paidAt: paidAt.toISOString() },
    },
    uploadIds: photos,
    finishedAt: now,
  });
}

/**
 * Job (ADR-038; ): 管理岗 refunded the payment that settled a
 * decision, and the money is back with the payer. The 处罚决定 stays in force
 * — a refund is not a revocation — so the fine is unpaid again (payable as
 * says, its late fee still counted from the served day, X-5.8); since
 * handling counts only once payment succeeds, the records go back to
 * `handling` and the points an online decision took on payment are withdrawn
 * (a counter decision's points were assessed at the counter and stay). The
 * payer is told by SMS. Idempotent: only a decision paid by that very order
 * changes (conditional update).
 */
export async function settleFineRefunded(tx: TransactionSql, payload: PaymentRefundedPayload, now: Date) {
  if (payload.payableKind !== PAYABLE_KIND) return;
  const d = await repo.findDecision(tx, payload.payableRef, true);
  if (!d || d.status !== 'paid' || d.payment_order_id !== payload.orderId) return;
  if (!(await repo.markUnpaid(tx, d.id, payload.orderId))) return;
  const meta: RequestMeta = { requestId: `job:${VIOLATION_JOBS.fineRefunded}:${d.id}`, ip: 'system', now };
  const records = await repo.markUnhandled(tx, d.id, now);
  for (const id of records) {
    await writeAudit(tx, systemActor, meta, { action: 'violations.handling_reverted', entityType: 'violation', entityId: id, authorityId: d.authority_id,
      before: { status: 'handled' }, after: { status: 'handling', decisionNo: d.decision_no, orderId: payload.orderId } });
  }
  let pointsWithdrawn = 0;
  if (d.channel === 'online') {
    const licence = (await repo.licenceById(tx, d.licence_id, true))!;
    const entry = await repo.withdrawPointsEntry(tx, d.id);
    if (entry) {
      // the entry weighed on the licence's current total if it belongs to the current cycle or was carried into it
      const current = rules.scoringCycle(licence.first_issued_on, shanghaiDay(now)).start;
      pointsWithdrawn = rules.pointsInCycle([{ cycleStart: entry.cycle_start, points: entry.points, paidDay: shanghaiDay(d.paid_at!) }], current);
      if (pointsWithdrawn > 0) await repo.setLicencePoints(tx, d.licence_id, Math.max(0, licence.points - pointsWithdrawn));
      await writeAudit(tx, systemActor, meta, {
        action: 'violations.points_withdrawn', entityType: 'driving_licence', entityId: d.licence_id, authorityId: d.authority_id,
        before: { points: licence.points }, after: { points: Math.max(0, licence.points - pointsWithdrawn), decisionNo: d.decision_no, cycleStart: entry.cycle_start, entryPoints: entry.points },
      });
    }
  }
  const due = rules.amountDue(d.fine_fen, d.served_day, shanghaiDay(now));
  await writeAudit(tx, systemActor, meta, {
    action: 'violations.fine_refunded', entityType: 'penalty_decision', entityId: d.id, authorityId: d.authority_id,
    before: { status: 'paid', orderId: payload.orderId, paidFen: d.paid_fen, lateFeeFen: d.late_fee_fen },
    after: { status: 'awaiting_payment', refundedFen: payload.amountFen, reason: payload.reason, recordsReverted: records.length, pointsWithdrawn, dueTodayFen: due.totalFen },
  });
  const payer = await repo.findUser(tx, payload.payerUserId);
  if (payer) {
    await enqueueMessage(tx, {
      channel: 'sms', recipient: payer.phone, template: 'violations.fine_refunded', authorityId: d.authority_id,
      payload: { decisionNo: d.decision_no, refunded: rules.yuan(payload.amountFen), reason: payload.reason.slice(0, 60), due: rules.yuan(due.totalFen) },
      dedupeKey: `violations-refunded:${d.id}:${payload.orderId}`,
    }, now);
  }
}

/** the decision's points enter the ledger in the cycle of its service, and count on the licence now. */
async function assessPoints(tx: Db, d: repo.DecisionRow, at: Date, meta: RequestMeta) {
  const licence = (await repo.licenceById(tx, d.licence_id, true))!;
  const cycle = rules.scoringCycle(licence.first_issued_on, d.served_day);
  if (!(await repo.insertPointsEntry(tx, { licenceId: d.licence_id, cycleStart: cycle.start, points: d.points, decisionId: d.id, at }))) return;
  await repo.markPointsAssessed(tx, d.id, at);
  await repo.addLicencePoints(tx, d.licence_id, d.points);
  const current = rules.scoringCycle(licence.first_issued_on, shanghaiDay(at));
  // X-5.9: at the end of the cycle the points are recounted (unpaid fines' points carried)
  await enqueueJob(tx, { kind: VIOLATION_JOBS.cycleEnd, runAt: startOfShanghaiDay(addDays(current.end, 1)), payload: { licenceId: d.licence_id, cycleStart: current.start }, dedupeKey: `${d.licence_id}:${current.start}` }, meta.now);
  await writeAudit(tx, systemActor, meta, {
    action: 'violations.points_assessed', entityType: 'driving_licence', entityId: d.licence_id, authorityId: d.authority_id,
    before: { points: licence.points }, after: { points: licence.points + d.points, decisionNo: d.decision_no, cycleStart: cycle.start },
  });
}

/** Job: a scoring cycle ended; the licence's points become those carried into the new cycle. */
export async function endCycle(tx: TransactionSql, payload: { licenceId: string; cycleStart: string }, now: Date) {
  const licence = await repo.licenceById(tx, payload.licenceId, true);
  if (!licence) return;
  const cycle = rules.scoringCycle(licence.first_issued_on, shanghaiDay(now));
  if (cycle.start <= payload.cycleStart) return; // not ended yet
  const entries = (await repo.ledgerOf(tx, licence.id)).map((e) => ({ cycleStart: e.cycle_start, points: e.points, paidDay: e.paid_at ? shanghaiDay(e.paid_at) : null }));
  const carried = rules.pointsInCycle(entries, cycle.start);
  await repo.setLicencePoints(tx, licence.id, carried);
  await writeAudit(tx, systemActor, { requestId: `job:${VIOLATION_JOBS.cycleEnd}:${licence.id}`, ip: 'system', now }, {
    action: 'violations.cycle_ended', entityType: 'driving_licence', entityId: licence.id, before: { points: licence.points, cycleStart: payload.cycleStart }, after: { points: carried, cycleStart: cycle.start },
  });
}

// ---------------------------------------------------------------------------
// the points ledger per cycle
// ---------------------------------------------------------------------------

export async function myPoints(sql: Sql, userId: string, now: Date) {
  await activeUser(sql, userId);
  const licence = await repo.ownLicence(sql, userId);
  if (!licence) throw new DomainError('violations.licence_not_bound');
  const today = shanghaiDay(now);
  const cycle = rules.scoringCycle(licence.first_issued_on, today);
  const rows = await repo.ledgerOf(sql, licence.id);
  const entries = rows.map((e) => ({ cycleStart: e.cycle_start, points: e.points, paidDay: e.paid_at ? shanghaiDay(e.paid_at) : null }));
  const cycles = [...new Set([...rows.map((r) => r.cycle_start), cycle.start])].sort().reverse();
  return {
    licenceNoMasked: maskIdNumber(licence.licence_no), status: licence.status, points: licence.points, pendingPoints: await repo.pendingPoints(sql, licence.id),
    cycleStart: cycle.start, cycleEnd: cycle.end,
    cycles: cycles.map((start) => {
      const c = rules.scoringCycle(licence.first_issued_on, start);
      return {
        start: c.start, end: c.end, current: start === cycle.start, ledgerPoints: rules.pointsInCycle(entries, start),
        entries: rows.filter((r, i) => r.cycle_start === start || rules.isCarried(entries[i]!, start)).map((r, i) => ({
          decisionId: r.decision_id, decisionNo: r.decision_no, plateNo: r.plate_no, points: r.points, assessedAt: r.assessed_at.toISOString(),
          paidAt: iso(r.paid_at), carried: r.cycle_start !== start, index: i,
        })),
      };
    }),
  };
}

// ---------------------------------------------------------------------------
// objections online
// ---------------------------------------------------------------------------

export async function raiseObjection(deps: Deps, actor: UserActor, violationId: string, input: { ground: rules.ObjectionGround; statement: string }, meta: Meta) {
  const id = await deps.sql.begin(async (tx) => {
    const u = await activeUser(tx, actor.id);
    if (u.kind !== 'personal') throw new DomainError('violations.personal_only');
    const seen = await visibleRecord(tx, actor.id, violationId);
    await repo.lockViolation(tx, seen.id);
    const v = (await repo.findViolation(tx, seen.id, 'system'))!;
    const d = rules.decideObjection(v.status);
    if (!d.ok) throw refuse(d);
    const kind = rules.objectionKind(input.ground);
    const cal = await loadCalendar(tx);
    const dueAt = cal.deadlineAfterWorkingDays(meta.now, kind === 'exemption' ? rules.DEADLINES.exemption : rules.DEADLINES.objection);
    const oid = await repo.insertObjection(tx, { violationId: v.id, userId: actor.id, kind, ground: input.ground, statement: input.statement, now: meta.now, dueAt, authorityId: v.authority_id });
    await repo.updateViolation(tx, v.id, { status: 'objected', updated_at: meta.now });
    await writeAudit(tx, actor, meta, { action: 'violations.objection_raised', entityType: 'violation', entityId: v.id, authorityId: v.authority_id, before: { status: v.status }, after: { status: 'objected', objectionId: oid, kind, ground: input.ground, dueAt: dueAt.toISOString() } });
    await enqueueMessage(tx, {
      channel: 'sms', recipient: u.phone, template: 'violations.objection_received', authorityId: v.authority_id,
      payload: { reference: v.reference, kind, dueDay: shanghaiDay(new Date(dueAt.getTime() - 1)) }, dedupeKey: `violations-objection:${oid}`,
    }, meta.now);
    return v.id;
  });
  return myViolation(deps.sql, actor.id, id, meta.locale);
}

// ---------------------------------------------------------------------------
// Staff: enter, import, review, clear; objections; the case file
// ---------------------------------------------------------------------------

function staffDto(v: repo.ViolationRow, now: Date) {
  return {
    ...recordDto(v),
    deviceNo: v.device_no, capturedAt: v.captured_at.toISOString(), enteredAt: v.entered_at.toISOString(), importBatch: v.import_batch,
    reviewDueAt: v.review_due_at.toISOString(), reviewOverdue: v.status === 'pending_review' && now >= v.review_due_at,
    reviewedAt: iso(v.reviewed_at), notifyDueAt: iso(v.notify_due_at), notifiedAt: iso(v.notified_at),
    notifyOverdue: v.notify_due_at !== null && v.notified_at === null && now >= v.notify_due_at,
    handledAt: iso(v.handled_at), clearedAt: iso(v.cleared_at), clearedReason: v.cleared_reason,
    ownerNameMasked: v.owner_name ? maskName(v.owner_name) : null,
    ownerPhoneMasked: v.owner_phone ? maskPhone(v.owner_phone) : null,
    ownerIdNumberMasked: v.owner_id_number ? maskIdNumber(v.owner_id_number) : null,
    allowedSteps: rules.staffSteps(v.status),
  };
}

export async function listQueue(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const { rows, total } = await repo.listViolations(deps.sql, await repo.visibleAuthorities(deps.sql, staff.authorityId), q);
  return { total, rows: rows.map((v) => staffDto(v, now)) };
}

async function inScope(db: Db, staff: StaffPrincipal, id: string) {
  const v = await repo.findViolation(db, id, { authorities: await repo.visibleAuthorities(db, staff.authorityId) });
  if (!v) throw new DomainError('violations.not_found');
  return v;
}

/** the electronic case file (电子案卷) — record, photos, decision and payment, objections, SMS and the audit trail. */
export async function caseFile(deps: Deps, staff: StaffPrincipal, id: string, now: Date) {
  const v = await inScope(deps.sql, staff, id);
  const [photos, objections, decision] = await Promise.all([
    repo.photosOf(deps.sql, v.id), repo.objectionsOfViolation(deps.sql, v.id), v.decision_id ? repo.findDecision(deps.sql, v.decision_id) : Promise.resolve(undefined),
  ]);
  const payment = decision ? await paymentOfPayable(deps.sql, PAYABLE_KIND, decision.id) : null;
  const trail = await repo.auditTrail(deps.sql, [v.id, ...(decision ? [decision.id] : []), ...objections.map((o) => o.id)]);
  const sms = await repo.messagesAbout(deps.sql, [`violations-notify:${v.id}`, ...(decision ? [`violations-decision:${decision.id}`, `violations-paid:${decision.id}`, `violations-refunded:${decision.id}`] : []), ...objections.map((o) => `violations-objection:${o.id}`), ...objections.map((o) => `violations-objection-decided:${o.id}`)]);
  return {
    ...staffDto(v, now),
    photos: photos.map((p) => ({ position: p.position, url: `/admin-api/violations/${v.id}/photos/${p.position}` })),
    decision: decision ? {
      id: decision.id, decisionNo: decision.decision_no, status: decision.status, fineFen: decision.fine_fen, points: decision.points, servedAt: decision.served_at.toISOString(),
      paidAt: iso(decision.paid_at), paidFen: decision.paid_fen, lateFeeFen: decision.late_fee_fen, holderNameMasked: maskName(decision.holder_name),
      licenceNoMasked: maskIdNumber(decision.licence_no), nonOwner: decision.non_owner, flagged: decision.flagged, flagReason: decision.flag_reason,
    } : null,
    payment: payment ? { orderId: payment.orderId, status: payment.status, amountFen: payment.amountFen, paidAt: payment.paidAt } : null,
    objections: objections.map(objectionDto(now)),
    messages: sms.filter((m) => m.template.startsWith('violations.')).map((m) => ({ template: m.template, status: m.status, at: m.created_at.toISOString(), recipientMasked: maskPhone(m.recipient) })),
    trail: trail.map((t) => ({ at: t.at.toISOString(), action: t.action, actorKind: t.actor_kind, actor: t.actor_label, before: t.before, after: t.after })),
  };
}

export async function photoForStaff(deps: Deps, staff: StaffPrincipal, id: string, position: number) {
  const v = await inScope(deps.sql, staff, id);
  return photoFile(deps.sql, v.id, position);
}

export type EnterInput = { plateNo: string; occurredAt: string; capturedAt?: string; place: string; actCode: string; act: string; fineFen: number; points: number; deviceNo?: string; photoUploadIds?: string[] };

async function enterOne(tx: Db, staff: StaffPrincipal, actor: StaffActor, row: rules.ImportRow & { photoUploadIds?: string[] }, batch: string | null, meta: RequestMeta, cal: Awaited<ReturnType<typeof loadCalendar>>) {
  const vehicle = await repo.vehicleByPlate(tx, row.plateNo);
  if (!vehicle) return { error: 'violations.vehicle_unknown' as const };
  const reference = rules.violationReference(staff.authorityId, row.capturedAt, await repo.nextViolationSeq(tx));
  // reviewed and entered within five working days of capture
  const reviewDueAt = cal.deadlineAfterWorkingDays(row.capturedAt, rules.DEADLINES.review);
  const id = await repo.insertViolation(tx, {
    reference, source: 'camera', vehicleId: vehicle.id, plateNo: row.plateNo, authorityId: staff.authorityId, occurredAt: row.occurredAt, place: row.place,
    actCode: row.actCode, act: row.act, fineFen: row.fineFen, points: row.points, deviceNo: row.deviceNo || null, capturedAt: row.capturedAt,
    enteredAt: meta.now, enteredBy: staff.id, importBatch: batch, reviewDueAt,
  });
  if (!id) return { error: 'violations.duplicate_record' as const };
  for (const uploadId of row.photoUploadIds ?? []) await usableUpload(tx, { kind: 'staff', id: staff.id }, uploadId, 'violation_photo', 'photoUploadIds');
  await repo.insertPhotos(tx, id, row.photoUploadIds ?? []);
  await writeAudit(tx, actor, meta, {
    action: 'violations.entered', entityType: 'violation', entityId: id, authorityId: staff.authorityId,
    after: { reference, plateNo: row.plateNo, actCode: row.actCode, fineFen: row.fineFen, points: row.points, reviewDueAt: reviewDueAt.toISOString(), importBatch: batch },
  });
  return { id };
}

/** 受理岗 enters one camera record (with its photos). */
export async function enterViolation(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: EnterInput, meta: Meta) {
  const id = await deps.sql.begin(async (tx) => {
    const occurredAt = new Date(input.occurredAt);
    const capturedAt = input.capturedAt ? new Date(input.capturedAt) : occurredAt;
    if (occurredAt > meta.now) throw new DomainError('request.invalid', { fields: { occurredAt: 'validation.range' } });
    if (capturedAt < occurredAt || capturedAt > meta.now) throw new DomainError('request.invalid', { fields: { capturedAt: 'validation.range' } });
    const r = await enterOne(tx, staff, actor, { ...input, occurredAt, capturedAt, deviceNo: input.deviceNo ?? '' }, null, meta, await loadCalendar(tx));
    if ('error' in r) throw new DomainError(r.error!, { field: 'plateNo' });
    return r.id;
  });
  return caseFile(deps, staff, id, meta.now);
}

/** a CSV export of the devices, all rows or none; each problem named by line and column. */
export async function importCsv(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: { csv: string }, meta: Meta) {
  const lines = input.csv.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const header = lines[0]?.split(',').map((c) => c.trim());
  if (!header || rules.IMPORT_COLUMNS.some((c, i) => header[i] !== c)) {
    throw new DomainError('violations.import_invalid', { params: { line: 1, column: rules.IMPORT_COLUMNS.join(','), problem: meta.locale === 'zh-CN' ? '表头应为这些列' : 'the header must name these columns' }, field: 'csv' });
  }
  const batch = `import-${meta.now.getTime()}`;
  const problemText: Record<string, [string, string]> = {
    plate: ['号牌号码格式不正确', 'not a plate number'], instant: ['时间应为 YYYY-MM-DD HH:MM，且不晚于现在', 'a time YYYY-MM-DD HH:MM, not in the future'],
    text: ['应为1至200个字', '1 to 200 characters'], act_code: ['违法代码应为4或5位数字', 'an act code of 4 or 5 digits'],
    amount: ['罚款应为元，最多两位小数', 'a fine in yuan with at most two decimals'], points: ['记分应为0至12', 'points 0 to 12'],
    'violations.vehicle_unknown': ['机动车登记信息中没有该号牌', 'no vehicle with this plate'], 'violations.duplicate_record': ['该记录已录入', 'already entered'],
  };
  const fail = (line: number, column: string, problem: string): never => {
    throw new DomainError('violations.import_invalid', { params: { line, column, problem: problemText[problem]?.[meta.locale === 'zh-CN' ? 0 : 1] ?? problem }, field: 'csv' });
  };
  const created = await deps.sql.begin(async (tx) => {
    const cal = await loadCalendar(tx);
    const ids: string[] = [];
    for (const [i, line] of lines.slice(1).entries()) {
      const parsed = rules.parseImportRow(line.split(','), meta.now);
      if (!parsed.ok) fail(i + 2, parsed.column, parsed.problem);
      const r = await enterOne(tx, staff, actor, (parsed as { row: rules.ImportRow }).row, batch, meta, cal);
      if ('error' in r) fail(i + 2, 'plate_no', r.error!);
      ids.push((r as { id: string }).id);
    }
    await writeAudit(tx, actor, meta, { action: 'violations.imported', entityType: 'violation_import', entityId: batch, authorityId: staff.authorityId, after: { rows: ids.length } });
    return ids;
  });
  return { batch, imported: created.length, ids: created };
}

/**
 * A staff step on a record, in one transaction: lock → check the status → write,
 * audit, SMS.: review → open and the owner is notified (SMS through the
 * outbox, due within five working days of entry); reject (not a valid record);
 * clear (an exemption).
 */
async function step(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, command: 'review' | 'reject' | 'clear', input: { note?: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    await inScope(tx, staff, id);
    await repo.lockViolation(tx, id);
    const v = (await repo.findViolation(tx, id, 'system'))!;
    if (!rules.staffSteps(v.status).includes(command)) throw new DomainError('violations.wrong_status', { params: { status: v.status } });
    const patch: Record<string, unknown> = { updated_at: meta.now };
    if (command === 'review') {
      const cal = await loadCalendar(tx);
      Object.assign(patch, { status: 'open', reviewed_at: meta.now, reviewed_by: staff.id, notify_due_at: cal.deadlineAfterWorkingDays(v.entered_at, rules.DEADLINES.notify), notified_at: v.owner_phone ? meta.now : null });
      if (v.owner_phone) {
        await enqueueMessage(tx, {
          channel: 'sms', recipient: v.owner_phone, template: 'violations.notified', authorityId: v.authority_id,
          payload: { plateNo: v.plate_no, occurredAt: shanghaiDay(v.occurred_at), place: v.place, act: v.act }, dedupeKey: `violations-notify:${v.id}`,
        }, meta.now);
      }
    } else if (command === 'reject') {
      Object.assign(patch, { status: 'rejected', cleared_reason: input.note ?? null });
    } else {
      Object.assign(patch, { status: 'cleared', cleared_at: meta.now, cleared_by: staff.id, cleared_reason: input.note ?? 'exemption' });
    }
    await repo.updateViolation(tx, id, patch);
    await writeAudit(tx, actor, meta, {
      action: `violations.${command === 'review' ? 'reviewed' : command === 'reject' ? 'rejected' : 'cleared'}`, entityType: 'violation', entityId: id, authorityId: v.authority_id,
      before: { status: v.status }, after: { status: patch.status, note: input.note ?? null, notified: command === 'review' ? !!v.owner_phone : undefined },
    });
  });
  return caseFile(deps, staff, id, meta.now);
}

export const reviewViolation = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: Meta) => step(deps, staff, actor, id, 'review', {}, meta);
export const rejectViolation = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note: string }, meta: Meta) => step(deps, staff, actor, id, 'reject', input, meta);
export const clearViolation = (deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note: string }, meta: Meta) => step(deps, staff, actor, id, 'clear', input, meta);

const objectionDto = (now: Date) => (o: repo.ObjectionRow) => ({
  id: o.id, violationId: o.violation_id, reference: o.reference, plateNo: o.plate_no, kind: o.kind, ground: o.ground, statement: o.statement, status: o.status,
  submittedAt: o.submitted_at.toISOString(), dueAt: o.due_at.toISOString(), overdue: o.status === 'pending' && now >= o.due_at,
  decidedAt: iso(o.decided_at), decisionNote: o.decision_note,
  applicantNameMasked: o.applicant_name ? maskName(o.applicant_name) : null, applicantPhoneMasked: o.applicant_phone ? maskPhone(o.applicant_phone) : null,
});

export async function listObjections(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const { rows, total } = await repo.listObjections(deps.sql, await repo.visibleAuthorities(deps.sql, staff.authorityId), q);
  return { total, rows: rows.map(objectionDto(now)) };
}

export async function getObjection(deps: Deps, staff: StaffPrincipal, id: string, now: Date) {
  const o = await repo.findObjection(deps.sql, id, await repo.visibleAuthorities(deps.sql, staff.authorityId));
  if (!o) throw new DomainError('violations.objection_not_found');
  return objectionDto(now)(o);
}

/**
 * 管理岗 decides an objection or exemption. Upheld → the
 * record is cleared; dismissed → it is open again for handling. SMS to the applicant.
 */
export async function decideObjection(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { upheld: boolean; note: string }, meta: Meta) {
  await deps.sql.begin(async (tx) => {
    const authorities = await repo.visibleAuthorities(tx, staff.authorityId);
    const o = await repo.findObjection(tx, id, authorities, true);
    if (!o) throw new DomainError('violations.objection_not_found');
    await repo.lockViolation(tx, o.violation_id);
    if (!(await repo.decideObjection(tx, id, { status: input.upheld ? 'upheld' : 'dismissed', staffId: staff.id, note: input.note, now: meta.now }))) throw new DomainError('violations.objection_decided');
    const v = (await repo.findViolation(tx, o.violation_id, 'system'))!;
    const to = input.upheld ? 'cleared' : 'open';
    if (v.status === 'objected') {
      await repo.updateViolation(tx, v.id, input.upheld
        ? { status: 'cleared', cleared_at: meta.now, cleared_by: staff.id, cleared_reason: `${o.kind}:${o.ground}`, updated_at: meta.now }
        : { status: 'open', updated_at: meta.now });
    }
    await writeAudit(tx, actor, meta, { action: input.upheld ? 'violations.objection_upheld' : 'violations.objection_dismissed', entityType: 'violation_objection', entityId: id, authorityId: o.authority_id, before: { status: 'pending', record: v.status }, after: { status: input.upheld ? 'upheld' : 'dismissed', record: to, note: input.note } });
    if (o.applicant_phone) {
      await enqueueMessage(tx, {
        channel: 'sms', recipient: o.applicant_phone, template: 'violations.objection_decided', authorityId: o.authority_id,
        payload: { reference: o.reference, kind: o.kind, upheld: input.upheld, note: input.note }, dedupeKey: `violations-objection-decided:${id}`,
      }, meta.now);
    }
  });
  return getObjection(deps, staff, id, meta.now);
}

/** The owner's personal data of a record in the staff member's jurisdiction, for a logged reveal (ADR-024). */
export async function revealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const v = await inScope(db, staff, id);
  const [owner] = await db<{ owner_person_id: string | null; owner_organisation_id: string | null }[]>`SELECT owner_person_id, owner_organisation_id FROM vehicle WHERE id = ${v.vehicle_id}`;
  return {
    subject: { personId: owner?.owner_person_id ?? null, organisationId: owner?.owner_organisation_id ?? null },
    fields: { ownerPhone: { kind: 'phone', value: v.owner_phone }, ownerIdNumber: { kind: 'id_number', value: v.owner_id_number } },
  };
}
