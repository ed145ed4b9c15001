import { error } from '@sveltejs/kit';
import { accounts, loadAccount } from '$lib/server/accounts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!/^YH\d{19}$/.test(event.params.ref)) error(404, 'Not found');
  return { application: await loadAccount(event, () => accounts(event).application(event.params.ref)) };
};
