import { test, expect, adminUrl, staffSignInOnPage, STAFF_PASSWORD, totpCode } from './fixtures.ts';

// Staff work at desks: a desktop viewport, where react-admin shows its menu.
test.use({ viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false });

// Issue 2 user story: a staff member signs in to admin, and the audit entry of that sign-in is there —
// for the 审计员, who reads the log and holds no business post (issue 17, ADR-024).
test('a 受理岗 staff member signs in to the Chinese admin; the 审计员, not the 受理岗, finds the audit entry of that sign-in', async ({ browser, page }) => {
  await page.goto(adminUrl);
  await staffSignInOnPage(page, 'sz.intake');
  // react-admin in Chinese (toolchain gotcha 6: the CJS locale must be unwrapped).
  await expect(page.getByRole('menuitem', { name: /窗口注册/ })).toBeVisible();
  // Menu by role: intake staff see neither the audit log nor the calendar or jobs.
  await expect(page.getByRole('menuitem', { name: /审计日志|工作日历|任务/ })).toHaveCount(0);

  const auditor = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
  await auditor.goto(adminUrl);
  await staffSignInOnPage(auditor, 'sz.audit');
  await auditor.getByRole('menuitem', { name: /审计日志/ }).click();
  // Searched by actor: specs before this one move the shared dev clock forward and back, so the
  // newest rows of the log may be dated later than this sign-in (exam allocations, lapses, …).
  await auditor.getByRole('textbox', { name: '搜索' }).fill('sz.intake');
  // In words (issue 18): who did what, not the code auth.staff_signed_in.
  await expect(auditor.getByRole('row').filter({ hasText: /深圳受理员 林晓.*登录了/ }).first()).toBeVisible();
  // and nothing else: no business screens for the auditor
  await expect(auditor.getByRole('menuitem', { name: /窗口注册|补换领|号牌/ })).toHaveCount(0);
});

test('the system administrator needs a TOTP code (等保 level 3) and is warned that next year has no holiday data', async ({ page }) => {
  await page.goto(adminUrl);
  await page.getByLabel('用户名').fill('admin');
  await page.getByRole('textbox', { name: '密码' }).fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  const totp = page.getByLabel(/动态口令/);
  await expect(totp).toBeVisible();
  // the documented demo key of `admin` (README: the RFC 6238 test key)
  await totp.fill(await totpCode('admin'));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText(/缺少 2027 年节假日数据/)).toBeVisible();
});
