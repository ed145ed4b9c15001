import { request as playwrightRequest } from '@playwright/test';
import { adminUrl, base32Bytes, bffUrl, expect, hotp, STAFF_PASSWORD, STAFF_TOTP_KEYS, staffSignInOnPage, test, totpCode } from './fixtures.ts';

// Staff work at desks: a desktop viewport, where react-admin shows its menu.
test.use({ viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false });

/**
 * Issue 17 user story (GB/T 22239 level 3: every staff member on two factors):
 * 广州受理员 罗嘉欣 lost her phone. The system administrator finds her among
 * the staff accounts (posts, city, second-factor state) and resets her TOTP
 * with the reason; at her next sign-in the password opens only the enrolment
 * screen: she adds the new key to her authenticator, confirms it with a code,
 * reaches the console, and from then on signs in with the new key — the old
 * one no longer works. (gz.intake: no other story signs her in.)
 */
test('the system administrator resets a staff member’s TOTP; she enrols a new key at her next sign-in and signs in with it', async ({ browser, page, axe }) => {
  // 系统管理员: 工作人员账号 → 罗嘉欣 → 重置动态口令, with the reason
  const adminContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  adminContext.setDefaultTimeout(20_000);
  const admin = await adminContext.newPage();
  await admin.goto(adminUrl);
  await staffSignInOnPage(admin, 'admin');
  await expect(admin.getByRole('heading', { name: /您好/ })).toBeVisible();
  await admin.getByRole('menuitem', { name: /工作人员账号/ }).click();
  const row = admin.getByRole('row', { name: /gz\.intake/ });
  await expect(row).toContainText('罗嘉欣');
  await expect(row).toContainText('受理岗');
  await expect(row).toContainText('广州');
  await expect(row).toContainText('已启用');
  await row.click();
  await admin.getByLabel('重置原因').fill('手机遗失，本人申请重置');
  await admin.getByRole('button', { name: '重置动态口令' }).click();
  // issue 18: the consequence in words before it is sent
  await expect(admin.getByRole('dialog')).toContainText('所有登录立即退出');
  await admin.getByRole('dialog').getByRole('button', { name: '重置动态口令' }).click();
  await expect(admin.getByText('动态口令已重置，该工作人员下次登录时须重新设置')).toBeVisible();
  await expect(admin.getByText('未设置（下次登录时设置）')).toBeVisible();
  await adminContext.close();

  // 罗嘉欣 signs in with her password: only the enrolment screen opens
  await page.goto(adminUrl);
  await page.getByRole('textbox', { name: '用户名' }).fill('gz.intake');
  await page.getByRole('textbox', { name: '密码' }).fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('heading', { name: '设置动态口令' })).toBeVisible();
  const secretBox = page.getByLabel('密钥');
  await expect(secretBox).toHaveValue(/^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$/);
  const secret = (await secretBox.inputValue()).replace(/\s/g, '');
  await expect(page.getByRole('link', { name: '在本机的身份验证器中打开' })).toHaveAttribute('href', new RegExp(`^otpauth://totp/.*secret=${secret}`));
  await axe();
  // a wrong code is refused at the field; the right one turns the key on and opens the console
  const codeBox = page.getByRole('textbox', { name: /身份验证器显示的动态口令/ });
  const right = await totpCode(secret);
  await codeBox.fill(right === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: '确认启用' }).click();
  await expect(page.getByText('动态口令不正确或已使用').first()).toBeVisible();
  await codeBox.fill(right);
  await page.getByRole('button', { name: '确认启用' }).click();
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /我的动态口令/ })).toBeVisible();

  // from now on the new key signs her in, and the documented old one is refused
  const api = await playwrightRequest.newContext({ baseURL: bffUrl });
  const old = await api.post('/admin-api/auth/sign-in', {
    data: { username: 'gz.intake', password: STAFF_PASSWORD, totp: hotp(base32Bytes(STAFF_TOTP_KEYS['gz.intake']!), Math.floor(Date.now() / 30_000)) },
  });
  expect(old.status()).toBe(401);
  expect(((await old.json()) as { code: string }).code).toBe('auth.totp_invalid');
  await api.dispose();
  const again = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const second = await again.newPage();
  await second.goto(adminUrl);
  await staffSignInOnPage(second, 'gz.intake', secret);
  await expect(second.getByRole('heading', { name: /您好/ })).toBeVisible();
  await again.close();
});
