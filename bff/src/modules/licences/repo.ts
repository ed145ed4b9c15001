import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import type { DeferralKind, Kind, Status } from './rules.ts';

export { visibleAuthorities } from '../../platform/authorities.ts';

// ---------------------------------------------------------------------------
// The citizen and the bound licences
// ---------------------------------------------------------------------------

export type UserRow = {
  id: string;
  kind: 'personal' | 'organisation';
  registration_channel: 'online' | 'counter';
  status: 'active' | 'suspended' | 'cancelled';
  phone: string;
  postal_address: string | null;
  postcode: string | null;
  name: string;
  id_number: string | null;
  person_id: string | null;
};

export async function findUser(db: Db, userId: string) {
  const [row] = await db<UserRow[]>`
    SELECT ua.id, ua.kind, ua.registration_channel, ua.status, ua.phone, ua.postal_address, ua.postcode, ua.person_id,
           COALESCE(o.name, p.name) AS name, COALESCE(o.uscc, p.id_number) AS id_number
    FROM user_account ua LEFT JOIN person p ON p.id = ua.person_id LEFT JOIN organisation o ON o.id = ua.organisation_id
    WHERE ua.id = ${userId}`;
  return row;
}

export type LicenceRow = {
  id: string;
  licence_no: string;
  person_id: string;
  holder_name: string;
  birth_date: string;
  classes: string;
  first_issued_on: string;
  valid_from: string;
  valid_until: string;
  review_valid_until: string | null;
  status: string;
  points: number;
  phone: string;
  issuing_authority_id: string;
  authority_name: string;
  has_certificate_photo: boolean;
  binding: 'own' | 'organisation';
};

const licenceColumns = (db: Db) => db`
  l.id, l.licence_no, l.person_id, p.name AS holder_name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, l.classes,
  to_char(l.first_issued_on, 'YYYY-MM-DD') AS first_issued_on, to_char(l.valid_from, 'YYYY-MM-DD') AS valid_from,
  to_char(l.valid_until, 'YYYY-MM-DD') AS valid_until, to_char(l.review_valid_until, 'YYYY-MM-DD') AS review_valid_until,
  l.status, l.points, l.phone, l.issuing_authority_id, a.name AS authority_name, l.has_certificate_photo`;

/** X-4.1.1: the user's bound licences (optionally one), with the binding's kind. */
export async function boundLicences(db: Db, userId: string, licenceId?: string) {
  return db<LicenceRow[]>`
    SELECT ${licenceColumns(db)}, b.kind AS binding
    FROM licence_binding b JOIN driving_licence l ON l.id = b.licence_id JOIN person p ON p.id = l.person_id
    JOIN authority a ON a.id = l.issuing_authority_id
    WHERE b.user_account_id = ${userId} AND b.unbound_at IS NULL ${licenceId ? db`AND l.id = ${licenceId}` : db``}
    ORDER BY b.bound_at, l.id`;
}

/** Row lock on the licence for a state change (an application, the sweep, a restoration). */
export async function lockLicence(db: Db, licenceId: string) {
  await db`SELECT id FROM driving_licence WHERE id = ${licenceId} FOR UPDATE`;
}

export async function licenceById(db: Db, licenceId: string) {
  const [row] = await db<Omit<LicenceRow, 'binding'>[]>`
    SELECT ${licenceColumns(db)} FROM driving_licence l JOIN person p ON p.id = l.person_id JOIN authority a ON a.id = l.issuing_authority_id
    WHERE l.id = ${licenceId}`;
  return row;
}

export async function updateLicence(db: Db, licenceId: string, patch: Record<string, unknown>) {
  await db`UPDATE driving_licence SET ${db(patch as Record<string, string>)} WHERE id = ${licenceId}`;
}

/** X-4.1.12: 补换领 of the licence since `since` that were not rejected, cancelled or withdrawn. */
export async function recentReplacements(db: Db, licenceIds: string[], since: Date) {
  if (!licenceIds.length) return new Map<string, number>();
  const rows = await db<{ licence_id: string; n: number }[]>`
    SELECT licence_id, count(*)::int AS n FROM licence_service_application
    WHERE licence_id = ANY(${licenceIds}) AND kind IN ('damage_exchange', 'loss_replacement')
      AND status NOT IN ('rejected', 'cancelled', 'withdrawn') AND submitted_at >= ${since}
    GROUP BY licence_id`;
  return new Map(rows.map((r) => [r.licence_id, r.n]));
}

export async function openLicences(db: Db, licenceIds: string[]) {
  if (!licenceIds.length) return new Set<string>();
  const rows = await db<{ licence_id: string }[]>`
    SELECT licence_id FROM licence_service_application
    WHERE licence_id = ANY(${licenceIds}) AND status IN ('submitted', 'accepted', 'produced', 'sent', 'ready_for_pickup')`;
  return new Set(rows.map((r) => r.licence_id));
}

/** X-4.1.9: the one-year bar, written into the replacements' bar table (one bar for every online 补换领). */
export async function insertBar(db: Db, b: { userId: string; subjectIdNumber: string; applicationId: string; reference: string; reason: 'refused' | 'not_collected'; startsAt: Date; endsOn: string; authorityId: string }) {
  await db`
    INSERT INTO replacement_bar (user_account_id, subject_id_number, licence_application_id, reference, reason, starts_at, ends_on, authority_id)
    VALUES (${b.userId}, ${b.subjectIdNumber}, ${b.applicationId}, ${b.reference}, ${b.reason}, ${b.startsAt}, ${b.endsOn}, ${b.authorityId})
    ON CONFLICT (licence_application_id) DO NOTHING`;
}

// ---------------------------------------------------------------------------
// Applications
// ---------------------------------------------------------------------------

export async function nextSeq(db: Db, seq: 'licence_service_ref_seq' | 'licence_deferral_ref_seq'): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT nextval(${seq}::regclass)::int AS n`;
  return row!.n;
}

export type ApplicationRow = {
  id: string;
  reference: string;
  user_account_id: string;
  licence_id: string;
  authority_id: string;
  authority_name: string;
  kind: Kind;
  licence_no: string;
  classes_before: string;
  classes_after: string;
  valid_until_before: string;
  health_certificate_id: string | null;
  declared_at: Date;
  delivery: 'post' | 'pickup';
  recipient_name: string | null;
  recipient_phone: string | null;
  postal_address: string | null;
  postcode: string | null;
  status: Status;
  submitted_at: Date;
  accept_deadline: Date;
  accepted_at: Date | null;
  rejected_at: Date | null;
  rejection_reason: string | null;
  produced_at: Date | null;
  core_number: string | null;
  new_valid_until: string | null;
  sent_at: Date | null;
  post_message_id: string | null;
  post_status: string | null;
  tracking_no: string | null;
  ready_at: Date | null;
  pickup_deadline_day: string | null;
  completed_at: Date | null;
  old_licence_handed_over: boolean | null;
  failed_at: Date | null;
  archived_at: Date | null;
  old_licence_destroyed_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  applicant_name: string;
  applicant_phone: string;
  applicant_id_number: string | null;
};

const applicationSelect = (db: Db) => db`
  SELECT la.id, la.reference, la.user_account_id, la.licence_id, la.authority_id, la.kind, la.licence_no, la.classes_before, la.classes_after,
         to_char(la.valid_until_before, 'YYYY-MM-DD') AS valid_until_before, la.health_certificate_id, la.declared_at, la.delivery,
         la.recipient_name, la.recipient_phone, la.postal_address, la.postcode, la.status, la.submitted_at, la.accept_deadline,
         la.accepted_at, la.rejected_at, la.rejection_reason, la.produced_at, la.core_number, to_char(la.new_valid_until, 'YYYY-MM-DD') AS new_valid_until,
         la.sent_at, la.post_message_id, la.ready_at, to_char(la.pickup_deadline_day, 'YYYY-MM-DD') AS pickup_deadline_day, la.completed_at,
         la.old_licence_handed_over, la.failed_at, la.archived_at, la.old_licence_destroyed_at, la.closed_at, la.updated_at,
         a.name AS authority_name, om.status AS post_status, om.provider_ref AS tracking_no,
         p.name AS applicant_name, ua.phone AS applicant_phone, p.id_number AS applicant_id_number
  FROM licence_service_application la
  JOIN authority a ON a.id = la.authority_id
  JOIN user_account ua ON ua.id = la.user_account_id
  LEFT JOIN person p ON p.id = ua.person_id
  LEFT JOIN outbox_message om ON om.id = la.post_message_id`;

export async function insertApplication(db: Db, a: {
  reference: string; userId: string; licenceId: string; authorityId: string; kind: Kind; licenceNo: string; classesBefore: string; classesAfter: string;
  validUntilBefore: string; healthCertificateId: string | null; delivery: string; recipientName: string | null; recipientPhone: string | null;
  postalAddress: string | null; postcode: string | null; submittedAt: Date; acceptDeadline: Date;
}) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO licence_service_application (reference, user_account_id, licence_id, authority_id, kind, licence_no, classes_before, classes_after,
      valid_until_before, health_certificate_id, declared_at, delivery, recipient_name, recipient_phone, postal_address, postcode,
      status, submitted_at, accept_deadline, updated_at)
    VALUES (${a.reference}, ${a.userId}, ${a.licenceId}, ${a.authorityId}, ${a.kind}, ${a.licenceNo}, ${a.classesBefore}, ${a.classesAfter},
      ${a.validUntilBefore}, ${a.healthCertificateId}, ${a.submittedAt}, ${a.delivery}, ${a.recipientName}, ${a.recipientPhone}, ${a.postalAddress}, ${a.postcode},
      'submitted', ${a.submittedAt}, ${a.acceptDeadline}, ${a.submittedAt})
    RETURNING id`;
  return row!.id;
}

export async function insertEvent(db: Db, applicationId: string, at: Date, status: string, note: string | null = null) {
  await db`INSERT INTO licence_service_event (application_id, at, status, note) VALUES (${applicationId}, ${at}, ${status}, ${note})`;
}

export async function eventsOf(db: Db, applicationIds: string[]) {
  if (!applicationIds.length) return [];
  return db<{ application_id: string; at: Date; status: string; note: string | null }[]>`
    SELECT application_id, at, status, note FROM licence_service_event WHERE application_id = ANY(${applicationIds}) ORDER BY at, id`;
}

export async function findApplication(db: Db, id: string, scope: { userId: string } | { authorities: string[] } | 'system') {
  const where = scope === 'system' ? db`` : 'userId' in scope ? db`AND la.user_account_id = ${scope.userId}` : db`AND la.authority_id = ANY(${scope.authorities})`;
  const [row] = await db<ApplicationRow[]>`${applicationSelect(db)} WHERE la.id = ${id} ${where}`;
  return row;
}

export async function lockApplication(db: Db, id: string) {
  const [row] = await db<{ status: Status }[]>`SELECT status FROM licence_service_application WHERE id = ${id} FOR UPDATE`;
  return row;
}

export async function applicationsOfUser(db: Db, userId: string) {
  return db<ApplicationRow[]>`${applicationSelect(db)} WHERE la.user_account_id = ${userId} ORDER BY la.submitted_at DESC, la.id LIMIT 100`;
}

/** Staff queues: `queue=intake` (受理岗), `queue=archive` (档案岗); acceptance deadline first. */
export async function listApplications(db: Db, q: ListQuery, authorities: string[]) {
  const status = filterString(q.filter, 'status');
  const queue = filterString(q.filter, 'queue');
  const kind = filterString(q.filter, 'kind');
  const search = filterString(q.filter, 'q')?.toUpperCase();
  const where = db`
    WHERE la.authority_id = ANY(${authorities})
    ${status ? db`AND la.status = ${status}` : db``}
    ${kind ? db`AND la.kind = ${kind}` : db``}
    ${queue === 'intake' ? db`AND la.status IN ('submitted', 'accepted', 'produced', 'sent', 'ready_for_pickup')` : db``}
    ${queue === 'archive'
      ? db`AND ((la.archived_at IS NULL AND la.status IN ('produced', 'sent', 'ready_for_pickup', 'delivered', 'picked_up'))
               OR la.status IN ('refused', 'not_collected')
               OR (la.old_licence_handed_over AND la.old_licence_destroyed_at IS NULL))`
      : db``}
    ${search ? db`AND (la.reference = ${search} OR la.licence_no = ${search})` : db``}`;
  const column = ({ acceptDeadline: 'accept_deadline', submittedAt: 'submitted_at', status: 'status', reference: 'reference', updatedAt: 'updated_at' } as Record<string, string>)[q.sortField] ?? 'accept_deadline';
  const rows = await db<ApplicationRow[]>`
    SELECT x.* FROM (${applicationSelect(db)} ${where}) x
    ORDER BY ${db('x.' + column)} ${q.sortDesc ? db`DESC NULLS LAST` : db`ASC NULLS LAST`}, x.submitted_at, x.id
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM licence_service_application la ${where}`;
  return { rows, total: count?.n ?? 0 };
}

export async function updateApplication(db: Db, id: string, patch: Record<string, unknown>) {
  await db`UPDATE licence_service_application SET ${db(patch as Record<string, string>)} WHERE id = ${id}`;
}

export async function accountOwner(db: Db, userId: string) {
  const [row] = await db<{ person_id: string | null; organisation_id: string | null }[]>`SELECT person_id, organisation_id FROM user_account WHERE id = ${userId}`;
  return row;
}

// ---------------------------------------------------------------------------
// Deferrals (X-4.2)
// ---------------------------------------------------------------------------

export type DeferralRow = {
  id: string;
  reference: string;
  user_account_id: string;
  licence_id: string;
  licence_no: string;
  holder_name: string;
  holder_id_number: string;
  applicant_phone: string;
  authority_id: string;
  authority_name: string;
  kind: DeferralKind;
  reason: 'military_service' | 'abroad' | 'other';
  reason_note: string;
  end_date: string;
  deferred_until: string;
  status: 'submitted' | 'accepted' | 'rejected' | 'cancelled';
  verification_code: string;
  submitted_at: Date;
  accept_deadline: Date;
  accepted_at: Date | null;
  rejected_at: Date | null;
  rejection_reason: string | null;
  updated_at: Date;
};

const deferralSelect = (db: Db) => db`
  SELECT d.id, d.reference, d.user_account_id, d.licence_id, l.licence_no, p.name AS holder_name, p.id_number AS holder_id_number, ua.phone AS applicant_phone,
         d.authority_id, a.name AS authority_name, d.kind, d.reason, d.reason_note, to_char(d.end_date, 'YYYY-MM-DD') AS end_date,
         to_char(d.deferred_until, 'YYYY-MM-DD') AS deferred_until, d.status, d.verification_code, d.submitted_at, d.accept_deadline,
         d.accepted_at, d.rejected_at, d.rejection_reason, d.updated_at
  FROM licence_deferral d JOIN driving_licence l ON l.id = d.licence_id JOIN person p ON p.id = l.person_id
  JOIN authority a ON a.id = d.authority_id JOIN user_account ua ON ua.id = d.user_account_id`;

export async function insertDeferral(db: Db, d: {
  reference: string; userId: string; licenceId: string; authorityId: string; kind: DeferralKind; reason: string; reasonNote: string;
  endDate: string; deferredUntil: string; code: string; submittedAt: Date; acceptDeadline: Date;
}) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO licence_deferral (reference, user_account_id, licence_id, authority_id, kind, reason, reason_note, end_date, deferred_until,
      verification_code, submitted_at, accept_deadline, updated_at)
    VALUES (${d.reference}, ${d.userId}, ${d.licenceId}, ${d.authorityId}, ${d.kind}, ${d.reason}, ${d.reasonNote}, ${d.endDate}, ${d.deferredUntil},
      ${d.code}, ${d.submittedAt}, ${d.acceptDeadline}, ${d.submittedAt})
    RETURNING id`;
  return row!.id;
}

export async function findDeferral(db: Db, id: string, scope: { userId: string } | { authorities: string[] } | 'system') {
  const where = scope === 'system' ? db`` : 'userId' in scope ? db`AND d.user_account_id = ${scope.userId}` : db`AND d.authority_id = ANY(${scope.authorities})`;
  const [row] = await db<DeferralRow[]>`${deferralSelect(db)} WHERE d.id = ${id} ${where}`;
  return row;
}

export async function deferralByReference(db: Db, reference: string) {
  const [row] = await db<DeferralRow[]>`${deferralSelect(db)} WHERE d.reference = ${reference}`;
  return row;
}

export async function lockDeferral(db: Db, id: string) {
  await db`SELECT id FROM licence_deferral WHERE id = ${id} FOR UPDATE`;
}

export async function deferralsOfUser(db: Db, userId: string) {
  return db<DeferralRow[]>`${deferralSelect(db)} WHERE d.user_account_id = ${userId} ORDER BY d.submitted_at DESC LIMIT 100`;
}

export async function listDeferrals(db: Db, q: ListQuery, authorities: string[]) {
  const status = filterString(q.filter, 'status');
  const where = db`WHERE d.authority_id = ANY(${authorities}) ${status ? db`AND d.status = ${status}` : db``}`;
  const column = ({ acceptDeadline: 'accept_deadline', submittedAt: 'submitted_at', status: 'status', reference: 'reference' } as Record<string, string>)[q.sortField] ?? 'accept_deadline';
  const rows = await db<DeferralRow[]>`
    SELECT x.* FROM (${deferralSelect(db)} ${where}) x
    ORDER BY ${db('x.' + column)} ${q.sortDesc ? db`DESC NULLS LAST` : db`ASC NULLS LAST`}, x.submitted_at, x.id
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM licence_deferral d ${where}`;
  return { rows, total: count?.n ?? 0 };
}

export async function updateDeferral(db: Db, id: string, patch: Record<string, unknown>) {
  await db`UPDATE licence_deferral SET ${db(patch as Record<string, string>)} WHERE id = ${id}`;
}

/** X-4.2: an accepted deferral of the kind covering the licence (the latest). */
export async function acceptedDeferral(db: Db, licenceId: string, kind: DeferralKind) {
  const [row] = await db<{ end_date: string; deferred_until: string }[]>`
    SELECT to_char(end_date, 'YYYY-MM-DD') AS end_date, to_char(deferred_until, 'YYYY-MM-DD') AS deferred_until FROM licence_deferral
    WHERE licence_id = ${licenceId} AND kind = ${kind} AND status = 'accepted' ORDER BY deferred_until DESC LIMIT 1`;
  return row ?? null;
}

// ---------------------------------------------------------------------------
// Obligations (X-4.3.2, X-4.3.3)
// ---------------------------------------------------------------------------

/** Licences whose holders may owe a certificate: 69+ (70 within the year) or the disability class C5, or cancelled for a missing one. */
export async function obligationCandidates(db: Db, today: string) {
  return db<(Omit<LicenceRow, 'binding' | 'authority_name'> & { authority_name: string })[]>`
    SELECT ${licenceColumns(db)} FROM driving_licence l JOIN person p ON p.id = l.person_id JOIN authority a ON a.id = l.issuing_authority_id
    WHERE (p.birth_date <= (${today}::date - interval '69 years') OR l.classes LIKE '%C5%')
      AND NOT p.deceased
    ORDER BY l.id`;
}

export type CancellationRow = { id: string; licence_id: string; cycle_end: string; status_before: string; cancelled_at: Date; restored_at: Date | null };

export async function openCancellation(db: Db, licenceId: string) {
  const [row] = await db<CancellationRow[]>`
    SELECT id, licence_id, to_char(cycle_end, 'YYYY-MM-DD') AS cycle_end, status_before, cancelled_at, restored_at
    FROM licence_health_cancellation WHERE licence_id = ${licenceId} AND restored_at IS NULL`;
  return row ?? null;
}

export async function openCancellations(db: Db) {
  return db<CancellationRow[]>`
    SELECT id, licence_id, to_char(cycle_end, 'YYYY-MM-DD') AS cycle_end, status_before, cancelled_at, restored_at
    FROM licence_health_cancellation WHERE restored_at IS NULL ORDER BY licence_id`;
}

/** Returns false when this cycle was already acted on (the unique key), so a rerun cancels nothing twice. */
export async function insertCancellation(db: Db, c: { licenceId: string; cycleEnd: string; statusBefore: string; at: Date }) {
  const rows = await db`
    INSERT INTO licence_health_cancellation (licence_id, cycle_end, status_before, cancelled_at)
    VALUES (${c.licenceId}, ${c.cycleEnd}, ${c.statusBefore}, ${c.at})
    ON CONFLICT DO NOTHING RETURNING id`;
  return rows.length > 0;
}

export async function markRestored(db: Db, id: string, at: Date, certificateId: string) {
  await db`UPDATE licence_health_cancellation SET restored_at = ${at}, restored_certificate_id = ${certificateId} WHERE id = ${id}`;
}

/** The holder of a licence (the archive files a case under the person, X-6.3). */
export async function personOfLicence(db: Db, licenceId: string): Promise<string | null> {
  const [r] = await db<{ person_id: string }[]>`SELECT person_id FROM driving_licence WHERE id = ${licenceId}`;
  return r?.person_id ?? null;
}
