import { test as base, expect, type APIRequestContext } from '@playwright/test';
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
