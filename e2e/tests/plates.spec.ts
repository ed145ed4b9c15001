import type { Browser, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { adminUrl, bffUrl, expect, staffSignInOnPage, test } from './fixtures.ts';

/**
 * Issue 4 as one story: 管理岗 plans, publishes and builds a segment; two
 * citizens preselect (self-composed, random draw with its fairness proof);
 * 受理岗 registers one; the other's three working days pass and the
 * two-year ban is shown to the citizen and to staff.
 */

const DAY = 86_400_000;
const ZHANG = { phone: '13800138000', idNumber: '440304198503122756', name: '张伟' };
const WANG = { phone: '13700137000', idNumber: '440305199007213406', name: '王芳' };

/** ISO 3779 check digit in position 9, so the bff accepts the VIN. */
function vin(body16: string): string {
  const values: Record<string, number> = {
    A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
  };
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  const raw = `${body16.slice(0, 8)}0${body16.slice(8)}`;
  const sum = [...raw].reduce((acc, c, i) => acc + (/\d/.test(c) ? Number(c) : values[c]!) * weights[i]!, 0);
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  return raw.slice(0, 8) + check + raw.slice(9);
}

/** The fixture's accessibility check, for a page of another browser context. */
async function axeOn(page: Page) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function setClock(page: Page, offsetMs: number) {
  const res = await page.request.post(`${bffUrl}/dev/clock`, { data: { offsetMs } });
  expect(res.ok()).toBe(true);
}

/**
 * react-admin's notification sits at the bottom of a phone screen and pauses
 * its timer while the pointer is over it: let it go before clicking below it.
 */
async function settle(page: Page) {
  await page.mouse.move(0, 0);
  await page.locator('.MuiSnackbar-root').waitFor({ state: 'detached', timeout: 6_000 }).catch(() => {});
}

/** A staff member in a browser of their own (each post has its own session cookie). */
async function staffSignIn(browser: Browser, username: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(adminUrl);
  await staffSignInOnPage(page, username);
  // the login page carries the app title too: wait for the dashboard's greeting
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
  return page;
}

async function citizen(browser: Browser, who: { phone: string }) {
  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  return citizenSignIn(await context.newPage(), who);
}

async function citizenSignIn(page: Page, who: { phone: string }) {
  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: '手机号', exact: true }).fill(who.phone);
  await page.getByRole('textbox', { name: '密码' }).fill('Demo#2026pass');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  return page;
}

test('管理岗 opens a segment; citizens preselect by composing and by a fair draw; 受理岗 registers one, the other lapses into a two-year ban', async ({ page: phone, browser, axe }) => {
  test.setTimeout(240_000);
  await setClock(phone, 0);
  const clock = (await (await phone.request.get(`${bffUrl}/dev/clock`)).json()) as { now: string };
  // Two weeks ahead is always at least three working days, even across a holiday week.
  const startDay = new Date(Date.parse(clock.now) + 8 * 3600_000 + 14 * DAY).toISOString().slice(0, 10);
  const startAt = Date.parse(`${startDay}T00:00:00+08:00`);

  // --- 管理岗: draft → report → record approval → publish → build the pool
  let page = await staffSignIn(browser, 'sz.review');
  await page.goto(`${adminUrl}#/plate-plans/create`);
  await page.getByLabel('号段规则').fill('8@@##');
  await page.getByLabel('启用日期').fill(startDay);
  await page.getByLabel('保留号码').fill('8AA88');
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/#\/plate-plans\/[0-9a-f-]{36}\/show/);
  const planId = /plate-plans\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  await expect(page.getByText('草稿')).toBeVisible();

  await settle(page);
  await page.getByRole('button', { name: '报上级机关' }).click();
  // issue 18: each step confirms with its consequence
  await page.getByRole('dialog').getByRole('button', { name: '报上级机关' }).click();
  await settle(page);
  await page.getByLabel('批准或备案文号').fill('粤公交管〔2026〕88号');
  await page.getByRole('button', { name: '登记批准或备案' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '登记批准或备案' }).click();
  await expect(page.getByText('粤公交管〔2026〕88号')).toBeVisible();
  await settle(page);
  await page.getByRole('button', { name: '向社会公布' }).click();
  await expect(page.getByRole('dialog')).toContainText('公布后不能撤回');
  await page.getByRole('dialog').getByRole('button', { name: '向社会公布' }).click();
  await expect(page.getByText('已公布', { exact: true })).toBeVisible();
  await settle(page);
  await page.getByRole('button', { name: '建立号码池' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '建立号码池' }).click();
  // a durable job in chunks; the page polls while it runs
  await expect(page.getByText('号码池已建立', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('号码池建立进度 100%')).toBeVisible();

  // --- the start day comes: open the segment (R-24.3 warns: 57,599 is close to 50,000)
  await setClock(page, startAt + 3600_000 - Date.now());
  page = await staffSignIn(browser, 'sz.review');
  await page.goto(`${adminUrl}#/plate-plans/${planId}/show`);
  await expect(page.getByText(/接近五万个的下限/)).toBeVisible();
  await page.getByRole('button', { name: '开放预选' }).click();
  await expect(page.getByRole('dialog')).toContainText('接近五万个的下限');
  await page.getByRole('dialog').getByRole('button', { name: '开放预选' }).click();
  await expect(page.getByText('开放预选', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: '关闭号段' })).toBeVisible();

  // --- 张伟 composes a number: live hints name the broken rule, then the number is free
  // 张伟 uses the test's own phone-sized page, the one the accessibility checks look at
  phone.setDefaultTimeout(20_000);
  const zhang = await citizenSignIn(phone, ZHANG);
  await zhang.goto('/');
  await zhang.getByRole('link', { name: /号牌预选/ }).click();
  await expect(zhang.getByRole('heading', { name: '号牌预选', level: 1 })).toBeVisible();
  await zhang.getByRole('link', { name: '预选号牌号码' }).click();
  // the demo's own open segment (粤BD#####) is listed too (issue 18): choose this story's
  await zhang.getByLabel('号段', { exact: true }).selectOption(planId);
  await zhang.getByLabel('自编号码').fill('8IB12');
  await expect(zhang.getByText('号牌号码不能使用字母 I 和 O')).toBeVisible();
  await zhang.getByLabel('自编号码').fill('8ABC1');
  await expect(zhang.getByText('号牌号码最多只能有2个英文字母')).toBeVisible();
  await zhang.getByLabel('自编号码').fill('8AB12');
  await expect(zhang.getByText('粤B8AB12 目前可以选用')).toBeVisible();
  await axe();
  const zhangVin = vin('LFV3A28K1T000417');
  await zhang.getByLabel('车辆识别代号').fill(zhangVin);
  await zhang.getByLabel('身份证明号码').fill(ZHANG.idNumber);
  await zhang.getByLabel('手机号码').fill(ZHANG.phone);
  await zhang.getByRole('button', { name: '提交预选' }).click();
  await expect(zhang.getByRole('heading', { name: '预选成功' })).toBeVisible();
  await expect(zhang.getByText('粤B8AB12').first()).toBeVisible();
  await expect(zhang.getByText(/请于 \d{4}-\d{2}-\d{2}（含当日）前到公安机关交通管理部门办理注册登记/)).toBeVisible();
  const zhangPs = /preselections\/([0-9a-f-]{36})/.exec(zhang.url())![1]!;
  await axe();

  // the reservation and its deadline stay readable offline (saved page + snapshot on the device)
  await zhang.goto('/plates');
  await zhang.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await zhang.reload();
  await expect(zhang.getByText('粤B8AB12')).toBeVisible();
  await zhang.context().setOffline(true);
  await zhang.reload();
  await expect(zhang.getByText('粤B8AB12')).toBeVisible();
  await expect(zhang.getByText(/请于 \d{4}-\d{2}-\d{2}（含当日）前/)).toBeVisible();
  await expect(zhang.getByRole('status').filter({ hasText: /离线|本设备/ }).first()).toBeVisible();
  await zhang.context().setOffline(false);

  // --- 王芳 draws 10 random numbers and picks one; the proof re-runs in her browser (PD-14)
  const wang = await citizen(browser, WANG);
  await wang.goto('/plates/new');
  await wang.getByLabel('号段', { exact: true }).selectOption(planId);
  await wang.getByLabel(/计算机自动选取/).check();
  await wang.getByLabel('车辆识别代号').fill(vin('LFV3A28K1T000533'));
  await wang.getByLabel('身份证明号码').fill(WANG.idNumber);
  await wang.getByLabel('手机号码').fill(WANG.phone);
  await wang.getByRole('button', { name: '提交预选' }).click();
  await expect(wang.getByRole('heading', { name: '计算机自动选取' })).toBeVisible();
  await expect(wang.getByText('还可以选取 5 次')).toBeVisible();
  await wang.getByRole('button', { name: '选取 10 个号码' }).click();
  const numbers = wang.getByRole('radio');
  await expect(numbers).toHaveCount(10);
  await expect(wang.getByText(/剩余时间 (10:00|9:\d\d)/)).toBeVisible();
  await axeOn(wang);
  // one new draw: the first ten go back; its proof becomes available
  await wang.getByRole('button', { name: '放弃这组，重新选取' }).click();
  await expect(wang.getByText('还可以选取 3 次')).toBeVisible();
  const picked = (await numbers.first().getAttribute('value'))!;
  await numbers.first().check();
  await wang.getByRole('button', { name: '选定这个号码' }).click();
  await expect(wang.getByRole('heading', { name: '预选成功' })).toBeVisible();
  await expect(wang.getByText(picked).first()).toBeVisible();
  await wang.getByRole('link', { name: /查看公平性证明 2/ }).click();
  await expect(wang.getByText('服务器按公开算法复核：一致。')).toBeVisible();
  await wang.getByRole('button', { name: '在本设备上重新计算' }).click();
  await expect(wang.getByTestId('browser-ok')).toContainText('种子的 SHA-256 等于承诺值');
  await axeOn(wang);

  // --- 受理岗 registers 张伟's car: the data match, the number is issued (R-23.3)
  page = await staffSignIn(browser, 'sz.intake');
  await page.goto(`${adminUrl}#/plate-preselections`);
  await expect(page.getByText('粤B8AB12')).toBeVisible();
  await page.goto(`${adminUrl}#/plate-preselections/${zhangPs}/show`);
  const counter = page.locator('section', { has: page.getByRole('heading', { name: '办理注册登记' }) });
  await counter.getByLabel('车辆识别代号').fill(zhangVin);
  await counter.getByLabel('身份证明号码').fill(ZHANG.idNumber);
  await counter.getByLabel('所有人名称').fill(ZHANG.name);
  await counter.getByLabel('手机号码').fill(ZHANG.phone);
  await counter.getByLabel(/品牌型号/).fill('比亚迪海豹');
  await settle(page);
  await counter.getByRole('button', { name: '核对并登记' }).click();
  await expect(page.getByRole('dialog')).toContainText('限制所有人两年内网上预选');
  await page.getByRole('dialog').getByRole('button', { name: '核对并登记' }).click();
  await expect(page.getByText('已登记，号牌号码 粤B8AB12 已发放')).toBeVisible();
  await zhang.goto('/account');
  await expect(zhang.getByText('粤B8AB12')).toBeVisible();

  // --- 王芳 does not come: three working days pass, the job releases the number and bans her
  await setClock(page, startAt + 3600_000 + 10 * DAY - Date.now());
  const wangAgain = await citizen(browser, WANG);
  await wangAgain.goto('/plates');
  await expect(wangAgain.getByRole('heading', { name: '网上预选受限' })).toBeVisible();
  await expect(wangAgain.getByText(/\d{4}-\d{2}-\d{2} 前不能通过互联网预选号牌号码/)).toBeVisible();
  await expect(wangAgain.getByText('逾期作废')).toBeVisible();
  page = await staffSignIn(browser, 'sz.intake');
  await page.goto(`${adminUrl}#/plate-preselections?filter=${encodeURIComponent(JSON.stringify({ status: 'expired' }))}`);
  await expect(page.getByText(picked)).toBeVisible();
  await expect(page.getByText(/前不能网上预选/).first()).toBeVisible();

  await setClock(page, 0);
});
