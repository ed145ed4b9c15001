import { getContext, setContext } from 'svelte';
import { codeLabel, loadLocale, toLocale, translator, type Locale } from '$lib/i18n';
import { LANG_COOKIE, TEXT_COOKIE, writePrefCookie } from '$lib/prefs';

type ServerPrefs = { lang: Locale; largeText: boolean };

/**
 * Per-page-tree UI state: language, text size, network. Kept in context, not
 * in a module, because on the server one module serves every user at once.
 */
export class AppState {
  #server: () => ServerPrefs;
  #lang = $state<Locale | null>(null);
  #largeText = $state<boolean | null>(null);
  /** Starts true on both sides so hydration matches; the layout corrects it after mount. */
  online = $state(true);
  /** The service worker controls this page: pages seen from now on open offline. */
  offlineReady = $state(false);

  constructor(server: () => ServerPrefs) {
    this.#server = server;
  }

  get lang(): Locale {
    return this.#lang ?? this.#server().lang;
  }

  get largeText(): boolean {
    return this.#largeText ?? this.#server().largeText;
  }

  t = $derived(translator(this.lang));

  label(group: Parameters<typeof codeLabel>[1], code: string): string {
    return codeLabel(this.lang, group, code);
  }

  /** The page changes language once the new language's dictionary is there (one chunk each, issue 18). */
  setLang(lang: Locale): Promise<void> {
    writePrefCookie(LANG_COOKIE, lang);
    return loadLocale(lang).then(() => {
      this.#lang = lang;
      document.documentElement.lang = lang;
    });
  }

  /**
   * A page the service worker served from its cache was rendered with the
   * preferences of the day it was saved; the cookies say what they are now.
   */
  adoptDeviceCookies(): void {
    const cookies = new Map(
      document.cookie
        .split(';')
        .map((c) => c.trim().split('='))
        .map(([name = '', ...value]) => [name, decodeURIComponent(value.join('='))] as const),
    );
    const lang = cookies.get(LANG_COOKIE);
    if (lang && toLocale(lang) !== this.lang) void this.setLang(toLocale(lang));
    const text = cookies.get(TEXT_COOKIE);
    if (text && (text === 'large') !== this.largeText) {
      this.#largeText = text === 'large';
      document.documentElement.classList.toggle('large-text', this.#largeText);
    }
  }

  setLargeText(on: boolean): void {
    this.#largeText = on;
    writePrefCookie(TEXT_COOKIE, on ? 'large' : 'normal');
    document.documentElement.classList.toggle('large-text', on);
  }
}

const KEY = Symbol('app-state');

export function setAppState(state: AppState): AppState {
  return setContext(KEY, state);
}

export function appState(): AppState {
  return getContext<AppState>(KEY);
}
