import { describe, expect, it } from 'vitest';
import { qualificationCommands } from './statuses.ts';

describe('entrustment commands shown to each post (the bff enforces the same)', () => {
  it('PD-12 管理岗 decides a pending review and revokes an active entrustment; the institution renews only when the bff says it may', () => {
    expect(qualificationCommands(['review'], { status: 'pending', pendingReview: true, mayRenew: false })).toEqual({ approve: true, reject: true, revoke: false, renew: false });
    expect(qualificationCommands(['review'], { status: 'active', pendingReview: false, mayRenew: true })).toEqual({ approve: false, reject: false, revoke: true, renew: false });
    expect(qualificationCommands(['medical_operator'], { status: 'active', pendingReview: false, mayRenew: true })).toEqual({ approve: false, reject: false, revoke: false, renew: true });
    expect(qualificationCommands(['medical_operator'], { status: 'revoked', pendingReview: false, mayRenew: false })).toEqual({ approve: false, reject: false, revoke: false, renew: false });
  });
});
