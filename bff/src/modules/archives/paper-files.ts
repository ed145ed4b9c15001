/**
 * Paper files (X-6.2, R-12.3, R-13.3; ADR-037): 档案岗 checks a case's file in
 * against its checklist, binds it and shelves it (room / cabinet / shelf /
 * box); every move, loan, return and transfer is an event; overdue loans are
 * a query with the injected clock; returned certificates are destroyed,
 * or their case gets 恢复证芯 / 退办 (R-29.2). The account counter's 档案岗
 * step (accounts, R-12.3) is completed by the check-in of its file.
 */
import QRCode from 'qrcode';
import type { Db, Sql } from '../../db.ts';
import type { Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { visibleAuthorities } from '../../platform/authorities.ts';
import { loadCalendar } from '../../platform/calendar-store.ts';
import { shanghaiDay, startOfShanghaiDay, addDays } from '../../platform/calendar.ts';
import { masked } from '../../platform/personal-data.ts';
import * as counterRepo from '../accounts/counter.repo.ts';
import { checkCertificateAction, checkChecklist, checkDueBackDay, DEFAULT_LOAN_WORKING_DAYS, isOverdue, locationText, paperFileNo, requiredDocuments } from './rules.ts';
import type { StaffActor } from './service.ts';

type Location = { room: string; cabinet: string; shelf: string; box: string };

type FileRow = {
  id: string; file_no: string; authority_id: string; authority_name: string; business_type: string; case_ref: string; archive_record_id: string | null;
  person_id: string | null; person_id_number: string | null; plate_no: string | null; user_account_id: string | null;
  required_documents: string[]; checked_documents: string[]; bound: boolean; status: 'on_shelf' | 'on_loan' | 'in_transfer';
  room: string; cabinet: string; shelf: string; box: string; checked_in_by_name: string | null; checked_in_at: Date; updated_at: Date;
  loan_id: string | null; borrower_name: string | null; lent_at: Date | null; due_back: Date | null;
};

const fileSelect = (db: Db) => db`
  SELECT f.id, f.file_no, f.authority_id, au.name AS authority_name, f.business_type, f.case_ref, f.archive_record_id, f.person_id, p.id_number AS person_id_number,
         f.plate_no, f.user_account_id, f.required_documents, f.checked_documents, f.bound, f.status, f.room, f.cabinet, f.shelf, f.box,
         s.display_name AS checked_in_by_name, f.checked_in_at, f.updated_at,
         l.id AS loan_id, b.display_name AS borrower_name, l.lent_at, l.due_back
  FROM paper_file f JOIN authority au ON au.id = f.authority_id LEFT JOIN person p ON p.id = f.person_id
  LEFT JOIN staff_member s ON s.id = f.checked_in_by
  LEFT JOIN paper_file_loan l ON l.paper_file_id = f.id AND l.returned_at IS NULL
  LEFT JOIN staff_member b ON b.id = l.borrower_id`;

function fileDto(f: FileRow, now: Date) {
  return {
    id: f.id, fileNo: f.file_no, authorityId: f.authority_id, authorityName: f.authority_name, businessType: f.business_type, caseRef: f.case_ref,
    archiveRecordId: f.archive_record_id, personIdNumberMasked: masked('id_number', f.person_id_number), plateNo: f.plate_no,
    requiredDocuments: f.required_documents, checkedDocuments: f.checked_documents, bound: f.bound, status: f.status,
    room: f.room, cabinet: f.cabinet, shelf: f.shelf, box: f.box, location: locationText(f),
    checkedInBy: f.checked_in_by_name, checkedInAt: f.checked_in_at.toISOString(), updatedAt: f.updated_at.toISOString(),
    loan: f.loan_id ? { id: f.loan_id, borrower: f.borrower_name, lentAt: f.lent_at!.toISOString(), dueBack: f.due_back!.toISOString(), overdue: isOverdue({ due_back: f.due_back!, returned_at: null }, now) } : null,
  };
}

const SORTS: Record<string, string> = { checkedInAt: 'f.checked_in_at', fileNo: 'f.file_no', caseRef: 'f.case_ref', status: 'f.status', dueBack: 'l.due_back', id: 'f.id' };
export const PAPER_FILE_SORTS = Object.keys(SORTS);

export async function listFiles(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const authorities = await visibleAuthorities(deps.sql, staff.authorityId);
  const text = filterString(q.filter, 'q');
  const status = filterString(q.filter, 'status');
  const overdue = filterString(q.filter, 'overdue') === 'true';
  const db = deps.sql;
  const where = db`f.authority_id = ANY(${authorities})
    ${text ? db`AND (f.file_no = ${text.toUpperCase()} OR f.case_ref = ${text} OR f.plate_no = ${text})` : db``}
    ${status ? db`AND f.status = ${status}` : db``}
    ${overdue ? db`AND l.due_back < ${now}` : db``}`;
  const order = db.unsafe(`${SORTS[q.sortField] ?? 'f.checked_in_at'} ${q.sortDesc ? 'DESC' : 'ASC'} NULLS LAST, f.id`);
  const rows = await db<FileRow[]>`${fileSelect(db)} WHERE ${where} ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`;
  const [{ total }] = (await db<{ total: number }[]>`
    SELECT count(*)::int AS total FROM paper_file f LEFT JOIN paper_file_loan l ON l.paper_file_id = f.id AND l.returned_at IS NULL WHERE ${where}`) as unknown as [{ total: number }];
  return { rows: rows.map((r) => fileDto(r, now)), total };
}

async function findFile(db: Db, id: string, authorities: string[], lock = false) {
  const [row] = await db<FileRow[]>`${fileSelect(db)} WHERE f.id = ${id} AND f.authority_id = ANY(${authorities}) ${lock ? db`FOR UPDATE OF f` : db``}`;
  return row;
}

/** The file, where it is, who has it since when, and its whole history. */
export async function getFile(sql: Sql, staff: StaffPrincipal, id: string, now: Date) {
  const f = await findFile(sql, id, await visibleAuthorities(sql, staff.authorityId));
  if (!f) throw new DomainError('archives.paper_file_not_found');
  const events = await sql<{ id: number; kind: string; at: Date; staff_name: string; counterpart_name: string | null; reason: string; due_back: Date | null; detail: Record<string, unknown>; authority_name: string }[]>`
    SELECT e.id, e.kind, e.at, s.display_name AS staff_name, c.display_name AS counterpart_name, e.reason, e.due_back, e.detail, au.name AS authority_name
    FROM paper_file_event e JOIN staff_member s ON s.id = e.staff_id LEFT JOIN staff_member c ON c.id = e.counterpart_id JOIN authority au ON au.id = e.authority_id
    WHERE e.paper_file_id = ${id} ORDER BY e.at, e.id`;
  return {
    ...fileDto(f, now),
    events: events.map((e) => ({ id: String(e.id), kind: e.kind, at: e.at.toISOString(), by: e.staff_name, counterpart: e.counterpart_name, reason: e.reason, dueBack: e.due_back?.toISOString() ?? null, detail: e.detail, city: e.authority_name })),
  };
}

async function event(tx: Db, e: { fileId: string | null; authorityId: string; kind: string; staffId: string; counterpartId?: string | null; reason?: string; dueBack?: Date | null; detail?: Record<string, unknown>; now: Date }) {
  await tx`
    INSERT INTO paper_file_event (paper_file_id, authority_id, kind, at, staff_id, counterpart_id, reason, due_back, detail)
    VALUES (${e.fileId}, ${e.authorityId}, ${e.kind}, ${e.now}, ${e.staffId}, ${e.counterpartId ?? null}, ${e.reason ?? ''}, ${e.dueBack ?? null}, ${tx.json((e.detail ?? {}) as Parameters<Db['json']>[0])})`;
}

export type CheckInInput = Location & { businessType: string; caseRef: string; checkedDocuments: string[]; bound: boolean; note?: string };

/**
 * R-12.3 / R-13.3 / X-6.2: reconcile with the system (the case must be in this
 * city's electronic archive), check the documents against the business's
 * checklist, bind, shelve. An account registration's 档案岗 step is done with it.
 */
export async function checkIn(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: CheckInInput, meta: RequestMeta) {
  const id = await deps.sql.begin(async (tx) => {
    const authorities = await visibleAuthorities(tx, staff.authorityId);
    const [rec] = await tx<{ id: string; authority_id: string; person_id: string | null; organisation_id: string | null; user_account_id: string | null; plate_no: string | null; subject: string | null }[]>`
      SELECT id, authority_id, person_id, organisation_id, user_account_id, plate_no, content->'data'->>'subject' AS subject FROM archive_record
      WHERE business_type = ${input.businessType} AND case_ref = ${input.caseRef} AND authority_id = ANY(${authorities}) AND status = 'kept'
      ORDER BY version DESC LIMIT 1`;
    if (!rec) throw new DomainError('archives.case_not_archived', { field: 'caseRef' });
    const required = [...requiredDocuments(input.businessType, rec.subject)];
    const checked = [...new Set(input.checkedDocuments)].filter((d) => required.includes(d));
    const c = checkChecklist(required, checked);
    if (!c.ok) throw refuse(c, 'checkedDocuments');
    const [{ seq }] = (await tx<{ seq: number }[]>`SELECT nextval('paper_file_no_seq')::int AS seq`) as unknown as [{ seq: number }];
    const fileNo = paperFileNo(rec.authority_id, shanghaiDay(meta.now).slice(0, 4), seq);
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO paper_file (file_no, authority_id, business_type, case_ref, archive_record_id, person_id, organisation_id, user_account_id, plate_no,
                              required_documents, checked_documents, bound, room, cabinet, shelf, box, checked_in_by, checked_in_at, updated_at)
      VALUES (${fileNo}, ${rec.authority_id}, ${input.businessType}, ${input.caseRef}, ${rec.id}, ${rec.person_id}, ${rec.organisation_id}, ${rec.user_account_id}, ${rec.plate_no},
              ${required}, ${checked}, ${input.bound}, ${input.room}, ${input.cabinet}, ${input.shelf}, ${input.box}, ${staff.id}, ${meta.now}, ${meta.now})
      RETURNING id`;
    const fileId = row!.id;
    await event(tx, { fileId, authorityId: rec.authority_id, kind: 'checked_in', staffId: staff.id, reason: input.note ?? '', detail: { documents: checked, location: locationText(input) }, now: meta.now });
    if (input.bound) await event(tx, { fileId, authorityId: rec.authority_id, kind: 'bound', staffId: staff.id, now: meta.now });
    // R-12.3 at the account counter: its 档案岗 queue entry is filed with this place.
    if (input.businessType === 'account_registration') {
      const [acc] = await tx<{ id: string; status: string }[]>`
        SELECT r.id, r.status FROM account_archive r JOIN account_application a ON a.id = r.application_id
        WHERE a.reference = ${input.caseRef} AND r.authority_id = ANY(${authorities}) FOR UPDATE OF r`;
      if (acc && acc.status === 'pending') {
        await counterRepo.archiveFile(tx, acc.id, { checked, fileLocation: `${fileNo} ${locationText(input)}`, note: input.note ?? '', staffId: staff.id, archive: true }, meta.now);
      }
    }
    await writeAudit(tx, actor, meta, {
      action: 'archives.paper_file_checked_in', entityType: 'paper_file', entityId: fileId, authorityId: rec.authority_id,
      after: { fileNo, businessType: input.businessType, caseRef: input.caseRef, documents: checked, bound: input.bound, location: locationText(input) },
    });
    return fileId;
  });
  return getFile(deps.sql, staff, id, meta.now);
}

/** Runs one change of a file in the member's scope, locked; audited by `action`. */
async function withFile(deps: Deps, staff: StaffPrincipal, id: string, f: (tx: Db, file: FileRow, authorities: string[]) => Promise<void>) {
  await deps.sql.begin(async (tx) => {
    const authorities = await visibleAuthorities(tx, staff.authorityId);
    const file = await findFile(tx, id, authorities, true);
    if (!file) throw new DomainError('archives.paper_file_not_found');
    await f(tx, file, authorities);
  });
}

export async function bindFile(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: RequestMeta) {
  await withFile(deps, staff, id, async (tx, file) => {
    if (file.bound) return;
    await tx`UPDATE paper_file SET bound = true, updated_at = ${meta.now} WHERE id = ${id}`;
    await event(tx, { fileId: id, authorityId: file.authority_id, kind: 'bound', staffId: staff.id, now: meta.now });
    await writeAudit(tx, actor, meta, { action: 'archives.paper_file_bound', entityType: 'paper_file', entityId: id, authorityId: file.authority_id, before: { bound: false }, after: { bound: true } });
  });
  return getFile(deps.sql, staff, id, meta.now);
}

export async function moveFile(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: Location & { reason: string }, meta: RequestMeta) {
  await withFile(deps, staff, id, async (tx, file) => {
    if (file.status !== 'on_shelf') throw new DomainError('archives.not_on_shelf', { params: { status: file.status } });
    await tx`UPDATE paper_file SET room = ${input.room}, cabinet = ${input.cabinet}, shelf = ${input.shelf}, box = ${input.box}, updated_at = ${meta.now} WHERE id = ${id}`;
    await event(tx, { fileId: id, authorityId: file.authority_id, kind: 'moved', staffId: staff.id, reason: input.reason, detail: { from: locationText(file), to: locationText(input) }, now: meta.now });
    await accountArchivePlace(tx, file, `${file.file_no} ${locationText(input)}`, meta.now);
    await writeAudit(tx, actor, meta, { action: 'archives.paper_file_moved', entityType: 'paper_file', entityId: id, authorityId: file.authority_id, before: { location: locationText(file) }, after: { location: locationText(input), reason: input.reason } });
  });
  return getFile(deps.sql, staff, id, meta.now);
}

/** The account counter's archive entry follows the file's place (accounts, R-12.3). */
async function accountArchivePlace(tx: Db, file: FileRow, place: string, now: Date) {
  if (file.business_type !== 'account_registration') return;
  const [acc] = await tx<{ id: string; checked_documents: string[]; note: string }[]>`
    SELECT r.id, r.checked_documents, r.note FROM account_archive r JOIN account_application a ON a.id = r.application_id WHERE a.reference = ${file.case_ref} AND r.status = 'archived'`;
  if (acc) await counterRepo.archiveFile(tx, acc.id, { checked: acc.checked_documents, fileLocation: place, note: acc.note, staffId: null, archive: false }, now);
}

/** Staff of the member's city who may borrow a file (any post). */
export async function borrowers(sql: Sql, staff: StaffPrincipal) {
  const rows = await sql<{ id: string; display_name: string; username: string; roles: string[] }[]>`
    SELECT id, display_name, username, roles FROM staff_member WHERE authority_id = ${staff.authorityId} AND status = 'active' ORDER BY username`;
  return rows.map((r) => ({ id: r.id, name: r.display_name, username: r.username, roles: r.roles }));
}

/** X-6.3 lending log: who took it, why, when it is due back. One open loan per file (the database's partial unique index). */
export async function lendFile(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { borrowerId: string; reason: string; dueBack?: string }, meta: RequestMeta) {
  await withFile(deps, staff, id, async (tx, file) => {
    if (file.status !== 'on_shelf') throw new DomainError('archives.not_on_shelf', { params: { status: file.status } });
    const [b] = await tx<{ id: string }[]>`SELECT id FROM staff_member WHERE id = ${input.borrowerId} AND authority_id = ${file.authority_id} AND status = 'active'`;
    if (!b) throw new DomainError('archives.borrower_not_found', { field: 'borrowerId' });
    const today = shanghaiDay(meta.now);
    let dueBack: Date;
    if (input.dueBack) {
      const d = checkDueBackDay(today, input.dueBack);
      if (!d.ok) throw refuse(d, 'dueBack');
      dueBack = startOfShanghaiDay(addDays(input.dueBack, 1));
    } else {
      dueBack = (await loadCalendar(tx)).deadlineAfterWorkingDays(meta.now, DEFAULT_LOAN_WORKING_DAYS);
    }
    const moved = await tx`UPDATE paper_file SET status = 'on_loan', updated_at = ${meta.now} WHERE id = ${id} AND status = 'on_shelf' RETURNING id`;
    if (moved.length === 0) throw new DomainError('archives.not_on_shelf', { params: { status: 'on_loan' } });
    await tx`
      INSERT INTO paper_file_loan (paper_file_id, authority_id, borrower_id, reason, lent_by, lent_at, due_back)
      VALUES (${id}, ${file.authority_id}, ${input.borrowerId}, ${input.reason}, ${staff.id}, ${meta.now}, ${dueBack})`;
    await event(tx, { fileId: id, authorityId: file.authority_id, kind: 'lent', staffId: staff.id, counterpartId: input.borrowerId, reason: input.reason, dueBack, now: meta.now });
    await writeAudit(tx, actor, meta, { action: 'archives.paper_file_lent', entityType: 'paper_file', entityId: id, authorityId: file.authority_id, before: { status: 'on_shelf' }, after: { status: 'on_loan', borrowerId: input.borrowerId, reason: input.reason, dueBack: dueBack.toISOString() } });
  });
  return getFile(deps.sql, staff, id, meta.now);
}

export async function returnFile(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { note?: string }, meta: RequestMeta) {
  await withFile(deps, staff, id, async (tx, file) => {
    if (file.status !== 'on_loan' || !file.loan_id) throw new DomainError('archives.not_on_loan');
    const [loan] = await tx<{ id: string; borrower_id: string; due_back: Date }[]>`
      UPDATE paper_file_loan SET returned_at = ${meta.now}, returned_to = ${staff.id} WHERE id = ${file.loan_id} AND returned_at IS NULL RETURNING id, borrower_id, due_back`;
    if (!loan) throw new DomainError('archives.not_on_loan');
    await tx`UPDATE paper_file SET status = 'on_shelf', updated_at = ${meta.now} WHERE id = ${id}`;
    const late = loan.due_back.getTime() < meta.now.getTime();
    await event(tx, { fileId: id, authorityId: file.authority_id, kind: 'returned', staffId: staff.id, counterpartId: loan.borrower_id, reason: input.note ?? '', detail: { late }, now: meta.now });
    await writeAudit(tx, actor, meta, { action: 'archives.paper_file_returned', entityType: 'paper_file', entityId: id, authorityId: file.authority_id, before: { status: 'on_loan' }, after: { status: 'on_shelf', late } });
  });
  return getFile(deps.sql, staff, id, meta.now);
}

// ---------------------------------------------------------------------------
// Transfers between cities, both sides confirming (ADR-037)
// ---------------------------------------------------------------------------

type TransferRow = { id: string; person_id: string | null; person_id_number: string | null; from_authority_id: string; from_name: string; to_authority_id: string; to_name: string; status: 'sent' | 'received' | 'refused'; reason: string; sent_by_name: string; sent_at: Date; decided_by_name: string | null; decided_at: Date | null; files: string[] };
const transferSelect = (db: Db) => db`
  SELECT t.id, t.person_id, p.id_number AS person_id_number, t.from_authority_id, fa.name AS from_name, t.to_authority_id, ta.name AS to_name, t.status, t.reason,
         s.display_name AS sent_by_name, t.sent_at, d.display_name AS decided_by_name, t.decided_at,
         ARRAY(SELECT f.file_no FROM paper_file_transfer_item i JOIN paper_file f ON f.id = i.paper_file_id WHERE i.transfer_id = t.id ORDER BY f.file_no) AS files
  FROM paper_file_transfer t JOIN authority fa ON fa.id = t.from_authority_id JOIN authority ta ON ta.id = t.to_authority_id
  LEFT JOIN person p ON p.id = t.person_id JOIN staff_member s ON s.id = t.sent_by LEFT JOIN staff_member d ON d.id = t.decided_by`;
const transferDto = (t: TransferRow, staff: StaffPrincipal) => ({
  id: t.id, canReceive: t.status === 'sent' && t.to_authority_id === staff.authorityId, personIdNumberMasked: masked('id_number', t.person_id_number), fromAuthorityId: t.from_authority_id, fromName: t.from_name, toAuthorityId: t.to_authority_id, toName: t.to_name,
  status: t.status, reason: t.reason, sentBy: t.sent_by_name, sentAt: t.sent_at.toISOString(), decidedBy: t.decided_by_name, decidedAt: t.decided_at?.toISOString() ?? null, files: t.files,
});

export async function listTransfers(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const a = await visibleAuthorities(deps.sql, staff.authorityId);
  const db = deps.sql;
  const status = filterString(q.filter, 'status');
  const where = db`(t.from_authority_id = ANY(${a}) OR t.to_authority_id = ANY(${a})) ${status ? db`AND t.status = ${status}` : db``}`;
  const rows = await db<TransferRow[]>`${transferSelect(db)} WHERE ${where} ORDER BY t.sent_at DESC, t.id LIMIT ${q.limit} OFFSET ${q.offset}`;
  const [{ total }] = (await db<{ total: number }[]>`SELECT count(*)::int AS total FROM paper_file_transfer t WHERE ${where}`) as unknown as [{ total: number }];
  return { rows: rows.map((t) => transferDto(t, staff)), total };
}

export async function getTransfer(sql: Sql, staff: StaffPrincipal, id: string) {
  const a = await visibleAuthorities(sql, staff.authorityId);
  const [t] = await sql<TransferRow[]>`${transferSelect(sql)} WHERE t.id = ${id} AND (t.from_authority_id = ANY(${a}) OR t.to_authority_id = ANY(${a}))`;
  if (!t) throw new DomainError('archives.transfer_not_found');
  return transferDto(t, staff);
}

/** The sending city's 档案岗 sends every shelved file of a person (the vehicle moves, X-6.3) to another city. */
export async function sendTransfer(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: { idNumber: string; toAuthorityId: string; reason: string }, meta: RequestMeta) {
  const id = await deps.sql.begin(async (tx) => {
    if (input.toAuthorityId === staff.authorityId) throw new DomainError('archives.transfer_same_city', { field: 'toAuthorityId' });
    const [to] = await tx<{ id: string }[]>`SELECT id FROM authority WHERE id = ${input.toAuthorityId} AND level = 'city'`;
    if (!to) throw new DomainError('archives.transfer_same_city', { field: 'toAuthorityId' });
    const files = await tx<{ id: string; person_id: string }[]>`
      SELECT f.id, f.person_id FROM paper_file f JOIN person p ON p.id = f.person_id
      WHERE p.id_number = ${input.idNumber.toUpperCase()} AND f.authority_id = ${staff.authorityId} AND f.status = 'on_shelf' ORDER BY f.file_no FOR UPDATE OF f`;
    if (files.length === 0) throw new DomainError('archives.transfer_nothing', { field: 'idNumber' });
    const [t] = await tx<{ id: string }[]>`
      INSERT INTO paper_file_transfer (person_id, from_authority_id, to_authority_id, reason, sent_by, sent_at)
      VALUES (${files[0]!.person_id}, ${staff.authorityId}, ${input.toAuthorityId}, ${input.reason}, ${staff.id}, ${meta.now}) RETURNING id`;
    for (const f of files) {
      await tx`INSERT INTO paper_file_transfer_item (transfer_id, paper_file_id) VALUES (${t!.id}, ${f.id})`;
      await tx`UPDATE paper_file SET status = 'in_transfer', updated_at = ${meta.now} WHERE id = ${f.id}`;
      await event(tx, { fileId: f.id, authorityId: staff.authorityId, kind: 'transfer_sent', staffId: staff.id, reason: input.reason, detail: { transferId: t!.id, to: input.toAuthorityId }, now: meta.now });
    }
    await writeAudit(tx, actor, meta, { action: 'archives.transfer_sent', entityType: 'paper_file_transfer', entityId: t!.id, authorityId: staff.authorityId, after: { to: input.toAuthorityId, files: files.length, reason: input.reason } });
    return t!.id;
  });
  return getTransfer(deps.sql, staff, id);
}

/** The receiving city's 档案岗 confirms receipt (files now its own, shelved at the given place) or refuses (files back on the sender's shelf). */
export async function decideTransfer(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, input: { decision: 'received' | 'refused'; reason: string } & Partial<Location>, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const [t] = await tx<{ id: string; status: string; from_authority_id: string; to_authority_id: string }[]>`SELECT id, status, from_authority_id, to_authority_id FROM paper_file_transfer WHERE id = ${id} FOR UPDATE`;
    if (!t || t.to_authority_id !== staff.authorityId) throw new DomainError('archives.transfer_not_receiver');
    if (t.status !== 'sent') throw new DomainError('archives.transfer_decided');
    await tx`UPDATE paper_file_transfer SET status = ${input.decision}, decided_by = ${staff.id}, decided_at = ${meta.now} WHERE id = ${id}`;
    const files = await tx<{ id: string }[]>`SELECT paper_file_id AS id FROM paper_file_transfer_item WHERE transfer_id = ${id}`;
    for (const f of files) {
      if (input.decision === 'received') {
        await tx`UPDATE paper_file SET authority_id = ${t.to_authority_id}, status = 'on_shelf', room = ${input.room!}, cabinet = ${input.cabinet!}, shelf = ${input.shelf!}, box = ${input.box!}, updated_at = ${meta.now} WHERE id = ${f.id}`;
      } else {
        await tx`UPDATE paper_file SET status = 'on_shelf', updated_at = ${meta.now} WHERE id = ${f.id}`;
      }
      await event(tx, { fileId: f.id, authorityId: staff.authorityId, kind: input.decision === 'received' ? 'transfer_received' : 'transfer_refused', staffId: staff.id, reason: input.reason, detail: { transferId: id, from: t.from_authority_id }, now: meta.now });
    }
    await writeAudit(tx, actor, meta, { action: `archives.transfer_${input.decision}`, entityType: 'paper_file_transfer', entityId: id, authorityId: t.to_authority_id, before: { status: 'sent' }, after: { status: input.decision, files: files.length } });
  });
  return getTransfer(deps.sql, staff, id);
}

// ---------------------------------------------------------------------------
// Returned certificates (R-29.2, X-6.2)
// ---------------------------------------------------------------------------

export type CertificateInput = { businessType: string; caseRef: string; certificate: string; serial: string; action: 'destroyed' | 'core_restored' | 'case_withdrawn'; reason: string };

export async function recordCertificate(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: CertificateInput, meta: RequestMeta) {
  const id = await deps.sql.begin(async (tx) => {
    const authorities = await visibleAuthorities(tx, staff.authorityId);
    const [rec] = await tx`SELECT 1 FROM archive_record WHERE business_type = ${input.businessType} AND case_ref = ${input.caseRef} AND authority_id = ANY(${authorities})`;
    const c = checkCertificateAction(input.action, !!rec);
    if (!c.ok) throw refuse(c, 'action');
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO returned_certificate (authority_id, business_type, case_ref, certificate, serial, action, reason, staff_id, at)
      VALUES (${staff.authorityId}, ${input.businessType}, ${input.caseRef}, ${input.certificate}, ${input.serial}, ${input.action}, ${input.reason}, ${staff.id}, ${meta.now}) RETURNING id`;
    const [file] = await tx<{ id: string }[]>`SELECT id FROM paper_file WHERE business_type = ${input.businessType} AND case_ref = ${input.caseRef} AND authority_id = ANY(${authorities})`;
    const kind = input.action === 'destroyed' ? 'certificate_destroyed' : input.action;
    await event(tx, { fileId: file?.id ?? null, authorityId: staff.authorityId, kind, staffId: staff.id, reason: input.reason, detail: { certificate: input.certificate, serial: input.serial, caseRef: input.caseRef }, now: meta.now });
    await writeAudit(tx, actor, meta, { action: `archives.certificate_${input.action}`, entityType: 'returned_certificate', entityId: row!.id, authorityId: staff.authorityId, after: input });
    return row!.id;
  });
  return getCertificate(deps.sql, staff, id);
}

type CertRow = { id: string; business_type: string; case_ref: string; certificate: string; serial: string; action: string; reason: string; staff_name: string; at: Date };
const certSelect = (db: Db) => db`SELECT c.id, c.business_type, c.case_ref, c.certificate, c.serial, c.action, c.reason, s.display_name AS staff_name, c.at FROM returned_certificate c JOIN staff_member s ON s.id = c.staff_id`;
const certDto = (c: CertRow) => ({ id: c.id, businessType: c.business_type, caseRef: c.case_ref, certificate: c.certificate, serial: c.serial, action: c.action, reason: c.reason, by: c.staff_name, at: c.at.toISOString() });

export async function listCertificates(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const a = await visibleAuthorities(deps.sql, staff.authorityId);
  const rows = await deps.sql<CertRow[]>`${certSelect(deps.sql)} WHERE c.authority_id = ANY(${a}) ORDER BY c.at DESC, c.id LIMIT ${q.limit} OFFSET ${q.offset}`;
  const [{ total }] = (await deps.sql<{ total: number }[]>`SELECT count(*)::int AS total FROM returned_certificate c WHERE c.authority_id = ANY(${a})`) as unknown as [{ total: number }];
  return { rows: rows.map(certDto), total };
}

export async function getCertificate(sql: Sql, staff: StaffPrincipal, id: string) {
  const a = await visibleAuthorities(sql, staff.authorityId);
  const [c] = await sql<CertRow[]>`${certSelect(sql)} WHERE c.id = ${id} AND c.authority_id = ANY(${a})`;
  if (!c) throw new DomainError('archives.record_not_found');
  return certDto(c);
}

/**
 * The label of a file (X-6.2): its number, case and shelf place, and a QR code
 * whose URL opens the file's page in the console — a phone camera or a
 * scanner reads it. `consoleUrl` is where staff open the console.
 */
export async function labelOf(sql: Sql, staff: StaffPrincipal, id: string, consoleUrl: string, now: Date) {
  const f = await getFile(sql, staff, id, now);
  const url = `${consoleUrl.replace(/\/?$/, '/')}#/paper-files/${f.id}/show`;
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return {
    id: f.id, fileNo: f.fileNo, authorityName: f.authorityName, businessType: f.businessType, caseRef: f.caseRef, plateNo: f.plateNo,
    location: f.location, room: f.room, cabinet: f.cabinet, shelf: f.shelf, box: f.box, checkedInAt: f.checkedInAt, url,
    qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}
