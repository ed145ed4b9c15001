import type { Db } from '../../db.ts';
import { accessLogOf } from '../../platform/personal-data.ts';

/** The reveals of the citizen's data, newest first (the last 200). */
export async function myDataAccess(db: Db, userId: string, now: Date) {
  const rows = await accessLogOf(db, userId);
  return {
    entries: rows.map((r) => ({
      id: String(r.id), at: r.at.toISOString(), posts: r.staff_roles, cityId: r.authority_id, cityName: r.authority_name,
      resource: r.resource, dataKind: r.data_kind, reason: r.reason,
    })),
    asOf: now.toISOString(),
  };
}
