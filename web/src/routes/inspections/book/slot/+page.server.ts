import { error, redirect } from '@sveltejs/kit';
import { ApiError, type InspectionBooking, type InspectionSlotSearch, type Problem } from 'bff/client';
import { reachBff } from '$lib/server/bff';
import { dayParam, idParam, inspections, loadOrFail, signInRedirect } from '$lib/server/inspections';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const vehicleId = idParam(event.url, 'vehicle');
  if (!vehicleId) redirect(303, '/inspections/book?error=vehicle');
  const from = dayParam(event.url, 'from');
  // 改约: the booking being moved (its vehicle is the one searched for).
  const moveId = idParam(event.url, 'move');
  let move: InspectionBooking | null = null;
  if (moveId) {
    move = await loadOrFail(event, () => inspections(event).booking(moveId));
    if (move.status !== 'booked' || move.vehicle.id !== vehicleId) redirect(303, `/inspections/bookings/${move.id}`);
  }
  let search: InspectionSlotSearch | null = null;
  let refusal: Problem | null = null;
  try {
    search = (await reachBff(event.locals.lang, () => inspections(event).slots({ vehicleId, from }))).data;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.problem.status === 401) signInRedirect(event);
    // the vehicle cannot be booked (yet); say why on this page.
    if (e.problem.status === 422) refusal = e.problem;
    else error(e.problem.status, e.problem.detail ?? e.problem.title);
  }
  return {
    vehicleId,
    search,
    refusal,
    move: move && { id: move.id, code: move.code, stationName: move.station.name, day: move.slot.day, startsAt: move.slot.startsAt, slotId: move.slot.id },
    day: dayParam(event.url, 'day') ?? null,
    missing: event.url.searchParams.get('error') === 'slot',
    selected: event.url.searchParams.get('slot'),
  };
};
