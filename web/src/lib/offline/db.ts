import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export type OutboxMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type OutboxStatus = 'waiting' | 'sending' | 'failed' | 'sent';

/** A request made while offline (or that met a network error), waiting in the outbox. */
export type OutboxItem = {
  /** Auto-incremented; the order the user submitted in, which is the order of replay. */
  id: number;
  idempotencyKey: string;
  method: OutboxMethod;
  /** Same-origin path under /api/, sent through the web server's bff proxy. */
  path: string;
  body: unknown;
  /** What the user sees in the outbox, in the language they submitted in. */
  label: string;
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  lastAttemptAt: string | null;
  /** The bff's refusal in its words (failed), or why it still waits (network error, session ended). */
  lastError: string | null;
  /** The session ended when it was sent (401): it waits, with its place, until the user signs in again. */
  needsSignIn?: boolean;
  sentAt: string | null;
  /** The bff's answer once sent, e.g. a reference number to show the user. */
  result: unknown;
  /**
   * Who queued it (the bff's `jg_owner` tag, not a credential). On a shared
   * device an item is replayed only while the same user is signed in.
   */
  owner?: string | null;
};

export type Draft<T = Record<string, unknown>> = { formId: string; data: T; savedAt: string };
export type Snapshot<T = unknown> = { key: string; data: T; savedAt: string };

interface OfflineSchema extends DBSchema {
  drafts: { key: string; value: Draft<unknown> };
  outbox: { key: number; value: OutboxItem };
  snapshots: { key: string; value: Snapshot };
}

export const DB_NAME = 'jiaoguan-offline';

let opening: Promise<IDBPDatabase<OfflineSchema>> | null = null;

export function getDb(): Promise<IDBPDatabase<OfflineSchema>> {
  opening ??= openDB<OfflineSchema>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('drafts', { keyPath: 'formId' });
      db.createObjectStore('outbox', { keyPath: 'id', autoIncrement: true });
      db.createObjectStore('snapshots', { keyPath: 'key' });
    },
    // A newer version of the app in another tab wants to upgrade: let it.
    blocking() {
      void closeDb();
    },
  });
  return opening;
}

export async function closeDb(): Promise<void> {
  const pending = opening;
  opening = null;
  if (pending) (await pending).close();
}
