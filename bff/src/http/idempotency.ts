import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routeOptions } from './route-options.ts';
import type { AppEnv } from './context.ts';
import { DomainError } from '../core/errors.ts';
import { claimKeys, finishKeys, type KeyClaim, type KeyFinish, type StoredAnswer } from '../platform/idempotency.ts';
import { groupCommitFor } from '../platform/group-commit.ts';
import type { Sql } from '../db.ts';

/**
 * Idempotency keys in Stripe's model, stored in Postgres so that every bff
 * process agrees: the first request with a key runs, later ones with the same
 * key and body get the stored answer; another body → 422; a duplicate while
 * the first still runs → 409. Answers ≥ 500 are not stored, so a retry runs
 * again. See docs/decisions/005-idempotency-outbox-jobs.md for the crash window.
 */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[\x21-\x7e]{1,200}$/;
/** A random UUID (version 4): what a signed-out caller's key must be (ADR-023). */
const RANDOM_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const LOCK_MS = 60_000;
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * Endpoints that store their answer in the same statement as their effect
 * ("atomic" keys, docs/decisions/015-lean-booking-path.md): the middleware
 * only works out the key's identity; the service looks the key up with its
 * reads (platform/idempotency.ts `idempotencyLookup`), answers a replay itself
 * (`replayOrRefuse`) and inserts the finished key with its effect
 * (`idempotencyInsert`). There is no in-progress state: a concurrent
 * duplicate waits on the row locks and then replays; a refusal that changed
 * nothing is not stored, so its retry runs again.
 */
export function idempotency(opts: { atomic: true } | { store: false }): MiddlewareHandler<AppEnv> {
  const mw: MiddlewareHandler<AppEnv> = (_c, next) => next();
  // `store: false`: the answer carries personal data (a revealed ID number) that the key table must never hold;
  // such a command is safe to repeat (each run is its own audited reveal), so the key is ignored.
  return 'atomic' in opts ? Object.assign(mw, { atomicIdempotency: true as const }) : Object.assign(mw, { unstoredAnswer: true as const });
}

/** Whether the matched route declared {@link idempotency} `{ atomic: true }`. */
const hasAtomicKey = (c: Context<AppEnv>) => routeOptions(c).atomicIdempotency === true;

/**
 * Every mutating request with an `Idempotency-Key` (mounted for the whole API
 * in app.ts): the key, its request hash and its stored answer, kept in
 * Postgres so that every bff process agrees.
 */
export function idempotencyKeys(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || !MUTATING.has(c.req.method) || routeOptions(c).unstoredAnswer) return next();
    if (!KEY.test(key)) throw new DomainError('idempotency.key_invalid');
    const { sql } = c.get('deps');
    const now = c.get('now');
    const user = c.get('user');
    const staff = c.get('staff');
    // A deferred session's user is known only inside the service's first statement (platform/sessions.ts).
    const principal = user ? `user:${user.id}` : staff ? `staff:${staff.id}` : c.get('deferredSession') ? null : anonymousPrincipal(c, key);
    if (principal === undefined) return next();
    // The path as sent (percent-encoded): c.req.path is decoded and may hold a NUL Postgres refuses.
    const path = new URL(c.req.url).pathname;
    const body = await c.req.text();
    const hash = createHash('sha256').update(`${c.req.method}\n${path}\n${body}`).digest('hex');
    if (hasAtomicKey(c)) {
      c.set('idempotency', { principal, key, method: c.req.method, path, hash });
      return next();
    }
    if (principal === null) throw new Error(`${c.req.method} ${path}: a deferred session needs an atomic Idempotency-Key`);
    const lockedUntil = new Date(now.getTime() + LOCK_MS);

    // With group commit the claims (and below the answers) of requests that arrive together go as one statement (ADR-040 "Idempotency keys").
    const batched = c.get('deps').config.GROUP_COMMIT;
    const claimed = batched
      ? await claimBatcher(sql).submit({ principal, key, method: c.req.method, path, hash, at: now, lockedUntil })
      : (await sql`
          INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, created_at, locked_until)
          VALUES (${principal}, ${key}, ${c.req.method}, ${path}, ${hash}, 'in_progress', ${now}, ${lockedUntil})
          ON CONFLICT (principal, key) DO NOTHING
          RETURNING key`).length > 0;
    if (!claimed) {
      const [row] = await sql<{ request_hash: string; status: string; locked_until: Date; response_status: number; response_body: string; response_type: string | null }[]>`
        SELECT request_hash, status, locked_until, response_status, response_body, response_type
        FROM idempotency_key WHERE principal = ${principal} AND key = ${key}`;
      if (!row) throw new DomainError('idempotency.in_progress');
      if (row.request_hash !== hash) throw new DomainError('idempotency.key_reused');
      if (row.status === 'done') {
        return replayResponse({ status: row.response_status, body: row.response_body, type: row.response_type }, c.get('requestId'));
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
    let text = heldBodyText(res);
    if (text === undefined) {
      // Read once and answer with the same bytes. Not res.clone(): undici (Node 20/22) cancels a
      // clone's original stream when the original Response object is collected, and Hono has by
      // then moved that stream into the Response it sends, which a GC would leave without a body.
      text = await res.text();
      c.res = new Response(NULL_BODY.has(res.status) ? null : text, res);
    }
    if (batched) await finishBatcher(sql).submit({ principal, key, status: res.status, body: text, type: res.headers.get('content-type') });
    else
      await sql`
        UPDATE idempotency_key SET status = 'done', response_status = ${res.status}, response_body = ${text},
          response_type = ${res.headers.get('content-type')}
        WHERE principal = ${principal} AND key = ${key}`;
  };
}

/**
 * The body of an answer that @hono/node-server's own Response still holds as
 * a string (what `c.json` and `c.body` with a string make when the bff is
 * served by it): read where that Response keeps it, so the answer goes out as
 * it is. `res.text()` would turn it into undici's Response, and the copy sent
 * instead into a second one, both read through web streams: half a
 * millisecond of CPU a keyed request (ADR-040 "Idempotency keys"). Any other
 * answer (a stream, a Response already turned, undici's own under
 * `app.request`): undefined, and it is read the standard way. The versions of
 * hono and @hono/node-server are pinned; `http/idempotency.test.ts` fails if
 * this stops finding the body.
 */
export function heldBodyText(res: Response): string | undefined {
  const cache = Object.getOwnPropertySymbols(res).find((s) => s.description === 'cache');
  const held = cache === undefined ? undefined : (res as unknown as Record<symbol, unknown>)[cache];
  if (!Array.isArray(held) || held.length !== 3 || held[0] !== res.status) return undefined;
  const body: unknown = held[1];
  return body === null ? '' : typeof body === 'string' ? body : undefined;
}

const KEY_BATCH = { windowMs: 2, maxBatch: 64, maxInFlight: 4 } as const;
/** The process's batchers of key claims and of finished answers (main pool: they write). */
const claimBatcher = (sql: Sql) => groupCommitFor<KeyClaim, boolean>(sql, 'idempotency.claim', () => ({ run: (xs) => claimKeys(sql, xs), ...KEY_BATCH }));
const finishBatcher = (sql: Sql) => groupCommitFor<KeyFinish, null>(sql, 'idempotency.finish', () => ({ run: (xs) => finishKeys(sql, xs), ...KEY_BATCH }));

/**
 * Signed out, a key is scoped to the caller's address as the bff believes it
 * (http/client-address.ts: not forgeable through X-Forwarded-For) and must be
 * a random UUID v4, so that two callers behind one address never pick the
 * same key by chance, and nobody can guess another's (ADR-023). Before, every
 * signed-out caller shared one scope: the second to send a key got the first
 * one's answer.
 */
function anonymousPrincipal(c: Context<AppEnv>, key: string): string | undefined {
  if (RANDOM_UUID.test(key)) return `anon:${c.get('ip')}`;
  // A route that wants a session refuses this caller anyway (401), whatever the key.
  if (routeOptions(c).guarded) return undefined;
  throw new DomainError('idempotency.key_invalid');
}

/** A replay answers exactly what the first request answered. */
export function replayResponse(a: StoredAnswer, requestId: string): Response {
  const headers = new Headers({ 'idempotent-replayed': 'true', 'x-request-id': requestId });
  if (a.type) headers.set('content-type', a.type);
  return new Response(NULL_BODY.has(a.status) ? null : a.body, { status: a.status, headers });
}
