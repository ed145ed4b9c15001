/**
 * Mutation-testing companions to rules-signin.test.ts (issue 18): cases that
 * pin down the edges StrykerJS showed were not asserted.
 */
import { describe, expect, it } from 'vitest';
import { personalWords } from './rules.ts';

describe('passwords (issue 17): the words an attacker knows', () => {
  it('the birth date is taken only from an 18-character resident ID number, not from other ID documents', () => {
    // A passport-like number is long enough to slice, but carries no birth date.
    expect(personalWords({ idNumber: 'E1234567890' })).toEqual(['E1234567890', '567890', '7890']);
    // 18 digits at the end of a longer string, or at the start of one, is not a resident ID.
    expect(personalWords({ idNumber: 'A440304198503122756' })).toEqual(['A440304198503122756', '122756', '2756']);
    expect(personalWords({ idNumber: '440304198503122756A' })).toEqual(['440304198503122756A', '22756A', '756A']);
  });
});
