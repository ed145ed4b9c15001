import { describe, expect, it } from 'vitest';
import { formatFen } from './money';

describe('money on the payment pages', () => {
  it('X-5.8 integer fen shown as yuan from the digits, never through a float', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(1)).toBe('¥0.01');
    expect(formatFen(15_050)).toBe('¥150.50');
    expect(formatFen(20_000)).toBe('¥200.00');
    expect(formatFen(123_456_789)).toBe('¥1,234,567.89');
    // 0.1 + 0.2 style drift cannot happen: 30 fen stays 30 fen
    expect(formatFen(10 + 20)).toBe('¥0.30');
    expect(formatFen(-600)).toBe('-¥6.00');
    expect(formatFen(1.5)).toBe('—');
  });
});
