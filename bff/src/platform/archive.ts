import { createHash } from 'node:crypto';
import type { Db } from '../db.ts';
import type { Actor, RequestMeta } from '../core/context.ts';
import { writeAudit } from './audit.ts';
import { REFERENCE_TRIES, referenceSource } from './references.ts';

/**
 * The electronic archive (X-6.1, X-6.3; ADR-036, migration 0021). Every
 * module calls {@link archiveCase} in the transaction that ends a case; the
 * archives module (bff/src/modules/archives) searches, shows, verifies and
 * destroys the records. Platform level, so any module imports it without a
 * cycle.
 */

export type ArchiveCase = {
  /** e.g. 'account_registration', 'replacement', 'exam' (retention per type: table archive_retention, ADR-036). */
  businessType: string;
  /**
   * The case's reference number or id. The review trail is the audit log of this entity id (and of `entityIds`).
   * `{ newCase: prefix }`: a case with no number of its own gets a new one ({@link archiveReference}), never
   * one that another case already holds (ADR-041).
   */
  caseRef: string | { newCase: string };
  /** The city that holds the record (its staff, and its province's, see it). */
  authorityId: string;
  personId?: string | null;
  organisationId?: string | null;
  userAccountId?: string | null;
  plateNo?: string | null;
  licenceNo?: string | null;
  /** The application data, payments and deliveries: plain JSON (dates as ISO strings). */
  data: Record<string, unknown>;
  /** Files of the upload store that belong to the case; each is copied once by its sha256. */
  uploadIds?: string[];
  finishedAt: Date;
  /** Further audit entity ids whose rows are the case's trail (default: caseRef only). */
  entityIds?: string[];
};

export type ArchiveRecordRef = { id: string; caseRef: string; version: number; digest: string };

export const GENESIS_DIGEST = '0'.repeat(64);
const TYPE_FORM = /^[a-z][a-z0-9_]{1,60}$/;

/** JSON with its object keys sorted at every level: the same value always gives the same text (jsonb keeps no key order). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}
function sortKeys(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, sortKeys(o[k])]));
  }
  return v;
}

export const sha256Hex = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

/** What a record's content digest covers: its identity and search columns and its content. */
export function contentDigestOf(r: {
  business_type: string; case_ref: string; version: number; authority_id: string; person_id: string | null; organisation_id: string | null;
  user_account_id: string | null; plate_no: string | null; licence_no: string | null; finished_at: Date; content: unknown;
}): string {
  return sha256Hex(canonicalJson({
    businessType: r.business_type, caseRef: r.case_ref, version: r.version, authorityId: r.authority_id,
    personId: r.person_id, organisationId: r.organisation_id, userAccountId: r.user_account_id,
    plateNo: r.plate_no, licenceNo: r.licence_no, finishedAt: r.finished_at.toISOString(), content: r.content,
  }));
}

/** A record's digest: the previous record's digest of its chain, its place, and its content digest. */
export const chainDigestOf = (prevDigest: string, chain: string, seq: number, contentDigest: string) =>
  sha256Hex(`${prevDigest}\n${chain}\n${seq}\n${contentDigest}`);

export const chainOf = (authorityId: string, businessType: string) => `${authorityId}/${businessType}`;

/** A reference number for a case that has none of its own (an online change or binding): 'CHG-20261125-3F9A1C2B'. */
function archiveReference(prefix: string, now: Date): string {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${prefix}-${day}-${Buffer.from(referenceSource.bytes(4)).toString('hex').toUpperCase()}`;
}

/**
 * A new case's number that no record of the business type holds yet: its 32
 * random bits a day repeat within a busy day's cases (ADR-041), and a repeat
 * would file this case as a later version of another person's.
 */
async function newCaseRef(tx: Db, businessType: string, prefix: string, now: Date): Promise<string> {
  for (let i = 0; i < REFERENCE_TRIES; i++) {
    const ref = archiveReference(prefix, now);
    const [taken] = await tx`SELECT 1 FROM archive_record WHERE business_type = ${businessType} AND case_ref = ${ref} LIMIT 1`;
    if (!taken) return ref;
  }
  throw new Error(`archiveCase: ${REFERENCE_TRIES} new ${prefix} numbers of ${businessType} were all taken`);
}

/**
 * The city whose archive keeps an account's case: the account's own city, else
 * that of its first bound vehicle or licence, else the province (an online
 * account with neither belongs to no city yet).
 */
export async function archiveAuthorityOfAccount(tx: Db, userAccountId: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    SELECT COALESCE(
      (SELECT authority_id FROM user_account WHERE id = ${userAccountId}),
      (SELECT v.registration_authority_id FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id WHERE b.user_account_id = ${userAccountId} AND b.unbound_at IS NULL ORDER BY b.bound_at LIMIT 1),
      (SELECT l.issuing_authority_id FROM licence_binding b JOIN driving_licence l ON l.id = b.licence_id WHERE b.user_account_id = ${userAccountId} AND b.unbound_at IS NULL ORDER BY b.bound_at LIMIT 1),
      (SELECT id FROM authority WHERE level = 'province' ORDER BY id LIMIT 1)) AS id`;
  return row!.id;
}

/**
 * One archive record for a finished case, in the caller's transaction:
 * append-only, versioned (a correction is a new version), digest-chained
 * (each record's digest covers the previous one of the chain). Gathers what
 * the shared tables hold at this moment: the case's audit trail (by entity
 * id), the messages sent for it (outbox rows whose dedupe key or payload names
 * it), and its uploads (copied into the content-addressed archive_object
 * table: a file stored twice is one object). Archiving a case again with
 * nothing changed answers the latest version instead of writing a new one.
 */
export async function archiveCase(tx: Db, actor: Actor, meta: RequestMeta, c: ArchiveCase): Promise<ArchiveRecordRef> {
  if (!TYPE_FORM.test(c.businessType)) throw new Error(`archiveCase: businessType '${c.businessType}' is not of the form ${TYPE_FORM}`);
  const fresh = typeof c.caseRef !== 'string';
  const caseRef = typeof c.caseRef === 'string' ? c.caseRef : await newCaseRef(tx, c.businessType, c.caseRef.newCase, meta.now);
  if (!caseRef || caseRef.length > 100) throw new Error('archiveCase: caseRef must be 1–100 characters');
  const entityIds = [...new Set([caseRef, ...(c.entityIds ?? [])])];

  const trail = await tx<{ id: number; at: Date; actor_kind: string; actor_label: string | null; action: string; entity_type: string; entity_id: string | null; before: unknown; after: unknown }[]>`
    SELECT id, at, actor_kind, actor_label, action, entity_type, entity_id, before, after
    FROM audit_log WHERE entity_id = ANY(${entityIds}::text[]) OR (request_id = ${meta.requestId} AND at = ${meta.now} AND action <> 'archives.record_archived')
    ORDER BY at, id`;
  const likes = entityIds.map((e) => `%${e.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  const messages = await tx<{ id: string; channel: string; template: string; status: string; created_at: Date; updated_at: Date; payload: Record<string, unknown> }[]>`
    SELECT id, channel, template, status, created_at, updated_at, payload FROM outbox_message
    WHERE dedupe_key LIKE ANY(${likes}::text[]) OR payload->>'reference' = ${caseRef}
       OR payload->>'applicationId' = ANY(${entityIds}::text[])
    ORDER BY created_at, id`;

  // Files: one object per content.
  const uploadIds = [...new Set(c.uploadIds ?? [])];
  const files = uploadIds.length === 0 ? [] : await tx<{ id: string; purpose: string; content_type: string; size_bytes: number; sha256: string; file_name: string | null; created_at: Date }[]>`
    SELECT id, purpose, content_type, size_bytes, encode(sha256(content), 'hex') AS sha256, file_name, created_at
    FROM upload WHERE id = ANY(${uploadIds}::uuid[]) AND status = 'complete'`;
  const byId = new Map(files.map((f) => [f.id, f]));
  const ordered = uploadIds.map((id) => byId.get(id)).filter((f): f is NonNullable<typeof f> => !!f);
  if (ordered.length > 0) {
    await tx`
      INSERT INTO archive_object (sha256, content_type, size_bytes, content, created_at)
      SELECT DISTINCT ON (encode(sha256(u.content), 'hex')) encode(sha256(u.content), 'hex'), u.content_type, octet_length(u.content), u.content, ${meta.now}
      FROM upload u WHERE u.id = ANY(${ordered.map((f) => f.id)}::uuid[])
      ON CONFLICT (sha256) DO UPDATE SET content = EXCLUDED.content, purged_at = NULL
        WHERE archive_object.content IS NULL`;
  }

  const content = JSON.parse(canonicalJson({
    data: c.data,
    trail: trail.map((t) => ({ id: t.id, at: t.at, actorKind: t.actor_kind, actorLabel: t.actor_label, action: t.action, entityType: t.entity_type, entityId: t.entity_id, before: t.before, after: t.after })),
    messages: messages.map((m) => ({ id: m.id, channel: m.channel, template: m.template, status: m.status, createdAt: m.created_at, payload: m.payload })),
    files: ordered.map((f, i) => ({ position: i, uploadId: f.id, purpose: f.purpose, contentType: f.content_type, sizeBytes: f.size_bytes, sha256: f.sha256, fileName: f.file_name })),
  })) as Record<string, unknown>;

  const chain = chainOf(c.authorityId, c.businessType);
  await tx`INSERT INTO archive_chain (chain, seq, head_digest) VALUES (${chain}, 0, ${GENESIS_DIGEST}) ON CONFLICT (chain) DO NOTHING`;
  const [head] = await tx<{ seq: number; head_digest: string }[]>`SELECT seq, head_digest FROM archive_chain WHERE chain = ${chain} FOR UPDATE`;

  // A new case is version 1: should another process have filed its number meanwhile, the unique key refuses this one.
  const [latest] = fresh ? [] : await tx<{ id: string; version: number; digest: string; content_digest: string; content: unknown }[]>`
    SELECT id, version, digest, content_digest, content FROM archive_record
    WHERE business_type = ${c.businessType} AND case_ref = ${caseRef} ORDER BY version DESC LIMIT 1`;
  const version = (latest?.version ?? 0) + 1;
  const header = {
    business_type: c.businessType, case_ref: caseRef, authority_id: c.authorityId,
    person_id: c.personId ?? null, organisation_id: c.organisationId ?? null, user_account_id: c.userAccountId ?? null,
    plate_no: c.plateNo ?? null, licence_no: c.licenceNo ?? null, finished_at: c.finishedAt,
  };
  if (latest && latest.content !== null && contentDigestOf({ ...header, version: latest.version, content }) === latest.content_digest) {
    return { id: latest.id, caseRef, version: latest.version, digest: latest.digest };
  }
  const contentDigest = contentDigestOf({ ...header, version, content });
  const seq = head!.seq + 1;
  const digest = chainDigestOf(head!.head_digest, chain, seq, contentDigest);

  const [rec] = await tx<{ id: string }[]>`
    INSERT INTO archive_record (business_type, case_ref, version, authority_id, person_id, organisation_id, user_account_id, plate_no, licence_no,
                                finished_at, archived_at, retain_until, chain, chain_seq, prev_digest, content_digest, digest, content)
    SELECT ${c.businessType}, ${caseRef}, ${version}, ${c.authorityId}, ${header.person_id}, ${header.organisation_id}, ${header.user_account_id},
           ${header.plate_no}, ${header.licence_no}, ${c.finishedAt}, ${meta.now},
           (SELECT CASE WHEN r.business_type IS NULL AND d.years IS NULL THEN NULL
                        WHEN r.business_type IS NOT NULL AND r.years IS NULL THEN NULL
                        ELSE ((${c.finishedAt}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date + make_interval(years => COALESCE(r.years, d.years)))::date END
            FROM archive_retention d LEFT JOIN archive_retention r ON r.business_type = ${c.businessType} WHERE d.business_type = 'default'),
           ${chain}, ${seq}, ${head!.head_digest}, ${contentDigest}, ${digest}, ${tx.json(content as Parameters<Db['json']>[0])}
    RETURNING id`;
  if (ordered.length > 0) {
    await tx`
      INSERT INTO archive_record_object ${tx(ordered.map((f, i) => ({ record_id: rec!.id, position: i, sha256: f.sha256, upload_id: f.id, purpose: f.purpose, file_name: f.file_name })))}`;
  }
  await tx`UPDATE archive_chain SET seq = ${seq}, head_digest = ${digest} WHERE chain = ${chain}`;
  await writeAudit(tx, actor, meta, {
    action: 'archives.record_archived', entityType: 'archive_record', entityId: rec!.id, authorityId: c.authorityId,
    after: { businessType: c.businessType, caseRef, version, digest, files: ordered.length, trail: trail.length, messages: messages.length },
  });
  return { id: rec!.id, caseRef, version, digest };
}
