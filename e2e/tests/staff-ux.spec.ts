import type { APIRequestContext, Page } from '@playwright/test';
import { request as playwrightRequest } from '@playwright/test';
import { test, expect, adminUrl, bffUrl, staffApiSignIn, staffPage } from './fixtures.ts';

// Issue 18 (staff admin): the dashboard per post counts the queue, a returned application is
// corrected with a new scan, approval confirms with its consequence and can be undone for a few
// seconds, a reason list inside a dialog opens in front of it, rows open with Enter, and the audit
// log says in words who did what.

const FANG_WEI = { name: '方伟', idNumber: '44030519700822401X', phone: '18279182731', birthDate: '1970-08-22' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

test.describe.configure({ mode: 'serial' });

async function staffApi(username: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL: bffUrl });
  expect((await staffApiSignIn(api, username)).ok()).toBe(true);
  return api;
}

async function scan(api: APIRequestContext, purposes: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of purposes) {
    const res = await api.post(`/admin-api/uploads?purpose=${p}`, { data: p === 'onsite_photo' ? PNG : PDF, headers: { 'content-type': p === 'onsite_photo' ? 'image/png' : 'application/pdf' } });
    expect(res.status(), p).toBe(201);
    out[p] = ((await res.json()) as { id: string }).id;
  }
  return out;
}

/** The count on a dashboard card: "待办 N 件". */
async function cardCount(page: Page, key: string): Promise<number> {
  const text = await page.getByTestId(`count-${key}`).innerText();
  return Number(/(\d+)/.exec(text)![1]);
}

async function settle(page: Page) {
  await page.mouse.move(0, 0);
  await page.locator('.MuiSnackbar-root').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
}

let appId = '';
let reference = '';

test('the dashboard counts 管理岗\'s queue and links to it; a row opens with Enter', async ({ browser }) => {
  const review = await staffPage(browser, 'sz.review');
  const board = review.getByRole('region', { name: '我的工作' });
  await expect(board.getByRole('heading', { name: '管理岗' })).toBeVisible();
  const before = await cardCount(review, 'account_review');

  // 受理岗 accepts a counter registration (through the API: this story looks at the other posts).
  const intake = await staffApi('sz.intake');
  const res = await intake.post('/admin-api/account-applications', {
    data: {
      subject: 'person', kind: 'registration',
      form: { name: FANG_WEI.name, sex: 'M', birthDate: FANG_WEI.birthDate, idType: 'resident_id', idNumber: FANG_WEI.idNumber, phone: FANG_WEI.phone, email: null, postalAddress: '广东省深圳市南山区后海大道260号', postcode: '518000' },
      documents: await scan(intake, ['onsite_photo', 'application_form', 'identity_document']),
    },
  });
  expect(res.status()).toBe(201);
  ({ id: appId, reference } = (await res.json()) as { id: string; reference: string });

  await review.reload();
  await expect(review.getByTestId('count-account_review')).toHaveText(`待办 ${before + 1} 件`);
  // the count links to the list that shows exactly those rows
  await review.getByRole('link', { name: '打开待审核的窗口申请' }).click();
  await expect(review).toHaveURL(/#\/account-applications\?filter=/);
  const row = review.getByRole('row').filter({ hasText: reference });
  await expect(row).toBeVisible();
  // the deadline reads the same everywhere: "YYYY-MM-DD 24:00 前" with the time left
  await expect(row.getByText(/^\d{4}-\d{2}-\d{2} 24:00 前$/)).toBeVisible();
  await row.focus();
  await review.keyboard.press('Enter');
  await expect(review).toHaveURL(new RegExp(`#/account-applications/${appId}/show`));
});

test('管理岗 returns the case; 受理岗 corrects it with a new scan, confirming the consequence', async ({ browser }) => {
  const review = await staffPage(browser, 'sz.review');
  await review.goto(`${adminUrl}#/account-applications/${appId}/show`);
  await review.getByRole('button', { name: '退回受理岗' }).click();
  await review.getByLabel(/退回说明/).fill('身份证扫描件不清晰，请重新扫描');
  await review.getByRole('button', { name: '确认退回受理岗' }).click();
  const confirmReturn = review.getByRole('dialog');
  await expect(confirmReturn).toContainText('审核期限不变');
  await confirmReturn.getByRole('button', { name: '确认退回受理岗' }).click();
  await expect(review.locator('.chip', { hasText: '退回更正' })).toBeVisible();

  const intake = await staffPage(browser, 'sz.intake');
  await expect(intake.getByTestId('count-account_returned')).toHaveText(/待办 [1-9]\d* 件/);
  await intake.goto(`${adminUrl}#/account-applications/${appId}/show`);
  await expect(intake.getByText(/身份证扫描件不清晰/)).toBeVisible();
  await intake.setInputFiles('#upload-identity_document', { name: 'id-rescan.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(intake.getByText(/已上传/)).toHaveCount(1);
  await intake.getByRole('button', { name: '更正后重新提交审核' }).click();
  const confirmResubmit = intake.getByRole('dialog');
  await expect(confirmResubmit).toContainText('重新扫描的材料将替换原材料');
  await confirmResubmit.getByRole('button', { name: '更正后重新提交审核' }).click();
  await expect(intake.locator('.chip', { hasText: '待审核' })).toBeVisible();
});

test('approval confirms with its consequence and can be undone for a few seconds', async ({ browser }) => {
  const review = await staffPage(browser, 'sz.review');
  await review.goto(`${adminUrl}#/account-applications/${appId}/show`);
  // side by side, the commands are not identical blue buttons: reject is the red one
  const reject = review.getByRole('button', { name: '不予通过' });
  await expect(reject).toHaveClass(/MuiButton-outlined.*MuiButton-colorError/);
  await expect(review.getByRole('button', { name: '审核通过' })).toHaveClass(/MuiButton-contained/);

  await review.getByRole('button', { name: '审核通过' }).click();
  const dialog = review.getByRole('dialog', { name: `审核通过 ${reference}？` });
  await expect(dialog).toContainText('将开立互联网账号');
  await dialog.getByRole('button', { name: '审核通过' }).click();
  await review.getByRole('button', { name: '撤销' }).click();
  await expect(review.getByText('已撤销，未提交')).toBeVisible();
  const api = await staffApi('sz.review');
  expect(((await (await api.get(`/admin-api/account-applications/${appId}`)).json()) as { status: string }).status).toBe('review');

  // not undone, it is sent when the notice closes
  await settle(review);
  await review.getByRole('button', { name: '审核通过' }).click();
  await review.getByRole('dialog').getByRole('button', { name: '审核通过' }).click();
  await expect(review.locator('.chip', { hasText: '审核通过' })).toBeVisible({ timeout: 20_000 });
  expect(((await (await api.get(`/admin-api/account-applications/${appId}`)).json()) as { status: string }).status).toBe('approved');
});

test('a reason list inside a dialog opens in front of it and is picked with the mouse', async ({ browser }) => {
  const op = await staffPage(browser, 'station.futian');
  await op.getByRole('menuitem', { name: /检验时段/ }).click();
  // 暂停 while the station serves, 恢复 once an earlier story (inspections.spec) suspended it: the same dialog.
  await op.getByRole('button', { name: /^(暂停|恢复)预约服务$/ }).click();
  const dialog = op.getByRole('dialog');
  await dialog.getByRole('combobox', { name: '原因' }).click();
  const option = op.getByRole('option').last();
  await expect(option).toBeVisible();
  const reason = (await option.textContent())!.trim();
  // a real mouse click at the option's place: it lands on the option, not on the dialog above it
  await option.click();
  await expect(dialog.getByRole('combobox', { name: '原因' })).toHaveText(reason);
  await dialog.getByRole('button', { name: '返回' }).click();
  await expect(dialog).toBeHidden();
});

test('the audit log says who did what to which record, the codes behind a toggle', async ({ browser }) => {
  const audit = await staffPage(browser, 'sz.audit');
  await audit.goto(`${adminUrl}#/audit-log`);
  const row = audit.getByRole('row').filter({ hasText: `更正后重新提交了 窗口注册/变更申请 ${reference}` });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText('accounts.application_resubmitted');
  await row.focus();
  await audit.keyboard.press('Enter');
  await expect(audit.getByText(`更正后重新提交了 窗口注册/变更申请 ${reference}`)).toBeVisible();
  await expect(audit.getByText('变更前')).toHaveCount(0);
  await audit.getByRole('button', { name: '显示详细数据' }).click();
  await expect(audit.getByText('变更前')).toBeVisible();
  await expect(audit.getByText(/replacedDocuments/).first()).toBeVisible();
});
