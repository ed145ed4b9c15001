import { createHmac } from 'node:crypto';
import { test as base, expect, type APIRequestContext, type APIResponse, type Browser, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { BFF_PORT } from '../playwright.config.ts';

export const bffUrl = `http://127.0.0.1:${BFF_PORT}`;
export const adminUrl = `http://localhost:${BFF_PORT}/admin/`;

/** Reads the newest SMS the dev adapter delivered to a phone (the citizen's "phone"). */
export async function latestSms(request: APIRequestContext, phone: string, after?: string): Promise<{ text: string; createdAt: string }> {
  for (let i = 0; i < 40; i++) {
    const res = await request.get(`${bffUrl}/dev/inbox?phone=${phone}`);
    const list = (await res.json()) as { text: string; createdAt: string }[];
    const hit = list.find((m) => !after || m.createdAt > after);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no SMS for ${phone}`);
}

export function codeIn(text: string): string {
  const m = /验证码为(\d{6})/.exec(text);
  if (!m) throw new Error(`no code in ${text}`);
  return m[1]!;
}

export const test = base.extend<{ axe: () => Promise<void> }>({
  axe: async ({ page }, use) => {
    await use(async () => {
      const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  },
});
export { expect };

// ---------------------------------------------------------------------------
// Staff sign-in: password and second factor (issue 17: every staff account has TOTP)
// ---------------------------------------------------------------------------

export const STAFF_PASSWORD = 'Staff#2026pass';

/** The demo staff accounts' authenticator keys (base32), as README.md and db/seed/README.md document them: the seed's own list. */
export { STAFF_TOTP_KEYS } from 'db/demo-keys';
import { STAFF_TOTP_KEYS } from 'db/demo-keys';

/** RFC 4648 base32 → bytes (spaces and padding ignored, as authenticator apps do). */
export function base32Bytes(b32: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of b32.toUpperCase().replace(/[\s=]/g, '')) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${b32}`);
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP with HMAC-SHA1, 6 digits: the code of TOTP step `step` (RFC 6238, 30 s). */
export function hotp(key: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** The bff's clock (a spec may move it with /dev/clock; TOTP is checked against it). */
async function bffNow(): Promise<number> {
  try {
    const res = await fetch(`${bffUrl}/dev/clock`);
    if (res.ok) return Date.parse(((await res.json()) as { now: string }).now);
  } catch {
    // no dev clock: the bff runs on the real one
  }
  return Date.now();
}

/** The last step used per key in this run. */
const lastSteps = new Map<string, number>();

/**
 * A current TOTP code for a key (a demo account's by username, or a base32
 * key), for a step the bff takes: one step either side of its clock, but
 * never the last used step nor the two before it (replay; bff
 * modules/auth/repo.ts). So two sign-ins in one 30 s window use the next
 * step, a third waits; after a spec set the clock back, the step is fresh.
 */
export async function totpCode(keyOrUsername: string): Promise<string> {
  const b32 = STAFF_TOTP_KEYS[keyOrUsername] ?? keyOrUsername;
  for (;;) {
    const now = Math.floor((await bffNow()) / 30_000);
    const last = lastSteps.get(b32);
    const step = [now, now + 1, now - 1].find((s) => last === undefined || s > last || s < last - 2);
    if (step !== undefined) {
      lastSteps.set(b32, step);
      return hotp(base32Bytes(b32), step);
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

/**
 * Signs a demo staff member in through the staff API on `api` (its cookie jar
 * keeps the session): password and TOTP. A code refused as already used (a
 * worker restarted after a failure forgets its steps) is retried once with the next step.
 */
export async function staffApiSignIn(api: APIRequestContext, username: string, baseUrl = bffUrl): Promise<APIResponse> {
  let res: APIResponse | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    res = await api.post(`${baseUrl}/admin-api/auth/sign-in`, { data: { username, password: STAFF_PASSWORD, totp: await totpCode(username) } });
    if (res.status() !== 401) return res;
  }
  return res!;
}

/**
 * Signs a demo staff member in on the admin's sign-in page (already open):
 * username and password, then the 动态口令 the page asks for — from the
 * documented demo key, or from `key` (base32) for a member who enrolled anew.
 */
export async function staffSignInOnPage(page: Page, username: string, key = username): Promise<void> {
  await page.getByRole('textbox', { name: '用户名' }).fill(username);
  await page.getByRole('textbox', { name: '密码' }).fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  const code = page.getByRole('textbox', { name: /动态口令/ });
  await expect(code).toBeVisible();
  // a code refused as already used (a worker restarted after a failure forgets its steps): once more with the next step
  for (let attempt = 0; attempt < 2; attempt++) {
    await code.fill(await totpCode(key));
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/admin-api/auth/sign-in');
    await page.getByRole('button', { name: '登录' }).click();
    if ((await answer).status() !== 401) return;
  }
}

/** A staff member signed in to the console on a desktop-sized page of its own, at the dashboard. */
export async function staffPage(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(adminUrl);
  await staffSignInOnPage(page, username);
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
  return page;
}
