import type { AuthProvider, UserIdentity } from 'react-admin';
import { getJson, postJson } from '../shared/http.ts';
import { canAccess } from './access.ts';
import { readStaff, staffCache, type Staff } from './staff.ts';

export type SignInParams = { username: string; password: string; totp?: string };

// react-admin calls checkAuth on every navigation; concurrent calls share one request.
let meInFlight: Promise<Staff> | null = null;
const fetchMe = (): Promise<Staff> => {
  meInFlight ??= getJson('/auth/me')
    .then(({ json }) => {
      const staff = readStaff(json);
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
   */
  async login({ username, password, totp }: SignInParams) {
    const body: SignInParams = { username, password };
    if (totp) body.totp = totp.trim();
    const { json } = await postJson('/auth/sign-in', body);
    staffCache.set(readStaff(json));
  },

  async logout() {
    staffCache.clear();
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
      staffCache.clear();
      throw error;
    }
  },

  async checkError(error: unknown) {
    const status = statusOf(error);
    if (status === 401) {
      staffCache.clear();
      throw error;
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

