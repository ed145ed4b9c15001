import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context.ts';
import type { IdempotencyContext } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import type { Db } from '../db.ts';

/**
 * Idempotency keys in Stripe's model, stored in Postgres so that every bff
 * process agrees: the first request with a key runs, later ones with the same
 * key and body get the stored answer; another body → 422; a duplicate while
 * the first still runs → 409. Answers ≥ 500 are not stored, so a retry runs
 * again. See docs/decisions/005-idempotency.md for the crash window.
 */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[\x21-\x7e]{1,200}$/;
const LOCK_MS = 60_000;
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * Endpoints that store their answer in the same statement as their effect
 * ("atomic" keys, docs/decisions/015-lean-booking-path.md): the middleware
 * only works out the key's identity; the service looks the key up with its
 * reads ({@link idempotencyLookup}), answers a replay itself
 * ({@link replayOrRefuse}) and inserts the finished key with its effect
 * ({@link idempotencyInsert}). There is no in-progress state: a concurrent
 * duplicate waits on the row locks and then replays; a refusal that changed
 * nothing is not stored, so its retry runs again.
 */
const ATOMIC = new Set<string>();
export function atomicIdempotency(method: string, path: string): void {
  ATOMIC.add(`${method} ${path}`);
}

export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || !MUTATING.has(c.req.method)) return next();
    if (!KEY.test(key)) throw new DomainError('idempotency.key_invalid');
    const { sql } = c.get('deps');
    const now = c.get('now');
    const user = c.get('user');
    const staff = c.get('staff');
    // A deferred session's user is known only inside the service's first statement (http/auth.ts).
    const principal = user ? `user:${user.id}` : staff ? `staff:${staff.id}` : c.get('deferredSession') ? null : 'anon';
    // The path as sent (percent-encoded): c.req.path is decoded and may hold a NUL Postgres refuses.
    const path = new URL(c.req.url).pathname;
    const body = await c.req.text();
    const hash = createHash('sha256').update(`${c.req.method}\n${path}\n${body}`).digest('hex');
    if (ATOMIC.has(`${c.req.method} ${path}`)) {
      c.set('idempotency', { principal, key, method: c.req.method, path, hash });
      return next();
    }
    if (principal === null) throw new Error(`${c.req.method} ${path}: a deferred session needs an atomic Idempotency-Key`);
    const lockedUntil = new Date(now.getTime() + LOCK_MS);

    const inserted = await sql`
      INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, created_at, locked_until)
      VALUES (${principal}, ${key}, ${c.req.method}, ${path}, ${hash}, 'in_progress', ${now}, ${lockedUntil})
      ON CONFLICT (principal, key) DO NOTHING
      RETURNING key`;
    if (inserted.length === 0) {
      const [row] = await sql<{ request_hash: string; status: string; locked_until: Date; response_status: number; response_body: string; response_type: string | null }[]>`
        SELECT request_hash, status, locked_until, response_status, response_body, response_type
        FROM idempotency_key WHERE principal = ${principal} AND key = ${key}`;
      if (!row) throw new DomainError('idempotency.in_progress');
      if (row.request_hash !== hash) throw new DomainError('idempotency.key_reused');
      if (row.status === 'done') {
        return replayed(row.response_status, row.response_body, row.response_type, c.get('requestId'));
      }
      // Still running elsewhere, or abandoned by a process that died: take it over only after the lock lapsed.
      const taken = await sql`
        UPDATE idempotency_key SET locked_until = ${lockedUntil}
        WHERE principal = ${principal} AND key = ${key} AND status = 'in_progress' AND locked_until < ${now}
        RETURNING key`;
      if (taken.length === 0) throw new DomainError('idempotency.in_progress');
    }

    try {
      await next();
    } catch (e) {
      await sql`DELETE FROM idempotency_key WHERE principal = ${principal} AND key = ${key} AND status = 'in_progress'`;
      throw e;
    }
    const res = c.res;
    if (res.status >= 500) {
      await sql`DELETE FROM idempotency_key WHERE principal = ${principal} AND key = ${key}`;
      return;
    }
    // Read once and answer with the same bytes. Not res.clone(): undici (Node 20/22) cancels a
    // clone's original stream when the original Response object is collected, and Hono has by
    // then moved that stream into the Response it sends, which a GC would leave without a body.
    const text = await res.text();
    c.res = new Response(NULL_BODY.has(res.status) ? null : text, res);
    await sql`
      UPDATE idempotency_key SET status = 'done', response_status = ${res.status}, response_body = ${text},
        response_type = ${res.headers.get('content-type')}
      WHERE principal = ${principal} AND key = ${key}`;
  };
}

/** A replay answers exactly what the first request answered. */
function replayed(status: number, body: string | null, type: string | null, requestId: string): Response {
  const headers = new Headers({ 'idempotent-replayed': 'true', 'x-request-id': requestId });
  if (type) headers.set('content-type', type);
  return new Response(NULL_BODY.has(status) ? null : body, { status, headers });
}

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
  return db`(SELECT json_build_object('status', status, 'hash', request_hash, 'responseStatus', response_status, 'body', response_body, 'type', response_type)
    FROM idempotency_key WHERE principal = ${principal} AND key = ${k.key})`;
}

/** What a key found by {@link idempotencyLookup} means: the stored answer, or a refusal (422 another request, 409 still running). */
export function replayOrRefuse(k: IdempotencyContext, stored: StoredKey, requestId: string): Response {
  if (stored.hash !== k.hash) throw new DomainError('idempotency.key_reused');
  if (stored.status !== 'done' || stored.responseStatus === null) throw new DomainError('idempotency.in_progress');
  return replayed(stored.responseStatus, stored.body, stored.type, requestId);
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
