import { defineConfig, devices } from '@playwright/test';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * e2e in Debian's Chromium (no browser downloads here) against the production
 * builds, on a database of their own that is reset at every run.
 */
export const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 13000);
export const BFF_PORT = Number(process.env.E2E_BFF_PORT ?? 18787);
const dbEnv: Record<string, string> = process.env.DATABASE_URL
  ? { DATABASE_URL: Object.assign(new URL(process.env.DATABASE_URL), { pathname: `/jiaoguan_e2e_${WEB_PORT}` }).toString() }
  : { PG_DATA_DIR: path.join(tmpdir(), `jiaoguan-e2e-pg-${WEB_PORT}`), PLATFORM_DB: 'jiaoguan_e2e' };

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    baseURL: `http://localhost:${WEB_PORT}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'mobile', use: { ...devices['Pixel 7'], browserName: 'chromium' } },
  ],
  webServer: {
    command: `pnpm --dir .. exec tsx scripts/platform.ts --reset-db ${process.env.E2E_BUILD ? '' : '--no-build'}`,
    url: `http://127.0.0.1:${WEB_PORT}/`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    // DEV_TOOLS: the stories read the dev SMS inbox and move the shared test clock (/dev/*, ADR-023).
    env: { ...dbEnv, WEB_PORT: String(WEB_PORT), BFF_PORT: String(BFF_PORT), NODE_ENV: 'development', LOG_LEVEL: 'warn', DEV_TOOLS: '1' },
  },
});
