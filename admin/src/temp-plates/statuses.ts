import type { Tone } from '../shared/fields.tsx';

/** The CHECK lists of db/migrations/0005_replacements.sql. */
export const QUALIFICATION_STATUSES = ['pending', 'active', 'rejected', 'suspended', 'revoked', 'lapsed'] as const;
export const BLANK_STATUSES = ['in_stock', 'issued', 'damaged', 'returned', 'destroyed', 'recovered'] as const;
/** the five documents. */
export const DOCUMENT_KINDS = ['organisation_code_certificate', 'letter_of_authorisation', 'agent_identity', 'brand_model_list', 'sales_permit'] as const;
/** what the collector shows at a hand-out of blanks. */
export const HAND_OUT_DOCUMENT_KINDS = ['organisation_code_certificate', 'letter_of_authorisation', 'collector_identity'] as const;
export const OWNER_ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id', 'uscc'] as const;

export const QUALIFICATION_TONES: Record<string, Tone> = {
  pending: 'info', active: 'success', rejected: 'error', suspended: 'error', revoked: 'error', lapsed: 'neutral',
};
export const BLANK_TONES: Record<string, Tone> = {
  in_stock: 'info', issued: 'success', damaged: 'error', returned: 'neutral', destroyed: 'neutral', recovered: 'neutral',
};
export const CHECK_TONES: Record<string, Tone> = { passed: 'success', deferred: 'info', failed: 'error' };

export type Stock = { handedOut: number; inStock: number; issued: number; damagedKept: number; returned: number; destroyed: number; recovered: number };
export const STOCK_KEYS = ['handedOut', 'inStock', 'issued', 'damagedKept', 'returned', 'destroyed', 'recovered'] as const;

/** every blank handed out is somewhere. */
export const isBalanced = (s: Stock) => s.handedOut === s.inStock + s.issued + s.damagedKept + s.returned + s.destroyed + s.recovered;

/** Which qualification commands a set of posts may use (the bff enforces the same). */
export function qualificationCommands(roles: readonly string[], q: { status: string; explanationRequired: boolean; pendingReview: boolean }) {
  const review = roles.includes('review');
  const dealer = roles.includes('dealer');
  const live = q.status === 'active' || q.status === 'suspended';
  return {
    approve: review && q.pendingReview,
    reject: review && q.pendingReview,
    revoke: review && live,
    setQuota: review && live,
    acceptExplanation: review && q.explanationRequired,
    reinstate: review && q.status === 'suspended',
    renew: dealer && live && !q.pendingReview,
    explain: dealer && q.explanationRequired,
    handOut: roles.includes('intake') && q.status === 'active',
  };
}
