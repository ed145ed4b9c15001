import { loadPlates, plates, uuidParam } from '$lib/server/plates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const id = uuidParam(event.params.id);
  return { proof: await loadPlates(event, () => plates(event).proof(id)) };
};
