import { useMemo } from 'react';
import { convertRaTranslationsToI18next, useI18nextProvider } from 'ra-i18n-i18next';
import { mergeTranslations, type I18nProvider, type Locale } from 'react-admin';
import chineseModule from '@haxqer/ra-language-chinese';
import englishModule from 'ra-language-english';
import { setRequestLocale } from '../shared/http.ts';
import { en } from './en.ts';
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

const raChinese = unwrapDefault(chineseModule);
const raEnglish = unwrapDefault(englishModule);

export const messages = {
  'zh-CN': mergeTranslations(raChinese, zhCN),
  en: mergeTranslations(raEnglish, en),
};

// Module-level so the hook sees the same objects on every render.
const options = {
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: LOCALES.map((l) => l.locale),
  // react-admin keys never use namespaces; notification texts with a colon must not be split
  nsSeparator: false as const,
  // React escapes; i18next escaping would show &quot; in names
  interpolation: { escapeValue: false },
  resources: {
    'zh-CN': { translation: convertRaTranslationsToI18next(messages['zh-CN']) },
    en: { translation: convertRaTranslationsToI18next(messages.en) },
  },
};

const applyLocale = (locale: string, translate: I18nProvider['translate']) => {
  setRequestLocale(locale);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = locale;
    document.title = translate('app.title');
  }
};

/**
 * ra-i18n-i18next makes its own i18next (v23) instance. The wrapper keeps the
 * bff's Accept-Language and the page language in step with the chosen locale.
 */
export const useAdminI18nProvider = (): I18nProvider | null => {
  const base = useI18nextProvider({ options, availableLocales: LOCALES });
  return useMemo(() => {
    if (!base) return null;
    applyLocale(base.getLocale(), base.translate);
    return {
      ...base,
      changeLocale: async (locale: string) => {
        await base.changeLocale(locale);
        applyLocale(locale, base.translate);
      },
    };
  }, [base]);
};
