/**
 * What the three parts of the accounts module — the account itself
 * (service.ts), bindings (bindings.ts) and the counter (counter.ts) — share
 * without belonging to one of them: the staff actor, the authorities a staff
 * member sees (PD-9), the transaction runner and the jobs' system actor.
 */
import type { Db } from '../../db.ts';
import type { Actor, Deps, RequestMeta, StaffPrincipal } from '../../core/context.ts';
import * as repo from './repo.ts';

export type StaffActor = Actor & { kind: 'staff' };

export async function visible(db: Db, staff: StaffPrincipal) {
  return repo.visibleAuthorities(db, staff.authorityId);
}

export async function run<T>(deps: Deps, f: (tx: Db) => Promise<T>): Promise<T> {
  return (await deps.sql.begin((tx) => f(tx))) as T;
}

export const systemActor: Actor = { kind: 'system', label: 'accounts' };
export const jobMeta = (jobId: number, now: Date): RequestMeta => ({ requestId: `job:${jobId}`, ip: 'system', now });
