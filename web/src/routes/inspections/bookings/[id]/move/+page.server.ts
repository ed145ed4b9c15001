import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { moveAction } from '$lib/server/inspection-actions';
import { dayParam, idParam, inspections, loadOrFail } from '$lib/server/inspections';
import type { Actions, PageServerLoad } from './$types';

/** 改约, step 2: the old booking and the chosen slot side by side, then one POST. */
export const load: PageServerLoad = async (event) => {
  if (!/^[0-9a-f-]{36}$/i.test(event.params.id)) error(404, 'Not found');
  const api = inspections(event);
  const booking = await loadOrFail(event, () => api.booking(event.params.id));
  if (booking.status !== 'booked' || !booking.canMove) redirect(303, `/inspections/bookings/${booking.id}`);
  const slotId = idParam(event.url, 'slot');
  const from = dayParam(event.url, 'from');
  const to = dayParam(event.url, 'to');
  const slotPage = `/inspections/book/slot?${new URLSearchParams({ vehicle: booking.vehicle.id, move: booking.id, ...(from ? { from } : {}), ...(slotId ? { slot: slotId } : {}) })}`;
  if (!slotId) redirect(303, `${slotPage}&error=slot`);
  const search = await loadOrFail(event, () => api.slots({ vehicleId: booking.vehicle.id, from, to }));
  const station = search.stations.find((s) => s.slots.some((x) => x.id === slotId)) ?? null;
  const slot = station?.slots.find((x) => x.id === slotId) ?? null;
  return {
    booking,
    slotPage,
    station: station && { id: station.id, name: station.name, address: station.address, cityName: station.cityName, phone: station.phone, crossCity: station.crossCity },
    slot,
    // One key per check page: a double tap or a replay moves once (ADR-005).
    idempotencyKey: randomUUID(),
  };
};

export const actions: Actions = { move: moveAction };
