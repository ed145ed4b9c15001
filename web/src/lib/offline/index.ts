export type { Draft, OutboxItem, OutboxMethod, OutboxStatus, Snapshot } from './db.ts';
export { saveDraft, loadDraft, clearDraft } from './drafts.ts';
export { saveSnapshot, loadSnapshot } from './snapshots.ts';
export {
  enqueue,
  listOutbox,
  pendingCount,
  replayAll,
  retryItem,
  discardItem,
  restoreItem,
  clearSent,
  startOutbox,
  currentOwner,
  type EnqueueInput,
  type ReplayOptions,
  type ReplaySummary,
} from './outbox.ts';
export { outbox } from './outbox-state.svelte.ts';
export { keepDraft, type DraftOptions } from './draft-form.ts';
export { queueWhenOffline, type QueueOptions } from './queue-form.ts';
export { forgetSavedPages, forgetSignedInData, keepPageForOffline } from './device.ts';
