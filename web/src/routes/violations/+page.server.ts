import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { problemToFormError } from '$lib/form-errors';
import { asProblem } from '$lib/server/bff';
import { loadOrFail, signInRedirect } from '$lib/server/replacements';
import { violations } from '$lib/server/violations';
import type { Actions, PageServerLoad } from './$types';

/** 交通违法处理: the records of bound vehicles and licence, each with its standing. */
export const load: PageServerLoad = async (event) => {
  const data = await loadOrFail(event, () => violations(event).mine());
  return { data };
};

const idsOf = (form: FormData) => form.getAll('violationIds').map(String).filter((s) => s !== '');

/** A refusal at `violationIds.N` is shown at that record (its checkbox). */
const recordField = (ids: string[]) => (path: string) => {
  const m = /^violationIds\.(\d+)$/.exec(path);
  return m ? `record-${ids[Number(m[1])] ?? ''}` : path === 'violationIds' ? 'violationIds' : path;
};

export const actions: Actions = {
  /** Step 1: check the chosen records and send the SMS code. */
  confirm: async (event) => {
    const ids = idsOf(await event.request.formData());
    try {
      const sent = (await violations(event).confirmCode(ids)).data;
      return { sent, ids };
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { error: problemToFormError(problem, recordField(ids)), ids });
    }
  },
  /** Step 2: the code confirms → the electronic penalty decision. */
  handle: async (event) => {
    const form = await event.request.formData();
    const ids = idsOf(form);
    let id: string;
    try {
      id = (await violations(event).handle(ids, String(form.get('smsCode') ?? ''))).data.id;
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) signInRedirect(event);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { error: problemToFormError(problem, recordField(ids)), ids, sent: null, retry: true });
    }
    redirect(303, `/violations/decisions/${id}`);
  },
};
