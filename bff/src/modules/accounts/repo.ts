/**
 * SQL of the accounts module that its three parts share, and of the account
 * itself: user accounts, persons and their records (R-7.1, R-11), changes,
 * suspension and cancellation (R-15, R-21), the vehicle and licence lookups
 * and bindings every part reads or writes, the new-car owner's preselections
 * (R-21.1.4), the certificate photos (R-15, R-18) and the accounts staff see
 * (PD-9). Bindings' own SQL is in bindings.repo.ts, the counter's in
 * counter.repo.ts.
 */
import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

export type UserRow = {
  id: string; name: string; phone: string; id_number: string | null; kind: 'personal' | 'organisation';
  personal_type: 'owner_driver' | 'learner' | 'new_car_owner' | null; registration_channel: 'online' | 'counter';
  status: 'active' | 'suspended' | 'cancelled'; authority_id: string | null;
  person_id: string | null; organisation_id: string | null; email: string | null; postal_address: string | null; postcode: string | null;
  password_hash: string | null; created_at: Date; suspended_at: Date | null;
};

const USER_COLUMNS = (db: Db) => db`
  ua.id, COALESCE(o.name, p.name) AS name, ua.phone, COALESCE(o.uscc, p.id_number) AS id_number, ua.kind,
  ua.personal_type, ua.registration_channel, ua.status, ua.authority_id, ua.person_id, ua.organisation_id,
  ua.email, ua.postal_address, ua.postcode, ua.password_hash, ua.created_at, ua.suspended_at`;

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`
    SELECT ${USER_COLUMNS(db)}
    FROM user_account ua
    LEFT JOIN person p ON p.id = ua.person_id
    LEFT JOIN organisation o ON o.id = ua.organisation_id
    WHERE ua.id = ${id}`;
  return row;
}

/** Locks the account row: serialises binds (R-16.3), changes and cancellation of one user. */
export async function lockUser(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`
    SELECT ${USER_COLUMNS(db)}
    FROM user_account ua
    LEFT JOIN person p ON p.id = ua.person_id
    LEFT JOIN organisation o ON o.id = ua.organisation_id
    WHERE ua.id = ${id}
    FOR UPDATE OF ua`;
  return row;
}

export async function livePersonalAccountOf(db: Db, personId: string): Promise<{ id: string; personal_type: string | null; status: string } | undefined> {
  const [row] = await db<{ id: string; personal_type: string | null; status: string }[]>`
    SELECT id, personal_type, status FROM user_account WHERE person_id = ${personId} AND kind = 'personal' AND status <> 'cancelled'`;
  return row;
}

export async function liveAccountOfOrganisation(db: Db, organisationId: string): Promise<{ id: string; status: string } | undefined> {
  const [row] = await db<{ id: string; status: string }[]>`
    SELECT id, status FROM user_account WHERE organisation_id = ${organisationId} AND kind = 'organisation' AND status <> 'cancelled'`;
  return row;
}

export async function phoneTaken(db: Db, phone: string, exceptUserId: string | null): Promise<boolean> {
  const rows = await db`SELECT 1 FROM user_account WHERE phone = ${phone} AND status <> 'cancelled' AND id IS DISTINCT FROM ${exceptUserId}`;
  return rows.length > 0;
}

export type VehicleBindingRow = {
  id: string; plate_no: string | null; plate_kind: string; vehicle_type: string; brand_model: string; vin: string; states: string[];
  inspection_valid_until: string | null; kind: 'own' | 'non_own' | 'organisation'; bound_at: Date;
};

export async function boundVehicles(db: Db, userId: string) {
  return db<VehicleBindingRow[]>`
    SELECT v.id, v.plate_no, v.plate_kind, v.vehicle_type, v.brand_model, v.vin, v.states, v.inspection_valid_until, b.kind, b.bound_at
    FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id
    WHERE b.user_account_id = ${userId} AND b.unbound_at IS NULL
    ORDER BY b.kind, v.plate_no NULLS LAST`;
}

/**
 * "My account" in one statement (the read path every signed-in page starts
 * with): the account, its bound vehicles and its bound licences, the lists as
 * JSON in the same order as {@link boundVehicles} and {@link boundLicences}.
 */
export async function accountHome(db: Db, userId: string) {
  const [row] = await db<(UserRow & { vehicles: Omit<VehicleBindingRow, 'bound_at'>[]; licences: LicenceBindingRow[] })[]>`
    SELECT ${USER_COLUMNS(db)},
      (SELECT COALESCE(json_agg(x), '[]') FROM (
         SELECT v.id, v.plate_no, v.plate_kind, v.vehicle_type, v.brand_model, v.vin, v.states, v.inspection_valid_until, b.kind
         FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id
         WHERE b.user_account_id = ua.id AND b.unbound_at IS NULL
         ORDER BY b.kind, v.plate_no NULLS LAST) x) AS vehicles,
      (SELECT COALESCE(json_agg(x), '[]') FROM (
         SELECT l.id, l.licence_no, l.classes, l.valid_until, l.status, l.points, b.kind, p2.name AS holder_name, l.has_certificate_photo
         FROM licence_binding b JOIN driving_licence l ON l.id = b.licence_id JOIN person p2 ON p2.id = l.person_id
         WHERE b.user_account_id = ua.id AND b.unbound_at IS NULL
         ORDER BY l.valid_until) x) AS licences
    FROM user_account ua
    LEFT JOIN person p ON p.id = ua.person_id
    LEFT JOIN organisation o ON o.id = ua.organisation_id
    WHERE ua.id = ${userId}`;
  return row;
}

export type LicenceBindingRow = { id: string; licence_no: string; classes: string; valid_until: string; status: string; points: number; kind: 'own' | 'organisation'; holder_name: string; has_certificate_photo: boolean };

export async function boundLicences(db: Db, userId: string) {
  return db<LicenceBindingRow[]>`
    SELECT l.id, l.licence_no, l.classes, l.valid_until, l.status, l.points, b.kind, p.name AS holder_name, l.has_certificate_photo
    FROM licence_binding b JOIN driving_licence l ON l.id = b.licence_id JOIN person p ON p.id = l.person_id
    WHERE b.user_account_id = ${userId} AND b.unbound_at IS NULL
    ORDER BY l.valid_until`;
}

export async function findPersonByIdNumber(db: Db, idNumber: string) {
  const [row] = await db<{ id: string; name: string; deceased: boolean }[]>`
    SELECT id, name, deceased FROM person WHERE id_type = 'resident_id' AND id_number = ${idNumber} FOR UPDATE`;
  return row;
}

export type PersonRow = { id: string; id_type: string; id_number: string; name: string; sex: string; birth_date: string; deceased: boolean; has_photo: boolean; phone: string | null };

export async function findPerson(db: Db, idType: string, idNumber: string): Promise<PersonRow | undefined> {
  const [row] = await db<PersonRow[]>`
    SELECT id, id_type, id_number, name, sex, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, deceased, has_photo, phone
    FROM person WHERE id_type = ${idType} AND id_number = ${idNumber}`;
  return row;
}

export async function findPersonById(db: Db, id: string): Promise<PersonRow | undefined> {
  const [row] = await db<PersonRow[]>`
    SELECT id, id_type, id_number, name, sex, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, deceased, has_photo, phone
    FROM person WHERE id = ${id}`;
  return row;
}

export async function disqualificationsOf(db: Db, personId: string) {
  return db<{ kind: string; since: string; until: string | null }[]>`
    SELECT kind, to_char(since, 'YYYY-MM-DD') AS since, to_char(until, 'YYYY-MM-DD') AS until FROM person_disqualification WHERE person_id = ${personId}`;
}

/** What registration looks at (R-7.1, R-11): registered vehicles, licences, accepted first-licence applications, new cars. */
export async function recordsOfPerson(db: Db, personId: string) {
  const vehicles = await db<{ id: string; owner_phone: string; states: string[]; plate_no: string | null; registration_authority_id: string; has_certificate_photo: boolean }[]>`
    SELECT id, owner_phone, states, plate_no, registration_authority_id, has_certificate_photo FROM vehicle WHERE owner_person_id = ${personId}`;
  const licences = await db<{ id: string; phone: string; status: string; issuing_authority_id: string; has_certificate_photo: boolean }[]>`
    SELECT id, phone, status, issuing_authority_id, has_certificate_photo FROM driving_licence WHERE person_id = ${personId}`;
  const applications = await db<{ id: string; phone: string }[]>`
    SELECT id, phone FROM licence_application WHERE person_id = ${personId} AND status = 'accepted'`;
  return {
    vehicles,
    registered: vehicles.filter((v) => v.plate_no !== null),
    newCars: vehicles.filter((v) => v.plate_no === null && !v.states.some((s) => s !== 'normal')),
    licences,
    applications,
  };
}

export async function insertUser(
  db: Db,
  u: { personId: string; phone: string; passwordHash: string | null; personalType: string; channel: 'online' | 'counter'; now: Date; authorityId?: string | null; email?: string | null; postalAddress?: string | null; postcode?: string | null },
) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, password_hash, created_at, authority_id, email, postal_address, postcode)
    VALUES ('personal', ${u.personalType}, ${u.channel}, ${u.personId}, ${u.phone}, ${u.passwordHash}, ${u.now}, ${u.authorityId ?? null},
            ${u.email ?? null}, ${u.postalAddress ?? null}, ${u.postcode ?? null})
    RETURNING id`;
  return row!.id;
}

export async function insertOrganisationUser(db: Db, u: { organisationId: string; agentPersonId: string; phone: string; email: string | null; authorityId: string; now: Date }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO user_account (kind, personal_type, registration_channel, person_id, organisation_id, phone, email, authority_id, created_at)
    VALUES ('organisation', NULL, 'counter', ${u.agentPersonId}, ${u.organisationId}, ${u.phone}, ${u.email}, ${u.authorityId}, ${u.now})
    RETURNING id`;
  return row!.id;
}

export async function setPersonalType(db: Db, userId: string, personalType: string) {
  await db`UPDATE user_account SET personal_type = ${personalType} WHERE id = ${userId}`;
}

export async function updateContact(db: Db, userId: string, c: { email: string | null; postalAddress: string | null; postcode: string | null }) {
  await db`UPDATE user_account SET email = ${c.email}, postal_address = ${c.postalAddress}, postcode = ${c.postcode} WHERE id = ${userId}`;
}

export async function updatePhone(db: Db, userId: string, phone: string) {
  await db`UPDATE user_account SET phone = ${phone} WHERE id = ${userId}`;
}

/** R-11.3: the phone given at the counter replaces the one in the person's vehicle and licence records. */
export async function writePhoneThrough(db: Db, personId: string, phone: string) {
  const v = await db`UPDATE vehicle SET owner_phone = ${phone} WHERE owner_person_id = ${personId} AND owner_phone <> ${phone} RETURNING id`;
  const l = await db`UPDATE driving_licence SET phone = ${phone} WHERE person_id = ${personId} AND phone <> ${phone} RETURNING id`;
  return { vehicles: v.length, licences: l.length };
}

export async function setPassword(db: Db, userId: string, hash: string) {
  await db`UPDATE user_account SET password_hash = ${hash} WHERE id = ${userId}`;
}

export async function suspendUser(db: Db, userId: string, now: Date) {
  await db`UPDATE user_account SET status = 'suspended', suspended_at = ${now} WHERE id = ${userId}`;
}

export async function markCancelled(db: Db, userId: string, reason: string, now: Date) {
  await db`UPDATE user_account SET status = 'cancelled', cancelled_at = ${now}, cancel_reason = ${reason} WHERE id = ${userId}`;
}

export async function insertCancellation(db: Db, c: { userId: string; kind: string; reason: string; note: string; staffId: string | null; authorityId: string | null; now: Date }) {
  await db`
    INSERT INTO account_cancellation (user_account_id, kind, reason, note, staff_id, authority_id, at)
    VALUES (${c.userId}, ${c.kind}, ${c.reason}, ${c.note}, ${c.staffId}, ${c.authorityId}, ${c.now})`;
}

/** Ends every binding the account holds (its own rows; licences it bound to units are the units' rows). */
export async function endAllBindingsOf(db: Db, userId: string, reason: string, now: Date) {
  const v = await db`UPDATE vehicle_binding SET unbound_at = ${now}, unbind_reason = ${reason} WHERE user_account_id = ${userId} AND unbound_at IS NULL RETURNING id`;
  const l = await db`UPDATE licence_binding SET unbound_at = ${now}, unbind_reason = ${reason} WHERE user_account_id = ${userId} AND unbound_at IS NULL RETURNING id`;
  return v.length + l.length;
}

/**
 * The plates module's preselections of a user (R-21.1.4). Its table comes with
 * migration 0003; when it is absent nobody has preselected anything.
 */
export async function preselectionsOf(db: Db, userId: string): Promise<{ status: string; deadline: Date | null }[]> {
  const [t] = await db<{ present: boolean }[]>`SELECT to_regclass('plate_preselection') IS NOT NULL AS present`;
  if (!t?.present) return [];
  return db<{ status: string; deadline: Date | null }[]>`SELECT status, deadline FROM plate_preselection WHERE user_account_id = ${userId}`;
}

// ---------------------------------------------------------------------------
// Vehicles, licences and their bindings (read and written by every part)
// ---------------------------------------------------------------------------

export type VehicleRow = {
  id: string; vin: string; plate_no: string | null; brand_model: string; vehicle_type: string; plate_kind: string; use_nature: 'operating' | 'non_operating';
  owner_person_id: string | null; owner_organisation_id: string | null; owner_phone: string; registration_authority_id: string; states: string[];
  has_certificate_photo: boolean;
};

export async function findVehicle(db: Db, id: string, lock = false): Promise<VehicleRow | undefined> {
  const [row] = await db<VehicleRow[]>`
    SELECT id, vin, plate_no, brand_model, vehicle_type, plate_kind, use_nature, owner_person_id, owner_organisation_id, owner_phone,
           registration_authority_id, states, has_certificate_photo
    FROM vehicle WHERE id = ${id} ${lock ? db`FOR UPDATE` : db``}`;
  return row;
}

export async function findVehicleByPlate(db: Db, plateNo: string): Promise<VehicleRow | undefined> {
  const [row] = await db<VehicleRow[]>`
    SELECT id, vin, plate_no, brand_model, vehicle_type, plate_kind, use_nature, owner_person_id, owner_organisation_id, owner_phone,
           registration_authority_id, states, has_certificate_photo
    FROM vehicle WHERE plate_no = ${plateNo}`;
  return row;
}

export type LicenceRow = { id: string; licence_no: string; person_id: string; classes: string; status: string; valid_until: string; issuing_authority_id: string; has_certificate_photo: boolean };

export async function findLicence(db: Db, id: string, lock = false): Promise<LicenceRow | undefined> {
  const [row] = await db<LicenceRow[]>`
    SELECT id, licence_no, person_id, classes, status, to_char(valid_until, 'YYYY-MM-DD') AS valid_until, issuing_authority_id, has_certificate_photo
    FROM driving_licence WHERE id = ${id} ${lock ? db`FOR UPDATE` : db``}`;
  return row;
}

export async function findLicenceByNo(db: Db, licenceNo: string): Promise<LicenceRow | undefined> {
  const [row] = await db<LicenceRow[]>`
    SELECT id, licence_no, person_id, classes, status, to_char(valid_until, 'YYYY-MM-DD') AS valid_until, issuing_authority_id, has_certificate_photo
    FROM driving_licence WHERE licence_no = ${licenceNo}`;
  return row;
}

export async function bindVehicle(db: Db, userId: string, vehicleId: string, kind: 'own' | 'non_own' | 'organisation', now: Date) {
  await db`INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind, bound_at) VALUES (${userId}, ${vehicleId}, ${kind}, ${now})`;
}

export async function bindLicence(db: Db, userId: string, licenceId: string, kind: 'own' | 'organisation', now: Date) {
  await db`INSERT INTO licence_binding (user_account_id, licence_id, kind, bound_at) VALUES (${userId}, ${licenceId}, ${kind}, ${now})`;
}

export async function activeVehicleBinding(db: Db, userId: string, vehicleId: string) {
  const [row] = await db<{ id: string; kind: string }[]>`
    SELECT id, kind FROM vehicle_binding WHERE user_account_id = ${userId} AND vehicle_id = ${vehicleId} AND unbound_at IS NULL`;
  return row;
}

export async function activeLicenceBinding(db: Db, userId: string, licenceId: string) {
  const [row] = await db<{ id: string; kind: string }[]>`
    SELECT id, kind FROM licence_binding WHERE user_account_id = ${userId} AND licence_id = ${licenceId} AND unbound_at IS NULL`;
  return row;
}

// ---------------------------------------------------------------------------
// Certificate photos (R-15, R-18) and the accounts staff see (PD-9)
// ---------------------------------------------------------------------------

export type PhotoRow = {
  id: string; user_account_id: string; licence_id: string; upload_id: string; authority_id: string; status: 'submitted' | 'approved' | 'rejected';
  submitted_at: Date; due_at: Date; reviewed_at: Date | null; reject_reason: string | null; holder_name: string; licence_no: string; person_id: string;
};

const PHOTO_COLUMNS = (db: Db) => db`
  c.id, c.user_account_id, c.licence_id, c.upload_id, c.authority_id, c.status, c.submitted_at, c.due_at, c.reviewed_at, c.reject_reason,
  p.name AS holder_name, l.licence_no, l.person_id`;

export async function insertPhotoSubmission(db: Db, s: { userId: string; licenceId: string; uploadId: string; authorityId: string; now: Date; dueAt: Date }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO certificate_photo_submission (user_account_id, licence_id, upload_id, authority_id, submitted_at, due_at)
    VALUES (${s.userId}, ${s.licenceId}, ${s.uploadId}, ${s.authorityId}, ${s.now}, ${s.dueAt})
    RETURNING id`;
  return row!.id;
}

export async function photosOfUser(db: Db, userId: string) {
  return db<PhotoRow[]>`
    SELECT ${PHOTO_COLUMNS(db)} FROM certificate_photo_submission c JOIN driving_licence l ON l.id = c.licence_id JOIN person p ON p.id = l.person_id
    WHERE c.user_account_id = ${userId} ORDER BY c.submitted_at DESC LIMIT 20`;
}

export async function listPhotos(db: Db, q: ListQuery, authorities: string[], status: string | undefined) {
  const rows = await db<(PhotoRow & { total: number })[]>`
    SELECT ${PHOTO_COLUMNS(db)}, count(*) OVER ()::int AS total
    FROM certificate_photo_submission c JOIN driving_licence l ON l.id = c.licence_id JOIN person p ON p.id = l.person_id
    WHERE c.authority_id = ANY(${authorities}) ${status ? db`AND c.status = ${status}` : db``}
    ORDER BY c.due_at ${q.sortDesc ? db`DESC` : db`ASC`}, c.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function findPhoto(db: Db, id: string, authorities: string[], lock = false) {
  const [row] = await db<PhotoRow[]>`
    SELECT ${PHOTO_COLUMNS(db)} FROM certificate_photo_submission c JOIN driving_licence l ON l.id = c.licence_id JOIN person p ON p.id = l.person_id
    WHERE c.id = ${id} AND c.authority_id = ANY(${authorities}) ${lock ? db`FOR UPDATE OF c` : db``}`;
  return row;
}

export async function decidePhoto(db: Db, id: string, status: 'approved' | 'rejected', staffId: string, reason: string | null, now: Date) {
  await db`UPDATE certificate_photo_submission SET status = ${status}, reviewed_by = ${staffId}, reviewed_at = ${now}, reject_reason = ${reason} WHERE id = ${id}`;
}

export async function markLicencePhoto(db: Db, licenceId: string) {
  await db`UPDATE driving_licence SET has_certificate_photo = true WHERE id = ${licenceId}`;
}

/** The on-site photo taken when the user registered at the counter (R-18 compares against it). */
export async function registrationPhotoOf(db: Db, userId: string) {
  const [row] = await db<{ upload_id: string }[]>`
    SELECT d.upload_id FROM account_application a JOIN account_application_document d ON d.application_id = a.id AND d.purpose = 'onsite_photo'
    WHERE a.user_account_id = ${userId} AND a.kind = 'registration' AND a.status = 'approved'
    ORDER BY a.decided_at DESC LIMIT 1`;
  return row?.upload_id ?? null;
}

export { visibleAuthorities } from '../../platform/authorities.ts';

export type UserListRow = { id: string; name: string; phone: string; id_number: string | null; kind: string; personal_type: string | null; registration_channel: string; status: string; authority_id: string | null; created_at: Date; cancelled_at: Date | null; cancel_reason: string | null };

/** Accounts staff may act on: local ones of their authority; national personal ones when searched by exact phone or ID (PD-9). */
export async function listUsers(db: Db, q: ListQuery, authorities: string[], search: string | undefined) {
  const rows = await db<(UserListRow & { total: number })[]>`
    SELECT ua.id, COALESCE(o.name, p.name) AS name, ua.phone, COALESCE(o.uscc, p.id_number) AS id_number, ua.kind, ua.personal_type, ua.registration_channel,
           ua.status, ua.authority_id, ua.created_at, ua.cancelled_at, ua.cancel_reason, count(*) OVER ()::int AS total
    FROM user_account ua LEFT JOIN person p ON p.id = ua.person_id LEFT JOIN organisation o ON o.id = ua.organisation_id
    WHERE ${search
      ? db`(ua.phone = ${search} OR p.id_number = ${search} OR o.uscc = ${search}) AND (ua.authority_id IS NULL OR ua.authority_id = ANY(${authorities}))`
      : db`ua.authority_id = ANY(${authorities})`}
    ORDER BY ua.created_at ${q.sortDesc ? db`DESC` : db`ASC`}, ua.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function sessionsEnd(db: Db, userId: string) {
  await db`DELETE FROM session WHERE principal_kind = 'user' AND principal_id = ${userId}`;
}

/** When and why an account was cancelled (R-21), for the staff's record page. */
export async function cancellationOf(db: Db, userId: string): Promise<{ cancelled_at: Date | null; cancel_reason: string | null }> {
  const [row] = await db<{ cancelled_at: Date | null; cancel_reason: string | null }[]>`SELECT cancelled_at, cancel_reason FROM user_account WHERE id = ${userId}`;
  return row ?? { cancelled_at: null, cancel_reason: null };
}
