import { describe, expect, it } from 'vitest';
import { parseSetCookie, rewriteSetCookie } from './set-cookie.ts';

const session =
  'jg_session=abc234def; Path=/; Domain=127.0.0.1; HttpOnly; Secure; SameSite=Lax; Max-Age=2592000; Expires=Fri, 25 Dec 2026 08:00:00 GMT';

describe('parseSetCookie', () => {
  it('keeps the session cookie attributes and drops the bff domain', () => {
    expect(parseSetCookie(session, true)).toEqual({
      name: 'jg_session',
      value: 'abc234def',
      attributes: {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'lax',
        maxAge: 2592000,
        expires: new Date('2026-12-25T08:00:00Z'),
      },
    });
  });

  it('does not mark cookies Secure for plain http (localhost)', () => {
    expect(parseSetCookie(session, false)?.attributes.secure).toBe(false);
    expect(parseSetCookie('a=1; SameSite=None; Secure', false)?.attributes.sameSite).toBe('lax');
  });

  it('reads a sign-out cookie that expires at once', () => {
    expect(parseSetCookie('jg_session=; Path=/; Max-Age=0; HttpOnly', false)).toMatchObject({
      value: '',
      attributes: { maxAge: 0, httpOnly: true },
    });
  });

  it('ignores malformed headers', () => {
    expect(parseSetCookie('no-equals-sign', false)).toBeNull();
    expect(parseSetCookie('=value', false)).toBeNull();
  });
});

describe('rewriteSetCookie', () => {
  it('writes the header back without Domain, Secure only on https', () => {
    expect(rewriteSetCookie(session, false)).toBe(
      'jg_session=abc234def; Path=/; Max-Age=2592000; Expires=Fri, 25 Dec 2026 08:00:00 GMT; HttpOnly; SameSite=Lax',
    );
    expect(rewriteSetCookie(session, true)).toContain('; HttpOnly; Secure; SameSite=Lax');
  });
});
