import { error } from '@sveltejs/kit';
import { accounts, loadAccount } from '$lib/server/accounts';
import type { PageServerLoad } from './$types';

/** The SMS link: no sign-in, the token is the key; only this application's steps are shown. */
export const load: PageServerLoad = async (event) => {
  if (!/^[a-z2-7]{32}$/.test(event.params.token)) error(404, 'Not found');
  return { application: await loadAccount(event, () => accounts(event).track(event.params.token), { public: true }) };
};
