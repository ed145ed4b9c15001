/**
 * The counter form of 受理岗, as pure data: which photo and scans each kind of
 * application needs (the bff checks the same list,
 * R-19.1.1/3) and the request body built from the form's values.
 */
export type Subject = 'person' | 'organisation';
export type Kind = 'registration' | 'change';
export type ChangeKind = 'contact' | 'bind_non_own_vehicle' | 'organisation_info';

export const PERSON_UPLOADS = ['onsite_photo', 'application_form', 'identity_document'] as const;
export const NON_OWN_UPLOADS = [...PERSON_UPLOADS, 'owner_identity_document', 'vehicle_licence'] as const;
export const ORGANISATION_UPLOADS = ['onsite_photo', 'application_form', 'organisation_certificate', 'letter_of_authorisation', 'agent_identity_document'] as const;

export function requiredUploads(subject: Subject, changeKind: ChangeKind | null | undefined): readonly string[] {
  if (subject === 'organisation') return ORGANISATION_UPLOADS;
  return changeKind === 'bind_non_own_vehicle' ? NON_OWN_UPLOADS : PERSON_UPLOADS;
}

export const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id'] as const;
export const ORG_KINDS = ['state_organ', 'enterprise', 'public_institution', 'social_group', 'other'] as const;

/** The fields of the two forms, as the bff names them (paths match its field errors: `form.idNumber`). */
export const PERSON_FIELDS = ['name', 'sex', 'birthDate', 'idType', 'idNumber', 'phone', 'email', 'postalAddress', 'postcode'] as const;
export const ORGANISATION_FIELDS = ['organisationKind', 'organisationName', 'uscc', 'postalAddress', 'postcode', 'legalRepName', 'legalRepPhone', 'matters'] as const;
export const AGENT_FIELDS = ['name', 'sex', 'birthDate', 'idType', 'idNumber', 'phone', 'email'] as const;

export type IntakeValues = {
  subject: Subject;
  kind: Kind;
  changeKind?: ChangeKind | null;
  prefillCode?: string | null;
  networkDown?: boolean;
  form?: Record<string, unknown> & { agent?: Record<string, unknown> };
  vehicle?: { plateNo?: string; ownerIdType?: string; ownerIdNumber?: string };
  documents?: Record<string, string | null | undefined>;
};

/** Only `keys`, trimmed; an empty e-mail is "none" (null), other empty fields are left for the bff to name. */
const pick = (o: Record<string, unknown> | undefined, keys: readonly string[]) => {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = o?.[k];
    const t = typeof v === 'string' ? v.trim() : v;
    if (k === 'email') out.email = t ? t : null;
    else if (t !== undefined && t !== null && t !== '') out[k] = t;
  }
  return out;
};

/** The body of POST /admin-api/account-applications; only the documents the selection needs are sent. */
export function intakeBody(v: IntakeValues): Record<string, unknown> {
  const changeKind = v.kind === 'change' ? (v.subject === 'organisation' ? 'organisation_info' : (v.changeKind ?? 'contact')) : undefined;
  const needed = requiredUploads(v.subject, changeKind ?? null);
  const documents = Object.fromEntries(needed.filter((p) => v.documents?.[p]).map((p) => [p, v.documents![p]]));
  if (v.subject === 'organisation') {
    const form = { ...pick(v.form, ORGANISATION_FIELDS), agent: pick(v.form?.agent, AGENT_FIELDS) };
    return { subject: 'organisation', kind: v.kind, ...(changeKind ? { changeKind } : {}), form, documents };
  }
  return {
    subject: 'person',
    kind: v.kind,
    ...(changeKind ? { changeKind } : {}),
    form: pick(v.form, PERSON_FIELDS),
    ...(changeKind === 'bind_non_own_vehicle' ? { vehicle: pick(v.vehicle, ['plateNo', 'ownerIdType', 'ownerIdNumber']) } : {}),
    documents,
    ...(v.networkDown ? { networkDown: true } : {}),
    ...(v.prefillCode ? { prefillCode: v.prefillCode.trim().toUpperCase() } : {}),
  };
}

/** The tone of a review deadline: overdue (PD-3) or due today, in Beijing time. */
export function deadlineTone(dueAt: string | null | undefined, now: Date, overdue: boolean): 'error' | 'info' | 'neutral' {
  if (!dueAt) return 'neutral';
  if (overdue || new Date(dueAt).getTime() <= now.getTime()) return 'error';
  return new Date(dueAt).getTime() - now.getTime() <= 24 * 3600_000 ? 'info' : 'neutral';
}
