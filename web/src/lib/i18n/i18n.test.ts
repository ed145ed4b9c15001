import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeLabel, isLocaleLoaded, LOCALES, loadLocale, translator, type MessageKey } from './index.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]!).sort();
}

describe('UI text', () => {
  it('has the same keys in zh-CN and en', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('uses the same placeholders in both languages', () => {
    const lookup = (obj: unknown, key: string) =>
      key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj) as string;
    for (const key of keys(zhCN)) {
      expect(placeholders(lookup(en, key)), key).toEqual(placeholders(lookup(zhCN, key)));
    }
  });

  it('never shows citizens an internal rule id such as (R-27.2)', () => {
    const lookup = (obj: unknown, key: string) =>
      key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj) as string;
    for (const catalog of [zhCN, en]) {
      for (const key of keys(catalog)) expect(lookup(catalog, key), key).not.toMatch(/\b[RX]-\d+(\.\d+)*\b/);
    }
  });

  it('gives each request its own language', () => {
    const zh = translator('zh-CN');
    const english = translator('en');
    expect(zh('nav.outboxBadge', { count: 2 })).toBe('待发送 2');
    expect(english('nav.outboxBadge', { count: 2 })).toBe('Waiting to send 2');
    expect(zh('account.title')).toBe('我的账户');
  });

  it('labels codes from the bff and shows unknown codes as they are', () => {
    expect(codeLabel('zh-CN', 'vehicleState', 'detained')).toBe('暂扣');
    expect(codeLabel('en', 'vehicleState', 'withheld')).toBe('Withheld');
    expect(codeLabel('zh-CN', 'vehicleType', 'X99')).toBe('X99');
  });

  it('fills {{placeholders}} (an empty string for a missing value) and shows an unknown key as itself', () => {
    const t = translator('en');
    expect(t('nav.outboxBadge', { count: 0 })).toBe('Waiting to send 0');
    expect(t('nav.outboxBadge')).toBe('Waiting to send {{count}}');
    expect(t('nav.outboxBadge', {})).toBe('Waiting to send ');
    expect(t('no.such.key' as MessageKey)).toBe('no.such.key');
    // a group is not a text
    expect(t('nav' as MessageKey)).toBe('nav');
  });
});

describe('issue 18 · a page loads only its own language', () => {
  it('imports no dictionary statically: each language is a chunk of its own, loaded by loadLocale', () => {
    const source = readFileSync(new URL('./index.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import\s+(?!type\b)[^;]*from\s+'\.\/(zh-CN|en)\.ts'/m);
    expect(source).toMatch(/import\('\.\/zh-CN\.ts'\)/);
    expect(source).toMatch(/import\('\.\/en\.ts'\)/);
  });

  it('the server (and these tests) have every language before the first request; loading again is a no-op', async () => {
    for (const lang of LOCALES) expect(isLocaleLoaded(lang)).toBe(true);
    await loadLocale('en');
    expect(translator('en')('account.title')).toBe('My account');
  });
});

