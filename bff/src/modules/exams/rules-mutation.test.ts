/**
 * Mutation-testing companions to rules.test.ts (issue 18): the exact refusals
 * (code and parameters) of exam booking, the edges of its days and instants,
 * the exact effect of a result, the order of ranks and projected dates, and the
 * 预约凭证 reference — cases StrykerJS showed were not asserted.
 *
 * Equivalent mutant (one; disabled with a `Stryker disable next-line` comment in rules.ts):
 * - decideSubject, `if (subject !== 1)` → `if (true)`: the sittings and re-booking
 *   checks then also run for 科目一, but PermitFacts holds sittings and a re-booking
 *   day only for 科目二/三 (`sittings: { 2, 3 }`, `rebookFrom: { 2, 3 }`), so for
 *   科目一 they read `undefined`: `undefined >= 5` is false and an undefined day
 *   refuses nothing. No well-typed input tells the two apart; the guard stays
 *   because it states X-4.4.4 / X-4.4.5 (five sittings and 十日后 are rules of
 *   科目二/三 only) and lets the type checker index those records.
 */
import { describe, expect, it } from 'vitest';
import {
  applicationReference, compareRank, decideApplication, decideCancellation, decideLocation, decidePermitIssue, decideResult, decideSubject, maskReference,
  nextByRank, projectedDate, projectedOutcome, rankKey, waitingDays, type SeatsOfPlan,
} from './rules.ts';
import { NOW, permit, plan, TODAY } from './rules-fixtures.ts';


describe('X-4.4.1 – X-4.4.5, X-4.4.9 an application refuses with the reason and its figures', () => {
  it('X-4.4.7 a plan no longer open is closed even before its cut-off, naming the cut-off', () => {
    expect(decideApplication(permit(), plan({ status: 'allocated' }), NOW, TODAY)).toEqual({ ok: false, code: 'exams.plan_closed', params: { closesAt: '2026-12-14T16:00:00.000Z' } });
    expect(decideApplication(permit(), plan({ closesAt: NOW }), NOW, TODAY)).toEqual({ ok: false, code: 'exams.plan_closed', params: { closesAt: '2026-11-25T02:00:00.000Z' } });
    expect(decideApplication(permit(), plan({ closesAt: new Date(NOW.getTime() + 1) }), NOW, TODAY)).toEqual({ ok: true, locationChange: false });
  });

  it('X-4.4.1 a plan for other classes names the permit class', () => {
    expect(decideApplication(permit(), plan({ classes: ['B2'] }), NOW, TODAY)).toEqual({ ok: false, code: 'exams.plan_class', params: { class: 'C1' } });
  });

  it('X-4.4.4 the permit own refusal comes through the application', () => {
    expect(decideApplication(permit({ status: 'void' }), plan(), NOW, TODAY)).toEqual({ ok: false, code: 'exams.permit_void' });
  });

  it('X-4.4.4 the exam may fall on the last valid day of the permit, not a day later', () => {
    expect(decideApplication(permit({ validUntil: '2026-12-20' }), plan(), NOW, TODAY)).toEqual({ ok: true, locationChange: false });
    expect(decideApplication(permit({ validUntil: '2026-12-19' }), plan(), NOW, TODAY)).toEqual({ ok: false, code: 'exams.permit_expired', params: { validUntil: '2026-12-19' } });
  });

  it('X-4.4.9 an application at another station is a location change; large classes may not change', () => {
    expect(decideApplication(permit(), plan({ stationId: 'S2' }), NOW, TODAY)).toEqual({ ok: true, locationChange: true });
    expect(decideApplication(permit({ class: 'B2' }), plan({ classes: ['B2'], stationId: 'S2' }), NOW, TODAY)).toEqual({ ok: false, code: 'exams.location_large_class' });
  });

  it('X-4.4.9 the fourth change is refused, naming the three used', () => {
    expect(decideLocation(permit({ locationChanges: 3 }), 'S2')).toEqual({ ok: false, code: 'exams.location_changes', params: { max: 3, used: 3 } });
  });

  it('X-4.4.4 the permit is usable on its last valid day; a completed permit books nothing', () => {
    expect(decideSubject(permit(), 2, '2029-08-31', false)).toEqual({ ok: true });
    expect(decideSubject(permit(), 2, '2029-09-01', false)).toEqual({ ok: false, code: 'exams.permit_expired', params: { validUntil: '2029-08-31' } });
    expect(decideSubject(permit({ status: 'completed' }), 2, TODAY, false)).toEqual({ ok: false, code: 'exams.permit_expired', params: { validUntil: '2029-08-31' } });
  });

  it('X-4.4.2 a subject passed is refused with the day it was passed', () => {
    expect(decideSubject(permit(), 1, TODAY, false)).toEqual({ ok: false, code: 'exams.subject_passed', params: { subject: 1, passedOn: '2026-10-10' } });
  });

  it('X-4.4.3 科目一 has no waiting period: bookable on the day the permit is issued', () => {
    expect(waitingDays('C1', 1, false)).toBe(0);
    expect(waitingDays('A1', 1, false)).toBe(0);
    const fresh = permit({ issuedOn: TODAY, validUntil: '2029-11-24', passed: { 1: null, 2: null, 3: null } });
    expect(decideSubject(fresh, 1, TODAY, false)).toEqual({ ok: true });
  });
});

describe('X-4.4.6 cancellation', () => {
  const p = { examDate: '2026-12-20', closesAt: new Date('2026-12-14T16:00:00Z') };

  it('X-4.4.6 only an application or allocation may be cancelled, naming its status', () => {
    expect(decideCancellation({ status: 'passed' }, p, 'counter', NOW, TODAY)).toEqual({ ok: false, code: 'exams.not_cancellable', params: { status: 'passed' } });
  });

  it('X-4.4.6 online cancellation ends at the cut-off instant; the counter still cancels then', () => {
    const before = new Date(p.closesAt.getTime() - 1);
    expect(decideCancellation({ status: 'allocated' }, p, 'online', before, '2026-12-14')).toEqual({ ok: true });
    expect(decideCancellation({ status: 'allocated' }, p, 'online', p.closesAt, '2026-12-15')).toEqual({
      ok: false, code: 'exams.cancel_after_cut_off', params: { closesAt: '2026-12-14T16:00:00.000Z' },
    });
    expect(decideCancellation({ status: 'allocated' }, p, 'counter', p.closesAt, '2026-12-15')).toEqual({ ok: true });
  });
});

describe('X-4.4.4 – X-4.4.6 the exact effect of a result', () => {
  const ctx = { subject: 2 as const, examDate: '2026-12-20', sittingsBefore: 0 };

  it('X-4.4.5 a result before the exam day is refused, naming the day', () => {
    expect(decideResult({ first: 'pass' }, ctx, '2026-12-19')).toEqual({ ok: false, code: 'exams.result_too_early', params: { examDate: '2026-12-20' } });
  });

  it('X-4.4.4 a pass of 科目二/三 is a sitting, with no re-booking wait, no no-show and no voiding', () => {
    const passed = { status: 'passed', sitting: true, rebookFrom: null, noShow: false, voidsPermit: false };
    expect(decideResult({ first: 'pass' }, ctx, '2026-12-20')).toEqual(passed);
    expect(decideResult({ first: 'pass' }, { ...ctx, sittingsBefore: 4 }, '2026-12-20')).toEqual(passed);
    expect(decideResult({ first: 'fail', retake: 'pass' }, { ...ctx, sittingsBefore: 4 }, '2026-12-20')).toEqual(passed);
  });

  it('X-4.4.4 科目一 is not a sitting', () => {
    expect(decideResult({ first: 'pass' }, { ...ctx, subject: 1 }, '2026-12-20')).toEqual({ status: 'passed', sitting: false, rebookFrom: null, noShow: false, voidsPermit: false });
    expect(decideResult({ first: 'fail', retake: 'fail' }, { ...ctx, subject: 1, sittingsBefore: 4 }, '2026-12-20')).toEqual({
      status: 'failed', sitting: false, rebookFrom: '2026-12-30', noShow: false, voidsPermit: false,
    });
  });

  it('X-4.4.5 a failed retake is a fail (not a no-show), re-bookable ten days later', () => {
    expect(decideResult({ first: 'fail', retake: 'fail' }, ctx, '2026-12-20')).toEqual({ status: 'failed', sitting: true, rebookFrom: '2026-12-30', noShow: false, voidsPermit: false });
  });

  it('X-4.4.6 an absence stays a no-show even with a retake recorded: there was no first attempt to retake', () => {
    expect(decideResult({ first: 'absent', retake: 'pass' }, ctx, '2026-12-20')).toEqual({ status: 'absent', sitting: true, rebookFrom: '2026-12-30', noShow: true, voidsPermit: false });
  });
});

describe('X-4.4.8 rank', () => {
  it('X-4.4.8 equal times: the later event in the order wins (a no-show at its exam time reads no-show)', () => {
    const t = new Date('2026-11-20T00:30:00Z');
    expect(rankKey({ acceptedAt: t, lastExamAt: t, lastCancelledAt: null, lastNoShowAt: t })).toEqual({ at: t, kind: 'no_show' });
    expect(rankKey({ acceptedAt: t, lastExamAt: t, lastCancelledAt: null, lastNoShowAt: null })).toEqual({ at: t, kind: 'last_exam' });
  });

  it('X-4.4.8 equal keys are ordered by application id, and an application ties only with itself', () => {
    const at = new Date('2026-10-02T00:00:00Z');
    expect(compareRank({ rankKeyAt: at, id: 'a' }, { rankKeyAt: at, id: 'b' })).toBe(-1);
    expect(compareRank({ rankKeyAt: at, id: 'b' }, { rankKeyAt: at, id: 'a' })).toBe(1);
    expect(compareRank({ rankKeyAt: at, id: 'a' }, { rankKeyAt: at, id: 'a' })).toBe(0);
    expect(compareRank({ rankKeyAt: new Date(at.getTime() - 1), id: 'b' }, { rankKeyAt: at, id: 'a' })).toBe(-1);
  });

  it('X-4.4.8 PD-13 the applicant at the last seat is shown within the seats, the next beyond', () => {
    expect(projectedOutcome(3, 3)).toBe('within_seats');
    expect(projectedOutcome(2, 3)).toBe('within_seats');
    expect(projectedOutcome(4, 3)).toBe('beyond_seats');
  });

  it('X-4.4.8 freed seats go by rank, equal ranks by id, whatever the input order', () => {
    const w = [{ rank: 5, id: 'b' }, { rank: 5, id: 'a' }, { rank: 4, id: 'c' }];
    expect(nextByRank(w, 3).map((x) => x.id)).toEqual(['c', 'a', 'b']);
    expect(nextByRank([...w].reverse(), 3).map((x) => x.id)).toEqual(['c', 'a', 'b']);
    expect(nextByRank(w, -1)).toEqual([]);
  });
});

describe('X-4.4.8 PD-13 the projected date takes plans in date order, morning before afternoon, whatever the input order', () => {
  const s = (examDate: string, session: 'am' | 'pm', seatsFree = 1): SeatsOfPlan => ({ examDate, session, seatsFree });

  it('X-4.4.8 the morning of a day comes before its afternoon', () => {
    expect(projectedDate(1, [s('2026-12-14', 'am'), s('2026-12-14', 'pm')])).toEqual({ examDate: '2026-12-14', session: 'am', seatsCounted: 1 });
    expect(projectedDate(1, [s('2026-12-14', 'pm'), s('2026-12-14', 'am')])).toEqual({ examDate: '2026-12-14', session: 'am', seatsCounted: 1 });
  });

  it('X-4.4.8 an earlier day comes first, even an afternoon before a later morning', () => {
    expect(projectedDate(1, [s('2026-12-14', 'pm'), s('2026-12-15', 'am')])).toEqual({ examDate: '2026-12-14', session: 'pm', seatsCounted: 1 });
    expect(projectedDate(1, [s('2026-12-15', 'am'), s('2026-12-14', 'pm')])).toEqual({ examDate: '2026-12-14', session: 'pm', seatsCounted: 1 });
    expect(projectedDate(2, [s('2026-12-16', 'am'), s('2026-12-14', 'pm'), s('2026-12-15', 'am')])).toEqual({ examDate: '2026-12-15', session: 'am', seatsCounted: 2 });
  });
});

describe('X-4.4.8 the 预约凭证 reference', () => {
  it('X-4.4.8 EX + the exam day + six characters of an alphabet without I, O, 0 and 1', () => {
    // 32 → A, 33 → B, 63 → 9, 31 → 9, 255 → 9, 8 → J; a seventh byte is not used
    expect(applicationReference('2026-12-20', Uint8Array.from([32, 33, 63, 31, 255, 8, 7]))).toBe('EX20261220AB999J');
    expect(applicationReference('2026-12-20', Uint8Array.from([0, 1, 2, 3, 4, 5]))).toBe('EX20261220ABCDEF');
  });

  it('X-4.4.8 the public ledger shows only the last four characters', () => {
    expect(maskReference('EX20261220ABCDEF')).toBe('************CDEF');
    expect(maskReference('CDEF')).toBe('CDEF');
    expect(maskReference('EF')).toBe('EF');
  });
});

describe('X-4.4.1 issuing the learner permit', () => {
  it('X-4.4.1 an application not accepted is refused, naming its status', () => {
    expect(decidePermitIssue({ status: 'issued', classes: 'C1' }, TODAY)).toEqual({ ok: false, code: 'exams.permit_application_not_accepted', params: { status: 'issued' } });
  });

  it('X-4.4.1 the class is read without surrounding spaces or case; anything else is refused as entered', () => {
    expect(decidePermitIssue({ status: 'accepted', classes: ' c2 ' }, TODAY)).toEqual({ ok: true, class: 'C2', issuedOn: TODAY, validUntil: '2029-11-24' });
    expect(decidePermitIssue({ status: 'accepted', classes: 'C1,D' }, TODAY)).toEqual({ ok: false, code: 'exams.permit_class', params: { class: 'C1,D' } });
  });
});
