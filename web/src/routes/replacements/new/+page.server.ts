import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { ApiError, type Problem } from 'bff/client';
import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field } from '$lib/server/forms';
import { loadOrFail, replacements, uploadInsuranceCertificate, uploadType, UPLOAD_MAX_BYTES } from '$lib/server/replacements';
import { problemToFormError, refusalText, type FormError } from '$lib/form-errors';
import { answersOf, checkStep, isStep, nextStep, previousStep, requestOf, type Answers, type Step } from '$lib/replacements/wizard';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
  const options = await loadOrFail(event, () => replacements(event).options());
  // One key per visit: a double tap or a replay submits once (ADR-005).
  return { options, idempotencyKey: randomUUID() };
};

type StepResult = { step: Step; answers: Answers };

function read(data: FormData): { step: Step; answers: Answers } {
  const raw = field(data, 'step');
  const answers = answersOf((k) => field(data, k));
  // The first page names vehicle and item in one radio: "vehicleId|item".
  const choice = field(data, 'choice');
  if (choice.includes('|')) [answers.vehicleId, answers.item] = choice.split('|', 2) as [string, string];
  return { step: isStep(raw) ? raw : 'choose', answers };
}

/** Refused on this page: the messages beside their fields (or in the summary), the answers kept. */
function refuse(status: number, step: Step, answers: Answers, error: FormError) {
  return fail(status >= 400 && status < 600 ? status : 400, { error, step, answers });
}

/**
 * The bff refused (or the session ended: the page then asks to sign in again,
 * and the answers stay in its hidden fields instead of being lost to a redirect).
 * `atField` is the input a refusal about no request field belongs to on this page.
 */
function refuseProblem(problem: Problem, step: Step, answers: Answers, atField?: string) {
  const error = problemToFormError(problem);
  if (atField && !error.signIn && Object.keys(error.fields).length === 0) error.fields = { [atField]: refusalText(error) };
  return refuse(problem.status, step, answers, error);
}

function problems(event: RequestEvent, step: Step, answers: Answers, found: Record<string, string>) {
  const t = translator(event.locals.lang);
  return refuse(400, step, answers, { title: null, fields: Object.fromEntries(Object.entries(found).map(([f, p]) => [f, t(`replacements.errors.${p}` as 'replacements.errors.chooseItem')])) });
}

async function postAllowed(event: RequestEvent, a: Answers): Promise<boolean> {
  if (a.delivery !== 'post') return true;
  const { data } = await replacements(event).options();
  return data.vehicles.find((v) => v.id === a.vehicleId)?.items.find((i) => i.item === a.item)?.postAllowed ?? false;
}

export const actions: Actions = {
  /** Checks this page and moves to the next one. */
  next: async (event) => {
    const data = await event.request.formData();
    const { step, answers } = read(data);
    if (step === 'insurance') {
      const file = data.get('insuranceFile');
      if (file instanceof File && file.size > 0) {
        const t = translator(event.locals.lang);
        if (!uploadType(file)) return refuse(400, step, answers, { title: null, fields: { insuranceFile: t('replacements.errors.fileType') } });
        if (file.size > UPLOAD_MAX_BYTES) return refuse(400, step, answers, { title: null, fields: { insuranceFile: t('replacements.errors.fileSize') } });
        try {
          answers.insuranceUploadId = await uploadInsuranceCertificate(event, file);
          answers.insuranceFileName = file.name.slice(-200);
        } catch (e) {
          return refuseProblem(asProblem(e, event.locals.lang), step, answers, 'insuranceFile');
        }
      }
    }
    let allowed = true;
    if (step === 'delivery') {
      try {
        allowed = await postAllowed(event, answers);
      } catch (e) {
        if (e instanceof ApiError) return refuseProblem(e.problem, step, answers);
        throw e;
      }
    }
    const found = checkStep(step, answers, { postAllowed: allowed });
    if (Object.keys(found).length) return problems(event, step, answers, found);
    return { step: nextStep(step, answers.item), answers } satisfies StepResult;
  },

  back: async (event) => {
    const { step, answers } = read(await event.request.formData());
    return { step: previousStep(step, answers.item), answers } satisfies StepResult;
  },

  /** "Change" on the check page. */
  goto: async (event) => {
    const data = await event.request.formData();
    const { answers } = read(data);
    const target = field(data, 'goto');
    return { step: isStep(target) ? target : 'choose', answers } satisfies StepResult;
  },

  submit: async (event) => {
    const data = await event.request.formData();
    const { answers } = read(data);
    const key = field(data, 'idempotencyKey') || randomUUID();
    let id: string;
    try {
      id = (await replacements(event).apply(requestOf(answers), { idempotencyKey: key })).data.id;
    } catch (e) {
      return refuseProblem(asProblem(e, event.locals.lang), 'check', answers);
    }
    redirect(303, `/replacements/${id}?created=1`);
  },
};
