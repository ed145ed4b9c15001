import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sql } from 'postgres';

const seedFile = fileURLToPath(new URL('../seed/demo.sql', import.meta.url));

/**
 * Loads the demo data once per database, in one transaction, recorded in
 * `seed_run`. Demo data only: reference data the platform needs in
 * production comes by migration.
 */
export async function loadSeed(sql: Sql, file = seedFile): Promise<'loaded' | 'already-loaded'> {
  await sql`CREATE TABLE IF NOT EXISTS seed_run (name text PRIMARY KEY, loaded_at timestamptz NOT NULL DEFAULT now())`;
  const text = readFileSync(file, 'utf8');
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(7122002)`;
    const [row] = await tx`SELECT 1 FROM seed_run WHERE name = 'demo'`;
    if (row) return 'already-loaded' as const;
    await tx.unsafe(text);
    await tx`INSERT INTO seed_run (name) VALUES ('demo')`;
    return 'loaded' as const;
  });
}
