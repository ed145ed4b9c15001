import { clearAllDrafts } from './drafts.ts';
import { clearSnapshots } from './snapshots.ts';

/** The Workbox runtime caches that hold personal pages and API answers (see vite.config.ts). */
export const PERSONAL_CACHES = ['pages', 'api'] as const;

/**
 * On sign-in: saved pages and answers may belong to whoever used this device
 * before. They can all be fetched again; drafts stay, they may be this user's
 * work from before the session expired.
 */
export async function forgetSavedPages(): Promise<void> {
  const tasks: Promise<unknown>[] = [clearSnapshots()];
  if (typeof caches !== 'undefined') tasks.push(...PERSONAL_CACHES.map((name) => caches.delete(name)));
  await Promise.allSettled(tasks);
}

/**
 * On sign-out: forget what this device saved about the user, so the next
 * person on a shared phone cannot read it offline. The outbox stays: its items
 * are the user's unsent work, and the account page warns about them first.
 */
export async function forgetSignedInData(): Promise<void> {
  await Promise.allSettled([forgetSavedPages(), clearAllDrafts()]);
}

/**
 * Make sure the page now on screen can be opened again offline, even when it
 * was reached by client-side navigation (which the service worker only sees as
 * a __data.json request, not as the page itself).
 */
export async function keepPageForOffline(url: string): Promise<void> {
  if (typeof caches === 'undefined' || !('serviceWorker' in navigator)) return;
  if (!navigator.serviceWorker.controller) await navigator.serviceWorker.ready;
  const cache = await caches.open('pages');
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
  if (response.ok && !response.redirected) await cache.put(url, response);
}
