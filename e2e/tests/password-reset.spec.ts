import type { APIRequestContext } from '@playwright/test';
import { WEB_PORT } from '../playwright.config.ts';
import { test, expect, latestSms, codeIn, bffUrl } from './fixtures.ts';

/**
 * Issue 18 user story: a citizen who forgot her password is warned before the
 * last sign-in attempt, resets the password with an SMS code from the dev
 * inbox, her other sessions end, and the new password signs her in.
 * 梁国栋 (a demo person without an account) is used by no other spec; 陈静 is registered by accounts.spec.
 */
const LIANG_GUODONG = { name: '梁国栋', idNumber: '440306196507073297', phone: '13430547656' };
const FIRST_PASSWORD = 'violet-canyon-93-orbit';
const NEW_PASSWORD = 'amber-tide-harbour-57';

async function clock(request: APIRequestContext): Promise<{ now: string; offsetMs: number }> {
  return (await (await request.get(`${bffUrl}/dev/clock`)).json()) as { now: string; offsetMs: number };
}

test('issue 18: warned before the last attempt, a citizen resets her password by SMS code; her other sessions end and the new password signs in', async ({ page, request, axe }) => {
  // She signs up on another device (the API): that session must end with the reset.
  const since = (await clock(request)).now;
  expect((await request.post(`${bffUrl}/api/v1/auth/sms-codes`, { data: { phone: LIANG_GUODONG.phone, purpose: 'sign_up' } })).status()).toBe(202);
  const signUpCode = codeIn((await latestSms(request, LIANG_GUODONG.phone, since)).text);
  const signedUp = await request.post(`${bffUrl}/api/v1/auth/sign-up`, { data: { ...LIANG_GUODONG, smsCode: signUpCode, password: FIRST_PASSWORD } });
  expect(signedUp.status()).toBe(201);
  expect((await request.get(`${bffUrl}/api/v1/me`)).status()).toBe(200);

  // Three wrong passwords; the fourth is answered with the warning, at the phone field, in the server's words.
  await page.goto('/sign-in');
  for (let i = 0; i < 4; i++) {
    await page.getByLabel('手机号').fill(LIANG_GUODONG.phone);
    await page.getByLabel('密码', { exact: true }).fill(`not-my-password-${i}`);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByRole('heading', { name: '出现问题' })).toBeVisible();
    await expect(page.locator('#phone-error')).toContainText('账号或密码不正确');
  }
  await expect(page.locator('#phone-error')).toContainText('还剩1次机会：再输错1次，账号将被锁定15分钟。');
  await expect(page.getByRole('link', { name: /还剩1次机会/ })).toHaveAttribute('href', '#phone');

  // "Forgot password?" → the reset page.
  await page.getByRole('link', { name: '忘记密码？' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '重设密码' })).toBeVisible();
  await axe();
  await page.getByLabel('手机号').fill(LIANG_GUODONG.phone);
  // One code a minute per phone: the sign-up code was just sent, so the shared test clock moves on a minute, and back afterwards.
  const { offsetMs } = await clock(request);
  let code: string;
  try {
    await request.post(`${bffUrl}/dev/clock`, { data: { offsetMs: offsetMs + 61_000 } });
    const asked = (await clock(request)).now;
    await page.getByRole('button', { name: '获取验证码' }).click();
    // The page does not say whether the number has an account.
    await expect(page.getByRole('status').filter({ hasText: '如果 134****7656 已注册账户' })).toBeVisible();
    code = codeIn((await latestSms(request, LIANG_GUODONG.phone, asked)).text);
  } finally {
    await request.post(`${bffUrl}/dev/clock`, { data: { offsetMs } });
  }
  await axe();

  // A guessable password is refused at its field; the code stays usable.
  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('新密码', { exact: true }).fill('password123');
  await page.getByLabel('确认新密码').fill('password123');
  await page.getByRole('button', { name: '重设密码' }).click();
  await expect(page.locator('#newPassword-error')).toContainText('密码太容易被猜到');

  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '重设密码' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '密码已重设' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '其他设备上的登录已全部退出' })).toBeVisible();
  await axe();

  // The other device is signed out; the new password signs in (the failed attempts no longer count).
  expect((await request.get(`${bffUrl}/api/v1/me`)).status()).toBe(401);
  await page.getByRole('link', { name: '用新密码登录' }).click();
  await page.getByLabel('手机号').fill(LIANG_GUODONG.phone);
  await page.getByLabel('密码', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
});

test('issue 18: the reset page in English', async ({ page, context, axe }) => {
  await context.addCookies([{ name: 'lang', value: 'en', url: `http://localhost:${WEB_PORT}` }]);
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  await expect(page.getByText('If an account uses this number, we will send it an SMS code.')).toBeVisible();
  await axe();
});
