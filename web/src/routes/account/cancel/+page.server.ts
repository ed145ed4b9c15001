import { redirect } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field, invalid, rawField, refused } from '$lib/server/forms';
import { SESSION_COOKIE } from '$lib/server/session';
import { accounts, loadAccount } from '$lib/server/accounts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ me: await loadAccount(event, () => accounts(event).me()) });

export const actions: Actions = {
  /** self-service cancellation, confirmed by the box and the password. */
  cancel: async (event) => {
    const data = await event.request.formData();
    const password = rawField(data, 'password');
    if (field(data, 'confirm') !== 'yes') return invalid({ confirm: translator(event.locals.lang)('accounts.confirmRequired') }, {});
    try {
      await accounts(event).cancel({ confirm: true, ...(password ? { password } : {}) });
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), {});
    }
    event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
    redirect(303, '/account/cancel/done');
  },
};
