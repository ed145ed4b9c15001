import type { zhCN } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export type Messages = typeof zhCN;

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export function toLocale(value: string | null | undefined): Locale {
  return value === 'en' ? 'en' : DEFAULT_LOCALE;
}

/**
 * Each language is a chunk of its own, imported when needed (issue 18): a
 * page downloads only the dictionary it shows. The server has both from the
 * start (below); in the browser the root layout's load (routes/+layout.ts)
 * waits for the page's language before hydrating, so the first render already
 * has its words, and a change of language loads the other one first
 * (app-state.svelte.ts). The service worker precaches both chunks, so the
 * switch works offline too.
 */
const importers: Record<Locale, () => Promise<Messages>> = {
  'zh-CN': () => import('./zh-CN.ts').then((m) => m.zhCN),
  en: () => import('./en.ts').then((m) => m.en),
};
const catalogs: Partial<Record<Locale, Messages>> = {};
const loading = new Map<Locale, Promise<void>>();

/**
 * The page's own language arrives with the page: the server writes its words
 * into the HTML as a JSON data block (not a script: CSP has nothing to run),
 * and the browser adopts them here, before hydration. Waiting for the chunk
 * instead delayed hydration by a round trip, and hydration then reset what
 * had been typed or ticked meanwhile. Other languages still load as chunks.
 */
export function dictionaryScript(lang: Locale): string {
  const messages = catalogs[lang];
  if (!messages) return '';
  // `<` escaped: the JSON cannot close the element it sits in.
  return `<script type="application/json" id="jg-dict" data-lang="${lang}">${JSON.stringify(messages).replace(/</g, '\\u003c')}</script>`;
}

if (!import.meta.env.SSR && typeof document !== 'undefined') {
  const el = document.getElementById('jg-dict');
  const lang = el?.dataset.lang;
  if (el?.textContent && (lang === 'zh-CN' || lang === 'en')) {
    try {
      catalogs[lang] = JSON.parse(el.textContent) as Messages;
    } catch {
      // A damaged block: the chunk loads instead.
    }
  }
}

/** Loads a language's dictionary once; resolves when its words are there. */
export function loadLocale(lang: Locale): Promise<void> {
  if (catalogs[lang]) return Promise.resolve();
  let p = loading.get(lang);
  if (!p) {
    p = importers[lang]().then(
      (messages) => {
        catalogs[lang] = messages;
      },
      (e: unknown) => {
        loading.delete(lang); // let a later call try again (e.g. back online)
        throw e;
      },
    );
    loading.set(lang, p);
  }
  return p;
}

/** Whether a language's dictionary has arrived (tests, and code that must not wait). */
export function isLocaleLoaded(lang: Locale): boolean {
  return catalogs[lang] !== undefined;
}

// One process serves every language: the server (and the unit tests) load all of them before
// the first request, so a request's `t` never waits. The client build drops this line.
if (import.meta.env.SSR) await Promise.all(LOCALES.map(loadLocale));

/** Every key of the dictionary whose text is a string, dotted: 'nav.home', 'vehicleState.detained'… */
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<Messages>;
export type TranslateParams = Record<string, string | number | null | undefined>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

const PLACEHOLDER = /{{\s*(\w+)\s*}}/g;

function lookup(messages: Messages | undefined, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * The text function for one language: a key's text with its `{{name}}`
 * placeholders filled in (a missing value leaves an empty string). Not
 * HTML-escaped: Svelte escapes what it renders. An unknown key shows as
 * itself; a language not loaded yet falls back to the default one's words.
 * Requests take a fixed `t` for their own language, so concurrent SSR in two
 * languages is safe.
 */
export function translator(lang: Locale): Translate {
  return (key, params) => {
    const text = lookup(catalogs[lang], key) ?? lookup(catalogs[DEFAULT_LOCALE], key) ?? key;
    return params ? text.replace(PLACEHOLDER, (_, name: string) => String(params[name] ?? '')) : text;
  };
}

type CodeGroup = {
  [G in keyof Messages]: Messages[G] extends Record<string, string> ? G : never;
}[keyof Messages];

/** Label for a code from the bff (vehicle state, plate kind…); unknown codes show as they are. */
export function codeLabel(lang: Locale, group: CodeGroup, code: string): string {
  const labels: Record<string, string> | undefined = (catalogs[lang] ?? catalogs[DEFAULT_LOCALE])?.[group];
  return labels && Object.hasOwn(labels, code) ? labels[code]! : code;
}
