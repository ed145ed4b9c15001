/**
 * An audit entry in words (issue 18): who did what to which record, with a
 * link to the record — the codes and the JSON stay behind a "details" toggle.
 * Pure: the screens translate the keys this returns.
 */

/** Audited entity types that have an admin screen: its resource, and whether a record opens on its own page. */
export const ENTITY_ROUTES: Readonly<Record<string, { resource: string; show: boolean }>> = {
  account_application: { resource: 'account-applications', show: true },
  account_archive: { resource: 'account-archives', show: true },
  certificate_photo_submission: { resource: 'certificate-photos', show: true },
  dealer_qualification: { resource: 'dealer-qualifications', show: true },
  replacement_application: { resource: 'replacements', show: true },
  temp_plate_batch: { resource: 'temp-plate-batches', show: true },
  temp_plate_issuance: { resource: 'temp-plate-issuances', show: true },
  temp_plate_blank: { resource: 'temp-plate-blanks', show: false },
  user_account: { resource: 'user-accounts', show: true },
  plate_segment_plan: { resource: 'plate-plans', show: true },
  plate_preselection: { resource: 'plate-preselections', show: true },
  staff_member: { resource: 'staff-accounts', show: true },
  inspection_slot: { resource: 'inspection-slots', show: false },
  licence_application: { resource: 'licence-applications', show: false },
  records_event: { resource: 'records-events', show: false },
  calendar_override: { resource: 'calendar-days', show: false },
};

export type AuditEntry = {
  actorKind?: string | null;
  actorLabel?: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

export type AuditSentence = {
  /** The actor's words: the label for staff and users, a translation key for the system and anonymous visitors. */
  actor: { key: string | null; label: string };
  /** `app.audit.verb.<module>.<name>`; `fallbackAction` is shown when the dictionary has no verb for it. */
  verbKey: string;
  fallbackAction: string;
  entityKey: string;
  /** A reference number, plate or code the record is known by, if the entry carries one. */
  reference: string | null;
  /** Where the record opens in the admin, if it has a screen (and the entry names it). */
  link: string | null;
};

const REFERENCE_KEYS = ['reference', 'plateNo', 'code', 'organisationName', 'day', 'year', 'username'] as const;

const asObject = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The reference the record is known by: from `after`, else `before`. */
export function referenceOf(before: unknown, after: unknown): string | null {
  for (const side of [asObject(after), asObject(before)]) {
    for (const k of REFERENCE_KEYS) {
      const v = side[k];
      if ((typeof v === 'string' && v !== '') || typeof v === 'number') return String(v);
    }
  }
  return null;
}

export function linkOf(entityType: string, entityId: string | null | undefined): string | null {
  const route = ENTITY_ROUTES[entityType];
  if (!route) return null;
  if (route.show && entityId) return `/${route.resource}/${encodeURIComponent(entityId)}/show`;
  return `/${route.resource}`;
}

export function auditSentence(e: AuditEntry): AuditSentence {
  const kind = e.actorKind ?? 'system';
  const actor =
    kind === 'system'
      ? { key: 'app.audit.system_actor', label: e.actorLabel ?? '' }
      : kind === 'anonymous'
        ? { key: 'app.audit.anonymous_actor', label: '' }
        : { key: null, label: e.actorLabel ?? '' };
  return {
    actor,
    verbKey: `app.audit.verb.${e.action}`,
    fallbackAction: e.action,
    entityKey: `app.audit.entity.${e.entityType}`,
    reference: referenceOf(e.before, e.after),
    link: linkOf(e.entityType, e.entityId),
  };
}
