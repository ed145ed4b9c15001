import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../platform/calendar.ts';
import {
  banEndsOn, candidateAt, candidateCount, candidateIndices, checkOpenPool, checkOpenTime, checkPublicationLead, checkSegmentSize, commitmentOf,
  deriveCandidates, isBanActive, latestPublicationDay, normaliseSerial, ownVehicleProblem, parsePattern, parsePlateNumber, planTransition,
  poolLevel, preselectionReference, registrationDeadline, registrationMismatches, segmentSize, selfComposedProblems, serialInSegment,
  serialProblems, skippedOutcome, verifyDraw, usableSegmentSize, checkUsableSegmentSize, hasExcludedDigit, openDecision, drawSeed, type DrawCandidate, type PlanCommand, type PlanStatus, type PlateKind, type RegistrationFacts,
} from './rules.ts';

const pattern = (kind: PlateKind, p: string) => {
  const r = parsePattern(kind, p);
  if (!r.ok) throw new Error(r.code);
  return r.value;
};

describe('GA 36 serial format: each broken rule has its own code', () => {
  const cases: [string, PlateKind, string, string[]][] = [
    ['GA 36 an ordinary 5-character serial with two letters is fine', 'small_blue', 'AB123', []],
    ['GA 36 an all-digit ordinary serial is fine', 'large_yellow', '12345', []],
    ['GA 36 a letter at the end is fine (粤B7550Z)', 'small_blue', '7550Z', []],
    ['GA 36 the letter I is never used', 'small_blue', 'AI234', ['plates.serial_letter_i_o']],
    ['GA 36 the letter O is never used', 'small_blue', 'O1234', ['plates.serial_letter_i_o']],
    ['GA 36 ordinary plates have 5 characters, not 4', 'small_blue', 'A123', ['plates.serial_length']],
    ['GA 36 ordinary plates have 5 characters, not 6', 'small_blue', 'A12345', ['plates.serial_length']],
    ['GA 36 at most two letters in a serial', 'small_blue', 'ABC12', ['plates.serial_too_many_letters']],
    ['GA 36 I/O and too many letters are both reported', 'small_blue', 'AIB12', ['plates.serial_letter_i_o', 'plates.serial_too_many_letters']],
    ['GA 36 an ordinary serial does not start with D (new-energy mark)', 'small_blue', 'D1234', ['plates.serial_ordinary_d_f']],
    ['GA 36 an ordinary serial does not start with F (new-energy mark)', 'large_yellow', 'F1234', ['plates.serial_ordinary_d_f']],
    ['GA 36-2018 small new-energy: D + letter + four digits', 'small_new_energy', 'DA1234', []],
    ['GA 36-2018 small new-energy: F + six characters of digits', 'small_new_energy', 'F12345', []],
    ['GA 36-2018 new-energy plates have 6 characters', 'small_new_energy', 'D1234', ['plates.serial_length']],
    ['GA 36-2018 small new-energy starts with D or F', 'small_new_energy', 'A12345', ['plates.serial_new_energy_type']],
    ['GA 36-2018 small new-energy ends in four digits', 'small_new_energy', 'DAB123', ['plates.serial_new_energy_digits', 'plates.serial_too_many_letters']],
    ['GA 36-2018 large new-energy: five digits then D or F', 'large_new_energy', '12345D', []],
    ['GA 36-2018 large new-energy ends with D or F', 'large_new_energy', '12345A', ['plates.serial_new_energy_type']],
    ['GA 36-2018 large new-energy starts with five digits', 'large_new_energy', '1234AF', ['plates.serial_new_energy_digits']],
    ['GA 36 only digits and letters', 'small_blue', 'A12_4', ['plates.serial_charset']],
    ['GA 36 Chinese characters are not part of the serial', 'small_blue', '学1234', ['plates.serial_charset']],
    ['GA 36 an empty serial is refused', 'small_blue', '', ['plates.serial_charset']],
  ];
  it.each(cases)('%s', (_name, kind, serial, expected) => {
    expect(serialProblems(kind, serial)).toEqual(expected);
  });

  it('GA 36 input is normalised: lower case, blanks and the middle dot', () => {
    expect(normaliseSerial(' ab·123 ')).toBe('AB123');
  });

  it.each([
    ['粤B12345', { ok: true, parts: { province: '粤', authorityLetter: 'B', serial: '12345' } }],
    ['京a·88888', { ok: true, parts: { province: '京', authorityLetter: 'A', serial: '88888' } }],
    ['XB12345', { ok: false, code: 'plates.plate_province' }],
    ['粤I12345', { ok: false, code: 'plates.plate_authority_letter' }],
    ['粤O12345', { ok: false, code: 'plates.plate_authority_letter' }],
  ])('GA 36 plate number = province character + authority letter + serial: %s', (plate, expected) => {
    expect(parsePlateNumber(plate)).toEqual(expected);
  });
});

/**
 * Under StrykerJS every statement of rules.ts is instrumented, and the two
 * largest enumerations (2 million candidates, 12,000 pattern × exclusion
 * pairs) take 50 s and more per mutant: `pnpm test:mutation` leaves those two
 * out and relies on the targeted cases (rules-mutation.test.ts) to kill every
 * mutant; `npm test` runs them always.
 */
const underMutation = Boolean(process.env.STRYKER_MUTATOR_WORKER);

describe('segment patterns', () => {
  const bruteForceSize = (kind: PlateKind, p: string) => {
    const pat = pattern(kind, p);
    let n = 0;
    for (let i = 0; i < candidateCount(pat); i++) if (serialProblems(kind, candidateAt(pat, i)).length === 0) n++;
    return n;
  };

  it.each([
    ['small_blue', 'A####', 10_000],
    ['small_blue', 'A*###', 34_000],
    ['small_blue', 'A1###', 1_000],
    ['small_blue', '##@@@', 0],
    ['small_blue', '@#@##', 22 * 10 * 24 * 100], // D/F not first
    ['small_blue', '*####', 32 * 10_000], // no D/F first
    ['small_new_energy', 'D*####', 340_000],
    ['small_new_energy', '@*####', 2 * 34 * 10_000], // only D and F fit the first position
    ['large_new_energy', '#####D', 100_000],
  ] as [PlateKind, string, number][])('R-24.1 %s %s holds %i numbers (counted without enumerating)', (kind, p, size) => {
    expect(segmentSize(pattern(kind, p))).toBe(size);
  });

  it.each([
    ['small_blue', 'A*#*#'],
    ...(underMutation ? [] : [['small_blue', '@@*##']]),
    ['small_new_energy', 'F@##*#'],
  ] as [PlateKind, string][])('the counted size equals brute-force enumeration: %s %s', (kind, p) => {
    expect(segmentSize(pattern(kind, p))).toBe(bruteForceSize(kind, p));
  });

  it.each([
    ['small_blue', 'A###', 'plates.pattern_length'],
    ['small_new_energy', 'A*####', 'plates.pattern_invalid'],
    ['small_blue', 'I####', 'plates.pattern_invalid'],
    ['large_new_energy', '#####A', 'plates.pattern_invalid'],
    ['small_blue', 'A#?##', 'plates.pattern_invalid'],
  ] as [PlateKind, string, string][])('GA 36 a pattern that cannot fit: %s %s → %s', (kind, p, code) => {
    expect(parsePattern(kind, p)).toEqual({ ok: false, code });
  });

  it('candidates come in plate order, position 0 most significant', () => {
    const p = pattern('small_blue', 'A1###');
    expect(candidateAt(p, 0)).toBe('A1000');
    expect(candidateAt(p, 1)).toBe('A1001');
    expect(candidateAt(p, 999)).toBe('A1999');
  });

  it.each([
    ['A1235', []],
    ['B1234', ['plates.serial_not_in_segment']],
    ['A12C4', ['plates.serial_not_in_segment']],
    ['A1244', ['plates.serial_excluded_digit']],
    ['AI234', ['plates.serial_letter_i_o']],
  ])('R-24.2 self-composed serial %s in segment A#### without 4s', (serial, expected) => {
    expect(selfComposedProblems(pattern('small_blue', 'A####'), '4', serial)).toEqual(expected);
  });

  it('serialInSegment applies the pattern and GA 36 together', () => {
    const p = pattern('small_blue', '@@*##');
    expect(serialInSegment(p, 'AB123')).toBe(true);
    expect(serialInSegment(p, 'ABC12')).toBe(false);
  });
});

describe('segment plans (R-24, R-25)', () => {
  const cal = createCalendar();
  const at = (s: string) => new Date(s);

  it.each([
    ['R-24.1 a segment of 999 numbers is refused', 999, 'plates.segment_too_small'],
    ['R-24.1 a segment of 1,000 numbers is accepted', 1000, null],
    ['R-24.1 a segment of 100 numbers (A12##) is refused', segmentSize(pattern('small_blue', 'A12##')), 'plates.segment_too_small'],
  ] as [string, number, string | null][])('%s', (_n, size, code) => {
    expect(checkSegmentSize(size)).toBe(code);
  });

  it.each([
    ['R-24.3 opening with 49,999 available is refused', 49_999, { ok: false, code: 'plates.pool_below_minimum' }],
    ['R-24.3 opening with exactly 50,000 is allowed, with a warning', 50_000, { ok: true, warning: true }],
    ['R-24.3 opening with 59,999 warns', 59_999, { ok: true, warning: true }],
    ['R-24.3 opening with 60,000 does not warn', 60_000, { ok: true, warning: false }],
  ] as [string, number, unknown][])('%s', (_n, available, expected) => {
    expect(checkOpenPool(available)).toEqual(expected);
  });

  it('R-24.3 pool levels for the staff warning', () => {
    expect([poolLevel(10), poolLevel(55_000), poolLevel(70_000)]).toEqual(['below_minimum', 'low', 'ok']);
  });

  it.each([
    ['R-24.4 start Thursday → publish by Monday', '2026-12-03T00:00:00+08:00', '2026-11-30'],
    ['R-24.4 start Monday → publish by the Wednesday before (weekend not counted)', '2026-12-07T09:00:00+08:00', '2026-12-02'],
    ['R-24.4 start Friday 9 Oct 2026 → the National Day holiday pushes it back to 29 Sep', '2026-10-09T00:00:00+08:00', '2026-09-29'],
    ['R-24.4 a 调休 Saturday counts as a working day (start Mon 12 Oct → publish by Thu 8 Oct)', '2026-10-12T00:00:00+08:00', '2026-10-08'],
  ])('%s', (_n, start, day) => {
    expect(latestPublicationDay(cal, at(start))).toBe(day);
  });

  it('R-24.4 a staff holiday override is honoured', () => {
    const withHoliday = createCalendar({ overrides: [{ day: '2026-12-02', kind: 'holiday' }] });
    expect(latestPublicationDay(withHoliday, at('2026-12-04T00:00:00+08:00'))).toBe('2026-11-30');
  });

  it.each([
    ['R-24.4 publishing on the last allowed day is fine', '2026-11-30T23:59:00+08:00', true],
    ['R-24.4 publishing one working day late is refused', '2026-12-01T08:00:00+08:00', false],
  ])('%s', (_n, now, ok) => {
    expect(checkPublicationLead(cal, at(now), at('2026-12-03T00:00:00+08:00')).ok).toBe(ok);
  });

  it('R-25.3 a segment opens at its announced start, not before', () => {
    expect(checkOpenTime(at('2026-12-02T23:59:00+08:00'), at('2026-12-03T00:00:00+08:00'))).toBe('plates.plan_not_started');
    expect(checkOpenTime(at('2026-12-03T00:00:00+08:00'), at('2026-12-03T00:00:00+08:00'))).toBeNull();
  });

  const lifecycle: [string, PlanStatus, PlanCommand, PlanStatus | null][] = [
    ['R-25.2 a draft is reported to the superior', 'draft', 'submit', 'submitted'],
    ['R-25.2 the superior approves or files a submitted plan', 'submitted', 'approve', 'approved'],
    ['R-25.2 a draft cannot be approved before it is reported', 'draft', 'approve', null],
    ['R-25.3 only an approved or filed plan is published', 'approved', 'publish', 'published'],
    ['R-25.3 a submitted plan cannot be published', 'submitted', 'publish', null],
    ['R-25.4 the pool is built after publication', 'published', 'build', 'building'],
    ['R-25.4 the pool is not built for an unpublished plan', 'approved', 'build', null],
    ['R-25.4 a finished build leaves the pool built', 'building', 'finish_build', 'pool_built'],
    ['R-24.3 only a built pool opens', 'pool_built', 'open', 'open'],
    ['R-24.3 a segment still building cannot open', 'building', 'open', null],
    ['an open segment closes', 'open', 'close', 'closed'],
    ['a closed segment does not reopen', 'closed', 'open', null],
  ];
  it.each(lifecycle)('%s', (_n, from, command, to) => {
    expect(planTransition(from, command)).toEqual(to ? { ok: true, to } : { ok: false, code: 'plates.plan_wrong_status' });
  });
});

describe('preselections (R-23)', () => {
  const cal = createCalendar();
  const me = { idType: 'resident_id' as const, idNumber: '440304198503122756', name: '张伟' };

  it.each([
    ['R-23.1 a brand-new car (VIN not in the records) of my own', me, null, null],
    ['R-23.1 my car in the records without a plate', me, { plateNo: null, ownedByUser: true, plateKind: 'small_blue' }, null],
    ['R-23.1 someone else as owner is refused', { ...me, idNumber: '440305199007213406' }, null, 'plates.not_own_vehicle'],
    ['R-23.1 another owner name is refused', { ...me, name: '张三' }, null, 'plates.not_own_vehicle'],
    ['R-23.1 a car the records give to someone else is refused', me, { plateNo: null, ownedByUser: false, plateKind: 'small_blue' }, 'plates.not_own_vehicle'],
    ['R-23.1 a registered car needs no preselection', me, { plateNo: '粤BA1234', ownedByUser: true, plateKind: 'small_blue' }, 'plates.vehicle_already_registered'],
    ['R-23.1 the vehicle’s plate kind must be the segment’s', me, { plateNo: null, ownedByUser: true, plateKind: 'small_new_energy' }, 'plates.plate_kind_mismatch'],
  ] as [string, typeof me, Parameters<typeof ownVehicleProblem>[2], string | null][])('%s', (_n, owner, vehicle, code) => {
    expect(ownVehicleProblem(me, owner, vehicle, 'small_blue')).toBe(code);
  });

  it.each([
    ['R-23.4 reserved on a Wednesday → register by Monday 24:00', '2026-11-25T10:00:00+08:00', '2026-12-01T00:00:00+08:00'],
    ['R-23.4 reserved on a Friday → the weekend does not count, Wednesday 24:00', '2026-11-27T18:30:00+08:00', '2026-12-03T00:00:00+08:00'],
    ['R-23.4 reserved on a Saturday → Wednesday 24:00', '2026-11-28T09:00:00+08:00', '2026-12-03T00:00:00+08:00'],
    ['R-23.4 reserved before National Day → holidays skipped, the 调休 Saturday counts', '2026-09-30T15:00:00+08:00', '2026-10-11T00:00:00+08:00'],
    ['R-23.4 reserved late in the Shanghai evening counts from that Shanghai day', '2026-11-25T23:59:00+08:00', '2026-12-01T00:00:00+08:00'],
  ])('%s', (_n, reservedAt, deadline) => {
    expect(registrationDeadline(cal, new Date(reservedAt)).toISOString()).toBe(new Date(deadline).toISOString());
  });

  it.each([
    ['R-23.4 two years from the cancellation day', '2026-12-01T00:00:00+08:00', '2028-12-01'],
    ['R-23.4 two years from 29 February end on 28 February (PD-2)', '2028-02-29T12:00:00+08:00', '2030-02-28'],
  ])('%s', (_n, at, endsOn) => {
    expect(banEndsOn(new Date(at))).toBe(endsOn);
  });

  it('R-23.4 the ban runs until the day before its end date', () => {
    expect(isBanActive('2028-12-01', new Date('2028-11-30T23:59:00+08:00'))).toBe(true);
    expect(isBanActive('2028-12-01', new Date('2028-12-01T00:00:00+08:00'))).toBe(false);
  });

  const reserved: RegistrationFacts = { vin: 'LFVBJ6C27TF583246', ownerIdType: 'resident_id', ownerIdNumber: '44030419850312275X', ownerName: '张伟', phone: '13800138000' };
  it.each([
    ['R-23.3 identical data match', {}, []],
    ['R-23.3 letter case and blanks do not matter for VIN and ID number', { vin: ' lfvbj6c27tf583246', ownerIdNumber: '44030419850312275x' }, []],
    ['R-23.3 another VIN is a mismatch', { vin: 'LRWYEEKB0TC323769' }, ['vin']],
    ['R-23.3 another ID type is a mismatch', { ownerIdType: 'passport' }, ['ownerIdType']],
    ['R-23.3 another ID number is a mismatch', { ownerIdNumber: '440305199007213406' }, ['ownerIdNumber']],
    ['R-23.3 another owner name is a mismatch', { ownerName: '张玮' }, ['ownerName']],
    ['R-23.3 another phone is a mismatch', { phone: '13700137000' }, ['phone']],
    ['R-23.3 every differing field is listed', { phone: '13700137000', ownerName: '王芳' }, ['ownerName', 'phone']],
  ] as [string, Partial<RegistrationFacts>, string[]][])('%s', (_n, change, fields) => {
    expect(registrationMismatches(reserved, { ...reserved, ...change })).toEqual(fields);
  });

  it('reference numbers carry the authority and the Shanghai day', () => {
    expect(preselectionReference('440300', new Date('2026-11-25T17:00:00Z'), 42)).toBe('YX44030020261126000042');
  });
});

describe('PD-14: the provably fair random draw', () => {
  const seed = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');

  /** The published algorithm written out a second time, as a verifier would. */
  function independent(seedBytes: Buffer, n: number, count: number): number[] {
    const out: number[] = [];
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (let k = 0; out.length < count; k++) {
      const ctr = Buffer.from([(k >>> 24) & 255, (k >>> 16) & 255, (k >>> 8) & 255, k & 255]);
      const block = createHash('sha256').update(Buffer.concat([Buffer.from('jg-plate-draw-v1'), seedBytes, ctr])).digest();
      for (let j = 0; j < 8 && out.length < count; j++) {
        const w = block.readUInt32BE(j * 4);
        if (w < limit) out.push(w % n);
      }
    }
    return out;
  }

  it('PD-14 the commitment is sha256 of the seed', () => {
    expect(commitmentOf(seed)).toBe(createHash('sha256').update(seed).digest('hex'));
  });

  it('PD-14 candidates are deterministic and match an independent implementation', () => {
    const a = deriveCandidates(seed, 5_000_000, 40).indices;
    expect(deriveCandidates(seed, 5_000_000, 40).indices).toEqual(a);
    expect(a).toEqual(independent(seed, 5_000_000, 40));
    expect(new Set(a).size).toBeGreaterThan(35);
    expect(a.every((i) => i >= 0 && i < 5_000_000)).toBe(true);
  });

  it('PD-14 a different seed gives different candidates', () => {
    const other = Buffer.from(seed);
    other[0] = 1;
    expect(deriveCandidates(other, 50_000, 10).indices).not.toEqual(deriveCandidates(seed, 50_000, 10).indices);
  });

  it('PD-14 rejection sampling removes modulo bias (N = 3·2^30: plain modulo would give the low third half the mass)', () => {
    const n = 3 * 2 ** 30;
    let low = 0;
    let total = 0;
    for (let s = 0; s < 60; s++) {
      const sd = createHash('sha256').update(`seed-${s}`).digest();
      const { indices, rejectedWords } = deriveCandidates(sd, n, 500);
      expect(rejectedWords).toBeGreaterThan(0);
      for (const i of indices) {
        total++;
        if (i < 2 ** 30) low++;
      }
    }
    expect(low / total).toBeGreaterThan(0.3);
    expect(low / total).toBeLessThan(0.366);
  });

  it('PD-14 indices are uniform: chi-square over 7 buckets with 70,000 draws', () => {
    const counts = new Array<number>(7).fill(0);
    for (let s = 0; s < 100; s++) {
      const sd = createHash('sha256').update(`uniform-${s}`).digest();
      for (const i of deriveCandidates(sd, 7, 700).indices) counts[i]!++;
    }
    const expected = 10_000;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(22.46); // p = 0.001, 6 degrees of freedom
  });

  it('PD-14 the generator refuses a bad seed or pool size', () => {
    expect(() => candidateIndices(Buffer.alloc(31), 10).next()).toThrow(RangeError);
    expect(() => candidateIndices(seed, 0).next()).toThrow(RangeError);
  });

  it.each([
    ['free row held by this draw already → repeat', 'offered', true, 'repeat'],
    ['offered to someone else', 'offered', false, 'offered_to_other'],
    ['reserved', 'reserved', false, 'reserved'],
    ['issued', 'issued', false, 'issued'],
    ['withheld by the authority', 'withheld', false, 'withheld'],
    ['still free but locked by a concurrent taker', 'free', false, 'busy'],
  ])('PD-14 a skipped candidate is recorded as: %s', (_n, status, mine, outcome) => {
    expect(skippedOutcome(status, mine)).toBe(outcome);
  });

  describe('verifyDraw re-runs a proof', () => {
    const poolSize = 50_000;
    const { indices, rejectedWords } = deriveCandidates(seed, poolSize, 12);
    const candidates: DrawCandidate[] = indices.map((idx, i) => ({ n: i + 1, idx, plateNo: `粤B${idx}`, outcome: i === 3 || i === 7 ? 'reserved' : 'offered' }));
    const offered = candidates.filter((c) => c.outcome === 'offered').map((c) => c.plateNo);
    const proof = { seedHex: seed.toString('hex'), commitment: commitmentOf(seed), poolSize, candidates, rejectedWords, offered };

    it('PD-14 an honest proof verifies', () => {
      expect(verifyDraw(proof)).toEqual({ ok: true });
    });
    it('PD-14 another seed does not match the commitment', () => {
      expect(verifyDraw({ ...proof, seedHex: 'ff'.repeat(32) })).toEqual({ ok: false, reason: 'commitment' });
    });
    it('PD-14 a swapped candidate index is detected', () => {
      const bad = candidates.map((c, i) => (i === 2 ? { ...c, idx: (c.idx + 1) % poolSize } : c));
      expect(verifyDraw({ ...proof, candidates: bad })).toEqual({ ok: false, reason: 'indices' });
    });
    it('PD-14 an offered number that the candidates do not show is detected', () => {
      expect(verifyDraw({ ...proof, offered: [...offered.slice(0, -1), '粤B88888'] })).toEqual({ ok: false, reason: 'offered' });
    });
    it('PD-14 another pool size gives other indices', () => {
      expect(verifyDraw({ ...proof, poolSize: poolSize + 1 }).ok).toBe(false);
    });
  });
});

describe('R-24.1 usable numbers of a segment, counted without enumerating (issue 18)', () => {
  /** The pool build's filter, one candidate at a time: GA 36, no excluded digit, not withheld. */
  const bruteForceUsable = (kind: PlateKind, p: string, exclude: string, withheld: string[]) => {
    const pat = pattern(kind, p);
    const kept = new Set(withheld);
    let n = 0;
    for (let i = 0; i < candidateCount(pat); i++) {
      const s = candidateAt(pat, i);
      if (serialProblems(kind, s).length === 0 && !hasExcludedDigit(s, exclude) && !kept.has(s)) n++;
    }
    return n;
  };
  const EXCLUSIONS = ['', '4', '0479', '123456789'];

  it.skipIf(underMutation)('R-24.1 equals brute-force enumeration for every small ordinary pattern (at most two wildcards) and several excluded-digit lists', () => {
    const symbols = ['7', 'K', '#', '@', '*'];
    let checked = 0;
    for (let code = 0; code < symbols.length ** 5; code++) {
      const p = Array.from({ length: 5 }, (_, i) => symbols[Math.floor(code / symbols.length ** i) % symbols.length]).join('');
      if ([...p].filter((c) => '#@*'.includes(c)).length > 2) continue;
      const parsed = parsePattern('small_blue', p);
      if (!parsed.ok) continue;
      for (const exclude of EXCLUSIONS) {
        expect(usableSegmentSize(parsed.value, exclude, []).usable, `${p} without ${exclude}`).toBe(bruteForceUsable('small_blue', p, exclude, []));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it.each([
    ['small_new_energy', 'D*##1#'],
    ['small_new_energy', '@7###5'],
    ['large_new_energy', '##1##@'],
    ['large_yellow', '@@#1#'],
  ] as [PlateKind, string][])('R-24.1 equals brute force for %s %s, with excluded digits and withheld serials', (kind, p) => {
    const pat = pattern(kind, p);
    // withheld: some in the segment, one with an excluded digit, one outside it, one repeated, one in lower case
    const inSegment = [candidateAt(pat, 0), candidateAt(pat, 17), candidateAt(pat, candidateCount(pat) - 1)].filter((s) => serialProblems(kind, s).length === 0);
    const withheld = [...inSegment, inSegment[0]!, 'ZZZZZZ', inSegment[1]!.toLowerCase()];
    for (const exclude of EXCLUSIONS) {
      const normalised = withheld.map((s) => s.toUpperCase());
      expect(usableSegmentSize(pat, exclude, withheld).usable, `without ${exclude}`).toBe(bruteForceUsable(kind, p, exclude, normalised));
    }
  });

  it('R-24.1 the refusal names the field that took the numbers away', () => {
    expect(checkUsableSegmentSize(usableSegmentSize(pattern('small_blue', 'A####'), '4', []))).toBeNull(); // 6,561
    expect(checkUsableSegmentSize(usableSegmentSize(pattern('small_blue', 'A12##'), '', []))).toMatchObject({ code: 'plates.segment_too_small', field: 'pattern', params: { size: 100 } });
    expect(checkUsableSegmentSize(usableSegmentSize(pattern('small_blue', 'A1###'), '4', []))).toMatchObject({ code: 'plates.segment_too_small_after_exclusions', field: 'excludeDigits', params: { size: 729, numbers: 1000 } });
    expect(checkUsableSegmentSize(usableSegmentSize(pattern('small_blue', 'A1###'), '', ['A1000']))).toMatchObject({
      code: 'plates.segment_too_small_after_exclusions', field: 'withheldSerials', params: { size: 999, numbers: 1000, withoutExcludedDigits: 1000 },
    });
    // a withheld serial that holds an excluded digit is not counted twice
    expect(usableSegmentSize(pattern('small_blue', 'A1###'), '4', ['A1004']).usable).toBe(729);
  });
});

describe('R-24.3 / R-25.3 whether a segment may open: one rule for the button and the command (issue 18)', () => {
  const startAt = new Date('2026-12-01T00:00:00+08:00');
  const after = new Date('2026-12-01T08:00:00+08:00');
  it.each([
    ['R-25.3 not before its start', { status: 'pool_built', now: new Date('2026-11-30T23:00:00+08:00'), startAt, availableAfterOpen: 80_000 }, { ok: false, code: 'plates.plan_not_started' }],
    ['R-24.3 6,558 available is refused, not "close to the limit"', { status: 'pool_built', now: after, startAt, availableAfterOpen: 6_558 }, { ok: false, code: 'plates.pool_below_minimum', params: { available: 6_558, minimum: 50_000 } }],
    ['R-24.3 49,999 is refused', { status: 'pool_built', now: after, startAt, availableAfterOpen: 49_999 }, { ok: false, code: 'plates.pool_below_minimum' }],
    ['R-24.3 50,000 opens, with the warning', { status: 'pool_built', now: after, startAt, availableAfterOpen: 50_000 }, { ok: true, warning: true }],
    ['R-24.3 60,000 opens without a warning', { status: 'pool_built', now: after, startAt, availableAfterOpen: 60_000 }, { ok: true, warning: false }],
    ['R-25 only a built pool opens', { status: 'building', now: after, startAt, availableAfterOpen: 80_000 }, { ok: false, code: 'plates.plan_wrong_status' }],
    ['R-25 an open segment does not open again', { status: 'open', now: after, startAt, availableAfterOpen: 80_000 }, { ok: false, code: 'plates.plan_wrong_status' }],
  ] as [string, Parameters<typeof openDecision>[0], object][])('%s', (_name, input, expected) => {
    expect(openDecision(input)).toMatchObject(expected);
  });
});

describe('PD-14 the v2 draw: the server seed mixed with the browser nonce (issue 18)', () => {
  const seed = Buffer.alloc(32, 0x11);
  const nonce = Buffer.alloc(32, 0x22);
  const poolSize = 59_045;
  const mixed = drawSeed(seed, nonce);
  const { indices, rejectedWords } = deriveCandidates(mixed, poolSize, 10);
  const candidates: DrawCandidate[] = indices.map((idx, i) => ({ n: i + 1, idx, plateNo: `粤BD${idx}`, outcome: 'offered' }));
  const proof = { seedHex: seed.toString('hex'), clientNonceHex: nonce.toString('hex'), commitment: commitmentOf(seed), poolSize, candidates, rejectedWords, offered: candidates.map((c) => c.plateNo) };

  it('PD-14 the draw seed is sha256("jg-plate-draw-v2" ‖ seed ‖ nonce)', () => {
    expect(mixed.toString('hex')).toBe(createHash('sha256').update(Buffer.concat([Buffer.from('jg-plate-draw-v2'), seed, nonce])).digest('hex'));
    expect(drawSeed(seed, Buffer.alloc(32, 0x23)).equals(mixed)).toBe(false);
    expect(() => drawSeed(seed, Buffer.alloc(16))).toThrow(RangeError);
  });
  it('PD-14 a v2 proof verifies with its nonce', () => {
    expect(verifyDraw(proof)).toEqual({ ok: true });
  });
  it('PD-14 another nonce, or none, does not re-derive the draw', () => {
    expect(verifyDraw({ ...proof, clientNonceHex: '33'.repeat(32) })).toEqual({ ok: false, reason: 'indices' });
    expect(verifyDraw({ ...proof, clientNonceHex: null }).ok).toBe(false);
    expect(verifyDraw({ ...proof, clientNonceHex: 'not hex' }).ok).toBe(false);
  });
});
