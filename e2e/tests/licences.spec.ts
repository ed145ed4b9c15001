import type { Browser, Page } from '@playwright/test';
import { adminUrl, bffUrl, expect, latestSms, staffSignInOnPage, test } from './fixtures.ts';

/**
 * Issue 19 as user stories (db/seed/licences.ts): 孙志强 renews his licence,
 * due next month, by post with the certificate 滨海人民医院 uploaded; 受理岗
 * accepts and posts it; he sees it delivered (X-4.1.5, X-4.1.7, X-4.1.10).
 * 郑海波's seized licence is refused with its reason (X-4.1.3). 赵丽华's
 * deferral is accepted and its receipt prints (X-4.2.4). The 70+ job has
 * cancelled 吴德胜's licence, who sent no certificate (X-4.3.3).
 */

const SUN = { phone: '13826601952' };
const ZHENG = { phone: '13826601956' };
const ZHAO = { phone: '13826601951' };
const WU = { phone: '13826601955' };

test.describe.configure({ mode: 'serial' });

let startOffset = 0;
const clockOffset = async (page: Page) => ((await (await page.request.get(`${bffUrl}/dev/clock`)).json()) as { offsetMs: number }).offsetMs;

async function settle(page: Page) {
  await page.mouse.move(0, 0);
  await page.locator('.MuiSnackbar-root').waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {});
}

async function citizen(browser: Browser, phone: string) {
  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill('Demo#2026pass');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  return page;
}

async function staff(browser: Browser, username: string) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(adminUrl);
  await staffSignInOnPage(page, username);
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
  return page;
}

async function step(page: Page, label: string) {
  await settle(page);
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: label, exact: true }).click();
  await expect(page.getByText('已办理')).toBeVisible();
}

const axeOf = (page: Page) => async () => {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
};

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  startOffset = await clockOffset(page);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await page.request.post(`${bffUrl}/dev/clock`, { data: { offsetMs: startOffset } });
  await page.close();
});

test('X-4.1.10 a licence due next month is renewed by post with the hospital’s certificate; 受理岗 posts it; the citizen sees it delivered', async ({ browser }) => {
  const page = await citizen(browser, SUN.phone);
  const axe = axeOf(page);
  await page.goto('/');
  await page.getByRole('link', { name: /^驾驶证业务/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: '驾驶证业务' })).toBeVisible();
  // the certificate 滨海人民医院 uploaded is on file
  await expect(page.getByText(/医疗机构上传，2026-11-20体检/)).toBeVisible();
  await axe();
  await page.getByRole('link', { name: '申请补换领' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '申请补换领驾驶证' })).toBeVisible();
  await axe();
  await page.getByRole('radio', { name: '期满换证' }).check();
  await page.getByLabel('我已阅读并确认以上申告内容真实').check();
  await page.getByRole('radio', { name: '邮寄' }).check();
  await page.getByLabel('收件人手机号码').fill(SUN.phone);
  await expect(page.getByLabel('邮寄地址')).toHaveValue(/红荔路52号/);
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '申请已提交' })).toBeVisible();
  await expect(page.getByText(/受理岗将于\d{4}-\d{2}-\d{2}24:00前受理/)).toBeVisible();
  const reference = (await page.locator('.panel .code').innerText()).trim();
  expect(reference).toMatch(/^LZ440300\d{14}$/);
  const detailUrl = page.url().replace(/\?.*$/, '');
  expect((await latestSms(page.request, SUN.phone)).text).toContain(reference);

  // 受理岗: accept within the working day, record the new licence, post it, record the delivery with the old licence
  const intake = await staff(browser, 'sz.intake');
  await intake.getByRole('menuitem', { name: /驾驶证补换领/ }).click();
  await intake.getByRole('cell', { name: reference }).click();
  await expect(intake.getByText(reference).first()).toBeVisible();
  await step(intake, '受理');
  await settle(intake);
  await intake.getByLabel('证芯编号').fill('4403009988776');
  await step(intake, '登记制证');
  await step(intake, '交邮寄递');
  await expect(intake.getByText('已交寄').first()).toBeVisible();
  await expect(async () => {
    await intake.reload();
    await settle(intake);
    await intake.getByLabel('已收回原驾驶证').check();
    await intake.getByRole('button', { name: '登记送达', exact: true }).click();
    await intake.getByRole('dialog').getByRole('button', { name: '登记送达', exact: true }).click();
    await expect(intake.getByText('已送达').first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  await intake.context().close();

  // the citizen's progress: delivered, with the new validity; and the SMS
  await page.goto(detailUrl);
  await expect(page.getByTestId('licence-status')).toHaveText('已送达');
  await expect(page.locator('.timeline')).toContainText('已送达');
  await expect(page.getByText('2036-12-28')).toBeVisible();
  await axe();
  await expect.poll(async () => (await latestSms(page.request, SUN.phone)).text).toContain('已送达');
  await page.context().close();
});

test('X-4.1.3 a seized licence is refused with its reason and the next step', async ({ browser }) => {
  const page = await citizen(browser, ZHENG.phone);
  await page.goto('/licences');
  await expect(page.getByRole('link', { name: '申请补换领' })).toHaveCount(0);
  await page.goto('/licences/apply');
  const renewal = page.getByRole('radio', { name: '遗失补证' });
  await expect(renewal).toBeDisabled();
  await expect(page.getByText(/驾驶证处于“扣押”状态，不能通过互联网办理。请到发证地车辆管理所窗口处理后再办理/).first()).toBeVisible();
  // pressing on anyway: the error summary names what is missing, at the field
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('link', { name: '请选择驾驶证和业务类型' })).toBeVisible();
  await page.context().close();
});

test('X-4.2.4 a deferral is accepted by 受理岗 and its receipt prints', async ({ browser }) => {
  const page = await citizen(browser, ZHAO.phone);
  await page.goto('/licences/deferrals/new');
  await expect(page.getByRole('heading', { level: 1, name: '申请延期' })).toBeVisible();
  await page.getByRole('radio', { name: '延期换证' }).check();
  await page.getByRole('radio', { name: '出国（境）' }).check();
  // more than three years is refused at the date field
  await page.getByLabel('延期至（年-月-日）').fill('2035-06-01');
  await page.getByRole('button', { name: '提交延期申请' }).click();
  await expect(page.locator('#deferredUntil-error')).toContainText('最晚可延至2035-05-10');
  await page.getByLabel('延期至（年-月-日）').fill('2034-05-10');
  await page.getByRole('button', { name: '提交延期申请' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '申请已提交' })).toBeVisible();
  const reference = (await page.locator('.panel .code').innerText()).trim();
  expect(reference).toMatch(/^YQ440300\d{14}$/);
  await expect(page.getByText(/受理岗受理后/)).toBeVisible();

  const intake = await staff(browser, 'sz.intake');
  await intake.getByRole('menuitem', { name: /驾驶证延期/ }).click();
  await intake.getByRole('cell', { name: reference }).click();
  await step(intake, '受理');
  await intake.context().close();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '机动车驾驶人延期办理回执' })).toBeVisible();
  const code = (await page.getByTestId('verification-code').innerText()).trim();
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
  await expect(page.getByText('2034-05-10')).toBeVisible();
  await axeOf(page)();
  // the print button prints; in print the page shows the receipt only
  await page.evaluate(() => {
    (window as unknown as { printed: boolean }).printed = false;
    window.print = () => ((window as unknown as { printed: boolean }).printed = true);
  });
  await page.getByRole('button', { name: '打印回执' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: boolean }).printed)).toBe(true);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: '打印回执' })).toBeHidden();
  await expect(page.getByRole('heading', { name: '机动车驾驶人延期办理回执' })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  // anyone can check the printed receipt by its number and code
  const check = await page.request.get(`${bffUrl}/api/v1/public/licence-deferral-receipts?reference=${reference}&code=${code}`);
  expect(check.ok()).toBe(true);
  expect(((await check.json()) as { deferredUntil: string }).deferredUntil).toBe('2034-05-10');
  expect((await latestSms(page.request, ZHAO.phone)).text).toContain(code);
  await page.context().close();
});

test('X-4.3.3 the 70+ job cancels the licence of a holder who sent nothing; the page says how to restore it', async ({ browser }) => {
  const page = await citizen(browser, WU.phone);
  // drive the shared clock a minute on: every due job runs (the daily sweep among them)
  const moved = await page.request.post(`${bffUrl}/dev/clock`, { data: { offsetMs: startOffset + 60_000 } });
  expect(moved.ok()).toBe(true);
  await page.goto('/licences');
  await expect(page.getByRole('heading', { name: '驾驶证已注销' })).toBeVisible();
  await expect(page.getByText('注销', { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/提交身体条件证明后即可恢复/)).toBeVisible();
  await expect(page.getByRole('link', { name: '上传本人体检报告' })).toBeVisible();
  await expect.poll(async () => (await latestSms(page.request, WU.phone)).text).toContain('已被注销');
  await axeOf(page)();
  await page.context().close();
});
