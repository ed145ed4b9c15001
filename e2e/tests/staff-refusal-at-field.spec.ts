import { createHash } from 'node:crypto';
import { request as playwrightRequest, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { adminUrl, expect, staffApiSignIn, staffSignInOnPage, test } from './fixtures.ts';

// Staff work at desks: a desktop viewport, where react-admin shows its menu.
test.use({ viewport: { width: 1366, height: 900 }, isMobile: false, hasTouch: false });

/** The bff that serves the admin, on the admin's own origin (the staff cookie is set there). */
const origin = adminUrl.replace(/\/admin\/$/, '');
const DEALER = '深圳市鹏城汽车销售有限公司';
const DOCUMENTS = ['organisation_code_certificate', 'letter_of_authorisation', 'agent_identity', 'brand_model_list', 'sales_permit'];

type FieldError = { pointer: string; field: string; code: string; detail: string };
type Problem = { code: string; status: number; title: string; detail?: string; errors?: FieldError[] };
type Qualification = { id: string; organisationName: string; status: string; quota: number; stock: { inStock: number } };

async function staffApi(username: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL: origin, extraHTTPHeaders: { 'accept-language': 'zh-CN' } });
  const res = await staffApiSignIn(api, username, origin);
  expect(res.status(), await res.text()).toBe(200);
  return api;
}

async function uploadDocument(dealer: APIRequestContext, kind: string): Promise<string> {
  const bytes = Buffer.from(`%PDF-1.7\n% ${kind}\n`);
  const started = await dealer.post('/admin-api/temp-plate-uploads', {
    data: { fileName: `${kind}.pdf`, contentType: 'application/pdf', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
  });
  expect(started.status(), await started.text()).toBe(201);
  const { id } = (await started.json()) as { id: string };
  expect((await dealer.put(`/admin-api/temp-plate-uploads/${id}/chunks/0`, { data: { data: bytes.toString('base64') } })).status()).toBe(200);
  expect((await dealer.post(`/admin-api/temp-plate-uploads/${id}/complete`)).status()).toBe(200);
  return id;
}

/**
 * The dealer's valid qualification with what it may still receive: applied for
 * and approved with a quota of 10 when it has none yet.
 */
/* The last spec file by name: it may move the shared clock forward (see below). */
async function dealerWithRoom(): Promise<{ quota: number; inStock: number; available: number }> {
  let review = await staffApi('sz.review');
  const find = async () => {
    const filter = encodeURIComponent(JSON.stringify({ status: 'active' }));
    const list = (await (await review.get(`/admin-api/dealer-qualifications?filter=${filter}&range=[0,49]`)).json()) as Qualification[];
    return list.find((q) => q.organisationName === DEALER);
  };
  let active = await find();
  if (!active) {
    let dealer = await staffApi('dealer.pengcheng');
    const documents: Record<string, string> = {};
    for (const kind of DOCUMENTS) documents[kind] = await uploadDocument(dealer, kind);
    let applied = await dealer.post('/admin-api/dealer-qualifications', { data: { brandModels: ['大众探岳'], documents } });
    if (applied.status() === 422) {
      // replacements.spec.ts (which runs first: files run in name order) let the dealer's
      // qualification lapse, which bars a new application for a year: move the
      // shared test clock past the bar, as that year would pass.
      const p = (await applied.json()) as Problem & { params?: { reapplyAfter?: string } };
      expect(p.code).toBe('temp_plates.reapply_banned');
      const clock = (await (await dealer.get('/dev/clock')).json()) as { now: string; offsetMs: number };
      const target = Date.parse(`${p.params!.reapplyAfter}T00:00:00+08:00`) + 86_400_000;
      const moved = await dealer.post('/dev/clock', { data: { offsetMs: clock.offsetMs + Math.max(0, target - Date.parse(clock.now)) } });
      expect(moved.status(), await moved.text()).toBe(200);
      // a year on, the sessions have ended: sign in again
      await Promise.all([dealer.dispose(), review.dispose()]);
      [dealer, review] = await Promise.all([staffApi('dealer.pengcheng'), staffApi('sz.review')]);
      for (const kind of DOCUMENTS) documents[kind] = await uploadDocument(dealer, kind);
      applied = await dealer.post('/admin-api/dealer-qualifications', { data: { brandModels: ['大众探岳'], documents } });
    }
    expect(applied.status(), await applied.text()).toBe(201);
    const { id } = (await applied.json()) as { id: string };
    const approved = await review.post(`/admin-api/dealer-qualifications/${id}/approve`, { data: { quota: 10, note: '资料齐全' } });
    expect(approved.status(), await approved.text()).toBe(200);
    await dealer.dispose();
    active = await find();
  }
  const q = (await (await review.get(`/admin-api/dealer-qualifications/${active!.id}`)).json()) as Qualification;
  await review.dispose();
  const available = Math.max(0, q.quota - q.stock.inStock);
  expect(available, 'the dealer may still receive blanks').toBeGreaterThan(0);
  return { quota: q.quota, inStock: q.stock.inStock, available };
}

async function signIn(page: Page, username: string) {
  await staffSignInOnPage(page, username);
}

/** 受理岗 signed in, on the hand-out form with the dealer chosen. */
async function handOutForm(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(adminUrl);
  await signIn(page, 'sz.intake');
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
  await page.getByRole('menuitem', { name: /空白临时号牌发放/ }).click();
  await page.getByRole('link', { name: /新建|创建/ }).click();
  await page.getByLabel('销售商').fill('鹏城');
  await page.getByRole('option', { name: new RegExp(DEALER) }).click();
  await page.getByLabel('核发资料内容完整、无涂改、有效').check();
  await attachHandOutDocuments(page);
  return page;
}

/** the scans of the collector's organisation code certificate, letter of authorisation and identity document. */
async function attachHandOutDocuments(page: Page) {
  const inputs = page.locator('input[type="file"]');
  await expect(inputs).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await inputs.nth(i).setInputFiles({ name: `collector-${i}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.7\n% collector document ${i}\n`) });
  }
}

/** Saves the hand-out and confirms its consequence in the dialog (issue 18). */
async function saveHandOut(page: Page) {
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '发放空白临时号牌' }).click();
}

const handOutAnswer = (page: Page) =>
  page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/admin-api/temp-plate-batches');

test('受理岗 hands out blanks over the dealer’s quota, sees the refusal at the count field, corrects it and succeeds without reloading', async ({ browser }) => {
  const { quota, inStock, available } = await dealerWithRoom();
  const page = await handOutForm(browser);
  await expect(page.getByText(`可持有 ${quota} 块，库存 ${inStock} 块，本次最多发放 ${available} 块`)).toBeVisible();
  // a reload would drop this mark
  await page.evaluate(() => Object.assign(window, { handOutStory: 'same page' }));

  // more than the dealer may hold
  const count = page.getByLabel(/^数量/);
  await count.fill(String(available + 5));
  const refused = handOutAnswer(page);
  await saveHandOut(page);
  const answer = await refused;
  expect(answer.status()).toBe(409);
  const problem = (await answer.json()) as Problem;
  expect(problem.code).toBe('temp_plates.quota_exceeded');
  const atCount = problem.errors?.find((e) => e.field === 'quantity');
  expect(atCount, JSON.stringify(problem)).toBeDefined();
  // the server's own words for this refusal: quota, stock and what may still be handed out
  expect(atCount!.detail).toMatch(new RegExp(`可持有${quota}块，库存${inStock}块，本次最多发放${available}块`));

  // …shown at the count field itself, the title notified, never a generic format message
  await expect(count).toHaveAccessibleDescription(atCount!.detail);
  await expect(count).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(problem.title).first()).toBeVisible();
  await expect(page.getByText('格式不正确')).toHaveCount(0);

  // corrected in the same form, the same page
  await count.fill(String(Math.min(2, available)));
  await expect(count).not.toHaveAttribute('aria-invalid', 'true');
  const accepted = handOutAnswer(page);
  await saveHandOut(page);
  expect((await accepted).status()).toBe(201);
  await expect(page.getByText(/粤B临\d{5} – 粤B临\d{5}/)).toBeVisible();
  await expect(page.getByText('核查通过')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { handOutStory?: string }).handOutStory)).toBe('same page');
  await page.context().close();
});

test('受理岗 whose session ends while handing out is never told it worked, signs in again and finds the form as typed', async ({ browser }) => {
  const { available } = await dealerWithRoom();
  const page = await handOutForm(browser);
  const count = page.getByLabel(/^数量/);
  await count.fill('1');
  expect(available).toBeGreaterThanOrEqual(1);

  // the session ends (expired, or signed out elsewhere) while the form is open
  await page.context().clearCookies();
  // the first call of the save is the upload of the first document
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/admin-api/temp-plate-handout-uploads');
  await saveHandOut(page);
  const answer = await refused;
  expect(answer.status()).toBe(401);
  expect(((await answer.json()) as Problem).code).toBe('auth.required');

  // sent to sign in, told why — and never "created"
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await expect(page.getByText(/登录已失效，刚才的操作没有完成/)).toBeVisible();
  await expect(page.getByText('条目已新建')).toHaveCount(0);

  // back on the same form, filled in as it was; the hand-out then goes through
  await signIn(page, 'sz.intake');
  await expect(page.getByText(/已恢复登录失效前填写的内容/)).toBeVisible();
  await expect(page).toHaveURL(/#\/temp-plate-batches\/create/);
  await expect(count).toHaveValue('1');
  await expect(page.getByLabel('销售商')).toHaveValue(new RegExp(DEALER));
  await expect(page.getByLabel('核发资料内容完整、无涂改、有效')).toBeChecked();
  // files cannot be kept across the sign-in: the scans are attached again
  await attachHandOutDocuments(page);
  const accepted = handOutAnswer(page);
  await saveHandOut(page);
  expect((await accepted).status()).toBe(201);
  await expect(page.getByText(/粤B临\d{5} – 粤B临\d{5}/)).toBeVisible();
  await page.context().close();
});
