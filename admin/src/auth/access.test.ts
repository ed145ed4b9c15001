import { describe, expect, it } from 'vitest';
import { canAccess, menuFor, STAFF_ROLES } from './access.ts';

describe('menuFor: which screens each role sees', () => {
  it.each([
    ['intake', ['outbox', 'plate-preselections', 'replacements', 'licence-services', 'licence-deferrals', 'dealer-qualifications', 'temp-plate-batches', 'temp-plate-blanks', 'temp-plate-issuances', 'account-applications', 'user-accounts', 'records-events', 'licence-applications', 'violations', 'violation-objections', 'exam-results', 'learner-permits', 'health-certificates', 'my-totp']],
    ['review', ['outbox', 'inspection-plans', 'plate-plans', 'plate-preselections', 'replacements', 'licence-services', 'licence-deferrals', 'replacement-city-settings', 'dealer-qualifications', 'temp-plate-batches', 'temp-plate-blanks', 'temp-plate-issuances', 'temp-plate-city-settings', 'account-applications', 'user-accounts', 'records-events', 'certificate-photos', 'archive-records', 'paper-files', 'archive-chains', 'archive-retention', 'paper-file-transfers', 'returned-certificates', 'payment-orders', 'payment-reconciliations', 'payment-rejected-notifications', 'violations', 'violation-objections', 'exam-plans', 'exam-allocations', 'exam-results', 'learner-permits', 'medical-qualifications', 'health-certificates', 'my-totp']],
    ['archive', ['replacements', 'licence-services', 'account-archives', 'archive-records', 'paper-files', 'archive-chains', 'archive-destructions', 'paper-file-transfers', 'returned-certificates', 'violations', 'violation-objections', 'my-totp']],
    ['station_operator', ['audit-log', 'inspection-slots', 'station-roster', 'my-totp']],
    ['dealer', ['audit-log', 'dealer-qualifications', 'temp-plate-batches', 'temp-plate-blanks', 'temp-plate-issuances', 'temp-plate-stock', 'my-totp']],
    ['system_admin', ['audit-log', 'outbox', 'calendar-days', 'calendar-year', 'jobs', 'staff-accounts', 'my-totp']],
    ['auditor', ['audit-log', 'my-totp']],
    ['medical_operator', ['medical-qualifications', 'health-certificates', 'my-totp']],
    ['exam_operator', ['exam-plans', 'exam-allocations', 'exam-results', 'my-totp']],
  ] as const)('%s', (role, expected) => {
    expect(menuFor([role])).toEqual(expected);
  });

  it('covers every role', () => {
    expect(STAFF_ROLES).toHaveLength(9);
  });

  it('unions the screens of several posts', () => {
    expect(menuFor(['archive', 'intake'])).toEqual(['outbox', 'plate-preselections', 'replacements', 'licence-services', 'licence-deferrals', 'dealer-qualifications', 'temp-plate-batches', 'temp-plate-blanks', 'temp-plate-issuances', 'account-applications', 'account-archives', 'user-accounts', 'records-events', 'licence-applications', 'archive-records', 'paper-files', 'archive-chains', 'archive-destructions', 'paper-file-transfers', 'returned-certificates', 'violations', 'violation-objections', 'exam-results', 'learner-permits', 'health-certificates', 'my-totp']);
  });

  it('shows nothing without a known role', () => {
    expect(menuFor([])).toEqual([]);
    expect(menuFor(['superuser'])).toEqual([]);
  });
});

describe('canAccess', () => {
  it('allows only the actions a resource has', () => {
    expect(canAccess(['system_admin'], 'audit-log', 'show')).toBe(true);
    expect(canAccess(['system_admin'], 'audit-log', 'edit')).toBe(false);
    expect(canAccess(['system_admin'], 'audit-log', 'delete')).toBe(false);
    expect(canAccess(['system_admin'], 'calendar-days', 'delete')).toBe(true);
    expect(canAccess(['system_admin'], 'jobs', 'show')).toBe(false);
  });

  it('issue 17: only system administrators open the staff accounts; every staff member replaces their own second factor', () => {
    for (const role of STAFF_ROLES) {
      expect(canAccess([role], 'staff-accounts', 'list'), role).toBe(role === 'system_admin');
      expect(canAccess([role], 'my-totp', 'access'), role).toBe(true);
    }
    expect(canAccess(['system_admin'], 'staff-accounts', 'edit')).toBe(false);
  });

  it('issue 17: the audit log is for 审计员, the system administrator, dealers and station operators — not the business posts', () => {
    expect(menuFor(['auditor'])).toEqual(['audit-log', 'my-totp']);
    for (const role of STAFF_ROLES) {
      expect(canAccess([role], 'audit-log', 'list'), role).toBe(['auditor', 'system_admin', 'dealer', 'station_operator'].includes(role));
    }
    expect(canAccess(['auditor'], 'account-applications', 'list')).toBe(false);
  });

  it('keeps calendar changes to system administrators', () => {
    for (const role of STAFF_ROLES.filter((r) => r !== 'system_admin')) {
      expect(canAccess([role], 'calendar-days', 'create')).toBe(false);
      expect(canAccess([role], 'calendar-year', 'access')).toBe(false);
    }
  });

  it('narrows an action to the roles that may take it (issue 5)', () => {
    expect(canAccess(['dealer'], 'dealer-qualifications', 'create')).toBe(true);
    expect(canAccess(['review'], 'dealer-qualifications', 'create')).toBe(false);
    expect(canAccess(['review'], 'dealer-qualifications', 'show')).toBe(true);
    expect(canAccess(['intake'], 'temp-plate-batches', 'create')).toBe(true);
    expect(canAccess(['dealer'], 'temp-plate-batches', 'create')).toBe(false);
    expect(canAccess(['intake'], 'replacement-city-settings', 'edit')).toBe(false);
  });

  it('issue 3: only 受理岗 accepts counter applications and records R-17 events; 管理岗 reviews', () => {
    expect(canAccess(['intake'], 'account-applications', 'create')).toBe(true);
    expect(canAccess(['review'], 'account-applications', 'create')).toBe(false);
    expect(canAccess(['review'], 'account-applications', 'show')).toBe(true);
    expect(canAccess(['review'], 'records-events', 'create')).toBe(false);
    expect(canAccess(['archive'], 'account-applications', 'list')).toBe(false);
    expect(canAccess(['intake'], 'certificate-photos', 'list')).toBe(false);
  });

  it('refuses resources it does not know', () => {
    expect(canAccess(['system_admin'], 'registrations', 'list')).toBe(false);
  });
});
