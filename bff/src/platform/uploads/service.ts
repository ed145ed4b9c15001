import { createHash } from 'node:crypto';
import type { Db, Sql } from '../../db.ts';
import { DomainError } from '../../core/errors.ts';
import { uploadKindOf, type FileType, type UploadKind } from './kinds.ts';
import { fileTypeOf, MAX_UPLOAD_BYTES, sniffUpload, UPLOAD_CHUNK_BYTES } from './rules.ts';
import * as repo from './repo.ts';

/**
 * The one upload store (ADR-021): photos, scans and evidence files of every
 * module, in Postgres with their sha256. A file arrives either whole, as one
 * binary body (`storeFile`), or announced by its size and sha256 and then in
 * ordered base64 chunks (`startUpload`, `uploadChunk`, `completeUpload`), each
 * under the API's JSON limit. Either way it is JPEG, PNG or PDF by its bytes,
 * at most 5 MB, and of a purpose some module declared (`uploadKinds`).
 * Modules check who may use a file (`usableUpload`, `findUploads`); the store
 * knows only its owner.
 */

export { MAX_UPLOAD_BYTES, UPLOAD_CHUNK_BYTES };
export type UploadRow = repo.UploadRow;
/** Who sent the file; `authorityId`: the counter's authority, for scans staff of that authority may read. */
export type UploadOwner = { kind: 'user' | 'staff'; id: string; authorityId?: string | null };

const NAMES: Record<FileType, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'application/pdf': 'PDF' };
const accepted = (kind: UploadKind) => ({ accepted: kind.types.map((t) => NAMES[t]).join(', ') });

/** The kind a purpose names; a purpose no module declared is refused as a bad `purpose`. */
function kindOf(purpose: string): UploadKind {
  const kind = uploadKindOf(purpose);
  if (!kind) throw new DomainError('request.invalid', { fields: { purpose: 'validation.enum' } });
  return kind;
}

/** What the one-body upload answers (accounts' photos and scans). */
export function uploadDto(u: UploadRow) {
  return { id: u.id, purpose: u.purpose, contentType: u.content_type, size: u.size_bytes, sha256: u.sha256 };
}

/** What the chunked upload answers: how far it got and how to send the rest. */
export function chunkedUploadDto(u: UploadRow) {
  return {
    id: u.id,
    fileName: u.file_name ?? '',
    contentType: u.content_type,
    sizeBytes: u.size_bytes,
    sha256: u.sha256,
    receivedBytes: u.received,
    nextChunk: u.next_chunk,
    chunkBytes: UPLOAD_CHUNK_BYTES,
    status: u.status,
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A whole file sent as one body: its type is read from the bytes and must be one its kind takes. */
export async function storeFile(db: Db, input: { purpose: string; bytes: Uint8Array; owner: UploadOwner }, now: Date): Promise<UploadRow> {
  const kind = kindOf(input.purpose);
  const sniff = sniffUpload(input.bytes, kind.types);
  if (!sniff.ok) throw new DomainError(sniff.code, sniff.code === 'uploads.type' ? { params: accepted(kind) } : undefined);
  return repo.insertComplete(db, {
    purpose: input.purpose, contentType: sniff.contentType, content: input.bytes, sha256: sha256Hex(input.bytes),
    ownerKind: input.owner.kind, ownerId: input.owner.id, authorityId: input.owner.authorityId ?? null, now,
  });
}

async function ownUpload(db: Db, owner: UploadOwner, id: string, forUpdate = false) {
  const u = await repo.findUpload(db, id, forUpdate);
  if (!u || u.owner_kind !== owner.kind || u.owner_id !== owner.id) throw new DomainError('uploads.not_found');
  return u;
}

/** Announces a file by its name, type, size and sha256; the chunks follow. */
export async function startUpload(
  db: Db,
  owner: UploadOwner,
  input: { purpose: string; fileName: string; contentType: string; sizeBytes: number; sha256: string },
  now: Date,
) {
  const kind = kindOf(input.purpose);
  if (!(kind.types as readonly string[]).includes(input.contentType)) throw new DomainError('uploads.type', { field: 'contentType', params: accepted(kind) });
  if (input.sizeBytes > MAX_UPLOAD_BYTES) throw new DomainError('uploads.too_large', { field: 'sizeBytes' });
  const u = await repo.insertReceiving(db, {
    purpose: input.purpose, fileName: input.fileName, contentType: input.contentType, sizeBytes: input.sizeBytes, sha256: input.sha256.toLowerCase(),
    ownerKind: owner.kind, ownerId: owner.id, authorityId: owner.authorityId ?? null, now,
  });
  return chunkedUploadDto(u);
}

/** Appends chunk `index` (base64). A chunk already received is answered as is (retries). */
export async function uploadChunk(sql: Sql, owner: UploadOwner, id: string, index: number, base64: string) {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0 || bytes.length > UPLOAD_CHUNK_BYTES) throw new DomainError('request.invalid', { fields: { data: 'validation.invalid' } });
  return sql.begin(async (tx) => {
    const u = await ownUpload(tx, owner, id, true);
    if (u.status === 'complete' || index < u.next_chunk) return chunkedUploadDto(u);
    if (index > u.next_chunk) throw new DomainError('uploads.chunk_order');
    const after = await repo.appendChunk(tx, id, index, bytes);
    if (!after) throw new DomainError('uploads.size_mismatch');
    return chunkedUploadDto(after);
  });
}

/** Checks size, checksum and file type; a failed check leaves the upload unusable. */
export async function completeUpload(sql: Sql, owner: UploadOwner, id: string, now: Date) {
  return sql.begin(async (tx) => {
    const u = await ownUpload(tx, owner, id, true);
    if (u.status === 'complete') return chunkedUploadDto(u);
    if (u.received !== u.size_bytes) throw new DomainError('uploads.incomplete');
    const { actual, head } = await repo.digestOf(tx, id);
    if (actual !== u.sha256) throw new DomainError('uploads.corrupt');
    if (fileTypeOf(head) !== u.content_type) throw new DomainError('uploads.type_mismatch');
    await repo.markComplete(tx, id, now);
    return chunkedUploadDto({ ...u, status: 'complete', completed_at: now });
  });
}

/** A complete file of this owner and purpose, named in a form's `field`; otherwise a 422 there. */
export async function usableUpload(db: Db, owner: UploadOwner, id: string, purpose: string, field: string): Promise<UploadRow> {
  const u = await repo.findUpload(db, id);
  if (!u || u.owner_kind !== owner.kind || u.owner_id !== owner.id || u.purpose !== purpose) throw new DomainError('uploads.not_usable', { field });
  if (u.status !== 'complete') throw new DomainError('uploads.incomplete', { field });
  return u;
}

/** The complete files among `ids` (their metadata), for a module's own checks of who may use them. */
export async function findUploads(db: Db, ids: readonly string[]): Promise<UploadRow[]> {
  return (await repo.findUploads(db, ids)).filter((u) => u.status === 'complete');
}

/** A complete file with its bytes, or `uploads.not_found`. Whoever calls it has checked the reader may see it. */
export async function fileOf(db: Db, id: string): Promise<UploadRow & { content: Buffer }> {
  const f = await repo.contentOf(db, id);
  if (!f || f.status !== 'complete') throw new DomainError('uploads.not_found');
  return f;
}
