/**
 * The electronic archive, staff side (X-6.1, X-6.3; ADR-036): search, the
 * record page (every view logged for the citizen, ADR-024), the chain's
 * verification, retention and the destruction schedule. Records are written
 * by the modules themselves with `archiveCase` (platform/archive.ts).
 */
import type { Db, Sql } from '../../db.ts';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import { DomainError } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { visibleAuthorities } from '../../platform/authorities.ts';
import { chainDigestOf, contentDigestOf, GENESIS_DIGEST } from '../../platform/archive.ts';
import { maskSensitive } from '../../platform/log.ts';
import { maskAddress, maskEmail, masked } from '../../platform/personal-data.ts';
import { maskName } from '../../platform/check-digits.ts';
import { isCalendarDay, shanghaiDay } from '../../platform/calendar.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import * as repo from './repo.ts';
import { retentionOver } from './rules.ts';

export type StaffActor = Actor & { kind: 'staff' };
export const systemActor: Actor = { kind: 'system', label: 'archives' };

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Personal data inside a record's content masked for the screen (as the audit log masks it). */
const EMAIL_KEY = /^(e-?mail|[a-z]+Email)$/i;
const ADDRESS_KEY = /^(postal_?address|[a-z]+PostalAddress|recipientAddress|address)$/i;
const NAME_KEY = /^(name|[a-z]+_name|[a-z]+Name)$/;
export function maskContent(v: unknown): unknown {
  const text = JSON.stringify(v ?? null, (k, val) => {
    if (typeof val === 'string' && val !== '' && EMAIL_KEY.test(k)) return maskEmail(val);
    if (typeof val === 'string' && val !== '' && ADDRESS_KEY.test(k)) return maskAddress(val);
    if (typeof val === 'string' && val !== '' && NAME_KEY.test(k) && /^[\u4e00-\u9fff·]{2,10}$/u.test(val)) return maskName(val);
    if (typeof val === 'number' && maskSensitive(String(val)) !== String(val)) return maskSensitive(String(val));
    return val;
  });
  return JSON.parse(maskSensitive(text));
}

function listDto(r: repo.RecordRow) {
  return {
    id: r.id, businessType: r.business_type, caseRef: r.case_ref, version: r.version, authorityId: r.authority_id, authorityName: r.authority_name,
    personIdNumberMasked: masked('id_number', r.person_id_number), personNameMasked: r.person_name ? maskName(r.person_name) : null,
    userAccountId: r.user_account_id, plateNo: r.plate_no, licenceNo: r.licence_no,
    finishedAt: r.finished_at.toISOString(), archivedAt: r.archived_at.toISOString(), retainUntil: r.retain_until,
    status: r.status, destroyedAt: iso(r.destroyed_at), files: r.files, digest: r.digest, chain: r.chain, chainSeq: r.chain_seq,
  };
}

export async function listRecords(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const f = (k: string) => filterString(q.filter, k);
  const { rows, total } = await repo.listRecords(deps.sql, await visibleAuthorities(deps.sql, staff.authorityId), q, {
    q: f('q'), caseRef: f('caseRef'), plateNo: f('plateNo'), licenceNo: f('licenceNo'), idNumber: f('idNumber'), businessType: f('businessType'),
    from: dayFilter(f('from'), 'from'), to: dayFilter(f('to'), 'to'), status: f('status'), userAccountId: uuidFilter(f('userAccountId')),
  });
  return { rows: rows.map(listDto), total };
}

function dayFilter(v: string | undefined, key: string) {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !isCalendarDay(v) || v < '1900-01-01' || v > '2100-12-31') throw new DomainError('request.invalid', { fields: { [`filter.${key}`]: 'validation.invalid' } });
  return v;
}
function uuidFilter(v: string | undefined) {
  if (v === undefined) return undefined;
  if (!/^[0-9a-f-]{36}$/i.test(v)) throw new DomainError('request.invalid', { fields: { 'filter.userAccountId': 'validation.invalid' } });
  return v;
}

/**
 * One record, everything in order (data, review trail, messages, files), its
 * versions and its paper file. The view is written to the citizen's "who
 * viewed my data" and to the audit log, in one transaction with the read
 * (X-6.3 query log; ADR-024).
 */
export async function getRecord(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, meta: RequestMeta) {
  return deps.sql.begin(async (tx) => {
    const r = await repo.findRecord(tx, id, await visibleAuthorities(tx, staff.authorityId));
    if (!r) throw new DomainError('archives.record_not_found');
    if (r.person_id || r.organisation_id || r.user_account_id) {
      await repo.logView(tx, { recordId: r.id, personId: r.person_id, organisationId: r.organisation_id, userAccountId: r.user_account_id, staffId: staff.id, roles: staff.roles, authorityId: staff.authorityId, requestId: meta.requestId, now: meta.now });
    }
    await writeAudit(tx, actor, meta, { action: 'archives.record_viewed', entityType: 'archive_record', entityId: r.id, authorityId: r.authority_id, after: { caseRef: r.case_ref, version: r.version } });
    return recordDto(tx, r);
  }) as Promise<Awaited<ReturnType<typeof recordDto>>>;
}

async function recordDto(db: Db, r: repo.RecordFull) {
  const c = (r.content ?? {}) as { data?: unknown; trail?: unknown[]; messages?: unknown[]; files?: { position: number; purpose: string; contentType: string; sizeBytes: number; sha256: string; fileName: string | null }[] };
  const versions = await repo.versionsOf(db, r.business_type, r.case_ref);
  const [paper] = await db<{ id: string; file_no: string; status: string; room: string; cabinet: string; shelf: string; box: string }[]>`
    SELECT id, file_no, status, room, cabinet, shelf, box FROM paper_file WHERE business_type = ${r.business_type} AND case_ref = ${r.case_ref}`;
  const contentOk = r.content === null ? null : contentDigestOf(r) === r.content_digest;
  return {
    ...listDto(r),
    prevDigest: r.prev_digest, contentDigest: r.content_digest, contentOk,
    data: r.content ? maskContent(c.data ?? {}) : null,
    trail: r.content ? (maskContent(c.trail ?? []) as unknown[]) : [],
    messages: r.content ? (maskContent(c.messages ?? []) as unknown[]) : [],
    documents: (c.files ?? []).map((f) => ({ position: f.position, purpose: f.purpose, contentType: f.contentType, sizeBytes: f.sizeBytes, sha256: f.sha256, fileName: f.fileName })),
    versions: versions.map((v) => ({ id: v.id, version: v.version, archivedAt: v.archived_at.toISOString(), status: v.status })),
    paperFile: paper ? { id: paper.id, fileNo: paper.file_no, status: paper.status, location: `${paper.room} / ${paper.cabinet} / ${paper.shelf} / ${paper.box}` } : null,
  };
}

/** One archived file of a record in the member's scope. */
export async function recordFile(deps: Deps, staff: StaffPrincipal, id: string, position: number) {
  const r = await repo.findRecord(deps.sql, id, await visibleAuthorities(deps.sql, staff.authorityId));
  if (!r) throw new DomainError('archives.record_not_found');
  if (r.status === 'destroyed') throw new DomainError('archives.record_destroyed');
  const f = await repo.recordObject(deps.sql, id, position);
  if (!f || !f.content) throw new DomainError('archives.file_not_found');
  return f as typeof f & { content: Buffer };
}

// ---------------------------------------------------------------------------
// Verification of the digest chains (X-6.1, ADR-036)
// ---------------------------------------------------------------------------

export type ChainCheck = { id: string; authorityId: string; businessType: string; records: number; ok: boolean; brokenAt: { recordId: string | null; seq: number; reason: string } | null };

/** Walks one chain: sequence without gaps, each record linked to the previous digest, content and files matching their digests, the head matching the last record. */
export function verifyChain(chain: string, head: { seq: number; head_digest: string }, rows: repo.ChainRow[]): ChainCheck {
  const [authorityId, businessType] = chain.split('/') as [string, string];
  const broken = (recordId: string | null, seq: number, reason: string): ChainCheck => ({ id: chain, authorityId, businessType, records: rows.length, ok: false, brokenAt: { recordId, seq, reason } });
  let prev = GENESIS_DIGEST;
  let seq = 0;
  for (const r of rows) {
    seq++;
    if (r.chain_seq !== seq) return broken(r.id, seq, 'sequence_gap');
    if (r.prev_digest !== prev) return broken(r.id, seq, 'link_broken');
    if (r.status === 'kept' && contentDigestOf(r) !== r.content_digest) return broken(r.id, seq, 'content_changed');
    if (!r.objects_ok) return broken(r.id, seq, 'file_changed');
    if (chainDigestOf(prev, chain, seq, r.content_digest) !== r.digest) return broken(r.id, seq, 'digest_changed');
    prev = r.digest;
  }
  if (head.seq !== seq || head.head_digest !== prev) return broken(null, head.seq, 'head_mismatch');
  return { id: chain, authorityId, businessType, records: rows.length, ok: true, brokenAt: null };
}

export async function verifyChains(sql: Sql, staff: StaffPrincipal) {
  const chains = await repo.chainsOf(sql, await visibleAuthorities(sql, staff.authorityId));
  const out: ChainCheck[] = [];
  for (const c of chains) out.push(verifyChain(c.chain, c, await repo.chainRecords(sql, c.chain)));
  return out;
}

// ---------------------------------------------------------------------------
// Retention and destruction (ADR-036)
// ---------------------------------------------------------------------------

export async function listRetention(sql: Sql) {
  return (await repo.retentionRows(sql)).map((r) => ({ id: r.business_type, businessType: r.business_type, years: r.years, permanent: r.years === null, note: r.note, updatedAt: r.updated_at.toISOString() }));
}

export async function getRetention(sql: Sql, businessType: string) {
  const r = (await listRetention(sql)).find((x) => x.businessType === businessType);
  if (!r) throw new DomainError('archives.retention_unknown_type');
  return r;
}

export async function updateRetention(deps: Deps, staff: StaffPrincipal, actor: StaffActor, businessType: string, input: { years: number | null; note: string }, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const before = await repo.updateRetention(tx, businessType, input.years, input.note, staff.id, meta.now);
    if (!before) throw new DomainError('archives.retention_unknown_type');
    await writeAudit(tx, actor, meta, { action: 'archives.retention_changed', entityType: 'archive_retention', entityId: businessType, before, after: input });
  });
  return getRetention(deps.sql, businessType);
}

/** The durable job (daily): records past their retention enter the schedule as proposed; 档案岗 decides each. */
export async function proposeDestructions(tx: Db, now: Date) {
  const rows = await repo.proposeDue(tx, shanghaiDay(now), now);
  const meta = { requestId: 'job:archives.propose_destructions', ip: 'system', now };
  for (const r of rows) {
    await writeAudit(tx, systemActor, meta, { action: 'archives.destruction_proposed', entityType: 'archive_record', entityId: r.record_id, authorityId: r.authority_id, after: { destructionId: r.id } });
  }
  const tomorrow = new Date(now.getTime() + 24 * 3600_000);
  await enqueueJob(tx, { kind: ARCHIVE_JOBS.proposeDestructions, runAt: tomorrow, dedupeKey: 'daily' }, now);
  return rows.length;
}
export const ARCHIVE_JOBS = { proposeDestructions: 'archives.propose_destructions' } as const;

function destructionDto(d: repo.DestructionRow) {
  return {
    id: d.id, recordId: d.record_id, authorityId: d.authority_id, status: d.status, proposedAt: d.proposed_at.toISOString(), decidedAt: iso(d.decided_at),
    decidedBy: d.decided_by_name, note: d.note, businessType: d.business_type, caseRef: d.case_ref, version: d.version, retainUntil: d.retain_until,
    finishedAt: d.finished_at.toISOString(), recordStatus: d.record_status, digest: d.digest,
  };
}

export async function listDestructions(deps: Deps, staff: StaffPrincipal, q: ListQuery) {
  const { rows, total } = await repo.listDestructions(deps.sql, await visibleAuthorities(deps.sql, staff.authorityId), q, filterString(q.filter, 'status'));
  return { rows: rows.map(destructionDto), total };
}

export async function getDestruction(deps: Deps, staff: StaffPrincipal, id: string) {
  const d = await repo.findDestruction(deps.sql, id, await visibleAuthorities(deps.sql, staff.authorityId));
  if (!d) throw new DomainError('archives.destruction_not_found');
  return destructionDto(d);
}

/** 档案岗 approves (the record is destroyed now: content dropped, tombstone kept) or keeps it. */
export async function decideDestruction(deps: Deps, staff: StaffPrincipal, actor: StaffActor, id: string, decision: 'approved' | 'kept', note: string, meta: RequestMeta) {
  await deps.sql.begin(async (tx) => {
    const d = await repo.findDestruction(tx, id, await visibleAuthorities(tx, staff.authorityId), true);
    if (!d) throw new DomainError('archives.destruction_not_found');
    if (d.status !== 'proposed') throw new DomainError('archives.destruction_decided');
    if (decision === 'approved' && !retentionOver(d.retain_until, shanghaiDay(meta.now))) {
      throw new DomainError('archives.retention_not_over', { params: { retainUntil: d.retain_until ?? '—' } });
    }
    if (!(await repo.decideDestruction(tx, id, decision, staff.id, note, meta.now))) throw new DomainError('archives.destruction_decided');
    if (decision === 'approved') await repo.destroyRecord(tx, d.record_id, meta.now);
    await writeAudit(tx, actor, meta, {
      action: decision === 'approved' ? 'archives.record_destroyed' : 'archives.record_kept', entityType: 'archive_record', entityId: d.record_id, authorityId: d.authority_id,
      before: { status: 'kept' }, after: { status: decision === 'approved' ? 'destroyed' : 'kept', destructionId: id, digest: d.digest, caseRef: d.case_ref, note },
    });
  });
  return getDestruction(deps, staff, id);
}
