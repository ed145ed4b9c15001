/** What the two parts of the medical module share: who sees what, the request meta, the job kinds. */
import type { Db } from '../../db.ts';
import type { Actor, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import type { Locale } from '../../core/catalog.ts';
import { DomainError } from '../../core/errors.ts';
import * as repo from './repo.ts';

export type Meta = RequestMeta & { locale: Locale };
export type StaffActor = Actor & { kind: 'staff' };

/** Durable job kinds of the module (handlers in jobs.ts). */
export const MEDICAL_JOBS = {
  /** PD-12 (as ): the entrustment ends at 00:00 after its last valid day unless renewed */
  lapse: 'medical.qualification_lapse',
} as const;

const isOperatorOnly = (staff: StaffPrincipal) => staff.roles.includes('medical_operator') && !staff.roles.some((r) => r === 'review' || r === 'intake' || r === 'archive');

/** An institution's operator sees its own organisation's rows; the posts those of their authority and its cities (PD-9). */
export async function scopeOf(db: Db, staff: StaffPrincipal): Promise<repo.Scope> {
  if (isOperatorOnly(staff)) return { organisationId: institutionOf(staff) };
  return { authorities: await repo.visibleAuthorities(db, staff.authorityId) };
}

/** The organisation a `medical_operator` works for (staff_member.organisation_id, migration 0015). */
export function institutionOf(staff: StaffPrincipal): string {
  if (!staff.roles.includes('medical_operator') || !staff.organisationId) throw new DomainError('medical.not_bound_to_institution');
  return staff.organisationId;
}

export const iso = (d: Date | null) => (d ? d.toISOString() : null);
