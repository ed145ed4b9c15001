import { redirect } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { asProblem } from '$lib/server/bff';
import { exams } from '$lib/server/exams';
import { refused } from '$lib/server/forms';
import { loadOrFail, signInRedirect } from '$lib/server/inspections';
import type { Actions, PageServerLoad } from './$types';

const subjectOf = (url: URL) => {
  const s = Number(url.searchParams.get('subject'));
  return (s === 1 || s === 2 || s === 3 ? s : 2) as 1 | 2 | 3;
};

/** The plans still collecting for my class and the subject. */
export const load: PageServerLoad = async (event) => {
  const subject = subjectOf(event.url);
  return { subject, plans: await loadOrFail(event, () => exams(event).plans(subject)), missing: event.url.searchParams.get('error') === 'plan' };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const planId = String(form.get('planId') ?? '');
    if (!/^[0-9a-f-]{36}$/i.test(planId)) redirect(303, `/exams/book?subject=${subjectOf(event.url)}&error=plan`);
    let id: string;
    try {
      id = (await exams(event).apply(planId)).data.id;
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      // The rule's own words at the plan field: the waiting period with its date, the order, the ten days
      return refused(problem, { planId });
    }
    redirect(303, `/exams/applications/${id}`);
  },
};
