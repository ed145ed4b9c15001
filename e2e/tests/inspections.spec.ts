import type { Browser, Page } from '@playwright/test';
import { test, expect, adminUrl, bffUrl, latestSms, staffSignInOnPage } from './fixtures.ts';

/**
 * Issue 6 user stories — safety-inspection appointments (第三章第四节).
 * One story builds on the previous (a fresh database per run): the operator
 * publishes, citizens book, the city and province publish a cross-city plan,
 * then the station is suspended.
 */
test.describe.configure({ mode: 'serial' });

const ZHANG_WEI = '13800138000'; // 粤BA1234, inspection valid until 2027-01-31
const HUANG_TING = '18656166424'; // 粤BS6601 (valid until 2027-04-30), 粤AK6602 (广州, 2027-01-31)
const FUTIAN = '深圳市福田机动车检测站';

/** A calendar day in Asia/Shanghai, `offset` days from today. */
function shanghaiDay(offset: number): string {
  return new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

async function staffPage(browser: Browser, username: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  await page.goto(adminUrl);
  await staffSignInOnPage(page, username);
  // signed in: the console greets the member (the audit log is no longer every post's menu, issue 17)
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
  return page;
}

async function signIn(page: Page, phone: string) {
  await page.context().clearCookies();
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill('Demo#2026pass');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
}

/** Vehicle → station/slot → check → confirm; returns the booking code shown on the confirmation page. */
async function book(page: Page, plate: string, station: string): Promise<string> {
  await page.goto('/inspections');
  await page.getByRole('link', { name: '预约检验' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '选择要检验的机动车' })).toBeVisible();
  await page.getByRole('radio', { name: new RegExp(plate) }).check();
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '选择检验机构和时段' })).toBeVisible();
  const section = page.getByRole('region', { name: new RegExp(station) });
  await section.locator('input[type=radio]:not([disabled])').first().check();
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '核对预约信息' })).toBeVisible();
  await expect(page.getByText(station).first()).toBeVisible();
  await page.getByRole('button', { name: '确认预约' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /预约成功|改约成功/ })).toBeVisible();
  return (await page.getByTestId('booking-code').innerText()).trim();
}

test('a station operator publishes slots; a citizen books, gets the SMS, cancels and books again', async ({ page, browser, request, axe }) => {
  // the operator of 福田 publishes a week of slots from its schedule.
  const op = await staffPage(browser, 'station.futian');
  await op.getByRole('menuitem', { name: /检验时段/ }).click();
  await expect(op.getByRole('heading', { name: new RegExp(FUTIAN) })).toBeVisible();
  await op.getByRole('link', { name: '检验计划与时段发布' }).click();
  await op.getByLabel('起始日期').fill(shanghaiDay(1));
  await op.getByLabel('截止日期').fill(shanghaiDay(7));
  await op.getByRole('button', { name: '发布时段' }).click();
  // issue 18: publishing confirms with its consequence
  await op.getByRole('dialog').getByRole('button', { name: '发布时段' }).click();
  await expect(op.getByText(/已发布 \d+ 个时段/)).toBeVisible();
  await expect(op.getByRole('cell', { name: shanghaiDay(1) }).first()).toBeVisible();

  // 张伟 books 粤BA1234 at 福田.
  await signIn(page, ZHANG_WEI);
  await page.goto('/');
  await page.getByRole('link', { name: /机动车检验预约/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: '机动车检验预约' })).toBeVisible();
  await page.getByRole('link', { name: '预约检验' }).click();
  await expect(page.getByRole('radio', { name: /粤BA1234/ })).toBeVisible();
  await axe();
  const before = new Date(Date.now() - 1000).toISOString();
  const code = await book(page, '粤BA1234', FUTIAN);
  expect(code).toMatch(/^JY[2-9A-HJ-NP-Z]{8}$/);
  await expect(page.getByText('预约号已通过短信发送到您的手机。')).toBeVisible();
  await axe();
  const sms = await latestSms(request, ZHANG_WEI, before);
  expect(sms.text).toContain(code);

  // cancel before the inspection day, after a confirmation dialog.
  await page.getByRole('link', { name: '取消预约' }).click();
  const dialog = page.getByRole('dialog', { name: '确定取消这个预约吗？' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: '确定取消' }).click();
  await expect(page.getByText(`预约 ${code} 已取消。`)).toBeVisible();
  await expect(page.getByRole('region', { name: '历史记录' }).getByText(code)).toBeVisible();

  // …and book again: the place was freed at once.
  const again = await book(page, '粤BA1234', FUTIAN);
  expect(again).not.toBe(code);
  await op.context().close();
});

test('a vehicle whose inspection validity ends in five months is refused, with the day booking opens', async ({ page }) => {
  await signIn(page, HUANG_TING);
  await page.goto('/inspections/book');
  const card = page.getByTestId('ineligible-vehicle').filter({ hasText: '粤BS6601' });
  await expect(card).toContainText('检验有效期止三个月内才能预约检验');
  await expect(card).toContainText('检验有效期至2027-04-30，可于2027-01-30起预约');
  await expect(page.getByRole('radio', { name: /粤BS6601/ })).toHaveCount(0);
});

test('a cross-city booking works only after the province publishes the plan', async ({ page, browser }) => {
  // R-35.4: 黄婷's 粤AK6602 is registered in 广州; without a published plan 福田 is not offered.
  await signIn(page, HUANG_TING);
  const slotsFor粤A = async () => {
    await page.goto('/inspections/book');
    await page.getByRole('radio', { name: /粤AK6602/ }).check();
    await page.getByRole('button', { name: '继续' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '选择检验机构和时段' })).toBeVisible();
  };
  await slotsFor粤A();
  await expect(page.getByRole('region', { name: /广州市天河机动车检测站/ })).toBeVisible();
  await expect(page.getByRole('region', { name: new RegExp(FUTIAN) })).toHaveCount(0);

  // R-36.2.1: 深圳's 管理岗 prepares the plan (福田, 2 places per slot) and files it with the province.
  const sz = await staffPage(browser, 'sz.review');
  await sz.getByRole('menuitem', { name: /检验预约与异地计划/ }).click();
  await expect(sz.getByRole('heading', { name: '网上预约开关' })).toBeVisible();
  // The list's own create button, as a user would (a hash-only goto once left react-admin on its loading screen).
  await sz.getByRole('link', { name: /新建|创建/ }).click();
  await expect(sz.getByLabel('检验机构')).toBeVisible();
  await sz.getByLabel('检验机构').click();
  await sz.getByRole('option', { name: FUTIAN }).click();
  await sz.getByLabel('每时段异地名额').fill('2');
  await sz.getByLabel('起始日期').fill(shanghaiDay(1));
  await sz.getByLabel('截止日期').fill(shanghaiDay(30));
  await sz.getByRole('button', { name: '保存' }).click();
  await sz.getByRole('button', { name: '报备省级' }).click();
  await expect(sz.getByText('计划已报备省级')).toBeVisible();
  await sz.context().close();

  // Filed is not published: still no 福田 for a 粤A vehicle.
  await slotsFor粤A();
  await expect(page.getByRole('region', { name: new RegExp(FUTIAN) })).toHaveCount(0);

  // the province aggregates and publishes.
  const gd = await staffPage(browser, 'gd.review');
  await gd.getByRole('menuitem', { name: /检验预约与异地计划/ }).click();
  await gd.getByLabel('公告内容').fill('广东省省内异地机动车安全技术检验预约计划');
  await gd.getByRole('button', { name: '汇总各地市报备的计划并公布' }).click();
  await expect(gd.getByText('已公布第 1 版全省异地检验计划')).toBeVisible();
  await gd.context().close();

  await slotsFor粤A();
  const futian = page.getByRole('region', { name: new RegExp(FUTIAN) });
  await expect(futian).toBeVisible();
  await expect(futian.getByText('省内异地检验')).toBeVisible();
  await expect(page.getByText(/余量更新于 \d{2}:\d{2}/)).toBeVisible();

  // Offline, the free places come from the device, with their age said plainly.
  await page.locator('html[data-offline-ready="true"]').waitFor({ state: 'attached' });
  await page.reload();
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.getByText(/离线：显示的是本设备于 .+ 保存的余量，联网后才能预约/)).toBeVisible();
  await expect(futian).toBeVisible();
  await page.context().setOffline(false);
  await page.reload();
  const code = await book(page, '粤AK6602', FUTIAN);
  await expect(page.getByText('省内异地检验').first()).toBeVisible();
  expect(code).toMatch(/^JY/);
});

test('a station suspension stops new bookings at once and lists the pending ones; the citizen moves in one tap', async ({ page, browser }) => {
  // the operator suspends 福田 (equipment failure); the pending bookings are listed.
  const op = await staffPage(browser, 'station.futian');
  await op.getByRole('menuitem', { name: /检验时段/ }).click();
  await op.getByRole('button', { name: '暂停预约服务' }).click();
  const dialog = op.getByRole('dialog');
  await dialog.getByLabel('说明（向社会公布）').fill('制动检验台故障，预计三日内修复');
  await dialog.getByRole('button', { name: '确认' }).click();
  await expect(op.getByText(/已暂停预约服务，2 个待处理预约已短信通知/)).toBeVisible();
  const pending = op.getByTestId('pending-bookings');
  await expect(pending.getByRole('row')).toHaveCount(3); // header + 张伟 + 黄婷
  await expect(pending).toContainText('粤BA1234');
  await expect(pending).toContainText('粤AK6602');
  await expect(pending).toContainText('深圳市宝安机动车检测站'); // the nearest free slot for 张伟
  await expect(op.getByText('预约服务已暂停')).toBeVisible();

  // New bookings stop at once: 福田 is no longer offered, and the notice is public.
  await signIn(page, HUANG_TING);
  // (粤AK6602 has a booking now, so the search is asked directly, through web's /api proxy with her cookie.)
  const search = await page.request.get('/api/v1/inspections/slots?vehicleId=30000000-0000-4000-8000-000000000602');
  expect(search.status()).toBe(200);
  const offered = ((await search.json()) as { stations: { name: string }[] }).stations.map((s) => s.name);
  expect(offered).toContain('广州市天河机动车检测站');
  expect(offered).not.toContain(FUTIAN);
  await page.goto('/inspections');
  await expect(page.getByText('检验机构已暂停预约服务，请改约到其他检验机构。')).toBeVisible();
  const slot = await page.request.get(`${bffUrl}/api/v1/inspections/notices`);
  const { notices } = (await slot.json()) as { notices: { stationName: string; toStatus: string; note: string }[] };
  expect(notices[0]).toMatchObject({ stationName: FUTIAN, toStatus: 'suspended', note: '制动检验台故障，预计三日内修复' });
  await expect(page.getByText(/深圳市福田机动车检测站（深圳市）暂停预约服务：设备故障/)).toBeVisible();

  // 张伟 moves his booking in one tap to the nearest free slot elsewhere.
  await signIn(page, ZHANG_WEI);
  await page.goto('/inspections');
  await page.getByRole('link', { name: '改约或取消' }).click();
  await expect(page.getByRole('heading', { name: '改约到就近的空余时段' })).toBeVisible();
  const first = page.getByRole('button', { name: /^改约到 深圳市宝安机动车检测站/ }).first();
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name: '改约成功' })).toBeVisible();
  await expect(page.getByText('深圳市宝安机动车检测站').first()).toBeVisible();

  // The operator's list now has one pending booking left (黄婷's).
  await op.reload();
  await expect(op.getByTestId('pending-bookings').getByRole('row')).toHaveCount(2);
  await op.context().close();
});
