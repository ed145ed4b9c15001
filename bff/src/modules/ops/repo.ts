import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';

/**
 * Whose entries a staff member reads (issue 17, ADR-024): everything (the
 * system administrator), the entries of some authorities (审计员: the city,
 * or the province and its cities, PD-9), or only what the members of one
 * organisation or station did (a dealer's or a station's operators).
 */
export type AuditScope =
  | { kind: 'all' }
  | { kind: 'authorities'; ids: string[] }
  | { kind: 'members'; organisationId: string }
  | { kind: 'members'; stationId: string }
  | { kind: 'none' };

function inScope(db: Db, scope: AuditScope) {
  switch (scope.kind) {
    case 'all': return db``;
    case 'authorities': return db`AND authority_id = ANY(${scope.ids})`;
    case 'members': return db`AND actor_kind = 'staff' AND actor_id IN (
      SELECT id::text FROM staff_member WHERE ${'organisationId' in scope ? db`organisation_id = ${scope.organisationId}` : db`station_id = ${scope.stationId}`})`;
    case 'none': return db`AND FALSE`;
  }
}

export async function listAudit(db: Db, q: ListQuery, scope: AuditScope) {
  const f = q.filter;
  const action = filterString(f, 'action');
  const entityType = filterString(f, 'entityType');
  const entityId = filterString(f, 'entityId');
  const search = filterString(f, 'q');
  const from = filterString(f, 'from');
  const to = filterString(f, 'to');
  const where = db`
    WHERE TRUE
    ${inScope(db, scope)}
    ${action ? db`AND action = ${action}` : db``}
    ${entityType ? db`AND entity_type = ${entityType}` : db``}
    ${entityId ? db`AND entity_id = ${entityId}` : db``}
    ${search ? db`AND (action ILIKE ${'%' + search + '%'} OR actor_label ILIKE ${'%' + search + '%'} OR entity_id ILIKE ${'%' + search + '%'})` : db``}
    ${from ? db`AND at >= ${from}::date` : db``}
    ${to ? db`AND at < (${to}::date + 1)` : db``}`;
  const column = { id: 'id', at: 'at', action: 'action', entityType: 'entity_type' }[q.sortField] ?? 'at';
  const rows = await db<{ id: number; at: Date; actor_kind: string; actor_label: string | null; authority_id: string | null; action: string; entity_type: string; entity_id: string | null; before: unknown; after: unknown; request_id: string | null; total: number }[]>`
    SELECT *, count(*) OVER ()::int AS total FROM audit_log ${where}
    ORDER BY ${db(column)} ${q.sortDesc ? db`DESC` : db`ASC`}, id DESC
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const total = rows[0]?.total ?? (q.offset > 0 ? (await db<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log ${where}`)[0]!.n : 0);
  return { rows, total };
}

export async function getAudit(db: Db, id: number, scope: AuditScope) {
  const [row] = await db`SELECT * FROM audit_log WHERE id = ${id} ${inScope(db, scope)}`;
  return row;
}

export async function listOutbox(db: Db, q: ListQuery, scopeAuthority: string | null) {
  const f = q.filter;
  const channel = filterString(f, 'channel');
  const status = filterString(f, 'status');
  const template = filterString(f, 'template');
  const where = db`
    WHERE TRUE
    ${scopeAuthority ? db`AND authority_id = ${scopeAuthority}` : db``}
    ${channel ? db`AND channel = ${channel}` : db``}
    ${status ? db`AND status = ${status}` : db``}
    ${template ? db`AND template = ${template}` : db``}`;
  const column = { createdAt: 'created_at', updatedAt: 'updated_at', status: 'status', channel: 'channel' }[q.sortField] ?? 'created_at';
  const rows = await db<{ id: string; channel: string; recipient: string; template: string; status: string; attempts: number; provider: string | null; provider_ref: string | null; last_error: string | null; created_at: Date; updated_at: Date; total: number }[]>`
    SELECT id, channel, recipient, template, status, attempts, provider, provider_ref, last_error, created_at, updated_at, count(*) OVER ()::int AS total
    FROM outbox_message ${where}
    ORDER BY ${db(column)} ${q.sortDesc ? db`DESC` : db`ASC`}, id
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  // Past the last page the window count is missing; react-admin still needs the total.
  const total = rows[0]?.total ?? (q.offset > 0 ? (await db<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox_message ${where}`)[0]!.n : 0);
  return { rows, total };
}

export async function getOutbox(db: Db, id: string, scopeAuthority: string | null) {
  const [row] = await db<{ id: string; channel: string; recipient: string; template: string; status: string; attempts: number; provider: string | null; provider_ref: string | null; last_error: string | null; created_at: Date; updated_at: Date }[]>`
    SELECT id, channel, recipient, template, status, attempts, provider, provider_ref, last_error, created_at, updated_at
    FROM outbox_message WHERE id = ${id} ${scopeAuthority ? db`AND authority_id = ${scopeAuthority}` : db``}`;
  if (!row) return undefined;
  const events = await db<{ at: Date; status: string; detail: string | null }[]>`SELECT at, status, detail FROM outbox_event WHERE message_id = ${id} ORDER BY at, id`;
  return { ...row, events };
}

export async function listJobs(db: Db, q: ListQuery) {
  const status = filterString(q.filter, 'status');
  const kind = filterString(q.filter, 'kind');
  const column = { runAt: 'run_at', createdAt: 'created_at', id: 'id', status: 'status' }[q.sortField] ?? 'run_at';
  const where = db`WHERE TRUE ${status ? db`AND status = ${status}` : db``} ${kind ? db`AND kind = ${kind}` : db``}`;
  const rows = await db<{ id: number; kind: string; status: string; run_at: Date; attempts: number; last_error: string | null; created_at: Date; finished_at: Date | null; total: number }[]>`
    SELECT id, kind, status, run_at, attempts, last_error, created_at, finished_at, count(*) OVER ()::int AS total FROM job
    ${where}
    ORDER BY ${db(column)} ${q.sortDesc ? db`DESC` : db`ASC`}, id
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const total = rows[0]?.total ?? (q.offset > 0 ? (await db<{ n: number }[]>`SELECT count(*)::int AS n FROM job ${where}`)[0]!.n : 0);
  return { rows, total };
}

export async function listCalendarDays(db: Db, q: ListQuery) {
  const yearRaw = filterString(q.filter, 'year');
  const year = yearRaw && /^\d{4}$/.test(yearRaw) ? Number(yearRaw) : null;
  const where = db`WHERE TRUE ${year ? db`AND extract(year FROM day) = ${year}` : db``}`;
  const rows = await db<{ day: string; kind: 'workday' | 'holiday'; note: string; updated_at: Date; total: number }[]>`
    SELECT day, kind, note, updated_at, count(*) OVER ()::int AS total FROM calendar_override
    ${where}
    ORDER BY day ${q.sortDesc ? db`DESC` : db`ASC`}
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const total = rows[0]?.total ?? (q.offset > 0 ? (await db<{ n: number }[]>`SELECT count(*)::int AS n FROM calendar_override ${where}`)[0]!.n : 0);
  return { rows, total };
}

export async function upsertCalendarDay(db: Db, d: { day: string; kind: string; note: string; staffId: string; now: Date }) {
  const [before] = await db<{ kind: string; note: string }[]>`SELECT kind, note FROM calendar_override WHERE day = ${d.day} FOR UPDATE`;
  const [row] = await db<{ day: string; kind: 'workday' | 'holiday'; note: string; updated_at: Date }[]>`
    INSERT INTO calendar_override (day, kind, note, updated_by, updated_at) VALUES (${d.day}, ${d.kind}, ${d.note}, ${d.staffId}, ${d.now})
    ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
    RETURNING day, kind, note, updated_at`;
  return { before, row: row! };
}

export async function deleteCalendarDay(db: Db, day: string) {
  const [row] = await db<{ day: string; kind: 'workday' | 'holiday'; note: string; updated_at: Date }[]>`
    DELETE FROM calendar_override WHERE day = ${day} RETURNING day, kind, note, updated_at`;
  return row;
}

export async function markYearEntered(db: Db, year: number, staffId: string, now: Date) {
  await db`INSERT INTO calendar_year (year, entered_by, entered_at) VALUES (${year}, ${staffId}, ${now})
           ON CONFLICT (year) DO UPDATE SET entered_by = EXCLUDED.entered_by, entered_at = EXCLUDED.entered_at`;
}
