/**
 * 身体条件证明 sent by an entrusted institution's operator (X-4.3.1,
 * for a renewal, for a driver aged 70+ (yearly) or a
 * holder of the disability class (every three years); and the staff lists of
 * certificates. The record itself is written by certificates.ts, which the
 * licences module uses too.
 */
import type { Db } from '../../db.ts';
import type { Deps, StaffPrincipal } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import type { ListQuery } from '../../core/list-query.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import { maskIdNumber } from '../../platform/check-digits.ts';
import { fileOf, usableUpload } from '../../platform/uploads/service.ts';
import type { RevealTarget } from '../../platform/personal-data.ts';
import { insertHealthCertificate, type HealthCertificatePurpose } from './certificates.ts';
import * as repo from './repo.ts';
import * as rules from './rules.ts';
import { institutionOf, scopeOf, type Meta, type StaffActor } from './shared.ts';

function certificateDto(c: repo.CertificateRow, now: Date) {
  const today = shanghaiDay(now);
  const revoked = c.qualification_status === 'revoked';
  return {
    id: c.id,
    reference: c.reference,
    holderName: c.holder_name,
    holderIdNumberMasked: maskIdNumber(c.holder_id_number),
    licenceNoMasked: c.licence_no ? maskIdNumber(c.licence_no) : null,
    licenceClasses: c.licence_classes,
    issuerOrganisationId: c.issuer_organisation_id,
    issuerName: c.issuer_name,
    source: c.source,
    purpose: c.purpose,
    issuedOn: c.issued_on,
    validUntil: c.valid_until,
    conclusion: c.conclusion,
    status: c.status,
    voidReason: c.void_reason,
    /** issued under an entrustment later revoked for false certificates — no longer accepted */
    issuerRevoked: revoked,
    /** whether the certificate is accepted today — what usableHealthCertificate answers */
    acceptedToday: c.status === 'valid' && c.conclusion === 'fit' && !revoked && rules.isWithinValidity(c.issued_on, today),
    hasScan: c.upload_id !== null,
    createdAt: c.created_at.toISOString(),
    createdBy: c.created_by_label,
  };
}
export type CertificateDto = ReturnType<typeof certificateDto>;

export type RecordInput = {
  idNumber: string;
  licenceNo: string;
  purpose: HealthCertificatePurpose;
  issuedOn: string;
  conclusion: 'fit' | 'unfit';
  scanUploadId: string;
};

/**
 * the operator of an entrusted institution sends a driver's
 * 身体条件证明 by ID number and licence. The driver must be one the purpose
 * is for (70+ for the yearly one, the disability class for the three-yearly
 * one); the institution must hold an active entrustment (certificates.ts,
 * FOR SHARE against a revocation committing at the same moment); the scan is
 * required.
 */
export async function recordCertificate(deps: Deps, staff: StaffPrincipal, actor: StaffActor, input: RecordInput, meta: Meta) {
  const organisationId = institutionOf(staff);
  const id = await deps.sql.begin(async (tx) => {
    // the institution first: a revoked or lapsed one is told so whatever else the form holds (checked again, locked, on insert)
    const today = shanghaiDay(meta.now);
    const own = await repo.currentQualification(tx, organisationId);
    const may = rules.decideMaySubmit(own ? { status: own.status, validUntil: own.valid_until } : { status: 'none', validUntil: null }, today);
    if (!may.ok) throw refuse(may);
    const person = await repo.findHolder(tx, input.idNumber);
    if (!person || person.deceased) throw new DomainError('medical.person_not_found', { field: 'idNumber' });
    const licence = await repo.findLicence(tx, person.id, input.licenceNo);
    if (!licence) throw new DomainError('medical.licence_not_found', { field: 'licenceNo' });
    const fits = rules.decidePurpose({ purpose: input.purpose, birthDate: person.birth_date, classes: licence.classes, licenceStatus: licence.status }, today);
    if (!fits.ok) throw refuse(fits, 'purpose');
    await usableUpload(tx, { kind: 'staff', id: staff.id }, input.scanUploadId, 'health_certificate_scan', 'scanUploadId');
    const c = await insertHealthCertificate(tx, actor, meta, {
      personId: person.id, licenceId: licence.id, issuerOrganisationId: organisationId, source: 'institution', purpose: input.purpose,
      issuedOn: input.issuedOn, conclusion: input.conclusion, uploadId: input.scanUploadId,
    });
    return c.id;
  });
  return getCertificate(deps, staff, id, meta.now);
}

export async function listCertificates(deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) {
  const { rows, total } = await repo.listCertificates(deps.sql, q, await scopeOf(deps.sql, staff));
  return { total, rows: rows.map((r) => certificateDto(r, now)) };
}

export async function getCertificate(deps: Deps, staff: StaffPrincipal, id: string, now: Date) {
  const c = await repo.findCertificate(deps.sql, id, await scopeOf(deps.sql, staff));
  if (!c) throw new DomainError('medical.certificate_not_found');
  return certificateDto(c, now);
}

/** The certificate's scan, for the staff who may open the certificate. */
export async function certificateScan(deps: Deps, staff: StaffPrincipal, id: string) {
  const c = await repo.findCertificate(deps.sql, id, await scopeOf(deps.sql, staff));
  if (!c) throw new DomainError('medical.certificate_not_found');
  if (!c.upload_id) throw new DomainError('uploads.not_found');
  const f = await fileOf(deps.sql, c.upload_id);
  return { content: f.content, contentType: f.content_type, fileName: f.file_name ?? `${c.reference}.pdf` };
}

/** ADR-024: the holder's ID number, revealed with a reason, in the show endpoint's scope. */
export async function revealTarget(db: Db, staff: StaffPrincipal, id: string): Promise<RevealTarget> {
  const c = await repo.findCertificate(db, id, await scopeOf(db, staff));
  if (!c) throw new DomainError('medical.certificate_not_found');
  return { subject: { personId: c.person_id }, fields: { holderIdNumber: { kind: 'id_number', value: c.holder_id_number } } };
}
