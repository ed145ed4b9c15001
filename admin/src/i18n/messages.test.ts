import { describe, expect, it } from 'vitest';
import { chineseMessages, i18nProvider, loadMessages } from './i18n-provider.ts';

const flatKeys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? flatKeys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('messages', () => {
  it('unwraps the CommonJS Chinese pack (else react-admin silently stays English)', () => {
    expect(chineseMessages.ra.action.save).toBe('保存');
    expect(chineseMessages.ra.auth.sign_in).toBe('登录');
  });

  it('has a Chinese text for every English key, react-admin 5 keys included', async () => {
    const zh = new Set(flatKeys(chineseMessages));
    expect(flatKeys(await loadMessages('en')).filter((k) => !zh.has(k))).toEqual([]);
  });

  it('names the app bar title in both languages', async () => {
    expect(chineseMessages.app.title).toBe('交管业务管理');
    expect((await loadMessages('en')).app.title).toBe('Traffic services admin');
  });

  it('issue 18 · Chinese is there at once, English is loaded when asked for (not in the sign-in download)', async () => {
    expect(loadMessages('zh-CN')).toBe(chineseMessages);
    expect(loadMessages('en')).toBeInstanceOf(Promise);
    expect(i18nProvider.getLocale()).toBe('zh-CN');
    expect(i18nProvider.translate('ra.auth.sign_in')).toBe('登录');
    await i18nProvider.changeLocale('en');
    expect(i18nProvider.getLocale()).toBe('en');
    expect(i18nProvider.translate('ra.auth.sign_in')).toBe('Sign in');
    expect(i18nProvider.translate('app.title')).toBe('Traffic services admin');
    await i18nProvider.changeLocale('zh-CN');
    expect(i18nProvider.translate('app.title')).toBe('交管业务管理');
  });

  it('picks the plural form by smart_count in both languages, interpolates, and shows an unknown key as itself', async () => {
    expect(i18nProvider.translate('ra.action.bulk_actions', { smart_count: 1 })).toBe('选中1项');
    expect(i18nProvider.translate('ra.action.bulk_actions', { smart_count: 3 })).toBe('选中3项');
    expect(i18nProvider.translate('app.no_such_key')).toBe('app.no_such_key');
    expect(i18nProvider.translate('app.no_such_key', { _: 'default' })).toBe('default');
    await i18nProvider.changeLocale('en');
    expect(i18nProvider.translate('ra.action.bulk_actions', { smart_count: 1 })).toBe('1 item selected');
    expect(i18nProvider.translate('ra.action.bulk_actions', { smart_count: 3 })).toBe('3 items selected');
    await i18nProvider.changeLocale('zh-CN');
  });
});
