import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../platform/calendar.ts';
import { LICENCE_STATES, licenceStates, licenceStatesBlocking, licenceStateBlocks, licenceStateName } from './licence-states.ts';
import * as rules from './rules.ts';

const TODAY = '2026-11-25';
const facts = (o: Partial<rules.LicenceFacts> = {}): rules.LicenceFacts => ({
  binding: 'own', status: 'valid', classes: 'C1', validUntil: '2027-01-20', birthDate: '1985-06-15', hasCertificatePhoto: true, ...o,
});
const ctx = { today: TODAY, open: false, recentReplacements: 0 };
const code = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);

describe('licence rules', () => {
  it('PD-1 one licence-state vocabulary: every DB state is named in both languages', () => {
    expect(licenceStates).toEqual(['valid', 'full_points', 'overdue_review', 'overdue_renewal', 'seized', 'withheld', 'detained', 'revoked', 'cancelled', 'locked']);
    for (const s of licenceStates) expect(licenceStateName(s, 'zh-CN')).toBe(LICENCE_STATES[s]['zh-CN']);
    expect(licenceStateBlocks('no_such_state', 'renewal')).toBe(true);
  });

  it('X-4.1.3 补换领 is blocked by 记满12分, 逾期未审验, 扣押/扣留/暂扣, 注销, 吊销, 锁定 — and by nothing else', () => {
    const blocking = ['full_points', 'overdue_review', 'seized', 'withheld', 'detained', 'revoked', 'cancelled', 'locked'];
    for (const service of ['renewal', 'age_renewal', 'damage_exchange', 'loss_replacement'] as const) {
      expect(licenceStatesBlocking(service)).toEqual(blocking);
      for (const s of licenceStates) {
        const r = rules.decideKind(facts({ status: s, classes: 'A1', birthDate: '1960-01-01' }), service, ctx);
        if (blocking.includes(s)) expect(r, `${s} blocks ${service}`).toMatchObject({ ok: false, code: 'licences.state_blocked', params: { state: s } });
        else expect(code(r), `${s} does not block ${service}`).not.toBe('licences.state_blocked');
      }
    }
  });

  it('X-4.1.4 遗失补证 is refused while the licence is seized (扣押, 扣留, 暂扣); the old one is void (nothing to hand in)', () => {
    for (const s of ['seized', 'withheld', 'detained']) expect(code(rules.decideKind(facts({ status: s }), 'loss_replacement', ctx))).toBe('licences.state_blocked');
    expect(code(rules.decideKind(facts(), 'loss_replacement', ctx))).toBe('ok');
    expect(rules.oldLicenceMustBeHandedIn('loss_replacement')).toBe(false);
  });

  it('X-4.2.6 延期 is blocked by 注销/吊销/扣留/暂扣/锁定 and by an expired licence, not by points or a missed review', () => {
    expect(licenceStatesBlocking('deferral')).toEqual(['overdue_renewal', 'withheld', 'detained', 'revoked', 'cancelled', 'locked']);
    const input = { kind: 'renewal' as const, reason: 'abroad' as const, reasonNote: '', deferredUntil: '2028-01-20' };
    for (const s of licenceStatesBlocking('deferral')) expect(code(rules.decideDeferral(s, '2027-01-20', input, TODAY))).toBe('licences.state_blocked');
    for (const s of ['valid', 'full_points', 'overdue_review', 'seized']) expect(code(rules.decideDeferral(s, '2027-01-20', input, TODAY))).toBe('ok');
    expect(rules.decideDeferral('valid', '2026-11-20', input, TODAY)).toMatchObject({ code: 'licences.deferral_expired' });
  });

  it('X-4.1.5 期满换证: from 90 days before expiry; online up to 11 months after; 11–12 months counter only; later cancelled', () => {
    const v = '2027-01-20';
    expect(rules.renewalOpensOn(v)).toBe('2026-10-22');
    expect(rules.decideRenewalWindow(v, '2026-10-21')).toMatchObject({ code: 'licences.renewal_too_early', params: { opensOn: '2026-10-22' } });
    expect(code(rules.decideRenewalWindow(v, '2026-10-22'))).toBe('ok');
    expect(code(rules.decideRenewalWindow(v, '2027-12-20'))).toBe('ok');
    expect(rules.decideRenewalWindow(v, '2027-12-21')).toMatchObject({ code: 'licences.renewal_counter_only', params: { counterUntil: '2028-01-20' } });
    expect(code(rules.decideRenewalWindow(v, '2028-01-20'))).toBe('licences.renewal_counter_only');
    expect(rules.decideRenewalWindow(v, '2028-01-21')).toMatchObject({ code: 'licences.renewal_overdue_cancelled', params: { cancelledOn: '2028-01-21', restoreUntil: '2030-01-20' } });
    // only 期满换证 has the window
    expect(code(rules.decideKind(facts({ validUntil: '2031-01-01' }), 'damage_exchange', ctx))).toBe('ok');
    expect(code(rules.decideKind(facts({ validUntil: '2031-01-01' }), 'renewal', ctx))).toBe('licences.renewal_too_early');
  });

  it('X-4.1.6 超龄换证: at 60 large classes become C1, at 70 motorcycles D/E become F; otherwise nothing is due', () => {
    expect(rules.ageDowngrade('A1A2', 60)).toBe('C1');
    expect(rules.ageDowngrade('B2E', 61)).toBe('C1E');
    expect(rules.ageDowngrade('B2E', 70)).toBe('C1F');
    expect(rules.ageDowngrade('A1', 59)).toBeNull();
    expect(rules.ageDowngrade('C1', 75)).toBeNull();
    expect(rules.ageDowngrade('C1D', 69)).toBeNull();
    expect(rules.ageDowngrade('C1D', 70)).toBe('C1F');
    expect(rules.decideKind(facts({ classes: 'B2', birthDate: '1966-11-25' }), 'age_renewal', ctx)).toEqual({ ok: true, classesAfter: 'C1' });
    expect(rules.decideKind(facts({ classes: 'B2', birthDate: '1966-11-26' }), 'age_renewal', ctx)).toMatchObject({ code: 'licences.age_renewal_not_due', params: { age: 59 } });
  });

  it('X-4.1.7 期满 and 超龄 换证 need a hospital’s fit certificate; damage and loss do not', () => {
    for (const k of ['renewal', 'age_renewal'] as const) {
      expect(code(rules.decideHealthCertificate(k, null))).toBe('licences.health_certificate_required');
      expect(code(rules.decideHealthCertificate(k, { source: 'self', conclusion: 'fit' }))).toBe('licences.health_certificate_required');
      expect(code(rules.decideHealthCertificate(k, { source: 'institution', conclusion: 'unfit' }))).toBe('licences.health_certificate_required');
      expect(code(rules.decideHealthCertificate(k, { source: 'institution', conclusion: 'fit' }))).toBe('ok');
    }
    for (const k of ['damage_exchange', 'loss_replacement'] as const) expect(code(rules.decideHealthCertificate(k, null))).toBe('ok');
  });

  it('X-4.1.8 no certificate photo on record → upload one first', () => {
    for (const k of rules.KINDS) expect(code(rules.decideKind(facts({ hasCertificatePhoto: false, classes: 'A1', birthDate: '1960-01-01' }), k, ctx))).toBe('licences.no_certificate_photo');
  });

  it('X-4.1.11 the 申告 must be made', () => {
    expect(code(rules.decideDeclaration(false))).toBe('licences.declaration_required');
    expect(code(rules.decideDeclaration(undefined))).toBe('licences.declaration_required');
    expect(code(rules.decideDeclaration(true))).toBe('ok');
  });

  it('X-4.1.12 two 补换领 of one licence within a year make a third an on-site case', () => {
    expect(code(rules.decideKind(facts(), 'loss_replacement', { ...ctx, recentReplacements: 1 }))).toBe('ok');
    expect(rules.decideKind(facts(), 'loss_replacement', { ...ctx, recentReplacements: 2 })).toMatchObject({ code: 'licences.onsite_only', params: { count: 2 } });
    expect(rules.suspiciousSince(TODAY)).toBe('2025-11-25');
  });

  it('X-4.1.1 only the user’s own bound licence; organisation bindings are not his', () => {
    expect(code(rules.decideUser({ kind: 'personal', registrationChannel: 'online' }))).toBe('licences.counter_registered_only');
    expect(code(rules.decideUser({ kind: 'organisation', registrationChannel: 'counter' }))).toBe('licences.personal_only');
    expect(code(rules.decideUser({ kind: 'personal', registrationChannel: 'counter' }))).toBe('ok');
    expect(code(rules.decideKind(facts({ binding: 'organisation' }), 'damage_exchange', ctx))).toBe('licences.licence_not_own');
  });

  it('X-4.1.9 for 换证 the old licence is handed in at delivery or pickup', () => {
    const app: rules.AppFacts = { status: 'sent', kind: 'renewal', delivery: 'post', archived: false, oldLicenceHandedOver: null, oldLicenceDestroyed: false, pickupDeadlineDay: null };
    expect(code(rules.transition(app, 'deliver', {}))).toBe('licences.old_licence_required');
    expect(rules.transition(app, 'deliver', { oldLicenceHandedOver: true })).toEqual({ ok: true, to: 'delivered' });
    expect(rules.transition({ ...app, kind: 'loss_replacement' }, 'deliver', {})).toEqual({ ok: true, to: 'delivered' });
    expect(rules.pickupDeadlineDay('2026-01-31')).toBe('2026-02-28');
  });

  it('X-4.1.10 受理岗 accepts by 24:00 of the next working day (PD-2); 档案岗 restores the core or withdraws (as R-29.2)', () => {
    const cal = createCalendar();
    // Friday 2026-11-27 15:00 → Monday 2026-11-30 24:00
    expect(rules.acceptDeadline(cal, new Date('2026-11-27T07:00:00Z')).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    const refused: rules.AppFacts = { status: 'refused', kind: 'renewal', delivery: 'post', archived: false, oldLicenceHandedOver: null, oldLicenceDestroyed: false, pickupDeadlineDay: null };
    expect(rules.transition(refused, 'withdraw')).toEqual({ ok: true, to: 'withdrawn' });
    expect(code(rules.transition(refused, 'restore_core_number'))).toBe('licences.archive_first');
    expect(rules.transition({ ...refused, archived: true }, 'restore_core_number')).toEqual({ ok: true, to: 'core_number_restored' });
  });

  it('X-4.1.10 the lifecycle: each command only from its states, post → sent, pickup → ready; 档案岗 archives, destroys a handed-in licence once', () => {
    const app = (o: Partial<rules.AppFacts> = {}): rules.AppFacts => ({
      status: 'submitted', kind: 'renewal', delivery: 'post', archived: false, oldLicenceHandedOver: null, oldLicenceDestroyed: false, pickupDeadlineDay: null, ...o,
    });
    const to = (r: ReturnType<typeof rules.transition>) => (r.ok ? r.to : r.code);
    expect(to(rules.transition(app(), 'cancel'))).toBe('cancelled');
    expect(to(rules.transition(app(), 'accept'))).toBe('accepted');
    expect(to(rules.transition(app(), 'reject'))).toBe('rejected');
    expect(to(rules.transition(app(), 'produce'))).toBe('licences.wrong_status');
    expect(rules.transition(app(), 'produce')).toMatchObject({ ok: false, code: 'licences.wrong_status', params: { status: 'submitted', command: 'produce' } });
    expect(to(rules.transition(app({ status: 'accepted' }), 'produce'))).toBe('produced');
    expect(to(rules.transition(app({ status: 'accepted' }), 'accept'))).toBe('licences.wrong_status');
    expect(to(rules.transition(app({ status: 'produced' }), 'send'))).toBe('sent');
    expect(to(rules.transition(app({ status: 'produced', delivery: 'pickup' }), 'send'))).toBe('ready_for_pickup');
    expect(to(rules.transition(app({ status: 'sent' }), 'refuse'))).toBe('refused');
    expect(to(rules.transition(app({ status: 'sent' }), 'deliver', { oldLicenceHandedOver: true }))).toBe('delivered');
    expect(to(rules.transition(app({ status: 'sent', archived: true }), 'deliver', { oldLicenceHandedOver: true }))).toBe('archived');
    expect(to(rules.transition(app({ status: 'ready_for_pickup', delivery: 'pickup' }), 'pick_up', { oldLicenceHandedOver: true }))).toBe('picked_up');
    expect(to(rules.transition(app({ status: 'ready_for_pickup', delivery: 'pickup', kind: 'loss_replacement' }), 'pick_up'))).toBe('picked_up');
    // archive: a finished case becomes archived; an open one is filed but keeps its status; never twice
    expect(to(rules.transition(app({ status: 'delivered' }), 'archive'))).toBe('archived');
    expect(to(rules.transition(app({ status: 'picked_up' }), 'archive'))).toBe('archived');
    expect(to(rules.transition(app({ status: 'sent' }), 'archive'))).toBe('sent');
    expect(to(rules.transition(app({ status: 'delivered', archived: true }), 'archive'))).toBe('licences.already_archived');
    // destroy the returned licence: only when handed in, only once
    expect(to(rules.transition(app({ status: 'archived', oldLicenceHandedOver: true }), 'destroy_old_licence'))).toBe('archived');
    expect(to(rules.transition(app({ status: 'archived', oldLicenceHandedOver: false }), 'destroy_old_licence'))).toBe('licences.nothing_to_destroy');
    expect(to(rules.transition(app({ status: 'archived', oldLicenceHandedOver: true, oldLicenceDestroyed: true }), 'destroy_old_licence'))).toBe('licences.nothing_to_destroy');
    expect(to(rules.transition(app({ status: 'refused', archived: true }), 'withdraw'))).toBe('licences.already_archived');
    expect(rules.newValidUntil('renewal', '2026-12-28')).toBe('2036-12-28');
    expect(rules.newValidUntil('damage_exchange', '2026-12-28')).toBe('2026-12-28');
  });

  it('X-4.1.9 a pickup is not collected only after the whole last day (Asia/Shanghai)', () => {
    const ready: rules.AppFacts = { status: 'ready_for_pickup', kind: 'renewal', delivery: 'pickup', archived: false, oldLicenceHandedOver: null, oldLicenceDestroyed: false, pickupDeadlineDay: '2026-12-25' };
    expect(rules.pickupDeadlineDay('2026-11-25')).toBe('2026-12-25');
    expect(rules.notCollectedAt('2026-12-25').toISOString()).toBe('2026-12-25T16:00:00.000Z');
    expect(rules.isPickupOverdue('2026-12-25', new Date('2026-12-25T15:59:59Z'))).toBe(false);
    expect(rules.isPickupOverdue('2026-12-25', new Date('2026-12-25T16:00:00Z'))).toBe(true);
    expect(rules.transition(ready, 'not_collected', { now: new Date('2026-12-25T15:00:00Z') })).toMatchObject({ ok: false, code: 'licences.pickup_not_overdue', params: { lastDay: '2026-12-25' } });
    expect(code(rules.transition(ready, 'not_collected'))).toBe('licences.pickup_not_overdue');
    expect(rules.transition({ ...ready, pickupDeadlineDay: null }, 'not_collected', { now: new Date('2027-01-01T00:00:00Z') })).toMatchObject({ code: 'licences.pickup_not_overdue', params: { lastDay: '' } });
    expect(rules.transition(ready, 'not_collected', { now: new Date('2026-12-26T00:00:00Z') })).toEqual({ ok: true, to: 'not_collected' });
  });

  it('X-4.2.2 reasons are 服兵役, 出国（境）, 其他; "other" needs its words', () => {
    expect(rules.DEFERRAL_REASONS).toEqual(['military_service', 'abroad', 'other']);
    const base = { kind: 'renewal' as const, deferredUntil: '2028-01-20' };
    expect(code(rules.decideDeferral('valid', '2027-01-20', { ...base, reason: 'other', reasonNote: ' ' }, TODAY))).toBe('licences.deferral_note_required');
    expect(code(rules.decideDeferral('valid', '2027-01-20', { ...base, reason: 'other', reasonNote: '长期住院' }, TODAY))).toBe('ok');
  });

  it('X-4.2.3 online at least one calendar month before the end date (PD-11)', () => {
    const input = { kind: 'renewal' as const, reason: 'abroad' as const, reasonNote: '', deferredUntil: '2028-01-20' };
    expect(code(rules.decideDeferral('valid', '2026-12-25', input, TODAY))).toBe('ok');
    expect(rules.decideDeferral('valid', '2026-12-24', input, TODAY)).toMatchObject({ code: 'licences.deferral_too_late', params: { lastDay: '2026-11-24' } });
  });

  it('X-4.2.5 at most three years, and after the current date (PD-11)', () => {
    const input = (deferredUntil: string) => ({ kind: 'review' as const, reason: 'military_service' as const, reasonNote: '', deferredUntil });
    expect(code(rules.decideDeferral('valid', '2027-06-30', input('2030-06-30'), TODAY))).toBe('ok');
    expect(rules.decideDeferral('valid', '2027-06-30', input('2030-07-01'), TODAY)).toMatchObject({ code: 'licences.deferral_too_long', params: { maxUntil: '2030-06-30' } });
    expect(code(rules.decideDeferral('valid', '2027-06-30', input('2027-06-30'), TODAY))).toBe('licences.deferral_until_invalid');
  });

  it('X-4.3.2 70+ holders owe a certificate every cycle, C5 holders every third; 30 days after the cycle ends', () => {
    const old = { birthDate: '1950-02-01', classes: 'C1', firstIssuedOn: '1990-10-20' };
    expect(rules.latestCycleEnd(old.firstIssuedOn, TODAY)).toBe('2026-10-20');
    expect(rules.obligationAt(old, '2026-10-20')).toBe('age_70_yearly');
    expect(rules.obligationAt({ ...old, birthDate: '1957-01-01' }, '2026-10-20')).toBeNull();
    const c5 = { birthDate: '1980-01-01', classes: 'C5', firstIssuedOn: '2014-05-10' };
    expect(rules.obligationAt(c5, '2025-05-10')).toBeNull();
    expect(rules.obligationAt(c5, '2026-05-10')).toBe('disability_3y');
    expect(rules.obligationAt(c5, '2029-05-10')).toBe('disability_3y');
    expect(rules.obligationWindow('2026-10-20')).toEqual({ opensOn: '2026-10-20', lastDay: '2026-11-18' });
    const f = (o: Partial<rules.SweepFacts>): rules.SweepFacts => ({ holder: old, status: 'valid', answeredLatest: false, answeredPrevious: true, deferredUntil: null, ...o });
    expect(rules.sweepDecision(f({}), '2026-10-20')).toMatchObject({ kind: 'remind', which: 'opened', lastDay: '2026-11-18' });
    expect(rules.sweepDecision(f({}), '2026-11-11')).toMatchObject({ kind: 'remind', which: 'closing' });
    expect(rules.sweepDecision(f({ answeredLatest: true }), '2026-11-11')).toEqual({ kind: 'none' });
    expect(rules.sweepDecision(f({}), '2026-11-12')).toEqual({ kind: 'none' });
  });

  it('X-4.3.3 a 70+ holder with nothing a year after the cycle ended is cancelled; restorable while valid or < 1 year past expiry', () => {
    const old = { birthDate: '1950-02-01', classes: 'C1', firstIssuedOn: '1990-10-20' };
    const f = (o: Partial<rules.SweepFacts>): rules.SweepFacts => ({ holder: old, status: 'valid', answeredLatest: true, answeredPrevious: false, deferredUntil: null, ...o });
    expect(rules.sweepDecision(f({}), '2026-10-20')).toEqual({ kind: 'cancel', cycleEnd: '2025-10-20' });
    expect(rules.sweepDecision(f({ answeredPrevious: true }), '2026-10-20')).toEqual({ kind: 'none' });
    expect(rules.sweepDecision(f({ status: 'cancelled' }), '2026-10-20')).toEqual({ kind: 'none' });
    expect(rules.sweepDecision(f({ deferredUntil: '2027-06-01' }), '2026-10-20')).toEqual({ kind: 'none' });
    // a disability-class holder under 70 is reminded, never cancelled
    expect(rules.sweepDecision(f({ holder: { birthDate: '1980-01-01', classes: 'C5', firstIssuedOn: '2014-10-20' } }), '2026-10-20')).toEqual({ kind: 'none' });
    expect(code(rules.decideRestore('2027-03-01', '2026-12-01'))).toBe('ok');
    expect(code(rules.decideRestore('2026-03-01', '2027-02-28'))).toBe('ok');
    expect(rules.decideRestore('2026-03-01', '2027-03-01')).toMatchObject({ code: 'licences.not_restorable', params: { until: '2027-03-01' } });
  });

  it('X-4.1.10 one open application per licence: a second is refused before the database is asked', () => {
    expect(code(rules.decideKind(facts(), 'damage_exchange', { ...ctx, open: true }))).toBe('licences.application_open');
    expect(code(rules.decideKind(facts(), 'damage_exchange', ctx))).toBe('ok');
  });

  it('X-4.1.6 age in completed years, counted on the birthday itself; classes parsed in order', () => {
    expect(rules.ageOn('1956-10-20', '2026-10-19')).toBe(69);
    expect(rules.ageOn('1956-10-20', '2026-10-20')).toBe(70);
    expect(rules.ageOn('1956-03-01', '2026-10-20')).toBe(70);
    expect(rules.ageOn('1956-12-01', '2026-10-20')).toBe(69);
    expect(rules.ageOn('1956-03-25', '2026-10-20')).toBe(70);
    expect(rules.parseClasses('')).toEqual([]);
    expect(rules.parseClasses('A2D')).toEqual(['A2', 'D']);
  });

  it('X-4.2.3 a date already passed is expired, the end date itself too late; refusals carry the end date (PD-11)', () => {
    const input = { kind: 'renewal' as const, reason: 'abroad' as const, reasonNote: '', deferredUntil: '2028-01-20' };
    expect(rules.decideDeferral('valid', TODAY, input, TODAY)).toMatchObject({ code: 'licences.deferral_too_late' });
    expect(rules.decideDeferral('valid', '2026-11-24', input, TODAY)).toMatchObject({ code: 'licences.deferral_expired', params: { endDate: '2026-11-24' } });
    expect(rules.decideDeferral('valid', '2027-06-30', { ...input, deferredUntil: '2027-01-01' }, TODAY)).toMatchObject({ code: 'licences.deferral_until_invalid', params: { endDate: '2027-06-30' } });
  });

  it('X-4.3.2 the scoring cycle: the latest anniversary on or before today; 70 counts from the birthday; C5 every third year, not the first', () => {
    expect(rules.latestCycleEnd('1990-10-20', '2026-05-01')).toBe('2025-10-20');
    expect(rules.latestCycleEnd('2025-10-20', TODAY)).toBe('2026-10-20');
    expect(rules.latestCycleEnd('2026-03-01', TODAY)).toBeNull();
    // the anniversary itself is a cycle end; the day before it is not; a 29 February first issue ends on 28 February in other years
    expect(rules.latestCycleEnd('1990-10-20', '2026-10-20')).toBe('2026-10-20');
    expect(rules.latestCycleEnd('1990-10-20', '2026-10-19')).toBe('2025-10-20');
    expect(rules.latestCycleEnd('2020-02-29', '2026-02-28')).toBe('2026-02-28');
    // cancellation one year after a cycle ended (PD-2 clamp)
    expect(rules.cancellationDay('2025-10-20')).toBe('2026-10-20');
    expect(rules.cancellationDay('2024-02-29')).toBe('2025-02-28');
    expect(rules.obligationAt({ birthDate: '1956-10-20', classes: 'C1', firstIssuedOn: '1990-10-20' }, '2026-10-20')).toBe('age_70_yearly');
    expect(rules.obligationAt({ birthDate: '1956-10-21', classes: 'C1', firstIssuedOn: '1990-10-20' }, '2026-10-20')).toBeNull();
    expect(rules.obligationAt({ birthDate: '1980-01-01', classes: 'C5', firstIssuedOn: '2014-05-10' }, '2014-05-10')).toBeNull();
    expect(rules.obligationAt({ birthDate: '1980-01-01', classes: 'C1', firstIssuedOn: '2014-05-10' }, '2026-05-10')).toBeNull();
    expect(rules.purposesAnswering('age_70_yearly')).toEqual(['age_70_yearly', 'renewal']);
    expect(rules.purposesAnswering('disability_3y')).toEqual(['disability_3y', 'renewal']);
    // the obligation the page shows: the open window, else the next one that obliges
    const old = { birthDate: '1950-02-01', classes: 'C1', firstIssuedOn: '1990-10-20' };
    expect(rules.currentObligation(old, '2026-11-01')).toEqual({ purpose: 'age_70_yearly', cycleEnd: '2026-10-20', lastDay: '2026-11-18' });
    expect(rules.currentObligation(old, '2026-11-18')).toEqual({ purpose: 'age_70_yearly', cycleEnd: '2026-10-20', lastDay: '2026-11-18' });
    expect(rules.currentObligation(old, TODAY)).toEqual({ purpose: 'age_70_yearly', cycleEnd: '2027-10-20', lastDay: '2027-11-18' });
    expect(rules.currentObligation({ birthDate: '1980-01-01', classes: 'C5', firstIssuedOn: '2014-05-10' }, TODAY)).toEqual({ purpose: 'disability_3y', cycleEnd: '2029-05-10', lastDay: '2029-06-08' });
    expect(rules.currentObligation({ birthDate: '1980-01-01', classes: 'C5', firstIssuedOn: '2026-03-01' }, TODAY)).toEqual({ purpose: 'disability_3y', cycleEnd: '2029-03-01', lastDay: '2029-03-30' });
    expect(rules.currentObligation({ birthDate: '1980-01-01', classes: 'C1', firstIssuedOn: '2014-05-10' }, TODAY)).toBeNull();
  });

  it('X-4.3.3 the sweep cancels only for a cycle ended a year ago at 70+, not the first anniversary, not while a deferral covers today, nor a revoked licence', () => {
    const f = (o: Partial<rules.SweepFacts>): rules.SweepFacts => ({
      holder: { birthDate: '1950-02-01', classes: 'C1', firstIssuedOn: '1990-10-20' }, status: 'valid', answeredLatest: true, answeredPrevious: false, deferredUntil: null, ...o,
    });
    expect(rules.sweepDecision(f({ status: 'revoked' }), '2026-10-20')).toEqual({ kind: 'none' });
    expect(rules.sweepDecision(f({ deferredUntil: '2026-10-19' }), '2026-10-20')).toEqual({ kind: 'cancel', cycleEnd: '2025-10-20' });
    expect(rules.sweepDecision(f({ deferredUntil: '2026-10-20' }), '2026-10-20')).toEqual({ kind: 'none' });
    // 69 when the previous cycle ended, 70 at the latest: reminded, not cancelled
    expect(rules.sweepDecision(f({ holder: { birthDate: '1955-12-01', classes: 'C1', firstIssuedOn: '1990-10-20' }, answeredLatest: false }), '2026-10-20')).toMatchObject({ kind: 'remind', which: 'opened' });
    // the first anniversary is not a cycle that obliged anything
    expect(rules.sweepDecision(f({ holder: { birthDate: '1950-02-01', classes: 'C1', firstIssuedOn: '2025-10-20' }, answeredLatest: false }), '2026-10-20')).toMatchObject({ kind: 'remind', which: 'opened' });
    expect(rules.sweepDecision(f({ holder: { birthDate: '1950-02-01', classes: 'C1', firstIssuedOn: '2026-03-01' } }), TODAY)).toEqual({ kind: 'none' });
  });

  it('X-4.2.4 the receipt’s verification code: 8 characters without look-alikes', () => {
    const c = rules.verificationCode(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 255]));
    expect(c).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(rules.licenceReference('YQ', '440300', new Date('2026-11-25T02:00:00Z'), 7)).toBe('YQ44030020261125000007');
  });
});
