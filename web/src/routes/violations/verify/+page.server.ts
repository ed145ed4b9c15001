import { violations } from '$lib/server/violations';
import { reachBff } from '$lib/server/bff';
import type { PageServerLoad } from './$types';

/** The public check of a printed 处罚决定书 (no sign-in): number + verification code. */
export const load: PageServerLoad = async (event) => {
  const no = event.url.searchParams.get('no')?.trim() ?? '';
  const code = event.url.searchParams.get('code')?.trim() ?? '';
  if (!/^\d{20}$/.test(no) || !/^[0-9A-Za-z]{12}$/.test(code)) return { no, code, result: null, asked: no !== '' || code !== '' };
  const result = (await reachBff(event.locals.lang, () => violations(event).verify(no, code))).data;
  return { no, code, result, asked: true };
};
