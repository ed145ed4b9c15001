/** Test fixtures of the medical module (imported by *.test.ts only). */
import type { Sql } from '../../db.ts';
import { idNumberCheckChar } from '../../platform/check-digits.ts';
import { validityFrom } from './rules.ts';

/** 深圳市滨海人民医院, the seeded medical institution (db/seed). */
export const HOSPITAL_ID = '20000000-0000-4000-8000-000000000003';

let serial = 0;
/** A person of the records with one licence, made for a test: a valid ID number from `birth`, classes, licence status. */
export async function makeHolder(sql: Sql, o: { birth: string; classes?: string; status?: string; name?: string }): Promise<{ personId: string; licenceId: string; idNumber: string; licenceNo: string }> {
  serial += 1;
  const seq = String((process.pid * 7 + serial * 13) % 1000).padStart(3, '0');
  const first17 = `440305${o.birth.replaceAll('-', '')}${seq}`;
  const idNumber = first17 + idNumberCheckChar(first17);
  const [p] = await sql<{ id: string }[]>`
    INSERT INTO person (id_number, name, sex, birth_date, phone) VALUES (${idNumber}, ${o.name ?? `测试${serial}`}, 'M', ${o.birth}, '13912340000')
    ON CONFLICT (id_type, id_number) DO UPDATE SET name = EXCLUDED.name RETURNING id`;
  const [l] = await sql<{ id: string }[]>`
    INSERT INTO driving_licence (licence_no, person_id, classes, first_issued_on, valid_from, valid_until, status, phone, issuing_authority_id)
    VALUES (${idNumber}, ${p!.id}, ${o.classes ?? 'C1'}, '2010-03-01', '2020-03-01', '2030-03-01', ${o.status ?? 'valid'}, '13912340000', '440300')
    ON CONFLICT (licence_no) DO UPDATE SET classes = EXCLUDED.classes RETURNING id`;
  return { personId: p!.id, licenceId: l!.id, idNumber, licenceNo: idNumber };
}

/** Gives `organisationId` an active qualification approved on `approvedOn` (bypassing the review), ending any live one. */
export async function qualify(sql: Sql, organisationId: string, approvedOn: string): Promise<string> {
  await sql`UPDATE medical_qualification SET status = 'rejected', ended_at = now(), decided_at = now() WHERE organisation_id = ${organisationId} AND status IN ('pending', 'active')`;
  const v = validityFrom(approvedOn);
  const [q] = await sql<{ id: string }[]>`
    INSERT INTO medical_qualification (organisation_id, authority_id, status, organisation_name, organisation_code, legal_rep_name, legal_rep_phone,
                                       practice_licence_no, valid_from, valid_until, applied_at, decided_at, updated_at)
    SELECT id, authority_id, 'active', name, uscc, legal_rep_name, legal_rep_phone, 'PDY00001' || substr(md5(random()::text), 1, 6),
           ${v.validFrom}, ${v.validUntil}, now(), now(), now()
    FROM organisation WHERE id = ${organisationId}
    RETURNING id`;
  return q!.id;
}
