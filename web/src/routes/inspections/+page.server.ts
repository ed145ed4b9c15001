import { inspections, loadOrFail } from '$lib/server/inspections';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = inspections(event);
  const [bookings, notices] = await Promise.all([
    loadOrFail(event, () => api.bookings()),
    // The public notice board is a nicety here: the page works without it.
    api.notices().then((r) => r.data.notices.slice(0, 5), () => []),
  ]);
  return { bookings, notices, cancelled: event.url.searchParams.get('cancelled')?.slice(0, 20) ?? null };
};
