import polyglotI18nProvider from 'ra-i18n-polyglot';
import { mergeTranslations, type I18nProvider, type Locale } from 'react-admin';
import chineseModule from '@haxqer/ra-language-chinese';
import { setRequestLocale } from '../shared/http.ts';
import { zhCN } from './zh-CN.ts';

export const DEFAULT_LOCALE = 'zh-CN';
export const LOCALES: Locale[] = [
  { locale: 'zh-CN', name: '简体中文' },
  { locale: 'en', name: 'English' },
];

/**
 * The Chinese pack is CommonJS; under Vite it arrives as `{ default: messages }`
 * and react-admin would silently stay English without this unwrap.
 */
export const unwrapDefault = <T extends object>(m: T): T => (m as { default?: T }).default ?? m;

/** Chinese, the default: in the first download, so the sign-in form has its words at once. */
export const chineseMessages = mergeTranslations(unwrapDefault(chineseModule), zhCN);

/**
 * English: a chunk of its own, fetched when a member picks it (or at start when
 * the browser remembers it — react-admin waits for it before the first render),
 * so the sign-in page does not carry a dictionary it does not show (issue 18).
 * A key the English texts lack shows in Chinese, as before.
 */
const loadEnglish = async () => {
  const [{ en }, englishModule] = await Promise.all([import('./en.ts'), import('ra-language-english')]);
  return mergeTranslations(chineseMessages, unwrapDefault(englishModule.default ?? englishModule), en);
};

/** The messages of a locale: Chinese at once, English as a promise. */
export const loadMessages = (locale: string) => (locale === 'en' ? loadEnglish() : chineseMessages);

/**
 * The dictionaries have two plural forms (` |||| `, chosen by `smart_count`)
 * in both languages: one item, several. Polyglot's own Chinese rule would
 * always pick the first ("选中1项" for three rows).
 */
const pluralRules = {
  pluralTypes: { oneOther: (n: number) => (n === 1 ? 0 : 1) },
  pluralTypeToLanguages: { oneOther: ['zh', 'en'] },
};

/**
 * react-admin's own polyglot provider (the one <Admin> bundles anyway; no
 * i18next). `allowMissing`: an unknown key shows as itself, without a console
 * warning. The wrapper keeps the bff's Accept-Language and the page language
 * in step with the chosen locale.
 */
const base = polyglotI18nProvider(loadMessages, DEFAULT_LOCALE, LOCALES, { allowMissing: true, pluralRules });

const applyLocale = (locale: string) => {
  setRequestLocale(locale);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = locale;
    document.title = base.translate('app.title');
  }
};

export const i18nProvider: I18nProvider = {
  ...base,
  changeLocale: async (locale: string) => {
    await base.changeLocale(locale);
    applyLocale(locale);
  },
};

applyLocale(DEFAULT_LOCALE);
