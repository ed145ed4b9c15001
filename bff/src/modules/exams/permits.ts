/**
 * 学习驾驶证明 at the counter (X-4.4.1, X-4.4.3, X-4.4.4; ADR-039): 受理岗,
 * the post that accepted the first application, issues the learner permit.
 * Issuing starts the waiting periods before 科目二/三 and the
 * three-year validity; the permit's first rank key is the time the
 * application was accepted.
 */
import type { Db, Sql } from '../../db.ts';
import type { Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import { maskIdNumber } from '../../platform/check-digits.ts';
import * as repo from './repo.ts';
import { decidePermitIssue, mayBookFrom } from './rules.ts';
import { permitKey, type StaffActor } from './service.ts';

const inScope = (staff: StaffPrincipal, authorityId: string, parentOf: string | null) => authorityId === staff.authorityId || parentOf === staff.authorityId;
async function parentOf(db: Db, authorityId: string) {
  const [r] = await db<{ parent_id: string | null }[]>`SELECT parent_id FROM authority WHERE id = ${authorityId}`;
  return r?.parent_id ?? null;
}

export function staffPermitDto(p: repo.StaffPermitRow, today: string) {
  return {
    id: p.id, kind: p.kind, class: p.class, status: p.status, issuedOn: p.issued_on, validUntil: p.valid_until, personName: p.person_name,
    idNumberMasked: maskIdNumber(p.id_number), licenceApplicationId: p.licence_application_id, issuedBy: p.issued_by,
    subject2From: mayBookFrom({ class: p.class, issuedOn: p.issued_on, holdsAutomobileClass: p.holds_automobile_class }, 2),
    subject3From: mayBookFrom({ class: p.class, issuedOn: p.issued_on, holdsAutomobileClass: p.holds_automobile_class }, 3),
    rankKey: { at: permitKey(p).at.toISOString(), kind: permitKey(p).kind }, expired: today > p.valid_until,
  };
}
export type StaffPermitDto = ReturnType<typeof staffPermitDto>;

export async function listPermits(sql: Sql, staff: StaffPrincipal, f: { q?: string }, page: { offset: number; limit: number }, now: Date) {
  const { rows, total } = await repo.staffPermits(sql, { authorityId: staff.authorityId, q: f.q }, page);
  return { rows: rows.map((r) => staffPermitDto(r, shanghaiDay(now))), total };
}

export async function getPermit(db: Db, staff: StaffPrincipal, id: string, now: Date) {
  const { rows } = await repo.staffPermits(db, { authorityId: staff.authorityId, id }, { offset: 0, limit: 1 });
  if (!rows[0]) throw new DomainError('exams.permit_not_found');
  return staffPermitDto(rows[0], shanghaiDay(now));
}

/**
 * 受理岗 issues the permit for an accepted first application of her
 * city. The application row is locked, and the partial unique indexes (one
 * permit per application, one active per person and class) answer a second
 * issue — here or in another process — with `exams.permit_exists`.
 */
export async function issuePermit(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: { licenceApplicationId: string }, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const la = await repo.firstApplication(tx, input.licenceApplicationId, true);
    if (!la || !inScope(staff, la.authority_id, await parentOf(tx, la.authority_id))) throw new DomainError('exams.licence_application_not_found', { field: 'licenceApplicationId' });
    if (la.permit_id) throw new DomainError('exams.permit_exists', { field: 'licenceApplicationId' });
    const today = shanghaiDay(meta.now);
    const d = decidePermitIssue(la, today);
    if (!d.ok) throw refuse(d, 'licenceApplicationId');
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO learner_permit (person_id, kind, licence_application_id, class, authority_id, issued_on, valid_until, accepted_at, issued_by, updated_at)
      VALUES (${la.person_id}, 'first_licence', ${la.id}, ${d.class}, ${la.authority_id}, ${d.issuedOn}, ${d.validUntil}, ${la.accepted_at}, ${actor.id}, ${meta.now})
      RETURNING id`;
    const dto = await getPermit(tx, staff, row!.id, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'exams.permit_issued', entityType: 'learner_permit', entityId: row!.id, authorityId: la.authority_id,
      after: { licenceApplicationId: la.id, class: d.class, issuedOn: d.issuedOn, validUntil: d.validUntil, subject2From: dto.subject2From, subject3From: dto.subject3From },
    });
    await enqueueMessage(tx, {
      channel: 'sms', recipient: la.phone, template: 'exams.permit_issued', authorityId: la.authority_id, dedupeKey: `exams.permit_issued:${row!.id}`,
      payload: { class: d.class, issuedOn: d.issuedOn, validUntil: d.validUntil, subject2From: dto.subject2From },
    }, meta.now);
    return dto;
  });
}
