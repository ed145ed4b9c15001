import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';

/**
 * Every booking reads its vehicle's active booking (`vehicle_id = $1 AND
 * status = 'booked'`, repo.vehicleColumns). Only the unique per-vehicle index
 * may be able to answer it: another index whose predicate is just
 * `status = 'booked'` can be read whole instead, and a connection that plans
 * the statement while few bookings are active keeps that plan — every read
 * then scans every active booking (db/migrations/0006, issue 7).
 */
describe('inspection_booking indexes leave the planner one way to find a vehicle’s active booking (R-36.2.1 one booking per vehicle)', async () => {
  const env = await testEnv();

  it('no index but the unique per-vehicle one has the bare predicate status = booked', async () => {
    const rows = await env.sql<{ name: string }[]>`
      SELECT c.relname AS name
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'inspection_booking'::regclass AND i.indpred IS NOT NULL
        AND pg_get_expr(i.indpred, i.indrelid) = '(status = ''booked''::text)'`;
    expect(rows.map((r) => r.name)).toEqual(['inspection_booking_one_active_per_vehicle']);
  });
});
