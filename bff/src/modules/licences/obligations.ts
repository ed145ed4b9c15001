/**
 * 提交身体条件证明 — the obligations of 70+ and disability-vehicle holders
 * the cancellation of a 70+ licence left without a certificate a
 * year after its cycle ended and its restoration, and the citizen's
 * own 体检 report. The sweep is a durable daily job that runs with
 * the worker's (injected) clock and queues its successor.
 */
import type { Db, TransactionSql } from '../../db.ts';
import type { Actor, Deps, RequestMeta } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { addCalendarMonths, addDays, shanghaiDay, startOfShanghaiDay } from '../../platform/calendar.ts';
import { certificatesIssuedBetween, insertHealthCertificate, type HealthCertificatePurpose } from '../medical/certificates.ts';
import { usableUpload } from '../../platform/uploads/service.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';
import { activeUser, LICENCE_JOBS, type Meta, type UserActor } from './service.ts';

const systemActor: Actor = { kind: 'system', label: 'licences' };

/** The sweep runs each day at 01:00 Asia/Shanghai. */
export function nextSweepAt(today: string): Date {
  return new Date(startOfShanghaiDay(addDays(today, 1)).getTime() + 3600_000);
}

export async function scheduleSweep(tx: Db, runAt: Date, now: Date) {
  await enqueueJob(tx, { kind: LICENCE_JOBS.obligationsSweep, runAt, dedupeKey: 'daily' }, now);
}

async function answered(tx: Db, personId: string, purposes: HealthCertificatePurpose[], from: string, to: string) {
  return (await certificatesIssuedBetween(tx, { personId, purposes, from, to })).some((c) => c.conclusion === 'fit');
}

/**
 * Job: the daily sweep. For each licence whose holder may
 * owe a certificate: the reminder of the day (SMS, once per cycle and kind by
 * its dedupe key), or the cancellation (audited, SMS); then every open
 * cancellation is restored if a certificate came while restoration is
 * possible. Queues the next day's run.
 */
export async function runSweep(tx: TransactionSql, now: Date) {
  const today = shanghaiDay(now);
  const meta: RequestMeta = { requestId: `job:${LICENCE_JOBS.obligationsSweep}:${today}`, ip: 'system', now };
  for (const l of await repo.obligationCandidates(tx, today)) {
    const holder = { birthDate: l.birth_date, classes: l.classes, firstIssuedOn: l.first_issued_on };
    const latest = rules.latestCycleEnd(l.first_issued_on, today);
    if (!latest) continue;
    const prev = rules.latestCycleEnd(l.first_issued_on, addDays(latest, -1)); // the cycle end before the latest
    const latestPurpose = rules.obligationAt(holder, latest);
    const deferral = await repo.acceptedDeferral(tx, l.id, 'health_certificate');
    const facts: rules.SweepFacts = {
      holder,
      status: l.status,
      answeredLatest: latestPurpose ? await answered(tx, l.person_id, rules.purposesAnswering(latestPurpose), latest, addDays(today, 1)) : true,
      answeredPrevious: prev ? await answered(tx, l.person_id, rules.purposesAnswering('age_70_yearly'), prev, rules.cancellationDay(prev)) : true,
      deferredUntil: deferral?.deferred_until ?? null,
    };
    const action = rules.sweepDecision(facts, today);
    if (action.kind === 'remind') {
      await enqueueMessage(tx, {
        channel: 'sms', recipient: l.phone, template: action.which === 'opened' ? 'licences.obligation_opened' : 'licences.obligation_closing', authorityId: l.issuing_authority_id,
        payload: { lastDay: action.lastDay, purpose: action.purpose }, dedupeKey: `licence-obligation:${l.id}:${action.cycleEnd}:${action.which}`,
      }, now);
    } else if (action.kind === 'cancel') {
      await repo.lockLicence(tx, l.id);
      const fresh = (await repo.licenceById(tx, l.id))!;
      if (fresh.status === 'cancelled' || fresh.status === 'revoked') continue;
      if (!(await repo.insertCancellation(tx, { licenceId: l.id, cycleEnd: action.cycleEnd, statusBefore: fresh.status, at: now }))) continue;
      await repo.updateLicence(tx, l.id, { status: 'cancelled' });
      await writeAudit(tx, systemActor, meta, {
        action: 'licences.cancelled_no_certificate', entityType: 'driving_licence', entityId: l.id, authorityId: l.issuing_authority_id,
        before: { status: fresh.status }, after: { status: 'cancelled', cycleEnd: action.cycleEnd, reason: 'X-4.3.3 no health certificate within a year after the scoring cycle' },
      });
      await enqueueMessage(tx, {
        channel: 'sms', recipient: l.phone, template: 'licences.cancelled_no_certificate', authorityId: l.issuing_authority_id,
        payload: { licenceNo: l.licence_no.slice(0, 6) + '********' + l.licence_no.slice(-4) }, dedupeKey: `licence-cancelled:${l.id}:${action.cycleEnd}`,
      }, now);
    }
  }
  for (const c of await repo.openCancellations(tx)) {
    await restoreIfAnswered(tx, c, systemActor, meta);
  }
  await scheduleSweep(tx, nextSweepAt(today), now);
}

/** restores a cancelled licence when a fit certificate came after the cancellation while restoration is possible. Null if not. */
async function restoreIfAnswered(tx: Db, c: repo.CancellationRow, actor: Actor, meta: RequestMeta): Promise<string | null> {
  const today = shanghaiDay(meta.now);
  await repo.lockLicence(tx, c.licence_id);
  const l = (await repo.licenceById(tx, c.licence_id))!;
  if (!rules.decideRestore(l.valid_until, today).ok) return null;
  // submitted since the cancellation, and still within its six months
  const certs = await certificatesIssuedBetween(tx, { personId: l.person_id, purposes: ['age_70_yearly', 'renewal'], from: addDays(addCalendarMonths(today, -6), 1), to: addDays(today, 1) });
  const cert = certs.filter((x) => x.conclusion === 'fit' && Date.parse(x.createdAt) >= c.cancelled_at.getTime()).at(-1);
  if (!cert) return null;
  await repo.markRestored(tx, c.id, meta.now, cert.id);
  await repo.updateLicence(tx, l.id, { status: c.status_before });
  await writeAudit(tx, actor, meta, {
    action: 'licences.restored', entityType: 'driving_licence', entityId: l.id, authorityId: l.issuing_authority_id,
    before: { status: l.status }, after: { status: c.status_before, certificateId: cert.id },
  });
  await enqueueMessage(tx, {
    channel: 'sms', recipient: l.phone, template: 'licences.restored', authorityId: l.issuing_authority_id,
    payload: { licenceNo: l.licence_no.slice(0, 6) + '********' + l.licence_no.slice(-4) }, dedupeKey: `licence-restored:${c.id}`,
  }, meta.now);
  return cert.id;
}

export type HealthReportInput = { uploadId: string; issuedOn: string; purpose: HealthCertificatePurpose; conclusion: 'fit' | 'unfit' };

/**
 * a citizen uploads his own 体检 report for his own bound licence
 * (recorded by the medical module, source 'self'); a licence cancelled under
 * is restored at once when restoration is still possible.
 */
export async function submitHealthReport(deps: Deps, actor: UserActor, licenceId: string, input: HealthReportInput, meta: Meta) {
  return deps.sql.begin(async (tx) => {
    const u = await activeUser(tx, actor.id);
    const [l] = await repo.boundLicences(tx, actor.id, licenceId);
    if (!l || l.binding !== 'own' || l.person_id !== u.person_id) throw new DomainError('licences.licence_not_found');
    await usableUpload(tx, { kind: 'user', id: actor.id }, input.uploadId, 'health_report', 'uploadId');
    const cert = await insertHealthCertificate(tx, actor, meta, {
      personId: l.person_id, licenceId: l.id, issuerOrganisationId: null, source: 'self', purpose: input.purpose,
      issuedOn: input.issuedOn, conclusion: input.conclusion, uploadId: input.uploadId,
    });
    const c = await repo.openCancellation(tx, l.id);
    const restored = c ? await restoreIfAnswered(tx, c, actor, meta) : null;
    return { certificate: { id: cert.id, source: cert.source, purpose: cert.purpose, issuedOn: cert.issuedOn, validUntil: cert.validUntil, conclusion: cert.conclusion }, restored: restored !== null };
  });
}

/** the citizen asks for restoration with a certificate already on file (a hospital's, after the cancellation). */
export async function restoreLicence(deps: Deps, actor: UserActor, licenceId: string, meta: Meta) {
  return deps.sql.begin(async (tx) => {
    const [l] = await repo.boundLicences(tx, actor.id, licenceId);
    if (!l || l.binding !== 'own') throw new DomainError('licences.licence_not_found');
    const c = await repo.openCancellation(tx, l.id);
    if (!c) throw new DomainError('licences.nothing_to_restore');
    const may = rules.decideRestore(l.valid_until, shanghaiDay(meta.now));
    if (!may.ok) throw refuse(may);
    const restored = await restoreIfAnswered(tx, c, actor, meta);
    if (!restored) throw new DomainError('licences.no_certificate_for_restore');
    return { restored: true };
  });
}
