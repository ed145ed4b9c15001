import type { APIRequestContext, Page } from '@playwright/test';
import { adminUrl, bffUrl, expect, latestSms, staffApiSignIn, staffPage, test } from './fixtures.ts';

/**
 * Issue 20 "Done when" (第四章第四节, X-4.4, PD-13; ADR-032, ADR-033), with the
 * demo learners of db/seed/exams.ts, used by no other story:
 *   邱志远 (19866010001) past the waiting period, rank key = his 科目一 (2026-10-10 08:30);
 *   温嘉怡 (19866010002) 科目一 passed 2027-02-25, inside the 10-day wait for 科目二 until 2027-03-02;
 *   twenty school learners already queued for the e2e plan (科目二 2027-03-15, 20 seats), two ahead of him.
 * The story moves the shared dev clock (it may only go forward) and puts it back at the end.
 */
const QIU = '19866010001';
const WEN = '19866010002';
const E2E_PLAN = 'e3000000-0000-4000-8000-000000000002';

async function clockOffset(api: APIRequestContext): Promise<number> {
  return ((await (await api.get(`${bffUrl}/dev/clock`)).json()) as { offsetMs: number }).offsetMs;
}
/** Moves the shared clock to an instant (and runs what fell due, e.g. the plan's allocation job). */
async function clockAt(api: APIRequestContext, iso: string) {
  const res = await api.post(`${bffUrl}/dev/clock`, { data: { offsetMs: Math.max(0, Date.parse(iso) - Date.now()) } });
  expect(res.ok()).toBe(true);
}

async function signIn(page: Page, phone: string) {
  await page.context().clearCookies();
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill('Demo#2026pass');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
}

test('X-4.4.3 X-4.4.5 X-4.4.6 X-4.4.8 a learner books 科目二 by rank, is allocated with SMS and receipt; another is refused with her date; a no-show moves the key and blocks ten days', async ({ page, axe, browser }) => {
  test.setTimeout(240_000);
  const before = await clockOffset(page.request);
  try {
    // 2027-02-26 10:00 Beijing: the e2e plan collects until 2027-03-10 00:00
    await clockAt(page.request, '2027-02-26T02:00:00Z');
    await signIn(page, QIU);
    await page.goto('/exams');
    await expect(page.getByRole('heading', { level: 1, name: '考试预约' })).toBeVisible();
    await expect(page.getByTestId('permit-rank-key')).toHaveText('上次考试时间 · 2026-10-10 08:30');
    await axe();
    await page.getByTestId('subject-2').getByRole('link', { name: '预约科目二' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /选择考试计划/ })).toBeVisible();
    await page.getByLabel(/2027-03-15 上午/).check();
    const applied = new Date().toISOString();
    await page.getByRole('button', { name: '提交预约申请' }).click();
    // X-4.4.8 / PD-13: rank 3 of 20 seats, with the key and its date
    await expect(page.getByRole('heading', { level: 1, name: /考试预约 · 科目二/ })).toBeVisible();
    await expect(page.getByTestId('rank')).toHaveText('第3名，共20个名额');
    await expect(page.getByTestId('rank-key')).toHaveText('上次考试时间 · 2026-10-10 08:30');
    await expect(page.getByTestId('projected')).toContainText('名额之内');
    // ADR-039: the projected date, and the one line saying how it is worked out
    await expect(page.getByTestId('projected-date')).toHaveText('2027-03-15 上午');
    await expect(page.getByTestId('projected-date-help')).toContainText('累计名额首次达到您排名');
    const reference = (await page.getByTestId('reference').textContent())!.trim();
    expect((await latestSms(page.request, QIU, applied)).text).toContain('当前排序第3名');
    await axe();
    const applicationUrl = page.url();

    // inside the waiting period — refused at the plan, with the day she may book
    await signIn(page, WEN);
    await page.goto('/exams/book?subject=2');
    await page.getByLabel(/2027-03-15 上午/).check();
    await page.getByRole('button', { name: '提交预约申请' }).click();
    const summary = page.locator('.error-summary');
    await expect(summary).toBeFocused();
    await expect(page.locator('#planId-error')).toContainText('2027-03-02');
    await expect(summary).toContainText('2027-03-02');
    await axe();

    // after the cut-off (2027-03-10 00:00) the batch runs: allocated, SMS, printable 预约凭证
    const cutOff = new Date(Date.parse('2027-03-09T16:00:30Z'));
    await clockAt(page.request, cutOff.toISOString());
    await expect(async () => {
      const sms = await latestSms(page.request, QIU, applied);
      expect(sms.text).toContain('考试预约成功');
      expect(sms.text).toContain(reference);
    }).toPass({ timeout: 20_000 });
    await signIn(page, QIU);
    await page.goto(applicationUrl);
    await expect(page.getByTestId('receipt')).toContainText(reference);
    await expect(page.getByTestId('receipt')).toContainText('第3名');
    await expect(page.getByRole('button', { name: '打印预约凭证' })).toBeVisible();
    await axe();
    // the public ledger: his line by the last four characters, the order anyone can check
    await page.getByRole('link', { name: '分配公示' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '考试计划分配公示' })).toBeVisible();
    await expect(page.getByRole('row').nth(3)).toContainText(reference.slice(-4));
    await expect(page.getByRole('row').nth(3)).toContainText('已分配');
    expect(page.url()).toContain(E2E_PLAN);

    // exam day: the exam station enters a no-show — the key moves, re-booking waits ten days
    await clockAt(page.request, '2027-03-15T04:00:00Z');
    const staff = page.context().request;
    expect((await staffApiSignIn(staff, 'exam.szks')).status()).toBe(200);
    const list = await (await staff.get(`${bffUrl}/admin-api/exam-results?filter=${encodeURIComponent(JSON.stringify({ reference }))}`)).json();
    const res = await staff.post(`${bffUrl}/admin-api/exam-results/${list[0].id}/result`, { data: { first: 'absent' } });
    expect(res.status()).toBe(200);
    await signIn(page, QIU);
    await page.goto('/exams');
    await expect(page.getByTestId('permit-rank-key')).toHaveText('缺考时间 · 2027-03-15 08:30');
    await expect(page.getByTestId('subject-2')).toContainText('2027-03-25起可再次预约');
    await page.getByTestId('subject-2').getByRole('link', { name: '预约科目二' }).click();
    await page.getByLabel(/2027-04-01 上午/).check();
    await page.getByRole('button', { name: '提交预约申请' }).click();
    await expect(page.locator('#planId-error')).toContainText('2027-03-25');

    // the exam station's console: its candidates with masked ID numbers, the no-show recorded
    const op = await staffPage(browser, 'exam.szks');
    await op.getByRole('menuitem', { name: /考生名单与成绩/ }).click();
    await expect(op.getByText(reference)).toBeVisible();
    await expect(op.getByRole('row').filter({ hasText: reference })).toContainText('缺考');
    await op.getByRole('menuitem', { name: /考试分配结果/ }).click();
    await expect(op.getByRole('row').filter({ hasText: '2027-03-15' }).first()).toBeVisible();
    await op.context().close();
  } finally {
    await page.request.post(`${bffUrl}/dev/clock`, { data: { offsetMs: before } });
  }
});

test('X-4.4.1 X-4.4.3 X-4.4.4 受理岗 issues a learner permit after an accepted first application; 管理岗 exports a plan\'s results with masked ID numbers and reveals one with a reason', async ({ browser, page }) => {
  test.setTimeout(120_000);
  // 蒋立新 (db/seed/exams.ts): first application accepted, no permit yet
  const intake = await staffPage(browser, 'sz.intake');
  await intake.getByRole('menuitem', { name: /学习驾驶证明/ }).click();
  await expect(intake).toHaveURL(/#\/learner-permits/);
  await intake.getByRole('link', { name: '新建' }).click();
  await intake.getByRole('combobox', { name: /已受理的初次申领申请/ }).click();
  await intake.getByRole('option', { name: /蒋立新/ }).click();
  await intake.getByRole('button', { name: /保存/ }).click();
  // the permit: three years of validity and the day 科目二 may be booked
  await expect(intake.getByText('蒋立新')).toBeVisible();
  await expect(intake.getByText(/^2029-/)).toBeVisible();
  await expect(intake.getByText('440307********1231')).toBeVisible();
  await intake.context().close();

  // 管理岗: the plan's results as CSV (masked, audited), and one full ID number with a reason
  const staff = page.context().request;
  expect((await staffApiSignIn(staff, 'sz.review')).status()).toBe(200);
  const csv = await staff.get(`${bffUrl}/admin-api/exam-results/export.csv?filter=${encodeURIComponent(JSON.stringify({ planId: E2E_PLAN }))}`);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text).toContain('身份证明号码');
  expect(text).toMatch(/\d{6}\*{8}[\dX]{4}/);
  const review = await staffPage(browser, 'sz.review');
  await review.goto(`${adminUrl}#/exam-results?filter=${encodeURIComponent(JSON.stringify({ planId: E2E_PLAN }))}`);
  await review.getByRole('row').nth(1).click();
  await review.getByRole('button', { name: '查看完整的身份证明号码' }).click();
  await review.getByRole('textbox', { name: /查看身份证明号码的原因/ }).fill('考生身份核对');
  await review.getByRole('button', { name: '确认查看' }).click();
  await expect(review.getByText('已记录查看')).toBeVisible();
  await review.context().close();
});
