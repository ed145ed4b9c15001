import { licences } from '$lib/server/licences';
import { loadOrFail } from '$lib/server/replacements';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const deferral = await loadOrFail(event, () => licences(event).deferral(event.params.id));
  return { deferral, created: event.url.searchParams.has('created') };
};
