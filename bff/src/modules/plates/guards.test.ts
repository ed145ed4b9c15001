/**
 * Guards of the plate rules that must break when the guard goes:
 * R-23.4's two-year ban follows the person (ID number), not the account;
 * one holder per plate number across every pool and one live preselection per
 * VIN (R-23.2), held by the database itself — written directly, and (VIN)
 * two users at once through the service.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv } from '../../../test/support.ts';
import { createApp } from '../../app.ts';
import { createSql } from '../../db.ts';
import { makeUsers, openPlan, preselectBody, runJobs, staffCookie, userCookie, vin, type TestUser } from './test-support.ts';

let env: TestEnv;
let plan: { id: string; poolSize: number };
let users: TestUser[];

describe('plate guards', () => {
  beforeAll(async () => {
    env = await testEnv({ start: '2026-11-23T02:00:00Z' }); // Monday 10:00 in Shanghai
    plan = await openPlan(env, () => staffCookie(env, 'sz.review'), { pattern: '4@@##' });
    users = await makeUsers(env.sql, 6, env.clock.now(), 7);
  });

  it('R-23.4 the two-year ban follows the person: the account cancelled and a new one opened, still banned', async () => {
    const u = users[0]!;
    const ps = await (await env.call('POST', '/api/v1/plates/preselections', { cookie: u.cookie, body: preselectBody(plan.id, u, vin(300), { serial: '4AB10' }) })).json();
    expect(ps.status).toBe('reserved');
    env.clock.set(new Date(new Date(ps.deadline).getTime() + 60_000));
    await runJobs(env);
    const banned = await (await env.call('GET', '/api/v1/plates/me', { cookie: await userCookie(env.sql, u.userId, env.clock.now()) })).json();
    expect(banned.ban).toMatchObject({ reason: 'overdue' });

    // the holder cancels the account online, then an account is opened again for the same person
    const cookie = await userCookie(env.sql, u.userId, env.clock.now());
    expect((await env.call('POST', '/api/v1/me/cancel', { cookie, body: { confirm: true } })).status).toBe(204);
    const [again] = await env.sql<{ id: string }[]>`
      INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, created_at)
      SELECT 'personal', 'new_car_owner', 'online', person_id, phone, ${env.clock.now()} FROM user_account WHERE id = ${u.userId}
      RETURNING id`;
    const fresh = await userCookie(env.sql, again!.id, env.clock.now());
    const me = await (await env.call('GET', '/api/v1/plates/me', { cookie: fresh })).json();
    expect(me.ban).toMatchObject({ reason: 'overdue', endsOn: banned.ban.endsOn });
    const refused = await env.call('POST', '/api/v1/plates/preselections', { cookie: fresh, body: preselectBody(plan.id, u, vin(301), { serial: '4AB11' }) });
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe('plates.banned');
  });

  it('R-24.2 one holder per plate number across every pool, even written directly to the database', async () => {
    const [n] = await env.sql<{ plate_no: string }[]>`SELECT plate_no FROM plate_number WHERE plan_id = ${plan.id} AND status = 'free' ORDER BY idx LIMIT 1`;
    await env.sql`UPDATE plate_number SET status = 'reserved', preselection_id = gen_random_uuid(), held_until = now() + interval '1 day' WHERE plan_id = ${plan.id} AND plate_no = ${n!.plate_no}`;
    await expect(env.sql.begin(async (tx) => {
      // a second pool holding the same number (a copy of the plan under a new id)
      await tx`CREATE TEMP TABLE plan_copy ON COMMIT DROP AS SELECT * FROM plate_segment_plan WHERE id = ${plan.id}`;
      const [copy] = await tx<{ id: string }[]>`UPDATE plan_copy SET id = gen_random_uuid() RETURNING id`;
      await tx`INSERT INTO plate_segment_plan SELECT * FROM plan_copy`;
      await tx`INSERT INTO plate_number (plan_id, idx, plate_no, status, preselection_id, held_until, updated_at)
               VALUES (${copy!.id}, 0, ${n!.plate_no}, 'reserved', gen_random_uuid(), now() + interval '1 day', now())`;
    })).rejects.toMatchObject({ constraint_name: 'plate_number_one_holder' });
  });

  it('R-23.2 one live preselection per VIN, even written directly to the database', async () => {
    const [live] = await env.sql<{ id: string; vin: string }[]>`SELECT id, vin FROM plate_preselection WHERE status IN ('drawing', 'reserved') LIMIT 1`;
    const owner = live ?? (await (await env.call('POST', '/api/v1/plates/preselections', { cookie: await userCookie(env.sql, users[1]!.userId, env.clock.now()), body: preselectBody(plan.id, users[1]!, vin(310), { serial: '4AC10' }) })).json());
    await expect(env.sql.begin(async (tx) => {
      await tx`CREATE TEMP TABLE ps_copy ON COMMIT DROP AS SELECT * FROM plate_preselection WHERE id = ${owner.id}`;
      await tx`UPDATE ps_copy SET id = gen_random_uuid(), reference = reference || 'X', user_account_id = ${users[2]!.userId}, status = 'drawing', plate_no = NULL, reserved_at = NULL, deadline = NULL`;
      await tx`INSERT INTO plate_preselection SELECT * FROM ps_copy`;
    })).rejects.toMatchObject({ constraint_name: 'plate_preselection_one_active_per_vin' });
  });

  describe('two users preselecting the same VIN at once', () => {
    it('R-23.2 one live preselection per VIN: exactly one wins, the other is told the VIN is taken', async () => {
      const pool = createSql(env.url, { max: 6 });
      try {
        const app = createApp({ ...env.deps, sql: pool });
        const contenders = await Promise.all(users.slice(3, 6).map(async (u) => ({ ...u, cookie: await userCookie(env.sql, u.userId, env.clock.now()) })));
        const v = vin(320);
        const answers = await Promise.all(contenders.map((u, i) => Promise.resolve(app.request('/api/v1/plates/preselections', {
          method: 'POST', headers: { cookie: u.cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
          body: JSON.stringify(preselectBody(plan.id, u, v, { serial: `4BC${20 + i}` })),
        }))));
        const codes = await Promise.all(answers.map(async (r) => `${r.status}${r.status >= 400 ? ` ${((await r.json()) as { code: string }).code}` : ''}`));
        expect(codes.sort()).toEqual(['201', '409 plates.vin_in_preselection', '409 plates.vin_in_preselection']);
        const [{ n }] = await env.sql<[{ n: number }]>`SELECT count(*)::int AS n FROM plate_preselection WHERE vin = ${v} AND status IN ('drawing', 'reserved')`;
        expect(n).toBe(1);
      } finally {
        await pool.end({ timeout: 1 });
      }
    });
  });
});
