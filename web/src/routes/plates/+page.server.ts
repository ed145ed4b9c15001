import { loadPlates, plates } from '$lib/server/plates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = plates(event);
  const [mine, segments] = await Promise.all([loadPlates(event, () => api.mine()), loadPlates(event, () => api.segments())]);
  return { mine, segments };
};
