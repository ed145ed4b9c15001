import { test, expect, latestSms, codeIn } from './fixtures.ts';
import { WEB_PORT } from '../playwright.config.ts';

// Issue 2 user story: sign up and sign in on web, see bound vehicles, go offline, reload, still see them.
test('citizen signs up with an SMS code, sees her bound vehicles, and still sees them offline after a reload', async ({ page, request, context, axe }) => {
  await page.goto('/sign-up');
  await expect(page.getByRole('heading', { level: 1, name: '注册账户' })).toBeVisible();
  await axe();

  await page.getByLabel('姓名').fill('李娜');
  await page.getByLabel('身份证号').fill('440303198811057101');
  await page.getByLabel('手机号').fill('13900139000');
  await page.getByRole('button', { name: '获取验证码' }).click();
  const sms = await latestSms(request, '13900139000');
  await page.getByLabel('短信验证码').fill(codeIn(sms.text));
  await page.getByLabel('密码', { exact: true }).fill('Lina#2026pass');
  await page.getByLabel('确认密码').fill('Lina#2026pass');
  await page.getByRole('button', { name: '注册', exact: true }).click();

  // her own vehicles and licence are bound at registration.
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  const vehicles = page.getByRole('region', { name: '我的车辆' }).or(page.locator('section', { has: page.getByRole('heading', { name: '我的车辆' }) }));
  await expect(vehicles.first()).toContainText('粤B');
  const plates = await vehicles.first().getByText(/粤B[0-9A-Z]{5,6}/).allInnerTexts();
  expect(plates.length).toBeGreaterThanOrEqual(1);
  // Non-negotiable 7: the ID number is masked.
  await expect(page.getByText('440303********7101').first()).toBeVisible();
  await expect(page.getByText('440303198811057101')).toHaveCount(0);
  await axe();

  // Sign out, sign in with the password.
  await page.getByRole('button', { name: /^退出登录$/ }).click();
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill('13900139000');
  await page.getByLabel('密码', { exact: true }).fill('Lina#2026pass');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  await expect(page.getByText(plates[0]!).first()).toBeVisible();

  // Offline: the service worker serves the page and the data saved on this device, with its age.
  await page.locator('html[data-offline-ready="true"]').waitFor({ state: 'attached' });
  await page.reload();
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText(plates[0]!).first()).toBeVisible();
  await expect(page.getByText(/离线：显示的是本设备于 .+ 保存的数据/)).toBeVisible();
  await context.setOffline(false);
});

test('the demo citizen signs in with an SMS code and sees his vehicles in English', async ({ page, request, context }) => {
  await context.addCookies([{ name: 'lang', value: 'en', url: `http://localhost:${WEB_PORT}` }]);
  await page.goto('/sign-in?method=sms');
  await page.getByLabel('Phone number').fill('13800138000');
  const before = new Date(Date.now() - 1000).toISOString();
  await page.getByRole('button', { name: /get code|send code/i }).click();
  const sms = await latestSms(request, '13800138000', before);
  await page.getByLabel(/SMS code/i).fill(codeIn(sms.text));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
  await expect(page.getByText('粤BA1234').first()).toBeVisible();
});

test('a wrong password is answered with a localised error summary that takes focus', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill('13800138000');
  await page.getByLabel('密码', { exact: true }).fill('not-the-password1');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { name: '出现问题' })).toBeVisible();
  await expect(page.getByRole('link', { name: '账号或密码不正确' })).toHaveAttribute('href', '#phone');
  // GOV.UK pattern: the summary takes focus so screen readers announce it.
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('出现问题');
});
