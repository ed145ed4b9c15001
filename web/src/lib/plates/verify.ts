/**
 * The published draw algorithm of plate preselection (ADR-010),
 * written a second time for the browser with Web Crypto, so a citizen can
 * re-run a draw on their own device instead of trusting the server's check.
 *
 *   block_k = SHA-256("jg-plate-draw-v1" ‖ seed ‖ uint32_be(k)), k = 0, 1, …
 *   eight 32-bit big-endian words per block; limit = 2^32 − (2^32 mod N);
 *   w < limit → candidate w mod N, else the word is dropped.
 *
 * Since issue 18 (jg-plate-draw-v2) the seed those blocks use is
 *   sha256("jg-plate-draw-v2" ‖ server seed ‖ client nonce),
 * where the server committed to sha256(server seed) before this browser chose
 * the 32-byte nonce with crypto.getRandomValues.
 */
const DOMAIN = new TextEncoder().encode('jg-plate-draw-v1');
const DOMAIN_V2 = new TextEncoder().encode('jg-plate-draw-v2');

export function hexToBytes(hex: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new RangeError('not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
}

/** The first `count` candidate positions of a seed in a pool of `poolSize`, and the words dropped before the last one. */
export async function deriveCandidates(seedHex: string, poolSize: number, count: number): Promise<{ indices: number[]; rejectedWords: number }> {
  const seed = hexToBytes(seedHex);
  const limit = 2 ** 32 - (2 ** 32 % poolSize);
  const indices: number[] = [];
  let rejected = 0;
  let rejectedWords = 0;
  const input = new Uint8Array(DOMAIN.length + seed.length + 4);
  input.set(DOMAIN, 0);
  input.set(seed, DOMAIN.length);
  const counter = new DataView(input.buffer, DOMAIN.length + seed.length, 4);
  for (let k = 0; indices.length < count; k++) {
    counter.setUint32(0, k, false);
    const block = new DataView((await sha256(input)).buffer);
    for (let j = 0; j < 32 && indices.length < count; j += 4) {
      const w = block.getUint32(j, false);
      if (w < limit) {
        indices.push(w % poolSize);
        rejectedWords = rejected;
      } else rejected++;
    }
  }
  return { indices, rejectedWords };
}

/** A browser nonce for the next draw: 32 bytes from crypto.getRandomValues, hex. */
export function newNonce(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** The seed a v2 draw runs on: sha256("jg-plate-draw-v2" ‖ server seed ‖ client nonce), hex. */
export async function drawSeedHex(seedHex: string, nonceHex: string): Promise<string> {
  const seed = hexToBytes(seedHex);
  const nonce = hexToBytes(nonceHex);
  if (seed.length !== 32 || nonce.length !== 32) throw new RangeError('seed and nonce are 32 bytes');
  const input = new Uint8Array(DOMAIN_V2.length + 64);
  input.set(DOMAIN_V2, 0);
  input.set(seed, DOMAIN_V2.length);
  input.set(nonce, DOMAIN_V2.length + 32);
  return bytesToHex(await sha256(input));
}

export type ProofInput = { seed: string; clientNonce?: string | null; commitment: string; poolSize: number; candidates: { idx: number }[]; rejectedWords: number };
export type ProofResult = { ok: true; count: number } | { ok: false; reason: 'commitment' | 'indices' | 'rejected_words' };

/**
 * Re-runs a proof: sha256(seed) is the commitment, and the candidate positions
 * are exactly the algorithm's, run on the seed mixed with the nonce (v2) or on
 * the seed alone (draws before issue 18).
 */
export async function verifyProof(p: ProofInput): Promise<ProofResult> {
  if (bytesToHex(await sha256(hexToBytes(p.seed))) !== p.commitment) return { ok: false, reason: 'commitment' };
  let runSeed = p.seed;
  if (p.clientNonce) {
    if (!/^[0-9a-f]{64}$/.test(p.clientNonce)) return { ok: false, reason: 'indices' };
    runSeed = await drawSeedHex(p.seed, p.clientNonce);
  }
  const { indices, rejectedWords } = await deriveCandidates(runSeed, p.poolSize, p.candidates.length);
  if (p.candidates.some((c, i) => c.idx !== indices[i])) return { ok: false, reason: 'indices' };
  if (p.candidates.length > 0 && rejectedWords !== p.rejectedWords) return { ok: false, reason: 'rejected_words' };
  return { ok: true, count: indices.length };
}

/** Where this browser keeps the nonce it chose for a commitment, so the proof page can compare. */
const nonceKey = (commitment: string) => `jg.plates.nonce.${commitment}`;

export function rememberNonce(storage: Pick<Storage, 'setItem'> | undefined, commitment: string, nonce: string): void {
  try {
    storage?.setItem(nonceKey(commitment), nonce);
  } catch {
    // private mode or a full store: the proof page then says it cannot compare
  }
}

/**
 * Whether the draw used the nonce this browser chose for its commitment:
 * `same`, `different` (the server used another one), or `unknown` (chosen on
 * another device, or the storage was cleared).
 */
export function nonceOnThisDevice(storage: Pick<Storage, 'getItem'> | undefined, commitment: string, usedNonce: string | null): 'same' | 'different' | 'unknown' {
  let mine: string | null;
  try {
    mine = storage?.getItem(nonceKey(commitment)) ?? null;
  } catch {
    mine = null;
  }
  if (!mine || !usedNonce) return 'unknown';
  return mine === usedNonce ? 'same' : 'different';
}
