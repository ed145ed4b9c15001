import { generateHOTP } from '@oslojs/otp';
import { test, expect, adminUrl } from './fixtures.ts';

// Staff work at desks: a desktop viewport, where react-admin shows its menu.
test.use({ viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false });

// Issue 2 user story: a staff member signs in to admin and sees the audit entry of that sign-in.
test('a 受理岗 staff member signs in to the Chinese admin and finds the audit entry of that sign-in', async ({ page }) => {
  await page.goto(adminUrl);
  await page.getByLabel('用户名').fill('sz.intake');
  await page.getByRole('textbox', { name: '密码' }).fill('Staff#2026pass');
  await page.getByRole('button', { name: '登录' }).click();
  // react-admin in Chinese (toolchain gotcha 6: the CJS locale must be unwrapped).
  await expect(page.getByRole('menuitem', { name: /审计日志/ })).toBeVisible();
  await page.getByRole('menuitem', { name: /审计日志/ }).click();
  await expect(page.getByText('auth.staff_signed_in').first()).toBeVisible();
  await expect(page.getByText('深圳受理员 林晓(sz.intake)').first()).toBeVisible();
  // Menu by role: intake staff do not see the calendar or jobs.
  await expect(page.getByRole('menuitem', { name: /工作日历|任务/ })).toHaveCount(0);
});

test('the system administrator needs a TOTP code (等保 level 3) and is warned that next year has no holiday data', async ({ page }) => {
  await page.goto(adminUrl);
  await page.getByLabel('用户名').fill('admin');
  await page.getByRole('textbox', { name: '密码' }).fill('Staff#2026pass');
  await page.getByRole('button', { name: '登录' }).click();
  const totp = page.getByLabel(/动态口令/);
  await expect(totp).toBeVisible();
  const key = new TextEncoder().encode('12345678901234567890');
  await totp.fill(generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000)), 6));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText(/缺少 2027 年节假日数据/)).toBeVisible();
});
