import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { ApiError, type DueSoon } from 'bff/client';
import { bffFor, reachBff } from '$lib/server/bff';
import { SESSION_COOKIE } from '$lib/server/session';
import { accounts } from '$lib/server/accounts';
import type { Actions, PageServerLoad } from './$types';

/** What is due soon (the hub); the account page still shows without it. */
async function dueSoon(event: RequestEvent): Promise<DueSoon | null> {
  try {
    return (await accounts(event).dueSoon()).data;
  } catch {
    return null;
  }
}

export const load: PageServerLoad = async (event) => {
  try {
    const { data: me } = await reachBff(event.locals.lang, () => bffFor(event).me());
    return { me, due: await dueSoon(event) };
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 401) {
      redirect(303, `/sign-in?redirectTo=${encodeURIComponent(event.url.pathname)}`);
    }
    if (e instanceof ApiError) error(e.problem.status, e.problem.title);
    throw e;
  }
};

async function signOut(event: RequestEvent, everywhere: boolean) {
  const api = bffFor(event);
  try {
    await (everywhere ? api.signOutEverywhere() : api.signOut());
  } catch (e) {
    // Already signed out (401) still ends here: the user wants to be signed out.
    if (!(e instanceof ApiError) || e.problem.status !== 401) throw e;
  }
  // Whatever the bff answered, this browser keeps no session cookie.
  event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
  redirect(303, '/');
}

export const actions: Actions = {
  signOut: (event) => signOut(event, false),
  signOutEverywhere: (event) => signOut(event, true),
};
