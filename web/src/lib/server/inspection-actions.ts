import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { problemToFormError } from '$lib/form-errors';
import { asProblem } from '$lib/server/bff';
import { field } from '$lib/server/forms';
import { inspections } from '$lib/server/inspections';

type Event = RequestEvent<{ id: string }>;

function refusal(event: Event, e: unknown) {
  const problem = asProblem(e, event.locals.lang);
  if (e instanceof ApiError && problem.status === 401) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname)}`);
  const status = problem.status >= 400 && problem.status < 600 ? problem.status : 400;
  return fail(status, { error: problemToFormError(problem), code: problem.code });
}

/** cancel (from the booking page's dialog or the confirmation page). */
export async function cancelAction(event: Event) {
  const data = await event.request.formData();
  let code: string;
  try {
    code = (await inspections(event).cancel(event.params.id, { idempotencyKey: field(data, 'idempotencyKey') || undefined })).data.code;
  } catch (e) {
    return refusal(event, e);
  }
  redirect(303, `/inspections?cancelled=${encodeURIComponent(code)}`);
}

/** one-tap move to the chosen free slot. */
export async function moveAction(event: Event) {
  const data = await event.request.formData();
  let id: string;
  try {
    id = (await inspections(event).move(event.params.id, { slotId: field(data, 'slotId') }, { idempotencyKey: field(data, 'idempotencyKey') || undefined })).data.id;
  } catch (e) {
    return refusal(event, e);
  }
  redirect(303, `/inspections/bookings/${id}?moved=1`);
}
