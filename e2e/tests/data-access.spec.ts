import type { APIRequestContext } from '@playwright/test';
import { test, expect, adminUrl, bffUrl, staffSignInOnPage } from './fixtures.ts';

// Issue 17 user story (ADR-024): staff see a citizen's ID number masked; a 受理岗 member who needs it
// reveals it with a reason; the citizen's "who viewed my data" page shows that reveal — the post, the
// city, the time and the reason — and never the staff member's name.

const ZHANG_WEI = { userId: '50000000-0000-4000-8000-000000000001', phone: '13800138000', idNumber: '440304198503122756' };
const REASON = '核对窗口业务申请人身份';

/** The bff's clock (other specs may move it with /dev/clock): the reveal is stamped with it. */
async function bffNow(request: APIRequestContext): Promise<number> {
  return Date.parse(((await (await request.get(`${bffUrl}/dev/clock`)).json()) as { now: string }).now);
}

test('a 受理岗 member reveals a citizen’s ID number with a reason; the citizen’s “who viewed my data” shows the post, city, time and reason, not the name', async ({ browser, page, axe }) => {
  // 受理岗 at a desk: the account's page shows the ID number masked.
  const desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const intake = await desk.newPage();
  await intake.goto(adminUrl);
  await staffSignInOnPage(intake, 'sz.intake');
  await expect(intake.getByRole('heading', { name: /您好/ })).toBeVisible();
  await intake.goto(`${adminUrl}#/user-accounts/${ZHANG_WEI.userId}/show`);
  await expect(intake.getByText('440304********2756')).toBeVisible();
  await expect(intake.getByText(ZHANG_WEI.idNumber)).toHaveCount(0);

  // The full value needs a reason; it is then shown, and the viewing is recorded.
  const before = await bffNow(page.request);
  await intake.getByRole('button', { name: '查看完整的身份证明号码' }).click();
  await intake.getByRole('button', { name: '确认查看' }).click();
  await expect(intake.getByText('请填写此项').or(intake.getByText(/必填/)).first()).toBeVisible();
  await intake.getByRole('textbox', { name: /查看身份证明号码的原因/ }).fill(REASON);
  await intake.getByRole('button', { name: '确认查看' }).click();
  await expect(intake.getByText(ZHANG_WEI.idNumber)).toBeVisible();
  await expect(intake.getByText('已记录查看')).toBeVisible();
  const after = await bffNow(page.request);
  await desk.close();

  // 张伟 signs in and opens "who viewed my data" from his account page.
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(ZHANG_WEI.phone);
  await page.getByLabel('密码', { exact: true }).fill('Demo#2026pass');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  await page.getByRole('link', { name: '谁查看了我的信息' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '谁查看了我的信息' })).toBeVisible();

  const row = page.getByRole('row').filter({ hasText: REASON });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(1)).toHaveText('受理岗');
  await expect(row.getByRole('cell').nth(2)).toHaveText('深圳市');
  await expect(row.getByRole('cell').nth(3)).toHaveText('身份证明号码');
  await expect(row.getByRole('cell').nth(5)).toHaveText(REASON);
  const at = Date.parse((await row.locator('time').getAttribute('datetime'))!);
  expect(at).toBeGreaterThanOrEqual(before);
  expect(at).toBeLessThanOrEqual(after);
  await expect(row.locator('time')).not.toBeEmpty();
  // Never who: not the member's name, username or display name.
  const text = await page.locator('main').innerText();
  for (const who of ['林晓', 'sz.intake', '深圳受理员']) expect(text).not.toContain(who);
  await axe();
});
