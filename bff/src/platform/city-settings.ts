import type { Db } from '../db.ts';
import type { Deps, StaffPrincipal } from '../core/context.ts';
import { DomainError, type ErrorCode } from '../core/errors.ts';
import { visibleAuthorities } from './authorities.ts';

/**
 * A module's per-city setting, decided by the city's 管理岗 (R-28.1 the plate
 * kinds replaced online, R-32.1 whether dealers issue temporary plates): the
 * cities of the staff member's scope, each with the module's row. `load` is
 * the module's SQL (a city with no row yet answers its defaults).
 */
export async function citySettingsInScope<R>(db: Db, staff: StaffPrincipal, load: (db: Db, cityIds: string[]) => Promise<R[]>): Promise<R[]> {
  return load(db, await visibleAuthorities(db, staff.authorityId));
}

/** One city's setting, if the city is in the staff member's scope; otherwise the module's "not found". */
export async function citySettingInScope<R>(
  db: Db, staff: StaffPrincipal, cityId: string, load: (db: Db, cityIds: string[]) => Promise<R[]>, notFound: ErrorCode,
): Promise<R> {
  const ids = (await visibleAuthorities(db, staff.authorityId)).filter((a) => a === cityId);
  const [row] = await load(db, ids);
  if (!row) throw new DomainError(notFound);
  return row;
}

/** The two reads of a module's city setting — the cities of my scope, one city — as its DTO. */
export function citySettingReads<R, D>(load: (db: Db, cityIds: string[]) => Promise<R[]>, dto: (row: R) => D, notFound: ErrorCode) {
  return {
    list: async (deps: Deps, staff: StaffPrincipal): Promise<D[]> => (await citySettingsInScope(deps.sql, staff, load)).map(dto),
    get: async (deps: Deps, staff: StaffPrincipal, cityId: string): Promise<D> => dto(await citySettingInScope(deps.sql, staff, cityId, load, notFound)),
  };
}
