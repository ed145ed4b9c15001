import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../platform/calendar.ts';
import {
  applicationReference, applicationTransition, archiveProblem, ARCHIVE_DOCUMENTS, bindingsToEnd, bindingsToMakeOwn, can, capabilities, counterPersonalType,
  convertedType, decideNewCarOwnerCheck, decideOnlineRegistration, decidePopulationCheck, forcedReasonAllowed, isOverdue,
  missingUploads, nonOwnLimitReached, prefillCode, PREFILL_ALPHABET, reviewDeadline, timelineOf, vehicleEventProblem,
  type CapabilitySubject, type Service,
} from './rules.ts';

const user = (over: Partial<CapabilitySubject>): CapabilitySubject => ({ kind: 'personal', personalType: 'owner_driver', registrationChannel: 'online', status: 'active', ...over });

describe('capabilities per user type', () => {
  const cases: { rule: string; user: CapabilitySubject; has: Service[]; lacks: Service[] }[] = [
    {
      rule: 'R-9.1 online owner-or-driver: bind own, query, preselect, inspection, exam, violations, fines, licence to unit',
      user: user({}),
      has: ['bind_own_vehicles', 'bind_own_licence', 'query_bound', 'plate_preselection', 'inspection_booking', 'exam_booking', 'violation_handling', 'fine_payment', 'bind_licence_to_organisation', 'change_contact'],
      lacks: ['replacement', 'licence_services', 'certificate_photo_upload', 'bind_organisation_vehicles'],
    },
    {
      rule: 'R-9.2.1 online learner: exam booking and plate preselection only',
      user: user({ personalType: 'learner' }),
      has: ['exam_booking', 'plate_preselection'],
      lacks: ['bind_own_vehicles', 'inspection_booking', 'violation_handling', 'fine_payment', 'bind_licence_to_organisation', 'replacement'],
    },
    {
      rule: 'R-9.3.1 online new-car owner: plate preselection only',
      user: user({ personalType: 'new_car_owner' }),
      has: ['plate_preselection'],
      lacks: ['exam_booking', 'bind_own_vehicles', 'inspection_booking', 'violation_handling', 'replacement'],
    },
    {
      rule: 'R-9.4 window-registered personal users get every personal service (R-26 replacement, R-15 photo)',
      user: user({ registrationChannel: 'counter', personalType: 'learner' }),
      has: ['bind_own_vehicles', 'exam_booking', 'violation_handling', 'replacement', 'licence_services', 'certificate_photo_upload', 'bind_licence_to_organisation'],
      lacks: ['bind_organisation_vehicles', 'manage_driver_licences'],
    },
    {
      rule: 'R-10.3 units: own vehicles, query, preselect, inspection, delegated and special services — PD-6: no replacement, exams or violations',
      user: user({ kind: 'organisation', personalType: null, registrationChannel: 'counter' }),
      has: ['bind_organisation_vehicles', 'query_bound', 'plate_preselection', 'inspection_booking', 'delegated_business', 'special_services', 'manage_driver_licences'],
      lacks: ['replacement', 'exam_booking', 'violation_handling', 'fine_payment', 'licence_services', 'bind_own_vehicles', 'certificate_photo_upload'],
    },
    {
      rule: 'PD-4: a suspended account keeps only reactivation and cancellation',
      user: user({ status: 'suspended', registrationChannel: 'counter' }),
      has: ['reactivate', 'cancel'],
      lacks: ['plate_preselection', 'change_contact', 'suspend'],
    },
    { rule: 'R-21: a cancelled account can do nothing', user: user({ status: 'cancelled' }), has: [], lacks: ['cancel', 'reactivate', 'query_bound'] },
  ];
  for (const c of cases) {
    it(c.rule, () => {
      const got = capabilities(c.user);
      for (const s of c.has) expect(got, s).toContain(s);
      for (const s of c.lacks) expect(got, s).not.toContain(s);
      if (c.user.status === 'cancelled') expect(got).toEqual([]);
    });
  }
  it('R-15 every active user may change contact details and password, suspend and cancel', () => {
    for (const u of [user({}), user({ personalType: 'learner' }), user({ personalType: 'new_car_owner' }), user({ kind: 'organisation', personalType: null })]) {
      for (const s of ['change_contact', 'change_password', 'suspend', 'cancel'] as Service[]) expect(can(u, s), `${u.personalType} ${s}`).toBe(true);
    }
  });
});

describe('registration (R-7.1, R-11)', () => {
  const none = { vehiclePhones: [], licencePhones: [] };
  const cases = [
    { rule: 'R-7.1 owner with a vehicle and the recorded phone', records: { ...none, vehiclePhones: ['13900139000'] }, phone: '13900139000', type: 'owner_driver', want: { ok: true, personalType: 'owner_driver' } },
    { rule: 'R-11.2 owner with another phone is refused', records: { ...none, vehiclePhones: ['13900139000'] }, phone: '13900139001', type: 'owner_driver', want: { ok: false, code: 'accounts.phone_mismatch' } },
    { rule: 'R-11.2 one matching record suffices (licence phone)', records: { vehiclePhones: ['13900139000'], licencePhones: ['13900139002'] }, phone: '13900139002', type: 'owner_driver', want: { ok: true, personalType: 'owner_driver' } },
    { rule: 'R-7.1 no vehicle or licence: not an owner or driver', records: none, phone: '13900139000', type: 'owner_driver', want: { ok: false, code: 'accounts.no_records' } },
    { rule: 'R-7.1 learner after an accepted first-licence application', records: { ...none, firstLicenceApplicationPhones: ['15000150000'] }, phone: '15000150000', type: 'learner', want: { ok: true, personalType: 'learner' } },
    { rule: 'R-11.2 learner phone must equal the application’s', records: { ...none, firstLicenceApplicationPhones: ['15000150000'] }, phone: '15000150001', type: 'learner', want: { ok: false, code: 'accounts.phone_mismatch' } },
    { rule: 'R-7.1 no accepted application: no learner', records: none, phone: '15000150000', type: 'learner', want: { ok: false, code: 'accounts.no_licence_application' } },
    { rule: 'R-7.1 someone with a licence is not a learner', records: { ...none, licencePhones: ['15000150000'], firstLicenceApplicationPhones: ['15000150000'] }, phone: '15000150000', type: 'learner', want: { ok: false, code: 'accounts.has_records' } },
    { rule: 'R-7.1 new-car owner after buying a car that needs registration', records: { ...none, newCarPhones: ['15100151000'] }, phone: '15100151000', type: 'new_car_owner', want: { ok: true, personalType: 'new_car_owner' } },
    { rule: 'R-7.1 no new car: no new-car owner', records: none, phone: '15100151000', type: 'new_car_owner', want: { ok: false, code: 'accounts.no_new_car' } },
    { rule: 'R-7.1 an owner of a registered car registers as owner, not new-car owner', records: { ...none, vehiclePhones: ['15100151000'], newCarPhones: ['15100151000'] }, phone: '15100151000', type: 'new_car_owner', want: { ok: false, code: 'accounts.has_records' } },
  ] as const;
  for (const c of cases) it(c.rule, () => expect(decideOnlineRegistration(c.records, c.phone, c.type)).toEqual(c.want));

  it('R-11.3 window registration takes the type from the records and never compares the phone', () => {
    expect(counterPersonalType({ vehiclePhones: ['13000000000'], licencePhones: [] })).toEqual({ ok: true, personalType: 'owner_driver' });
    expect(counterPersonalType({ vehiclePhones: [], licencePhones: [], firstLicenceApplicationPhones: ['1'] })).toEqual({ ok: true, personalType: 'learner' });
    expect(counterPersonalType({ vehiclePhones: [], licencePhones: [], newCarPhones: ['1'] })).toEqual({ ok: true, personalType: 'new_car_owner' });
    expect(counterPersonalType({ vehiclePhones: [], licencePhones: [] })).toEqual({ ok: false, code: 'accounts.no_user_type' });
  });

  it('R-9.2.2 R-9.2.3 R-9.3.2 R-9.3.3 learners and new-car owners convert to owner-or-driver; owners stay', () => {
    expect(convertedType('learner')).toBe('owner_driver');
    expect(convertedType('new_car_owner')).toBe('owner_driver');
    expect(convertedType('owner_driver')).toBeNull();
    expect(convertedType(null)).toBeNull();
  });
});

describe('counter checks (R-12.1.2, PD-7)', () => {
  const person = { name: '吴志强', deceased: false };
  it('R-12.1.2 a hit-and-run crime in force bars the applicant', () => {
    expect(decidePopulationCheck(person, '吴志强', [{ kind: 'hit_and_run_crime', since: '2023-05-10', until: null }], '2026-11-25')).toEqual({
      ok: false, code: 'accounts.disqualified', disqualifications: ['hit_and_run_crime'],
    });
  });
  it('R-12.1.2 a bar that ended no longer counts', () => {
    expect(decidePopulationCheck(person, '吴志强', [{ kind: 'other_legal_bar', since: '2020-01-01', until: '2025-12-31' }], '2026-11-25')).toEqual({ ok: true });
  });
  it('R-12.1.2 the ID is compared with 人口信息库: another name or a deceased person fails', () => {
    expect(decidePopulationCheck(person, '吴志刚', [], '2026-11-25')).toMatchObject({ ok: false, code: 'accounts.person_not_found' });
    expect(decidePopulationCheck({ ...person, deceased: true }, '吴志强', [], '2026-11-25')).toMatchObject({ ok: false, code: 'accounts.person_not_found' });
    expect(decidePopulationCheck(undefined, '吴志强', [], '2026-11-25')).toMatchObject({ ok: false, code: 'accounts.person_not_found' });
  });
});

describe('counter applications (R-12, R-13, R-19)', () => {
  it('R-12.1.3 / R-19.1.3 / R-13.1.3 the photo and scans each application needs', () => {
    expect(missingUploads('person', null, ['onsite_photo'])).toEqual(['application_form', 'identity_document']);
    expect(missingUploads('person', 'bind_non_own_vehicle', ['onsite_photo', 'application_form', 'identity_document'])).toEqual(['owner_identity_document', 'vehicle_licence']);
    expect(missingUploads('organisation', null, ['onsite_photo', 'application_form'])).toEqual(['organisation_certificate', 'letter_of_authorisation', 'agent_identity_document']);
  });

  const T = [
    { rule: 'R-12.2.5 review → approved when the check passed', app: { status: 'review', checkStatus: 'passed' }, t: 'approve', want: { ok: true, to: 'approved' } },
    { rule: 'PD-8 no approval while the deferred check is pending', app: { status: 'review', checkStatus: 'pending' }, t: 'approve', want: { ok: false, code: 'accounts.check_pending' } },
    { rule: 'PD-8 a failed late check cannot be approved', app: { status: 'review', checkStatus: 'failed' }, t: 'approve', want: { ok: false, code: 'accounts.check_failed' } },
    { rule: 'R-12.2.6 review → rejected', app: { status: 'review', checkStatus: 'failed' }, t: 'reject', want: { ok: true, to: 'rejected' } },
    { rule: 'R-12.2.4 review → returned to 受理岗', app: { status: 'review', checkStatus: 'passed' }, t: 'return', want: { ok: true, to: 'returned' } },
    { rule: 'R-12.2.4 returned → review after correction', app: { status: 'returned', checkStatus: 'passed' }, t: 'resubmit', want: { ok: true, to: 'review' } },
    { rule: 'R-12.2.4 a returned case cannot be approved before it is corrected', app: { status: 'returned', checkStatus: 'passed' }, t: 'approve', want: { ok: false, code: 'accounts.application_wrong_status' } },
    { rule: 'R-12.2 a decided case stays decided', app: { status: 'approved', checkStatus: 'passed' }, t: 'reject', want: { ok: false, code: 'accounts.application_wrong_status' } },
  ] as const;
  for (const c of T) it(c.rule, () => expect(applicationTransition(c.app, c.t)).toEqual(c.want));

  const cal = createCalendar();
  const deadlines = [
    { rule: 'R-12.2 Friday-evening submission is due Monday 24:00', at: '2026-11-27T12:30:00Z' /* Fri 20:30 +08 */, due: '2026-11-30T16:00:00Z' /* Tue 00:00 +08 */ },
    { rule: 'R-12.2 Wednesday-morning submission is due Thursday 24:00', at: '2026-11-25T02:00:00Z', due: '2026-11-26T16:00:00Z' },
    { rule: 'R-12.2 a submission before the 2026 National Day holiday is due on the first working day after it', at: '2026-09-30T08:00:00Z', due: '2026-10-08T16:00:00Z' /* 10-01..10-07 off: Thursday 10-08 24:00 */ },
    { rule: 'R-19.2 Saturday submission is due Monday 24:00', at: '2026-11-28T03:00:00Z', due: '2026-11-30T16:00:00Z' },
  ];
  for (const d of deadlines) it(d.rule, () => expect(reviewDeadline(cal, new Date(d.at)).toISOString()).toBe(new Date(d.due).toISOString()));

  it('PD-3 the overdue flag is an SLA marker of open cases only', () => {
    const due = new Date('2026-11-26T16:00:00Z');
    expect(isOverdue(due, new Date('2026-11-26T15:59:59Z'), true)).toBe(false);
    expect(isOverdue(due, new Date('2026-11-26T16:00:00Z'), true)).toBe(true);
    expect(isOverdue(due, new Date('2026-11-27T16:00:00Z'), false)).toBe(false);
  });

  it('references carry the authority and the Shanghai day', () => {
    expect(applicationReference('440300', new Date('2026-11-25T17:00:00Z'), 12)).toBe('YH4403002026112600012');
  });

  it('R-12.4 / R-13.3 the archive lists the documents and needs the paper file’s location', () => {
    expect(ARCHIVE_DOCUMENTS.person).toEqual(['application_form_original', 'identity_document_copy']);
    expect(ARCHIVE_DOCUMENTS.organisation).toHaveLength(4);
    expect(archiveProblem(ARCHIVE_DOCUMENTS.person, ['application_form_original'], 'A-1')).toBe('accounts.archive_incomplete');
    expect(archiveProblem(ARCHIVE_DOCUMENTS.person, [...ARCHIVE_DOCUMENTS.person], ' ')).toBe('accounts.archive_location_required');
    expect(archiveProblem(ARCHIVE_DOCUMENTS.person, [...ARCHIVE_DOCUMENTS.person], '3号柜-12')).toBeNull();
  });
});

describe('bindings (R-16.3, R-17)', () => {
  it('R-16.3 at most three non-own vehicles, pending counter cases included', () => {
    expect(nonOwnLimitReached(2, 0)).toBe(false);
    expect(nonOwnLimitReached(2, 1)).toBe(true);
    expect(nonOwnLimitReached(3, 0)).toBe(true);
  });

  const holders = [
    { bindingId: 'own', userKind: 'personal', personId: 'p-owner', organisationId: null },
    { bindingId: 'non-own', userKind: 'personal', personId: 'p-other', organisationId: null },
    { bindingId: 'unit-agent-is-owner', userKind: 'organisation', personId: 'p-owner', organisationId: 'o-1' },
  ] as const;
  it('R-17 deregistration unbinds everyone but the owner (a unit whose agent is the owner is not the owner)', () => {
    expect(bindingsToEnd('vehicle_deregistration', holders, { personId: 'p-owner', organisationId: null })).toEqual(['non-own', 'unit-agent-is-owner']);
  });
  it('R-17 a transfer keeps only the new owner', () => {
    expect(bindingsToEnd('vehicle_transfer', holders, { personId: 'p-other', organisationId: null })).toEqual(['own', 'unit-agent-is-owner']);
  });
  it('R-17 after a transfer the new owner’s non-own binding becomes own; nobody else’s changes', () => {
    const kinds = [
      { ...holders[0], kind: 'own' as const },
      { ...holders[1], kind: 'non_own' as const },
      { ...holders[2], kind: 'organisation' as const },
    ];
    expect(bindingsToMakeOwn(kinds, { personId: 'p-other', organisationId: null })).toEqual([{ bindingId: 'non-own', kind: 'own' }]);
    expect(bindingsToMakeOwn(kinds, { personId: 'p-owner', organisationId: null })).toEqual([]);
    expect(bindingsToMakeOwn([{ ...holders[2], kind: 'non_own' }], { personId: null, organisationId: 'o-1' })).toEqual([{ bindingId: 'unit-agent-is-owner', kind: 'organisation' }]);
  });
  it('R-17 operating → non-operating keeps the owning unit', () => {
    expect(bindingsToEnd('vehicle_operating_to_non_operating', holders, { personId: null, organisationId: 'o-1' })).toEqual(['own', 'non-own']);
  });
  it('R-17 a cancelled licence is unbound from every user', () => {
    expect(bindingsToEnd('licence_cancellation', holders, { personId: 'p-owner', organisationId: null })).toEqual(['own', 'non-own', 'unit-agent-is-owner']);
  });
  it('R-17 events only apply to a vehicle they fit', () => {
    const v = { states: ['normal'], useNature: 'non_operating' as const, ownerPersonId: 'p1' };
    expect(vehicleEventProblem('vehicle_operating_to_non_operating', v, null)).toBe('accounts.event_not_applicable');
    expect(vehicleEventProblem('vehicle_transfer', v, 'p1')).toBe('accounts.event_not_applicable');
    expect(vehicleEventProblem('vehicle_transfer', v, 'p2')).toBeNull();
    expect(vehicleEventProblem('vehicle_deregistration', { ...v, states: ['deregistered'] }, null)).toBe('accounts.event_not_applicable');
  });
});

describe('cancellation (R-21)', () => {
  it('R-21.2 forced reasons: death for persons, dissolution for units, false materials for both', () => {
    expect(forcedReasonAllowed('personal', 'deceased')).toBe(true);
    expect(forcedReasonAllowed('personal', 'dissolved')).toBe(false);
    expect(forcedReasonAllowed('organisation', 'dissolved')).toBe(true);
    expect(forcedReasonAllowed('organisation', 'false_materials')).toBe(true);
    expect(forcedReasonAllowed('personal', 'user_request')).toBe(false);
  });

  const created = new Date('2026-11-25T02:00:00Z');
  const acct = { personalType: 'new_car_owner' as const, status: 'active' as const, createdAt: created };
  const h = (n: number) => new Date(created.getTime() + n * 3600_000);
  const cases = [
    { rule: 'R-21.1.4 no preselection within 24 hours → cancelled', ps: [], now: h(24), want: { action: 'cancel', reason: 'new_car_no_preselection' } },
    { rule: 'R-21.1.4 before 24 hours the watch waits for the end of the window', ps: [], now: h(3), want: { action: 'recheck', at: h(24) } },
    { rule: 'R-21.1.4 a lapsed random draw is not a preselection', ps: [{ status: 'lapsed', deadline: null }], now: h(24), want: { action: 'cancel', reason: 'new_car_no_preselection' } },
    { rule: 'R-21.1.4 a reserved number: look again just after its registration deadline', ps: [{ status: 'reserved', deadline: h(72) }], now: h(24), want: { action: 'recheck', at: new Date(h(72).getTime() + 60_000) } },
    { rule: 'R-21.1.4 preselected but not registered within three working days → cancelled', ps: [{ status: 'expired', deadline: h(72) }], now: h(73), want: { action: 'cancel', reason: 'new_car_not_registered' } },
    { rule: 'R-21.1.4 registered in time: nothing to do', ps: [{ status: 'registered', deadline: h(72) }], now: h(30), want: { action: 'none' } },
    { rule: 'R-21.1.4 an open random draw is waited for', ps: [{ status: 'drawing', deadline: null }], now: h(24), want: { action: 'recheck', at: new Date(h(24).getTime() + 15 * 60_000) } },
  ] as const;
  for (const c of cases) it(c.rule, () => expect(decideNewCarOwnerCheck(acct, c.ps, c.now)).toEqual(c.want));
  it('R-9.3.2 a converted account is no longer watched', () => {
    expect(decideNewCarOwnerCheck({ ...acct, personalType: 'owner_driver' }, [], h(24))).toEqual({ action: 'none' });
    expect(decideNewCarOwnerCheck({ ...acct, status: 'cancelled' }, [], h(24))).toEqual({ action: 'none' });
  });
});

describe('prefill codes and the citizen timeline', () => {
  it('prefill codes use 10 unambiguous symbols', () => {
    let i = 0;
    const code = prefillCode(() => i++ % 32);
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect(PREFILL_ALPHABET).not.toMatch(/[01IO]/);
  });

  it('R-12.2 the timeline shows acceptance with the deadline, the pending check, the loop and the decision — no return note', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 10, 27, 12, m));
    const steps = timelineOf([
      { action: 'accounts.application_accepted', at: at(0), after: { reviewDueAt: '2026-11-30T16:00:00.000Z', checkStatus: 'pending', status: 'review' } },
      { action: 'accounts.upload_stored', at: at(1), after: {} },
      { action: 'accounts.application_check_passed', at: at(5), after: {} },
      { action: 'accounts.application_returned', at: at(10), after: { note: '出生日期录入错误' } },
      { action: 'accounts.application_resubmitted', at: at(20), after: {} },
      { action: 'accounts.application_rejected', at: at(30), after: { reason: '照片与身份证不符' } },
    ]);
    expect(steps.map((s) => s.step)).toEqual(['accepted', 'check_pending', 'check_passed', 'returned', 'resubmitted', 'rejected']);
    expect(steps[0]!.dueBy).toBe('2026-11-30T16:00:00.000Z');
    expect(steps.at(-1)!.reason).toBe('照片与身份证不符');
    expect(JSON.stringify(steps)).not.toContain('出生日期录入错误');
  });
});
