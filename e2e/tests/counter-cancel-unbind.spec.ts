import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, adminUrl, bffUrl, codeIn, latestSms, staffPage } from './fixtures.ts';

// Issue 18 (R-19.1, R-21.2, ADR-027): 何雪梅 registered online, then comes to the Shenzhen counter in
// person. 受理岗 reads her identity card, ends the binding of her driving licence (a dialog states the
// consequence, the page keeps the reference number, she gets an SMS), is refused when the card read
// is someone else's, and then cancels the whole account at her request. She is a demo person no other
// story uses, so cancelling her account takes nothing from the stories after this one.

const HE_XUEMEI = { idNumber: '44030919760308976X', name: '何雪梅', phone: '19989011644' };
const PASSWORD = 'Demo#2026pass';
const WANG_FANG = { idNumber: '440305199007213406', name: '王芳' };

test.describe.configure({ mode: 'serial' });

async function readCard(section: ReturnType<Page['locator']>, who: { idNumber: string; name: string }) {
  await section.getByRole('textbox', { name: '身份证明号码' }).fill(who.idNumber);
  await section.getByRole('textbox', { name: '姓名' }).fill(who.name);
}

async function clock(request: APIRequestContext): Promise<{ now: string }> {
  return (await (await request.get(`${bffUrl}/dev/clock`)).json()) as { now: string };
}

async function signUpOnWeb(page: Page) {
  const since = (await clock(page.request)).now;
  await page.goto('/sign-up');
  await page.getByRole('radio', { name: /车主或驾驶人/ }).check();
  await page.getByLabel('姓名').fill(HE_XUEMEI.name);
  await page.getByLabel('身份证号').fill(HE_XUEMEI.idNumber);
  await page.getByLabel('手机号').fill(HE_XUEMEI.phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByLabel('短信验证码').fill(codeIn((await latestSms(page.request, HE_XUEMEI.phone, since)).text));
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByLabel('确认密码').fill(PASSWORD);
  await page.getByRole('button', { name: '注册', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
}

test('R-19.1 / R-21.2 受理岗 unbinds a vehicle and cancels the account of the holder in person, each with a reference', async ({ browser, page, request }) => {
  await signUpOnWeb(page);
  const intake = await staffPage(browser, 'sz.intake');
  await intake.goto(`${adminUrl}#/user-accounts`);
  await intake.getByLabel('手机号、身份证明号码或统一社会信用代码').fill(HE_XUEMEI.phone);
  await intake.getByRole('row').filter({ hasText: '199****1644' }).first().click();
  await expect(intake.getByRole('heading', { name: '窗口解绑和窗口注销（受理岗）' })).toBeVisible();

  // end one binding
  const unbind = intake.locator('form').filter({ has: intake.getByRole('button', { name: '解除绑定' }) });
  await unbind.getByRole('combobox', { name: '要解除的绑定' }).click();
  await intake.getByRole('option', { name: /驾驶证/ }).click();
  await readCard(unbind, HE_XUEMEI);
  await unbind.getByRole('button', { name: '解除绑定' }).click();
  const ask = intake.getByRole('dialog');
  await expect(ask).toContainText('确定解除绑定？');
  await expect(ask).toContainText('驾驶证');
  await expect(ask).toContainText('短信告知');
  await ask.getByRole('button', { name: '解除绑定' }).click();
  const receipt = intake.getByTestId('counter-desk-receipt');
  await expect(receipt).toContainText(/已解除绑定 .*受理编号 YH440300\d{13}/);
  const reference = (await receipt.textContent())!.match(/YH440300\d{13}/)![0];
  expect((await latestSms(request, HE_XUEMEI.phone)).text).toContain(reference);

  // someone else's card is refused at the field, in the server's words; nothing changes
  const cancel = intake.locator('form').filter({ has: intake.getByRole('button', { name: '注销账号' }) });
  await readCard(cancel, WANG_FANG);
  await cancel.getByRole('button', { name: '注销账号' }).click();
  await expect(intake.getByRole('dialog')).toContainText('注销不能撤销');
  await intake.getByRole('dialog').getByRole('button', { name: '注销账号' }).click();
  await expect(cancel).toContainText('读取的身份证明不是该账号所属用户本人的');
  await expect(intake.getByText('已注销')).toHaveCount(0);

  // the holder's own card: cancelled, every binding ended, the reference on the page and in the SMS
  await readCard(cancel, HE_XUEMEI);
  await cancel.getByRole('button', { name: '注销账号' }).click();
  await intake.getByRole('dialog').getByRole('button', { name: '注销账号' }).click();
  await expect(intake.getByTestId('counter-desk-receipt')).toContainText(/账号已注销，受理编号 YH440300\d{13}/);
  await expect(intake.getByRole('heading', { name: '窗口解绑和窗口注销（受理岗）' })).toHaveCount(0);
  const sms = await latestSms(request, HE_XUEMEI.phone);
  expect(sms.text).toMatch(/已注销（受理编号YH440300\d{13}），原因：本人申请/);
});
