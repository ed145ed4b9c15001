import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { closeDb, DB_NAME } from './db.ts';
import { clearDraft, loadDraft, saveDraft } from './drafts.ts';
import { loadSnapshot, saveSnapshot } from './snapshots.ts';

beforeEach(async () => {
  await deleteDB(DB_NAME);
});

afterEach(async () => {
  await closeDb();
});

it('saves, overwrites, loads and clears a draft per form', async () => {
  expect(await loadDraft('plate')).toBeUndefined();

  await saveDraft('plate', { prefix: '京A', digits: '12' });
  await saveDraft('plate', { prefix: '京A', digits: '123' });
  await saveDraft('other', { note: 'x' });

  const draft = await loadDraft('plate');
  expect(draft?.data).toEqual({ prefix: '京A', digits: '123' });
  expect(Date.parse(draft!.savedAt)).not.toBeNaN();

  await clearDraft('plate');
  expect(await loadDraft('plate')).toBeUndefined();
  expect((await loadDraft('other'))?.data).toEqual({ note: 'x' });
});

it('keeps a snapshot with the time it was saved', async () => {
  await saveSnapshot('me', { asOf: '2026-11-25T08:00:00.000Z' });
  const snap = await loadSnapshot<{ asOf: string }>('me');
  expect(snap?.data.asOf).toBe('2026-11-25T08:00:00.000Z');
  expect(Date.parse(snap!.savedAt)).not.toBeNaN();
});
