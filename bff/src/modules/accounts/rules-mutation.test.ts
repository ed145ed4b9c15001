/**
 * Mutation-testing companions to rules.test.ts (issue 18): boundaries and
 * branches of the account rules that StrykerJS showed were not asserted.
 */
import { describe, expect, it } from 'vitest';
import {
  activeDisqualifications, applicationTransition, bindingsToEnd, bindingsToMakeOwn, counterIdentityProblem, decideNewCarOwnerCheck, decideOnlineRegistration, isOverdue, needsArchive,
  timelineOf, vehicleEventProblem,
} from './rules.ts';

describe('R-7.1 online registration', () => {
  it('R-7.1 without a requested type the applicant registers as 车主或驾驶人', () => {
    expect(decideOnlineRegistration({ vehiclePhones: ['13800138000'], licencePhones: [] }, '13800138000')).toEqual({ ok: true, personalType: 'owner_driver' });
    expect(decideOnlineRegistration({ vehiclePhones: [], licencePhones: [], newCarPhones: ['13800138000'] }, '13800138000')).toEqual({ ok: false, code: 'accounts.no_records' });
  });
});

describe('R-12.1.2 disqualifications in force', () => {
  it('R-12.1.2 a bar counts from its first day through its last day, inclusive', () => {
    const rows = [
      { kind: 'starts_today', since: '2026-11-25', until: null },
      { kind: 'ends_today', since: '2020-01-01', until: '2026-11-25' },
      { kind: 'ended_yesterday', since: '2020-01-01', until: '2026-11-24' },
      { kind: 'starts_tomorrow', since: '2026-11-26', until: null },
      { kind: 'open_ended', since: '2019-05-01', until: null },
    ];
    expect(activeDisqualifications(rows, '2026-11-25')).toEqual(['starts_today', 'ends_today', 'open_ended']);
  });
});

describe('R-12.2 the review loop', () => {
  it('R-12.2 only a case under review is returned; only a returned case is resubmitted', () => {
    const wrong = { ok: false, code: 'accounts.application_wrong_status' };
    for (const status of ['returned', 'approved', 'rejected', 'completed'] as const) expect(applicationTransition({ status, checkStatus: 'passed' }, 'return')).toEqual(wrong);
    for (const status of ['review', 'approved', 'rejected', 'completed'] as const) expect(applicationTransition({ status, checkStatus: 'passed' }, 'resubmit')).toEqual(wrong);
    expect(applicationTransition({ status: 'review', checkStatus: 'passed' }, 'return')).toEqual({ ok: true, to: 'returned' });
    expect(applicationTransition({ status: 'returned', checkStatus: 'passed' }, 'resubmit')).toEqual({ ok: true, to: 'review' });
  });

  it('PD-3 a closed case is never overdue, whatever its deadline', () => {
    const due = new Date('2026-11-30T16:00:00Z');
    expect(isOverdue(due, new Date('2026-12-01T00:00:00Z'), false)).toBe(false);
    expect(isOverdue(due, new Date('2026-12-01T00:00:00Z'), true)).toBe(true);
    expect(isOverdue(null, new Date('2026-12-01T00:00:00Z'), true)).toBe(false);
  });

  it('R-12.3 / R-20.1.3 registrations reach 档案岗; a unit change does not', () => {
    expect(needsArchive('registration')).toBe(true);
    expect(needsArchive('change')).toBe(false);
  });
});

describe('R-17 bindings after a records event', () => {
  it('R-17 without a known owning unit no unit binding is the owner’s; without a known owner person no personal one is', () => {
    const holders = [
      { bindingId: 'unit-none', userKind: 'organisation' as const, personId: null, organisationId: null },
      { bindingId: 'unit-2', userKind: 'organisation' as const, personId: null, organisationId: 'o-2' },
      { bindingId: 'person-none', userKind: 'personal' as const, personId: null, organisationId: null },
      { bindingId: 'person-1', userKind: 'personal' as const, personId: 'p-1', organisationId: null },
    ];
    expect(bindingsToEnd('vehicle_deregistration', holders, { personId: null, organisationId: null })).toEqual(['unit-none', 'unit-2', 'person-none', 'person-1']);
    expect(bindingsToEnd('vehicle_deregistration', holders, { personId: 'p-1', organisationId: 'o-1' })).toEqual(['unit-none', 'unit-2', 'person-none']);
    expect(bindingsToEnd('vehicle_deregistration', holders, { personId: null, organisationId: 'o-2' })).toEqual(['unit-none', 'person-none', 'person-1']);
  });

  it('R-17 only the new owner’s own binding changes kind; a unit that already holds it as the unit’s is left alone', () => {
    const holders = [
      { bindingId: 'unit-none', userKind: 'organisation' as const, personId: null, organisationId: null, kind: 'non_own' as const },
      { bindingId: 'unit-2', userKind: 'organisation' as const, personId: null, organisationId: 'o-2', kind: 'non_own' as const },
      { bindingId: 'unit-1', userKind: 'organisation' as const, personId: null, organisationId: 'o-1', kind: 'organisation' as const },
      { bindingId: 'person-none', userKind: 'personal' as const, personId: null, organisationId: null, kind: 'non_own' as const },
      { bindingId: 'person-2', userKind: 'personal' as const, personId: 'p-2', organisationId: null, kind: 'non_own' as const },
    ];
    expect(bindingsToMakeOwn(holders, { personId: null, organisationId: null })).toEqual([]);
    expect(bindingsToMakeOwn(holders, { personId: null, organisationId: 'o-1' })).toEqual([]);
    expect(bindingsToMakeOwn(holders, { personId: 'p-1', organisationId: 'o-3' })).toEqual([]);
    expect(bindingsToMakeOwn(holders, { personId: 'p-2', organisationId: 'o-2' })).toEqual([
      { bindingId: 'unit-2', kind: 'organisation' },
      { bindingId: 'person-2', kind: 'own' },
    ]);
  });

  it('R-17 a vehicle with one gone state among others takes no event; an event that fits applies', () => {
    const v = { states: ['normal', 'deregistered'], useNature: 'operating' as const, ownerPersonId: 'p1' };
    expect(vehicleEventProblem('vehicle_deregistration', v, null)).toBe('accounts.event_not_applicable');
    const ok = { ...v, states: ['normal'] };
    expect(vehicleEventProblem('vehicle_operating_to_non_operating', ok, null)).toBeNull();
    expect(vehicleEventProblem('vehicle_deregistration', ok, null)).toBeNull();
    expect(vehicleEventProblem('vehicle_transfer', ok, null)).toBe('accounts.event_not_applicable');
  });
});

describe('R-16.2 / R-20.1.1 who may act on an account at the counter', () => {
  it('R-16.2 a personal account only by its holder in person', () => {
    const account = { kind: 'personal' as const, personId: 'p-1', uscc: null };
    expect(counterIdentityProblem(account, { personId: 'p-1', uscc: null })).toBeNull();
    expect(counterIdentityProblem(account, { personId: 'p-2', uscc: null })).toEqual({ code: 'accounts.identity_mismatch', field: 'identity.idNumber' });
    expect(counterIdentityProblem({ ...account, personId: null }, { personId: 'p-1', uscc: null })).toEqual({ code: 'accounts.identity_mismatch', field: 'identity.idNumber' });
  });
  it('R-20.1.1 a unit’s account by an agent for that very unit', () => {
    const account = { kind: 'organisation' as const, personId: null, uscc: '91440300MA5F0XXXXX' };
    expect(counterIdentityProblem(account, { personId: 'p-9', uscc: '91440300MA5F0XXXXX' })).toBeNull();
    expect(counterIdentityProblem(account, { personId: 'p-9', uscc: '91440300MA5F0YYYYY' })).toEqual({ code: 'accounts.identity_mismatch', field: 'identity.uscc' });
    expect(counterIdentityProblem({ ...account, uscc: null }, { personId: 'p-9', uscc: null })).toEqual({ code: 'accounts.identity_mismatch', field: 'identity.uscc' });
  });
});

describe('R-21.1.4 new-car owners', () => {
  const created = new Date('2026-11-25T02:00:00Z');
  const acct = { personalType: 'new_car_owner' as const, status: 'active' as const, createdAt: created };
  const h = (n: number) => new Date(created.getTime() + n * 3600_000);
  it('R-21.1.4 a reservation whose deadline has passed or is unknown is looked at again a minute from now', () => {
    expect(decideNewCarOwnerCheck(acct, [{ status: 'reserved', deadline: h(20) }], h(30))).toEqual({ action: 'recheck', at: new Date(h(30).getTime() + 60_000) });
    expect(decideNewCarOwnerCheck(acct, [{ status: 'reserved', deadline: null }], h(30))).toEqual({ action: 'recheck', at: new Date(h(30).getTime() + 60_000) });
  });
  it('R-21.1.4 a reservation cancelled for a mismatch counts as preselected but not registered', () => {
    expect(decideNewCarOwnerCheck(acct, [{ status: 'cancelled', deadline: h(72) }], h(73))).toEqual({ action: 'cancel', reason: 'new_car_not_registered' });
  });
});

describe('R-12.2 the citizen timeline', () => {
  const at = new Date('2026-11-27T12:00:00Z');
  it('R-12.2 an application accepted and completed at once shows as completed, with no pending check', () => {
    expect(timelineOf([{ action: 'accounts.application_accepted', at, after: { status: 'completed', checkStatus: 'pending' } }])).toEqual([{ step: 'completed', at: at.toISOString() }]);
  });
  it('R-12.2 an approval that completes the application still shows as approved', () => {
    expect(timelineOf([{ action: 'accounts.application_approved', at, after: { status: 'completed' } }])).toEqual([{ step: 'approved', at: at.toISOString() }]);
  });
  it('R-12.2 a deadline shows only when recorded; a reason only on a rejection; a pending check only on acceptance', () => {
    expect(timelineOf([
      { action: 'accounts.application_accepted', at, after: { status: 'review', checkStatus: 'passed' } },
      { action: 'accounts.application_returned', at, after: { reason: 'internal note', checkStatus: 'pending', reviewDueAt: 42 } },
      { action: 'accounts.application_rejected', at, after: null },
      { action: 'accounts.application_rejected', at, after: { reason: 42 } },
    ])).toEqual([
      { step: 'accepted', at: at.toISOString() },
      { step: 'returned', at: at.toISOString() },
      { step: 'rejected', at: at.toISOString() },
      { step: 'rejected', at: at.toISOString() },
    ]);
  });
});
