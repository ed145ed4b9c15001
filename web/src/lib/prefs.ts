/** Display preferences live in plain cookies so the server renders the right language and size. */
export const LANG_COOKIE = 'lang';
export const TEXT_COOKIE = 'text';
const ONE_YEAR = 60 * 60 * 24 * 365;

export const PREF_COOKIE_OPTIONS = {
  path: '/',
  maxAge: ONE_YEAR,
  sameSite: 'lax',
  // The page switches these itself when JavaScript runs.
  httpOnly: false,
} as const;

/** Browser side: same cookie as the /preferences action would set. */
export function writePrefCookie(name: string, value: string): void {
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=${ONE_YEAR}; samesite=lax${secure}`;
}
