import type { Db } from '../db.ts';
import type { Actor, RequestMeta } from '../core/context.ts';
import { maskSensitive } from './log.ts';
import { maskAddress, maskEmail } from './masking.ts';

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  authorityId?: string | null;
};

/**
 * Appends one row to the audit log. Call it with the transaction that makes
 * the change (non-negotiable 5): the row commits or rolls back with it. The
 * table refuses UPDATE, DELETE and TRUNCATE by trigger. Snapshots are masked
 * so the log itself never holds a full ID number or phone, nor (by key) an
 * e-mail or postal address.
 */
export async function writeAudit(tx: Db, actor: Actor, meta: RequestMeta, entry: AuditEntry): Promise<void> {
  await tx`
    INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
    VALUES (${meta.now}, ${actor.kind}, ${actor.id ?? null}, ${maskSensitive(actor.label)},
            ${entry.authorityId ?? actor.authorityId ?? null}, ${entry.action}, ${entry.entityType}, ${entry.entityId ?? null},
            ${snapshot(tx, entry.before)}, ${snapshot(tx, entry.after)}, ${meta.requestId}, ${meta.ip})`;
}

/**
 * The same row as {@link writeAudit}, as `INSERT … SELECT` for a statement
 * that makes the change in one round trip: the caller appends the FROM (a CTE
 * with a row only when the change happened). `afterSql` adds jsonb computed by
 * that statement (e.g. a counter's new value) to the masked snapshot.
 */
export function auditInsert(tx: Db, actor: Actor, meta: RequestMeta, entry: AuditEntry, afterSql?: ReturnType<Db['unsafe']>) {
  const after = snapshot(tx, entry.after);
  return tx`INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
    SELECT ${meta.now}, ${actor.kind}, ${actor.id ?? null}, ${maskSensitive(actor.label)},
           ${entry.authorityId ?? actor.authorityId ?? null}, ${entry.action}, ${entry.entityType}, ${entry.entityId ?? null},
           ${snapshot(tx, entry.before)}, ${afterSql ? tx`${after}::jsonb || ${afterSql}` : after}, ${meta.requestId}, ${meta.ip}`;
}

const EMAIL_KEY = /^(e-?mail|[a-z]+Email)$/i;
const ADDRESS_KEY = /^(postal_?address|[a-z]+PostalAddress|recipientAddress)$/i;

function snapshot(tx: Db, v: unknown) {
  if (v === undefined || v === null) return null;
  // postgres.js serialises by the parameter's server type: hand it a value, not JSON text.
  return tx.json(maskedSnapshot(v) as Parameters<Db['json']>[0]);
}

/**
 * A before/after snapshot as the audit log stores it (masked), as a plain
 * value: for a statement that writes audit rows from JSON it is handed
 * (the group-committed booking, ADR-040).
 */
export function maskedSnapshot(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  // Masking works on the JSON text; a phone or ID number held as a number would be masked
  // outside quotes and break the JSON, so such numbers are written as strings first.
  const masked = maskSensitive(JSON.stringify(v, (k, val) => {
    if (typeof val === 'bigint') return String(val);
    // E-mail and postal addresses have no pattern to find in free text: masked by their keys (issue 17, ADR-024).
    if (typeof val === 'string' && val !== '' && EMAIL_KEY.test(k)) return maskEmail(val);
    if (typeof val === 'string' && val !== '' && ADDRESS_KEY.test(k)) return maskAddress(val);
    if (typeof val === 'number' && maskSensitive(String(val)) !== String(val)) return String(val);
    return val;
  }));
  return JSON.parse(masked) as unknown;
}
