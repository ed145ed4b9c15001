import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDb, DB_NAME } from './db.ts';
import { loadDraft, saveDraft } from './drafts.ts';
import { listOutbox } from './outbox.ts';
import { queueWhenOffline } from './queue-form.ts';

type Submit = Parameters<ReturnType<typeof queueWhenOffline>>[0];

function setOnline(onLine: boolean) {
  vi.stubGlobal('navigator', { onLine });
}

function contactForm() {
  const fd = new FormData();
  fd.set('email', 'a@example.com');
  fd.set('postalAddress', '');
  fd.set('postcode', '518048');
  return fd;
}

const options = (events: string[]) =>
  queueWhenOffline({
    path: '/api/v1/me/contact',
    body: (fd) => ({ email: fd.get('email') || null, postalAddress: fd.get('postalAddress') || null, postcode: fd.get('postcode') || null }),
    label: () => 'Change contact details',
    draftId: 'account-contact',
    keepValues: true,
    busy: (b) => events.push(b ? 'busy' : 'idle'),
    onQueued: (item) => events.push(`queued:${item.idempotencyKey}`),
  });

describe('a form drafted offline goes to the outbox (issue 18)', () => {
  beforeEach(() => {
    vi.stubGlobal('document', { cookie: 'jg_owner=0123456789abcdef' });
  });
  afterEach(async () => {
    vi.unstubAllGlobals();
    await closeDb();
    await deleteDB(DB_NAME);
  });

  it('offline: the submission is queued once with its own idempotency key and body, the draft cleared, the form action never runs', async () => {
    setOnline(false);
    await saveDraft('account-contact', { email: 'a@example.com' });
    const events: string[] = [];
    const cancel = vi.fn();
    const after = options(events)({ formData: contactForm(), cancel } as unknown as Submit);
    expect(after).toBeUndefined();
    expect(cancel).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(events).toContain('idle'));
    const items = await listOutbox();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ method: 'POST', path: '/api/v1/me/contact', body: { email: 'a@example.com', postalAddress: null, postcode: '518048' }, status: 'waiting', owner: '0123456789abcdef' });
    expect(items[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(events).toEqual(['busy', `queued:${items[0]!.idempotencyKey}`, 'idle']);
    expect(await loadDraft('account-contact')).toBeUndefined();
  });

  it('online: the action runs and keeps the typed values; a request that never got through is queued instead of lost', async () => {
    setOnline(true);
    const events: string[] = [];
    const after = options(events)({ formData: contactForm(), cancel: vi.fn() } as unknown as Submit) as unknown as (o: unknown) => Promise<void>;
    const update = vi.fn(async () => {});
    await after({ result: { type: 'success', status: 200 }, update });
    expect(update).toHaveBeenCalledWith({ reset: false });
    expect(await listOutbox()).toHaveLength(0);

    const again = options(events)({ formData: contactForm(), cancel: vi.fn() } as unknown as Submit) as unknown as (o: unknown) => Promise<void>;
    await again({ result: { type: 'error', error: new TypeError('Failed to fetch') }, update });
    expect(update).toHaveBeenCalledTimes(1);
    expect(await listOutbox()).toHaveLength(1);
  });
});
