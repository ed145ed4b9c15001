import i18next, { type TFunction } from 'i18next';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export type Messages = typeof zhCN;

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const catalogs: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

export function toLocale(value: string | null | undefined): Locale {
  return value === 'en' ? 'en' : DEFAULT_LOCALE;
}

// One instance for the whole process; requests never change its language,
// they take a fixed `t` for theirs, so concurrent SSR in two languages is safe.
const i18n = i18next.createInstance();
void i18n.init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  // Svelte escapes text it renders.
  interpolation: { escapeValue: false },
  initAsync: false,
});

export type Translate = TFunction;

export function translator(lang: Locale): Translate {
  return i18n.getFixedT(lang);
}

type CodeGroup = {
  [G in keyof Messages]: Messages[G] extends Record<string, string> ? G : never;
}[keyof Messages];

/** Label for a code from the bff (vehicle state, plate kind…); unknown codes show as they are. */
export function codeLabel(lang: Locale, group: CodeGroup, code: string): string {
  const labels: Record<string, string> = catalogs[lang][group];
  return labels[code] ?? code;
}
