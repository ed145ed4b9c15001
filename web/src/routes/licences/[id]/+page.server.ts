import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { problemToFormError } from '$lib/form-errors';
import { asProblem } from '$lib/server/bff';
import { licences } from '$lib/server/licences';
import { loadOrFail, signInRedirect } from '$lib/server/replacements';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const application = await loadOrFail(event, () => licences(event).get(event.params.id));
  return { application, created: event.url.searchParams.has('created') };
};

export const actions: Actions = {
  cancel: async (event) => {
    try {
      await licences(event).cancel(event.params.id);
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { error: problemToFormError(problem) });
    }
    redirect(303, `/licences/${event.params.id}`);
  },
};
