/**
 * Mutation-testing companions to rules.test.ts (issue 18): the exact refusals
 * (code and parameters) of the online-handling rules, the order in which a
 * batch is refused, the edges of the scoring cycle and of carried points, and
 * each column of the 监控设备 CSV import — cases StrykerJS showed were not
 * asserted.
 */
import { describe, expect, it } from 'vitest';
import {
  decideBatch, decideHandler, decideObjection, decidePoints, decideRecord, isCarried, isVerificationCode, lateFeeFen, parseImportRow, pointsInCycle, recordStanding,
  scoringCycle, staffSteps, type LedgerEntry, type LicenceFacts, type RecordFacts,
} from './rules.ts';

const licence = (o: Partial<LicenceFacts> = {}): LicenceFacts => ({ bound: true, status: 'valid', points: 0, pendingPoints: 0, ...o });
const rec = (o: Partial<RecordFacts> = {}): RecordFacts => ({ id: 'r1', vehicleId: 'v1', source: 'camera', fineFen: 100_00, points: 3, status: 'open', ...o });

describe('X-5.1 – X-5.6 online handling refuses with the reason and its figures', () => {
  it('X-5.5 a record not open names its status', () => {
    expect(decideRecord(rec({ status: 'handled' }))).toEqual({ ok: false, code: 'violations.record_not_open', params: { status: 'handled' } });
  });

  it('X-5.1 PD-10 a detained licence is refused as not usable, naming its state', () => {
    expect(decideHandler('personal', licence({ status: 'detained' }))).toEqual({ ok: false, code: 'violations.licence_not_usable', params: { status: 'detained' } });
  });

  it('X-5.4 the current points in the refusal include the points of decisions served but unpaid', () => {
    expect(decidePoints(licence({ points: 5, pendingPoints: 4 }), 3)).toEqual({
      ok: false, code: 'violations.points_would_reach_limit', params: { current: 9, adding: 3, total: 12, limit: 12 },
    });
  });

  it('X-5.1 PD-6 a batch is refused first for the user and the licence, with no record blamed', () => {
    expect(decideBatch('organisation', licence(), [rec()])).toEqual({ ok: false, refusal: { ok: false, code: 'violations.personal_only' }, perRecord: [] });
    expect(decideBatch('personal', null, [rec()])).toEqual({ ok: false, refusal: { ok: false, code: 'violations.licence_not_bound' }, perRecord: [] });
  });

  it('X-5.6 an empty batch and a batch of two vehicles are refused as a whole', () => {
    expect(decideBatch('personal', licence(), [])).toEqual({ ok: false, refusal: { ok: false, code: 'violations.batch_empty' }, perRecord: [] });
    expect(decideBatch('personal', licence(), [rec({ id: 'a' }), rec({ id: 'b', vehicleId: 'v2' })])).toEqual({
      ok: false, refusal: { ok: false, code: 'violations.batch_one_vehicle' }, perRecord: [],
    });
  });

  it('X-5.4 X-5.6 points reaching 12 together are explained at every record of the batch', () => {
    const refusal = { ok: false, code: 'violations.points_would_reach_limit', params: { current: 3, adding: 9, total: 12, limit: 12 } };
    expect(decideBatch('personal', licence({ points: 3 }), [rec({ id: 'a', points: 3 }), rec({ id: 'b', points: 6 })])).toEqual({
      ok: false, refusal, perRecord: [{ id: 'a', refusal }, { id: 'b', refusal }],
    });
  });

  it('X-5.1 X-5.2 X-5.6 a record standing: the user and licence first, then the record itself, then the points', () => {
    expect(recordStanding('organisation', licence(), rec())).toEqual({ ok: false, code: 'violations.personal_only' });
    expect(recordStanding('personal', null, rec())).toEqual({ ok: false, code: 'violations.licence_not_bound' });
    expect(recordStanding('personal', licence(), rec({ source: 'onsite', points: 12 }))).toEqual({ ok: false, code: 'violations.not_camera_recorded' });
    expect(recordStanding('personal', licence({ points: 9 }), rec({ points: 3 }))).toMatchObject({ ok: false, code: 'violations.points_would_reach_limit' });
    expect(recordStanding('personal', licence({ points: 8 }), rec({ points: 3 }))).toEqual({ ok: true });
  });
});

describe('X-5.8 late-fee inputs', () => {
  it('X-5.8 the day must be a whole day and the fine whole fen, said in the error', () => {
    expect(() => lateFeeFen(200_00, 20.5)).toThrow(new RangeError('day must be an integer'));
    expect(() => lateFeeFen(-1, 20)).toThrow(new RangeError('fineFen must be a non-negative integer'));
  });
});

describe('X-5.9 scoring cycles and carried points, at their edges', () => {
  it('X-5.9 before the first issue the first cycle applies; a cycle a year later starts on the anniversary', () => {
    expect(scoringCycle('2020-06-15', '2019-01-01')).toEqual({ start: '2020-06-15', end: '2021-06-14' });
    expect(scoringCycle('2020-06-15', '2021-06-14')).toEqual({ start: '2020-06-15', end: '2021-06-14' });
    expect(scoringCycle('2020-06-15', '2021-06-15')).toEqual({ start: '2021-06-15', end: '2022-06-14' });
    // late in the year of a December first issue: the year difference alone would name the wrong cycle
    expect(scoringCycle('2015-12-20', '2026-06-01')).toEqual({ start: '2025-12-20', end: '2026-12-19' });
  });

  it('X-5.9 an entry of the cycle itself is counted, not carried; a fine paid on the first day of the next cycle still carries its points', () => {
    const own: LedgerEntry = { cycleStart: '2026-03-10', points: 2, paidDay: null };
    const paidOnFirstDay: LedgerEntry = { cycleStart: '2025-03-10', points: 3, paidDay: '2026-03-10' };
    const paidLater: LedgerEntry = { cycleStart: '2025-03-10', points: 4, paidDay: '2026-05-01' };
    const paidInTime: LedgerEntry = { cycleStart: '2025-03-10', points: 6, paidDay: '2026-03-09' };
    const later: LedgerEntry = { cycleStart: '2027-03-10', points: 1, paidDay: null };
    expect(isCarried(own, '2026-03-10')).toBe(false);
    expect(isCarried(paidOnFirstDay, '2026-03-10')).toBe(true);
    expect(isCarried(paidLater, '2026-03-10')).toBe(true);
    expect(isCarried(paidInTime, '2026-03-10')).toBe(false);
    expect(pointsInCycle([own, paidOnFirstDay, paidLater, paidInTime, later], '2026-03-10')).toBe(2 + 3 + 4);
  });
});

describe('X-5.11 objections and staff steps', () => {
  it('X-5.11 an objection to a record not open names its status', () => {
    expect(decideObjection('handled')).toEqual({ ok: false, code: 'violations.objection_not_allowed', params: { status: 'handled' } });
  });

  it('X-5.13 a record under objection can still be cleared', () => {
    expect(staffSteps('objected')).toEqual(['clear']);
  });

  it('X-5.5 a verification code is exactly twelve characters, nothing before or after', () => {
    expect(isVerificationCode('-K7QD3M9XW2HP')).toBe(false);
    expect(isVerificationCode('K7QD3M9XW2HP-')).toBe(false);
  });
});

describe('X-5.11 CSV import: each column is checked exactly, each problem named at its column', () => {
  const now = new Date('2026-12-06T00:00:00Z');
  const cells = (o: Partial<Record<'plate' | 'occurred' | 'place' | 'code' | 'act' | 'fine' | 'points' | 'device' | 'captured', string>> = {}) => [
    o.plate ?? '粤B12345', o.occurred ?? '2026-12-01 08:15', o.place ?? '深南大道', o.code ?? '1625', o.act ?? '闯红灯', o.fine ?? '200', o.points ?? '6', o.device ?? 'SZ-FT-0001', o.captured ?? '',
  ];
  const problem = (o: Parameters<typeof cells>[0]) => {
    const r = parseImportRow(cells(o), now);
    return r.ok ? 'ok' : `${r.column}:${r.problem}`;
  };

  it('X-5.11 cells are read without surrounding blanks, and the whole row comes back', () => {
    const r = parseImportRow(cells({ plate: ' 粤B12345 ', place: ' 深南大道 ', device: ' SZ-FT-0001 ', captured: '2026-12-01 08:16:30' }), now);
    expect(r).toEqual({
      ok: true,
      row: {
        plateNo: '粤B12345', occurredAt: new Date('2026-12-01T00:15:00Z'), place: '深南大道', actCode: '1625', act: '闯红灯', fineFen: 200_00, points: 6,
        deviceNo: 'SZ-FT-0001', capturedAt: new Date('2026-12-01T00:16:30Z'),
      },
    });
  });

  it('X-5.11 a row that ends before the optional device and capture columns is read as if they were empty', () => {
    expect(parseImportRow(cells().slice(0, 7), now)).toMatchObject({ ok: true, row: { deviceNo: '', capturedAt: new Date('2026-12-01T00:15:00Z') } });
  });

  it('X-5.11 the plate is a whole GA 36 plate number', () => {
    expect(problem({ plate: 'A粤B12345' })).toBe('plate_no:plate');
    expect(problem({ plate: '粤B1234567' })).toBe('plate_no:plate');
    expect(problem({ plate: '粤B123456' })).toBe('ok');
  });

  it('X-5.11 instants are YYYY-MM-DD hh:mm[:ss] Beijing time, not in the future', () => {
    expect(parseImportRow(cells({ occurred: '2026-12-01 08:15:30' }), now)).toMatchObject({ ok: true, row: { occurredAt: new Date('2026-12-01T00:15:30Z') } });
    expect(parseImportRow(cells({ occurred: '2026-12-01T08:15' }), now)).toMatchObject({ ok: true, row: { occurredAt: new Date('2026-12-01T00:15:00Z') } });
    // text a JavaScript Date would still read (a comment before, fractions of a second) is not an instant of the export
    expect(problem({ occurred: '( )2026-12-01 08:15' })).toBe('occurred_at:instant');
    expect(problem({ occurred: '2026-12-01 08:15:00.500' })).toBe('occurred_at:instant');
    expect(problem({ occurred: '2026-12-01 08:15:5' })).toBe('occurred_at:instant');
    // the present instant itself is not in the future
    expect(problem({ occurred: '2026-12-06 08:00' })).toBe('ok');
    expect(problem({ occurred: '2026-12-06 08:00:01' })).toBe('occurred_at:instant');
  });

  it('X-5.11 the capture is an instant too, not before the act', () => {
    expect(problem({ captured: '2026-12-01' })).toBe('captured_at:instant');
    expect(problem({ captured: '2026-12-01 08:14' })).toBe('captured_at:instant');
    expect(problem({ captured: '2026-12-01 08:15' })).toBe('ok');
  });

  it('X-5.11 place and act are 1 to 200 characters', () => {
    for (const [col, key] of [['place', 'place'], ['act', 'act']] as const) {
      expect(problem({ [key]: '' })).toBe(`${col}:text`);
      expect(problem({ [key]: 'x' })).toBe('ok');
      expect(problem({ [key]: 'x'.repeat(200) })).toBe('ok');
      expect(problem({ [key]: 'x'.repeat(201) })).toBe(`${col}:text`);
    }
  });

  it('X-5.11 the act code is four or five digits', () => {
    expect(problem({ code: '16251' })).toBe('ok');
    expect(problem({ code: '162' })).toBe('act_code:act_code');
    expect(problem({ code: '162510' })).toBe('act_code:act_code');
    expect(problem({ code: 'A1625' })).toBe('act_code:act_code');
  });

  it('X-5.11 points are a whole number 0 … 12', () => {
    expect(parseImportRow(cells({ points: '0' }), now)).toMatchObject({ ok: true, row: { points: 0 } });
    expect(parseImportRow(cells({ points: '12' }), now)).toMatchObject({ ok: true, row: { points: 12 } });
    for (const bad of ['13', 'x', '', '1.5', '-1', '012']) expect(problem({ points: bad }), bad).toBe('points:points');
  });
});
