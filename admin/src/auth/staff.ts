import type { StaffRole } from './access.ts';

/** `staff` as the bff answers it from sign-in and /auth/me (docs/api.md). */
export type Staff = {
  id: string;
  username: string;
  displayName: string;
  roles: StaffRole[];
  authorityId: string;
  authorityName: string;
  totpEnabled?: boolean;
  /** no second factor yet: the session opens only the enrolment (issue 17) */
  totpEnrolmentRequired?: boolean;
};

const KEY = 'jg.admin.staff';

// Only the public profile is kept (the session secret lives in the httpOnly cookie),
// in sessionStorage so it dies with the tab and a reload does not flash an empty menu.
let current: Staff | null = null;

export const staffCache = {
  get(): Staff | null {
    if (current) return current;
    try {
      const raw = globalThis.sessionStorage?.getItem(KEY);
      current = raw ? (JSON.parse(raw) as Staff) : null;
    } catch {
      current = null;
    }
    return current;
  },
  set(staff: Staff) {
    current = staff;
    try {
      globalThis.sessionStorage?.setItem(KEY, JSON.stringify(staff));
    } catch {
      /* storage full or disabled: the memory copy is enough */
    }
  },
  clear() {
    current = null;
    try {
      globalThis.sessionStorage?.removeItem(KEY);
    } catch {
      /* nothing to clear */
    }
  },
};

/** /auth/me and sign-in answer `{ staff }`; a bare staff object is accepted too. */
export const readStaff = (json: unknown): Staff => {
  const candidate = (json as { staff?: unknown } | null)?.staff ?? json;
  const s = candidate as Partial<Staff> | null;
  if (!s || typeof s.id !== 'string' || !Array.isArray(s.roles)) {
    throw new Error('ra.notification.bad_item');
  }
  return s as Staff;
};
