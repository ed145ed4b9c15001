import type { Tone } from '../shared/fields.tsx';

/** The CHECK lists of db/migrations/0017_medical_institutions.sql. */
export const QUALIFICATION_STATUSES = ['pending', 'active', 'rejected', 'revoked', 'lapsed'] as const;
/** PD-12: the five documents of an application or renewal (bff modules/medical/rules.ts). */
export const DOCUMENT_KINDS = ['practice_licence', 'organisation_code_certificate', 'letter_of_authorisation', 'agent_identity', 'health_authority_listing'] as const;

export const QUALIFICATION_TONES: Record<string, Tone> = { pending: 'info', active: 'success', rejected: 'error', revoked: 'error', lapsed: 'neutral' };

/** Which commands a set of posts may use on an entrustment (the bff enforces the same). */
export function qualificationCommands(roles: readonly string[], q: { status: string; pendingReview: boolean; mayRenew: boolean }) {
  const review = roles.includes('review');
  return {
    approve: review && q.pendingReview,
    reject: review && q.pendingReview,
    revoke: review && q.status === 'active',
    renew: roles.includes('medical_operator') && q.mayRenew,
  };
}
