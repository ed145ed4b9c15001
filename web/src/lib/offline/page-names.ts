import type { MessageKey } from '$lib/i18n';

/**
 * Page names for the offline fallback's list of saved pages (issue 18): the
 * user sees "我的账户", never "/account". Exact paths first, then patterns for
 * pages with an id; a page not named here is named by the <title> it was
 * saved with, and only as a last resort by its path.
 */
const EXACT: Record<string, MessageKey> = {
  '/': 'nav.home',
  '/account': 'nav.account',
  '/account/settings': 'accounts.settingsTitle',
  '/account/bindings': 'accounts.bindingsTitle',
  '/account/photo': 'accounts.photoTitle',
  '/account/cancel': 'accounts.cancelTitle',
  '/account/data-access': 'dataAccess.title',
  '/applications': 'accounts.applicationsTitle',
  '/counter-form': 'accounts.counterFormTitle',
  '/outbox': 'nav.outbox',
  '/preferences': 'nav.preferences',
  '/sign-in': 'nav.signIn',
  '/sign-up': 'nav.signUp',
  '/reset-password': 'passwordReset.title',
  '/inspections': 'inspections.title',
  '/plates': 'plates.title',
  '/replacements': 'replacements.title',
};

const PATTERNS: [RegExp, MessageKey][] = [
  [/^\/inspections\//, 'inspections.title'],
  [/^\/plates\//, 'plates.title'],
  [/^\/replacements\//, 'replacements.title'],
  [/^\/applications\//, 'accounts.applicationsTitle'],
  [/^\/counter-form\//, 'accounts.counterFormTitle'],
];

/** The i18n key naming a path, or null. */
export function pageNameKey(pathname: string): MessageKey | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return EXACT[path] ?? PATTERNS.find(([re]) => re.test(path))?.[1] ?? null;
}

/** The page's own title from saved HTML, without the site's suffix (" - 交管在线服务"). */
export function titleOf(html: string, suffixes: readonly string[]): string | null {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(html);
  if (!m) return null;
  let title = m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim();
  for (const suffix of suffixes) {
    if (title.endsWith(` - ${suffix}`)) title = title.slice(0, -(suffix.length + 3)).trim();
  }
  return title || null;
}
