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
