import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import e2e from '../playwright.config.ts';

/**
 * Performance and accessibility budgets (issue 18), against the same
 * production builds and platform start-up as the e2e suite, on its ports
 * (E2E_WEB_PORT / E2E_BFF_PORT): `npm test` runs it as its own step after e2e.
 *   cd e2e && pnpm exec playwright test -c budgets/playwright.config.ts
 */
export default defineConfig({
  ...e2e,
  testDir: '.',
  // Lighthouse takes 10–20 s a page on the 2-core machine, and a page may be measured up to three times.
  timeout: 240_000,
  retries: 0,
  projects: [{ name: 'budgets', use: { ...e2e.projects?.[0]?.use } }],
  webServer: { ...(e2e.webServer as object), cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..') } as typeof e2e.webServer,
});
