import type { FileType } from './kinds.ts';

/** Every stored file is at most 5 MB (the table checks it too). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Raw bytes per chunk of a chunked upload: base64 of it stays well under the API's 256 KB JSON bodies. */
export const UPLOAD_CHUNK_BYTES = 128 * 1024;

const SIGNATURES: [FileType, number[]][] = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
];

/** JPEG, PNG or PDF, recognised by their first bytes; null for anything else. */
export function fileTypeOf(head: Uint8Array): FileType | null {
  for (const [type, sig] of SIGNATURES) if (sig.every((b, i) => head[i] === b)) return type;
  return null;
}

export type SniffRefusal = 'uploads.empty' | 'uploads.too_large' | 'uploads.type';

/** A whole file sent as one body: not empty, at most 5 MB, of one of `accepted` by its bytes. */
export function sniffUpload(bytes: Uint8Array, accepted: readonly FileType[]): { ok: true; contentType: FileType } | { ok: false; code: SniffRefusal } {
  if (bytes.length === 0) return { ok: false, code: 'uploads.empty' };
  if (bytes.length > MAX_UPLOAD_BYTES) return { ok: false, code: 'uploads.too_large' };
  const type = fileTypeOf(bytes);
  return type && accepted.includes(type) ? { ok: true, contentType: type } : { ok: false, code: 'uploads.type' };
}
