import { redirect, type RequestEvent } from '@sveltejs/kit';
import { toLocale } from '$lib/i18n';
import { LANG_COOKIE, PREF_COOKIE_OPTIONS, TEXT_COOKIE } from '$lib/prefs';
import { field, safeRedirect } from '$lib/server/forms';
import type { Actions } from './$types';

// These actions serve browsers without JavaScript (the header buttons and this
// page post here); with JavaScript the switch happens in the page itself.

function writePrefs(event: RequestEvent, data: FormData) {
  const options = { ...PREF_COOKIE_OPTIONS, secure: event.url.protocol === 'https:' };
  if (data.has('lang')) event.cookies.set(LANG_COOKIE, toLocale(field(data, 'lang')), options);
  if (data.has('text')) event.cookies.set(TEXT_COOKIE, field(data, 'text') === 'large' ? 'large' : 'normal', options);
}

async function saveAndReturn(event: RequestEvent) {
  const data = await event.request.formData();
  writePrefs(event, data);
  redirect(303, safeRedirect(field(data, 'redirectTo'), '/'));
}

export const actions: Actions = {
  lang: saveAndReturn,
  text: saveAndReturn,
  save: async (event) => {
    writePrefs(event, await event.request.formData());
    return { saved: true };
  },
};
