import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { problemToFormError } from '$lib/form-errors';
import { asProblem } from '$lib/server/bff';
import { loadOrFail, signInRedirect } from '$lib/server/replacements';
import { payments } from '$lib/server/payments';
import type { Actions, PageServerLoad } from './$types';

/** The pay page (issue 21, X-5.7): the amount and its parts (fine, late fee) before paying. */
export const load: PageServerLoad = async (event) => {
  const order = await loadOrFail(event, () => payments(event).get(event.params.id));
  if (order.status !== 'open') redirect(303, `/payments/${order.id}/result`);
  return { order };
};

export const actions: Actions = {
  pay: async (event) => {
    let url: string;
    try {
      url = (await payments(event).pay(event.params.id)).data.redirectUrl;
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { error: problemToFormError(problem) });
    }
    // the provider's cashier page (the dev gateway in development)
    redirect(303, url);
  },
};
