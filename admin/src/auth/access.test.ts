import { describe, expect, it } from 'vitest';
import { canAccess, menuFor, STAFF_ROLES } from './access.ts';

describe('menuFor: which screens each role sees', () => {
  it.each([
    ['intake', ['audit-log', 'outbox']],
    ['review', ['audit-log', 'outbox']],
    ['archive', ['audit-log']],
    ['station_operator', ['audit-log']],
    ['dealer', ['audit-log']],
    ['system_admin', ['audit-log', 'outbox', 'calendar-days', 'calendar-year', 'jobs']],
  ] as const)('%s', (role, expected) => {
    expect(menuFor([role])).toEqual(expected);
  });

  it('covers every role', () => {
    expect(STAFF_ROLES).toHaveLength(6);
  });

  it('unions the screens of several posts', () => {
    expect(menuFor(['archive', 'intake'])).toEqual(['audit-log', 'outbox']);
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

  it('keeps calendar changes to system administrators', () => {
    for (const role of STAFF_ROLES.filter((r) => r !== 'system_admin')) {
      expect(canAccess([role], 'calendar-days', 'create')).toBe(false);
      expect(canAccess([role], 'calendar-year', 'access')).toBe(false);
    }
  });

  it('refuses resources it does not know', () => {
    expect(canAccess(['system_admin'], 'registrations', 'list')).toBe(false);
  });
});
