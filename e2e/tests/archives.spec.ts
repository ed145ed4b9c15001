import { request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';
import { adminUrl, bffUrl, expect, staffApiSignIn, staffPage, test } from './fixtures.ts';

/**
 * Issue 22 — archives: a counter registration ends and its archive record
 * appears with its scans and review trail; 档案岗 (sz.archive) checks the paper
 * file in, prints its label, lends it to 管理岗, sees it overdue on the moved
 * clock, records its return; a search by plate finds the record; Guangzhou's
 * 档案岗 (gz.archive) cannot open it. Demo owner 周文博 / 粤BR7L35: db/seed/archives.ts.
 */
const OWNER = { name: '周文博', idNumber: '440305198704169039', phone: '19955220001', plate: '粤BR7L35' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

async function staffApi(username: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL: bffUrl });
  const res = await staffApiSignIn(api, username);
  expect(res.ok()).toBe(true);
  return api;
}

async function clock(api: APIRequestContext): Promise<{ offsetMs: number }> {
  return (await (await api.get(`${bffUrl}/dev/clock`)).json()) as { offsetMs: number };
}

/** react-admin's notification pauses while hovered; let it go before clicking below it. */
async function settle(page: Page) {
  await page.mouse.move(0, 0);
  await page.locator('.MuiSnackbar-root').waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {});
}

/** Set-up the story does not look at: 受理岗 accepts 周文博 at the counter with three scans, 管理岗 approves — the case ends. */
async function counterRegistration(): Promise<string> {
  const intake = await staffApi('sz.intake');
  const documents: Record<string, string> = {};
  for (const p of ['onsite_photo', 'application_form', 'identity_document']) {
    const res = await intake.post(`/admin-api/uploads?purpose=${p}`, { data: p === 'onsite_photo' ? PNG : PDF, headers: { 'content-type': p === 'onsite_photo' ? 'image/png' : 'application/pdf' } });
    expect(res.status(), p).toBe(201);
    documents[p] = ((await res.json()) as { id: string }).id;
  }
  const form = {
    name: OWNER.name, sex: 'M', birthDate: '1987-04-16', idType: 'resident_id', idNumber: OWNER.idNumber, phone: OWNER.phone, email: null,
    postalAddress: '广东省深圳市南山区科苑路15号', postcode: '518057',
  };
  const created = await intake.post('/admin-api/account-applications', { data: { subject: 'person', kind: 'registration', form, documents } });
  expect(created.status()).toBe(201);
  const app = (await created.json()) as { id: string; reference: string };
  const review = await staffApi('sz.review');
  expect((await review.post(`/admin-api/account-applications/${app.id}/approve`, { data: {} })).status()).toBe(200);
  await intake.dispose();
  await review.dispose();
  return app.reference;
}

test('X-6.1 X-6.2 X-6.3 a finished counter registration is archived; 档案岗 checks its paper file in, labels it, lends it, sees it overdue, takes it back; Guangzhou cannot open it', async ({ browser, page }) => {
  const reference = await counterRegistration();

  // 档案岗 finds the record by plate; the page shows its scans and review trail in order
  const archive = await staffPage(browser, 'sz.archive');
  await archive.goto(`${adminUrl}#/archive-records`);
  await archive.getByRole('textbox', { name: '号牌号码' }).fill(OWNER.plate);
  await expect(archive).toHaveURL(/filter=.*plateNo/); // the filter is applied (debounced) before a row is opened
  const row = archive.getByRole('row').filter({ hasText: reference });
  await expect(row).toBeVisible();
  await expect(row).toContainText('用户注册');
  await row.click();
  await expect(archive.getByRole('heading', { name: new RegExp(reference) })).toBeVisible();
  await expect(archive.getByRole('img', { name: 'onsite_photo' })).toBeVisible();
  await expect(archive.getByText('application_form ·')).toBeVisible();
  // the review trail in words (who did what), the code behind each as its title
  await expect(archive.getByRole('cell', { name: '受理了 窗口注册/变更申请', exact: true })).toBeVisible();
  await expect(archive.getByRole('cell', { name: '审核通过了 窗口注册/变更申请', exact: true })).toBeVisible();
  await expect(archive.getByRole('cell', { name: 'sms · accounts.registered_at_counter' })).toBeVisible();
  await expect(archive.getByText('内容与摘要一致')).toBeVisible();
  await expect(archive.getByRole('button', { name: '打印档案' })).toBeVisible();
  const recordUrl = archive.url();

  // : check the paper file in against its checklist, bound, on its shelf
  await archive.getByRole('link', { name: '入库纸质档案' }).click();
  await expect(archive.getByRole('textbox', { name: '业务流水号' })).toHaveValue(reference);
  await archive.getByRole('checkbox', { name: '申请表原件', exact: true }).check();
  await archive.getByRole('textbox', { name: '库房' }).fill('A101');
  await archive.getByRole('textbox', { name: '柜' }).fill('03');
  await archive.getByRole('textbox', { name: '层' }).fill('2');
  await archive.getByRole('textbox', { name: '盒' }).fill('0415');
  await archive.getByRole('button', { name: '保存' }).click();
  // the checklist is incomplete: the server's words, at the field
  await expect(archive.getByText(/缺少：身份证明复印件/).first()).toBeVisible();
  await settle(archive);
  await archive.getByRole('checkbox', { name: '身份证明复印件', exact: true }).check();
  await archive.getByRole('button', { name: '保存' }).click();
  await expect(archive.getByText('A101 / 03 / 2 / 0415').first()).toBeVisible();
  const fileNo = (await archive.getByText(/^DA-440300-\d{4}-\d{6}$/).first().textContent())!;
  const fileUrl = archive.url();
  expect(fileUrl).toMatch(/#\/paper-files\/[0-9a-f-]{36}\/show$/);

  // its label: number, place and a QR code that opens this page
  await archive.getByRole('link', { name: '打印标签' }).click();
  await expect(archive.getByRole('heading', { name: '档案标签' })).toBeVisible();
  await expect(archive.getByText(fileNo)).toBeVisible();
  const qr = archive.getByRole('img', { name: /#\/paper-files\/.+\/show$/ });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('alt')).toBe(`${adminUrl}${fileUrl.slice(fileUrl.indexOf('#'))}`);
  await expect(archive.getByRole('button', { name: '打印' })).toBeVisible();

  // lent to 管理岗 — who, why, due back (5 working days by default)
  await archive.goto(fileUrl);
  await archive.getByRole('combobox', { name: '借阅人' }).click();
  await archive.getByRole('option', { name: /陈国华（sz\.review）/ }).click();
  await archive.getByRole('textbox', { name: '事由' }).first().fill('复核注册材料');
  await archive.getByRole('button', { name: '借出' }).click();
  await archive.getByRole('dialog').getByRole('button', { name: '借出' }).click();
  await expect(archive.getByText('借出', { exact: true }).first()).toBeVisible();
  await expect(archive.getByRole('cell', { name: '深圳审核员 陈国华' })).toBeVisible();

  // the shared clock moves ten days on: the loan is overdue (put the clock back afterwards)
  const { offsetMs } = await clock(page.request);
  expect((await page.request.post(`${bffUrl}/dev/clock`, { data: { offsetMs: offsetMs + 10 * 24 * 3600_000 } })).ok()).toBe(true);
  try {
    const later = await staffPage(browser, 'sz.archive');
    await later.goto(`${adminUrl}#/paper-files?filter=${encodeURIComponent(JSON.stringify({ overdue: 'true' }))}`);
    const overdue = later.getByRole('row').filter({ hasText: fileNo });
    await expect(overdue).toBeVisible();
    await expect(overdue.getByText('逾期')).toBeVisible();
    await later.goto(fileUrl);
    await later.getByRole('textbox', { name: '说明' }).fill('完好归还');
    await later.getByRole('button', { name: '归还' }).click();
    await later.getByRole('dialog').getByRole('button', { name: '归还' }).click();
    await expect(later.getByText('在架').first()).toBeVisible();
    // the whole history on the file's page
    const history = later.getByRole('region', { name: '档案履历' }).or(later.locator('section', { has: later.getByRole('heading', { name: '档案履历' }) }));
    for (const kind of ['入库', '装订', '借出', '归还']) await expect(history.getByRole('cell', { name: kind, exact: true }).first()).toBeVisible();
    await later.context().close();
  } finally {
    await page.request.post(`${bffUrl}/dev/clock`, { data: { offsetMs } });
  }
  await archive.context().close();

  // PD-9: Guangzhou's 档案岗 finds nothing of it and cannot open it
  const gz = await staffPage(browser, 'gz.archive');
  expect((await gz.request.get(`${new URL(adminUrl).origin}/admin-api/archive-records?filter=${encodeURIComponent(JSON.stringify({ plateNo: OWNER.plate }))}`)).status()).toBe(200);
  expect(await (await gz.request.get(`${new URL(adminUrl).origin}/admin-api/archive-records?filter=${encodeURIComponent(JSON.stringify({ plateNo: OWNER.plate }))}`)).json()).toEqual([]);
  await gz.goto(`${adminUrl}#/archive-records?filter=${encodeURIComponent(JSON.stringify({ plateNo: OWNER.plate }))}`);
  await expect(gz.getByRole('heading', { name: '电子档案' })).toBeVisible();
  await expect(gz.getByText(reference)).toHaveCount(0);
  const recordId = recordUrl.match(/archive-records\/([0-9a-f-]{36})/)![1]!;
  expect((await gz.request.get(`${new URL(adminUrl).origin}/admin-api/archive-records/${recordId}`)).status()).toBe(404);
  await gz.goto(`${adminUrl}#/archive-records/${recordId}/show`);
  await expect(gz.getByRole('heading', { name: new RegExp(reference) })).toHaveCount(0);
  await gz.context().close();
});

// retention follows the business type and is configurable (defaults in ADR-036); 管理岗 changes it in the console.
test('X-6.3 管理岗 sets how long one business type is kept; the list says it in years', async ({ browser }) => {
  const review = await staffPage(browser, 'sz.review');
  await review.goto(`${adminUrl}#/archive-retention`);
  const exam = review.getByRole('row').filter({ hasText: '考试' });
  await expect(exam).toContainText('10 年');
  await expect(review.getByRole('row').filter({ hasText: '驾驶证业务' })).toContainText('永久保存');
  await exam.click();
  await review.getByRole('spinbutton', { name: '保管年限' }).fill('15');
  await review.getByRole('textbox', { name: '说明' }).fill('考试档案延长保管（演示）');
  await review.getByRole('button', { name: '保存' }).click();
  await expect(review.getByRole('row').filter({ hasText: '考试' })).toContainText('15 年');
  await review.context().close();
});

/**
 * X-6.2 R-29.2: returned certificates — 恢复证芯编号 only for an archived case,
 * 退办 only for one that is not; the refusal in the server's words at the field.
 * X-6.3: 周文博's vehicle moves to Guangzhou — Shenzhen's 档案岗 sends his paper
 * files (checked in by the first story), Guangzhou's 档案岗 confirms receipt onto
 * its own shelf, and the file's history shows both cities.
 */
test('X-6.2 R-29.2 X-6.3 档案岗 records returned certificates and transfers a person\'s paper files to another city, confirmed there', async ({ browser }) => {
  const sz = await staffPage(browser, 'sz.archive');
  // a case that is not archived cannot have its core number restored
  await sz.goto(`${adminUrl}#/returned-certificates/create`);
  await sz.getByRole('combobox', { name: '业务类型' }).click();
  await sz.getByRole('option', { name: '补换领牌证' }).click();
  await sz.getByRole('textbox', { name: '业务流水号' }).fill('BH-E2E-NOT-ARCHIVED');
  await sz.getByRole('combobox', { name: '证件' }).click();
  await sz.getByRole('option', { name: '号牌', exact: true }).click();
  await sz.getByRole('textbox', { name: '证件编号' }).fill('粤B00001');
  await sz.getByRole('combobox', { name: '处理' }).click();
  await sz.getByRole('option', { name: '恢复证芯编号' }).click();
  await sz.getByRole('textbox', { name: '事由' }).fill('申请人未领取');
  await sz.getByRole('button', { name: '保存' }).click();
  await expect(sz.getByText('该业务尚未归档，不能恢复证芯编号，应办理退办').first()).toBeVisible();
  await settle(sz);
  await sz.getByRole('combobox', { name: '处理' }).click();
  await sz.getByRole('option', { name: '退办' }).click();
  await sz.getByRole('button', { name: '保存' }).click();
  await expect(sz).toHaveURL(/#\/returned-certificates$/);
  const cert = sz.getByRole('row').filter({ hasText: 'BH-E2E-NOT-ARCHIVED' });
  await expect(cert).toContainText('退办');
  await expect(cert).toContainText('号牌');

  // send every shelved file of 周文博 to Guangzhou
  await sz.goto(`${adminUrl}#/paper-files?filter=${encodeURIComponent(JSON.stringify({ q: OWNER.plate }))}`);
  const fileRow = sz.getByRole('row').filter({ hasText: /DA-440300-\d{4}-\d{6}/ }).first();
  await expect(fileRow).toContainText('在架');
  const fileNo = (await fileRow.getByText(/^DA-440300-\d{4}-\d{6}$/).textContent())!;
  await sz.goto(`${adminUrl}#/paper-file-transfers/create`);
  await sz.getByRole('textbox', { name: '身份证明号码（完整输入）' }).fill(OWNER.idNumber);
  await sz.getByRole('combobox', { name: '接收城市' }).click();
  await sz.getByRole('option', { name: '深圳市' }).click();
  await sz.getByRole('textbox', { name: '事由' }).fill('车辆迁出至广州');
  await sz.getByRole('button', { name: '保存' }).click();
  // the same city is refused at the field, in the server's words
  await expect(sz.getByText('接收城市不能是本市').first()).toBeVisible();
  await settle(sz);
  await sz.getByRole('combobox', { name: '接收城市' }).click();
  await sz.getByRole('option', { name: '广州市' }).click();
  await sz.getByRole('button', { name: '保存' }).click();
  await expect(sz).toHaveURL(/#\/paper-file-transfers$/);
  const sent = sz.getByRole('row').filter({ hasText: fileNo });
  await expect(sent).toContainText('待接收');
  await expect(sent).toContainText('广州市');
  // Shenzhen cannot confirm its own transfer: no receive form on its side
  await expect(sent.getByRole('button', { name: '确认接收' })).toHaveCount(0);

  // Guangzhou's 档案岗 confirms receipt onto its own shelf
  const gz = await staffPage(browser, 'gz.archive');
  await gz.goto(`${adminUrl}#/paper-file-transfers`);
  const incoming = gz.getByRole('row').filter({ hasText: fileNo });
  await expect(incoming).toContainText('待接收');
  await incoming.getByRole('textbox', { name: '库房' }).fill('G201');
  await incoming.getByRole('textbox', { name: '柜' }).fill('07');
  await incoming.getByRole('textbox', { name: '层' }).fill('1');
  await incoming.getByRole('textbox', { name: '盒' }).fill('0033');
  await incoming.getByRole('button', { name: '确认接收' }).click();
  await expect(gz.getByRole('row').filter({ hasText: fileNo })).toContainText('已接收');
  await gz.goto(`${adminUrl}#/paper-files?filter=${encodeURIComponent(JSON.stringify({ q: fileNo }))}`);
  const there = gz.getByRole('row').filter({ hasText: fileNo });
  await expect(there).toContainText('G201 / 07 / 1 / 0033');
  await there.click();
  const history = gz.locator('section', { has: gz.getByRole('heading', { name: '档案履历' }) }).or(gz.getByRole('region', { name: '档案履历' }));
  await expect(history.getByRole('cell', { name: '移出', exact: true })).toBeVisible();
  await expect(history.getByRole('cell', { name: '接收', exact: true })).toBeVisible();
  await expect(history.getByRole('cell', { name: '深圳市', exact: true }).first()).toBeVisible();
  await expect(history.getByRole('cell', { name: '广州市', exact: true }).first()).toBeVisible();
  await gz.context().close();

  // Shenzhen sees the transfer done (its list, reloaded); the file is no longer on its shelves
  await sz.reload();
  await expect(sz.getByRole('row').filter({ hasText: fileNo })).toContainText('已接收');
  await sz.goto(`${adminUrl}#/paper-files?filter=${encodeURIComponent(JSON.stringify({ q: fileNo }))}`);
  await expect(sz.getByRole('row').filter({ hasText: fileNo })).toHaveCount(0);
  await sz.context().close();
});
