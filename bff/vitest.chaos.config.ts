import { defineConfig } from 'vitest/config';

/**
 * Fault tests (`pnpm test:chaos`): they start production bff processes and
 * kill them, stop and start PostgreSQL, and repeat the races many rounds, so
 * they run apart from the unit/integration suite, one file at a time.
 * test/global-setup.ts gives them the same Postgres (embedded or
 * DATABASE_URL's) and seeded template as `vitest run`; the Postgres-restart
 * test starts an embedded server of its own.
 */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts', 'test/chaos/build.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    env: { TZ: 'UTC' },
  },
});
