import { describe, expect, it } from 'vitest';
import { deadlineText } from './deadline.ts';

describe('deadlineText (R-12.2: one working day from submission)', () => {
  it('shows 00:00 Beijing of Tuesday as Monday 24:00', () => {
    expect(deadlineText('2026-11-30T16:00:00.000Z')).toBe('2026-11-30 24:00');
  });
  it('keeps a malformed value as it is', () => {
    expect(deadlineText('soon')).toBe('soon');
  });
});
