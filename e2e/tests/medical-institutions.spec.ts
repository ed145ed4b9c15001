/**
 * Issue 19, medical institutions (X-4.3.1, X-4.3.4, PD-12; ADR-031):
 * the operator of 深圳市滨海人民医院 uploads a driver's 身体条件证明 and finds
 * it in the institution's list (ID number masked); 管理岗 revokes the
 * entrustment of 深圳市蛇口人民医院 for false certificates (confirm dialog),
 * after which that institution can no longer upload and its certificates are
 * no longer accepted. Persons of the seed's medical block only (祁卫东, 任国栋).
 */
import type { Browser, Page } from '@playwright/test';
import { adminUrl, bffUrl, expect, staffPage, test } from './fixtures.ts';

/** The bff as the console's pages reach it (the session cookie is for this host). */
const consoleApi = adminUrl.replace(/\/admin\/$/, '');

const QI = { name: '祁卫东', idNumber: '440304197604204174' }; // seed: C1, no certificate
const SCAN = { name: '身体条件证明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n% 机动车驾驶人身体条件证明 祁卫东\n%%EOF\n') };

/** The bff's day (Asia/Shanghai) on the shared clock other specs may have moved. */
async function bffDay(page: Page): Promise<string> {
  const { now } = (await (await page.request.get(`${bffUrl}/dev/clock`)).json()) as { now: string };
  return new Date(Date.parse(now) + 8 * 3600_000).toISOString().slice(0, 10);
}

async function settle(page: Page) {
  await page.mouse.move(0, 0);
  await page.locator('.MuiSnackbar-root').waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {});
}

const staff = (browser: Browser, username: string) => staffPage(browser, username);

test('X-4.3.1 X-4.3.4 the hospital uploads a driver’s health certificate and sees it in its list', async ({ browser }) => {
  const hospital = await staff(browser, 'medical.binhai');
  await hospital.getByRole('menuitem', { name: /^身体条件证明/ }).click();
  await expect(hospital.getByRole('heading', { name: '身体条件证明' })).toBeVisible();
  await hospital.getByRole('link', { name: /新建|创建/ }).click();

  await hospital.getByLabel('驾驶人身份证明号码').fill(QI.idNumber);
  await hospital.getByLabel('驾驶证号').fill(QI.idNumber);
  // the driver is 50: the yearly 70+ certificate is refused at its field with the server's words
  await hospital.getByLabel('证明用途').click();
  await hospital.getByRole('option', { name: '年满70周岁年度提交' }).click();
  await hospital.getByLabel('体检日期').fill(await bffDay(hospital));
  await hospital.locator('input[type="file"]').setInputFiles(SCAN);
  await hospital.getByRole('button', { name: '保存' }).click();
  await expect(hospital.getByText(/年满70周岁的驾驶人才需每年提交/)).toBeVisible();

  // for his renewal it is accepted, with a reference number
  await settle(hospital);
  await hospital.getByLabel('证明用途').click();
  await hospital.getByRole('option', { name: '换领驾驶证' }).click();
  await hospital.locator('input[type="file"]').setInputFiles(SCAN);
  await hospital.getByRole('button', { name: '保存' }).click();
  await expect(hospital.getByText(/已上传，编号 TJ\d{10}/)).toBeVisible();
  await expect(hospital.getByText('今日可用').first()).toBeVisible();
  const reference = (await hospital.getByText(/已上传，编号 TJ\d{10}/).textContent())!.match(/TJ\d{10}/)![0];

  // the institution's list: the certificate, the ID number masked
  await hospital.getByRole('menuitem', { name: /^身体条件证明/ }).click();
  const row = hospital.getByRole('row', { name: new RegExp(reference) });
  await expect(row).toBeVisible();
  await expect(row.getByText(QI.name)).toBeVisible();
  await expect(row).not.toContainText(QI.idNumber);
  await expect(row).toContainText('440304********4174');
  await hospital.context().close();
});

test('X-4.3.1 PD-12 管理岗 revokes an institution for false certificates; it can no longer upload', async ({ browser }) => {
  const review = await staff(browser, 'sz.review');
  await review.getByRole('menuitem', { name: /受委托资格/ }).click();
  // the review queue comes first, with its deadline (龙华's pending application)
  await expect(review.getByText('深圳市龙华区中心医院')).toBeVisible();
  await review.getByRole('cell', { name: '深圳市蛇口人民医院' }).first().click();
  await expect(review.getByText('可以上传身体条件证明')).toBeVisible();
  await review.getByLabel(/取消原因/).fill('卫生健康委通报：该院为未实际体检的驾驶人出具身体条件证明');
  await settle(review);
  await review.getByRole('button', { name: '取消受委托资格', exact: true }).click();
  const dialog = review.getByRole('dialog');
  await expect(dialog).toContainText('不再被采信');
  await dialog.getByRole('button', { name: '取消受委托资格', exact: true }).click();
  await expect(review.getByText('已取消（虚假证明）').first()).toBeVisible();
  await expect(review.getByText('当前不能上传身体条件证明')).toBeVisible();

  // its certificate for 任国栋 is no longer accepted
  await review.getByRole('menuitem', { name: /^身体条件证明/ }).click();
  await review.getByRole('textbox', { name: /搜索/ }).fill('任国栋');
  const ren = review.getByRole('row', { name: /任国栋/ });
  await expect(ren).toContainText('今日不可用');
  await review.context().close();

  // the institution's operator is told at once, and the bff refuses an upload
  const shekou = await staff(browser, 'medical.shekou');
  await shekou.getByRole('menuitem', { name: /^身体条件证明/ }).click();
  await shekou.getByRole('link', { name: /新建|创建/ }).click();
  await expect(shekou.getByRole('alert').filter({ hasText: '不能上传身体条件证明' })).toBeVisible();
  const refused = await shekou.request.post(`${consoleApi}/admin-api/health-certificates`, {
    headers: { 'accept-language': 'zh-CN' },
    data: { idNumber: QI.idNumber, licenceNo: QI.idNumber, purpose: 'renewal', issuedOn: await bffDay(shekou), conclusion: 'fit', scanUploadId: '00000000-0000-4000-8000-000000000000' },
  });
  expect(refused.status()).toBe(422);
  const problem = (await refused.json()) as { code: string; detail: string };
  expect(problem.code).toBe('medical.institution_not_qualified');
  expect(problem.detail).toContain('虚假');
  await shekou.context().close();
});
