import { inspections, loadOrFail } from '$lib/server/inspections';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { vehicles, asOf } = await loadOrFail(event, () => inspections(event).vehicles());
  return {
    vehicles,
    asOf,
    // The next step sends the user back here when nothing was chosen (the form is a GET without JavaScript).
    missing: event.url.searchParams.get('error') === 'vehicle',
    selected: event.url.searchParams.get('vehicle'),
  };
};
