import { error } from '@sveltejs/kit';
import { exams } from '$lib/server/exams';
import { loadOrFail } from '$lib/server/inspections';
import type { PageServerLoad } from './$types';

/** The public ledger of an allocated plan (PD-13): rank, masked reference, key, outcome. */
export const load: PageServerLoad = async (event) => {
  if (!/^[0-9a-f-]{36}$/i.test(event.params.id)) error(404, 'Not found');
  return { ledger: await loadOrFail(event, () => exams(event).ledger(event.params.id)) };
};
