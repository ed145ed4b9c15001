import type { SubmitFunction } from '@sveltejs/kit';
import type { OutboxItem, OutboxMethod } from './db.ts';
import { clearDraft } from './drafts.ts';
import { enqueue } from './outbox.ts';

export type QueueOptions = {
  /** The bff call this form stands for, replayed later from the outbox. */
  method?: OutboxMethod;
  path: string;
  body: (data: FormData) => unknown;
  label: (data: FormData) => string;
  /** The form's draft, cleared once its content is safely in the outbox. */
  draftId?: string;
  onQueued?: (item: OutboxItem) => void;
  /** Submission starts (`true`) and ends (`false`), online or queued: disable the button meanwhile. */
  busy?: (busy: boolean) => void;
  /** Keep what was typed after the action answers (a settings form); SvelteKit resets by default. */
  keepValues?: boolean;
};

function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError;
}

/**
 * `use:enhance={queueWhenOffline({...})}` for forms that may be filled in
 * without a network: offline (or when the request cannot get through) the
 * submission goes to the outbox instead of failing; online the form action runs
 * as usual.
 */
export function queueWhenOffline(options: QueueOptions): SubmitFunction {
  const queue = async (data: FormData) => {
    const item = await enqueue({
      method: options.method ?? 'POST',
      path: options.path,
      body: options.body(data),
      label: options.label(data),
    });
    if (options.draftId) await clearDraft(options.draftId);
    options.onQueued?.(item);
  };
  return ({ formData, cancel }) => {
    options.busy?.(true);
    if (!navigator.onLine) {
      cancel();
      void queue(formData).finally(() => options.busy?.(false));
      return;
    }
    return async ({ result, update }) => {
      try {
        if (result.type === 'error' && isNetworkFailure(result.error)) {
          await queue(formData);
          return;
        }
        if (result.type === 'success' && options.draftId) await clearDraft(options.draftId);
        await update(options.keepValues ? { reset: false } : undefined);
      } finally {
        options.busy?.(false);
      }
    };
  };
}
