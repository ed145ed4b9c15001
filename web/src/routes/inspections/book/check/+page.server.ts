import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from 'bff/client';
import { problemToFormError } from '$lib/form-errors';
import { asProblem } from '$lib/server/bff';
import { field } from '$lib/server/forms';
import { dayParam, idParam, inspections, loadOrFail } from '$lib/server/inspections';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const vehicleId = idParam(event.url, 'vehicle');
  if (!vehicleId) redirect(303, '/inspections/book?error=vehicle');
  const slotId = idParam(event.url, 'slot');
  const from = dayParam(event.url, 'from');
  const to = dayParam(event.url, 'to');
  if (!slotId) redirect(303, `/inspections/book/slot?${new URLSearchParams({ vehicle: vehicleId, ...(from ? { from } : {}), error: 'slot' })}`);
  const search = await loadOrFail(event, () => inspections(event).slots({ vehicleId, from, to }));
  const station = search.stations.find((s) => s.slots.some((x) => x.id === slotId)) ?? null;
  const slot = station?.slots.find((x) => x.id === slotId) ?? null;
  return {
    vehicleId,
    plateNo: search.plateNo,
    from: search.from,
    station: station && { id: station.id, name: station.name, address: station.address, cityName: station.cityName, crossCity: station.crossCity },
    slot,
    asOf: search.asOf,
    // One key per check page: a double tap or a replay books once (ADR-005).
    idempotencyKey: randomUUID(),
  };
};

export const actions: Actions = {
  book: async (event) => {
    const data = await event.request.formData();
    const vehicleId = field(data, 'vehicleId');
    const slotId = field(data, 'slotId');
    const key = field(data, 'idempotencyKey') || randomUUID();
    let bookingId: string;
    try {
      bookingId = (await inspections(event).book({ vehicleId, slotId }, { idempotencyKey: key })).data.id;
    } catch (e) {
      const problem = asProblem(e, event.locals.lang);
      if (e instanceof ApiError && problem.status === 401) redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
      const status = problem.status >= 400 && problem.status < 600 ? problem.status : 400;
      return fail(status, { error: problemToFormError(problem), code: problem.code });
    }
    redirect(303, `/inspections/bookings/${bookingId}?booked=1`);
  },
};
