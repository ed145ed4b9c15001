import { describe, expect, it } from 'vitest';
import {
  allocate, allocationDigest, atCutOff, cutOffAt, decideAccountKind, decideApplication, decideCancellation, decideLocation, decidePublish, decideResult,
  decideSubject, extendedCutOffAt, mayBookFrom, permitValidUntil, rankKey, waitingDays,
  decidePermitIssue, nextByRank, projectedDate, seatsToRefill,
} from './rules.ts';
import { NOW, permit, plan, TODAY } from './rules-fixtures.ts';


describe('exam booking rules (X-4.4)', () => {
  it('X-4.4.1 / PD-6: organisation accounts cannot book; personal accounts can', () => {
    expect(decideAccountKind('organisation')).toMatchObject({ ok: false, code: 'exams.units_cannot_book' });
    expect(decideAccountKind('personal')).toEqual({ ok: true });
  });

  it('X-4.4.2: 科目一 before 科目二/三; 科目三 before 科目二 only where the locality books them together', () => {
    const none = permit({ passed: { 1: null, 2: null, 3: null } });
    expect(decideSubject(none, 2, TODAY, false)).toMatchObject({ ok: false, code: 'exams.subject_order', params: { required: 1 } });
    expect(decideSubject(none, 3, TODAY, true)).toMatchObject({ ok: false, code: 'exams.subject_order', params: { required: 1 } });
    expect(decideSubject(none, 1, TODAY, false)).toEqual({ ok: true });
    expect(decideSubject(permit(), 3, TODAY, false)).toMatchObject({ ok: false, code: 'exams.subject_order', params: { required: 2 } });
    expect(decideSubject(permit(), 3, TODAY, true)).toEqual({ ok: true });
    expect(decideSubject(permit(), 1, TODAY, false)).toMatchObject({ ok: false, code: 'exams.subject_passed' });
  });

  it('X-4.4.3: waiting periods by class, refused with the day from which the subject may be booked', () => {
    expect(waitingDays('C1', 2, false)).toBe(10);
    expect(waitingDays('C2', 2, false)).toBe(10);
    expect(waitingDays('B2', 2, false)).toBe(20);
    expect(waitingDays('C6', 2, false)).toBe(20);
    expect(waitingDays('C2', 3, false)).toBe(20);
    expect(waitingDays('C5', 3, false)).toBe(20);
    expect(waitingDays('C3', 3, false)).toBe(20);
    expect(waitingDays('C4', 3, false)).toBe(20);
    expect(waitingDays('C1', 3, false)).toBe(30);
    expect(waitingDays('A1', 3, false)).toBe(40);
    expect(waitingDays('A1', 3, true)).toBe(30);
    const fresh = permit({ issuedOn: '2026-11-20', passed: { 1: '2026-11-24', 2: null, 3: null } });
    expect(mayBookFrom(fresh, 2)).toBe('2026-11-30');
    expect(decideSubject(fresh, 2, '2026-11-29', false)).toEqual({ ok: false, code: 'exams.waiting_period', params: { subject: 2, from: '2026-11-30', days: 10, issuedOn: '2026-11-20' } });
    expect(decideSubject(fresh, 2, '2026-11-30', false)).toEqual({ ok: true });
  });

  it('X-4.4.4: the permit is valid three years, 科目二/三 at most five sittings, and a void permit books nothing', () => {
    expect(permitValidUntil('2026-09-01')).toBe('2029-08-31');
    expect(permitValidUntil('2024-02-29')).toBe('2027-02-27');
    expect(decideSubject(permit(), 2, '2029-09-01', false)).toMatchObject({ ok: false, code: 'exams.permit_expired', params: { validUntil: '2029-08-31' } });
    // the exam itself must fall within the permit
    expect(decideApplication(permit({ validUntil: '2026-12-19' }), plan(), NOW, TODAY)).toMatchObject({ ok: false, code: 'exams.permit_expired' });
    expect(decideSubject(permit({ sittings: { 2: 5, 3: 0 } }), 2, TODAY, false)).toMatchObject({ ok: false, code: 'exams.sittings_exhausted', params: { max: 5 } });
    expect(decideSubject(permit({ sittings: { 2: 4, 3: 0 } }), 2, TODAY, false)).toEqual({ ok: true });
    expect(decideSubject(permit({ status: 'void' }), 2, TODAY, false)).toMatchObject({ ok: false, code: 'exams.permit_void' });
    // the fifth failed sitting voids the permit (and with it the subjects passed)
    expect(decideResult({ first: 'fail', retake: 'fail' }, { subject: 2, examDate: '2026-11-25', sittingsBefore: 4 }, TODAY)).toMatchObject({ status: 'failed', voidsPermit: true });
    expect(decideResult({ first: 'fail', retake: 'fail' }, { subject: 2, examDate: '2026-11-25', sittingsBefore: 3 }, TODAY)).toMatchObject({ voidsPermit: false });
    expect(decideResult({ first: 'absent' }, { subject: 3, examDate: '2026-11-25', sittingsBefore: 4 }, TODAY)).toMatchObject({ voidsPermit: true });
  });

  it('X-4.4.5: one free retake; failing or skipping it ends the sitting, re-booking only ten days later', () => {
    expect(decideResult({ first: 'fail' }, { subject: 2, examDate: '2026-11-25', sittingsBefore: 0 }, TODAY)).toMatchObject({ ok: false, code: 'exams.result_retake_needed' });
    expect(decideResult({ first: 'fail', retake: 'pass' }, { subject: 2, examDate: '2026-11-25', sittingsBefore: 0 }, TODAY)).toMatchObject({ status: 'passed', rebookFrom: null });
    expect(decideResult({ first: 'fail', retake: 'skipped' }, { subject: 2, examDate: '2026-11-25', sittingsBefore: 0 }, TODAY)).toMatchObject({ status: 'failed', rebookFrom: '2026-12-05', sitting: true });
    expect(decideResult({ first: 'pass' }, { subject: 2, examDate: '2026-11-26', sittingsBefore: 0 }, TODAY)).toMatchObject({ ok: false, code: 'exams.result_too_early' });
    const waiting = permit({ rebookFrom: { 2: '2026-12-05', 3: null } });
    expect(decideSubject(waiting, 2, '2026-12-04', false)).toEqual({ ok: false, code: 'exams.rebook_wait', params: { subject: 2, from: '2026-12-05' } });
    expect(decideSubject(waiting, 2, '2026-12-05', false)).toEqual({ ok: true });
  });

  it('X-4.4.6: cancel at least one day before; online only until the cut-off; a no-show is a fail', () => {
    const p = { examDate: '2026-12-20', closesAt: new Date('2026-12-14T16:00:00Z') };
    expect(decideCancellation({ status: 'applied' }, p, 'online', NOW, TODAY)).toEqual({ ok: true });
    const after = new Date('2026-12-15T02:00:00Z');
    expect(decideCancellation({ status: 'allocated' }, p, 'online', after, '2026-12-15')).toMatchObject({ ok: false, code: 'exams.cancel_after_cut_off' });
    expect(decideCancellation({ status: 'allocated' }, p, 'counter', after, '2026-12-15')).toEqual({ ok: true });
    expect(decideCancellation({ status: 'allocated' }, p, 'counter', new Date('2026-12-19T02:00:00Z'), '2026-12-19')).toEqual({ ok: true });
    expect(decideCancellation({ status: 'allocated' }, p, 'counter', new Date('2026-12-20T02:00:00Z'), '2026-12-20')).toMatchObject({ ok: false, code: 'exams.cancel_too_late', params: { lastDay: '2026-12-19' } });
    expect(decideCancellation({ status: 'passed' }, p, 'counter', NOW, TODAY)).toMatchObject({ ok: false, code: 'exams.not_cancellable' });
    expect(decideResult({ first: 'absent' }, { subject: 2, examDate: '2026-11-25', sittingsBefore: 0 }, TODAY)).toMatchObject({ status: 'absent', noShow: true, sitting: true, rebookFrom: '2026-12-05' });
  });

  it('X-4.4.7: plans published ≥ 10 days ahead; collection closes on the 5th day before, or the 3rd when seats are left', () => {
    expect(decidePublish('2026-12-04', TODAY)).toEqual({ ok: false, code: 'exams.publish_too_late', params: { examDate: '2026-12-04', earliest: '2026-12-05' } });
    expect(decidePublish('2026-12-05', TODAY)).toEqual({ ok: true });
    expect(cutOffAt('2026-12-20').toISOString()).toBe('2026-12-14T16:00:00.000Z'); // 00:00 Asia/Shanghai of 12-15
    expect(extendedCutOffAt('2026-12-20').toISOString()).toBe('2026-12-16T16:00:00.000Z'); // 00:00 of 12-17
    expect(atCutOff({ extended: false, applicants: 3, seats: 20 })).toBe('extend');
    expect(atCutOff({ extended: false, applicants: 20, seats: 20 })).toBe('allocate');
    expect(atCutOff({ extended: true, applicants: 3, seats: 20 })).toBe('allocate');
    expect(decideApplication(permit(), plan({ closesAt: NOW }), NOW, TODAY)).toMatchObject({ ok: false, code: 'exams.plan_closed' });
    expect(decideApplication(permit(), plan({ classes: ['B2'] }), NOW, TODAY)).toMatchObject({ ok: false, code: 'exams.plan_class' });
  });

  it('X-4.4.8: the key is the latest of acceptance, last exam, own cancellation or no-show; rank ≤ seats is allocated, ties by id', () => {
    const acceptedAt = new Date('2026-09-01T02:00:00Z');
    expect(rankKey({ acceptedAt, lastExamAt: null, lastCancelledAt: null, lastNoShowAt: null })).toEqual({ at: acceptedAt, kind: 'accepted' });
    const exam = new Date('2026-10-10T00:30:00Z');
    expect(rankKey({ acceptedAt, lastExamAt: exam, lastCancelledAt: null, lastNoShowAt: null })).toEqual({ at: exam, kind: 'last_exam' });
    const cancel = new Date('2026-11-01T00:00:00Z');
    expect(rankKey({ acceptedAt, lastExamAt: exam, lastCancelledAt: cancel, lastNoShowAt: null })).toEqual({ at: cancel, kind: 'cancelled' });
    const noShow = new Date('2026-11-20T00:30:00Z');
    expect(rankKey({ acceptedAt, lastExamAt: exam, lastCancelledAt: cancel, lastNoShowAt: noShow })).toEqual({ at: noShow, kind: 'no_show' });
    // an earlier cancellation does not win over a later exam
    expect(rankKey({ acceptedAt, lastExamAt: noShow, lastCancelledAt: cancel, lastNoShowAt: null }).kind).toBe('last_exam');
    const t = (s: string) => new Date(s);
    const apps = [
      { id: 'c', rankKeyAt: t('2026-10-02T00:00:00Z') },
      { id: 'b', rankKeyAt: t('2026-10-01T00:00:00Z') },
      { id: 'a', rankKeyAt: t('2026-10-02T00:00:00Z') },
      { id: 'd', rankKeyAt: t('2026-09-30T00:00:00Z') },
    ];
    const ranked = allocate(apps, 2);
    expect(ranked.map((r) => [r.id, r.rank, r.outcome])).toEqual([['d', 1, 'allocated'], ['b', 2, 'allocated'], ['a', 3, 'not_allocated'], ['c', 4, 'not_allocated']]);
    // deterministic: any input order gives the same list and digest
    expect(allocationDigest(allocate([...apps].reverse(), 2))).toBe(allocationDigest(ranked));
    expect(allocationDigest(allocate(apps, 3))).not.toBe(allocationDigest(ranked));
  });

  it('X-4.4.9: at most three changes of exam location, small classes only', () => {
    expect(decideLocation(permit(), 'S1')).toEqual({ ok: true, change: false });
    expect(decideLocation(permit({ examStationId: null }), 'S2')).toEqual({ ok: true, change: false });
    expect(decideLocation(permit({ locationChanges: 2 }), 'S2')).toEqual({ ok: true, change: true });
    expect(decideLocation(permit({ locationChanges: 3 }), 'S2')).toMatchObject({ ok: false, code: 'exams.location_changes' });
    expect(decideLocation(permit({ class: 'B2' }), 'S2')).toMatchObject({ ok: false, code: 'exams.location_large_class' });
  });

  describe('PD-13 / X-4.4.8: the projected date — the first plan at which the free seats, added up in date order, reach the rank (ADR-039)', () => {
    const plans = [
      { examDate: '2026-12-16', session: 'am' as const, seatsFree: 3 },
      { examDate: '2026-12-14', session: 'pm' as const, seatsFree: 2 },
      { examDate: '2026-12-14', session: 'am' as const, seatsFree: 2 },
    ];
    it.each([
      ['X-4.4.8 rank within the first plan → its date', 1, { examDate: '2026-12-14', session: 'am', seatsCounted: 2 }],
      ['X-4.4.8 rank at the last seat of the first plan → its date', 2, { examDate: '2026-12-14', session: 'am', seatsCounted: 2 }],
      ['X-4.4.8 morning before afternoon of the same day', 3, { examDate: '2026-12-14', session: 'pm', seatsCounted: 4 }],
      ['X-4.4.8 later plans added in date order', 7, { examDate: '2026-12-16', session: 'am', seatsCounted: 7 }],
      ['X-4.4.8 beyond the published seats → no date yet', 8, null],
      ['X-4.4.8 no rank → no date', 0, null],
    ])('%s', (_name, rank, expected) => {
      expect(projectedDate(rank, plans)).toEqual(expected);
    });
    it('X-4.4.8 no published plans → no date yet; negative free seats count as none', () => {
      expect(projectedDate(1, [])).toBeNull();
      expect(projectedDate(1, [{ examDate: '2026-12-14', session: 'am', seatsFree: -2 }, { examDate: '2026-12-15', session: 'am', seatsFree: 1 }])).toMatchObject({ examDate: '2026-12-15' });
    });
  });

  it('X-4.4.6 / X-4.4.8: a freed seat of an allocated plan is refilled until the day before the exam, to the waiting applicants in rank order', () => {
    expect(seatsToRefill({ status: 'allocated', seats: 3, held: 1, examDate: '2026-12-14' }, '2026-12-13')).toBe(2);
    expect(seatsToRefill({ status: 'allocated', seats: 3, held: 3, examDate: '2026-12-14' }, '2026-12-10')).toBe(0);
    expect(seatsToRefill({ status: 'allocated', seats: 3, held: 1, examDate: '2026-12-14' }, '2026-12-14')).toBe(0);
    expect(seatsToRefill({ status: 'open', seats: 3, held: 0, examDate: '2026-12-14' }, '2026-12-01')).toBe(0);
    const waiting = [{ rank: 7, id: 'c' }, { rank: 4, id: 'b' }, { rank: 5, id: 'a' }];
    expect(nextByRank(waiting, 2).map((w) => w.rank)).toEqual([4, 5]);
    expect(nextByRank(waiting, 0)).toEqual([]);
  });

  it('X-4.4.1 / X-4.4.3 / X-4.4.4: the learner permit is issued after an accepted first application; it starts the waiting periods and three years of validity', () => {
    const d = decidePermitIssue({ status: 'accepted', classes: 'c1' }, '2026-11-25');
    expect(d).toEqual({ ok: true, class: 'C1', issuedOn: '2026-11-25', validUntil: '2029-11-24' });
    expect(mayBookFrom({ class: 'C1', issuedOn: '2026-11-25', holdsAutomobileClass: false }, 2)).toBe('2026-12-05');
    expect(decidePermitIssue({ status: 'issued', classes: 'C1' }, '2026-11-25')).toMatchObject({ ok: false, code: 'exams.permit_application_not_accepted' });
    expect(decidePermitIssue({ status: 'withdrawn', classes: 'C1' }, '2026-11-25')).toMatchObject({ ok: false, code: 'exams.permit_application_not_accepted' });
    expect(decidePermitIssue({ status: 'accepted', classes: 'C1,D' }, '2026-11-25')).toMatchObject({ ok: false, code: 'exams.permit_class' });
  });
});
