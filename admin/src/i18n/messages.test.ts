import { describe, expect, it } from 'vitest';
import { messages } from './i18n-provider.ts';

const flatKeys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? flatKeys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('messages', () => {
  it('unwraps the CommonJS Chinese pack (else react-admin silently stays English)', () => {
    expect(messages['zh-CN'].ra.action.save).toBe('保存');
    expect(messages['zh-CN'].ra.auth.sign_in).toBe('登录');
  });

  it('has a Chinese text for every English key, react-admin 5 keys included', () => {
    const zh = new Set(flatKeys(messages['zh-CN']));
    expect(flatKeys(messages.en).filter((k) => !zh.has(k))).toEqual([]);
  });

  it('names the app bar title in both languages', () => {
    expect(messages['zh-CN'].app.title).toBe('交管业务管理');
    expect(messages.en.app.title).toBe('Traffic services admin');
  });
});
