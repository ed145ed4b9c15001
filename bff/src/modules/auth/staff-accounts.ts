import type { Actor, Deps, RequestMeta } from '../../core/context.ts';
import { DomainError } from '../../core/errors.ts';
import { filterString, type ListQuery } from '../../core/list-query.ts';
import { writeAudit } from '../../platform/audit.ts';
import { invalidateAllSessions } from '../../platform/sessions.ts';
import { clearFailures } from '../../platform/throttle.ts';
import * as repo from './repo.ts';
import { staffBucket } from './service.ts';

/**
 * Staff accounts for the system administrator (issue 17, GB/T 22239 level 3):
 * who holds which posts in which city, and whether their second factor is on;
 * a reset of a member's second factor, with the reason, audited — the member
 * then enrols again at the next sign-in.
 */
export type StaffAccountDto = {
  id: string; username: string; displayName: string; roles: repo.StaffRow['roles']; authorityId: string; authorityName: string;
  stationName: string | null; organisationName: string | null; status: 'active' | 'disabled';
  totpState: 'enabled' | 'not_enrolled' | 'pending'; totpReplacementPending: boolean; createdAt: string;
};

const dto = (r: repo.StaffAccountRow): StaffAccountDto => ({
  id: r.id, username: r.username, displayName: r.display_name, roles: r.roles, authorityId: r.authority_id, authorityName: r.authority_name,
  stationName: r.station_name, organisationName: r.organisation_name, status: r.status,
  totpState: r.totp_enabled ? 'enabled' : r.totp_pending ? 'pending' : 'not_enrolled',
  totpReplacementPending: r.totp_enabled && r.totp_pending,
  createdAt: r.created_at.toISOString(),
});

/** filter `totpState`: enabled, or not (not enrolled, or enrolment not confirmed) */
const TOTP_FILTER: Record<string, boolean> = { enabled: true, not_enrolled: false };

export async function listStaffAccounts(deps: Deps, q: ListQuery) {
  const ids = q.filter.id;
  const totp = filterString(q.filter, 'totpState');
  if (totp !== undefined && !(totp in TOTP_FILTER)) throw new DomainError('request.invalid', { fields: { 'filter.totpState': 'validation.enum' } });
  const { rows, total } = await repo.listStaffAccounts(deps.sql, {
    q: filterString(q.filter, 'q'),
    role: filterString(q.filter, 'role'),
    authorityId: filterString(q.filter, 'authorityId'),
    totpEnabled: totp === undefined ? undefined : TOTP_FILTER[totp],
    id: Array.isArray(ids) ? ids.map(String).slice(0, 500) : undefined,
  }, q);
  return { rows: rows.map(dto), total };
}

export async function getStaffAccount(deps: Deps, id: string): Promise<StaffAccountDto> {
  const { rows } = await repo.listStaffAccounts(deps.sql, { id: [id] }, { sortField: 'username', sortDesc: false, offset: 0, limit: 1 });
  if (!rows[0]) throw new DomainError('request.not_found');
  return dto(rows[0]);
}

/**
 * Resets a member's second factor: the key goes, every session of the member
 * ends (and a lockout is lifted), and at the next sign-in the password opens
 * only the enrolment. Audited with the reason, under the member's city. Not
 * one's own: that is replaced with the password and a current code.
 */
export async function resetStaffTotp(deps: Deps, actor: Actor & { kind: 'staff' }, id: string, input: { reason: string }, meta: RequestMeta): Promise<StaffAccountDto> {
  if (id === actor.id) throw new DomainError('auth.totp_reset_own');
  await deps.sql.begin(async (tx) => {
    const staff = await repo.findStaffById(tx, id, true);
    if (!staff) throw new DomainError('request.not_found');
    await repo.resetTotp(tx, staff.id);
    const ended = await invalidateAllSessions(tx, 'staff', staff.id);
    await clearFailures(tx, staffBucket(staff.username));
    await writeAudit(tx, actor, meta, {
      action: 'auth.totp_reset', entityType: 'staff_member', entityId: staff.id, authorityId: staff.authority_id,
      before: { username: staff.username, totpEnabled: staff.totp_enabled, pending: staff.totp_pending_key !== null },
      after: { totpEnabled: false, reason: input.reason, sessionsEnded: ended },
    });
  });
  return getStaffAccount(deps, id);
}
