import { fail } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { problemToFormError } from '$lib/form-errors';
import { asProblem } from '$lib/server/bff';
import { loadOrFail, signInRedirect } from '$lib/server/replacements';
import { violations } from '$lib/server/violations';
import type { Actions, PageServerLoad } from './$types';

/** One record with its photos; objections online. */
export const load: PageServerLoad = async (event) => ({ record: await loadOrFail(event, () => violations(event).record(event.params.id)) });

export const actions: Actions = {
  object: async (event) => {
    const form = await event.request.formData();
    const body = { ground: String(form.get('ground') ?? '') as never, statement: String(form.get('statement') ?? '') };
    try {
      await violations(event).object(event.params.id, body);
      return { done: true };
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { error: problemToFormError(problem), values: body });
    }
  },
};
