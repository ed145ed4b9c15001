import type { OutboxItem } from './db.ts';
import { listOutbox, onOutboxChanged } from './outbox.ts';

/**
 * The outbox as reactive state for the header badge and the outbox page.
 * Lives in the browser only; on the server it stays empty.
 */
class OutboxState {
  // Raw: items are replaced wholesale and must stay plain objects IndexedDB can clone.
  items = $state.raw<OutboxItem[]>([]);
  loaded = $state(false);
  /** Everything not yet sent: waiting, being sent, or refused and waiting for the user. */
  pending = $derived(this.items.filter((i) => i.status !== 'sent').length);
  #stop: (() => void) | null = null;

  async refresh(): Promise<void> {
    this.items = await listOutbox();
    this.loaded = true;
  }

  /** Follows IndexedDB (this tab and others) until the returned function is called. */
  follow(): () => void {
    this.#stop?.();
    const stop = onOutboxChanged(() => void this.refresh());
    this.#stop = stop;
    void this.refresh();
    return () => {
      stop();
      if (this.#stop === stop) this.#stop = null;
    };
  }
}

export const outbox = new OutboxState();
