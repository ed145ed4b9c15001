import { describe, expect, it } from 'vitest';
import type { DueItem } from 'bff/client';
import { dueActionHref, serviceLinks } from './hub.ts';

const item = (over: Partial<DueItem>): DueItem => ({ kind: 'inspection_due', label: '粤BA1234', subjectId: 'v1', dueAt: '2027-01-31', overdue: false, detail: null, ...over });

describe('my account hub', () => {
  it('R-9.1 links every service the account may use to its page; services not online yet have none', () => {
    const links = serviceLinks(['bind_own_vehicles', 'plate_preselection', 'inspection_booking', 'exam_booking', 'replacement', 'change_contact', 'cancel']);
    expect(links).toEqual([
      { service: 'bind_own_vehicles', href: '/account/bindings' },
      { service: 'plate_preselection', href: '/plates' },
      { service: 'inspection_booking', href: '/inspections' },
      { service: 'exam_booking', href: null },
      { service: 'replacement', href: '/replacements' },
      { service: 'change_contact', href: '/account/settings' },
      { service: 'cancel', href: '/account/cancel' },
    ]);
  });

  it('R-35.3 an inspection due soon leads to booking for that vehicle; a booked one to the booking', () => {
    expect(dueActionHref(item({}))).toBe('/inspections/book?vehicle=v1');
    expect(dueActionHref(item({ kind: 'inspection_booked', subjectId: 'b1' }))).toBe('/inspections/bookings/b1');
  });

  it('R-23.4 / R-21.1.4 plate deadlines lead to the preselection, or to starting one', () => {
    expect(dueActionHref(item({ kind: 'plate_reservation', subjectId: 'p1' }))).toBe('/plates/preselections/p1');
    expect(dueActionHref(item({ kind: 'preselect_by', subjectId: null }))).toBe('/plates/new');
  });

  it('R-12.2.4 a returned application leads to its page; a temporary plate is resolved at a counter (no link)', () => {
    expect(dueActionHref(item({ kind: 'application_returned', subjectId: 'YH1' }))).toBe('/applications/YH1');
    expect(dueActionHref(item({ kind: 'temp_plate', subjectId: null }))).toBeNull();
  });
});
