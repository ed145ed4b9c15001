import { loadOrFail } from '$lib/server/replacements';
import { payments } from '$lib/server/payments';
import type { Actions, PageServerLoad } from './$types';

/** Where the provider sends the buyer back: the order's status, polled until it is settled (issue 21). */
export const load: PageServerLoad = async (event) => {
  const order = await loadOrFail(event, () => payments(event).get(event.params.id));
  return { order };
};

export const actions: Actions = {
  check: async (event) => {
    // a refusal (provider unreachable) leaves the page as it is: it keeps polling
    try {
      await payments(event).check(event.params.id);
    } catch {
      return { checked: false };
    }
    return { checked: true };
  },
};
