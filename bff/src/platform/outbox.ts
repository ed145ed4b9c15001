import type { Db, Sql } from '../db.ts';
import { maskSensitive } from './log.ts';

/**
 * Outbox for SMS, post and payment messages (non-negotiable 2). A service
 * enqueues in the same transaction as the change that causes the message, so
 * a message exists exactly when its cause committed. A dispatcher hands due
 * messages to the channel's provider; delivery states and every transition
 * are kept (outbox_message.status + outbox_event).
 */
export type OutboxChannel = 'sms' | 'post' | 'payment' | 'email';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'failed' | 'refused' | 'expired';

export type OutboxMessage = {
  id: string;
  channel: OutboxChannel;
  recipient: string;
  template: string;
  payload: Record<string, unknown>;
  attempts: number;
};

export type DeliveryResult =
  | { status: 'sent' | 'delivered'; providerRef?: string }
  | { status: 'refused'; providerRef?: string; error: string }
  | { status: 'failed'; error: string; retryable: boolean };

/** What a real SMS gateway, postal service or payment provider implements. */
export interface OutboxProvider {
  readonly name: string;
  deliver(message: OutboxMessage, text: string): Promise<DeliveryResult>;
}
export type OutboxProviders = Partial<Record<OutboxChannel, OutboxProvider>>;

export type NewMessage = {
  channel: OutboxChannel;
  recipient: string;
  template: string;
  payload?: Record<string, unknown>;
  authorityId?: string | null;
  /** Same key → one message, however often the cause is retried. */
  dedupeKey?: string;
};

export async function enqueueMessage(tx: Db, msg: NewMessage, now: Date): Promise<string> {
  // One statement, one round trip: the message and, only when it is new, its first event.
  // A deduplicated enqueue is no transition: the existing message keeps its status and history.
  const [row] = await tx<{ id: string }[]>`
    WITH m AS (
      INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
      VALUES (${msg.channel}, ${msg.recipient}, ${msg.template}, ${tx.json((msg.payload ?? {}) as Parameters<Db['json']>[0])},
              ${msg.authorityId ?? null}, ${msg.dedupeKey ?? null}, 'pending', ${now}, ${now}, ${now})
      ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
      RETURNING id, (xmax = 0) AS inserted
    ), e AS (
      INSERT INTO outbox_event (message_id, at, status) SELECT id, ${now}, 'pending' FROM m WHERE inserted
    )
    SELECT id FROM m`;
  return row!.id;
}

/**
 * {@link enqueueMessage} as two CTEs (`<name>_m`, `<name>_e`) for a statement
 * that makes the cause in one round trip; the message is written once per row
 * of `source` (a CTE of the same statement that has a row only when the cause
 * happened). Put it after `WITH …,`.
 */
export function enqueueMessageCtes(tx: Db, name: string, source: string, msg: NewMessage, now: Date) {
  return tx`${tx(name + '_m')} AS (
      INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
      SELECT ${msg.channel}, ${msg.recipient}, ${msg.template}, ${tx.json((msg.payload ?? {}) as Parameters<Db['json']>[0])},
             ${msg.authorityId ?? null}, ${msg.dedupeKey ?? null}, 'pending', ${now}, ${now}, ${now} FROM ${tx(source)}
      ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
      RETURNING id, (xmax = 0) AS inserted
    ), ${tx(name + '_e')} AS (
      INSERT INTO outbox_event (message_id, at, status) SELECT id, ${now}, 'pending' FROM ${tx(name + '_m')} WHERE inserted
    )`;
}

export type TextTemplate = (p: Record<string, unknown>) => string;

/** SMS texts, zh-CN as the authorities send them. The module registry (modules/index.ts) adds every module's. */
const smsTemplates: Record<string, TextTemplate> = {
  'auth.sms_code': (p) => `【交管12123】您的验证码为${p.code}，${p.minutes}分钟内有效，请勿泄露给他人。`,
  'auth.signed_up': (p) => `【交管12123】您已成功注册互联网交通安全综合服务管理平台账号（${p.phoneMasked}）。`,
};

/** Called once at start-up (modules/index.ts) with each module's texts. */
export function registerTemplates(templates: Record<string, TextTemplate>): void {
  for (const [name, t] of Object.entries(templates)) {
    if (smsTemplates[name] && smsTemplates[name] !== t) throw new Error(`SMS template ${name} registered twice`);
    smsTemplates[name] = t;
  }
}

export function renderText(channel: OutboxChannel, template: string, payload: Record<string, unknown>): string {
  const t = channel === 'sms' || channel === 'email' ? smsTemplates[template] : undefined;
  return t ? t(payload) : `${template} ${JSON.stringify(payload)}`;
}

const RETRY_DELAYS_S = [10, 60, 300, 1800, 7200];
const MAX_ATTEMPTS = RETRY_DELAYS_S.length + 1;
// A message left in 'sending' this long (its process died mid-call) is retried.
const STALE_SENDING_MS = 5 * 60_000;

/**
 * Delivers up to `limit` due messages. Claiming uses FOR UPDATE SKIP LOCKED,
 * so any number of bff processes can dispatch without sending one message
 * twice in normal operation; after a crash mid-call the message is retried
 * (at-least-once, the message id is the provider's idempotency key).
 */
export async function dispatchDue(sql: Sql, providers: OutboxProviders, now: Date, limit = DISPATCH_BATCH): Promise<number> {
  const staleBefore = new Date(now.getTime() - STALE_SENDING_MS);
  // One statement claims the batch: the due rows locked (SKIP LOCKED), marked sending, an event each. The
  // claimed rows are found by their ids as an array, through the primary key however the statement is
  // planned, never by a scan of every message (ADR-040 "Batched reads look up by key"); so are their outcomes.
  const claimed = await sql<OutboxMessage[]>`
    WITH due AS (
      SELECT id FROM outbox_message
      WHERE (status = 'pending' AND next_attempt_at <= ${now})
         OR (status = 'sending' AND updated_at < ${staleBefore})
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE outbox_message m SET status = 'sending', attempts = m.attempts + 1, updated_at = ${now}
      WHERE m.id = ANY(ARRAY(SELECT id FROM due))
      RETURNING m.id, m.channel, m.recipient, m.template, m.payload, m.attempts - 1 AS attempts, m.next_attempt_at
    ), events AS (
      INSERT INTO outbox_event (message_id, at, status) SELECT id, ${now}, 'sending' FROM claimed
    )
    SELECT id, channel, recipient, template, payload, attempts FROM claimed ORDER BY next_attempt_at, id`;
  if (claimed.length === 0) return 0;
  // The provider calls of a batch run side by side (they wait on the network, not on us)…
  const outcomes = await Promise.all(
    claimed.map(async (m) => {
      const provider = providers[m.channel];
      let result: DeliveryResult;
      if (!provider) result = { status: 'failed', error: `no provider for channel ${m.channel}`, retryable: false };
      else {
        try {
          result = await provider.deliver({ ...m, attempts: m.attempts + 1 }, renderText(m.channel, m.template, m.payload));
        } catch (e) {
          result = { status: 'failed', error: (e as Error).message, retryable: true };
        }
      }
      return outcomeOf(m.id, m.attempts + 1, result, provider?.name ?? null, now);
    }),
  );
  // …and one statement records them all.
  await recordOutcomes(sql, outcomes, now);
  return claimed.length;
}

/** Messages a dispatcher claims at once; a full batch makes the worker come back at once (workers.ts). */
export const DISPATCH_BATCH = 100;

type Outcome = { id: string; status: OutboxStatus; next: Date; provider: string | null; ref: string | null; error: string | null };

function outcomeOf(id: string, attempts: number, r: DeliveryResult, provider: string | null, now: Date): Outcome {
  let status: OutboxStatus = r.status;
  let next = now;
  const error: string | null = 'error' in r ? maskSensitive(r.error) : null;
  if (r.status === 'failed' && r.retryable && attempts < MAX_ATTEMPTS) {
    status = 'pending';
    next = new Date(now.getTime() + RETRY_DELAYS_S[attempts - 1]! * 1000);
  }
  const ref = 'providerRef' in r ? (r.providerRef ?? null) : null;
  return { id, status, next, provider, ref, error };
}

async function recordOutcomes(sql: Sql, outcomes: Outcome[], now: Date) {
  const col = <K extends keyof Outcome>(k: K) => outcomes.map((o) => (o[k] instanceof Date ? (o[k] as Date).toISOString() : (o[k] as string | null)));
  // One statement (atomic on its own): each message's new state and its event.
  await sql`
    WITH r AS (
      SELECT * FROM unnest(${col('id')}::uuid[], ${col('status')}::text[], ${col('next')}::timestamptz[],
                           ${col('provider')}::text[], ${col('ref')}::text[], ${col('error')}::text[])
        AS r(id, status, next, provider, ref, error)
    ), m AS (
      UPDATE outbox_message o
      SET status = r.status, next_attempt_at = r.next, provider = r.provider, provider_ref = COALESCE(r.ref, o.provider_ref),
          last_error = r.error, updated_at = ${now}
      FROM r WHERE o.id = r.id AND o.id = ANY(${col('id')}::uuid[])
      RETURNING o.id, r.status, r.error
    )
    INSERT INTO outbox_event (message_id, at, status, detail) SELECT id, ${now}, status, error FROM m`;
}

/** Asynchronous receipts (a letter delivered or refused days later). */
export async function recordReceipt(tx: Db, id: string, status: 'delivered' | 'refused' | 'failed', detail: string | null, now: Date) {
  const [row] = await tx<{ id: string }[]>`
    UPDATE outbox_message SET status = ${status}, last_error = ${detail}, updated_at = ${now}
    WHERE id = ${id} AND status IN ('sending', 'sent', 'delivered') RETURNING id`;
  if (row) await tx`INSERT INTO outbox_event (message_id, at, status, detail) VALUES (${id}, ${now}, ${status}, ${detail})`;
  return Boolean(row);
}

/**
 * The development adapter: delivers in-process. SMS and e-mail count as
 * delivered at once (they can be read at /dev/inbox and in admin); post
 * stays 'sent' until a receipt is recorded; payment is 'sent' for the
 * payment module to confirm.
 */
export function devProviders(): OutboxProviders {
  const instant = (name: string, status: 'sent' | 'delivered'): OutboxProvider => ({
    name,
    async deliver(m) {
      return { status, providerRef: `${name}-${m.id.slice(0, 8)}` };
    },
  });
  return {
    sms: instant('dev-sms', 'delivered'),
    email: instant('dev-email', 'delivered'),
    post: instant('dev-post', 'sent'),
    payment: instant('dev-payment', 'sent'),
  };
}
