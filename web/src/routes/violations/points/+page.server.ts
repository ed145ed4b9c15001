import { loadOrFail } from '$lib/server/replacements';
import { violations } from '$lib/server/violations';
import type { PageServerLoad } from './$types';

/** the points ledger per scoring cycle. */
export const load: PageServerLoad = async (event) => ({ ledger: await loadOrFail(event, () => violations(event).points()) });
