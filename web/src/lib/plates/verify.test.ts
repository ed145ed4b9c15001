import { describe, expect, it } from 'vitest';
import { deriveCandidates, verifyProof } from './verify.ts';

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
