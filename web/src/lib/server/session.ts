/** The bff's citizen session cookie (docs/api.md). */
export const SESSION_COOKIE = 'jg_session';
