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

// ---------------------------------------------------------------------------
// Bindings
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

export async function endVehicleBindings(db: Db, ids: readonly string[], reason: string, now: Date) {
  if (ids.length === 0) return 0;
  const rows = await db`UPDATE vehicle_binding SET unbound_at = ${now}, unbind_reason = ${reason} WHERE id = ANY(${db.array(ids as string[])}::uuid[]) AND unbound_at IS NULL RETURNING id`;
  return rows.length;
}

export async function endLicenceBindings(db: Db, ids: readonly string[], reason: string, now: Date) {
  if (ids.length === 0) return 0;
  const rows = await db`UPDATE licence_binding SET unbound_at = ${now}, unbind_reason = ${reason} WHERE id = ANY(${db.array(ids as string[])}::uuid[]) AND unbound_at IS NULL RETURNING id`;
  return rows.length;
}

export async function countNonOwn(db: Db, userId: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM vehicle_binding WHERE user_account_id = ${userId} AND kind = 'non_own' AND unbound_at IS NULL`;
  return row!.n;
}

export async function pendingNonOwnApplications(db: Db, userId: string, exceptApplicationId: string | null = null): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM account_application
    WHERE user_account_id = ${userId} AND change_kind = 'bind_non_own_vehicle' AND status IN ('review', 'returned') AND id IS DISTINCT FROM ${exceptApplicationId}`;
  return row!.n;
}

/** Own vehicles and licences of a person that are not bound to the user (R-9.1.1). */
export async function bindableOf(db: Db, userId: string, personId: string) {
  const vehicles = await db<{ id: string; plate_no: string | null; brand_model: string; vin: string; states: string[] }[]>`
    SELECT v.id, v.plate_no, v.brand_model, v.vin, v.states FROM vehicle v
    WHERE v.owner_person_id = ${personId} AND v.plate_no IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM vehicle_binding b WHERE b.vehicle_id = v.id AND b.user_account_id = ${userId} AND b.unbound_at IS NULL)
    ORDER BY v.plate_no`;
  const licences = await db<{ id: string; licence_no: string; classes: string; status: string }[]>`
    SELECT l.id, l.licence_no, l.classes, l.status FROM driving_licence l
    WHERE l.person_id = ${personId}
      AND NOT EXISTS (SELECT 1 FROM licence_binding b WHERE b.licence_id = l.id AND b.user_account_id = ${userId} AND b.unbound_at IS NULL)`;
  return { vehicles, licences };
}

/** Organisation vehicles not yet bound to the organisation's account (R-10.3.1). */
export async function bindableOfOrganisation(db: Db, userId: string, organisationId: string) {
  return db<{ id: string; plate_no: string | null; brand_model: string; vin: string; states: string[] }[]>`
    SELECT v.id, v.plate_no, v.brand_model, v.vin, v.states FROM vehicle v
    WHERE v.owner_organisation_id = ${organisationId} AND v.plate_no IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM vehicle_binding b WHERE b.vehicle_id = v.id AND b.user_account_id = ${userId} AND b.unbound_at IS NULL)
    ORDER BY v.plate_no`;
}

/** R-9.1.4: the organisations the person's licences are bound to. */
export async function organisationLinksOf(db: Db, personId: string) {
  return db<{ licence_id: string; user_account_id: string; organisation_name: string; uscc: string; bound_at: Date }[]>`
    SELECT b.licence_id, b.user_account_id, o.name AS organisation_name, o.uscc, b.bound_at
    FROM licence_binding b
    JOIN driving_licence l ON l.id = b.licence_id
    JOIN user_account ua ON ua.id = b.user_account_id AND ua.kind = 'organisation'
    JOIN organisation o ON o.id = ua.organisation_id
    WHERE l.person_id = ${personId} AND b.kind = 'organisation' AND b.unbound_at IS NULL
    ORDER BY b.bound_at`;
}

export async function findOrganisationAccountByUscc(db: Db, uscc: string) {
  const [row] = await db<{ user_id: string; organisation_id: string; name: string; status: string }[]>`
    SELECT ua.id AS user_id, o.id AS organisation_id, o.name, ua.status
    FROM organisation o JOIN user_account ua ON ua.organisation_id = o.id AND ua.kind = 'organisation' AND ua.status <> 'cancelled'
    WHERE o.uscc = ${uscc}`;
  return row;
}

export type HolderRow = { binding_id: string; user_kind: 'personal' | 'organisation'; person_id: string | null; organisation_id: string | null; user_account_id: string };

export async function vehicleHolders(db: Db, vehicleId: string) {
  return db<HolderRow[]>`
    SELECT b.id AS binding_id, ua.kind AS user_kind, ua.person_id, ua.organisation_id, ua.id AS user_account_id
    FROM vehicle_binding b JOIN user_account ua ON ua.id = b.user_account_id
    WHERE b.vehicle_id = ${vehicleId} AND b.unbound_at IS NULL`;
}

export async function licenceHolders(db: Db, licenceId: string) {
  return db<HolderRow[]>`
    SELECT b.id AS binding_id, ua.kind AS user_kind, ua.person_id, ua.organisation_id, ua.id AS user_account_id
    FROM licence_binding b JOIN user_account ua ON ua.id = b.user_account_id
    WHERE b.licence_id = ${licenceId} AND b.unbound_at IS NULL`;
}

// ---------------------------------------------------------------------------
// Records events (R-17) and first-licence applications (R-9.2)
// ---------------------------------------------------------------------------

export async function transferVehicle(db: Db, vehicleId: string, newOwnerPersonId: string, phone: string) {
  await db`UPDATE vehicle SET owner_person_id = ${newOwnerPersonId}, owner_organisation_id = NULL, owner_phone = ${phone} WHERE id = ${vehicleId}`;
}

export async function deregisterVehicle(db: Db, vehicleId: string) {
  await db`UPDATE vehicle SET states = array_append(array_remove(states, 'normal'), 'deregistered') WHERE id = ${vehicleId}`;
}

export async function makeNonOperating(db: Db, vehicleId: string) {
  await db`UPDATE vehicle SET use_nature = 'non_operating' WHERE id = ${vehicleId}`;
}

export async function cancelLicence(db: Db, licenceId: string) {
  await db`UPDATE driving_licence SET status = 'cancelled' WHERE id = ${licenceId}`;
}

export async function insertRecordsEvent(db: Db, e: { kind: string; vehicleId: string | null; licenceId: string | null; detail: Record<string, unknown>; unbound: number; staffId: string; authorityId: string; now: Date }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO records_event (kind, vehicle_id, licence_id, detail, unbound, recorded_by, authority_id, at)
    VALUES (${e.kind}, ${e.vehicleId}, ${e.licenceId}, ${db.json(e.detail as Parameters<Db['json']>[0])}, ${e.unbound}, ${e.staffId}, ${e.authorityId}, ${e.now})
    RETURNING id`;
  return row!.id;
}

export type RecordsEventRow = { id: string; kind: string; vehicle_id: string | null; licence_id: string | null; plate_no: string | null; licence_no: string | null; detail: Record<string, unknown>; unbound: number; authority_id: string; at: Date; recorded_by_name: string | null };

export async function listRecordsEvents(db: Db, q: ListQuery, authorities: string[]) {
  const rows = await db<(RecordsEventRow & { total: number })[]>`
    SELECT e.id, e.kind, e.vehicle_id, e.licence_id, v.plate_no, l.licence_no, e.detail, e.unbound, e.authority_id, e.at, s.display_name AS recorded_by_name,
           count(*) OVER ()::int AS total
    FROM records_event e
    LEFT JOIN vehicle v ON v.id = e.vehicle_id
    LEFT JOIN driving_licence l ON l.id = e.licence_id
    LEFT JOIN staff_member s ON s.id = e.recorded_by
    WHERE e.authority_id = ANY(${authorities})
    ORDER BY e.at ${q.sortDesc ? db`DESC` : db`ASC`}, e.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export type LicenceApplicationRow = { id: string; person_id: string; person_name: string; id_number: string; classes: string; phone: string; status: string; authority_id: string; accepted_at: Date; licence_id: string | null; issued_at: Date | null };

export async function listLicenceApplications(db: Db, q: ListQuery, authorities: string[], status: string | undefined) {
  const rows = await db<(LicenceApplicationRow & { total: number })[]>`
    SELECT a.id, a.person_id, p.name AS person_name, p.id_number, a.classes, a.phone, a.status, a.authority_id, a.accepted_at, a.licence_id, a.issued_at,
           count(*) OVER ()::int AS total
    FROM licence_application a JOIN person p ON p.id = a.person_id
    WHERE a.authority_id = ANY(${authorities}) ${status ? db`AND a.status = ${status}` : db``}
    ORDER BY a.accepted_at ${q.sortDesc ? db`DESC` : db`ASC`}, a.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function findLicenceApplication(db: Db, id: string, authorities: string[], lock = false) {
  const [row] = await db<LicenceApplicationRow[]>`
    SELECT a.id, a.person_id, p.name AS person_name, p.id_number, a.classes, a.phone, a.status, a.authority_id, a.accepted_at, a.licence_id, a.issued_at
    FROM licence_application a JOIN person p ON p.id = a.person_id
    WHERE a.id = ${id} AND a.authority_id = ANY(${authorities}) ${lock ? db`FOR UPDATE OF a` : db``}`;
  return row;
}

export async function insertLicence(db: Db, l: { licenceNo: string; personId: string; classes: string; day: string; validUntil: string; phone: string; authorityId: string }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO driving_licence (licence_no, person_id, classes, first_issued_on, valid_from, valid_until, status, points, phone, issuing_authority_id, has_certificate_photo)
    VALUES (${l.licenceNo}, ${l.personId}, ${l.classes}, ${l.day}, ${l.day}, ${l.validUntil}, 'valid', 0, ${l.phone}, ${l.authorityId}, true)
    RETURNING id`;
  return row!.id;
}

export async function markLicenceApplicationIssued(db: Db, id: string, licenceId: string, staffId: string, now: Date) {
  await db`UPDATE licence_application SET status = 'issued', licence_id = ${licenceId}, issued_at = ${now}, issued_by = ${staffId} WHERE id = ${id}`;
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
// Counter applications
// ---------------------------------------------------------------------------

export type ApplicationRow = {
  id: string; reference: string; authority_id: string; subject: 'person' | 'organisation'; kind: 'registration' | 'change';
  change_kind: 'contact' | 'bind_non_own_vehicle' | 'organisation_info' | null;
  status: 'review' | 'returned' | 'approved' | 'rejected' | 'completed';
  id_type: string; id_number: string; phone: string; form: Record<string, unknown>;
  person_id: string | null; organisation_id: string | null; user_account_id: string | null; vehicle_id: string | null;
  check_status: 'passed' | 'pending' | 'failed'; check_detail: Record<string, unknown>; checked_at: Date | null; photo_prompts: string[];
  prefill_code: string | null; accepted_by: string; accepted_by_name: string; accepted_at: Date; review_due_at: Date | null; overdue_at: Date | null;
  returned_note: string | null; returned_at: Date | null; resubmitted_at: Date | null; decided_by: string | null; decided_at: Date | null;
  reject_reason: string | null; updated_at: Date;
};

const APP_COLUMNS = (db: Db) => db`
  a.id, a.reference, a.authority_id, a.subject, a.kind, a.change_kind, a.status, a.id_type, a.id_number, a.phone, a.form,
  a.person_id, a.organisation_id, a.user_account_id, a.vehicle_id, a.check_status, a.check_detail, a.checked_at, a.photo_prompts,
  a.prefill_code, a.accepted_by, s.display_name AS accepted_by_name, a.accepted_at, a.review_due_at, a.overdue_at, a.returned_note, a.returned_at,
  a.resubmitted_at, a.decided_by, a.decided_at, a.reject_reason, a.updated_at`;

export async function nextApplicationSeq(db: Db): Promise<number> {
  const [row] = await db<{ n: string }[]>`SELECT nextval('account_application_ref_seq') AS n`;
  return Number(row!.n);
}

export async function insertApplication(
  db: Db,
  a: {
    reference: string; authorityId: string; subject: string; kind: string; changeKind: string | null; status: string; idType: string; idNumber: string; phone: string;
    form: Record<string, unknown>; personId: string | null; organisationId: string | null; userAccountId: string | null; vehicleId: string | null;
    checkStatus: string; checkDetail: Record<string, unknown>; checkedAt: Date | null; photoPrompts: string[]; prefillCode: string | null; trackTokenHash: string;
    acceptedBy: string; now: Date; reviewDueAt: Date | null;
  },
) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO account_application (reference, authority_id, subject, kind, change_kind, status, id_type, id_number, phone, form, person_id, organisation_id,
      user_account_id, vehicle_id, check_status, check_detail, checked_at, photo_prompts, prefill_code, track_token_hash, accepted_by, accepted_at, review_due_at, updated_at)
    VALUES (${a.reference}, ${a.authorityId}, ${a.subject}, ${a.kind}, ${a.changeKind}, ${a.status}, ${a.idType}, ${a.idNumber}, ${a.phone},
      ${db.json(a.form as Parameters<Db['json']>[0])}, ${a.personId}, ${a.organisationId}, ${a.userAccountId}, ${a.vehicleId}, ${a.checkStatus},
      ${db.json(a.checkDetail as Parameters<Db['json']>[0])}, ${a.checkedAt}, ${a.photoPrompts}, ${a.prefillCode}, ${a.trackTokenHash}, ${a.acceptedBy},
      ${a.now}, ${a.reviewDueAt}, ${a.now})
    RETURNING id`;
  return row!.id;
}

export async function setDocuments(db: Db, applicationId: string, docs: Record<string, string>) {
  await db`DELETE FROM account_application_document WHERE application_id = ${applicationId}`;
  for (const [purpose, uploadId] of Object.entries(docs)) {
    await db`INSERT INTO account_application_document (application_id, purpose, upload_id) VALUES (${applicationId}, ${purpose}, ${uploadId})`;
  }
}

export async function documentsOf(db: Db, applicationId: string) {
  return db<{ purpose: string; upload_id: string; content_type: string; size_bytes: number; sha256: string }[]>`
    SELECT d.purpose, d.upload_id, u.content_type, u.size_bytes, u.sha256
    FROM account_application_document d JOIN upload u ON u.id = d.upload_id
    WHERE d.application_id = ${applicationId} ORDER BY d.purpose`;
}

export async function findApplication(db: Db, id: string, opts: { authorities?: string[]; lock?: boolean } = {}): Promise<ApplicationRow | undefined> {
  const [row] = await db<ApplicationRow[]>`
    SELECT ${APP_COLUMNS(db)} FROM account_application a JOIN staff_member s ON s.id = a.accepted_by
    WHERE a.id = ${id} ${opts.authorities ? db`AND a.authority_id = ANY(${opts.authorities})` : db``}
    ${opts.lock ? db`FOR UPDATE OF a` : db``}`;
  return row;
}

export async function findApplicationByReference(db: Db, reference: string): Promise<ApplicationRow | undefined> {
  const [row] = await db<ApplicationRow[]>`
    SELECT ${APP_COLUMNS(db)} FROM account_application a JOIN staff_member s ON s.id = a.accepted_by WHERE a.reference = ${reference}`;
  return row;
}

export async function findApplicationByToken(db: Db, tokenHash: string): Promise<ApplicationRow | undefined> {
  const [row] = await db<ApplicationRow[]>`
    SELECT ${APP_COLUMNS(db)} FROM account_application a JOIN staff_member s ON s.id = a.accepted_by WHERE a.track_token_hash = ${tokenHash}`;
  return row;
}

export async function applicationsOfApplicant(db: Db, idType: string, idNumber: string, userId: string) {
  return db<ApplicationRow[]>`
    SELECT ${APP_COLUMNS(db)} FROM account_application a JOIN staff_member s ON s.id = a.accepted_by
    WHERE (a.id_type = ${idType} AND a.id_number = ${idNumber}) OR a.user_account_id = ${userId}
    ORDER BY a.accepted_at DESC LIMIT 50`;
}

const APP_SORT: Record<string, string> = { reviewDueAt: 'a.review_due_at', acceptedAt: 'a.accepted_at', reference: 'a.reference', status: 'a.status', id: 'a.id' };

export async function listApplications(db: Db, q: ListQuery, authorities: string[], f: { statuses?: string[]; checkStatus?: string; q?: string; subject?: string }) {
  const col = APP_SORT[q.sortField] ?? 'a.review_due_at';
  const rows = await db<(ApplicationRow & { total: number })[]>`
    SELECT ${APP_COLUMNS(db)}, count(*) OVER ()::int AS total
    FROM account_application a JOIN staff_member s ON s.id = a.accepted_by
    WHERE a.authority_id = ANY(${authorities})
      ${f.statuses ? db`AND a.status = ANY(${f.statuses})` : db``}
      ${f.checkStatus ? db`AND a.check_status = ${f.checkStatus}` : db``}
      ${f.subject ? db`AND a.subject = ${f.subject}` : db``}
      ${f.q ? db`AND (a.reference = ${f.q} OR a.id_number = ${f.q} OR a.phone = ${f.q})` : db``}
    ORDER BY ${db(col)} ${q.sortDesc ? db`DESC NULLS LAST` : db`ASC NULLS LAST`}, a.accepted_at, a.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function updateApplication(db: Db, id: string, set: Partial<{
  status: string; form: Record<string, unknown>; phone: string; personId: string | null; userAccountId: string | null; organisationId: string | null; vehicleId: string | null;
  checkStatus: string; checkDetail: Record<string, unknown>; checkedAt: Date | null; photoPrompts: string[]; returnedNote: string | null; returnedBy: string | null;
  returnedAt: Date | null; resubmittedAt: Date | null; decidedBy: string | null; decidedAt: Date | null; rejectReason: string | null; overdueAt: Date | null;
}>, now: Date) {
  const cols: Record<string, unknown> = { updated_at: now };
  const map: Record<string, string> = {
    status: 'status', phone: 'phone', personId: 'person_id', userAccountId: 'user_account_id', organisationId: 'organisation_id', vehicleId: 'vehicle_id',
    checkStatus: 'check_status', checkedAt: 'checked_at', photoPrompts: 'photo_prompts', returnedNote: 'returned_note', returnedBy: 'returned_by',
    returnedAt: 'returned_at', resubmittedAt: 'resubmitted_at', decidedBy: 'decided_by', decidedAt: 'decided_at', rejectReason: 'reject_reason', overdueAt: 'overdue_at',
  };
  for (const [k, v] of Object.entries(set)) {
    if (k === 'form' || k === 'checkDetail') cols[k === 'form' ? 'form' : 'check_detail'] = db.json(v as Parameters<Db['json']>[0]);
    else cols[map[k]!] = v;
  }
  await db`UPDATE account_application SET ${db(cols)} WHERE id = ${id}`;
}

// ---------------------------------------------------------------------------
// Prefill, archive, certificate photos, audit
// ---------------------------------------------------------------------------

export async function insertPrefill(db: Db, code: string, form: Record<string, unknown>, now: Date, expiresAt: Date) {
  await db`INSERT INTO account_prefill (code, form, created_at, expires_at) VALUES (${code}, ${db.json(form as Parameters<Db['json']>[0])}, ${now}, ${expiresAt})`;
}

export async function findPrefill(db: Db, code: string, now: Date) {
  const [row] = await db<{ code: string; form: Record<string, unknown>; created_at: Date; expires_at: Date; used_at: Date | null }[]>`
    SELECT code, form, created_at, expires_at, used_at FROM account_prefill WHERE code = ${code} AND expires_at > ${now}`;
  return row;
}

export async function markPrefillUsed(db: Db, code: string, applicationId: string, now: Date) {
  await db`UPDATE account_prefill SET used_at = ${now}, application_id = ${applicationId} WHERE code = ${code}`;
}

export async function insertArchive(db: Db, applicationId: string, authorityId: string, required: readonly string[], now: Date) {
  await db`
    INSERT INTO account_archive (application_id, authority_id, required_documents, created_at, updated_at)
    VALUES (${applicationId}, ${authorityId}, ${required as string[]}, ${now}, ${now})`;
}

export type ArchiveRow = {
  id: string; application_id: string; reference: string; subject: string; applicant_name: string; authority_id: string; status: 'pending' | 'archived';
  required_documents: string[]; checked_documents: string[]; file_location: string | null; note: string; archived_at: Date | null;
  archived_by_name: string | null; created_at: Date; decided_at: Date | null; user_account_id: string | null;
};

const ARCHIVE_COLUMNS = (db: Db) => db`
  r.id, r.application_id, a.reference, a.subject, COALESCE(a.form->>'organisationName', a.form->>'name') AS applicant_name, r.authority_id, r.status,
  r.required_documents, r.checked_documents, r.file_location, r.note, r.archived_at, s.display_name AS archived_by_name, r.created_at,
  COALESCE(a.decided_at, a.accepted_at) AS decided_at, a.user_account_id`;

export async function listArchives(db: Db, q: ListQuery, authorities: string[], status: string | undefined) {
  const rows = await db<(ArchiveRow & { total: number })[]>`
    SELECT ${ARCHIVE_COLUMNS(db)}, count(*) OVER ()::int AS total
    FROM account_archive r JOIN account_application a ON a.id = r.application_id LEFT JOIN staff_member s ON s.id = r.archived_by
    WHERE r.authority_id = ANY(${authorities}) ${status ? db`AND r.status = ${status}` : db``}
    ORDER BY r.created_at ${q.sortDesc ? db`DESC` : db`ASC`}, r.id
    LIMIT ${q.limit} OFFSET ${q.offset}`;
  return { rows, total: rows[0]?.total ?? 0 };
}

export async function findArchive(db: Db, id: string, authorities: string[], lock = false) {
  const [row] = await db<ArchiveRow[]>`
    SELECT ${ARCHIVE_COLUMNS(db)}
    FROM account_archive r JOIN account_application a ON a.id = r.application_id LEFT JOIN staff_member s ON s.id = r.archived_by
    WHERE r.id = ${id} AND r.authority_id = ANY(${authorities}) ${lock ? db`FOR UPDATE OF r` : db``}`;
  return row;
}

export async function archiveFile(db: Db, id: string, a: { checked: string[]; fileLocation: string; note: string; staffId: string | null; archive: boolean }, now: Date) {
  await db`
    UPDATE account_archive SET checked_documents = ${a.checked}, file_location = ${a.fileLocation}, note = ${a.note},
      status = ${a.archive ? 'archived' : db`status`}, archived_by = COALESCE(${a.staffId}, archived_by),
      archived_at = ${a.archive ? now : db`archived_at`}, updated_at = ${now}
    WHERE id = ${id}`;
}

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

export async function auditOf(db: Db, entityType: string, entityId: string) {
  return db<{ action: string; at: Date; after: Record<string, unknown> | null; actor_label: string | null }[]>`
    SELECT action, at, after, actor_label FROM audit_log WHERE entity_type = ${entityType} AND entity_id = ${entityId} ORDER BY at, id`;
}

export { visibleAuthorities } from '../../platform/authorities.ts';

export async function findOrganisationByUscc(db: Db, uscc: string) {
  const [row] = await db<{ id: string; name: string; authority_id: string; dissolved: boolean }[]>`
    SELECT id, name, authority_id, dissolved FROM organisation WHERE uscc = ${uscc} FOR UPDATE`;
  return row;
}

export async function insertOrganisation(db: Db, o: { uscc: string; name: string; kind: string; address: string; postcode: string; legalRepName: string; legalRepPhone: string; authorityId: string; now: Date }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO organisation (uscc, name, kind, address, postcode, legal_rep_name, legal_rep_phone, authority_id, created_at)
    VALUES (${o.uscc}, ${o.name}, ${o.kind}, ${o.address}, ${o.postcode}, ${o.legalRepName}, ${o.legalRepPhone}, ${o.authorityId}, ${o.now})
    RETURNING id`;
  return row!.id;
}

/** R-16.5: the unit's registration data follow the latest form. */
export async function updateOrganisation(db: Db, id: string, o: { name: string; kind: string; address: string; postcode: string; legalRepName: string; legalRepPhone: string }) {
  await db`
    UPDATE organisation SET name = ${o.name}, kind = ${o.kind}, address = ${o.address}, postcode = ${o.postcode},
      legal_rep_name = ${o.legalRepName}, legal_rep_phone = ${o.legalRepPhone}
    WHERE id = ${id}`;
}

export async function vehiclesOfOrganisation(db: Db, organisationId: string) {
  return db<{ id: string; states: string[] }[]>`SELECT id, states FROM vehicle WHERE owner_organisation_id = ${organisationId} AND plate_no IS NOT NULL`;
}

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
