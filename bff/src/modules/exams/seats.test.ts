/**
 * Issue 20, the rest (ADR-039): the projected date every applicant sees, a
 * freed seat going to the next waiting rank (durable job; two concurrent job
 * runs), 受理岗 issuing the learner permit, and 管理岗 exporting a plan's
 * results and revealing one ID number.
 */
import { describe, expect, it } from 'vitest';
import { staffSessionCookie, testEnv, type TestEnv } from '../../../test/support.ts';
import { createSql } from '../../db.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { jobHandlers } from '../index.ts';
import { checkAllocation } from './allocation.ts';
import { citizen, publish, QIU, SCHOOL_PERMITS, schoolApplications } from './testing.ts';

const runJobs = (env: TestEnv) => runDueJobs(env.deps, jobHandlers, env.clock.now(), 500);
const LIU = { licenceApplication: 'a0000000-0000-4000-8000-000000000801', person: '10000000-0000-4000-8000-000000000043', idNumber: '440304196604039717', phone: '13603016703' };

describe('exam seats, projected dates, learner permits and results export (X-4.4, ADR-039)', async () => {
  const env = await testEnv(); // 2026-11-25 10:00 Asia/Shanghai
  await env.sql`DELETE FROM exam_application WHERE permit_id = ANY (${SCHOOL_PERMITS})`;
  const start = env.clock.now();
  const counterCancel = async (id: string) => {
    const r = await env.call('POST', `/admin-api/exam-results/${id}/counter-cancel`, { cookie: await staffSessionCookie(env, 'sz.intake') });
    expect(r.status).toBe(200);
  };

  it('X-4.4.8 / PD-13: the applicant sees a projected date — the first plan at which the seats, added up in date order, reach her rank; "no date yet" beyond them', async () => {
    const a = await publish(env, { subject: 2, examDate: '2026-12-14', seats: 2 });
    const b = await publish(env, { subject: 2, examDate: '2026-12-16', seats: 1, session: 'pm' });
    const qiu = await citizen(env, QIU.account);
    const res = await env.call('POST', '/api/v1/exams/applications', { cookie: qiu, body: { planId: a } });
    expect(res.status).toBe(201);
    const mine = await res.json();
    expect(mine).toMatchObject({ rank: 1, projectedDate: { examDate: '2026-12-14', session: 'am' } });
    // the two school learners with earlier keys put her third: plan A's two seats, then plan B's one
    await schoolApplications(env.sql, a, SCHOOL_PERMITS.slice(0, 2), start);
    const again = await (await env.call('GET', `/api/v1/exams/applications/${mine.id}`, { cookie: qiu })).json();
    expect(again).toMatchObject({ rank: 3, projected: 'beyond_seats', projectedDate: { examDate: '2026-12-16', session: 'pm' } });
    // without later plans at her station for her subject and class: no date yet
    await env.sql`UPDATE exam_plan SET status = 'cancelled' WHERE id <> ${a} AND status = 'open' AND subject = 2`;
    const none = await (await env.call('GET', `/api/v1/exams/applications/${mine.id}`, { cookie: qiu })).json();
    expect(none.projectedDate).toEqual({ examDate: null, session: null });
    await env.sql`UPDATE exam_plan SET status = 'open' WHERE id = ${b}`;
    // the page's plans are one index range scan
    const plan = await env.sql<{ 'QUERY PLAN': string }[]>`EXPLAIN SELECT y.exam_date FROM exam_plan x JOIN exam_plan y ON y.station_id = x.station_id AND y.subject = x.subject
      AND (y.exam_date, y.session) >= (x.exam_date, x.session) AND y.status = 'open' WHERE x.id = ${a}`;
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).not.toMatch(/Seq Scan on exam_plan y/);
  });

  it('X-4.4.6 / X-4.4.8: an allocated applicant cancels at the counter → the seat goes to the next waiting rank by a durable job, with SMS and audit', async () => {
    // QIU is rank 3 of plan A (two seats): not allocated at the cut-off
    env.clock.set('2026-12-08T16:00:00Z'); // 2026-12-09 00:00+08: plan A's cut-off
    await runJobs(env);
    const [a] = await env.sql<{ id: string }[]>`SELECT plan_id AS id FROM exam_application WHERE permit_id = ${QIU.permit} AND status = 'not_allocated'`;
    expect(a).toBeDefined();
    const planA = a!.id;
    const [first] = await env.sql<{ id: string }[]>`SELECT id FROM exam_application WHERE plan_id = ${planA} AND rank = 1`;
    await counterCancel(first!.id);
    const [job] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM job WHERE kind = 'exams.reallocate' AND status = 'queued' AND dedupe_key = ${first!.id}`;
    expect(job!.n).toBe(1); // durable, queued in the cancellation's transaction
    await runJobs(env);
    const mine = (await (await env.call('GET', '/api/v1/exams/applications', { cookie: await citizen(env, QIU.account) })).json()).applications.find((x: { plan: { id: string } }) => x.plan.id === planA);
    expect(mine).toMatchObject({ status: 'allocated', rank: 3, receipt: { rank: 3, examDate: '2026-12-14' } });
    const [n] = await env.sql<{ sms: number; audit: number; held: number }[]>`
      SELECT (SELECT count(*)::int FROM outbox_message WHERE template = 'exams.reallocated' AND recipient = ${QIU.phone}) AS sms,
             (SELECT count(*)::int FROM audit_log WHERE action = 'exams.reallocated' AND entity_id = ${mine.id}) AS audit,
             (SELECT count(*)::int FROM exam_application WHERE plan_id = ${planA} AND status = 'allocated') AS held`;
    expect(n).toEqual({ sms: 1, audit: 1, held: 2 });
    // the ledger shows the current outcome; the batch still checks
    const ledger = await (await env.call('GET', `/api/v1/public/exam-plans/${planA}/ledger`)).json();
    expect(ledger.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['cancelled', 'allocated', 'allocated']);
    expect(await checkAllocation(env.sql, planA)).toMatchObject({ matches: true });
    // a rerun of the job gives nothing more
    await env.sql`INSERT INTO job (kind, payload, run_at, created_at) VALUES ('exams.reallocate', ${env.sql.json({ planId: planA })}, ${env.clock.now()}, ${env.clock.now()})`;
    await runJobs(env);
    const [again] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'exams.reallocated'
      AND entity_id IN (SELECT id::text FROM exam_application WHERE plan_id = ${planA})`;
    expect(again!.n).toBe(1);
  });

  it('RACE X-4.4.8: two freed seats processed by two concurrent job runs (two processes) → each seat to exactly one waiting applicant', async () => {
    env.clock.set('2026-11-25T02:00:00Z');
    const plan = await publish(env, { subject: 2, examDate: '2026-12-18', seats: 2 });
    await schoolApplications(env.sql, plan, SCHOOL_PERMITS.slice(5, 11), env.clock.now());
    env.clock.set('2026-12-12T16:00:00Z'); // its cut-off
    await runJobs(env);
    const ranked = await env.sql<{ id: string; rank: number; status: string }[]>`SELECT id, rank, status FROM exam_application WHERE plan_id = ${plan} ORDER BY rank`;
    expect(ranked.map((r) => r.status)).toEqual(['allocated', 'allocated', 'not_allocated', 'not_allocated', 'not_allocated', 'not_allocated']);
    await runJobs(env); // nothing else due
    await counterCancel(ranked[0]!.id);
    await counterCancel(ranked[1]!.id);
    const jobs = await env.sql<{ id: number; payload: Record<string, unknown> }[]>`
      SELECT id, payload FROM job WHERE kind = 'exams.reallocate' AND status = 'queued' AND payload->>'planId' = ${plan} ORDER BY id`;
    expect(jobs).toHaveLength(2);
    // Each job run as the worker runs it (claim, mark done, handler, commit) on its own pool — two processes.
    // The first holds its transaction open after its handler, so the second runs while the first is uncommitted.
    const handler = jobHandlers['exams.reallocate']!;
    const p1 = createSql(env.url, { max: 2 });
    const p2 = createSql(env.url, { max: 2 });
    const now = env.clock.now();
    const runJob = (pool: typeof p1, j: (typeof jobs)[number], hold?: () => Promise<void>) => pool.begin(async (tx) => {
      await tx`SELECT id FROM job WHERE id = ${j.id} FOR UPDATE SKIP LOCKED`;
      await tx`UPDATE job SET status = 'done', attempts = attempts + 1, finished_at = ${now} WHERE id = ${j.id}`;
      await handler({ tx, job: { id: j.id, kind: 'exams.reallocate', payload: j.payload, attempts: 0, runAt: now }, now, deps: env.deps });
      if (hold) await hold();
    });
    try {
      let started!: () => void;
      const firstIn = new Promise<void>((r) => (started = r));
      await Promise.all([
        runJob(p1, jobs[0]!, async () => { started(); await new Promise((r) => setTimeout(r, 400)); }),
        firstIn.then(() => runJob(p2, jobs[1]!)),
      ]);
    } finally {
      await p1.end();
      await p2.end();
    }
    const after = await env.sql<{ id: string; rank: number; status: string }[]>`SELECT id, rank, status FROM exam_application WHERE plan_id = ${plan} ORDER BY rank`;
    expect(after.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'allocated', 'allocated', 'not_allocated', 'not_allocated']);
    const audits = await env.sql<{ entity_id: string }[]>`SELECT entity_id FROM audit_log WHERE action = 'exams.reallocated' AND entity_id = ANY (${after.map((r) => r.id)})`;
    expect(audits.map((r) => r.entity_id).sort()).toEqual([after[2]!.id, after[3]!.id].sort());
    const [held] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM exam_application WHERE plan_id = ${plan} AND status = 'allocated'`;
    expect(held!.n).toBe(2);
  });

  it('X-4.4.6: a seat freed on the exam day is not re-allocated', async () => {
    const [x] = await env.sql<{ plan_id: string }[]>`SELECT plan_id FROM exam_application WHERE permit_id = ${QIU.permit} AND status = 'allocated'`;
    env.clock.set('2026-12-14T01:00:00Z');
    await env.sql`UPDATE exam_application SET status = 'cancelled', cancelled_at = ${env.clock.now()} WHERE plan_id = ${x!.plan_id} AND status = 'allocated' AND permit_id <> ${QIU.permit}`;
    await env.sql`INSERT INTO job (kind, payload, run_at, created_at) VALUES ('exams.reallocate', ${env.sql.json({ planId: x!.plan_id })}, ${env.clock.now()}, ${env.clock.now()})`;
    await runJobs(env);
    const [n] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM exam_application WHERE plan_id = ${x!.plan_id} AND status = 'allocated'`;
    expect(n!.n).toBe(1);
  });

  it('X-4.4.8 / ADR-039: the rank page answers while a batch holds the plan and rewrites its applications — it waits on no lock', async () => {
    env.clock.set('2026-11-25T02:00:00Z');
    const plan = await publish(env, { subject: 2, examDate: '2026-12-22', seats: 2 });
    const permitId = SCHOOL_PERMITS[16]!;
    const [acc] = await env.sql<{ id: string }[]>`INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, status)
      SELECT 'personal', 'learner', 'online', person_id, '19866019998', 'active' FROM learner_permit WHERE id = ${permitId} RETURNING id`;
    const cookie = await citizen(env, acc!.id);
    const applied = await env.call('POST', '/api/v1/exams/applications', { cookie, body: { planId: plan } });
    expect(applied.status).toBe(201);
    const mine = await applied.json();
    await schoolApplications(env.sql, plan, SCHOOL_PERMITS.slice(17, 19), env.clock.now());
    // a batch in another session: the plan locked FOR UPDATE, every application rewritten, not committed
    const batch = await env.sql.reserve();
    try {
      await batch`BEGIN`;
      await batch`SELECT id FROM exam_plan WHERE id = ${plan} FOR UPDATE`;
      await batch`UPDATE exam_application SET status = 'allocated', rank = 1 WHERE plan_id = ${plan}`;
      const t = performance.now();
      const page = await Promise.race([
        env.call('GET', `/api/v1/exams/applications/${mine.id}`, { cookie }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the rank page waited on the batch')), 3000)),
      ]);
      expect(page.status).toBe(200);
      expect(await page.json()).toMatchObject({ status: 'applied', rank: 1, plan: { applicants: 3 }, projectedDate: { examDate: '2026-12-22' } });
      expect(performance.now() - t).toBeLessThan(3000);
    } finally {
      await batch`ROLLBACK`;
      batch.release();
    }
  });

  it('X-4.4.1 / X-4.4.3 / X-4.4.4: 受理岗 issues the learner permit after an accepted first application — waiting period and three-year validity start; audit and SMS; a second issue is 409', async () => {
    env.clock.set('2026-11-25T02:00:00Z');
    const intake = await staffSessionCookie(env, 'sz.intake');
    const res = await env.call('POST', '/admin-api/learner-permits', { cookie: intake, body: { licenceApplicationId: LIU.licenceApplication } });
    expect(res.status).toBe(201);
    const p = await res.json();
    expect(p).toMatchObject({
      class: 'C1', status: 'active', issuedOn: '2026-11-25', validUntil: '2029-11-24', subject2From: '2026-12-05', subject3From: '2026-12-25',
      rankKey: { at: '2026-11-10T02:20:00.000Z', kind: 'accepted' }, personName: '刘建华',
    });
    expect(p.idNumberMasked).not.toContain(LIU.idNumber.slice(6, 14));
    const [n] = await env.sql<{ audit: number; sms: number; by: string }[]>`
      SELECT (SELECT count(*)::int FROM audit_log WHERE action = 'exams.permit_issued' AND entity_id = ${p.id} AND actor_kind = 'staff') AS audit,
             (SELECT count(*)::int FROM outbox_message WHERE template = 'exams.permit_issued' AND recipient = ${LIU.phone}) AS sms,
             (SELECT s.username FROM learner_permit l JOIN staff_member s ON s.id = l.issued_by WHERE l.id = ${p.id}) AS by`;
    expect(n).toEqual({ audit: 1, sms: 1, by: 'sz.intake' });
    const twice = await env.call('POST', '/admin-api/learner-permits', { cookie: intake, body: { licenceApplicationId: LIU.licenceApplication } });
    expect(twice.status).toBe(409);
    expect((await twice.json()).code).toBe('exams.permit_exists');
    // the exam station and 管理岗 do not issue; another city's 受理岗 does not find it
    expect((await env.call('POST', '/admin-api/learner-permits', { cookie: await staffSessionCookie(env, 'exam.szks'), body: { licenceApplicationId: LIU.licenceApplication } })).status).toBe(403);
    expect((await env.call('POST', '/admin-api/learner-permits', { cookie: await staffSessionCookie(env, 'sz.review'), body: { licenceApplicationId: LIU.licenceApplication } })).status).toBe(403);
    const gz = await env.call('POST', '/admin-api/learner-permits', { cookie: await staffSessionCookie(env, 'gz.intake'), body: { licenceApplicationId: LIU.licenceApplication } });
    expect(gz.status).toBe(404);
    // 管理岗 reads it in the list
    const list = await (await env.call('GET', `/admin-api/learner-permits?filter=${encodeURIComponent(JSON.stringify({ q: '刘建华' }))}`, { cookie: await staffSessionCookie(env, 'sz.review') })).json();
    expect(list.map((r: { id: string }) => r.id)).toEqual([p.id]);
  });

  it('X-4.4.1: a first application not (or no longer) accepted gets no permit', async () => {
    await env.sql`UPDATE licence_application SET status = 'withdrawn' WHERE id = 'e5000000-0000-4000-8000-000000001802'`;
    await env.sql`DELETE FROM learner_permit WHERE licence_application_id = 'e5000000-0000-4000-8000-000000001802'`;
    const r = await env.call('POST', '/admin-api/learner-permits', { cookie: await staffSessionCookie(env, 'sz.intake'), body: { licenceApplicationId: 'e5000000-0000-4000-8000-000000001802' } });
    expect(r.status).toBe(422);
    expect((await r.json()).code).toBe('exams.permit_application_not_accepted');
  });

  it('X-4.4.8 results: 管理岗 exports a plan\'s results as CSV with masked ID numbers (audited) and reveals one full ID number with a reason (audited, in the citizen\'s access log)', async () => {
    const [x] = await env.sql<{ plan_id: string; id: string }[]>`SELECT plan_id, id FROM exam_application WHERE permit_id = ${QIU.permit} AND status = 'allocated'`;
    const review = await staffSessionCookie(env, 'sz.review');
    const csv = await env.call('GET', `/admin-api/exam-results/export.csv?filter=${encodeURIComponent(JSON.stringify({ planId: x!.plan_id }))}`, { cookie: review });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split('\n')[0]).toContain('身份证明号码');
    expect(text).toContain('邱志远');
    const [qiu] = await env.sql<{ id_number: string }[]>`SELECT id_number FROM person WHERE id = (SELECT person_id FROM learner_permit WHERE id = ${QIU.permit})`;
    expect(text).not.toContain(qiu!.id_number);
    expect(text).toContain(`${qiu!.id_number.slice(0, 6)}`);
    const [exported] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'data_access.exported' AND entity_id = 'exam-results'`;
    expect(exported!.n).toBe(1);
    // the exam station's operator and 受理岗 do not export
    expect((await env.call('GET', '/admin-api/exam-results/export.csv', { cookie: await staffSessionCookie(env, 'sz.intake') })).status).toBe(403);
    const reveal = await env.call('POST', `/admin-api/exam-results/${x!.id}/reveal`, { cookie: review, body: { field: 'idNumber', reason: '考生身份核对：窗口来电复核' } });
    expect(reveal.status).toBe(200);
    expect(await reveal.json()).toMatchObject({ field: 'idNumber', kind: 'id_number', value: qiu!.id_number });
    const [log] = await env.sql<{ audit: number; access: number }[]>`
      SELECT (SELECT count(*)::int FROM audit_log WHERE action = 'data_access.revealed' AND after->>'recordId' = ${x!.id} AND after->>'reason' = '考生身份核对：窗口来电复核') AS audit,
             (SELECT count(*)::int FROM personal_data_access WHERE resource = 'exam-results' AND record_id = ${x!.id} AND user_account_id = ${QIU.account}) AS access`;
    expect(log).toEqual({ audit: 1, access: 1 });
    // the province's 管理岗 reads 深圳's plans; 受理岗 does not reveal here
    const gd = await env.call('POST', `/admin-api/exam-results/${x!.id}/reveal`, { cookie: await staffSessionCookie(env, 'gd.review'), body: { field: 'idNumber', reason: '省级抽查' } });
    expect(gd.status).toBe(200);
    const sz = await env.call('POST', `/admin-api/exam-results/${x!.id}/reveal`, { cookie: await staffSessionCookie(env, 'sz.intake'), body: { field: 'idNumber', reason: '核对' } });
    expect(sz.status).toBe(403);
  });
});
