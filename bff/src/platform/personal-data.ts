/**
 * Citizens' personal data in staff screens (issue 17, ADR-024): ID numbers,
 * phones, e-mail and postal addresses are masked in every staff list, show
 * and export; a staff member who needs one full value reveals it for one
 * record with a reason. The reveal is written to the audit log (with the
 * member) and to `personal_data_access`, which the citizen reads as "who
 * viewed my data" (the post and the city, never the member's name).
 */
import type { Db } from '../db.ts';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { writeAudit } from './audit.ts';
import { maskIdNumber, maskPhone } from './check-digits.ts';
import { maskAddress, maskEmail, type DataKind } from './masking.ts';

export { DATA_KINDS, maskAddress, maskEmail, type DataKind } from './masking.ts';

export function maskAs(kind: DataKind, value: string): string {
  switch (kind) {
    case 'id_number': return maskIdNumber(value);
    case 'phone': return maskPhone(value);
    case 'email': return maskEmail(value);
    case 'postal_address': return maskAddress(value);
  }
}

/** `value` masked as `kind`; null and '' stay as they are. */
export const masked = <T extends string | null | undefined>(kind: DataKind, value: T): T => (value ? (maskAs(kind, value) as T) : value);

/**
 * A copy of a stored form (a counter application's) with its personal fields
 * masked: `fields` maps a dotted path ('phone', 'agent.idNumber') to its kind.
 */
export function maskFields(form: Record<string, unknown>, fields: Record<string, DataKind>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(form);
  for (const [path, kind] of Object.entries(fields)) {
    const keys = path.split('.');
    let at: unknown = out;
    for (const k of keys.slice(0, -1)) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined;
    const last = keys[keys.length - 1]!;
    if (at && typeof at === 'object' && typeof (at as Record<string, unknown>)[last] === 'string') {
      (at as Record<string, unknown>)[last] = masked(kind, (at as Record<string, string>)[last]!);
    }
  }
  return out;
}

/** The value at a dotted path of a form, if it is a string. */
export function fieldOf(form: Record<string, unknown>, path: string): string | null {
  let at: unknown = form;
  for (const k of path.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined;
  return typeof at === 'string' && at !== '' ? at : null;
}

/** Whose data a record holds: any that is known (the citizen's page matches her account, her person or her organisation). */
export type DataSubject = { userAccountId?: string | null; personId?: string | null; organisationId?: string | null };

/**
 * One record's revealable values, loaded by the module with the same scope as
 * its show endpoint (another city's or post's record is "not found"): each
 * field's full value (null when the record has none) and kind.
 */
export type RevealTarget = { subject: DataSubject; fields: Record<string, { kind: DataKind; value: string | null }> };

export type RevealInput = { resource: string; recordId: string; field: string; reason: string };

/**
 * A staff member reveals one full value of one record, with a reason: the
 * value, written in the same transaction to the audit log and to the
 * citizen's access log. `load` reads the record in the member's scope.
 */
export async function revealPersonalData(
  deps: Deps, staff: StaffPrincipal, actor: Actor & { kind: 'staff' }, meta: RequestMeta, input: RevealInput,
  load: (db: Db) => Promise<RevealTarget>,
): Promise<{ field: string; kind: DataKind; value: string }> {
  return deps.sql.begin(async (tx) => {
    const target = await load(tx);
    const f = Object.hasOwn(target.fields, input.field) ? target.fields[input.field]! : undefined;
    if (!f) throw new DomainError('data_access.field_unknown', { field: 'field', params: { fields: Object.keys(target.fields).join(', ') } });
    if (f.value === null) throw new DomainError('data_access.field_empty', { field: 'field' });
    const s = target.subject;
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO personal_data_access (at, user_account_id, person_id, organisation_id, staff_member_id, staff_roles, authority_id, resource, record_id, field, data_kind, reason, request_id)
      VALUES (${meta.now}, ${s.userAccountId ?? null}, ${s.personId ?? null}, ${s.organisationId ?? null}, ${staff.id}, ${staff.roles}, ${staff.authorityId},
              ${input.resource}, ${input.recordId}, ${input.field}, ${f.kind}, ${input.reason}, ${meta.requestId})
      RETURNING id`;
    await writeAudit(tx, actor, meta, {
      action: 'data_access.revealed', entityType: 'personal_data_access', entityId: String(row!.id),
      after: { resource: input.resource, recordId: input.recordId, field: input.field, kind: f.kind, reason: input.reason },
    });
    return { field: input.field, kind: f.kind, value: f.value };
  }) as Promise<{ field: string; kind: DataKind; value: string }>;
}

/** One audit entry per staff export: which list, with which filter and sort, how many rows. */
export async function recordExport(db: Db, actor: Actor & { kind: 'staff' }, meta: RequestMeta, e: { resource: string; rows: number; filter: unknown; sort: unknown }) {
  await writeAudit(db, actor, meta, {
    action: 'data_access.exported', entityType: 'export', entityId: e.resource,
    after: { rows: e.rows, filter: e.filter, sort: e.sort },
  });
}

/** The reveals of a citizen's data, newest first: posts, city, when, which kind of data and why — never who by name. */
export async function accessLogOf(db: Db, userAccountId: string, limit = 200) {
  return db<{ id: string; at: Date; staff_roles: string[]; authority_id: string; authority_name: string; resource: string; data_kind: DataKind; reason: string }[]>`
    SELECT a.id, a.at, a.staff_roles, a.authority_id, au.name AS authority_name, a.resource, a.data_kind, a.reason
    FROM user_account ua
    JOIN personal_data_access a
      ON a.user_account_id = ua.id
      OR (ua.person_id IS NOT NULL AND a.person_id = ua.person_id)
      OR (ua.organisation_id IS NOT NULL AND a.organisation_id = ua.organisation_id)
    JOIN authority au ON au.id = a.authority_id
    WHERE ua.id = ${userAccountId}
    ORDER BY a.at DESC, a.id DESC
    LIMIT ${limit}`;
}
