import { getDb, type Snapshot } from './db.ts';

/** The last answer the bff gave for something the user looked at, for showing offline with its age. */
export async function saveSnapshot<T>(key: string, data: T): Promise<void> {
  const db = await getDb();
  await db.put('snapshots', { key, data, savedAt: new Date().toISOString() });
}

export async function loadSnapshot<T>(key: string): Promise<Snapshot<T> | undefined> {
  const db = await getDb();
  return (await db.get('snapshots', key)) as Snapshot<T> | undefined;
}

export async function clearSnapshots(): Promise<void> {
  const db = await getDb();
  await db.clear('snapshots');
}
