import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { cancelAction } from '$lib/server/inspection-actions';
import { inspections, loadOrFail } from '$lib/server/inspections';
import type { Actions, PageServerLoad } from './$types';

/** The confirmation page of cancellation, for browsers without JavaScript (with it, a dialog asks). */
export const load: PageServerLoad = async (event) => {
  if (!/^[0-9a-f-]{36}$/i.test(event.params.id)) error(404, 'Not found');
  const booking = await loadOrFail(event, () => inspections(event).booking(event.params.id));
  return { booking, idempotencyKey: randomUUID() };
};

export const actions: Actions = { cancel: cancelAction };
