import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';

/**
 * Issue 18 user stories — citizens on the web: "my account" as a hub with what
 * is due soon, unbinding that asks first and says what binding again costs,
 * the counter form filled from the record, and a change drafted offline that
 * waits in the outbox and is sent exactly once when the network returns.
 */
test.describe.configure({ mode: 'serial' });

const ZHANG_WEI = '13800138000'; // 粤BA1234 own (inspection valid until 2027-01-31), 粤BD12345 own, 粤B8K2M9 non-own

/** Signs in through the site's /api proxy (the sign-in page has its own stories): the context keeps the cookies. */
async function signIn(page: Page, phone: string) {
  const res = await page.request.post('/api/v1/auth/sign-in', { data: { phone, password: 'Demo#2026pass' } });
  expect(res.status()).toBe(200);
}

test('my account is a hub: every service linked, and an inspection due within 90 days with the booking that resolves it', async ({ page, axe }) => {
  await signIn(page, ZHANG_WEI);
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();

  const due = page.getByTestId('due-soon');
  const item = due.getByRole('listitem').filter({ hasText: '粤BA1234' });
  // An earlier story may have booked 粤BA1234 already: the item then shows the booking instead (both resolve it).
  const booked = /已预约/.test((await item.textContent()) ?? '');
  await expect(item).toContainText(booked ? /粤BA1234 已预约 \d{4}-\d{2}-\d{2} 检验（有效期至 2027-01-31）/ : '粤BA1234 检验有效期至 2027-01-31');
  await expect(due).not.toContainText('粤BD12345');
  await expect(due).not.toContainText('粤B8K2M9');
  await axe();

  const services = page.getByTestId('services');
  await expect(services.getByRole('link', { name: '机动车安全技术检验预约' })).toHaveAttribute('href', '/inspections');
  await expect(services.getByRole('link', { name: '预选机动车号牌' })).toHaveAttribute('href', '/plates');
  await expect(services.getByText('考试预约')).toContainText('暂未开放网上办理');

  if (booked) {
    await item.getByRole('link', { name: /查看预约/ }).click();
    await expect(page).toHaveURL(/\/inspections\/bookings\/[0-9a-f-]{36}/);
  } else {
    await item.getByRole('link', { name: /预约检验/ }).click();
    await expect(page).toHaveURL(/\/inspections\/book\?vehicle=30000000-0000-4000-8000-000000000001/);
    await expect(page.getByRole('radio', { name: /粤BA1234/ })).toBeChecked();
  }
});

test('unbinding asks first and says what binding again takes: a counter visit for a vehicle that is not yours, nothing for your own', async ({ page, axe }) => {
  await signIn(page, ZHANG_WEI);
  await page.goto('/account/bindings');
  await expect(page.getByRole('heading', { level: 1, name: '绑定车辆和驾驶证' })).toBeVisible();

  // Not his: asked, told about the counter and the owner's papers; he keeps it.
  await page.getByRole('button', { name: '解绑 粤B8K2M9' }).click();
  const ask = page.getByRole('group', { name: '确定解绑 粤B8K2M9 吗？' });
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('须本人携带机动车所有人的身份证明和行驶证到窗口办理');
  await expect(page.getByRole('heading', { name: '确定解绑 粤B8K2M9 吗？' })).toBeFocused();
  await axe();
  await ask.getByRole('link', { name: '暂不解绑' }).click();
  await expect(page.getByRole('button', { name: '解绑 粤B8K2M9' })).toBeVisible();

  // His own: binding again is online and free; he unbinds, then binds it again.
  await page.getByRole('button', { name: '解绑 粤BD12345' }).click();
  const own = page.getByRole('group', { name: '确定解绑 粤BD12345 吗？' });
  await expect(own).toContainText('随时在本页重新在线绑定');
  await own.getByRole('button', { name: '确认解绑' }).click();
  await expect(page.getByText('已解绑。')).toBeVisible();
  await page.getByRole('button', { name: '绑定 粤BD12345' }).click();
  await expect(page.getByText('已绑定。')).toBeVisible();
  await expect(page.getByRole('button', { name: '解绑 粤BD12345' })).toBeVisible();
});

test('the counter form starts from his record, chooses no sex he did not choose, and checks the birth date against the ID number', async ({ page }) => {
  // Signed out: a blank form, and no sex chosen for the user.
  await page.goto('/counter-form');
  await expect(page.getByRole('radio', { name: '男' })).not.toBeChecked();
  await expect(page.getByRole('radio', { name: '女' })).not.toBeChecked();
  await signIn(page, ZHANG_WEI);
  await page.goto('/counter-form');
  await expect(page.getByLabel('姓名')).toHaveValue('张伟');
  await expect(page.getByLabel('身份证号')).toHaveValue('440304198503122756');
  await page.getByLabel('出生日期').fill('1985-03-21');
  await expect(page.getByRole('radio', { name: '男' })).toBeChecked();
  await page.getByRole('button', { name: '生成二维码' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary.getByRole('link', { name: /出生日期与身份证号不一致/ })).toHaveCount(1);
  await expect(summary.getByRole('link')).toHaveCount(1);
});

test('a contact change drafted offline waits in the outbox, and is sent exactly once with its key when the network returns', async ({ page, context }) => {
  await signIn(page, ZHANG_WEI);
  // Seen once online: the settings page is saved on this device.
  await page.goto('/account/settings');
  await page.locator('html[data-offline-ready="true"]').waitFor({ state: 'attached' });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '账户设置' })).toBeVisible();

  const sent: { key: string | null; body: string | null }[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/me/contact') sent.push({ key: r.headers()['idempotency-key'] ?? null, body: r.postData() });
  });

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText('当前离线：提交后内容保存在本设备的“待发送”中')).toBeVisible();
  await expect(page.getByText('当前离线：此项需要联网办理').first()).toBeVisible();
  await page.getByLabel('邮政编码').fill('518000');
  await page.getByRole('button', { name: '保存联系方式' }).click();
  await expect(page.getByText('已保存到“待发送”：联网后自动发送，只会办理一次。')).toBeVisible();
  await expect(page.getByRole('link', { name: '待发送 1' })).toBeVisible();

  // A page never saved: the fallback knows he is signed in and names the saved pages.
  await page.goto('/replacements/new');
  await expect(page.getByTestId('offline-session')).toContainText('您已登录');
  const saved = page.getByRole('list').filter({ has: page.getByRole('link', { name: '账户设置' }) });
  await expect(saved).toBeVisible();
  await expect(saved).not.toContainText('/account');

  // The outbox opens offline, with the change waiting.
  await page.goto('/outbox');
  await expect(page.getByRole('heading', { level: 1, name: '待发送' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '修改联系方式' })).toBeVisible();
  await expect(page.getByText('等待发送')).toBeVisible();
  expect(sent).toHaveLength(0);

  await context.setOffline(false);
  await expect(page.getByRole('heading', { name: '已发送' })).toBeVisible({ timeout: 20_000 });
  await page.waitForTimeout(1_000);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.parse(sent[0]!.body!)).toMatchObject({ postcode: '518000' });

  const me = await (await page.request.get('/api/v1/me')).json();
  expect(me.contact.postcode).toBe('518000');
});

test('issue 18 · the outbox page is precached as itself: offline, on a device that never opened it, /outbox opens the outbox page with the queued change', async ({ page, context }) => {
  await signIn(page, ZHANG_WEI);
  await page.goto('/account/settings');
  await page.locator('html[data-offline-ready="true"]').waitFor({ state: 'attached' });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '账户设置' })).toBeVisible();

  // Drafted offline: the change waits in the outbox (and is never sent: the test ends offline).
  await context.setOffline(true);
  await page.reload();
  await page.getByLabel('邮政编码').fill('518001');
  await page.getByRole('button', { name: '保存联系方式' }).click();
  await expect(page.getByText('已保存到“待发送”：联网后自动发送，只会办理一次。')).toBeVisible();

  // Opened in full (typed, a bookmark, the home-screen icon) though never opened on this device: the
  // service worker answers with the outbox page it precached at install.
  await page.goto('/outbox');
  // The document on screen is that precached copy — the outbox route as the server rendered it, not the
  // /offline fallback (whose heading is 您目前处于离线状态): SvelteKit's start-up script names the
  // page's route and data, and it is the one in the precached copy.
  const { precached, startUp } = await page.evaluate(async () => {
    let html = '';
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const url = new URL(request.url);
        if (url.pathname === '/outbox' && url.searchParams.has('precached')) html = (await (await cache.match(request))?.text()) ?? '';
      }
    }
    const script = [...document.querySelectorAll('script:not([src]):not([type])')].find((s) => s.textContent?.includes('node_ids'));
    return { precached: html, startUp: script?.textContent ?? '' };
  });
  expect(startUp).toContain('node_ids');
  expect(precached).toContain(startUp);
  // What the copy shows, without the dictionary the page carries as data (ADR-026), which names every page.
  const shown = precached.replace(/<script type="application\/json" id="jg-dict"[\s\S]*?<\/script>/, '');
  expect(shown).toContain('<h1>待发送</h1>');
  expect(shown).not.toContain('您目前处于离线状态');

  await expect(page).toHaveURL(/\/outbox$/);
  await expect(page.getByRole('heading', { level: 1, name: '待发送' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '修改联系方式' })).toBeVisible();
  await expect(page.getByText('等待发送')).toBeVisible();
  // Signed in on this device, though the page was rendered when the service worker was installed.
  await expect(page.getByRole('navigation').getByRole('link', { name: '我的账户' })).toBeVisible();

  // A page never saved, reached by a link: its data request fails, and the error page shows the offline
  // view, which it loads only then (a chunk of its own, precached like every chunk).
  await page.getByRole('navigation').getByRole('link', { name: '我的账户' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '您目前处于离线状态' })).toBeVisible();
  await expect(page.getByTestId('offline-session')).toContainText('您已登录');
  await expect(page).toHaveURL(/\/account$/);
});
