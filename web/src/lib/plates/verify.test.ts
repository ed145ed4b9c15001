import { describe, expect, it } from 'vitest';
import { deriveCandidates, drawSeedHex, newNonce, nonceOnThisDevice, rememberNonce, verifyProof } from './verify.ts';

// Vectors from the bff's implementation (bff/src/modules/plates/rules.ts deriveCandidates).
const seed = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const commitment = '4773d12e2371bb935b9a0f5439b4a1c3ad3f2414b86980f8418d1cfabdfadfef';

describe('PD-14: the draw re-run in the browser', () => {
  it('derives the same candidate positions as the server', async () => {
    expect(await deriveCandidates(seed, 50_000, 12)).toEqual({
      indices: [16345, 91, 34886, 46534, 29954, 44906, 30157, 21346, 34752, 24403, 22267, 33561],
      rejectedWords: 0,
    });
  });

  it('drops words above the limit exactly as the server does (N = 3·2^30)', async () => {
    const r = await deriveCandidates(seed, 3 * 2 ** 30, 12);
    expect(r.indices.slice(0, 3)).toEqual([1785900091, 1997434886, 1203996534]);
    expect(r.rejectedWords).toBe(3);
  });

  it('accepts an honest proof and names what a tampered one breaks', async () => {
    const candidates = [16345, 91, 34886].map((idx) => ({ idx }));
    expect(await verifyProof({ seed, commitment, poolSize: 50_000, candidates, rejectedWords: 0 })).toEqual({ ok: true, count: 3 });
    expect(await verifyProof({ seed, commitment: '0'.repeat(64), poolSize: 50_000, candidates, rejectedWords: 0 })).toEqual({ ok: false, reason: 'commitment' });
    expect(await verifyProof({ seed, commitment, poolSize: 50_001, candidates, rejectedWords: 0 })).toEqual({ ok: false, reason: 'indices' });
  });
});

describe('PD-14 v2 (issue 18): the server seed mixed with this browser’s nonce', () => {
  // Vector from the bff (rules.ts drawSeed + deriveCandidates): nonce = 32 × 0xab, pool of 59,045.
  const nonce = 'ab'.repeat(32);
  const mixed = 'a00376a11cf15e533c43947ba56c5009c46ec6f2f3920b36068a9ef15acf213f';

  it('PD-14 mixes seed and nonce exactly as the server does', async () => {
    expect(await drawSeedHex(seed, nonce)).toBe(mixed);
    expect((await deriveCandidates(mixed, 59_045, 5)).indices).toEqual([38367, 1768, 12476, 29385, 15944]);
  });

  it('PD-14 verifies a v2 proof with its nonce, and refuses another nonce', async () => {
    const candidates = [38367, 1768, 12476].map((idx) => ({ idx }));
    expect(await verifyProof({ seed, clientNonce: nonce, commitment, poolSize: 59_045, candidates, rejectedWords: 0 })).toEqual({ ok: true, count: 3 });
    expect(await verifyProof({ seed, clientNonce: 'cd'.repeat(32), commitment, poolSize: 59_045, candidates, rejectedWords: 0 })).toEqual({ ok: false, reason: 'indices' });
    expect(await verifyProof({ seed, clientNonce: null, commitment, poolSize: 59_045, candidates, rejectedWords: 0 })).toEqual({ ok: false, reason: 'indices' });
  });

  it('PD-14 a nonce is 32 random bytes from crypto.getRandomValues', () => {
    const a = newNonce();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(newNonce()).not.toBe(a);
  });

  it('PD-14 the proof page compares the nonce the draw used with the one this browser chose', () => {
    const store = new Map<string, string>();
    const storage = { setItem: (k: string, v: string) => void store.set(k, v), getItem: (k: string) => store.get(k) ?? null };
    rememberNonce(storage, commitment, nonce);
    expect(nonceOnThisDevice(storage, commitment, nonce)).toBe('same');
    expect(nonceOnThisDevice(storage, commitment, 'cd'.repeat(32))).toBe('different');
    expect(nonceOnThisDevice(storage, '0'.repeat(64), nonce)).toBe('unknown');
    expect(nonceOnThisDevice(undefined, commitment, nonce)).toBe('unknown');
  });
});
