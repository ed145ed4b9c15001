import { SESSION_COOKIE } from '$lib/server/session';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, cookies }) => ({
  lang: locals.lang,
  largeText: locals.largeText,
  // Only a hint for the header (the cookie may have expired); pages that need
  // the user ask the bff.
  signedIn: Boolean(cookies.get(SESSION_COOKIE)),
});
