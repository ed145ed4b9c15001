import { fail } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field, invalid, refused } from '$lib/server/forms';
import { accounts, loadAccount } from '$lib/server/accounts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ bindings: await loadAccount(event, () => accounts(event).bindings()) });

const UUID = /^[0-9a-f-]{36}$/i;

/** One bind/unbind form: a hidden id, a named button; refusals come back with the bff's text. */
function command(run: (api: ReturnType<typeof accounts>, id: string, data: FormData) => Promise<unknown>, done: 'bound' | 'unbound' | 'orgBound') {
  return async (event: Parameters<Actions[string]>[0]) => {
    const data = await event.request.formData();
    const id = field(data, 'id');
    if (!UUID.test(id)) return fail(400, { error: { title: translator(event.locals.lang)('errors.generic'), fields: {} as Record<string, string> }, values: { uscc: '' } });
    try {
      await run(accounts(event), id, data);
      return { done };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), { uscc: field(data, 'uscc') });
    }
  };
}

export const actions: Actions = {
  bindVehicle: command((api, id) => api.bindVehicle(id), 'bound'),
  /**
   * Unbinding asks first, and says what binding again will take (R-16.3,
   * a vehicle that is not the user's own needs a counter visit with
   * the owner's papers); only the second press, with `confirmed=yes`, unbinds.
   */
  unbindVehicle: async (event) => {
    const data = await event.request.clone().formData();
    if (field(data, 'confirmed') === 'yes') return command((api, id) => api.unbindVehicle(id), 'unbound')(event);
    const id = field(data, 'id');
    const bound = (await loadAccount(event, () => accounts(event).bindings())).vehicles.find((v) => v.id === id);
    if (!bound) return fail(404, { error: { title: translator(event.locals.lang)('errors.generic'), fields: {} as Record<string, string> }, values: { uscc: '' } });
    return { confirmUnbind: { id: bound.id, plateNo: bound.plateNo ?? '', binding: bound.binding } };
  },
  bindLicence: command((api, id) => api.bindLicence(id), 'bound'),
  unbindLicence: command((api, id) => api.unbindLicence(id), 'unbound'),
  bindToOrganisation: async (event) => {
    const data = await event.request.formData();
    const uscc = field(data, 'uscc').toUpperCase();
    const id = field(data, 'id');
    if (!uscc) return invalid({ uscc: translator(event.locals.lang)('accounts.required') }, { uscc });
    try {
      await accounts(event).bindLicenceToOrganisation(id, uscc);
      return { done: 'orgBound' as const };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), { uscc });
    }
  },
  unbindFromOrganisation: command((api, id, data) => api.unbindLicenceFromOrganisation(id, field(data, 'accountId')), 'unbound'),
};
