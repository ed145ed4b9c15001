/**
 * RACE: the batch and the applications under real concurrency (ADR-033). Two
 * processes run the same plan's batch at once; a batch killed midway leaves
 * nothing and a rerun gives the same allocation; one learner applying twice at
 * once gets one application.
 */
import { describe, expect, it } from 'vitest';
import { concurrentApp, testEnv } from '../../../test/support.ts';
import { createSql } from '../../db.ts';
import { allocatePlan, checkAllocation } from './allocation.ts';
import { citizen, publish, QIU, SCHOOL_PERMITS, schoolApplications } from './testing.ts';

describe('RACE: exam allocation and applications under concurrency (X-4.4.8, ADR-033)', async () => {
  const env = await testEnv();
  const { app } = concurrentApp(env);
  await env.sql`DELETE FROM exam_application WHERE permit_id = ANY (${SCHOOL_PERMITS})`;
  const cutOff = new Date('2026-12-04T16:00:00Z');

  it('X-4.4.8 two processes allocate the same plan at once → one batch, one allocation row, ranks written once', async () => {
    const plan = await publish(env, { subject: 2, examDate: '2026-12-10', seats: 7 });
    await schoolApplications(env.sql, plan, SCHOOL_PERMITS.slice(0, 15), env.clock.now());
    // two pools = two bff processes
    const p1 = createSql(env.url, { max: 2 });
    const p2 = createSql(env.url, { max: 2 });
    try {
      const [a, b] = await Promise.all([
        p1.begin((tx) => allocatePlan(tx, plan, cutOff)),
        p2.begin((tx) => allocatePlan(tx, plan, cutOff)),
      ]);
      expect([a.kind, b.kind].sort()).toEqual(['allocated', 'already_allocated']);
    } finally {
      await p1.end();
      await p2.end();
    }
    const [n] = await env.sql<{ rows: number; allocated: number; sms: number; audit: number }[]>`
      SELECT (SELECT count(*)::int FROM exam_allocation WHERE plan_id = ${plan}) AS rows,
             (SELECT count(*)::int FROM exam_application WHERE plan_id = ${plan} AND status = 'allocated') AS allocated,
             (SELECT count(*)::int FROM audit_log WHERE action = 'exams.plan_allocated' AND entity_id = ${plan}) AS audit,
             (SELECT count(*)::int FROM audit_log WHERE action IN ('exams.allocated', 'exams.not_allocated') AND after->>'planId' = ${plan}) AS sms`;
    expect(n).toEqual({ rows: 1, allocated: 7, audit: 1, sms: 15 });
    expect(await checkAllocation(env.sql, plan)).toMatchObject({ matches: true });
  });

  it('X-4.4.8 a batch killed midway leaves nothing; the rerun gives the same allocation (same digest)', async () => {
    const plan = await publish(env, { subject: 2, examDate: '2026-12-11', seats: 2 });
    await schoolApplications(env.sql, plan, SCHOOL_PERMITS.slice(15, 20), env.clock.now());
    let digest = '';
    await expect(env.sql.begin(async (tx) => {
      const r = await allocatePlan(tx, plan, new Date('2026-12-05T16:00:00Z'));
      if (r.kind === 'allocated') digest = r.digest;
      throw new Error('killed');
    })).rejects.toThrow('killed');
    const [left] = await env.sql<{ n: number; status: string }[]>`
      SELECT (SELECT count(*)::int FROM exam_application WHERE plan_id = ${plan} AND rank IS NOT NULL) AS n, (SELECT status FROM exam_plan WHERE id = ${plan}) AS status`;
    expect(left).toEqual({ n: 0, status: 'open' });
    const again = await env.sql.begin((tx) => allocatePlan(tx, plan, new Date('2026-12-05T16:00:00Z')));
    expect(again).toMatchObject({ kind: 'allocated', digest, applicants: 5, allocated: 2 });
  });

  it('X-4.4.2 one learner applying for two plans of one subject at once → one application, the other 409', async () => {
    const a = await publish(env, { subject: 2, examDate: '2026-12-12', seats: 5 });
    const b = await publish(env, { subject: 2, examDate: '2026-12-13', seats: 5 });
    const cookie = await citizen(env, QIU.account);
    const post = async (planId: string) => {
      const r = await app.request('/api/v1/exams/applications', { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.8' }, body: JSON.stringify({ planId }) });
      return { status: r.status, code: ((await r.json()) as { code?: string }).code };
    };
    const answers = await Promise.all([post(a), post(b), post(a), post(b)]);
    expect(answers.filter((x) => x.status === 201)).toHaveLength(1);
    expect(answers.filter((x) => x.status === 409 && x.code === 'exams.already_applied')).toHaveLength(3);
  });
});
