import { describe, expect, it } from 'vitest';
import { FILE_TYPES, IMAGE_TYPES } from './kinds.ts';
import { fileTypeOf, MAX_UPLOAD_BYTES, sniffUpload } from './rules.ts';

describe('files are recognised by their bytes (ADR-021)', () => {
  it('JPEG, PNG, PDF by their signatures; nothing else', () => {
    expect(fileTypeOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(fileTypeOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(fileTypeOf(new TextEncoder().encode('%PDF-1.7'))).toBe('application/pdf');
    expect(fileTypeOf(new TextEncoder().encode('<svg/>'))).toBeNull();
    expect(fileTypeOf(new Uint8Array([0xff, 0xd8]))).toBeNull();
  });

  it('a whole file: not empty, at most 5 MB, of a type its kind takes', () => {
    expect(sniffUpload(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), FILE_TYPES)).toEqual({ ok: true, contentType: 'image/jpeg' });
    expect(sniffUpload(new TextEncoder().encode('%PDF-1.7'), FILE_TYPES)).toEqual({ ok: true, contentType: 'application/pdf' });
    expect(sniffUpload(new TextEncoder().encode('%PDF-1.7'), IMAGE_TYPES)).toEqual({ ok: false, code: 'uploads.type' });
    expect(sniffUpload(new TextEncoder().encode('<svg/>'), FILE_TYPES)).toEqual({ ok: false, code: 'uploads.type' });
    expect(sniffUpload(new Uint8Array(0), FILE_TYPES)).toEqual({ ok: false, code: 'uploads.empty' });
    expect(sniffUpload(new Uint8Array(MAX_UPLOAD_BYTES + 1), FILE_TYPES)).toEqual({ ok: false, code: 'uploads.too_large' });
  });
});
