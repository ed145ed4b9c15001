import type { Db } from '../../db.ts';

/** SQL of the one upload store (migration 0008, ADR-021). */

export type UploadRow = {
  id: string;
  purpose: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  owner_kind: 'user' | 'staff';
  owner_id: string;
  authority_id: string | null;
  file_name: string | null;
  status: 'receiving' | 'complete';
  next_chunk: number;
  /** Bytes received so far (all of them once complete). */
  received: number;
  created_at: Date;
  completed_at: Date | null;
};

const columns = (db: Db) => db`
  id, purpose, content_type, size_bytes, sha256, owner_kind, owner_id, authority_id, file_name, status, next_chunk,
  octet_length(content) AS received, created_at, completed_at`;

/** A whole file, stored complete. */
export async function insertComplete(db: Db, u: { purpose: string; contentType: string; content: Uint8Array; sha256: string; ownerKind: 'staff' | 'user'; ownerId: string; authorityId: string | null; now: Date }) {
  const [row] = await db<UploadRow[]>`
    INSERT INTO upload (purpose, content_type, size_bytes, sha256, content, owner_kind, owner_id, authority_id, status, created_at, completed_at)
    VALUES (${u.purpose}, ${u.contentType}, ${u.content.length}, ${u.sha256}, ${Buffer.from(u.content)}, ${u.ownerKind}, ${u.ownerId}, ${u.authorityId},
            'complete', ${u.now}, ${u.now})
    RETURNING ${columns(db)}`;
  return row!;
}

/** A file announced by its size and sha256, its chunks to follow. */
export async function insertReceiving(db: Db, u: { purpose: string; fileName: string; contentType: string; sizeBytes: number; sha256: string; ownerKind: 'user' | 'staff'; ownerId: string; authorityId: string | null; now: Date }) {
  const [row] = await db<UploadRow[]>`
    INSERT INTO upload (purpose, file_name, content_type, size_bytes, sha256, owner_kind, owner_id, authority_id, status, created_at)
    VALUES (${u.purpose}, ${u.fileName}, ${u.contentType}, ${u.sizeBytes}, ${u.sha256}, ${u.ownerKind}, ${u.ownerId}, ${u.authorityId}, 'receiving', ${u.now})
    RETURNING ${columns(db)}`;
  return row!;
}

export async function findUpload(db: Db, id: string, forUpdate = false) {
  const [row] = await db<UploadRow[]>`SELECT ${columns(db)} FROM upload WHERE id = ${id} ${forUpdate ? db`FOR UPDATE` : db``}`;
  return row;
}

export async function findUploads(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db<UploadRow[]>`SELECT ${columns(db)} FROM upload WHERE id = ANY(${db.array(ids as string[])}::uuid[])`;
}

/** Appends the chunk if it is the next one and fits the declared size; answers the upload after the call. */
export async function appendChunk(db: Db, id: string, index: number, bytes: Buffer) {
  const [row] = await db<UploadRow[]>`
    UPDATE upload SET content = content || ${bytes}, next_chunk = next_chunk + 1
    WHERE id = ${id} AND status = 'receiving' AND next_chunk = ${index} AND octet_length(content) + ${bytes.length} <= size_bytes
    RETURNING ${columns(db)}`;
  return row;
}

export async function digestOf(db: Db, id: string) {
  const [row] = await db<{ actual: string; head: Buffer }[]>`
    SELECT encode(sha256(content), 'hex') AS actual, substring(content FROM 1 FOR 8) AS head FROM upload WHERE id = ${id}`;
  return row!;
}

export async function markComplete(db: Db, id: string, now: Date) {
  await db`UPDATE upload SET status = 'complete', completed_at = ${now} WHERE id = ${id} AND status = 'receiving'`;
}

export async function contentOf(db: Db, id: string) {
  const [row] = await db<(UploadRow & { content: Buffer })[]>`SELECT ${columns(db)}, content FROM upload WHERE id = ${id}`;
  return row;
}
