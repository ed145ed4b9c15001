import { HttpError, type AuthProvider, type UserIdentity } from 'react-admin';
import { getJson, postJson } from '../shared/http.ts';
import { canAccess } from './access.ts';
import { sessionExpiry } from './session-expiry.ts';
import { readStaff, staffCache, type Staff } from './staff.ts';

export type SignInParams = { username: string; password: string; totp?: string };
/** After the first-sign-in enrolment: the same session now opens the console. */
export type EnrolledParams = { enrolled: true };

/** Signed in with the password, but the account has no second factor yet: the sign-in page shows the enrolment (issue 17). */
export const TOTP_ENROLMENT_REQUIRED = 'auth.totp_enrolment_required';
const enrolmentRequired = () =>
  new HttpError(TOTP_ENROLMENT_REQUIRED, 403, { code: TOTP_ENROLMENT_REQUIRED, title: TOTP_ENROLMENT_REQUIRED, status: 403 });

// react-admin calls checkAuth on every navigation; concurrent calls share one request.
let meInFlight: Promise<Staff> | null = null;
const fetchMe = (): Promise<Staff> => {
  meInFlight ??= getJson('/auth/me')
    .then(({ json }) => {
      const staff = readStaff(json);
      // an enrolment session is not signed in to the console
      if (staff.totpEnrolmentRequired) throw enrolmentRequired();
      staffCache.set(staff);
      return staff;
    })
    .finally(() => {
      meInFlight = null;
    });
  return meInFlight;
};

const currentStaff = async (): Promise<Staff> => staffCache.get() ?? fetchMe();

const statusOf = (error: unknown): number | undefined => (error as { status?: number } | null)?.status;

export const authProvider: AuthProvider = {
  /**
   * POST /admin-api/auth/sign-in. A `401 auth.totp_required` rejects with the
   * problem in `error.body`; the login page then asks for the 动态口令 and calls again.
   * An account without a second factor gets an enrolment session: this
   * rejects with `auth.totp_enrolment_required` and the login page shows the
   * enrolment, then calls `login({ enrolled: true })` (issue 17).
   */
  async login(params: SignInParams | EnrolledParams) {
    if ('enrolled' in params) {
      staffCache.clear();
      await fetchMe();
      sessionExpiry.signedIn();
      return;
    }
    const { username, password, totp } = params;
    const body: SignInParams = { username, password };
    if (totp) body.totp = totp.trim();
    const { json } = await postJson('/auth/sign-in', body);
    const staff = readStaff(json);
    if (staff.totpEnrolmentRequired) throw enrolmentRequired();
    staffCache.set(staff);
    sessionExpiry.signedIn();
  },

  async logout() {
    staffCache.clear();
    sessionExpiry.signedOut();
    try {
      await postJson('/auth/sign-out');
    } catch {
      // already signed out (401) or offline: the cookie is the bff's to expire
    }
  },

  async checkAuth() {
    try {
      await fetchMe();
    } catch (error) {
      // signed in a moment ago, gone now: the sign-in page says why
      if (statusOf(error) === 401 && staffCache.get()) sessionExpiry.noticeOnly();
      staffCache.clear();
      throw error;
    }
  },

  /**
   * Never rejects. Rejecting would make react-admin sign out and *resolve*
   * the failed call with empty data, so a mutation refused with 401 would run
   * its success path ("saved", redirect to an empty record). Instead the call
   * fails as it should, and the 401 has already started the sign-out once
   * (shared/http.ts → auth/session-expiry.ts → the layout), keeping what the
   * staff member was submitting.
   */
  async checkError(error: unknown) {
    if (statusOf(error) === 401) {
      staffCache.clear();
      sessionExpiry.ended();
    }
    // 403 (not your authority or role): stay signed in; the page shows the problem title.
  },

  async getPermissions() {
    try {
      return (await currentStaff()).roles;
    } catch {
      return [];
    }
  },

  async getIdentity(): Promise<UserIdentity> {
    const staff = await currentStaff();
    return {
      id: staff.id,
      fullName: staff.authorityName ? `${staff.displayName} · ${staff.authorityName}` : staff.displayName,
      displayName: staff.displayName,
      authorityName: staff.authorityName,
      roles: staff.roles,
    };
  },

  async canAccess({ resource, action }) {
    try {
      return canAccess((await currentStaff()).roles, resource, action);
    } catch {
      return false;
    }
  },
};

