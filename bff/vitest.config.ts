import { configDefaults, defineConfig } from 'vitest/config';

/**
 * bff tests run in TZ=UTC (the platform itself computes in Asia/Shanghai) on a
 * real Postgres: DATABASE_URL's server, or an embedded one (test/global-setup.ts).
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The fault tests kill processes and restart Postgres: `pnpm test:chaos` (vitest.chaos.config.ts).
    exclude: [...configDefaults.exclude, 'test/chaos/**'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
    setupFiles: ['test/fail-on-console-error.ts'],
  },
});
