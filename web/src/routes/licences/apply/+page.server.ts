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

const FIELDS = ['choice', 'declaration', 'delivery', 'recipientName', 'recipientPhone', 'postalAddress', 'postcode'] as const;
/** The bff's fields → this page's inputs: licence and kind are one radio group. */
const inputOf = (path: string) => (path === 'kind' || path === 'licenceId' ? 'choice' : inputNameOf(path));

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((k) => [k, field(data, k)])) as Record<(typeof FIELDS)[number], string>;
    const t = translator(event.locals.lang);
    const found: Record<string, string> = {};
    if (!values.choice.includes('|')) found.choice = t('licences.errors.chooseKind');
    if (values.declaration !== 'yes') found.declaration = t('licences.errors.declaration');
    if (values.delivery !== 'post' && values.delivery !== 'pickup') found.delivery = t('licences.errors.chooseDelivery');
    if (Object.keys(found).length) return fail(400, { values, error: { title: null, fields: found }, idempotencyKey: field(data, 'idempotencyKey') || randomUUID() });
    const [licenceId, kind] = values.choice.split('|', 2) as [string, 'renewal'];
    const post = values.delivery === 'post';
    let id: string;
    try {
      const { data: created } = await licences(event).apply(
        {
          licenceId, kind, declaration: true, delivery: values.delivery as 'post' | 'pickup',
          ...(post ? { recipientName: values.recipientName, recipientPhone: values.recipientPhone, postalAddress: values.postalAddress, postcode: values.postcode } : {}),
        },
        { idempotencyKey: field(data, 'idempotencyKey') || randomUUID() },
      );
      id = created.id;
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      const error = problemToFormError(problem, inputOf);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { values, error, idempotencyKey: randomUUID() });
    }
    redirect(303, `/licences/${id}?created=1`);
  },
};
