import { getDb, type Draft } from './db.ts';

/** Keeps what the user typed into a form on this device until it is sent or discarded. */
export async function saveDraft<T extends Record<string, unknown>>(formId: string, data: T): Promise<void> {
  const db = await getDb();
  await db.put('drafts', { formId, data, savedAt: new Date().toISOString() });
}

export async function loadDraft<T extends Record<string, unknown> = Record<string, unknown>>(
  formId: string,
): Promise<Draft<T> | undefined> {
  const db = await getDb();
  return (await db.get('drafts', formId)) as Draft<T> | undefined;
}

export async function clearDraft(formId: string): Promise<void> {
  const db = await getDb();
  await db.delete('drafts', formId);
}

export async function clearAllDrafts(): Promise<void> {
  const db = await getDb();
  await db.clear('drafts');
}
