/**
 * A staff session that ends during an action (the bff answers `401
 * auth.required`): the action is reported as failed (never as done), the
 * staff member is sent to sign in again once, comes back to the same page,
 * and finds the form they were submitting filled in as they left it.
 *
 * Forms tell this module what they submit ({@link sessionExpiry.submitting});
 * the HTTP client reports the 401 ({@link sessionExpiry.ended}); the layout
 * listens and signs out; the form takes its draft back after sign-in.
 * Drafts live in sessionStorage: they die with the tab, and only the staff
 * member who typed them gets them back.
 */

const NOTICE_KEY = 'jg.admin.sessionEnded';
const DRAFT_KEY = 'jg.admin.draft';
/** A submit older than this is not what the 401 interrupted. */
const DRAFT_WINDOW_MS = 2 * 60_000;
/** A draft no form took back within this time (the dialog is gone, the staff member went elsewhere) is dropped. */
const DRAFT_TTL_MS = 30 * 60_000;

/** Why the sign-in page is shown: an action was refused, or the session was found gone on a page load. */
export type SessionEndNotice = 'action' | 'idle';

export type Draft = { key: string; staffId: string | null; values: Record<string, unknown>; at: number };

let submitted: Draft | null = null;
let ending = false;
const listeners = new Set<() => void>();

const storage = (): Storage | undefined => {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
};

/** Files and anything else JSON cannot carry are left out: those inputs are filled again by hand. */
export const draftValues = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (typeof Blob !== 'undefined' && value instanceof Blob) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(draftValues);
  if ('rawFile' in value) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = draftValues(v);
    if (kept !== undefined) out[k] = kept;
  }
  return out;
};

export const sessionExpiry = {
  /** A form starts submitting these values (as typed). */
  submitting(key: string, staffId: string | null, values: Record<string, unknown>) {
    submitted = { key, staffId, values: draftValues(values) as Record<string, unknown>, at: Date.now() };
  },

  /** The submit is over; unless the session ended meanwhile, there is nothing to keep. */
  settled(key: string) {
    if (!ending && submitted?.key === key) submitted = null;
  },

  /** The bff said the session is gone: keep the interrupted form's values and sign out, once. */
  ended() {
    if (ending) return;
    ending = true;
    const s = storage();
    try {
      s?.setItem(NOTICE_KEY, 'action');
      if (submitted && Date.now() - submitted.at < DRAFT_WINDOW_MS) s?.setItem(DRAFT_KEY, JSON.stringify(submitted));
    } catch {
      /* storage full or disabled: signing in again still works, the values are lost */
    }
    submitted = null;
    for (const listener of [...listeners]) listener();
  },

  /** The session was found gone without an action (a page load): only the sign-in page's notice. */
  noticeOnly() {
    try {
      if (!storage()?.getItem(NOTICE_KEY)) storage()?.setItem(NOTICE_KEY, 'idle');
    } catch {
      /* no notice then */
    }
  },

  /** For the layout: sign out when the session ends. Answers the unsubscribe. */
  onEnded(listener: () => void): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },

  /** What the sign-in page should say: that the session ended during an action (typed values are kept), or while idle. */
  noticePending(): SessionEndNotice | null {
    try {
      const notice = storage()?.getItem(NOTICE_KEY);
      return notice === 'action' || notice === 'idle' ? notice : null;
    } catch {
      return null;
    }
  },

  /** Signed in again: the notice is done; the draft waits for its form. */
  signedIn() {
    ending = false;
    try {
      storage()?.removeItem(NOTICE_KEY);
    } catch {
      /* nothing to clear */
    }
  },

  /** Signed out on purpose: nothing typed is kept. */
  signedOut() {
    if (ending) return;
    submitted = null;
    try {
      storage()?.removeItem(DRAFT_KEY);
      storage()?.removeItem(NOTICE_KEY);
    } catch {
      /* nothing to clear */
    }
  },

  /** The values a form of this key was submitting when the session ended, for the same staff member; once. */
  takeDraft(key: string, staffId: string | null): Record<string, unknown> | undefined {
    const s = storage();
    let draft: Draft | null;
    try {
      const raw = s?.getItem(DRAFT_KEY);
      draft = raw ? (JSON.parse(raw) as Draft) : null;
    } catch {
      draft = null;
    }
    if (!draft || draft.key !== key) return undefined;
    try {
      s?.removeItem(DRAFT_KEY);
    } catch {
      /* it is read once anyway */
    }
    return draft.staffId === staffId && Date.now() - draft.at < DRAFT_TTL_MS ? draft.values : undefined;
  },
};
