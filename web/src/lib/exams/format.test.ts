import { describe, expect, it } from 'vitest';
import { keyTime } from './format.ts';

describe('keyTime (X-4.4.8: the key with its date)', () => {
  it('X-4.4.8 shows the full Beijing date and time of a rank key', () => {
    expect(keyTime('2026-10-10T00:30:00.000Z')).toBe('2026-10-10 08:30');
    expect(keyTime('2027-03-14T16:30:00.000Z')).toBe('2027-03-15 00:30');
  });
});
