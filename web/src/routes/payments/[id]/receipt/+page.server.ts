import { loadOrFail } from '$lib/server/replacements';
import { payments } from '$lib/server/payments';
import type { PageServerLoad } from './$types';

/** The printable receipt of a paid order, with its reference number (issue 21). */
export const load: PageServerLoad = async (event) => {
  const order = await loadOrFail(event, () => payments(event).get(event.params.id));
  return { order };
};
