import { describe, expect, it } from 'vitest';
import * as rules from './rules.ts';
import type { LicenceFacts, RecordFacts } from './rules.ts';

const licence = (o: Partial<LicenceFacts> = {}): LicenceFacts => ({ bound: true, status: 'valid', points: 0, pendingPoints: 0, ...o });
const rec = (o: Partial<RecordFacts> = {}): RecordFacts => ({ id: 'r1', vehicleId: 'v1', source: 'camera', fineFen: 200_00, points: 3, status: 'open', ...o });
const code = (d: { ok: boolean; code?: string; refusal?: { code: string } }) => (d.ok ? null : (d.code ?? d.refusal?.code));

describe('violations rules (第五章)', () => {
  it('X-5.1 a bound own licence is required (未绑定驾驶证)', () => {
    expect(code(rules.decideHandler('personal', null))).toBe('violations.licence_not_bound');
    expect(code(rules.decideHandler('personal', licence({ bound: false })))).toBe('violations.licence_not_bound');
    expect(rules.decideHandler('personal', licence()).ok).toBe(true);
  });

  it('PD-6 organisation users cannot handle violations', () => {
    expect(code(rules.decideHandler('organisation', licence()))).toBe('violations.personal_only');
  });

  it.each([
    ['cancelled', false], ['revoked', false], ['detained', false], ['seized', false],
    ['valid', true], ['overdue_review', true],
  ])('PD-10 a licence in state %s may handle online: %s', (status, ok) => {
    expect(rules.decideHandler('personal', licence({ status })).ok).toBe(ok);
  });

  it('X-5.2 only camera-recorded records are handled online', () => {
    expect(code(rules.decideRecord(rec({ source: 'onsite' })))).toBe('violations.not_camera_recorded');
    expect(rules.decideRecord(rec()).ok).toBe(true);
  });

  it('X-5.3 fine at most 200 元 per record: 200.00 passes, 200.01 goes to a counter', () => {
    expect(rules.decideRecord(rec({ fineFen: 200_00 })).ok).toBe(true);
    const d = rules.decideRecord(rec({ fineFen: 200_01 }));
    expect(code(d)).toBe('violations.fine_over_limit');
    expect(d.ok ? null : d.params).toEqual({ fine: '200.01', limit: '200.00' });
    // PD-10: the limit is per record — a batch totalling more than 200 元 is fine
    expect(rules.decideBatch('personal', licence(), [rec({ id: 'a', fineFen: 200_00 }), rec({ id: 'b', fineFen: 150_00 })]).ok).toBe(true);
  });

  it('X-5.4 current points + points being handled must stay below 12', () => {
    expect(rules.decidePoints(licence({ points: 8 }), 3).ok).toBe(true); // 11
    const d = rules.decidePoints(licence({ points: 9 }), 3); // 12
    expect(code(d)).toBe('violations.points_would_reach_limit');
    expect(d.ok ? null : d.params).toEqual({ current: 9, adding: 3, total: 12, limit: 12 });
    // points of decisions served but unpaid are being handled too
    expect(code(rules.decidePoints(licence({ points: 6, pendingPoints: 3 }), 3))).toBe('violations.points_would_reach_limit');
    expect(code(rules.decidePoints(licence({ points: 12 }), 0))).toBe('violations.points_would_reach_limit');
  });

  it('X-5.6 several records of one vehicle in one go, points adding up; another vehicle is a separate batch', () => {
    const ok = rules.decideBatch('personal', licence({ points: 2 }), [rec({ id: 'a', points: 3 }), rec({ id: 'b', points: 6 })]);
    expect(ok).toEqual({ ok: true, fineFen: 400_00, points: 9 });
    const sum12 = rules.decideBatch('personal', licence({ points: 3 }), [rec({ id: 'a', points: 3 }), rec({ id: 'b', points: 6 })]);
    expect(code(sum12)).toBe('violations.points_would_reach_limit');
    expect(code(rules.decideBatch('personal', licence(), [rec({ id: 'a' }), rec({ id: 'b', vehicleId: 'v2' })]))).toBe('violations.batch_one_vehicle');
    expect(code(rules.decideBatch('personal', licence(), []))).toBe('violations.batch_empty');
    // each refusal is explained at its record
    const mixed = rules.decideBatch('personal', licence(), [rec({ id: 'a' }), rec({ id: 'b', fineFen: 500_00 })]);
    expect(mixed.ok ? [] : mixed.perRecord.map((p) => [p.id, p.refusal.code])).toEqual([['b', 'violations.fine_over_limit']]);
  });

  it('X-5.6 below 12 other records may still be handled; at 12 no more', () => {
    expect(rules.recordStanding('personal', licence({ points: 11 }), rec({ points: 0 })).ok).toBe(true);
    expect(code(rules.recordStanding('personal', licence({ points: 12 }), rec({ points: 0 })))).toBe('violations.points_would_reach_limit');
  });

  it('X-5.5 a record already in a decision is not handled again', () => {
    expect(code(rules.decideRecord(rec({ status: 'handling' })))).toBe('violations.record_not_open');
    expect(code(rules.decideRecord(rec({ status: 'objected' })))).toBe('violations.record_not_open');
  });
});

/**
 * An independent late-fee calculation (X-5.8, PD-10): the fee grows by 3 % of
 * the fine for each day past the 15th, kept exactly in hundredths of a fen
 * (BigInt, by repeated addition), floored to whole fen once, capped at the fine.
 */
function independentLateFee(fineFen: number, day: number): bigint {
  const fine = BigInt(fineFen);
  let hundredthsOfFen = 0n;
  for (let d = 1; d <= day; d++) {
    if (d >= 16) hundredthsOfFen += fine * 3n; // 3 % of the fine = fine × 3 hundredths
  }
  const fee = hundredthsOfFen / 100n; // BigInt division truncates: non-negative → rounded down
  return fee > fine ? fine : fee;
}

describe('X-5.8 late fee (加处罚款), PD-10', () => {
  const fines = [0, 1, 33, 50_00, 100_00, 150_00, 200_00, 199_99, 12_345, 2_000_00, 99_999_99];
  it.each(fines)('X-5.8 PD-10 every day 0–400 matches the independent calculation (fine %i fen)', (fine) => {
    for (let day = 0; day <= 400; day++) {
      expect(BigInt(rules.lateFeeFen(fine, day)), `day ${day}`).toBe(independentLateFee(fine, day));
    }
  });

  it.each([
    [15, 0], [16, 6_00], [20, 30_00], [48, 198_00], [49, 200_00], [400, 200_00],
  ])('X-5.8 fine 200 元 paid on day %i → late fee %i fen', (day, fee) => {
    expect(rules.lateFeeFen(200_00, day)).toBe(fee);
  });

  it('X-5.8 whole fen rounded down, on the total (33 fen, day 17: 6 % = 1.98 → 1 fen)', () => {
    expect(rules.lateFeeFen(33, 17)).toBe(1);
    expect(rules.lateFeeFen(33, 16)).toBe(0);
  });

  it('X-5.8 days are Asia/Shanghai calendar days, served day = day 0; day 15 is the last free day', () => {
    expect(rules.amountDue(150_00, '2026-11-16', '2026-12-01')).toMatchObject({ day: 15, lateFeeFen: 0, totalFen: 150_00, lastFreeDay: '2026-12-01' });
    expect(rules.amountDue(150_00, '2026-11-16', '2026-12-06')).toMatchObject({ day: 20, lateFeeFen: 22_50, totalFen: 172_50 });
    expect(rules.lateFeeFen(150_00, -3)).toBe(0);
  });

  it('X-5.8 refuses amounts that are not whole fen', () => {
    expect(() => rules.lateFeeFen(1.5, 20)).toThrow(RangeError);
    expect(() => rules.lateFeeFen(-1, 20)).toThrow(RangeError);
  });
});

describe('X-5.9 scoring cycles and carried points', () => {
  it.each([
    ['2015-03-10', '2026-12-06', '2026-03-10', '2027-03-09'],
    ['2015-03-10', '2026-03-09', '2025-03-10', '2026-03-09'],
    ['2015-03-10', '2026-03-10', '2026-03-10', '2027-03-09'],
    ['2016-02-29', '2026-12-06', '2026-02-28', '2027-02-27'],
    ['2016-02-29', '2028-02-29', '2028-02-29', '2029-02-27'],
    ['2026-11-20', '2026-12-06', '2026-11-20', '2027-11-19'],
  ])('X-5.9 first issued %s: on %s the cycle is %s … %s', (first, day, start, end) => {
    expect(rules.scoringCycle(first, day)).toEqual({ start, end });
  });

  it('X-5.9 unpaid fines carry their points into the next cycle; paid ones do not', () => {
    const entries = [
      { cycleStart: '2025-03-10', points: 3, paidDay: '2025-05-01' }, // paid in its cycle: cleared at cycle end
      { cycleStart: '2025-03-10', points: 6, paidDay: null }, // never paid: carried
      { cycleStart: '2025-03-10', points: 1, paidDay: '2026-04-01' }, // paid after the cycle ended: carried into it
      { cycleStart: '2026-03-10', points: 2, paidDay: '2026-04-01' },
    ];
    expect(rules.pointsInCycle(entries, '2025-03-10')).toBe(10);
    expect(rules.pointsInCycle(entries, '2026-03-10')).toBe(6 + 1 + 2);
    expect(rules.pointsInCycle(entries, '2027-03-10')).toBe(6);
    expect(rules.isCarried(entries[1]!, '2026-03-10')).toBe(true);
    expect(rules.isCarried(entries[0]!, '2026-03-10')).toBe(false);
  });
});

describe('X-5.11 X-5.12 staff side', () => {
  it('X-5.11 exemptions (emergency vehicle, stolen or wrong plate) are cleared within three days, objections reviewed within five', () => {
    expect(rules.objectionKind('emergency_vehicle')).toBe('exemption');
    expect(rules.objectionKind('stolen_plate')).toBe('exemption');
    expect(rules.objectionKind('wrong_plate')).toBe('exemption');
    expect(rules.objectionKind('facts_wrong')).toBe('objection');
    expect(rules.DEADLINES).toEqual({ review: 5, notify: 5, objection: 5, exemption: 3 });
    expect(rules.decideObjection('open').ok).toBe(true);
    expect(rules.decideObjection('handled').ok).toBe(false);
  });

  it('X-5.11 a CSV row is read exactly (元 → fen without floating point), each problem at its column', () => {
    const now = new Date('2026-12-06T00:00:00Z');
    const ok = rules.parseImportRow(['粤B12345', '2026-12-01 08:15', '深南大道与彩田路交叉口', '1625', '驾驶机动车违反道路交通信号灯通行', '200.00', '6', 'SZ-FT-0001', ''], now);
    expect(ok.ok && ok.row.fineFen).toBe(200_00);
    expect(ok.ok && ok.row.occurredAt.toISOString()).toBe('2026-12-01T00:15:00.000Z');
    expect(rules.parseImportRow(['粤B12345', '2026-12-01 08:15', 'x', '1625', 'x', '0.1', '6', '', ''], now)).toMatchObject({ ok: true, row: { fineFen: 10 } });
    expect(rules.parseImportRow(['粤B12345', '2026-12-01 08:15', 'x', '1625', 'x', '1e3', '6', '', ''], now)).toEqual({ ok: false, column: 'fine_yuan', problem: 'amount' });
    expect(rules.parseImportRow(['粤B12345', '2026-12-01 08:15', 'x', '1625', 'x', '1', '13', '', ''], now)).toEqual({ ok: false, column: 'points', problem: 'points' });
    expect(rules.parseImportRow(['XX', '2026-12-01 08:15', 'x', '1625', 'x', '1', '1', '', ''], now)).toEqual({ ok: false, column: 'plate_no', problem: 'plate' });
    expect(rules.parseImportRow(['粤B12345', '2027-12-01 08:15', 'x', '1625', 'x', '1', '1', '', ''], now)).toEqual({ ok: false, column: 'occurred_at', problem: 'instant' });
  });

  it('X-5.12 a licence taking points for three vehicles it does not own within a cycle is flagged', () => {
    expect(rules.nonOwnerFlag(['a', 'b'])).toEqual({ flagged: false, vehicles: 2 });
    expect(rules.nonOwnerFlag(['a', 'b', 'b'])).toEqual({ flagged: false, vehicles: 2 });
    expect(rules.nonOwnerFlag(['a', 'b', 'c'])).toEqual({ flagged: true, vehicles: 3 });
  });

  it('X-5.13 staff steps by status: review, reject or clear while pending; clear while open; nothing once handled', () => {
    expect(rules.staffSteps('pending_review')).toEqual(['review', 'reject', 'clear']);
    expect(rules.staffSteps('open')).toEqual(['clear']);
    expect(rules.staffSteps('handling')).toEqual([]);
  });
});

describe('money, numbers and codes (PD-10: integer fen everywhere)', () => {
  it('PD-10 元 text ↔ fen exactly, without floating point', () => {
    expect(rules.yuanToFen('0.1')).toBe(10);
    expect(rules.yuanToFen('0.01')).toBe(1);
    expect(rules.yuanToFen('200')).toBe(200_00);
    expect(rules.yuanToFen(' 12.5 ')).toBe(12_50);
    for (const bad of ['', '-1', '1.234', '1,000', 'abc', '12345678']) expect(rules.yuanToFen(bad), bad).toBeNull();
    expect(rules.yuan(0)).toBe('0.00');
    expect(rules.yuan(5)).toBe('0.05');
    expect(rules.yuan(200_01)).toBe('200.01');
    expect(rules.yuan(-150)).toBe('-1.50');
  });

  it('X-5.8 days between calendar days, negative when earlier', () => {
    expect(rules.daysBetween('2026-11-16', '2026-12-06')).toBe(20);
    expect(rules.daysBetween('2026-12-06', '2026-11-16')).toBe(-20);
    expect(rules.daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(rules.amountDue(100_00, '2026-12-06', '2026-12-01')).toMatchObject({ day: 0, lateFeeFen: 0 });
  });

  it('X-5.5 the decision number and the verification code have their printed forms', () => {
    const at = new Date('2026-12-05T17:30:00Z'); // 2026-12-06 01:30 in Shanghai
    expect(rules.decisionNumber('440300', at, 7)).toBe('44030020261206000007');
    expect(rules.decisionNumber('440300', at, 1_000_001)).toBe('44030020261206000001');
    expect(rules.violationReference('440300', at, 42)).toBe('W44030020261206000042');
    expect(rules.isVerificationCode('K7QD3M9XW2HP')).toBe(true);
    expect(rules.isVerificationCode('K7QD3M9XW2HO')).toBe(false); // no O
    expect(rules.isVerificationCode('K7QD3M9XW2H')).toBe(false);
    expect(rules.VERIFICATION_ALPHABET).not.toMatch(/[IO]/);
  });
});
