/**
 * The signed-in citizen's own record, as 《互联网个人用户注册/变更申请表》
 * asks for it, so the pre-filled counter form (counter-form in web)
 * starts from what the department holds instead of a blank sheet (issue 18).
 * The person's own data, to that person only: never a list, never logged.
 */
import { type OwnRecordDto } from './due-soon.schemas.ts';
import { DomainError } from '../../core/errors.ts';
import type { Sql } from '../../db.ts';
import * as repo from './repo.ts';

export async function ownRecord(sql: Sql, userId: string): Promise<OwnRecordDto> {
  const u = await repo.findUser(sql, userId);
  // A unit's agent fills the unit form, not this one.
  if (!u || u.status === 'cancelled' || u.kind !== 'personal' || !u.person_id) throw new DomainError('accounts.not_found');
  const p = await repo.findPersonById(sql, u.person_id);
  if (!p) throw new DomainError('accounts.not_found');
  return {
    name: p.name,
    sex: p.sex === 'M' || p.sex === 'F' ? p.sex : null,
    birthDate: p.birth_date ?? null,
    idType: p.id_type,
    idNumber: p.id_number,
    phone: u.phone,
    email: u.email,
    postalAddress: u.postal_address,
    postcode: u.postcode,
  };
}
