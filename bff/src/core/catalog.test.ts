import { describe, expect, it } from 'vitest';
import { coreMessages, fieldCatalog, pickLocale, type CatalogEntry } from './catalog.ts';
import { errorCatalog, modules } from '../modules/index.ts';

describe('message catalog (style §3)', () => {
  it('no two modules define the same code', () => {
    const seen = new Map<string, string>();
    for (const [part, entries] of [['core', coreMessages], ...modules.map((m) => [m.name, m.messages])] as [string, Record<string, CatalogEntry>][]) {
      for (const code of Object.keys(entries)) {
        expect(seen.get(code), `${code} in ${part} and ${seen.get(code)}`).toBeUndefined();
        seen.set(code, part);
      }
    }
  });

  it('every code is <module>.<snake_case>, has zh-CN and en text and a 4xx/5xx status', () => {
    for (const [code, e] of Object.entries(errorCatalog) as [string, CatalogEntry][]) {
      expect(code).toMatch(/^[a-z_]+\.[a-z0-9_]+$/);
      expect(e['zh-CN'].length).toBeGreaterThan(1);
      expect(e.en.length).toBeGreaterThan(1);
      expect(e.status).toBeGreaterThanOrEqual(400);
    }
    for (const [code, e] of Object.entries(fieldCatalog)) {
      expect(code).toMatch(/^validation\.[a-z0-9_]+$/);
      expect(e['zh-CN'] && e.en).toBeTruthy();
    }
  });

  it('picks zh-CN by default and en when preferred', () => {
    expect(pickLocale(undefined)).toBe('zh-CN');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('fr-FR, en;q=0.5, zh;q=0.8')).toBe('zh-CN');
    expect(pickLocale('zh-CN', 'en')).toBe('en');
  });
});
