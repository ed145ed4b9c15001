import { request as playwrightRequest, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { test, expect, adminUrl, bffUrl, staffApiSignIn, staffSignInOnPage } from './fixtures.ts';

/**
 * Issue 18 user story — a citizen picks a date, then a time, moves (改约) her
 * booking in one step, and on the day the station marks the vehicle arrived
 * and done on its day roster.
 */
test.describe.configure({ mode: 'serial' });

const ZHANG_WEI = '13800138000'; // 粤BA1234, inspection valid until 2027-01-31
const FUTIAN = '深圳市福田机动车检测站';

type Clock = { now: string; offsetMs: number };
const clockOf = async (api: APIRequestContext) => (await (await api.get(`${bffUrl}/dev/clock`)).json()) as Clock;
/** The bff's calendar day in Asia/Shanghai, `offset` days on. */
const shanghaiDay = (now: string, offset: number) => new Date(Date.parse(now) + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

async function staffApi(username: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL: bffUrl });
  expect((await staffApiSignIn(api, username)).ok()).toBe(true);
  return api;
}

async function staffPage(browser: Browser, username: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  await page.goto(adminUrl);
  await staffSignInOnPage(page, username);
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

test('a citizen picks a date then a time, moves the booking in one step; on the day the station marks it arrived and done', async ({ page, browser, axe }) => {
  test.setTimeout(180_000);
  // The operator of 福田 publishes a week of slots from its schedule (set-up, through the staff API).
  const op = await staffApi('station.futian');
  const start = await clockOf(op);
  const published = await op.post('/admin-api/inspection-slots/publish', { data: { from: shanghaiDay(start.now, 1), to: shanghaiDay(start.now, 7) } });
  expect(published.status(), await published.text()).toBe(201);

  // Book: a date first, then a time; station phones are tel: links; why only these stations.
  await signIn(page, ZHANG_WEI);
  await page.goto('/inspections');
  await page.getByRole('link', { name: '预约检验' }).click();
  await page.getByRole('radio', { name: /粤BA1234/ }).check();
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '选择检验机构和时段' })).toBeVisible();
  await expect(page.getByTestId('why-only-city')).toContainText('登记地深圳市');
  await expect(page.getByTestId('why-only-city')).toContainText('第三十五条');
  const days = page.getByRole('region', { name: '先选择日期' });
  await expect(days.locator('a[aria-current="date"]')).toHaveCount(1);
  // the second day with places, chosen in place (no reload): its times only
  const second = days.getByRole('link').nth(1);
  const secondName = (await second.locator('.day-name').innerText()).trim();
  await second.click();
  await expect(second).toHaveAttribute('aria-current', 'date');
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(`再选择 ${secondName}`) })).toBeVisible();
  const futian = page.getByRole('region', { name: new RegExp(FUTIAN) });
  await expect(futian.getByRole('link', { name: /致电 深圳市福田机动车检测站/ })).toHaveAttribute('href', 'tel:075583921122');
  await axe();
  await futian.locator('input[type=radio]:not([disabled])').first().check();
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '核对预约信息' })).toBeVisible();
  await page.getByRole('button', { name: '确认预约' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '预约成功' })).toBeVisible();
  const first = (await page.getByTestId('booking-code').innerText()).trim();

  // 改约 from the bookings page: another time, checked, then one step.
  await page.goto('/inspections');
  await page.getByRole('link', { name: `改约 ${first}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: '改约：选择新的检验机构和时段' })).toBeVisible();
  await expect(page.getByText(`预约号 ${first}`)).toBeVisible();
  await page.getByRole('region', { name: new RegExp(FUTIAN) }).locator('input[type=radio]:not([disabled])').first().check();
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '核对改约信息' })).toBeVisible();
  await axe();
  await page.getByRole('button', { name: '确认改约' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '改约成功' })).toBeVisible();
  const moved = (await page.getByTestId('booking-code').innerText()).trim();
  expect(moved).not.toBe(first);
  await page.goto('/inspections');
  await expect(page.getByRole('region', { name: '历史记录' }).getByText(first)).toBeVisible();
  const mine = (await (await page.request.get('/api/v1/inspections/bookings')).json()) as { bookings: { code: string; slot: { day: string } }[] };
  const day = mine.bookings.find((b) => b.code === moved)!.slot.day;

  // The inspection day comes (the shared test clock moves to 10:00 that day).
  const offsetMs = start.offsetMs + Date.parse(`${day}T02:00:00Z`) - Date.parse(start.now);
  expect((await op.post('/dev/clock', { data: { offsetMs } })).ok()).toBe(true);
  try {
    // The station's day roster: the moved booking, personal data masked; arrived, then done.
    const admin = await staffPage(browser, 'station.futian');
    await admin.getByRole('menuitem', { name: /当日预约名册/ }).click();
    const row = admin.getByRole('row').filter({ hasText: moved });
    await expect(row).toBeVisible();
    await expect(row).toContainText('138****8000');
    await expect(row).toContainText('张*');
    await expect(admin.getByRole('row').filter({ hasText: first })).toHaveCount(0);
    await row.getByRole('button', { name: `粤BA1234 ${moved}：到场` }).click();
    await expect(admin.getByText('已登记：到场')).toBeVisible();
    await expect(row).toContainText('已到场');
    await expect(row.getByRole('button', { name: /未到检/ })).toHaveCount(0);
    await row.getByRole('button', { name: `粤BA1234 ${moved}：检验完成` }).click();
    await expect(row).toContainText('检验完成');
    await expect(row.getByRole('button')).toHaveCount(0);
    await admin.context().close();

    // The citizen sees it done, and the vehicle is free for its next booking.
    await signIn(page, ZHANG_WEI);
    await page.goto('/inspections');
    const history = page.getByRole('region', { name: '历史记录' });
    await expect(history.getByRole('listitem').filter({ hasText: moved })).toContainText('已检验');
    await expect(page.getByRole('region', { name: '我的预约' })).toContainText('还没有检验预约。');
  } finally {
    await op.post('/dev/clock', { data: { offsetMs: start.offsetMs } });
    await op.dispose();
  }
});
