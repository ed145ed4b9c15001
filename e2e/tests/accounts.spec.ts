import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { request as playwrightRequest } from '@playwright/test';
import { test, expect, adminUrl, bffUrl, codeIn, latestSms, staffApiSignIn, staffSignInOnPage } from './fixtures.ts';

// Issue 3 user stories (spec 第二章): online registration of each personal type, the counter
// registration through 受理岗 → 管理岗 (returned once) → SMS → sign-in, an organisation at the
// counter, non-own vehicles bound at the counter (refused the fourth time), a transfer that
// unbinds, and the 24-hour job that cancels a new-car owner who did not preselect.

const ZHAO_LEI = { name: '赵磊', idNumber: '440306197902142234', phone: '13500135000' };
const LIU_JIANHUA = { name: '刘建华', idNumber: '440304196604039717', phone: '13603016703' }; // accepted first-licence application (seed)
const LIAO_ZHIMING = { name: '廖志明', idNumber: '44030719600909629X', phone: '13100165265' }; // bought a new car, no plate yet
const CHEN_JING = { name: '陈静', idNumber: '440307199509300705', phone: '15800158000' };
const HOSPITAL_AGENT_PHONE = '13312345678';
const PASSWORD = 'Test#2026pass';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

test.describe.configure({ mode: 'serial' });

async function clock(request: APIRequestContext): Promise<{ now: string; offsetMs: number }> {
  return (await (await request.get(`${bffUrl}/dev/clock`)).json()) as { now: string; offsetMs: number };
}

/** A staff member in a desktop browser of their own (each post has its own session). */
async function staffSignIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(adminUrl);
  await staffSignInOnPage(page, username);
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
  return page;
}

/** The staff API, for the set-up steps a story does not look at. */
async function staffApi(username: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL: bffUrl });
  const res = await staffApiSignIn(api, username);
  expect(res.ok()).toBe(true);
  return api;
}

async function scanViaApi(api: APIRequestContext, purposes: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of purposes) {
    const res = await api.post(`/admin-api/uploads?purpose=${p}`, { data: p === 'onsite_photo' ? PNG : PDF, headers: { 'content-type': p === 'onsite_photo' ? 'image/png' : 'application/pdf' } });
    expect(res.status(), p).toBe(201);
    out[p] = ((await res.json()) as { id: string }).id;
  }
  return out;
}

/** react-admin's notification pauses while hovered; let it go before clicking below it. */
async function settle(page: Page) {
  await page.mouse.move(0, 0);
  await page.locator('.MuiSnackbar-root').waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {});
}

async function signUpOnWeb(page: Page, who: { name: string; idNumber: string; phone: string }, type: RegExp) {
  const since = (await clock(page.request)).now;
  await page.goto('/sign-up');
  await page.getByRole('radio', { name: type }).check();
  await page.getByLabel('姓名').fill(who.name);
  await page.getByLabel('身份证号').fill(who.idNumber);
  await page.getByLabel('手机号').fill(who.phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  const sms = await latestSms(page.request, who.phone, since);
  await page.getByLabel('短信验证码').fill(codeIn(sms.text));
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByLabel('确认密码').fill(PASSWORD);
  await page.getByRole('button', { name: '注册', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
}

async function smsSignInOnWeb(page: Page, phone: string) {
  const since = (await clock(page.request)).now;
  await page.goto('/sign-in?method=sms');
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  const sms = await latestSms(page.request, phone, since);
  await page.getByLabel('短信验证码').fill(codeIn(sms.text));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
}

const services = (page: Page) => page.getByRole('heading', { name: '我可以办理的业务' }).locator('xpath=following-sibling::ul[1]');

test('citizens register online as owner-or-driver, learner and new-car owner, each with the services article 9 gives it', async ({ browser, axe, page }) => {
  // 车主或驾驶人
  await signUpOnWeb(page, ZHAO_LEI, /车主或驾驶人/);
  await expect(services(page)).toContainText('处理交通技术监控设备记录的违法行为');
  await expect(services(page)).toContainText('将驾驶证绑定至单位');
  await axe();

  // 学员 (R-7.1: after the first-licence application was accepted)
  const learner = await (await browser.newContext()).newPage();
  await signUpOnWeb(learner, LIU_JIANHUA, /学员/);
  await expect(services(learner)).toContainText('考试预约');
  await expect(services(learner)).toContainText('预选机动车号牌');
  await expect(services(learner)).not.toContainText('机动车安全技术检验预约');
  await expect(learner.getByText('学员').first()).toBeVisible();

  // 新车车主: plate preselection only, with the 24-hour deadline shown
  const newCar = await (await browser.newContext()).newPage();
  await signUpOnWeb(newCar, LIAO_ZHIMING, /新车车主/);
  await expect(services(newCar)).toContainText('预选机动车号牌');
  await expect(services(newCar)).not.toContainText('考试预约');
  await expect(newCar.getByText(/前预选号牌号码，否则账号将被自动注销/)).toBeVisible();
});

test('a counter registration goes 受理岗 → 管理岗, is returned once, then approved; the SMS is in the outbox and the citizen signs in', async ({ browser, page, axe }) => {
  // The citizen fills the form in advance and gets a QR code (also printable).
  await page.goto('/counter-form');
  await page.getByLabel('姓名').fill(CHEN_JING.name);
  await page.getByRole('radio', { name: '女' }).check();
  await page.getByLabel('出生日期').fill('1995-09-30');
  await page.getByLabel('身份证号').fill(CHEN_JING.idNumber);
  await page.getByLabel('手机号').fill(CHEN_JING.phone);
  await page.getByLabel('邮寄地址').fill('广东省深圳市龙岗区龙城大道99号');
  await page.getByLabel('邮政编码').fill('518172');
  await page.getByRole('button', { name: '生成二维码' }).click();
  await expect(page.getByRole('heading', { name: '窗口出示二维码' })).toBeVisible();
  await expect(page.getByRole('img', { name: /的二维码/ })).toBeVisible();
  const code = (await page.locator('strong.code').innerText()).trim();
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
  await axe();

  // 受理岗 loads it by its code, takes the photo and scans, accepts.
  const intake = await staffSignIn(browser, 'sz.intake');
  await intake.goto(`${adminUrl}#/account-applications/create`);
  await intake.getByLabel('预填码（二维码下方10位）').fill(code);
  await intake.getByRole('button', { name: '载入' }).click();
  await expect(intake.getByLabel('姓名')).toHaveValue('陈静');
  await intake.setInputFiles('#upload-onsite_photo', { name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  await intake.setInputFiles('#upload-application_form', { name: 'form.pdf', mimeType: 'application/pdf', buffer: PDF });
  await intake.setInputFiles('#upload-identity_document', { name: 'id.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(intake.getByText(/已上传/)).toHaveCount(3);
  await intake.getByRole('button', { name: '保存' }).click();
  await intake.waitForURL(/#\/account-applications\/[0-9a-f-]{36}\/show/);
  const appId = /account-applications\/([0-9a-f-]{36})/.exec(intake.url())![1]!;
  await expect(intake.getByText('待审核').first()).toBeVisible();

  // 管理岗 finds it in the review queue, deadline first, and returns it with a note.
  const review = await staffSignIn(browser, 'sz.review');
  await review.goto(`${adminUrl}#/account-applications`);
  await expect(review.getByText('陈静').first()).toBeVisible();
  await review.goto(`${adminUrl}#/account-applications/${appId}/show`);
  await review.getByRole('button', { name: '退回受理岗' }).click();
  await review.getByLabel(/退回说明/).fill('邮寄地址缺少门牌号，请按申请表更正');
  await review.getByRole('button', { name: '确认退回受理岗' }).click();
  // issue 18: the return confirms with its consequence
  await review.getByRole('dialog').getByRole('button', { name: '确认退回受理岗' }).click();
  await expect(review.getByText('退回更正').first()).toBeVisible();

  // 受理岗 corrects and sends it back.
  await settle(intake);
  await intake.reload();
  await expect(intake.getByText(/邮寄地址缺少门牌号/)).toBeVisible();
  // the textbox: the page also offers “查看完整的邮寄地址” (issue 17: staff see it masked)
  await intake.getByRole('textbox', { name: '邮寄地址' }).fill('广东省深圳市龙岗区龙城大道99号碧海名苑1栋2106');
  await intake.getByRole('button', { name: '更正后重新提交审核' }).click();
  await intake.getByRole('dialog').getByRole('button', { name: '更正后重新提交审核' }).click();
  await expect(intake.getByText('待审核').first()).toBeVisible();

  // 管理岗 approves: the account is created and the SMS with its details goes through the outbox.
  await settle(review);
  await review.reload();
  await review.getByRole('button', { name: '审核通过' }).click();
  // issue 18: confirmed with its consequence, then sent when the few seconds to undo have passed
  await review.getByRole('dialog').getByRole('button', { name: '审核通过' }).click();
  await expect(review.locator('.chip', { hasText: '审核通过' })).toBeVisible({ timeout: 20_000 });
  await review.goto(`${adminUrl}#/outbox?filter=${encodeURIComponent(JSON.stringify({ template: 'accounts.registered_at_counter' }))}`);
  await expect(review.getByText('158****8000').first()).toBeVisible();
  const sms = await latestSms(page.request, CHEN_JING.phone);
  expect(sms.text).toContain('已审核通过');
  expect(sms.text).toContain('158****8000');

  // The citizen signs in with an SMS code: a counter-registered account.
  const citizen = await (await browser.newContext()).newPage();
  await smsSignInOnWeb(citizen, CHEN_JING.phone);
  await expect(citizen.getByText('窗口注册').first()).toBeVisible();
  await citizen.goto('/applications');
  await citizen.getByRole('link', { name: /^YH440300/ }).first().click();
  await expect(citizen.getByText('退回受理岗更正信息')).toBeVisible();
  await expect(citizen.getByText('审核通过').first()).toBeVisible();
  await expect(citizen.getByText('门牌号')).toHaveCount(0);

  // The SMS sent at acceptance links to the same timeline, no sign-in needed.
  const inbox = (await (await page.request.get(`${bffUrl}/dev/inbox?phone=${CHEN_JING.phone}`)).json()) as { text: string }[];
  const link = inbox.map((m) => /\/applications\/track\/[a-z2-7]{32}/.exec(m.text)?.[0]).find(Boolean);
  expect(link).toBeTruthy();
  const anonymous = await (await browser.newContext()).newPage();
  await anonymous.goto(link!);
  await expect(anonymous.getByRole('heading', { level: 1, name: '申请进度' })).toBeVisible();
  await expect(anonymous.getByText('窗口已受理')).toBeVisible();
  await expect(anonymous.getByText(/审核期限：.+ 24:00 前/)).toBeVisible();
  await expect(anonymous.getByText(CHEN_JING.idNumber)).toHaveCount(0);
});

test('an organisation is registered at the counter at once and sees only its own vehicles', async ({ browser, page }) => {
  const intake = await staffSignIn(browser, 'sz.intake');
  await intake.goto(`${adminUrl}#/account-applications/create`);
  await intake.getByRole('radio', { name: '单位' }).check();
  await intake.getByRole('combobox', { name: '单位种类' }).click();
  await intake.getByRole('option', { name: '事业单位' }).click();
  await intake.getByLabel('单位名称').fill('深圳市滨海人民医院');
  await intake.getByLabel('统一社会信用代码').fill('1244030045571806XX');
  await intake.getByLabel('法定代表人姓名').fill('郭志远');
  await intake.getByLabel('法定代表人手机号码').fill('19170466362');
  await intake.getByLabel('申请事项').fill('注册单位用户，绑定本单位机动车');
  await intake.getByLabel('邮寄地址').fill('广东省深圳市南山区后海大道2108号');
  await intake.getByLabel('邮政编码').fill('518057');
  await intake.getByRole('textbox', { name: '姓名', exact: true }).fill('任静怡');
  await intake.getByRole('combobox', { name: '性别' }).click();
  await intake.getByRole('option', { name: '女' }).click();
  await intake.getByLabel('出生日期').fill('1998-01-05');
  await intake.getByRole('textbox', { name: '身份证明号码', exact: true }).fill('440309199801053521');
  await intake.getByRole('textbox', { name: '手机号码', exact: true }).fill(HOSPITAL_AGENT_PHONE);
  for (const p of ['onsite_photo', 'application_form', 'organisation_certificate', 'letter_of_authorisation', 'agent_identity_document']) {
    await intake.setInputFiles(`#upload-${p}`, p === 'onsite_photo' ? { name: 'p.png', mimeType: 'image/png', buffer: PNG } : { name: `${p}.pdf`, mimeType: 'application/pdf', buffer: PDF });
  }
  await expect(intake.getByText(/已上传/)).toHaveCount(5);
  await intake.getByRole('button', { name: '保存' }).click();
  await intake.waitForURL(/#\/account-applications\/[0-9a-f-]{36}\/show/);
  await expect(intake.getByText('已办结').first()).toBeVisible();

  await smsSignInOnWeb(page, HOSPITAL_AGENT_PHONE);
  await expect(page.getByText('深圳市滨海人民医院').first()).toBeVisible();
  await expect(page.getByText('粤B87342').first()).toBeVisible();
  await expect(page.getByText('粤BH3256')).toHaveCount(0); // another unit's truck
});

test('non-own vehicles are bound at the counter, and the fourth is refused (R-16.3)', async ({ browser }) => {
  const intake = await staffSignIn(browser, 'sz.intake');
  // The first at the counter's screen: the owner's ID and 行驶证 are scanned too.
  await intake.goto(`${adminUrl}#/account-applications/create`);
  await intake.getByRole('radio', { name: '变更' }).check();
  await intake.getByRole('combobox', { name: '变更事项' }).click();
  await intake.getByRole('option', { name: '绑定非本人机动车' }).click();
  await intake.getByLabel('姓名').fill(ZHAO_LEI.name);
  await intake.getByLabel('出生日期').fill('1979-02-14');
  await intake.getByRole('textbox', { name: '身份证明号码', exact: true }).fill(ZHAO_LEI.idNumber);
  await intake.getByRole('textbox', { name: '手机号码', exact: true }).fill(ZHAO_LEI.phone);
  await intake.getByLabel('邮寄地址').fill('广东省深圳市宝安区新安六路52号锦绣家园8栋1503');
  await intake.getByLabel('邮政编码').fill('518101');
  await intake.getByLabel('号牌号码').fill('粤BW5682');
  await intake.getByLabel('机动车所有人身份证明号码').fill('44030919760308976X');
  for (const p of ['onsite_photo', 'application_form', 'identity_document', 'owner_identity_document', 'vehicle_licence']) {
    await intake.setInputFiles(`#upload-${p}`, p === 'onsite_photo' ? { name: 'p.png', mimeType: 'image/png', buffer: PNG } : { name: `${p}.pdf`, mimeType: 'application/pdf', buffer: PDF });
  }
  await expect(intake.getByText(/已上传/)).toHaveCount(5);
  await intake.getByRole('button', { name: '保存' }).click();
  await intake.waitForURL(/#\/account-applications\/[0-9a-f-]{36}\/show/);
  const firstId = /account-applications\/([0-9a-f-]{36})/.exec(intake.url())![1]!;
  await expect(intake.getByText('被绑定机动车：粤BW5682').first()).toBeVisible();

  // 管理岗 approves it; two more go through the API the same way.
  const review = await staffApi('sz.review');
  expect((await review.post(`/admin-api/account-applications/${firstId}/approve`, { data: {} })).status()).toBe(200);
  const intakeApi = await staffApi('sz.intake');
  const form = { name: ZHAO_LEI.name, sex: 'M', birthDate: '1979-02-14', idType: 'resident_id', idNumber: ZHAO_LEI.idNumber, phone: ZHAO_LEI.phone, email: null, postalAddress: '广东省深圳市宝安区新安六路52号锦绣家园8栋1503', postcode: '518101' };
  for (const [plateNo, ownerIdNumber] of [['粤BZY250', '510104199212198867'], ['粤BF91025', '420106199704287066']] as const) {
    const documents = await scanViaApi(intakeApi, ['onsite_photo', 'application_form', 'identity_document', 'owner_identity_document', 'vehicle_licence']);
    const res = await intakeApi.post('/admin-api/account-applications', {
      data: { subject: 'person', kind: 'change', changeKind: 'bind_non_own_vehicle', form, vehicle: { plateNo, ownerIdType: 'resident_id', ownerIdNumber }, documents },
    });
    expect(res.status(), plateNo).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect((await review.post(`/admin-api/account-applications/${id}/approve`, { data: {} })).status()).toBe(200);
  }

  // The fourth, at the counter's screen: refused with the rule's words.
  await intake.goto(`${adminUrl}#/account-applications/create`);
  await intake.getByRole('radio', { name: '变更' }).check();
  await intake.getByRole('combobox', { name: '变更事项' }).click();
  await intake.getByRole('option', { name: '绑定非本人机动车' }).click();
  await intake.getByLabel('姓名').fill(ZHAO_LEI.name);
  await intake.getByLabel('出生日期').fill('1979-02-14');
  await intake.getByRole('textbox', { name: '身份证明号码', exact: true }).fill(ZHAO_LEI.idNumber);
  await intake.getByRole('textbox', { name: '手机号码', exact: true }).fill(ZHAO_LEI.phone);
  await intake.getByLabel('邮寄地址').fill('广东省深圳市宝安区新安六路52号锦绣家园8栋1503');
  await intake.getByLabel('邮政编码').fill('518101');
  await intake.getByLabel('号牌号码').fill('粤BD25388');
  await intake.getByLabel('机动车所有人身份证明号码').fill('44030519840915925X');
  for (const p of ['onsite_photo', 'application_form', 'identity_document', 'owner_identity_document', 'vehicle_licence']) {
    await intake.setInputFiles(`#upload-${p}`, p === 'onsite_photo' ? { name: 'p.png', mimeType: 'image/png', buffer: PNG } : { name: `${p}.pdf`, mimeType: 'application/pdf', buffer: PDF });
  }
  await expect(intake.getByText(/已上传/)).toHaveCount(5);
  await intake.getByRole('button', { name: '保存' }).click();
  await expect(intake.getByText('每位用户最多绑定三辆非本人机动车').first()).toBeVisible();

  // 赵磊 sees the three as non-own.
  const zhao = await (await browser.newContext()).newPage();
  await zhao.goto('/sign-in');
  await zhao.getByLabel('手机号').fill(ZHAO_LEI.phone);
  await zhao.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await zhao.getByRole('button', { name: '登录', exact: true }).click();
  await expect(zhao.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  await zhao.goto('/account/bindings');
  await expect(zhao.getByText('非本人机动车已绑定 3 辆，最多 3 辆（需到窗口办理）。')).toBeVisible();
  await review.dispose();
  await intakeApi.dispose();
});

test('a transfer recorded by 受理岗 unbinds the vehicle from the user who is not its new owner (R-17)', async ({ browser, page }) => {
  const intake = await staffSignIn(browser, 'sz.intake');
  await intake.goto(`${adminUrl}#/records-events/create`);
  await intake.getByLabel('号牌号码').fill('粤BW5682');
  await intake.getByLabel('现机动车所有人姓名').fill('董晓');
  await intake.getByLabel('现所有人身份证号码').fill('440309199907144667');
  await intake.getByLabel('现所有人手机号码').fill('19387854909');
  await intake.getByRole('button', { name: '录入并自动解绑' }).click();
  // issue 18: the unbinding is stated before it happens
  await expect(intake.getByRole('dialog')).toContainText('粤BW5682');
  await intake.getByRole('dialog').getByRole('button', { name: '录入并自动解绑' }).click();
  await expect(intake.getByText('已录入，自动解除绑定 1 个')).toBeVisible();

  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(ZHAO_LEI.phone);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  await page.goto('/account/bindings');
  await expect(page.getByText('非本人机动车已绑定 2 辆，最多 3 辆（需到窗口办理）。')).toBeVisible();
  await expect(page.getByText('粤BW5682')).toHaveCount(0);
});

test('a citizen unbinds and binds an own vehicle, changes contact details and cancels the account', async ({ page, axe }) => {
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(ZHAO_LEI.phone);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();

  // own vehicles are bound and unbound online.
  await page.goto('/account/bindings');
  await page.getByRole('button', { name: '解绑 粤BC5678' }).click();
  // Issue 18: unbinding asks first (binding an own vehicle again is online and free).
  await page.getByRole('group', { name: '确定解绑 粤BC5678 吗？' }).getByRole('button', { name: '确认解绑' }).click();
  await expect(page.getByText('已解绑。')).toBeVisible();
  await page.getByRole('button', { name: '绑定 粤BC5678' }).click();
  await expect(page.getByText('已绑定。')).toBeVisible();
  await axe();

  // contact details; the online user cannot submit a certificate photo (R-15: window-registered only).
  await page.goto('/account/settings');
  await page.getByLabel('电子信箱').fill('zhaolei@example.com');
  await page.getByLabel('邮政编码').fill('518101');
  await page.getByRole('button', { name: '保存联系方式' }).click();
  await expect(page.getByText('联系方式已保存。')).toBeVisible();
  await page.goto('/account/photo');
  await expect(page.getByText('只有窗口注册的个人用户可以在网上提交证件照片')).toBeVisible();

  // self-service cancellation, confirmed.
  await page.goto('/account/cancel');
  await page.getByRole('button', { name: '确认注销' }).click();
  await expect(page.getByRole('link', { name: '请勾选确认' })).toBeVisible();
  await page.getByLabel('我已了解后果，确认注销本人账号').check();
  await page.getByLabel('登录密码').fill(PASSWORD);
  await page.getByRole('button', { name: '确认注销' }).click();
  await expect(page.getByText('您的账号已注销。')).toBeVisible();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('a new-car owner who did not preselect a plate within 24 hours is cancelled by the durable job (R-21.1.4)', async ({ browser, page }) => {
  const { offsetMs } = await clock(page.request);
  const moved = await page.request.post(`${bffUrl}/dev/clock`, { data: { offsetMs: offsetMs + 25 * 3600_000 } });
  expect(moved.ok()).toBe(true);
  expect(((await moved.json()) as { jobsRun: number }).jobsRun).toBeGreaterThanOrEqual(1);
  // The clock is shared by every spec of the run (TOTP sign-in reads it): put it back afterwards.
  try {
    await cancelledStory(browser, page);
  } finally {
    await page.request.post(`${bffUrl}/dev/clock`, { data: { offsetMs } });
  }
});

/** After the clock moved: the account is gone, and 管理岗 sees why. */
async function cancelledStory(browser: Browser, page: Page) {
  // The password no longer opens the account.
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(LIAO_ZHIMING.phone);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { name: '出现问题' })).toBeVisible();

  // 管理岗 sees why.
  const review = await staffSignIn(browser, 'sz.review');
  await review.goto(`${adminUrl}#/user-accounts?filter=${encodeURIComponent(JSON.stringify({ q: LIAO_ZHIMING.phone }))}`);
  await expect(review.getByText('已注销').first()).toBeVisible();
  await review.getByText('廖志明').first().click();
  await expect(review.getByText('新车车主24小时内未预选号牌')).toBeVisible();
  // The 学员 registered at the same time is untouched: the rule is for new-car owners only.
  await review.goto(`${adminUrl}#/user-accounts?filter=${encodeURIComponent(JSON.stringify({ q: LIU_JIANHUA.phone }))}`);
  await expect(review.getByText('正常').first()).toBeVisible();
}
