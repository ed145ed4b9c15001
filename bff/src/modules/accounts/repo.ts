import type { Db } from '../../db.ts';

export type UserRow = {
  id: string; name: string; phone: string; id_number: string | null; kind: 'personal' | 'organisation';
  personal_type: 'owner_driver' | 'learner' | 'new_car_owner' | null; registration_channel: 'online' | 'counter';
  status: 'active' | 'suspended' | 'cancelled'; authority_id: string | null;
};

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`
    SELECT ua.id, COALESCE(o.name, p.name) AS name, ua.phone, COALESCE(o.uscc, p.id_number) AS id_number, ua.kind,
           ua.personal_type, ua.registration_channel, ua.status, ua.authority_id
    FROM user_account ua
    LEFT JOIN person p ON p.id = ua.person_id
    LEFT JOIN organisation o ON o.id = ua.organisation_id
    WHERE ua.id = ${id}`;
  return row;
}

export async function boundVehicles(db: Db, userId: string) {
  return db<{ id: string; plate_no: string | null; plate_kind: string; vehicle_type: string; brand_model: string; vin: string; states: string[]; inspection_valid_until: string | null; kind: 'own' | 'non_own' | 'organisation' }[]>`
    SELECT v.id, v.plate_no, v.plate_kind, v.vehicle_type, v.brand_model, v.vin, v.states, v.inspection_valid_until, b.kind
    FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id
    WHERE b.user_account_id = ${userId} AND b.unbound_at IS NULL
    ORDER BY b.kind, v.plate_no NULLS LAST`;
}

export async function boundLicences(db: Db, userId: string) {
  return db<{ id: string; licence_no: string; classes: string; valid_until: string; status: string; points: number }[]>`
    SELECT l.id, l.licence_no, l.classes, l.valid_until, l.status, l.points
    FROM licence_binding b JOIN driving_licence l ON l.id = b.licence_id
    WHERE b.user_account_id = ${userId} AND b.unbound_at IS NULL
    ORDER BY l.valid_until`;
}

export async function findPersonByIdNumber(db: Db, idNumber: string) {
  const [row] = await db<{ id: string; name: string; deceased: boolean }[]>`
    SELECT id, name, deceased FROM person WHERE id_type = 'resident_id' AND id_number = ${idNumber} FOR UPDATE`;
  return row;
}

export async function recordsOfPerson(db: Db, personId: string) {
  const vehicles = await db<{ id: string; owner_phone: string; states: string[] }[]>`
    SELECT id, owner_phone, states FROM vehicle WHERE owner_person_id = ${personId}`;
  const licences = await db<{ id: string; phone: string; status: string }[]>`
    SELECT id, phone, status FROM driving_licence WHERE person_id = ${personId}`;
  return { vehicles, licences };
}

export async function insertUser(db: Db, u: { personId: string; phone: string; passwordHash: string; personalType: string; channel: 'online' | 'counter'; now: Date }) {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, password_hash, created_at)
    VALUES ('personal', ${u.personalType}, ${u.channel}, ${u.personId}, ${u.phone}, ${u.passwordHash}, ${u.now})
    RETURNING id`;
  return row!.id;
}

export async function bindVehicle(db: Db, userId: string, vehicleId: string, kind: 'own' | 'non_own' | 'organisation', now: Date) {
  await db`INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind, bound_at) VALUES (${userId}, ${vehicleId}, ${kind}, ${now})`;
}

export async function bindLicence(db: Db, userId: string, licenceId: string, kind: 'own' | 'organisation', now: Date) {
  await db`INSERT INTO licence_binding (user_account_id, licence_id, kind, bound_at) VALUES (${userId}, ${licenceId}, ${kind}, ${now})`;
}
