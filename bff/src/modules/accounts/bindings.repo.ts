/**
 * SQL of bindings (R-9.1.1, R-9.1.4, R-10.3.1, R-16.3, R-17): ending
 * bindings, the non-own count, what may be bound, licences bound to units,
 * who holds a vehicle or licence, the records events that unbind and the
 * first-licence applications whose issue converts a learner (R-9.2.2). The
 * lookups and binds every part uses are in repo.ts.
 */
import type { Db } from '../../db.ts';
import type { ListQuery } from '../../core/list-query.ts';

// ---------------------------------------------------------------------------
// Bindings
// ---------------------------------------------------------------------------

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

/** R-17: the binding a vehicle's new owner keeps takes the kind of an owner's binding. */
export async function setVehicleBindingKind(db: Db, bindingId: string, kind: 'own' | 'non_own' | 'organisation') {
  await db`UPDATE vehicle_binding SET kind = ${kind} WHERE id = ${bindingId} AND unbound_at IS NULL`;
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
  return db<(HolderRow & { kind: 'own' | 'non_own' | 'organisation' })[]>`
    SELECT b.id AS binding_id, ua.kind AS user_kind, ua.person_id, ua.organisation_id, ua.id AS user_account_id, b.kind
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
