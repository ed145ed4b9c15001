import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { DomainError } from '../../core/errors.ts';
import { modules, uploadKinds } from '../../modules/index.ts';
import { FILE_TYPES, registerUploadKinds, uploadKindOf } from './kinds.ts';
import { UPLOAD_CHUNK_BYTES } from './rules.ts';
import { completeUpload, fileOf, findUploads, sha256Hex, startUpload, storeFile, uploadChunk, usableUpload, type UploadOwner } from './service.ts';

/** The one upload store (ADR-021), called as the modules call it. */
const now = new Date('2026-11-25T02:00:00Z');
const citizen: UploadOwner = { kind: 'user', id: '50000000-0000-4000-8000-000000000001' };
const other: UploadOwner = { kind: 'user', id: '50000000-0000-4000-8000-000000000002' };
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const PDF = Buffer.from('%PDF-1.7 a scan');

/** The code, field and params of the DomainError `p` rejects with. */
async function refusal(p: Promise<unknown>) {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(DomainError);
  const d = e as DomainError;
  return { code: d.code, field: d.details?.field, fields: d.details?.fields, params: d.details?.params };
}

describe('upload store', async () => {
  const env = await testEnv();
  const { sql } = env;

  it('holds the kinds every module declares; a kind is declared once', () => {
    const declared = modules.flatMap((m) => Object.keys((m as { uploadKinds?: object }).uploadKinds ?? {}));
    expect(declared.sort()).toEqual(Object.keys(uploadKinds).sort());
    expect(declared).toEqual(expect.arrayContaining(['onsite_photo', 'certificate_photo', 'insurance_certificate', 'qualification_document']));
    for (const k of declared) expect(uploadKindOf(k)).toBe(uploadKinds[k]);
    expect(() => registerUploadKinds({ onsite_photo: { types: FILE_TYPES, description: 'again' } })).toThrow(/registered twice/);
  });

  it('refuses a purpose no module declared, whole or chunked', async () => {
    expect(await refusal(storeFile(sql, { purpose: 'selfie', bytes: JPEG, owner: citizen }, now))).toMatchObject({ code: 'request.invalid', fields: { purpose: 'validation.enum' } });
    expect(await refusal(startUpload(sql, citizen, { purpose: 'selfie', fileName: 'a.jpg', contentType: 'image/jpeg', sizeBytes: 7, sha256: sha256Hex(JPEG) }, now)))
      .toMatchObject({ code: 'request.invalid', fields: { purpose: 'validation.enum' } });
  });

  it('takes only the types a kind declares, read from the bytes of a whole file', async () => {
    expect(await refusal(storeFile(sql, { purpose: 'certificate_photo', bytes: PDF, owner: citizen }, now))).toMatchObject({ code: 'uploads.type', params: { accepted: 'JPEG, PNG' } });
    expect(await refusal(storeFile(sql, { purpose: 'application_form', bytes: new TextEncoder().encode('<html>'), owner: citizen }, now))).toMatchObject({ code: 'uploads.type' });
    expect(await refusal(storeFile(sql, { purpose: 'application_form', bytes: new Uint8Array(0), owner: citizen }, now))).toMatchObject({ code: 'uploads.empty' });
    expect(await refusal(startUpload(sql, citizen, { purpose: 'certificate_photo', fileName: 'a.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, sha256: sha256Hex(PDF) }, now)))
      .toMatchObject({ code: 'uploads.type', field: 'contentType' });
    const row = await storeFile(sql, { purpose: 'certificate_photo', bytes: JPEG, owner: citizen }, now);
    expect(row).toMatchObject({ purpose: 'certificate_photo', content_type: 'image/jpeg', size_bytes: JPEG.length, sha256: sha256Hex(JPEG), status: 'complete', received: JPEG.length });
  });

  it('a file sent in chunks: in order, within its declared size, checked against its sha256 and its type when completed', async () => {
    const bytes = Buffer.concat([PDF, Buffer.alloc(UPLOAD_CHUNK_BYTES)]);
    const start = (over: Partial<{ sha256: string; contentType: string; sizeBytes: number }> = {}) =>
      startUpload(sql, citizen, { purpose: 'insurance_certificate', fileName: 'jqx.pdf', contentType: 'application/pdf', sizeBytes: bytes.length, sha256: sha256Hex(bytes), ...over }, now);
    const chunk = (id: string, i: number, b = bytes) => uploadChunk(sql, citizen, id, i, b.subarray(i * UPLOAD_CHUNK_BYTES, (i + 1) * UPLOAD_CHUNK_BYTES).toString('base64'));

    const up = await start();
    expect(up).toMatchObject({ status: 'receiving', nextChunk: 0, receivedBytes: 0, chunkBytes: UPLOAD_CHUNK_BYTES });
    expect(await refusal(chunk(up.id, 1))).toMatchObject({ code: 'uploads.chunk_order' });
    expect(await refusal(completeUpload(sql, citizen, up.id, now))).toMatchObject({ code: 'uploads.incomplete' });
    expect(await refusal(usableUpload(sql, citizen, up.id, 'insurance_certificate', 'insuranceUploadId'))).toMatchObject({ code: 'uploads.incomplete', field: 'insuranceUploadId' });
    expect(await refusal(uploadChunk(sql, other, up.id, 0, 'AAAA'))).toMatchObject({ code: 'uploads.not_found' });
    await chunk(up.id, 0);
    expect(await chunk(up.id, 0)).toMatchObject({ nextChunk: 1 }); // a retry is answered as is
    expect(await chunk(up.id, 1)).toMatchObject({ nextChunk: 2, receivedBytes: bytes.length });
    expect(await refusal(fileOf(sql, up.id))).toMatchObject({ code: 'uploads.not_found' });
    expect(await completeUpload(sql, citizen, up.id, now)).toMatchObject({ status: 'complete' });

    const tooMuch = await start({ sizeBytes: 10 });
    expect(await refusal(chunk(tooMuch.id, 0))).toMatchObject({ code: 'uploads.size_mismatch' });
    const corrupt = await start({ sha256: 'a'.repeat(64) });
    await chunk(corrupt.id, 0);
    await chunk(corrupt.id, 1);
    expect(await refusal(completeUpload(sql, citizen, corrupt.id, now))).toMatchObject({ code: 'uploads.corrupt' });
    const png = await start({ contentType: 'image/png' });
    await chunk(png.id, 0);
    await chunk(png.id, 1);
    expect(await refusal(completeUpload(sql, citizen, png.id, now))).toMatchObject({ code: 'uploads.type_mismatch' });

    const f = await fileOf(sql, up.id);
    expect(f.content.equals(bytes)).toBe(true);
    expect(f.file_name).toBe('jqx.pdf');
  });

  it('one table: whole and chunked files side by side; a module uses only its owner’s complete file of the purpose it asks for', async () => {
    const whole = await storeFile(sql, { purpose: 'application_form', bytes: PDF, owner: { kind: 'staff', id: '30000000-0000-4000-8000-000000000001', authorityId: '440300' } }, now);
    const chunked = await startUpload(sql, citizen, { purpose: 'insurance_certificate', fileName: 'j.jpg', contentType: 'image/jpeg', sizeBytes: JPEG.length, sha256: sha256Hex(JPEG) }, now);
    await uploadChunk(sql, citizen, chunked.id, 0, Buffer.from(JPEG).toString('base64'));
    await completeUpload(sql, citizen, chunked.id, now);
    const pending = await startUpload(sql, citizen, { purpose: 'insurance_certificate', fileName: 'k.jpg', contentType: 'image/jpeg', sizeBytes: JPEG.length, sha256: sha256Hex(JPEG) }, now);
    const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM upload WHERE id IN (${whole.id}, ${chunked.id}, ${pending.id})`;
    expect(row!.n).toBe(3);
    expect((await findUploads(sql, [whole.id, chunked.id, pending.id])).map((u) => u.id).sort()).toEqual([whole.id, chunked.id].sort());
    expect(whole).toMatchObject({ authority_id: '440300', owner_kind: 'staff', file_name: null });

    expect((await usableUpload(sql, citizen, chunked.id, 'insurance_certificate', 'f')).id).toBe(chunked.id);
    expect(await refusal(usableUpload(sql, other, chunked.id, 'insurance_certificate', 'f'))).toMatchObject({ code: 'uploads.not_usable', field: 'f' });
    expect(await refusal(usableUpload(sql, citizen, chunked.id, 'certificate_photo', 'f'))).toMatchObject({ code: 'uploads.not_usable', field: 'f' });
    expect(await refusal(usableUpload(sql, citizen, '00000000-0000-4000-8000-00000000dead', 'insurance_certificate', 'f'))).toMatchObject({ code: 'uploads.not_usable' });
  });
});
