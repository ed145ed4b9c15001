import type { AccountService, DueItem } from 'bff/client';

/**
 * "My account" as a hub (issue 18): where each service the account may use
 * is done on this site, and what resolves each item that is due soon.
 */

export type ServiceLink = { service: AccountService; href: string | null };

/** The page of each service; null: not online yet (a counter does it). */
const SERVICE_PAGES: Record<AccountService, string | null> = {
  bind_own_vehicles: '/account/bindings',
  bind_own_licence: '/account/bindings',
  bind_organisation_vehicles: '/account/bindings',
  bind_licence_to_organisation: '/account/bindings',
  manage_driver_licences: '/account/bindings',
  query_bound: '/account#vehicles-heading',
  plate_preselection: '/plates',
  inspection_booking: '/inspections',
  replacement: '/replacements',
  certificate_photo_upload: '/account/photo',
  change_contact: '/account/settings',
  change_password: '/account/settings#password-heading',
  suspend: '/account/settings#suspend-heading',
  cancel: '/account/cancel',
  reactivate: '/sign-in?method=sms',
  exam_booking: null,
  violation_handling: null,
  fine_payment: null,
  licence_services: '/licences',
  delegated_business: null,
  special_services: null,
};

/** Every service the account may use, in the bff's order, each with its page (or none yet). */
export function serviceLinks(services: readonly AccountService[]): ServiceLink[] {
  return services.map((service) => ({ service, href: SERVICE_PAGES[service] ?? null }));
}

/** Where the action that resolves a due item is done; null when it is done away from this site (at a counter). */
export function dueActionHref(item: DueItem): string | null {
  const id = item.subjectId ? encodeURIComponent(item.subjectId) : null;
  switch (item.kind) {
    case 'inspection_due':
      return id ? `/inspections/book?vehicle=${id}` : '/inspections';
    case 'inspection_booked':
      return id ? `/inspections/bookings/${id}` : '/inspections';
    case 'plate_reservation':
      return id ? `/plates/preselections/${id}` : '/plates';
    case 'preselect_by':
      return id ? `/plates/preselections/${id}` : '/plates/new';
    case 'application_returned':
      return id ? `/applications/${id}` : '/applications';
    case 'replacement_pickup':
      return id ? `/replacements/${id}` : '/replacements';
    case 'temp_plate':
      return null;
  }
}
