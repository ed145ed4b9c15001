import { ApiError, createClient, type Problem } from 'bff/client';
import { problemToFormError, refusalText } from '../form-errors.ts';
import { getDb, type OutboxItem, type OutboxMethod } from './db.ts';
import { notifyOutboxChanged, onOutboxChanged } from './events.ts';

export type EnqueueInput = {
  method: OutboxMethod;
  /** Same-origin bff path, e.g. `/api/v1/…`. */
  path: string;
  body?: unknown;
  label: string;
  /** Defaults to the signed-in user's tag. */
  owner?: string | null;
};

export type ReplayOptions = {
  fetch?: typeof fetch;
  /** The signed-in user's tag; defaults to the `jg_owner` cookie. */
  owner?: string | null;
  /** Where `/api/…` lives; the page's own origin in the browser. */
  baseUrl?: string;
  /** Sent as Accept-Language so a refusal comes back in the user's language. */
  locale?: string;
};

export type ReplaySummary = { sent: number; failed: number; waiting: number };

/** The signed-in user's tag from the readable `jg_owner` cookie the bff sets at sign-in; null when signed out. */
export function currentOwner(cookie: string = globalThis.document?.cookie ?? ''): string | null {
  const m = /(?:^|;\s*)jg_owner=([0-9a-f]{16})(?:;|$)/.exec(cookie);
  return m ? m[1]! : null;
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID only exists in secure contexts; a page opened over plain http on a LAN still needs keys.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function enqueue(input: EnqueueInput): Promise<OutboxItem> {
  if (!input.path.startsWith('/api/')) throw new Error(`outbox only replays /api/ paths, not ${input.path}`);
  const record = {
    owner: input.owner !== undefined ? input.owner : currentOwner(),
    idempotencyKey: newKey(),
    method: input.method,
    path: input.path,
    body: input.body ?? null,
    label: input.label,
    createdAt: new Date().toISOString(),
    status: 'waiting',
    attempts: 0,
    lastAttemptAt: null,
    lastError: null,
    sentAt: null,
    result: null,
  } satisfies Omit<OutboxItem, 'id'>;
  const db = await getDb();
  // `id` is filled in by the store's autoIncrement.
  const id = await db.add('outbox', record as OutboxItem);
  notifyOutboxChanged();
  return { ...record, id };
}

export async function listOutbox(): Promise<OutboxItem[]> {
  const db = await getDb();
  return db.getAll('outbox');
}

/** Items the user still has to think about: everything not yet sent. */
export async function pendingCount(): Promise<number> {
  return (await listOutbox()).filter((i) => i.status !== 'sent').length;
}

async function update(id: number, change: (item: OutboxItem) => OutboxItem | null): Promise<OutboxItem | undefined> {
  const db = await getDb();
  const tx = db.transaction('outbox', 'readwrite');
  const current = await tx.store.get(id);
  const next = current ? change(current) : null;
  if (next) await tx.store.put(next);
  await tx.done;
  if (next) notifyOutboxChanged();
  return next ?? undefined;
}

/** Puts a failed item back in the queue; the caller decides when to replay. */
export async function retryItem(id: number): Promise<void> {
  await update(id, (item) => (item.status === 'failed' ? { ...item, status: 'waiting' } : null));
}

/** Removes an item; returns it so the page can offer "undo". */
export async function discardItem(id: number): Promise<OutboxItem | undefined> {
  const db = await getDb();
  const item = await db.get('outbox', id);
  if (!item) return undefined;
  await db.delete('outbox', id);
  notifyOutboxChanged();
  return item;
}

/** Undo of a discard: the item comes back with its place in the queue and its idempotency key. */
export async function restoreItem(item: OutboxItem): Promise<void> {
  const db = await getDb();
  await db.put('outbox', item.status === 'sending' ? { ...item, status: 'waiting' } : item);
  notifyOutboxChanged();
}

export async function clearSent(): Promise<void> {
  const db = await getDb();
  const tx = db.transaction('outbox', 'readwrite');
  for (const item of await tx.store.getAll()) {
    if (item.status === 'sent') await tx.store.delete(item.id);
  }
  await tx.done;
  notifyOutboxChanged();
}

/**
 * A refusal the bff will give again however often we ask: the user must see it.
 * Timeouts, rate limits and "a duplicate is still running" (409 idempotency.in_progress)
 * clear up by themselves, so those items keep waiting.
 */
function isFinalRefusal(problem: Problem): boolean {
  if (problem.status < 400 || problem.status >= 500) return false;
  if (problem.status === 408 || problem.status === 425 || problem.status === 429) return false;
  return problem.code !== 'idempotency.in_progress';
}

async function replayWaiting(options: ReplayOptions): Promise<ReplaySummary> {
  const db = await getDb();
  const client = createClient({
    baseUrl: options.baseUrl ?? globalThis.location.origin,
    fetch: options.fetch,
    headers: options.locale ? { 'accept-language': options.locale } : {},
  });
  const summary: ReplaySummary = { sent: 0, failed: 0, waiting: 0 };
  // Only the holder of the replay lock sends, so a 'sending' item found here
  // was interrupted (tab closed, crash) and is sent again under the same key.
  // Another user's items wait until that user signs in again on this device:
  // replaying them under this session would act in the wrong person's name.
  const owner = options.owner !== undefined ? options.owner : currentOwner();
  const queue = (await db.getAll('outbox')).filter(
    (i) => (i.status === 'waiting' || i.status === 'sending') && (i.owner == null || i.owner === owner),
  );
  let blocked = false;
  for (const queued of queue) {
    if (blocked) {
      summary.waiting++;
      continue;
    }
    const item = await update(queued.id, (current) =>
      current.status === 'waiting' || current.status === 'sending'
        ? { ...current, status: 'sending', attempts: current.attempts + 1, lastAttemptAt: new Date().toISOString() }
        : null,
    );
    if (!item) continue; // discarded or retried elsewhere meanwhile
    try {
      const { data } = await client.call<unknown>(item.method, item.path, item.body, {
        idempotencyKey: item.idempotencyKey,
      });
      await update(item.id, (current) => ({
        ...current,
        status: 'sent',
        sentAt: new Date().toISOString(),
        lastError: null,
        needsSignIn: false,
        result: data ?? null,
      }));
      summary.sent++;
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 401) {
        // The session ended: nothing goes through until the user signs in
        // again, and then this item goes first, under its own key. Never
        // "failed": the user did nothing wrong and must not have to type it again.
        const reason = refusalText(problemToFormError(error.problem));
        await update(item.id, (current) => ({ ...current, status: 'waiting', lastError: reason, needsSignIn: true }));
        summary.waiting++;
        blocked = true;
        continue;
      }
      if (error instanceof ApiError && isFinalRefusal(error.problem)) {
        const reason = refusalText(problemToFormError(error.problem));
        await update(item.id, (current) => ({ ...current, status: 'failed', lastError: reason, needsSignIn: false }));
        summary.failed++;
        continue;
      }
      // Network down or bff in trouble: keep the item, and keep its place —
      // later items must not overtake it.
      const message = error instanceof ApiError ? error.problem.title : String((error as Error)?.message ?? error);
      await update(item.id, (current) => ({ ...current, status: 'waiting', lastError: message }));
      summary.waiting++;
      blocked = true;
    }
  }
  return summary;
}

let running: Promise<ReplaySummary> | null = null;

/**
 * Sends every waiting item in order with its Idempotency-Key. Calls made while a
 * replay runs share it; across tabs a Web Lock keeps one sender at a time (the
 * idempotency key would make a double send harmless, but not quiet).
 */
export function replayAll(options: ReplayOptions = {}): Promise<ReplaySummary> {
  running ??= (async () => {
    try {
      const locks = globalThis.navigator?.locks;
      return locks
        ? await locks.request('jiaoguan-outbox-replay', () => replayWaiting(options))
        : await replayWaiting(options);
    } finally {
      running = null;
    }
  })();
  return running;
}

/**
 * Replays now, whenever the browser says the network is back, and once a
 * minute — the network can be up while the bff is not, and no event says when
 * it returns. Returns a function that stops all of that.
 */
export function startOutbox(options: () => ReplayOptions): () => void {
  const replay = () => {
    if (navigator.onLine) void replayAll(options()).catch(() => {});
  };
  replay();
  window.addEventListener('online', replay);
  const timer = setInterval(replay, 60_000);
  return () => {
    window.removeEventListener('online', replay);
    clearInterval(timer);
  };
}

export { onOutboxChanged };
