import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { DomainError } from '../http/errors.ts';

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

export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || !MUTATING.has(c.req.method)) return next();
    if (!KEY.test(key)) throw new DomainError('idempotency.key_invalid');
    const { sql } = c.var.deps;
    const now = c.var.now;
    const principal = c.var.user ? `user:${c.var.user.id}` : c.var.staff ? `staff:${c.var.staff.id}` : 'anon';
    const path = new URL(c.req.url).pathname;
    const body = await c.req.text();
    const hash = createHash('sha256').update(`${c.req.method}\n${path}\n${body}`).digest('hex');
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
        // A replay answers exactly what the first request answered.
        const headers = new Headers({ 'idempotent-replayed': 'true', 'x-request-id': c.var.requestId });
        if (row.response_type) headers.set('content-type', row.response_type);
        return new Response(row.response_status === 204 ? null : row.response_body, { status: row.response_status, headers });
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
