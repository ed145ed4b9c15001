import { fail } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { problemToFormError } from '$lib/form-errors';
import { asProblem } from '$lib/server/bff';
import { field } from '$lib/server/forms';
import { licences } from '$lib/server/licences';
import { loadOrFail, signInRedirect } from '$lib/server/replacements';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = licences(event);
  const [options, mine, deferrals] = await Promise.all([
    loadOrFail(event, () => api.options()),
    loadOrFail(event, () => api.mine()),
    loadOrFail(event, () => api.deferrals()),
  ]);
  return { options, mine, deferrals: deferrals.deferrals };
};

export const actions: Actions = {
  /** restore a cancelled licence with a certificate submitted since. */
  restore: async (event) => {
    const licenceId = field(await event.request.formData(), 'licenceId');
    try {
      await licences(event).restore(licenceId);
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { licenceId, error: problemToFormError(problem) });
    }
    return { licenceId, restored: true };
  },
};
