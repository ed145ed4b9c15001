import type { Browser, Page } from '@playwright/test';
import { adminUrl, bffUrl, expect, staffSignInOnPage, test } from './fixtures.ts';

/**
 * Issue 5 as user stories: a citizen orders replacement plates by post and a
 * 行驶证 for pickup; the posted plates are refused and the one-year bar shows
 * a withheld vehicle is refused with its reason; a car
 * dealer qualifies, receives 20 blank temporary plates, issues one, reports
 * one damaged and its stock reconciles; a qualification not renewed lapses
 * and blocks issuing.
 */

const DAY = 86_400_000;
const ZHANG = { phone: '13800138000' };
const FENG = { phone: '15565936332' };
const NEW_CAR_VIN = 'LFVBJ6C27TF583246'; // 廖志明's 大众探岳, still to register

test.describe.configure({ mode: 'serial' });

let startOffset = 0;

async function clockOffset(page: Page): Promise<number> {
  return ((await (await page.request.get(`${bffUrl}/dev/clock`)).json()) as { offsetMs: number }).offsetMs;
}

async function setClock(page: Page, offsetMs: number) {
  const res = await page.request.post(`${bffUrl}/dev/clock`, { data: { offsetMs } });
  expect(res.ok()).toBe(true);
}

/** Lets react-admin's notification go before clicking below it. */
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

/** A staff member in a browser of their own (desk-sized, so react-admin shows its menu). */
async function staff(browser: Browser, username: string) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(adminUrl);
  await staffSignInOnPage(page, username);
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
  return page;
}

/** Walks the citizen's pages for one application and answers its reference. */
async function apply(page: Page, o: { choice: RegExp; kind: '补领（遗失）' | '换领（损毁）'; post: boolean; tempPlate?: boolean }, axe?: () => Promise<void>) {
  await page.goto('/replacements/new');
  await expect(page.getByRole('heading', { level: 1, name: '选择车辆和补换领项目' })).toBeVisible();
  if (axe) await axe();
  await page.getByRole('radio', { name: o.choice }).check();
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '补领还是换领' })).toBeVisible();
  await page.getByRole('radio', { name: o.kind }).check();
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '怎样领取' })).toBeVisible();
  if (axe) await axe();
  if (o.post) {
    await page.getByRole('radio', { name: '邮寄' }).check();
    await page.getByLabel('收件人', { exact: true }).fill('张伟');
    await page.getByLabel('收件人手机号').fill(ZHANG.phone);
    await page.getByLabel('详细地址').fill('广东省深圳市南山区科技园科苑路15号');
    await page.getByLabel('邮政编码').fill('518057');
  } else {
    await page.getByRole('radio', { name: /窗口自取/ }).check();
  }
  if (o.tempPlate) await page.getByLabel('同时申领临时号牌').check();
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '检查您的申请' })).toBeVisible();
  if (axe) await axe();
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '申请已提交' })).toBeVisible();
  // the reference and what happens next: 受理岗 accepts within one working day
  await expect(page.getByText(/受理岗将于 \d{4}-\d{2}-\d{2} 24:00 前受理您的申请/)).toBeVisible();
  const reference = (await page.locator('.panel .code').innerText()).trim();
  expect(reference).toMatch(/^BH440300\d{14}$/);
  return reference;
}

/** 受理岗 opens an application from the queue by its reference. */
async function openApplication(page: Page, reference: string) {
  await page.getByRole('menuitem', { name: /补换领业务/ }).click();
  await page.getByRole('cell', { name: reference }).click();
  await expect(page.getByText(reference).first()).toBeVisible();
}

async function step(page: Page, label: string) {
  await settle(page);
  await page.getByRole('button', { name: label, exact: true }).click();
  // issue 18: every step confirms with its consequence
  await page.getByRole('dialog').getByRole('button', { name: label, exact: true }).click();
  await expect(page.getByText('已办理')).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  startOffset = await clockOffset(page);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  // other stories share this database's clock: put it back
  const page = await browser.newPage();
  await setClock(page, startOffset);
  await page.close();
});

test('a citizen orders replacement plates by post and a 行驶证 for pickup; the refused delivery bars him for a year', async ({ browser }) => {
  const page = await citizen(browser, ZHANG.phone);
  const axe = async () => {
    const { default: AxeBuilder } = await import('@axe-core/playwright');
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  };
  await page.goto('/');
  await page.getByRole('link', { name: /补换领号牌、行驶证/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: '补换领号牌、行驶证、检验合格标志' })).toBeVisible();

  const plateRef = await apply(page, { choice: /粤BA1234 机动车号牌/, kind: '补领（遗失）', post: true, tempPlate: true }, axe);
  const licenceRef = await apply(page, { choice: /粤BD12345 行驶证/, kind: '换领（损毁）', post: false });

  // 受理岗: accept, produce, post the plates; accept, produce and hand out the 行驶证
  const intake = await staff(browser, 'sz.intake');
  await openApplication(intake, plateRef);
  await step(intake, '受理');
  await settle(intake);
  await intake.getByLabel('证芯编号').fill('4403001234567');
  await intake.getByLabel('临时号牌号码').fill('粤B临T0001');
  await step(intake, '登记制作');
  await step(intake, '交邮寄递');
  await expect(intake.getByText('已交寄').first()).toBeVisible();

  await openApplication(intake, licenceRef);
  await step(intake, '受理');
  await settle(intake);
  await intake.getByLabel('证芯编号').fill('4403007654321');
  await step(intake, '登记制作');
  await step(intake, '制作完成，通知领取');
  await expect(intake.getByText('待领取').first()).toBeVisible();
  // the damaged 行驶证 changes hands at the counter
  await settle(intake);
  await intake.getByLabel('已收回损毁的号牌或行驶证').check();
  await step(intake, '登记领取');
  await expect(intake.getByText('已领取').first()).toBeVisible();

  // the post refuses delivery of the plates: recorded by 受理岗 → the one-year bar
  await openApplication(intake, plateRef);
  await expect(async () => {
    await settle(intake);
    await intake.getByRole('button', { name: '登记拒收', exact: true }).click();
    await intake.getByRole('dialog').getByRole('button', { name: '登记拒收', exact: true }).click();
    await expect(intake.getByText('拒收', { exact: true }).first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 20_000 });

  await page.goto('/replacements');
  await expect(page.getByRole('heading', { name: '暂时不能网上办理补换领' })).toBeVisible();
  const bar = page.getByRole('alert').filter({ hasText: '暂时不能网上办理补换领' });
  await expect(bar).toContainText(`业务流水号 ${plateRef}`);
  await expect(bar).toContainText(/\d{4}-\d{2}-\d{2} 前不能通过互联网办理补换领号牌、行驶证、检验合格标志和驾驶证业务/);
  await expect(page.getByRole('link', { name: '申请补换领' })).toHaveCount(0);
  // the progress of the collected 行驶证
  await page.getByRole('link', { name: new RegExp(`查看进度 ${licenceRef}`) }).click();
  await expect(page.getByRole('heading', { name: '办理进度' })).toBeVisible();
  await expect(page.locator('.timeline li')).toHaveCount(5);
  await expect(page.locator('.timeline')).toContainText('已领取');
  await axe();
  await intake.context().close();
  await page.context().close();
});

test('a withheld (扣留) vehicle is refused with its reason', async ({ browser }) => {
  const page = await citizen(browser, FENG.phone);
  await page.goto('/replacements/new');
  const plate = page.getByRole('radio', { name: /粤B59D69 机动车号牌/ });
  await expect(plate).toBeDisabled();
  await expect(page.getByText(/机动车处于“扣留”状态，不能办理补、换领业务/).first()).toBeVisible();
  // pressing on anyway is answered with the error summary
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { name: '出现问题' })).toBeVisible();
  await expect(page.getByRole('link', { name: '请选择车辆和补换领项目' })).toBeVisible();
  await page.context().close();
});

test('a car dealer qualifies, receives 20 blank plates, issues one, reports one damaged, and the stock reconciles', async ({ browser }) => {
  const dealer = await staff(browser, 'dealer.pengcheng');
  await dealer.getByRole('menuitem', { name: /临时号牌资格/ }).click();
  await dealer.getByRole('link', { name: '申请核发临时号牌资格' }).click();
  await dealer.getByLabel('准予核发的品牌型号').fill('大众探岳\n大众帕萨特');
  const inputs = dealer.locator('input[type="file"]');
  await expect(inputs).toHaveCount(5);
  for (let i = 0; i < 5; i++) {
    await inputs.nth(i).setInputFiles({ name: `document-${i}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.7\n% document ${i}\n`) });
  }
  await dealer.getByRole('button', { name: '保存' }).click();
  await expect(dealer.getByText('待审核').first()).toBeVisible();

  // 管理岗 reviews and records it, with the number of blanks the dealer may hold
  const review = await staff(browser, 'sz.review');
  await review.getByRole('menuitem', { name: /临时号牌资格/ }).click();
  await review.getByRole('cell', { name: '深圳市鹏城汽车销售有限公司' }).first().click();
  await expect(review.getByRole('link', { name: /准予销售证明/ })).toBeVisible();
  await review.getByLabel('可持有空白号牌数量').fill('20');
  await step(review, '审核通过');
  await expect(review.getByText('有效').first()).toBeVisible();

  // 受理岗 hands out 20 numbered blanks after checking the records
  const intake = await staff(browser, 'sz.intake');
  await intake.getByRole('menuitem', { name: /空白临时号牌发放/ }).click();
  await intake.getByRole('link', { name: /新建|创建/ }).click();
  await intake.getByLabel('销售商').fill('鹏城');
  await intake.getByRole('option', { name: /深圳市鹏城汽车销售有限公司/ }).click();
  await expect(intake.getByText(/可持有 20 块，库存 0 块，本次最多发放 20 块/)).toBeVisible();
  await intake.getByLabel(/^数量/).fill('20');
  await intake.getByLabel('核发资料内容完整、无涂改、有效').check();
  // the collector's organisation code certificate, letter of authorisation and identity document
  const collectorDocs = intake.locator('input[type="file"]');
  await expect(collectorDocs).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await collectorDocs.nth(i).setInputFiles({ name: `collector-${i}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.7\n% collector document ${i}\n`) });
  }
  await intake.getByRole('button', { name: '保存' }).click();
  await intake.getByRole('dialog').getByRole('button', { name: '发放空白临时号牌' }).click();
  await expect(intake.getByText(/粤B临\d{5} – 粤B临\d{5}/)).toBeVisible();
  await expect(intake.getByText('核查通过')).toBeVisible();

  // the dealer issues one for an authorised model of a car still to register
  await dealer.getByRole('menuitem', { name: /核发临时号牌/ }).click();
  await dealer.getByRole('link', { name: /新建|创建/ }).click();
  await dealer.getByLabel('临时号牌号码').click();
  await dealer.getByRole('option').first().click();
  await dealer.getByLabel('车辆识别代号').fill(NEW_CAR_VIN);
  await dealer.getByLabel('品牌型号').click();
  await dealer.getByRole('option', { name: '大众探岳' }).click();
  await dealer.getByLabel('机动车所有人').fill('廖志明');
  await dealer.getByLabel('身份证明号码').fill('44030519900101123X');
  await dealer.getByLabel('联系电话').fill('13912345678');
  await dealer.getByRole('button', { name: '保存' }).click();
  await expect(dealer.getByText(/^LFV\*+3246$/)).toBeVisible();

  // one blank is damaged in the printer
  await dealer.getByRole('menuitem', { name: /^空白临时号牌$/ }).click();
  await dealer.getByRole('button', { name: '登记损毁' }).first().click();
  await dealer.getByRole('dialog').getByRole('button', { name: '登记损毁' }).click();
  await expect(dealer.getByText('已损毁（待交回）').first()).toBeVisible();

  // every blank is accounted for
  await settle(dealer);
  await dealer.getByRole('menuitem', { name: /库存核对/ }).click();
  const accounts = dealer.getByRole('table', { name: '账目' });
  await expect(accounts.getByRole('cell').nth(0)).toHaveText('20');
  await expect(accounts.getByRole('cell').nth(1)).toHaveText('18');
  await expect(accounts.getByRole('cell').nth(2)).toHaveText('1');
  await expect(accounts.getByRole('cell').nth(3)).toHaveText('1');
  await expect(dealer.getByText('账实相符')).toBeVisible();

  for (const p of [dealer, review, intake]) await p.context().close();
});

test('a qualification not renewed within its year lapses and blocks issuing', async ({ browser }) => {
  const page = await browser.newPage();
  // one year and a day later the lapse job has run
  await setClock(page, (await clockOffset(page)) + 366 * DAY);
  await page.close();
  const dealer = await staff(browser, 'dealer.pengcheng');
  await dealer.getByRole('menuitem', { name: /临时号牌资格/ }).click();
  await expect(dealer.getByText('逾期未审核，已取消').first()).toBeVisible();
  await dealer.getByRole('menuitem', { name: /库存核对/ }).click();
  await expect(dealer.getByText(/资格状态：逾期未审核，已取消/)).toBeVisible();
  // a blank of its former stock can no longer be issued
  const blanks = await dealer.request.get(`${adminUrl.replace(/\/admin\/$/, '')}/admin-api/temp-plate-blanks?range=[0,0]`);
  const [blank] = (await blanks.json()) as { id: string }[];
  const refused = await dealer.request.post(`${adminUrl.replace(/\/admin\/$/, '')}/admin-api/temp-plate-issuances`, {
    headers: { 'accept-language': 'zh-CN' },
    data: { blankId: blank!.id, vin: 'LRWYEEKB0TC323769', brandModel: '大众探岳', ownerName: '钟雪', ownerIdType: 'resident_id', ownerIdNumber: '44030519900101123X', ownerPhone: '13912345678' },
  });
  expect(refused.status()).toBe(422);
  const problem = (await refused.json()) as { code: string; title: string; detail: string };
  expect(problem.code).toBe('temp_plates.not_qualified');
  expect(problem.detail).toContain('逾期未审核，已取消');
  await dealer.context().close();
});
