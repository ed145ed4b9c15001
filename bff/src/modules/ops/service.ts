import type { Deps, Actor, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { writeAudit } from '../../platform/audit.ts';
import { loadCalendar } from '../../platform/calendar-store.ts';
import { visibleAuthorities } from '../../platform/authorities.ts';
import type { Db } from '../../db.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import * as repo from './repo.ts';
import { calendarStatus, checkYearEntry } from './rules.ts';

const scopeOf = (s: StaffPrincipal) => (s.roles.includes('system_admin') ? null : s.authorityId);

/**
 * Who reads which audit entries (issue 17, ADR-024): the system administrator
 * all; 审计员 — the one role for the log, holding no business post — its
 * authority's (a province's auditor also its cities', PD-9); a dealer's or a
 * station's operator only what its own organisation's or station's members
 * did. Business posts (受理岗, 管理岗, 档案岗) do not reach the log (the
 * route's guard).
 */
export async function auditScopeOf(db: Db, s: StaffPrincipal): Promise<repo.AuditScope> {
  if (s.roles.includes('system_admin')) return { kind: 'all' };
  if (s.roles.includes('auditor')) return { kind: 'authorities', ids: await visibleAuthorities(db, s.authorityId) };
  if (s.roles.includes('dealer') && s.organisationId) return { kind: 'members', organisationId: s.organisationId };
  if (s.roles.includes('station_operator') && s.stationId) return { kind: 'members', stationId: s.stationId };
  return { kind: 'none' };
}

export async function listAudit(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const { rows, total } = await repo.listAudit(deps.sql, q, await auditScopeOf(deps.sql, staff));
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id, at: r.at.toISOString(), actorKind: r.actor_kind, actorLabel: r.actor_label, authorityId: r.authority_id, action: r.action,
      entityType: r.entity_type, entityId: r.entity_id, before: r.before, after: r.after, requestId: r.request_id,
    })),
  };
}

export async function getAudit(deps: Deps, staff: StaffPrincipal, id: number) {
  const r = await repo.getAudit(deps.sql, id, await auditScopeOf(deps.sql, staff));
  if (!r) throw new DomainError('request.not_found');
  return {
    id: r.id as number, at: (r.at as Date).toISOString(), actorKind: r.actor_kind as string, actorLabel: r.actor_label as string | null,
    authorityId: r.authority_id as string | null, action: r.action as string, entityType: r.entity_type as string, entityId: r.entity_id as string | null,
    before: r.before, after: r.after, requestId: r.request_id as string | null,
  };
}

type OutboxRow = Awaited<ReturnType<typeof repo.listOutbox>>['rows'][number];
// Recipients are masked in lists (non-negotiable 7).
function outboxDto(r: Omit<OutboxRow, 'total'>) {
  return {
    id: r.id, channel: r.channel, recipient: maskRecipient(r.channel, r.recipient), template: r.template, status: r.status, attempts: r.attempts,
    provider: r.provider, providerRef: r.provider_ref, lastError: r.last_error, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}
function maskRecipient(channel: string, recipient: string) {
  if (channel === 'sms' && /^\d{11}$/.test(recipient)) return `${recipient.slice(0, 3)}****${recipient.slice(7)}`;
  return recipient.length > 6 ? `${recipient.slice(0, 3)}***${recipient.slice(-2)}` : '***';
}

export async function listOutbox(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const { rows, total } = await repo.listOutbox(deps.sql, q, scopeOf(staff));
  return { total, rows: rows.map(outboxDto) };
}

export async function getOutbox(deps: Deps, staff: StaffPrincipal, id: string) {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new DomainError('request.not_found');
  const r = await repo.getOutbox(deps.sql, id, scopeOf(staff));
  if (!r) throw new DomainError('request.not_found');
  return { ...outboxDto(r), events: r.events.map((e) => ({ at: e.at.toISOString(), status: e.status, detail: e.detail })) };
}

export async function listJobs(deps: Deps, q: ListQuery) {
  const { rows, total } = await repo.listJobs(deps.sql, q);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id, kind: r.kind, status: r.status, runAt: r.run_at.toISOString(), attempts: r.attempts, lastError: r.last_error,
      createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null,
    })),
  };
}

const dayDto = (r: { day: string; kind: 'workday' | 'holiday'; note: string; updated_at: Date }) => ({ id: r.day, day: r.day, kind: r.kind, note: r.note, updatedAt: r.updated_at.toISOString() });

export async function listCalendarDays(deps: Deps, q: ListQuery) {
  const { rows, total } = await repo.listCalendarDays(deps.sql, q);
  return { total, rows: rows.map(dayDto) };
}

export async function setCalendarDay(deps: Deps, actor: Actor & { kind: 'staff' }, input: { day: string; kind: 'workday' | 'holiday'; note: string }, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const { before, row } = await repo.upsertCalendarDay(tx, { ...input, staffId: actor.id, now: meta.now });
    await writeAudit(tx, actor, meta, { action: 'calendar.day_set', entityType: 'calendar_override', entityId: input.day, before: before ?? null, after: { kind: row.kind, note: row.note } });
    return dayDto(row);
  });
}

export async function removeCalendarDay(deps: Deps, actor: Actor & { kind: 'staff' }, day: string, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const row = await repo.deleteCalendarDay(tx, day);
    if (!row) throw new DomainError('calendar.not_found');
    await writeAudit(tx, actor, meta, { action: 'calendar.day_removed', entityType: 'calendar_override', entityId: day, before: { kind: row.kind, note: row.note }, after: null });
    return dayDto(row);
  });
}

/** Staff enter a whole year the package does not cover (chinese-days has no 2027 yet). */
export async function enterCalendarYear(deps: Deps, actor: Actor & { kind: 'staff' }, input: { year: number; holidays: string[]; workdays: string[] }, meta: RequestMeta) {
  const check = checkYearEntry(input.year, input.holidays, input.workdays);
  if (!check.ok) throw new DomainError(check.code);
  await deps.sql.begin(async (tx) => {
    const before = await tx<{ day: string; kind: string }[]>`SELECT day, kind FROM calendar_override WHERE extract(year FROM day) = ${input.year} ORDER BY day FOR UPDATE`;
    await tx`DELETE FROM calendar_override WHERE extract(year FROM day) = ${input.year}`;
    for (const day of input.holidays) await repo.upsertCalendarDay(tx, { day, kind: 'holiday', note: '法定节假日', staffId: actor.id, now: meta.now });
    for (const day of input.workdays) await repo.upsertCalendarDay(tx, { day, kind: 'workday', note: '调休上班', staffId: actor.id, now: meta.now });
    await repo.markYearEntered(tx, input.year, actor.id, meta.now);
    await writeAudit(tx, actor, meta, {
      action: 'calendar.year_entered', entityType: 'calendar_year', entityId: String(input.year),
      before: { overrides: before }, after: { holidays: input.holidays, workdays: input.workdays },
    });
  });
  return getCalendarStatus(deps, meta.now);
}

export async function getCalendarStatus(deps: Deps, now: Date) {
  const cal = await loadCalendar(deps.sql);
  return calendarStatus(Number(shanghaiDay(now).slice(0, 4)), (y) => cal.yearSource(y));
}
