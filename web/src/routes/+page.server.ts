import { ApiError, type UserDto } from 'bff/client';
import { bffFor } from '$lib/server/bff';
import { SESSION_COOKIE } from '$lib/server/session';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  let user: UserDto | null = null;
  if (event.cookies.get(SESSION_COOKIE)) {
    try {
      user = (await bffFor(event).me()).data.user;
    } catch (e) {
      // The home page works for everyone: an expired session or a bff that is
      // down only means no greeting.
      if (!(e instanceof ApiError)) console.warn('bff unreachable', e);
    }
  }
  return { user };
};
