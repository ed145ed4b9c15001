import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field } from '$lib/server/forms';
import { licences } from '$lib/server/licences';
import { loadOrFail } from '$lib/server/replacements';
import { inputNameOf, problemToFormError } from '$lib/form-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const options = await loadOrFail(event, () => licences(event).options());
  return { options, idempotencyKey: randomUUID() };
};

const FIELDS = ['choice', 'reason', 'reasonNote', 'deferredUntil'] as const;
const inputOf = (path: string) => (path === 'kind' || path === 'licenceId' ? 'choice' : inputNameOf(path));

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((k) => [k, field(data, k)])) as Record<(typeof FIELDS)[number], string>;
    const t = translator(event.locals.lang);
    const found: Record<string, string> = {};
    if (!values.choice.includes('|')) found.choice = t('licences.errors.chooseDeferral');
    if (!['military_service', 'abroad', 'other'].includes(values.reason)) found.reason = t('licences.errors.chooseReason');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.deferredUntil)) found.deferredUntil = t('licences.errors.date');
    if (Object.keys(found).length) return fail(400, { values, error: { title: null, fields: found }, idempotencyKey: field(data, 'idempotencyKey') || randomUUID() });
    const [licenceId, kind] = values.choice.split('|', 2) as [string, 'renewal'];
    let id: string;
    try {
      const { data: created } = await licences(event).defer(
        { licenceId, kind, reason: values.reason as 'abroad', reasonNote: values.reasonNote || undefined, deferredUntil: values.deferredUntil },
        { idempotencyKey: field(data, 'idempotencyKey') || randomUUID() },
      );
      id = created.id;
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { values, error: problemToFormError(problem, inputOf), idempotencyKey: randomUUID() });
    }
    redirect(303, `/licences/deferrals/${id}?created=1`);
  },
};
