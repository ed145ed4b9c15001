import type { Db } from '../db.ts';

/**
 * The authorities whose rows a staff member of `authorityId` sees: its own,
 * and — for a province — its cities (non-negotiable 7: staff see only their
 * city's work). Every module scopes its staff queries with this list.
 */
export async function visibleAuthorities(db: Db, authorityId: string): Promise<string[]> {
  const rows = await db<{ id: string }[]>`SELECT id FROM authority WHERE id = ${authorityId} OR parent_id = ${authorityId}`;
  return rows.map((r) => r.id);
}
