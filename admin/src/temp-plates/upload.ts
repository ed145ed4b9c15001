import { API_URL, httpClient, newIdempotencyKey, postJson } from '../shared/http.ts';

/** The bff takes JSON bodies of at most 256 KB: files go in ordered chunks of 128 KB (base64). */
export const CHUNK_BYTES = 128 * 1024;
export const MAX_BYTES = 5 * 1024 * 1024;
const TYPES: Record<string, 'image/jpeg' | 'image/png' | 'application/pdf'> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', pdf: 'application/pdf',
};

/** JPEG, PNG or PDF, by the browser's type or else the file name. */
export function contentTypeOf(name: string, type: string): 'image/jpeg' | 'image/png' | 'application/pdf' | null {
  if (type === 'image/jpeg' || type === 'image/png' || type === 'application/pdf') return type;
  return TYPES[name.split('.').pop()?.toLowerCase() ?? ''] ?? null;
}

/** [start, end) of each chunk. */
export function chunkRanges(size: number, chunk = CHUNK_BYTES): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < size; start += chunk) out.push([start, Math.min(size, start + chunk)]);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export async function sha256Hex(data: ArrayBuffer): Promise<string> {
  // WebCrypto exists in secure contexts (https, localhost); the staff console is served that way.
  const digest = await crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class UploadRefused extends Error {}

/** Uploads one file through `base` (e.g. `/temp-plate-uploads`) and answers its id. */
export async function uploadFile(file: File, base: string): Promise<string> {
  const contentType = contentTypeOf(file.name, file.type);
  if (!contentType) throw new UploadRefused('type');
  if (file.size > MAX_BYTES) throw new UploadRefused('size');
  const buffer = await file.arrayBuffer();
  const { json } = await postJson(base, { fileName: file.name.slice(-200), contentType, sizeBytes: file.size, sha256: await sha256Hex(buffer) }, newIdempotencyKey());
  const id = (json as { id: string }).id;
  const bytes = new Uint8Array(buffer);
  for (const [i, [start, end]] of chunkRanges(bytes.length).entries()) {
    await httpClient(`${API_URL}${base}/${encodeURIComponent(id)}/chunks/${i}`, {
      method: 'PUT',
      body: JSON.stringify({ data: toBase64(bytes.subarray(start, end)) }),
      headers: new Headers({ 'Content-Type': 'application/json' }),
    });
  }
  await postJson(`${base}/${encodeURIComponent(id)}/complete`);
  return id;
}
