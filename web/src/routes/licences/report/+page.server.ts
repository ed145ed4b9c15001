import { fail } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field } from '$lib/server/forms';
import { licences, uploadHealthReport } from '$lib/server/licences';
import { loadOrFail, uploadType, UPLOAD_MAX_BYTES } from '$lib/server/replacements';
import { problemToFormError } from '$lib/form-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const options = await loadOrFail(event, () => licences(event).options());
  return { options, licenceId: event.url.searchParams.get('licence') ?? options.licences[0]?.id ?? '' };
};

export const actions: Actions = {
  /** the citizen's own 体检 report. */
  default: async (event) => {
    const data = await event.request.formData();
    const values = { licenceId: field(data, 'licenceId'), issuedOn: field(data, 'issuedOn'), purpose: field(data, 'purpose'), conclusion: field(data, 'conclusion') };
    const t = translator(event.locals.lang);
    const file = data.get('reportFile');
    const found: Record<string, string> = {};
    if (!(file instanceof File) || file.size === 0 || !uploadType(file) || file.size > UPLOAD_MAX_BYTES) found.reportFile = t('licences.errors.file');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.issuedOn)) found.issuedOn = t('licences.errors.date');
    if (!['renewal', 'age_70_yearly', 'disability_3y'].includes(values.purpose)) found.purpose = t('licences.errors.choosePurpose');
    if (!['fit', 'unfit'].includes(values.conclusion)) found.conclusion = t('licences.errors.chooseConclusion');
    if (Object.keys(found).length) return fail(400, { values, error: { title: null, fields: found } });
    try {
      const uploadId = await uploadHealthReport(event, file as File);
      const { data: result } = await licences(event).report(values.licenceId, {
        uploadId, issuedOn: values.issuedOn, purpose: values.purpose as 'renewal', conclusion: values.conclusion as 'fit',
      });
      return { values, done: true, restored: result.restored };
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      return fail(problem.status >= 400 && problem.status < 600 ? problem.status : 400, { values, error: problemToFormError(problem, (p) => (p === 'uploadId' ? 'reportFile' : p)) });
    }
  },
};
