import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { problemToFormError } from '$lib/form-errors';
import { asProblem } from '$lib/server/bff';
import { loadOrFail, signInRedirect } from '$lib/server/replacements';
import { violations } from '$lib/server/violations';
import type { Actions, PageServerLoad } from './$types';

/** The electronic 处罚决定书, printable, with today's fine and late fee. */
export const load: PageServerLoad = async (event) => ({ decision: await loadOrFail(event, () => violations(event).decision(event.params.id)) });

export const actions: Actions = {
  pay: async (event) => {
    let url: string;
    try {
      url = (await violations(event).pay(event.params.id)).data.payUrl;
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { error: problemToFormError(problem) });
    }
    redirect(303, url);
  },
};
