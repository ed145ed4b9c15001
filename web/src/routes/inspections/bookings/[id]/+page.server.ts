import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import type { InspectionAlternative } from 'bff/client';
import { cancelAction, moveAction } from '$lib/server/inspection-actions';
import { inspections, loadOrFail } from '$lib/server/inspections';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!/^[0-9a-f-]{36}$/i.test(event.params.id)) error(404, 'Not found');
  const api = inspections(event);
  const booking = await loadOrFail(event, () => api.booking(event.params.id));
  // a booking the station cannot serve is offered the nearest free slots.
  let alternatives: InspectionAlternative[] = [];
  if (booking.status === 'booked' && booking.disruption) {
    alternatives = (await loadOrFail(event, () => api.alternatives(booking.id))).alternatives;
  }
  return {
    booking,
    alternatives,
    justBooked: event.url.searchParams.get('booked') === '1',
    justMoved: event.url.searchParams.get('moved') === '1',
    idempotencyKey: randomUUID(),
  };
};

export const actions: Actions = { cancel: cancelAction, move: moveAction };
