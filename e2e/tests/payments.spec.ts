import { adminUrl, bffUrl, expect, staffApiSignIn, staffPage, test } from './fixtures.ts';

/**
 * Issue 21 "Payment" as a user story (X-5.5, X-5.7, X-5.8; ADR-035): a
 * citizen sees the amount and its parts, pays through the development gateway
 * that plays Alipay (signed page-pay link, 确认付款), the gateway posts the
 * signed notification twice at once and once more later, the result page
 * shows the payment, the receipt carries the reference number, and the
 * platform ledger holds exactly one payment for the order.
 */
const JIANG = { phone: '19866021001' }; // db/seed/payments.ts: used by no other story

test('X-5.5 X-5.7 pay through the dev gateway: the notification arrives twice (then a late resend), the ledger shows one payment', async ({ page, axe, browser }) => {
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(JIANG.phone);
  await page.getByLabel('密码', { exact: true }).fill('Demo#2026pass');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();

  // a payable owed by the citizen (the violations module opens these for fines; here the dev-only test payable)
  const made = await page.request.post(`${bffUrl}/dev/payments/test-orders`, { data: { phone: JIANG.phone, amountFen: 15_050 } });
  expect(made.status()).toBe(201);
  const order = (await made.json()) as { orderId: string; outTradeNo: string; payUrl: string };

  // the amount and its parts before paying, from integer fen
  await page.goto(order.payUrl);
  await expect(page.getByRole('heading', { level: 1, name: '确认缴费' })).toBeVisible();
  await expect(page.getByTestId('amount-due')).toHaveText('¥150.50');
  await expect(page.getByRole('row', { name: /罚款/ })).toContainText('¥149.50');
  await expect(page.getByRole('row', { name: /滞纳金/ })).toContainText('¥1.00');
  await expect(page.getByText(order.outTradeNo)).toBeVisible();
  await axe();

  // the provider's cashier (dev gateway, on the bff) → 确认付款
  await page.getByRole('button', { name: '前往支付宝支付' }).click();
  await expect(page.getByRole('heading', { name: '支付宝收银台（模拟）' })).toBeVisible();
  await expect(page.getByText('¥150.50 元')).toBeVisible();
  const confirmHref = await page.getByRole('button', { name: '确认付款' }).getAttribute('href');
  await page.getByRole('button', { name: '确认付款' }).click();

  // back on the platform: the result page shows the payment and its reference
  await expect(page).toHaveURL(new RegExp(`/payments/${order.orderId}/result`));
  await expect(page.getByRole('heading', { name: '缴费成功' })).toBeVisible();
  await expect(page.getByTestId('reference')).toHaveText(order.outTradeNo);
  await expect(page.getByTestId('order-status')).toHaveText('已支付');

  // a late resend of the same notification (Alipay retries): still one payment
  const resend = await page.request.get(`${bffUrl}${confirmHref!}`, { maxRedirects: 0 });
  expect(resend.status()).toBe(302);

  // the printable receipt with the reference number
  await page.getByRole('link', { name: '查看并打印电子回执' }).click();
  await expect(page.getByRole('heading', { name: '电子缴费回执' })).toBeVisible();
  await expect(page.getByTestId('receipt-reference')).toHaveText(order.outTradeNo);
  await expect(page.getByTestId('receipt-amount')).toHaveText('¥150.50');
  await expect(page.getByRole('button', { name: '打印回执' })).toBeVisible();
  await axe();

  // the ledger: one payment for the order (province 管理岗 reads it through the staff API)
  const staff = page.request;
  expect((await staffApiSignIn(staff, 'gd.review')).status()).toBe(200);
  const adminOrder = await (await staff.get(`${bffUrl}/admin-api/payment-orders/${order.orderId}`)).json();
  expect(adminOrder).toMatchObject({ status: 'paid', amountFen: 15_050, ledgerEntries: 1, settledBy: 'notification' });

  // the daily reconciliation (province 管理岗): today's ledger and the gateway's statement agree to the fen
  const now = ((await (await page.request.get(`${bffUrl}/dev/clock`)).json()) as { now: string }).now;
  const day = new Date(new Date(now).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const staffUi = await staffPage(browser, 'gd.review');
  await staffUi.goto(`${adminUrl}#/payment-reconciliations`);
  await staffUi.getByRole('textbox', { name: '对账日' }).fill(day);
  await staffUi.getByRole('button', { name: '立即对账' }).click();
  await expect(staffUi.getByRole('row', { name: new RegExp(day) })).toContainText('平账');
  await staffUi.goto(`${adminUrl}#/payment-orders/${order.orderId}/show`);
  await expect(staffUi.getByText(order.outTradeNo)).toBeVisible();
  await expect(staffUi.getByText('已支付')).toBeVisible();
});
