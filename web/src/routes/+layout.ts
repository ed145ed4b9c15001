import { loadLocale } from '$lib/i18n';
import type { LayoutLoad } from './$types';

/**
 * The page's language's dictionary, and only that one, before the page
 * renders: on the server it is already there; in the browser hydration waits
 * for its chunk, so the words never flash in another language (issue 18).
 */
export const load: LayoutLoad = async ({ data }) => {
  await loadLocale(data.lang);
  return data;
};
