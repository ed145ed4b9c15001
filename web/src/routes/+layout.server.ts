import { SESSION_COOKIE } from '$lib/server/session';
import { devToolsOn } from '$lib/server/platform';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, cookies }) => ({
  lang: locals.lang,
  largeText: locals.largeText,
  // Only a hint for the header (the cookie may have expired); pages that need
  // the user ask the bff.
  signedIn: Boolean(cookies.get(SESSION_COOKIE)),
  // The development tools' banner (ADR-023).
  devTools: await devToolsOn(),
});
