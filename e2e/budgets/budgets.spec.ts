import { writeFileSync } from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { adminUrl, expect, test } from '../tests/fixtures.ts';
import { WEB_PORT } from '../playwright.config.ts';

/**
 * Issue 18: what is excellent stays so. Each citizen page is measured by
 * Lighthouse (mobile preset: a mid-range phone on slow 4G) in Debian's
 * Chromium and checked by axe in Playwright; the staff console's sign-in is
 * weighed in the browser. Figures are printed, and written to
 * test-results/budgets.json.
 */
const MIN_PERFORMANCE = 95;
const MIN_ACCESSIBILITY = 100;
/**
 * JavaScript a page downloads (as sent: brotli, with its response headers), all of it, KB: issue 18's 60.
 * One dictionary instead of two and no i18next took the pages from 86–93 KB to 72–78 KB; the page's words
 * in the page as a JSON data block (ADR-026: not JavaScript) to 60–66 KB; the error page's offline views
 * as a chunk of their own and one shell chunk for what every page runs (web/vite.config.ts) to 47.5–53.5 KB.
 */
const MAX_JS_KB = 60;
/** The staff console's JavaScript before the sign-in form, gzip (admin/vite.config.ts SIGN_IN_JS_BUDGET). */
const ADMIN_SIGN_IN_JS_BUDGET_KB = 300;
/** Lighthouse's performance score moves by a few points between runs on a busy machine: a page gets up to three tries. */
const PERFORMANCE_TRIES = 3;

const DEMO_CITIZEN = { phone: '13800138000', password: 'Demo#2026pass' };
const origin = `http://localhost:${WEB_PORT}`;

const PAGES = [
  { name: 'home', path: '/', signedIn: false },
  { name: 'sign-in', path: '/sign-in', signedIn: false },
  { name: 'account', path: '/account', signedIn: true },
  { name: 'booking (inspections)', path: '/inspections', signedIn: true },
  { name: 'preselection (plates)', path: '/plates', signedIn: true },
] as const;

type Row = { page: string; performance: number[]; accessibility: number; jsKb: number; jsFiles: number; fcp: string; lcp: string; tbt: string; cls: string; failedAudits: string[] };
const rows: Row[] = [];

let chrome: chromeLauncher.LaunchedChrome | undefined;
let sessionCookies: { name: string; value: string }[] = [];

test.beforeAll(async ({ playwright }) => {
  chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  // The demo citizen's session, through web's own API (as the browser would).
  const api = await playwright.request.newContext();
  const res = await api.post(`${origin}/api/v1/auth/sign-in`, { data: DEMO_CITIZEN });
  expect(res.status(), await res.text()).toBe(200);
  sessionCookies = (await api.storageState()).cookies.map(({ name, value }) => ({ name, value }));
  expect(sessionCookies.length).toBeGreaterThan(0);
  await api.dispose();
});

test.afterAll(async () => {
  await chrome?.kill();
  if (rows.length === 0) return;
  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  const lines = [
    `Budgets (issue 18): performance ≥ ${MIN_PERFORMANCE}, accessibility ${MIN_ACCESSIBILITY}, JavaScript ≤ ${MAX_JS_KB} KB compressed — Lighthouse ${lighthouseVersion}, mobile`,
    `${pad('page', 24)}${pad('perf', 12)}${pad('a11y', 6)}${pad('JS KB (files)', 15)}${pad('FCP', 8)}${pad('LCP', 8)}${pad('TBT', 9)}CLS`,
    ...rows.map((r) => `${pad(r.page, 24)}${pad(r.performance.join('/'), 12)}${pad(r.accessibility, 6)}${pad(`${r.jsKb.toFixed(1)} (${r.jsFiles})`, 15)}${pad(r.fcp, 8)}${pad(r.lcp, 8)}${pad(r.tbt, 9)}${r.cls}`),
  ];
  console.log(`\n${lines.join('\n')}\n`);
  writeFileSync(path.join(test.info().project.outputDir, 'budgets.json'), JSON.stringify(rows, null, 2));
});

let lighthouseVersion = '';

async function measure(url: string, signedIn: boolean) {
  const result = await lighthouse(url, {
    port: chrome!.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    extraHeaders: signedIn ? { Cookie: sessionCookies.map((c) => `${c.name}=${c.value}`).join('; ') } : undefined,
  });
  if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
  return result.lhr;
}

for (const p of PAGES) {
  test(`issue 18 · ${p.name} (${p.path}): Lighthouse mobile performance ≥ ${MIN_PERFORMANCE}, accessibility ${MIN_ACCESSIBILITY}, ≤ ${MAX_JS_KB} KB of JavaScript; axe finds nothing`, async ({ page, context, axe }) => {
    const performance: number[] = [];
    let lhr: Awaited<ReturnType<typeof measure>> | undefined;
    while (performance.length < PERFORMANCE_TRIES && (performance.length === 0 || Math.max(...performance) < MIN_PERFORMANCE)) {
      lhr = await measure(`${origin}${p.path}`, p.signedIn);
      performance.push(Math.round((lhr.categories.performance?.score ?? 0) * 100));
    }
    lighthouseVersion = lhr!.lighthouseVersion;
    // The page itself was measured, not the sign-in page it would send a stranger to.
    expect(new URL(lhr!.finalDisplayedUrl).pathname).toBe(p.path);

    type Request = { url: string; resourceType?: string; transferSize?: number; sessionTargetType?: string };
    const requests = ((lhr!.audits['network-requests']?.details as { items?: Request[] } | undefined)?.items ?? []).filter(
      (r) => r.resourceType === 'Script' && (r.sessionTargetType ?? 'page') === 'page',
    );
    const jsKb = requests.reduce((n, r) => n + (r.transferSize ?? 0), 0) / 1024;
    const accessibility = Math.round((lhr!.categories.accessibility?.score ?? 0) * 100);
    const shown = (id: string) => lhr!.audits[id]?.displayValue ?? '?';
    const failedAudits = Object.values(lhr!.audits)
      .filter((a) => a.score !== null && a.score < 1 && (a.scoreDisplayMode === 'binary' || a.scoreDisplayMode === 'numeric') && lhr!.categories.accessibility?.auditRefs.some((r) => r.id === a.id))
      .map((a) => a.id);
    const row: Row = {
      page: p.name, performance, accessibility, jsKb, jsFiles: requests.length,
      fcp: shown('first-contentful-paint'), lcp: shown('largest-contentful-paint'), tbt: shown('total-blocking-time'), cls: shown('cumulative-layout-shift'), failedAudits,
    };
    rows.push(row);
    console.log(`${p.path}: performance ${performance.join('/')} (≥ ${MIN_PERFORMANCE}), accessibility ${accessibility} (${MIN_ACCESSIBILITY}), JavaScript ${jsKb.toFixed(1)} KB in ${requests.length} files (≤ ${MAX_JS_KB}); FCP ${row.fcp}, LCP ${row.lcp}, TBT ${row.tbt}, CLS ${row.cls}`);

    expect.soft(Math.max(...performance), `performance of ${p.path} (runs: ${performance.join(', ')})`).toBeGreaterThanOrEqual(MIN_PERFORMANCE);
    expect.soft(accessibility, `accessibility of ${p.path}: ${failedAudits.join(', ')}`).toBeGreaterThanOrEqual(MIN_ACCESSIBILITY);
    expect.soft(jsKb, `KB of JavaScript on ${p.path}: ${requests.map((r) => `${r.url.replace(origin, '')} ${r.transferSize}`).join(', ')}`).toBeLessThanOrEqual(MAX_JS_KB);

    // axe (WCAG 2.2 AA tags) in Playwright, on the same page.
    if (p.signedIn) await context.addCookies(sessionCookies.map((c) => ({ ...c, url: origin })));
    await page.goto(p.path);
    await expect(page).toHaveURL(new RegExp(`${p.path.replace('/', '\\/')}$`));
    await axe();
  });
}

test('issue 18 · a page downloads only its own language, in the page: zh-CN pages carry no English words; switching loads English', async ({ page }) => {
  const scripts: string[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') void r.text().then((t) => scripts.push(t), () => {});
  });
  await page.goto('/');
  await expect(page.getByRole('link', { name: '跳到主要内容' })).toBeAttached();
  await page.waitForLoadState('networkidle');
  // app.skipLink in zh-CN.ts and en.ts. The page's own words come in the page as a JSON data block
  // (ADR-026: hydration never waits for them), so no script carries either dictionary.
  await expect(page.locator('script#jg-dict[type="application/json"][data-lang="zh-CN"]')).toBeAttached();
  expect(await page.locator('script#jg-dict').textContent()).toContain('跳到主要内容');
  expect(scripts.some((s) => s.includes('跳到主要内容'))).toBe(false);
  expect(scripts.some((s) => s.includes('Skip to main content'))).toBe(false);

  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeAttached();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(scripts.some((s) => s.includes('Skip to main content'))).toBe(true);
});

test(`issue 18 · the staff console: ≤ ${ADMIN_SIGN_IN_JS_BUDGET_KB} KB gzip of JavaScript before the sign-in form, Chinese words only (English loads when picked); assets compressed and cached for good, index.html revalidated`, async ({ page, request }) => {
  const scripts: string[] = [];
  const bodies: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') void r.text().then((t) => bodies.push(t), () => {});
  });
  await page.goto(adminUrl);
  await expect(page.getByRole('textbox', { name: '用户名' })).toBeVisible();
  const beforeForm = [...new Set(scripts)];
  expect(beforeForm.length).toBeGreaterThan(0);
  await page.waitForLoadState('networkidle');
  // app.title in admin/src/i18n/zh-CN.ts and en.ts
  expect(bodies.some((b) => b.includes('交管业务管理'))).toBe(true);
  expect(bodies.some((b) => b.includes('Traffic services admin'))).toBe(false);

  let gzip = 0;
  let brotli = 0;
  for (const url of beforeForm) {
    const gz = await request.get(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.status(), url).toBe(200);
    expect(gz.headers()['cache-control'], url).toBe('public, max-age=31536000, immutable');
    const size = Number(gz.headers()['content-length']);
    gzip += size;
    // files under 1 KB go as they are (admin/vite.config.ts)
    if (size < 1024 && !gz.headers()['content-encoding']) {
      brotli += size;
      continue;
    }
    expect(gz.headers()['content-encoding'], url).toBe('gzip');
    const br = await request.get(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers()['content-encoding'], url).toBe('br');
    brotli += Number(br.headers()['content-length']);
  }
  const index = await request.get(adminUrl);
  expect(index.headers()['cache-control']).toBe('no-cache');

  // Picking English fetches its dictionary; the form speaks English, and so does the page.
  await page.getByRole('button', { name: '简体中文' }).click();
  await page.getByRole('menuitem', { name: 'English' }).click();
  await expect(page.getByRole('textbox', { name: 'Username' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle('Traffic services admin');
  expect(bodies.some((b) => b.includes('Traffic services admin'))).toBe(true);
  console.log(`\nStaff console before the sign-in form: ${beforeForm.length} scripts, ${(gzip / 1024).toFixed(1)} KB gzip, ${(brotli / 1024).toFixed(1)} KB brotli (budget ${ADMIN_SIGN_IN_JS_BUDGET_KB} KB gzip)\n`);
  expect(gzip / 1024).toBeLessThanOrEqual(ADMIN_SIGN_IN_JS_BUDGET_KB);
});
