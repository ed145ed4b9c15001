/**
 * withFreshReference (ADR-041): a random reference refused by its own unique
 * constraint is drawn again; anything else is not retried.
 */
import { describe, expect, it } from 'vitest';
import { testEnv } from '../../test/support.ts';
import { PREFILL_CODE_KEY } from '../modules/accounts/counter.repo.ts';
import { REFERENCE_TRIES, withFreshReference } from './references.ts';

const violation = (constraint_name: string) => Object.assign(new Error('duplicate key'), { code: '23505', constraint_name });

describe('platform/references: withFreshReference', async () => {
  const env = await testEnv();

  it('draws again while its constraint refuses, and gives up after REFERENCE_TRIES draws', async () => {
    const tries: number[] = [];
    await expect(withFreshReference(['ref_key'], async (n) => {
      tries.push(n);
      if (n < 3) throw violation('ref_key');
      return 'made';
    })).resolves.toBe('made');
    expect(tries).toEqual([1, 2, 3]);
    let n = 0;
    await expect(withFreshReference(['ref_key'], async () => {
      n++;
      throw violation('ref_key');
    })).rejects.toMatchObject({ constraint_name: 'ref_key' });
    expect(n).toBe(REFERENCE_TRIES);
  });

  it('does not retry another unique violation or another error', async () => {
    for (const e of [violation('one_open_per_subject'), new Error('boom')]) {
      let n = 0;
      await expect(withFreshReference(['ref_key'], async () => {
        n++;
        throw e;
      })).rejects.toBe(e);
      expect(n).toBe(1);
    }
  });

  it('a counter prefill whose code is taken is refused under PREFILL_CODE_KEY, so createPrefill draws again', async () => {
    const now = env.clock.now();
    const until = new Date(now.getTime() + 86_400_000);
    await env.sql`INSERT INTO account_prefill (code, form, created_at, expires_at) VALUES ('ABCDEFGH23', '{}', ${now}, ${until})`;
    const e = await env.sql`INSERT INTO account_prefill (code, form, created_at, expires_at) VALUES ('ABCDEFGH23', '{}', ${now}, ${until})`.catch((x: unknown) => x);
    expect(e).toMatchObject({ code: '23505', constraint_name: PREFILL_CODE_KEY });
  });
});
