/**
 * Issue 23, ADR-040 "Batched reads look up by key": the batched reads of plate
 * requests read each request's rows by key, whatever the statistics say. In a
 * rush the preselections are young and many, their table's statistics those of
 * an empty table; a read flattened into a hash join then scanned every
 * preselection once per batch. Nested loops are priced out here, so only a
 * read that cannot be anything but a lookup passes (test/query-plans.ts).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { plansOf, readsOf } from '../../../test/query-plans.ts';
import { testEnv } from '../../../test/support.ts';
import * as repo from './repo.ts';

describe('batched plate reads look up by key', async () => {
  const env = await testEnv();
  const reqs = [{ userId: randomUUID(), preselectionId: randomUUID() }, { userId: randomUUID(), preselectionId: randomUUID() }];

  it("the answers (preselection views): each preselection by its request's keys", async () => {
    const [plan] = await plansOf(env.url, /FROM plate_preselection ps/, (sql) => repo.preselectionViews(sql, reqs.map((r) => ({ id: r.preselectionId, userId: r.userId }))));
    expect(readsOf(plan!, 'plate_preselection', 'i.', 'ps')).toEqual(['lookup']);
  });

  it("a pick's and a draw's reads: each preselection by its request's keys, a draw's pending commitment by its preselection", async () => {
    const [pick] = await plansOf(env.url, /FROM plate_preselection ps/, (sql) => repo.pickReadsBatch(sql, reqs));
    expect(readsOf(pick!, 'plate_preselection', 'i.', 'ps')).toEqual(['lookup']);
    const [draw] = await plansOf(env.url, /FROM plate_preselection ps/, (sql) => repo.drawReadsBatch(sql, reqs));
    expect(readsOf(draw!, 'plate_preselection', 'i.', 'ps')).toEqual(['lookup']);
    expect(readsOf(draw!, 'plate_draw_commitment', 'ps.id', 'c')).toEqual(['lookup']);
  });

  it("a start's reads: each vehicle by its VIN", async () => {
    const today = env.clock.now().toISOString().slice(0, 10);
    const [plan] = await plansOf(env.url, /FROM vehicle v/, (sql) =>
      repo.startReadsBatch(sql, reqs.map((r, n) => ({ userId: r.userId, planId: randomUUID(), vin: `LBV${n}TESTPLAN00000`.slice(0, 17), today, now: env.clock.now(), drawsUsed: true, calendar: false }))),
    );
    expect(readsOf(plan!, 'vehicle', 'i.', 'v')).toEqual(['lookup']);
  });
});
