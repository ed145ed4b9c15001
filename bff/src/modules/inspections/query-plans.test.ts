/**
 * Issue 23, ADR-040 "Batched reads look up by key": the batched read of
 * bookings reads each request's session by its id, whatever the statistics
 * say (test/query-plans.ts).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { plansOf, readsOf } from '../../../test/query-plans.ts';
import { testEnv } from '../../../test/support.ts';
import * as repo from './repo.ts';

describe('the batched booking read looks up by key', async () => {
  const env = await testEnv();

  it("each request's deferred session by its id", async () => {
    const reqs = [0, 1].map((n) => ({ who: { sessionId: `${n}`.repeat(64) }, vehicleId: randomUUID(), slotId: randomUUID(), idem: undefined }));
    const [plan] = await plansOf(env.url, /FROM session s/, (sql) => repo.bookingInputsBatch(sql, reqs));
    expect(readsOf(plan!, 'session', 'i.session_id')).toEqual(['lookup']);
  });
});
