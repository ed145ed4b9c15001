import { accounts, loadAccount } from '$lib/server/accounts';
import type { PageServerLoad } from './$types';

/** Who viewed my data (issue 17): every reveal of my ID number, phone, e-mail or address by staff. */
export const load: PageServerLoad = async (event) => ({ log: await loadAccount(event, () => accounts(event).dataAccess()) });
