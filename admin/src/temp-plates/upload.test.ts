import { describe, expect, it } from 'vitest';
import { chunkRanges, contentTypeOf, sha256Hex, toBase64 } from './upload.ts';

describe('chunked uploads of qualification documents (R-31.2)', () => {
  it('splits a file into 128 KB chunks, the last one shorter', () => {
    expect(chunkRanges(300_000)).toEqual([[0, 131072], [131072, 262144], [262144, 300000]]);
    expect(chunkRanges(0)).toEqual([]);
  });
  it('accepts JPEG, PNG and PDF only, by type or by name', () => {
    expect(contentTypeOf('a.PDF', '')).toBe('application/pdf');
    expect(contentTypeOf('scan', 'image/png')).toBe('image/png');
    expect(contentTypeOf('a.gif', 'image/gif')).toBeNull();
  });
  it('encodes base64 and hashes with sha256', async () => {
    expect(toBase64(new TextEncoder().encode('%PDF-1.7'))).toBe('JVBERi0xLjc=');
    expect(await sha256Hex(new TextEncoder().encode('abc').buffer as ArrayBuffer)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

import { isBalanced, qualificationCommands } from './statuses.ts';

describe('qualification commands and the stock', () => {
  it('R-33.1 管理岗 reviews a pending application; the dealer cannot', () => {
    expect(qualificationCommands(['review'], { status: 'pending', explanationRequired: false, pendingReview: true })).toMatchObject({ approve: true, reject: true, revoke: false });
    expect(qualificationCommands(['dealer'], { status: 'pending', explanationRequired: false, pendingReview: true })).toMatchObject({ approve: false, renew: false });
  });
  it('R-32.4 an explanation is asked of the dealer and accepted by 管理岗', () => {
    const q = { status: 'active', explanationRequired: true, pendingReview: false };
    expect(qualificationCommands(['dealer'], q)).toMatchObject({ explain: true, renew: true });
    expect(qualificationCommands(['review'], q)).toMatchObject({ acceptExplanation: true, revoke: true });
    expect(qualificationCommands(['intake'], q)).toMatchObject({ handOut: true, approve: false });
  });
  it('R-31.7 the stock balances when every blank is accounted for', () => {
    expect(isBalanced({ handedOut: 20, inStock: 18, issued: 1, damagedKept: 1, returned: 0, destroyed: 0, recovered: 0 })).toBe(true);
    expect(isBalanced({ handedOut: 20, inStock: 18, issued: 1, damagedKept: 0, returned: 0, destroyed: 0, recovered: 0 })).toBe(false);
  });
});
