import type { Page } from '@playwright/test';
import { test, expect, adminUrl, bffUrl, staffSignInOnPage } from './fixtures.ts';
import { BFF_PORT, WEB_PORT } from '../playwright.config.ts';

/**
 * Issue 17 (ADR-023) in a real browser: the Content-Security-Policy of the
 * web app (SvelteKit, hashes), the staff console and the API reference
 * (Hono's secureHeaders) forbids inline scripts and framing, and Chromium
 * finds nothing to refuse while the pages work — the service worker
 * registers, the console signs in, swagger-ui renders. The development
 * tools' banner shows in both apps. A state change sent from another site is
 * refused by the bff.
 */

/** Every CSP refusal Chromium reports on the page. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

function expectStrictCsp(csp: string | undefined, what: string) {
  expect(csp, what).toBeTruthy();
  expect(csp, what).toContain("frame-ancestors 'none'");
  const scripts = /(?:^|;)\s*script-src ([^;]*)/.exec(csp!)?.[1] ?? '';
  expect(scripts, what).toContain("'self'");
  expect(scripts, what).not.toContain('unsafe-inline');
  expect(scripts, what).not.toContain('unsafe-eval');
}

test('issue 17 · the web app runs under its CSP: no inline script refused, the service worker registers, the dev-tools banner shows', async ({ page }) => {
  const violations = cspViolations(page);
  const res = await page.goto('/');
  const headers = res!.headers();
  expectStrictCsp(headers['content-security-policy'], 'web /');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBeTruthy();
  await expect(page.getByTestId('dev-tools-banner')).toContainText('开发工具已开启');
  await expect(page.getByTestId('dev-tools-banner')).toContainText('development tools are on');
  // The PWA's service worker (first-visit registration from a file, then virtual:pwa-register) takes over.
  await expect(page.locator('html[data-offline-ready="true"]')).toBeAttached({ timeout: 20_000 });
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill('13600136000');
  await page.getByLabel('密码', { exact: true }).fill('Demo#2026pass');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  expect(violations).toEqual([]);
});

test('issue 17 · the staff console and the API reference run under their CSP; the console shows the dev-tools banner', async ({ page }) => {
  const violations = cspViolations(page);
  const res = await page.goto(adminUrl);
  expectStrictCsp(res!.headers()['content-security-policy'], '/admin/');
  expect(res!.headers()['x-content-type-options']).toBe('nosniff');
  await expect(page.getByTestId('dev-tools-banner')).toContainText('开发工具已开启');
  await staffSignInOnPage(page, 'sz.review');
  // Signed in: the console replaced the sign-in form (React and MUI's styles ran under the CSP).
  await expect(page.getByRole('textbox', { name: '用户名' })).toHaveCount(0);
  await expect(page.getByTestId('dev-tools-banner')).toBeVisible();

  const docs = await page.goto(`${bffUrl}/api/docs`);
  expectStrictCsp(docs!.headers()['content-security-policy'], '/api/docs');
  await expect(page.getByText('交管互联网服务平台 API').first()).toBeVisible();
  expect(violations).toEqual([]);
});

test('issue 17 · a state change sent to the bff from another site is refused with 403', async ({ page }) => {
  // A document of another site (127.0.0.1 and localhost are different sites to the browser)
  // whose CSP does not stop the form: a static file of web, served without one.
  await page.goto(`http://127.0.0.1:${WEB_PORT}/robots.txt`);
  const target = `http://localhost:${BFF_PORT}/api/v1/auth/sign-out`;
  const answer = page.waitForResponse((r) => r.url() === target);
  // What a hostile page does: a form posted across sites (a navigation, so the browser shows the answer).
  await page.evaluate((url) => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = url;
    form.enctype = 'text/plain';
    document.body.appendChild(form);
    form.submit();
  }, target);
  const res = await answer;
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { code: string }).code).toBe('request.cross_site');
});
