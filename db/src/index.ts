/**
 * Database tooling shared by the platform launcher, the bff and the tests:
 * the migration runner, the demo seed loader and the embedded Postgres.
 * See docs/decisions/001-migration-runner.md.
 */
export { migrate, listMigrations, type MigrationResult } from './migrate.ts';
export { loadSeed } from './seed.ts';
export { startEmbeddedPostgres, defaultDataDir, type EmbeddedHandle } from './embedded.ts';
export { createDatabase, dropDatabase, databaseUrlFor } from './admin.ts';
