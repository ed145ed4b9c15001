/**
 * The personal data of the accounts module's staff records (issue 17,
 * ADR-024): which fields are masked in lists, shows and exports, and the
 * loaders of `POST /admin-api/<resource>/{id}/reveal` — each reads the record
 * with the scope of its show endpoint (PD-9), so another city's record is
 * "not found" here too.
 */
import type { Db } from '../../db.ts';
import type { StaffPrincipal } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { fieldOf, type DataKind, type RevealTarget } from '../../platform/personal-data.ts';
import * as repo from './repo.ts';
import * as counterRepo from './counter.repo.ts';
import { visible } from './shared.ts';

/** A counter application's form: its personal fields by dotted path, for a person's form and an organisation's. */
export const PERSON_FORM_FIELDS: Record<string, DataKind> = { idNumber: 'id_number', phone: 'phone', email: 'email', postalAddress: 'postal_address' };
export const ORGANISATION_FORM_FIELDS: Record<string, DataKind> = {
  postalAddress: 'postal_address', legalRepPhone: 'phone', 'agent.idNumber': 'id_number', 'agent.phone': 'phone', 'agent.email': 'email',
};
export const formFieldsOf = (subject: 'person' | 'organisation') => (subject === 'person' ? PERSON_FORM_FIELDS : ORGANISATION_FORM_FIELDS);

/** 窗口注册申请: the form's personal fields, for 受理岗 and 管理岗 of the application's authority. */
export async function applicationRevealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const a = await counterRepo.findApplication(db, id, { authorities: await visible(db, staff) });
  if (!a) throw new DomainError('accounts.application_not_found');
  const fields = Object.fromEntries(Object.entries(formFieldsOf(a.subject)).map(([path, kind]) => [path, { kind, value: fieldOf(a.form, path) }]));
  return { subject: { userAccountId: a.user_account_id, personId: a.person_id, organisationId: a.organisation_id }, fields };
}

/** 互联网用户: ID number (or USCC), phone, e-mail and postal address of an account the staff member may see (PD-9). */
export async function userRevealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const u = await repo.findUser(db, id);
  if (!u || (u.authority_id && !(await visible(db, staff)).includes(u.authority_id))) throw new DomainError('accounts.not_found');
  return {
    subject: { userAccountId: u.id, personId: u.person_id, organisationId: u.organisation_id },
    fields: {
      idNumber: { kind: 'id_number', value: u.id_number },
      phone: { kind: 'phone', value: u.phone },
      email: { kind: 'email', value: u.email },
      postalAddress: { kind: 'postal_address', value: u.postal_address },
    },
  };
}
