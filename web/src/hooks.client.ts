import type { HandleClientError } from '@sveltejs/kit';
import { toLocale, translator } from '$lib/i18n';

export const handleError: HandleClientError = ({ error }) => {
  const t = translator(toLocale(document.documentElement.lang));
  // A navigation whose data request never reached the server (offline, or the
  // connection dropped) is not a server error: +error.svelte shows what the
  // device has instead.
  if (error instanceof TypeError || !navigator.onLine) return { message: t('errors.network'), offline: true };
  console.error(error);
  return { message: t('errors.generic') };
};
