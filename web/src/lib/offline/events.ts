// Tells every part of the app — and other tabs — that the outbox changed,
// so the header badge and the outbox page stay in step with IndexedDB.
const local = new EventTarget();
let channel: BroadcastChannel | null | undefined;

function crossTab(): BroadcastChannel | null {
  if (channel === undefined) {
    channel =
      typeof window !== 'undefined' && typeof BroadcastChannel !== 'undefined'
        ? new BroadcastChannel('jiaoguan-outbox')
        : null;
    channel?.addEventListener('message', () => local.dispatchEvent(new Event('change')));
  }
  return channel;
}

export function notifyOutboxChanged(): void {
  local.dispatchEvent(new Event('change'));
  crossTab()?.postMessage('change');
}

export function onOutboxChanged(listener: () => void): () => void {
  crossTab();
  local.addEventListener('change', listener);
  return () => local.removeEventListener('change', listener);
}
