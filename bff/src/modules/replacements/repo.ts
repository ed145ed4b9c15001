import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { filterString } from '../../core/list-query.ts';
import type { Item, Status } from './rules.ts';

export { visibleAuthorities } from '../../platform/authorities.ts';

// ---------------------------------------------------------------------------
// The citizen, the vehicles, the city settings, the bar
// ---------------------------------------------------------------------------

export type UserFactsRow = {
  id: string;
  kind: 'personal' | 'organisation';
  registration_channel: 'online' | 'counter';
  status: 'active' | 'suspended' | 'cancelled';
  phone: string;
  postal_address: string | null;
  postcode: string | null;
  name: string;
  id_number: string | null;
};

export async function findUser(db: Db, userId: string) {
  const [row] = await db<UserFactsRow[]>`
    SELECT ua.id, ua.kind, ua.registration_channel, ua.status, ua.phone, ua.postal_address, ua.postcode,
           COALESCE(o.name, p.name) AS name, COALESCE(o.uscc, p.id_number) AS id_number
    FROM user_account ua LEFT JOIN person p ON p.id = ua.person_id LEFT JOIN organisation o ON o.id = ua.organisation_id
    WHERE ua.id = ${userId}`;
  return row;
}

export type VehicleRow = {
  id: string;
  plate_no: string | null;
  plate_kind: string;
  brand_model: string;
  vehicle_type: string;
  vin: string;
  states: string[];
  has_certificate_photo: boolean;
  registration_authority_id: string;
  authority_name: string;
  binding: 'own' | 'non_own' | 'organisation';
};

/** The user's bound vehicles (R-27.1), optionally one of them, locked for the application. */
export async function boundVehicles(db: Db, userId: string, vehicleId?: string) {
  return db<VehicleRow[]>`
    SELECT v.id, v.plate_no, v.plate_kind, v.brand_model, v.vehicle_type, v.vin, v.states, v.has_certificate_photo,
           v.registration_authority_id, a.name AS authority_name, b.kind AS binding
    FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id JOIN authority a ON a.id = v.registration_authority_id
    WHERE b.user_account_id = ${userId} AND b.unbound_at IS NULL ${vehicleId ? db`AND v.id = ${vehicleId}` : db``}
    ORDER BY b.bound_at, v.id`;
}

export async function vehicleFacts(db: Db, vehicleId: string) {
  const [row] = await db<{ states: string[]; plate_no: string | null; plate_kind: string; has_certificate_photo: boolean }[]>`
    SELECT states, plate_no, plate_kind, has_certificate_photo FROM vehicle WHERE id = ${vehicleId}`;
  return row;
}

/** Items of each vehicle with an application in progress. */
export async function openItems(db: Db, vehicleIds: string[]) {
  if (!vehicleIds.length) return [];
  return db<{ vehicle_id: string; item: Item }[]>`
    SELECT vehicle_id, item FROM replacement_application
    WHERE vehicle_id = ANY(${vehicleIds}) AND status IN ('submitted', 'accepted', 'produced', 'sent', 'ready_for_pickup')`;
}

/** R-27.4: earlier plate applications of each vehicle that were not rejected or cancelled. */
export async function earlierPlateApplications(db: Db, vehicleIds: string[]) {
  if (!vehicleIds.length) return new Map<string, number>();
  const rows = await db<{ vehicle_id: string; n: number }[]>`
    SELECT vehicle_id, count(*)::int AS n FROM replacement_application
    WHERE vehicle_id = ANY(${vehicleIds}) AND item = 'plate' AND status NOT IN ('rejected', 'cancelled')
    GROUP BY vehicle_id`;
  return new Map(rows.map((r) => [r.vehicle_id, r.n]));
}

export type CitySettingRow = { authority_id: string; authority_name: string; online_plate_kinds: string[]; note: string; updated_at: Date | null; updated_by_label: string | null };

export async function citySettings(db: Db, authorityIds: string[]) {
  if (!authorityIds.length) return [];
  return db<CitySettingRow[]>`
    SELECT a.id AS authority_id, a.name AS authority_name, COALESCE(s.online_plate_kinds, '{}') AS online_plate_kinds, COALESCE(s.note, '') AS note,
           s.updated_at, sm.display_name AS updated_by_label
    FROM authority a LEFT JOIN replacement_city_setting s ON s.authority_id = a.id LEFT JOIN staff_member sm ON sm.id = s.updated_by
    WHERE a.id = ANY(${authorityIds}) AND a.level = 'city'
    ORDER BY a.id`;
}

export async function upsertCitySetting(db: Db, s: { authorityId: string; onlinePlateKinds: string[]; note: string; staffId: string; now: Date }) {
  await db`
    INSERT INTO replacement_city_setting (authority_id, online_plate_kinds, note, updated_by, updated_at)
    VALUES (${s.authorityId}, ${s.onlinePlateKinds}, ${s.note}, ${s.staffId}, ${s.now})
    ON CONFLICT (authority_id) DO UPDATE SET online_plate_kinds = EXCLUDED.online_plate_kinds, note = EXCLUDED.note,
      updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`;
}

export type BarRow = { id: string; reason: 'refused' | 'not_collected'; starts_at: Date; ends_on: string; application_id: string; reference: string };

/** R-27.6: bars of the account or of the same person under another account. */
export async function barsOf(db: Db, userId: string, idNumber: string | null) {
  return db<BarRow[]>`
    SELECT b.id, b.reason, b.starts_at, b.ends_on, b.application_id, COALESCE(ra.reference, b.reference) AS reference
    FROM replacement_bar b LEFT JOIN replacement_application ra ON ra.id = b.application_id  -- X-4.1.9: a licence application's bar too (0016)
    WHERE b.user_account_id = ${userId} ${idNumber ? db`OR b.subject_id_number = ${idNumber}` : db``}
    ORDER BY b.ends_on DESC`;
}

export async function insertBar(db: Db, b: { userId: string; subjectIdNumber: string; applicationId: string; reason: 'refused' | 'not_collected'; startsAt: Date; endsOn: string; authorityId: string }) {
  await db`
    INSERT INTO replacement_bar (user_account_id, subject_id_number, application_id, reason, starts_at, ends_on, authority_id)
    VALUES (${b.userId}, ${b.subjectIdNumber}, ${b.applicationId}, ${b.reason}, ${b.startsAt}, ${b.endsOn}, ${b.authorityId})
    ON CONFLICT (application_id) DO NOTHING`;
}

// ---------------------------------------------------------------------------
// Applications
// ---------------------------------------------------------------------------

export async function nextReferenceSeq(db: Db): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT nextval('replacement_ref_seq')::int AS n`;
  return row!.n;
}

export type ApplicationRow = {
  id: string;
  reference: string;
  user_account_id: string;
  vehicle_id: string;
  authority_id: string;
  authority_name: string;
  item: Item;
  kind: 'replacement' | 'exchange';
  reason_note: string;
  plate_no: string | null;
  plate_kind: string;
  brand_model: string;
  vin: string;
  delivery: 'post' | 'pickup';
  recipient_name: string | null;
  recipient_phone: string | null;
  postal_address: string | null;
  postcode: string | null;
  temp_plate_requested: boolean;
  insurance_upload_id: string | null;
  status: Status;
  submitted_at: Date;
  accept_deadline: Date;
  accepted_at: Date | null;
  insurance_check: Record<string, boolean> | null;
  rejected_at: Date | null;
  rejection_reason: string | null;
  cancelled_at: Date | null;
  produced_at: Date | null;
  core_number: string | null;
  temp_plate_no: string | null;
  sent_at: Date | null;
  post_message_id: string | null;
  post_status: string | null;
  tracking_no: string | null;
  ready_at: Date | null;
  pickup_deadline_day: string | null;
  completed_at: Date | null;
  old_item_handed_over: boolean | null;
  failed_at: Date | null;
  archived_at: Date | null;
  old_item_destroyed_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  applicant_name: string;
  applicant_phone: string;
  applicant_id_number: string | null;
  upload_file_name: string | null;
  upload_content_type: string | null;
  upload_size_bytes: number | null;
  upload_sha256: string | null;
};

const applicationSelect = (db: Db) => db`
  SELECT ra.*, a.name AS authority_name, v.brand_model, v.vin,
         om.status AS post_status, om.provider_ref AS tracking_no,
         COALESCE(o.name, p.name) AS applicant_name, ua.phone AS applicant_phone, COALESCE(o.uscc, p.id_number) AS applicant_id_number,
         up.file_name AS upload_file_name, up.content_type AS upload_content_type, up.size_bytes AS upload_size_bytes, up.sha256 AS upload_sha256
  FROM replacement_application ra
  JOIN authority a ON a.id = ra.authority_id
  JOIN vehicle v ON v.id = ra.vehicle_id
  JOIN user_account ua ON ua.id = ra.user_account_id
  LEFT JOIN person p ON p.id = ua.person_id
  LEFT JOIN organisation o ON o.id = ua.organisation_id
  LEFT JOIN outbox_message om ON om.id = ra.post_message_id
  LEFT JOIN upload up ON up.id = ra.insurance_upload_id`;

export async function insertApplication(db: Db, a: {
  reference: string; userId: string; vehicleId: string; authorityId: string; item: Item; kind: string; reasonNote: string; plateNo: string | null; plateKind: string;
  delivery: string; recipientName: string | null; recipientPhone: string | null; postalAddress: string | null; postcode: string | null;
  tempPlate: boolean; insuranceUploadId: string | null; submittedAt: Date; acceptDeadline: Date;
}) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO replacement_application (reference, user_account_id, vehicle_id, authority_id, item, kind, reason_note, plate_no, plate_kind,
      delivery, recipient_name, recipient_phone, postal_address, postcode, temp_plate_requested, insurance_upload_id,
      status, submitted_at, accept_deadline, updated_at)
    VALUES (${a.reference}, ${a.userId}, ${a.vehicleId}, ${a.authorityId}, ${a.item}, ${a.kind}, ${a.reasonNote}, ${a.plateNo}, ${a.plateKind},
      ${a.delivery}, ${a.recipientName}, ${a.recipientPhone}, ${a.postalAddress}, ${a.postcode}, ${a.tempPlate}, ${a.insuranceUploadId},
      'submitted', ${a.submittedAt}, ${a.acceptDeadline}, ${a.submittedAt})
    RETURNING id`;
  return row!.id;
}

export async function insertEvent(db: Db, applicationId: string, at: Date, status: string, note: string | null = null) {
  await db`INSERT INTO replacement_event (application_id, at, status, note) VALUES (${applicationId}, ${at}, ${status}, ${note})`;
}

export async function eventsOf(db: Db, applicationIds: string[]) {
  if (!applicationIds.length) return [];
  return db<{ application_id: string; at: Date; status: string; note: string | null }[]>`
    SELECT application_id, at, status, note FROM replacement_event WHERE application_id = ANY(${applicationIds}) ORDER BY at, id`;
}

/** One application, seen by its applicant or by staff of the listed authorities. */
export async function findApplication(db: Db, id: string, scope: { userId: string } | { authorities: string[] } | 'system') {
  const where =
    scope === 'system'
      ? db``
      : 'userId' in scope
        ? db`AND ra.user_account_id = ${scope.userId}`
        : db`AND ra.authority_id = ANY(${scope.authorities})`;
  const [row] = await db<ApplicationRow[]>`${applicationSelect(db)} WHERE ra.id = ${id} ${where}`;
  return row;
}

/** Row lock on the application for a state change (two staff clicking at once). */
export async function lockApplication(db: Db, id: string) {
  const [row] = await db<{ status: Status }[]>`SELECT status FROM replacement_application WHERE id = ${id} FOR UPDATE`;
  return row;
}

export async function applicationsOfUser(db: Db, userId: string) {
  return db<ApplicationRow[]>`${applicationSelect(db)} WHERE ra.user_account_id = ${userId} ORDER BY ra.submitted_at DESC, ra.id LIMIT 100`;
}

/**
 * The staff queues. `queue=intake`: still with 受理岗; `queue=archive`: with
 * 档案岗 (to file, to destroy, to close). Default order: acceptance deadline first.
 */
export async function listApplications(db: Db, q: ListQuery, authorities: string[]) {
  const status = filterString(q.filter, 'status');
  const queue = filterString(q.filter, 'queue');
  const item = filterString(q.filter, 'item');
  const search = filterString(q.filter, 'q')?.toUpperCase();
  const where = db`
    WHERE ra.authority_id = ANY(${authorities})
    ${status ? db`AND ra.status = ${status}` : db``}
    ${item ? db`AND ra.item = ${item}` : db``}
    ${queue === 'intake' ? db`AND ra.status IN ('submitted', 'accepted', 'produced', 'sent', 'ready_for_pickup')` : db``}
    ${queue === 'archive'
      ? db`AND ((ra.archived_at IS NULL AND ra.status IN ('produced', 'sent', 'ready_for_pickup', 'delivered', 'picked_up'))
               OR ra.status IN ('refused', 'not_collected')
               OR (ra.old_item_handed_over AND ra.old_item_destroyed_at IS NULL))`
      : db``}
    ${search ? db`AND (ra.reference = ${search} OR ra.plate_no ILIKE ${'%' + search + '%'})` : db``}`;
  const column = ({ acceptDeadline: 'accept_deadline', submittedAt: 'submitted_at', status: 'status', reference: 'reference', updatedAt: 'updated_at', plateNo: 'plate_no' } as Record<string, string>)[q.sortField] ?? 'accept_deadline';
  const rows = await db<ApplicationRow[]>`
    SELECT x.* FROM (${applicationSelect(db)} ${where}) x
    ORDER BY ${db('x.' + column)} ${q.sortDesc ? db`DESC NULLS LAST` : db`ASC NULLS LAST`}, x.submitted_at, x.id
    OFFSET ${q.offset} LIMIT ${q.limit}`;
  const [count] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM replacement_application ra ${where}`;
  return { rows, total: count?.n ?? 0 };
}

/** Applies a state change to a row the caller locked; `patch` keys are column names. */
export async function updateApplication(db: Db, id: string, patch: Record<string, unknown>) {
  await db`UPDATE replacement_application SET ${db(patch as Record<string, string>)} WHERE id = ${id}`;
}

/** Whose account an application is: its person and organisation, for the citizen's access log (issue 17). */
export async function accountOwner(db: Db, userId: string) {
  const [row] = await db<{ person_id: string | null; organisation_id: string | null }[]>`SELECT person_id, organisation_id FROM user_account WHERE id = ${userId}`;
  return row;
}
