import { accounts, loadAccount } from '$lib/server/accounts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ applications: await loadAccount(event, () => accounts(event).applications()) });
