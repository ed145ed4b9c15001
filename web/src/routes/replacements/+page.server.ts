import { loadOrFail, replacements } from '$lib/server/replacements';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = replacements(event);
  const [mine, options] = await Promise.all([loadOrFail(event, () => api.mine()), loadOrFail(event, () => api.options())]);
  return { mine, eligible: options.eligible, refusal: options.refusal };
};
