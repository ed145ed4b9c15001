import { error, redirect } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { asProblem } from '$lib/server/bff';
import { exams } from '$lib/server/exams';
import { refused } from '$lib/server/forms';
import { loadOrFail, signInRedirect } from '$lib/server/inspections';
import type { Actions, PageServerLoad } from './$types';

/** One application: rank, key with its date, seats, projected outcome; the 预约凭证 once allocated (X-4.4.8, PD-13). */
export const load: PageServerLoad = async (event) => {
  if (!/^[0-9a-f-]{36}$/i.test(event.params.id)) error(404, 'Not found');
  return { application: await loadOrFail(event, () => exams(event).application(event.params.id)) };
};

export const actions: Actions = {
  cancel: async (event) => {
    let reference: string;
    try {
      reference = (await exams(event).cancel(event.params.id)).data.reference;
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      return refused(problem, {});
    }
    redirect(303, `/exams?cancelled=${encodeURIComponent(reference)}`);
  },
};
