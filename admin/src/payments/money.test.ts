import { describe, expect, it } from 'vitest';
import { formatFen } from './money.ts';

describe('money in the staff console', () => {
  it('X-5.8 totals in fen are shown to the fen, never through a float', () => {
    expect(formatFen(1)).toBe('¥0.01');
    expect(formatFen(10 + 20)).toBe('¥0.30');
    expect(formatFen(123_456_789)).toBe('¥1,234,567.89');
    expect(formatFen(-4_321)).toBe('-¥43.21');
    expect(formatFen(null)).toBe('—');
    expect(formatFen(0.5)).toBe('—');
  });
});
