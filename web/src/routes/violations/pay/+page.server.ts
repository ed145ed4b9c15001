import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { problemToFormError } from '$lib/form-errors';
import { asProblem } from '$lib/server/bff';
import { signInRedirect } from '$lib/server/replacements';
import { violations } from '$lib/server/violations';
import type { Actions, PageServerLoad } from './$types';

/** pay any decision by its 决定书编号 — the fine and the late fee are shown first (GET form, works without JavaScript). */
export const load: PageServerLoad = async (event) => {
  const decisionNo = event.url.searchParams.get('decisionNo')?.trim() ?? '';
  if (!decisionNo) return { decisionNo, decision: null, error: null };
  try {
    return { decisionNo, decision: (await violations(event).byNumber(decisionNo)).data, error: null };
  } catch (e) {
    const problem = asProblem(e, event.locals.lang);
    if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
    return { decisionNo, decision: null, error: problemToFormError(problem) };
  }
};

export const actions: Actions = {
  pay: async (event) => {
    const decisionNo = String((await event.request.formData()).get('decisionNo') ?? '');
    let url: string;
    try {
      url = (await violations(event).payByNumber(decisionNo)).data.payUrl;
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { error: problemToFormError(problem) });
    }
    redirect(303, url);
  },
};
