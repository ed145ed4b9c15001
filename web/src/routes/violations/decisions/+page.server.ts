import { loadOrFail } from '$lib/server/replacements';
import { violations } from '$lib/server/violations';
import type { PageServerLoad } from './$types';

/** every decision of my bound vehicles and licence, unpaid first, with today's amount. */
export const load: PageServerLoad = async (event) => ({ list: await loadOrFail(event, () => violations(event).decisions()) });
