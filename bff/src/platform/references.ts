/**
 * Random reference numbers and what happens when one is drawn twice (ADR-041).
 *
 * A booking's code (40 random bits), an exam application's reference (30 bits
 * a day of exams) and an archive case's number (32 bits a day) are short, to
 * be read out on the phone, and so they do repeat: with 150,000 bookings on
 * record a new booking code is already taken about once in 7 million draws,
 * and repeats are certain within a province's years of bookings (a counter
 * prefill's code, 50 bits, is the fourth user). Each has a UNIQUE
 * constraint. The work that draws one runs again with a fresh draw when that
 * constraint refuses it, so the citizen gets a reference that is theirs alone
 * instead of a 500.
 */
import { randomBytes } from 'node:crypto';
import { isPgError, PG } from '../core/errors.ts';

/** Where the references' random bytes come from. A test replaces `bytes` to draw a reference that is taken. */
export const referenceSource = { bytes: (n: number): Uint8Array => randomBytes(n) };

/** How many draws before the collision is left to fail: five draws all taken would mean the space is full, not bad luck. */
export const REFERENCE_TRIES = 5;

/**
 * Runs `work`, which draws its reference itself; when the reference's unique
 * constraint (one of `constraints`) refuses the write, runs it again — with a
 * new draw, up to {@link REFERENCE_TRIES} times. `work` must be all-or-nothing
 * (one statement or one transaction): the refused try wrote nothing.
 */
export async function withFreshReference<T>(constraints: readonly string[], work: (tryNo: number) => Promise<T>): Promise<T> {
  for (let tryNo = 1; ; tryNo++) {
    try {
      return await work(tryNo);
    } catch (e) {
      if (tryNo < REFERENCE_TRIES && isPgError(e, PG.uniqueViolation) && constraints.includes(e.constraint_name ?? '')) continue;
      throw e;
    }
  }
}
