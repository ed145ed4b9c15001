import { expect, it } from 'vitest';
import { safeRedirect } from './forms.ts';

it('only follows redirects to paths on this site', () => {
  expect(safeRedirect('/account', '/')).toBe('/account');
  expect(safeRedirect('/outbox?x=1', '/')).toBe('/outbox?x=1');
  for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'account', '', null]) {
    expect(safeRedirect(bad, '/account')).toBe('/account');
  }
});
