/**
 * Mutation-testing companions to rules.test.ts (issue 18): edges of the plate
 * rules — plate-number parsing, segment patterns, the draw's input checks and
 * proof verification, refusal parameters — that StrykerJS showed or
 * suggested were not asserted.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../platform/calendar.ts';
import {
  candidateIndices, checkPublicationLead, checkUsableSegmentSize, drawSeed, commitmentOf, deriveCandidates, hasExcludedDigit, normaliseSerial, offerExpiresAt, openDecision, ownVehicleProblem,
  parsePattern, parsePlateNumber, preselectionReference, registrationMismatches, serialInSegment, verifyDraw, type DrawCandidate, type RegistrationFacts,
  allowedAt, candidateAt, serialProblems, usableSegmentSize,
} from './rules.ts';

describe('GA 36 plate numbers and serials', () => {
  it('GA 36 a plate number needs a province character and an authority letter before the serial', () => {
    expect(parsePlateNumber('')).toEqual({ ok: false, code: 'plates.plate_province' });
    expect(parsePlateNumber('粤')).toEqual({ ok: false, code: 'plates.plate_authority_letter' });
    expect(parsePlateNumber('粤1')).toEqual({ ok: false, code: 'plates.plate_authority_letter' });
    expect(parsePlateNumber(' 粤 b · 12 34z ')).toEqual({ ok: true, parts: { province: '粤', authorityLetter: 'B', serial: '1234Z' } });
  });
  it('GA 36 a typed serial loses blanks, middle dots, full stops and hyphens, and is upper-cased', () => {
    expect(normaliseSerial('a-b.1 2·3\t')).toBe('AB123');
  });
});

describe('segment patterns (R-24.1)', () => {
  it('R-24.1 a pattern has one symbol per serial position, in either case', () => {
    expect(parsePattern('small_blue', 'a12#@')).toEqual({
      ok: true,
      value: { kind: 'small_blue', positions: ['A', '1', '2', '0123456789', 'ABCDEFGHJKLMNPQRSTUVWXYZ'] },
    });
    expect(parsePattern('small_blue', 'A###')).toEqual({ ok: false, code: 'plates.pattern_length' });
    expect(parsePattern('small_new_energy', 'D####')).toEqual({ ok: false, code: 'plates.pattern_length' });
    expect(parsePattern('small_blue', '!####')).toEqual({ ok: false, code: 'plates.pattern_invalid' });
  });
  it('R-24.1 each position keeps only what GA 36 allows there', () => {
    const at = (kind: Parameters<typeof parsePattern>[0], p: string) => {
      const r = parsePattern(kind, p);
      return r.ok ? r.value.positions : r.code;
    };
    // ordinary plates: not D or F first
    expect(at('small_blue', '*####')).toEqual(['0123456789ABCEGHJKLMNPQRSTUVWXYZ', ...Array(4).fill('0123456789')]);
    expect(at('large_yellow', 'D####')).toBe('plates.pattern_invalid');
    expect(at('small_blue', '#D###')).toEqual(['0123456789', 'D', ...Array(3).fill('0123456789')]);
    // small new-energy: D/F, then a digit or letter, then four digits
    expect(at('small_new_energy', '**####')).toEqual(['DF', '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ', ...Array(4).fill('0123456789')]);
    expect(at('small_new_energy', 'DAA###')).toBe('plates.pattern_invalid');
    // large new-energy: five digits, then D/F
    expect(at('large_new_energy', '*****@')).toEqual([...Array(5).fill('0123456789'), 'DF']);
    expect(at('large_new_energy', '#####1')).toBe('plates.pattern_invalid');
  });
  it('R-24.2 a serial of another length is not in the segment', () => {
    const r = parsePattern('small_blue', 'A####');
    if (!r.ok) throw new Error(r.code);
    expect(serialInSegment(r.value, 'A1234')).toBe(true);
    expect(serialInSegment(r.value, 'A123')).toBe(false);
    expect(serialInSegment(r.value, 'A12345')).toBe(false);
  });
  it('R-24.1 no excluded digits exclude nothing', () => {
    expect(hasExcludedDigit('A1234', '')).toBe(false);
    expect(hasExcludedDigit('A1234', '4')).toBe(true);
    expect(hasExcludedDigit('A1235', '4')).toBe(false);
  });
});

describe('R-24.1 a segment of exactly 1,000 usable numbers', () => {
  it('R-24.1 1,000 usable numbers are enough; 999 are not', () => {
    expect(checkUsableSegmentSize({ numbers: 1000, withoutExcludedDigits: 1000, usable: 1000 })).toBeNull();
    expect(checkUsableSegmentSize({ numbers: 1000, withoutExcludedDigits: 1000, usable: 999 })).toEqual({
      code: 'plates.segment_too_small_after_exclusions', field: 'withheldSerials', params: { size: 999, numbers: 1000, withoutExcludedDigits: 1000, minimum: 1000 },
    });
  });
});

describe('R-24.4 / R-24.3 / R-25.3 refusals name what to do', () => {
  it('R-24.4 a late publication names the last day it was allowed', () => {
    const cal = createCalendar();
    expect(checkPublicationLead(cal, new Date('2026-12-01T08:00:00+08:00'), new Date('2026-12-03T00:00:00+08:00'))).toEqual({
      ok: false, code: 'plates.publish_too_late', latestDay: '2026-11-30',
    });
  });
  it('R-25.3 / R-25 a refused opening names the status or the announced start', () => {
    const startAt = new Date('2026-12-01T00:00:00+08:00');
    expect(openDecision({ status: 'building', now: new Date('2026-12-02T00:00:00+08:00'), startAt, availableAfterOpen: 80_000 })).toEqual({
      ok: false, code: 'plates.plan_wrong_status', params: { status: 'building' },
    });
    expect(openDecision({ status: 'pool_built', now: new Date('2026-11-30T00:00:00+08:00'), startAt, availableAfterOpen: 80_000 })).toEqual({
      ok: false, code: 'plates.plan_not_started', params: { startAt: startAt.toISOString() },
    });
  });
});

describe('preselections (R-23)', () => {
  const me = { idType: 'resident_id' as const, idNumber: '440304198503122756', name: '张伟' };
  it('R-23.1 the owner’s ID type must be the user’s too', () => {
    expect(ownVehicleProblem(me, { ...me, idType: 'passport' }, null, 'small_blue')).toBe('plates.not_own_vehicle');
  });
  it('R-23.3 names and phones are compared as typed, apart from surrounding blanks', () => {
    const reserved: RegistrationFacts = { vin: 'LFVBJ6C27TF583246', ownerIdType: 'resident_id', ownerIdNumber: '44030419850312275X', ownerName: 'Zhang Wei', phone: '13800138000' };
    expect(registrationMismatches(reserved, { ...reserved, ownerName: ' Zhang Wei ', phone: '13800138000 ' })).toEqual([]);
    expect(registrationMismatches(reserved, { ...reserved, ownerName: 'ZHANG WEI' })).toEqual(['ownerName']);
  });
  it('reference numbers keep the last six digits of the sequence', () => {
    expect(preselectionReference('440300', new Date('2026-11-25T17:00:00Z'), 1_000_042)).toBe('YX44030020261126000042');
  });
});

describe('PD-14 the draw', () => {
  const seed = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
  it('PD-14 an offer is open for ten minutes', () => {
    expect(offerExpiresAt(new Date('2026-11-25T02:00:00Z')).toISOString()).toBe('2026-11-25T02:10:00.000Z');
  });
  it('PD-14 the pool size is a whole number from 1 to 2^32 − 1; the seed 32 bytes', () => {
    for (const n of [1.5, 0, -1, 2 ** 32, Number.NaN]) expect(() => candidateIndices(seed, n).next()).toThrow(new RangeError(`pool size out of range: ${n}`));
    expect(() => candidateIndices(Buffer.alloc(33), 10).next()).toThrow(new RangeError('seed must be 32 bytes'));
    expect(candidateIndices(seed, 1).next().value).toEqual({ idx: 0, rejected: 0 });
    expect(candidateIndices(seed, 0xffffffff).next().done).toBe(false);
  });
  it('PD-14 the limit is exclusive: a word equal to 2^32 − (2^32 mod N) is dropped', () => {
    const seed42 = Buffer.alloc(32, 0x42);
    const w0 = createHash('sha256').update('jg-plate-draw-v1').update(seed42).update(Buffer.alloc(4)).digest().readUInt32BE(0);
    // For N = w0 > 2^31 the limit is exactly w0, so the first word is dropped rather than giving index 0.
    expect(w0).toBeGreaterThan(2 ** 31);
    const first = candidateIndices(seed42, w0).next().value!;
    expect(first.rejected).toBeGreaterThanOrEqual(1);
  });
  it('PD-14 both the server seed and the browser nonce must be 32 bytes', () => {
    for (const [s, n] of [[Buffer.alloc(31), Buffer.alloc(32)], [Buffer.alloc(32), Buffer.alloc(33)]] as const) {
      expect(() => drawSeed(s, n)).toThrow(new RangeError('seed and nonce must be 32 bytes'));
    }
  });
  it('PD-14 no candidates asked, none derived', () => {
    expect(deriveCandidates(seed, 10, 0)).toEqual({ indices: [], rejectedWords: 0 });
    expect(deriveCandidates(seed, 10, -1)).toEqual({ indices: [], rejectedWords: 0 });
    expect(deriveCandidates(seed, 10, 3).indices).toHaveLength(3);
  });

  describe('verifyDraw', () => {
    const poolSize = 3 * 2 ** 30; // a pool where words are dropped
    const { indices, rejectedWords } = deriveCandidates(seed, poolSize, 40);
    const candidates: DrawCandidate[] = indices.map((idx, i) => ({ n: i + 1, idx, plateNo: `粤B${idx}`, outcome: i === 1 ? 'reserved' : 'offered' }));
    const offered = candidates.filter((c) => c.outcome === 'offered').map((c) => c.plateNo);
    const proof = { seedHex: seed.toString('hex'), commitment: commitmentOf(seed), poolSize, candidates, rejectedWords, offered };
    it('PD-14 the honest proof of a draw that dropped words verifies', () => {
      expect(rejectedWords).toBeGreaterThan(0);
      expect(verifyDraw(proof)).toEqual({ ok: true });
    });
    it('PD-14 the seed is 64 lowercase hex characters', () => {
      expect(verifyDraw({ ...proof, seedHex: proof.seedHex.toUpperCase() })).toEqual({ ok: false, reason: 'commitment' });
      expect(verifyDraw({ ...proof, seedHex: `${proof.seedHex}00` })).toEqual({ ok: false, reason: 'commitment' });
      expect(verifyDraw({ ...proof, seedHex: `x${proof.seedHex.slice(1)}` })).toEqual({ ok: false, reason: 'commitment' });
    });
    it('PD-14 nothing may stand before or after the 64 hex characters of the seed', () => {
      // Decoding would stop at the junk and keep the honest seed, or nothing; the proof is refused before that.
      expect(verifyDraw({ ...proof, seedHex: `${proof.seedHex}zz` })).toEqual({ ok: false, reason: 'commitment' });
      const emptyCommitment = createHash('sha256').update(Buffer.alloc(0)).digest('hex');
      expect(verifyDraw({ seedHex: `zz${proof.seedHex}`, commitment: emptyCommitment, poolSize, candidates: [], rejectedWords: 0, offered: [] })).toEqual({ ok: false, reason: 'commitment' });
    });
    it('PD-14 a malformed nonce cannot re-derive the indices', () => {
      for (const n of ['AB'.repeat(32), 'ab'.repeat(31), `${'ab'.repeat(32)}00`, `x${'a'.repeat(63)}`]) expect(verifyDraw({ ...proof, clientNonceHex: n })).toEqual({ ok: false, reason: 'indices' });
      expect(verifyDraw({ ...proof, clientNonceHex: undefined })).toEqual({ ok: true });
    });
    it('PD-14 candidates are numbered 1, 2, 3 … in draw order', () => {
      expect(verifyDraw({ ...proof, candidates: candidates.map((c, i) => (i === 5 ? { ...c, n: 7 } : c)) })).toEqual({ ok: false, reason: 'indices' });
      expect(verifyDraw({ ...proof, candidates: [...candidates, { ...candidates[0]!, n: candidates.length + 1 }] })).toEqual({ ok: false, reason: 'indices' });
    });
    it('PD-14 the number of dropped words must be the algorithm’s', () => {
      expect(verifyDraw({ ...proof, rejectedWords: rejectedWords + 1 })).toEqual({ ok: false, reason: 'rejected_words' });
      expect(verifyDraw({ ...proof, candidates: [], offered: [], rejectedWords: 5 })).toEqual({ ok: true });
    });
    it('PD-14 the offered numbers are exactly the candidates offered, in order', () => {
      expect(verifyDraw({ ...proof, offered: offered.slice(0, -1) })).toEqual({ ok: false, reason: 'offered' });
      expect(verifyDraw({ ...proof, offered: [offered[1]!, offered[0]!, ...offered.slice(2)] })).toEqual({ ok: false, reason: 'offered' });
      expect(verifyDraw({ ...proof, offered: [...offered, candidates[1]!.plateNo] })).toEqual({ ok: false, reason: 'offered' });
    });
  });
});

describe('GA 36 characters of a serial (issue 18, plates rules.ts lines 1–229)', () => {
  it('GA 36 a character below "0" (+, /, !) is neither digit nor letter: the serial is refused for its characters', () => {
    for (const serial of ['A+234', 'A/234', '!1234', 'A 234']) expect(serialProblems('small_blue', serial), serial).toEqual(['plates.serial_charset']);
    expect(serialProblems('small_new_energy', 'D1+234')).toEqual(['plates.serial_charset']);
  });
  it('GA 36 the first character of an ordinary serial is any digit or plate letter but D and F', () => {
    expect(allowedAt('small_blue', 0)).toBe('0123456789ABCEGHJKLMNPQRSTUVWXYZ');
    expect(allowedAt('large_yellow', 0)).toBe('0123456789ABCEGHJKLMNPQRSTUVWXYZ');
    expect(allowedAt('small_blue', 1)).toBe('0123456789ABCDEFGHJKLMNPQRSTUVWXYZ');
  });
  it('R-24.1 a pattern symbol that is no wildcard, digit or plate letter makes the pattern invalid', () => {
    for (const p of ['A12?#', 'A12I#', 'A12O#', 'A12 #', 'D1234']) expect(parsePattern('small_blue', p), p).toEqual({ ok: false, code: 'plates.pattern_invalid' });
  });
  it('R-24.1 with no excluded digit nothing is excluded, and the usable count equals the segment size less the withheld numbers in it', () => {
    expect(hasExcludedDigit('A1234', '')).toBe(false);
    const p = parsePattern('small_blue', 'A12#@');
    if (!p.ok) throw new Error('pattern');
    expect(usableSegmentSize(p.value, '', [])).toEqual({ numbers: 240, withoutExcludedDigits: 240, usable: 240 });
    expect(usableSegmentSize(p.value, '', ['A120A', 'a121b', 'A120A', 'B120A'])).toEqual({ numbers: 240, withoutExcludedDigits: 240, usable: 238 });
  });
  it('GA 36 candidates come in plate order, each of the pattern\'s length', () => {
    const p = parsePattern('small_new_energy', 'D1234#');
    if (!p.ok) throw new Error('pattern');
    expect(Array.from({ length: 3 }, (_, i) => candidateAt(p.value, i))).toEqual(['D12340', 'D12341', 'D12342']);
  });
});
