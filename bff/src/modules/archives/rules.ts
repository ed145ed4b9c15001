/**
 * Pure decisions of the archives (第六章, X-6; ADR-036, ADR-037): what a paper
 * file must hold, when a loan is due and overdue, which closing step a
 * returned certificate takes, what a destruction may drop.
 */
import type { Refusal } from '../../core/errors.ts';

/** A decision: allowed, or the refusal with its particulars. */
export type Decision = { ok: true } | ({ ok: false } & Refusal);

/** Documents each business's paper file holds (X-6.1; for the hand-out of temporary-plate blanks). */
export const REQUIRED_DOCUMENTS: Record<string, readonly string[]> = {
  account_registration: ['application_form_original', 'identity_document_copy'],
  account_registration_organisation: ['application_form_original', 'organisation_certificate_copy', 'letter_of_authorisation_original', 'agent_identity_document_copy'],
  account_change: ['application_form_original', 'identity_document_copy'],
  account_binding: ['application_form_original', 'identity_document_copy'],
  plate_registration: ['registration_form_original', 'identity_document_copy', 'vehicle_invoice_copy', 'insurance_certificate_copy'],
  replacement: ['application_form_original', 'identity_document_copy'],
  temp_plate_stock: ['organisation_certificate_copy', 'letter_of_authorisation_original', 'collector_identity_document_copy'],
  default: ['application_form_original', 'identity_document_copy'],
};

/** The checklist of one case: a unit's registration has its own. */
export function requiredDocuments(businessType: string, subject: string | null): readonly string[] {
  if (businessType === 'account_registration' && subject === 'organisation') return REQUIRED_DOCUMENTS.account_registration_organisation!;
  return REQUIRED_DOCUMENTS[businessType] ?? REQUIRED_DOCUMENTS.default!;
}

/** 核对: every listed document is there, or the missing ones. */
export function checkChecklist(required: readonly string[], checked: readonly string[]): Decision {
  const missing = required.filter((d) => !checked.includes(d));
  return missing.length === 0 ? { ok: true } : { ok: false, code: 'archives.checklist_incomplete', params: { missing: missing.join(', ') } };
}

/** The longest loan: 30 calendar days (ADR-037). */
export const MAX_LOAN_DAYS = 30;
/** Without a day given, a loan is due back after this many working days (PD-2, ADR-037). */
export const DEFAULT_LOAN_WORKING_DAYS = 5;

/** A due-back day (Shanghai calendar day) is after today and within MAX_LOAN_DAYS. */
export function checkDueBackDay(today: string, dueDay: string): Decision {
  const days = (Date.parse(`${dueDay}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  if (!Number.isFinite(days) || days < 1 || days > MAX_LOAN_DAYS) return { ok: false, code: 'archives.due_back_invalid', params: { today, dueDay } };
  return { ok: true };
}

/** A loan is overdue once its due-back moment has passed and it is not back. */
export const isOverdue = (loan: { due_back: Date; returned_at: Date | null }, now: Date) => loan.returned_at === null && loan.due_back.getTime() < now.getTime();

/** a refused or uncollected certificate: an archived case gets its core number restored, one not archived is withdrawn (退办). */
export function checkCertificateAction(action: 'destroyed' | 'core_restored' | 'case_withdrawn', archived: boolean): Decision {
  if (action === 'core_restored' && !archived) return { ok: false, code: 'archives.core_restore_needs_archive', params: {} };
  if (action === 'case_withdrawn' && archived) return { ok: false, code: 'archives.withdraw_needs_no_archive', params: {} };
  return { ok: true };
}

/** Retention (ADR-036): a record is due for destruction once the day after its retain-until day has begun. */
export const retentionOver = (retainUntil: string | null, today: string) => retainUntil !== null && retainUntil < today;

/** The shelf place as one line: 'A101 / 03 / 2 / 0415'. */
export const locationText = (l: { room: string; cabinet: string; shelf: string; box: string }) => `${l.room} / ${l.cabinet} / ${l.shelf} / ${l.box}`;

/** A paper file's number: city code, year, and the case reference's tail. */
export function paperFileNo(authorityId: string, year: string, seq: number): string {
  return `DA-${authorityId}-${year}-${String(seq).padStart(6, '0')}`;
}
