import type { IdempotencyContext } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import type { Db, SqlFragment } from '../db.ts';

/**
 * Idempotency keys in Stripe's model, stored in Postgres so that every bff
 * process agrees: the first request with a key runs, later ones with the same
 * key and body get the stored answer; another body → 422; a duplicate while
 * the first still runs → 409. Answers ≥ 500 are not stored, so a retry runs
 * again. See docs/decisions/005-idempotency-outbox-jobs.md for the crash window.
 */

/** The stored answer of a key's first request, replayed byte for byte by the HTTP layer (http/idempotency.ts). */
export type StoredAnswer = { status: number; body: string | null; type: string | null };

export type StoredKey = { status: string; hash: string; responseStatus: number | null; body: string | null; type: string | null };

/**
 * A column for the service's read statement: the stored key, as JSON, or null.
 * With a deferred session the key's owner is the statement's own session user:
 * `deferredPrincipal` is its SQL expression.
 */
export function idempotencyLookup(db: Db, k: IdempotencyContext | undefined, deferredPrincipal?: ReturnType<Db['unsafe']>) {
  if (!k) return db`NULL::json`;
  const principal = k.principal ?? deferredPrincipal;
  if (principal === undefined) throw new Error('idempotencyLookup: the key has no principal yet');
  return storedKeyQuery(db, principal, k.key);
}

/** {@link idempotencyLookup} with the principal and key as values or as SQL (a batched read's columns, ADR-040). */
export function storedKeyQuery(db: Db, principal: string | SqlFragment, key: string | SqlFragment) {
  return db`(SELECT json_build_object('status', status, 'hash', request_hash, 'responseStatus', response_status, 'body', response_body, 'type', response_type)
    FROM idempotency_key WHERE principal = ${principal} AND key = ${key})`;
}

/** What a key found by {@link idempotencyLookup} means: the stored answer, or a refusal (422 another request, 409 still running). */
export function replayOrRefuse(k: IdempotencyContext, stored: StoredKey): StoredAnswer {
  if (stored.hash !== k.hash) throw new DomainError('idempotency.key_reused');
  if (stored.status !== 'done' || stored.responseStatus === null) throw new DomainError('idempotency.in_progress');
  return { status: stored.responseStatus, body: stored.body, type: stored.type };
}

/**
 * The finished key, for the statement that makes the effect: `INSERT … SELECT`
 * whose FROM the caller appends (a CTE that has a row only when the effect
 * happened). A second request with the same key fails on the primary key and
 * the whole statement with it.
 */
export function idempotencyInsert(db: Db, k: IdempotencyContext, now: Date, answer: { status: number; body: string; type: string }) {
  if (k.principal === null) throw new Error('idempotencyInsert: the key has no principal yet');
  return db`INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, response_status, response_body, response_type, created_at, locked_until)
    SELECT ${k.principal}, ${k.key}, ${k.method}, ${k.path}, ${k.hash}, 'done', ${answer.status}, ${answer.body}, ${answer.type}, ${now}, ${now}`;
}

/** One request's claim of its key (the middleware's first statement, http/idempotency.ts). */
export type KeyClaim = { principal: string; key: string; method: string; path: string; hash: string; at: Date; lockedUntil: Date };
/** One request's finished answer for its claimed key. */
export type KeyFinish = { principal: string; key: string; status: number; body: string; type: string | null };

/**
 * The claims of many requests in ONE statement (issue 23, ADR-040
 * "Idempotency keys"): each key inserted `in_progress` unless it exists —
 * the primary key decides, as for one claim. Within a batch the first request
 * of a (principal, key) claims it and a later one with the same key is
 * answered as a concurrent duplicate (not claimed), exactly as if it had come
 * a moment later. One boolean per request, in order: claimed or not.
 */
export async function claimKeys(sql: Db, claims: KeyClaim[]): Promise<boolean[]> {
  const seen = new Set<string>();
  const first = claims.map((c) => {
    const id = `${c.principal}\u0000${c.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const rows = await sql<{ principal: string; key: string }[]>`
    INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, created_at, locked_until)
    SELECT x.principal, x.key, x.method, x.path, x.hash, 'in_progress', x.at, x.locked_until
    FROM jsonb_to_recordset(${sql.json(claims.filter((_, i) => first[i]).map((c) => ({ ...c, at: c.at.toISOString(), locked_until: c.lockedUntil.toISOString() })))})
      AS x(principal text, key text, method text, path text, hash text, at timestamptz, locked_until timestamptz)
    ON CONFLICT (principal, key) DO NOTHING
    RETURNING principal, key`;
  const inserted = new Set(rows.map((r) => `${r.principal}\u0000${r.key}`));
  return claims.map((c, i) => first[i]! && inserted.has(`${c.principal}\u0000${c.key}`));
}

/**
 * The answers of many requests stored on their claimed keys in ONE statement
 * (ADR-040 "Idempotency keys"). The keys are also given as arrays, so that
 * the rows are found through the primary key however the join is planned
 * (ADR-040 "Batched reads look up by key"), never by a scan of every key.
 */
export async function finishKeys(sql: Db, done: KeyFinish[]): Promise<null[]> {
  await sql`
    UPDATE idempotency_key k SET status = 'done', response_status = x.status, response_body = x.body, response_type = x.type
    FROM jsonb_to_recordset(${sql.json(done)}) AS x(principal text, key text, status int, body text, type text)
    WHERE k.principal = x.principal AND k.key = x.key
      AND k.principal = ANY(${sql.array(done.map((d) => d.principal))}::text[]) AND k.key = ANY(${sql.array(done.map((d) => d.key))}::text[])`;
  return done.map(() => null);
}
