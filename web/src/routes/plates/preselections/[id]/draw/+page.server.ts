import { redirect } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field, invalid, refused } from '$lib/server/forms';
import { loadPlates, plates, uuidParam } from '$lib/server/plates';
import { newNonce } from '$lib/plates/verify';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const id = uuidParam(event.params.id);
  const ps = await loadPlates(event, () => plates(event).preselection(id));
  if (ps.status !== 'drawing') redirect(303, `/plates/preselections/${id}`);
  return { ps };
};

export const actions: Actions = {
  /** PD-14: ten free numbers, held for ten minutes; a new draw gives up the last. */
  draw: async (event) => {
    const id = uuidParam(event.params.id);
    const data = await event.request.formData();
    // Issue 18: the commitment the page showed, and the nonce this browser chose after it
    // (crypto.getRandomValues). Without JavaScript there is none: this server makes one,
    // which protects against the bff but not against the platform as a whole (ADR-010).
    const commitment = field(data, 'commitment');
    const clientNonce = field(data, 'clientNonce') || newNonce();
    try {
      await plates(event).draw(id, { commitment, clientNonce });
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), {});
    }
    return { drawn: true };
  },
  pick: async (event) => {
    const id = uuidParam(event.params.id);
    const data = await event.request.formData();
    const values = { drawId: field(data, 'drawId'), plateNo: field(data, 'plateNo') };
    if (!values.plateNo) return invalid({ plateNo: translator(event.locals.lang)('plates.draw.pickRequired') }, values);
    try {
      await plates(event).pick(id, values);
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values);
    }
    redirect(303, `/plates/preselections/${id}`);
  },
};
