import { bffUrl, codeIn, expect, latestSms, staffApiSignIn, staffPage, test } from './fixtures.ts';
import type { Page } from '@playwright/test';

/**
 * Issue 21 "Done when" as user stories (第五章, X-5.4 –, PD-10; ADR-034).
 * Demo drivers of db/seed/violations.ts, used by no other story:
 *   孙浩然 two camera records of 粤B7V2K8 (200 元 / 3 分 and 100 元 / 3 分; 2 points on his licence),
 *   吴秀兰 9 points and a 3-point record (would reach 12),
 *   郭明辉 a decision of 150 元 served 20 days before the database was loaded.
 */
const SUN = '13760123401';
const WU = '13760123402';
const GUO = '13760123403';

async function signIn(page: Page, phone: string) {
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill('Demo#2026pass');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
}

/** The dev gateway plays Alipay: 确认付款 posts the signed notification (twice) and sends the buyer back. Answers the order id. */
async function payThroughGateway(page: Page): Promise<string> {
  await expect(page.getByRole('heading', { level: 1, name: '确认缴费' })).toBeVisible();
  const orderId = new URL(page.url()).pathname.split('/')[2]!;
  await page.getByRole('button', { name: '前往支付宝支付' }).click();
  await expect(page.getByRole('heading', { name: '支付宝收银台（模拟）' })).toBeVisible();
  await page.getByRole('button', { name: '确认付款' }).click();
  await expect(page).toHaveURL(new RegExp(`/payments/${orderId}/result`));
  await expect(page.getByRole('heading', { name: '缴费成功' })).toBeVisible();
  return orderId;
}

test('X-5.5 X-5.6 a citizen handles two camera records of one vehicle, confirms by SMS, prints the decision and pays once', async ({ page, axe }) => {
  await signIn(page, SUN);
  await page.goto('/violations');
  await expect(page.getByRole('heading', { level: 1, name: '交通违法处理' })).toBeVisible();
  await expect(page.getByTestId('licence-points')).toHaveText('2');
  // the 500 元 record and the on-site ticket say why and where to go, at the record
  await expect(page.getByTestId('refusal').filter({ hasText: '罚款超过200元' })).toContainText('窗口');
  await expect(page.getByTestId('refusal').filter({ hasText: '不是交通技术监控设备记录的' })).toBeVisible();
  await axe();

  // the record's camera photos, from the upload store through the bff
  await page.getByRole('link', { name: /详情与照片 驾驶机动车违反道路交通信号灯通行的/ }).click();
  const photo = page.getByRole('img', { name: '违法抓拍照片 1' });
  await expect(photo).toBeVisible();
  // loaded and decoded (a broken image is complete with width 0; one still loading is not complete)
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : -1))).toBeGreaterThan(0);
  await page.goto('/violations');

  const boxes = page.getByRole('checkbox', { name: /选择处理/ });
  await expect(boxes).toHaveCount(2);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const before = new Date().toISOString();
  await page.getByRole('button', { name: '核对并获取短信验证码' }).click();
  await expect(page.getByRole('heading', { name: '确认处理' })).toBeVisible();
  await expect(page.getByText(/罚款300\.00元，记6分/)).toBeVisible();
  const sms = await latestSms(page.request, SUN, before);
  await page.getByLabel('短信验证码').fill(codeIn(sms.text));
  await page.getByRole('button', { name: '确认处理，生成处罚决定书' }).click();

  // the electronic decision, printable, with its verification code
  await expect(page.getByRole('heading', { level: 1, name: /处罚决定书/ })).toBeVisible();
  await expect(page.getByTestId('total-fine')).toHaveText('¥300.00');
  await expect(page.getByTestId('total-points')).toHaveText('6');
  await expect(page.getByTestId('due-late-fee')).toHaveText('¥0.00');
  await expect(page.getByRole('button', { name: '打印决定书' })).toBeVisible();
  // printed: the decision itself, without the pay and print controls
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('decision-no')).toBeVisible();
  await expect(page.getByRole('button', { name: '去缴款' })).toBeHidden();
  await expect(page.getByRole('button', { name: '打印决定书' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  const decisionNo = (await page.getByTestId('decision-no').textContent())!.trim();
  const code = (await page.getByTestId('verification-code').textContent())!.trim();
  const decisionUrl = page.url();
  await axe();
  // not yet counted — the points come with the payment
  await page.goto('/violations');
  await expect(page.getByTestId('licence-points')).toHaveText('2');

  await page.goto(decisionUrl);
  await page.getByRole('button', { name: '去缴款' }).click();
  const orderId = await payThroughGateway(page);

  // the notification arrived twice: one payment in the ledger, the decision paid once, the points counted once
  expect((await staffApiSignIn(page.request, 'gd.review')).status()).toBe(200);
  const adminOrder = await (await page.request.get(`${bffUrl}/admin-api/payment-orders/${orderId}`)).json();
  expect(adminOrder).toMatchObject({ status: 'paid', amountFen: 300_00, ledgerEntries: 1 });
  await expect(async () => {
    await page.goto(decisionUrl);
    await expect(page.getByTestId('decision-status')).toHaveText('已缴款', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.goto('/violations/points');
  await expect(page.getByTestId('ledger-points')).toHaveText('8');

  // anyone can check the printed decision
  await page.goto(`/violations/verify?no=${decisionNo}&code=${code}`);
  await expect(page.getByTestId('verify-result')).toContainText('核验通过');
});

test('X-5.4 a record that would reach 12 points is refused with its reason', async ({ page }) => {
  await signIn(page, WU);
  await page.goto('/violations');
  const refusal = page.getByTestId('refusal');
  await expect(refusal).toContainText('处理后驾驶证累计记分将达到12分');
  await expect(refusal).toContainText('合计12分');
  await expect(refusal).toContainText('窗口');
  await expect(page.getByRole('checkbox', { name: /选择处理/ })).toHaveCount(0);
});

test('X-5.7 X-5.8 a fine paid on day 20 shows its late fee before paying and is paid with it', async ({ page, axe }) => {
  await signIn(page, GUO);
  await page.goto('/violations/decisions');
  await page.getByRole('link', { name: /去缴款/ }).first().click();
  // the served day is day 0; the shared clock may have been moved by earlier stories, so the day is read from the page
  const caption = (await page.getByRole('table').filter({ hasText: '加处罚款' }).locator('caption').textContent())!;
  const day = Number(/第(\d+)天/.exec(caption)![1]);
  const offset = ((await (await page.request.get(`${bffUrl}/dev/clock`)).json()) as { offsetMs: number }).offsetMs;
  if (offset === 0) expect(day).toBe(20);
  // PD-10, independently: 3 % of 150 元 per day past the 15th, whole fen rounded down, capped at the fine
  const late = Math.min(150_00, Math.floor((150_00 * 3 * Math.max(0, day - 15)) / 100));
  const yuan = (fen: number) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  await expect(page.getByTestId('due-fine')).toHaveText('¥150.00');
  await expect(page.getByTestId('due-late-fee')).toHaveText(yuan(late));
  await expect(page.getByTestId('due-total')).toHaveText(yuan(150_00 + late));
  if (day === 20) await expect(page.getByTestId('due-late-fee')).toHaveText('¥22.50');
  await axe();
  const decisionUrl = page.url();
  await page.getByRole('button', { name: '去缴款' }).click();
  await expect(page.getByRole('row', { name: /加处罚款/ })).toContainText(yuan(late));
  await payThroughGateway(page);
  await expect(async () => {
    await page.goto(decisionUrl);
    await expect(page.getByTestId('decision-status')).toHaveText('已缴款', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText(`加处罚款（滞纳金） ${yuan(late)}`)).toBeVisible();
});

test('X-5.11 X-5.13 受理岗 reviews an imported camera record within its deadline and the owner is notified; the case file shows the trail', async ({ browser, page }) => {
  const intake = await staffPage(browser, 'sz.intake');
  await intake.getByRole('menuitem', { name: /交通违法记录/ }).click();
  await expect(intake.getByRole('heading', { name: '交通违法记录' }).first()).toBeVisible();
  // the queue, review deadline first; the owner's phone masked
  const row = intake.getByRole('row').filter({ hasText: '粤B7V2K8' }).filter({ hasText: '待审核' }).first();
  await expect(row).toContainText('137****3401');
  await row.click();
  await expect(intake.getByText('电子案卷').or(intake.getByText('操作记录')).first()).toBeVisible();
  const before = new Date().toISOString();
  await intake.getByRole('button', { name: '审核通过并告知车主', exact: true }).click();
  await intake.getByRole('dialog').getByRole('button', { name: '审核通过并告知车主', exact: true }).click();
  await expect(intake.getByText('已告知待处理').first()).toBeVisible();
  await expect(intake.getByText('violations.reviewed').first()).toBeVisible();
  // the owner is told by SMS
  const sms = await latestSms(page.request, SUN, before);
  expect(sms.text).toContain('粤B7V2K8');
  expect(sms.text).toContain('30日内处理或提出异议');
});
