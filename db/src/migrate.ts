import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Sql } from 'postgres';

export const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));

export type Migration = { version: string; name: string; file: string; checksum: string; sql: string };
export type MigrationResult = { applied: string[]; skipped: string[] };

/** Numbered files `NNNN_name.sql`, in order. */
export function listMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 7_122_001;

/**
 * Applies pending migrations, each in its own transaction, recorded in
 * `schema_migration`. Safe to rerun and safe when two processes start at once:
 * a session-level advisory lock serialises them. A landed file whose text
 * changed is refused — migrations are forward-only and never edited.
 */
export async function migrate(sql: Sql, dir = migrationsDir): Promise<MigrationResult> {
  const migrations = listMigrations(dir);
  const reserved = await sql.reserve();
  try {
    await reserved`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await reserved`SET client_min_messages = warning`;
    await reserved`
      CREATE TABLE IF NOT EXISTS schema_migration (
        version     text PRIMARY KEY,
        name        text NOT NULL,
        checksum    text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`;
    const rows = await reserved<{ version: string; checksum: string }[]>`SELECT version, checksum FROM schema_migration`;
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    const result: MigrationResult = { applied: [], skipped: [] };
    for (const m of migrations) {
      const seen = done.get(m.version);
      if (seen) {
        if (seen !== m.checksum) {
          throw new Error(`migration ${m.file} was changed after it was applied; add a new migration instead`);
        }
        result.skipped.push(m.file);
        continue;
      }
      await reserved.unsafe('BEGIN');
      try {
        await reserved.unsafe(m.sql);
        await reserved`INSERT INTO schema_migration (version, name, checksum) VALUES (${m.version}, ${m.name}, ${m.checksum})`;
        await reserved.unsafe('COMMIT');
      } catch (e) {
        await reserved.unsafe('ROLLBACK');
        throw new Error(`migration ${m.file} failed: ${(e as Error).message}`, { cause: e });
      }
      result.applied.push(m.file);
    }
    return result;
  } finally {
    await reserved`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    reserved.release();
  }
}
