/**
 * 身体条件证明 (health certificates) — the records this module owns and other
 * modules read (ADR-031): the licences module checks a renewal's certificate
 * the 70+ / disability obligation window and
 * records a citizen's own 体检 report through these functions.
 * Each takes the caller's transaction; nothing here opens one.
 */
import type { Db } from '../../db.ts';
import type { Actor, RequestMeta } from '../../core/context.ts';
import { DomainError, refuse } from '../../core/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { archiveCase } from '../../platform/archive.ts';
import { shanghaiDay } from '../../platform/calendar.ts';
import { certificateValidUntil, decideIssueDay, decideMaySubmit, type QualificationStatus } from './rules.ts';

export type HealthCertificatePurpose = 'renewal' | 'age_70_yearly' | 'disability_3y';
export type HealthCertificate = {
  id: string;
  personId: string;
  licenceId: string | null;
  issuerOrganisationId: string | null;
  source: 'institution' | 'self';
  purpose: HealthCertificatePurpose;
  issuedOn: string;
  validUntil: string;
  conclusion: 'fit' | 'unfit';
  status: 'valid' | 'void';
  uploadId: string | null;
  createdAt: string;
};

type Row = {
  id: string;
  person_id: string;
  licence_id: string | null;
  issuer_organisation_id: string | null;
  source: 'institution' | 'self';
  purpose: HealthCertificatePurpose;
  issued_on: string;
  valid_until: string;
  conclusion: 'fit' | 'unfit';
  status: 'valid' | 'void';
  upload_id: string | null;
  created_at: Date;
};

const toCertificate = (r: Row): HealthCertificate => ({
  id: r.id,
  personId: r.person_id,
  licenceId: r.licence_id,
  issuerOrganisationId: r.issuer_organisation_id,
  source: r.source,
  purpose: r.purpose,
  issuedOn: r.issued_on,
  validUntil: r.valid_until,
  conclusion: r.conclusion,
  status: r.status,
  uploadId: r.upload_id,
  createdAt: r.created_at.toISOString(),
});

/**
 * a certificate issued under a qualification later revoked for false
 * certificates is not accepted any more ("departments stop accepting that
 * hospital's certificates"). Revocation is the only way a qualification ends
 * as 'revoked' (PD-12), so the join is the whole rule.
 */
const notFromRevokedInstitution = (tx: Db) => tx`
  NOT EXISTS (SELECT 1 FROM medical_qualification mq WHERE mq.id = hc.qualification_id AND mq.status = 'revoked')`;

/**
 * The newest certificate of the person usable on `day` (YYYY-MM-DD,
 * Asia/Shanghai) for one of `purposes`: status valid, conclusion fit,
 * issuedOn ≤ day < validUntil (six months, X-4.1.7 / X-4.3.4), and — when
 * issued by an institution — that institution's qualification was not
 * revoked for false certificates.
 */
export async function usableHealthCertificate(tx: Db, q: { personId: string; purposes: readonly HealthCertificatePurpose[]; day: string }): Promise<HealthCertificate | null> {
  if (!q.purposes.length) return null;
  const [row] = await tx<Row[]>`
    SELECT hc.id, hc.person_id, hc.licence_id, hc.issuer_organisation_id, hc.source, hc.purpose, hc.issued_on, hc.valid_until,
           hc.conclusion, hc.status, hc.upload_id, hc.created_at
    FROM health_certificate hc
    WHERE hc.person_id = ${q.personId}
      AND hc.purpose = ANY(${[...q.purposes]}::text[])
      AND hc.status = 'valid' AND hc.conclusion = 'fit'
      AND hc.issued_on <= ${q.day}::date AND ${q.day}::date < hc.valid_until
      AND ${notFromRevokedInstitution(tx)}
    ORDER BY hc.issued_on DESC, hc.created_at DESC
    LIMIT 1`;
  return row ? toCertificate(row) : null;
}

/**
 * Certificates submitted for `personId` with issuedOn in [from, to) for these
 * purposes (the obligation job's window check, X-4.3.2): every conclusion,
 * not void, and not from an institution revoked for false certificates
 * . Oldest first.
 */
export async function certificatesIssuedBetween(tx: Db, q: { personId: string; purposes: readonly HealthCertificatePurpose[]; from: string; to: string }): Promise<HealthCertificate[]> {
  if (!q.purposes.length) return [];
  const rows = await tx<Row[]>`
    SELECT hc.id, hc.person_id, hc.licence_id, hc.issuer_organisation_id, hc.source, hc.purpose, hc.issued_on, hc.valid_until,
           hc.conclusion, hc.status, hc.upload_id, hc.created_at
    FROM health_certificate hc
    WHERE hc.person_id = ${q.personId}
      AND hc.purpose = ANY(${[...q.purposes]}::text[])
      AND hc.status = 'valid'
      AND hc.issued_on >= ${q.from}::date AND hc.issued_on < ${q.to}::date
      AND ${notFromRevokedInstitution(tx)}
    ORDER BY hc.issued_on, hc.created_at`;
  return rows.map(toCertificate);
}

export type NewHealthCertificate = {
  personId: string;
  licenceId: string | null;
  issuerOrganisationId: string | null;
  source: 'institution' | 'self';
  purpose: HealthCertificatePurpose;
  issuedOn: string;
  conclusion: 'fit' | 'unfit';
  uploadId: string | null;
};

/**
 * Inserts one certificate (validUntil = issuedOn + 6 calendar months, PD-2
 * clamp) and writes its audit row; source 'self' = a citizen's own 体检
 * report (X-4.3.5, uploaded through the licences module's route), source
 * 'institution' requires an active qualification (X-4.3.1, PD-12) — read
 * FOR SHARE, so a revocation committing at the same time waits for this
 * insert or makes it refuse. Refuses an examination day in the future
 * (`issuedOn`) or older than six months, and a second send of the
 * same certificate (409, `medical.certificate_duplicate`).
 */
export async function insertHealthCertificate(tx: Db, actor: Actor, meta: RequestMeta, c: NewHealthCertificate): Promise<HealthCertificate> {
  const today = shanghaiDay(meta.now);
  const day = decideIssueDay(c.issuedOn, today);
  if (!day.ok) throw refuse(day, 'issuedOn');

  let qualificationId: string | null = null;
  let authorityId: string | null = null;
  if (c.source === 'institution') {
    if (!c.issuerOrganisationId) throw new DomainError('medical.institution_not_qualified', { params: { status: 'none' } });
    const [q] = await tx<{ id: string; status: QualificationStatus; valid_until: string | null; authority_id: string }[]>`
      SELECT id, status, valid_until, authority_id FROM medical_qualification
      WHERE organisation_id = ${c.issuerOrganisationId}
      ORDER BY (status IN ('pending', 'active')) DESC, applied_at DESC
      LIMIT 1
      FOR SHARE`;
    const may = decideMaySubmit(q ? { status: q.status, validUntil: q.valid_until } : { status: 'none', validUntil: null }, today);
    if (!may.ok) throw refuse(may);
    qualificationId = q!.id;
    authorityId = q!.authority_id;
  } else if (c.issuerOrganisationId) {
    throw new Error('insertHealthCertificate: a self-submitted report has no issuing institution');
  } else if (c.licenceId) {
    const [l] = await tx<{ issuing_authority_id: string }[]>`SELECT issuing_authority_id FROM driving_licence WHERE id = ${c.licenceId}`;
    authorityId = l?.issuing_authority_id ?? null;
  }

  const validUntil = certificateValidUntil(c.issuedOn);
  const [row] = await tx<(Row & { reference: string })[]>`
    INSERT INTO health_certificate (person_id, licence_id, issuer_organisation_id, qualification_id, authority_id, source, purpose,
                                    issued_on, valid_until, conclusion, upload_id, created_by_kind, created_by, created_at)
    VALUES (${c.personId}, ${c.licenceId}, ${c.issuerOrganisationId}, ${qualificationId}, ${authorityId}, ${c.source}, ${c.purpose},
            ${c.issuedOn}, ${validUntil}, ${c.conclusion}, ${c.uploadId}, ${actor.kind}, ${actor.id ?? null}, ${meta.now})
    RETURNING id, reference, person_id, licence_id, issuer_organisation_id, source, purpose, issued_on, valid_until,
              conclusion, status, upload_id, created_at`;
  const cert = toCertificate(row!);
  await writeAudit(tx, actor, meta, {
    action: 'medical.certificate_recorded',
    entityType: 'health_certificate',
    entityId: cert.id,
    authorityId,
    after: { reference: row!.reference, personId: c.personId, licenceId: c.licenceId, issuerOrganisationId: c.issuerOrganisationId,
             source: c.source, purpose: c.purpose, issuedOn: c.issuedOn, validUntil, conclusion: c.conclusion, uploadId: c.uploadId },
  });
  // a recorded certificate is a finished case of its own, archived with its scan where a city holds it
  // (an institution's city, or the issuing city of the licence a citizen's own report is for).
  if (authorityId) {
    const [l] = c.licenceId ? await tx<{ licence_no: string }[]>`SELECT licence_no FROM driving_licence WHERE id = ${c.licenceId}` : [];
    await archiveCase(tx, actor, meta, {
      businessType: 'medical_certificate', caseRef: row!.reference, authorityId, personId: c.personId, organisationId: c.issuerOrganisationId, licenceNo: l?.licence_no ?? null,
      data: { reference: row!.reference, source: c.source, purpose: c.purpose, issuedOn: c.issuedOn, validUntil, conclusion: c.conclusion, qualificationId },
      uploadIds: c.uploadId ? [c.uploadId] : [], finishedAt: meta.now, entityIds: [cert.id],
    });
  }
  return cert;
}
