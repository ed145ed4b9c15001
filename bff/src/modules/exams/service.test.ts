import { describe, expect, it } from 'vitest';
import { testEnv, staffSessionCookie, type TestEnv } from '../../../test/support.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { jobHandlers } from '../index.ts';
import { checkAllocation } from './allocation.ts';
import { citizen, operator, ORG_ACCOUNT, publish, QIU, SCHOOL_PERMITS, schoolApplications, STATION, WEN } from './testing.ts';

const runJobs = (env: TestEnv) => runDueJobs(env.deps, jobHandlers, env.clock.now(), 500);

describe('exam booking by rank (X-4.4, PD-13)', async () => {
  const env = await testEnv(); // 2026-11-25 10:00 Asia/Shanghai
  const qiu = await citizen(env, QIU.account);
  const start = env.clock.now();
  // the seeded competitors of the e2e plan free their permits for these stories
  await env.sql`DELETE FROM exam_application WHERE permit_id = ANY (${SCHOOL_PERMITS})`;
  const planA = await publish(env, { subject: 2, examDate: '2026-12-10', seats: 3 }); // closes 2026-12-05 00:00+08

  it('X-4.4.1 / X-4.4.8: a learner applies and sees rank, key with its date, seats and projected outcome; SMS and audit', async () => {
    const res = await env.call('POST', '/api/v1/exams/applications', { cookie: qiu, body: { planId: planA } });
    expect(res.status).toBe(201);
    const a = await res.json();
    expect(a).toMatchObject({ status: 'applied', rank: 1, rankKey: { at: '2026-10-10T00:30:00.000Z', kind: 'last_exam' }, projected: 'within_seats', plan: { seats: 3, applicants: 1 }, receipt: null });
    expect(a.reference).toMatch(/^EX20261210[A-Z2-9]{6}$/);
    const [n] = await env.sql<{ sms: number; audit: number }[]>`
      SELECT (SELECT count(*)::int FROM outbox_message WHERE template = 'exams.applied' AND recipient = ${QIU.phone}) AS sms,
             (SELECT count(*)::int FROM audit_log WHERE action = 'exams.applied' AND entity_id = ${a.id}) AS audit`;
    expect(n).toEqual({ sms: 1, audit: 1 });
    // competitors with earlier and later keys move the rank while collecting
    await schoolApplications(env.sql, planA, SCHOOL_PERMITS.slice(0, 5), start);
    const again = await (await env.call('GET', `/api/v1/exams/applications/${a.id}`, { cookie: qiu })).json();
    expect(again).toMatchObject({ rank: 3, projected: 'within_seats', plan: { applicants: 6 } });
    // nobody else's application: 404
    const other = await citizen(env, WEN.account);
    expect((await env.call('GET', `/api/v1/exams/applications/${a.id}`, { cookie: other })).status).toBe(404);
  });

  it('X-4.4.1 / PD-6: an organisation account cannot book; a person without permit is told why', async () => {
    const org = await citizen(env, ORG_ACCOUNT);
    const res = await env.call('POST', '/api/v1/exams/applications', { cookie: org, body: { planId: planA } });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('exams.units_cannot_book');
    const zhang = await citizen(env, '50000000-0000-4000-8000-000000000001');
    const r2 = await env.call('POST', '/api/v1/exams/applications', { cookie: zhang, body: { planId: planA } });
    expect(r2.status).toBe(422);
    expect((await r2.json()).code).toBe('exams.no_permit');
  });

  it('X-4.4.3: a learner inside the waiting period is refused at the plan field with the date she may book', async () => {
    const wen = await citizen(env, WEN.account);
    const res = await env.call('POST', '/api/v1/exams/applications', { cookie: wen, body: { planId: planA }, headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).toBe(422);
    const p = await res.json();
    expect(p).toMatchObject({ code: 'exams.waiting_period', params: { from: '2027-03-02', days: 10 } });
    expect(p.detail).toContain('2027-03-02');
    expect(p.errors?.[0]?.field ?? p.field ?? 'planId').toBe('planId');
    const permits = await (await env.call('GET', '/api/v1/exams/permits', { cookie: wen })).json();
    expect(permits.permits[0].subjects[1]).toMatchObject({ subject: 2, bookable: false, mayBookFrom: '2027-03-02' });
    // nothing was written
    const [n] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM exam_application WHERE permit_id = ${WEN.permit}`;
    expect(n!.n).toBe(0);
  });

  it('X-4.4.2: one open application per subject; 科目三 before passing 科目二 is refused', async () => {
    const planB = await publish(env, { subject: 2, examDate: '2026-12-11', seats: 5 });
    const dup = await env.call('POST', '/api/v1/exams/applications', { cookie: qiu, body: { planId: planB } });
    expect(dup.status).toBe(409);
    expect((await dup.json()).code).toBe('exams.already_applied');
    const plan3 = await publish(env, { subject: 3, examDate: '2026-12-12', seats: 5 });
    const r3 = await env.call('POST', '/api/v1/exams/applications', { cookie: qiu, body: { planId: plan3 } });
    expect(r3.status).toBe(422);
    expect((await r3.json())).toMatchObject({ code: 'exams.subject_order', params: { required: 2 } });
  });

  it('X-4.4.7: a plan less than ten days ahead is refused; after the cut-off no application is taken', async () => {
    const op = await operator(env);
    const res = await env.call('POST', '/admin-api/exam-plans', { cookie: op, body: { subject: 2, classes: ['C1'], examDate: '2026-12-04', session: 'am', seats: 10 } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'exams.publish_too_late', params: { earliest: '2026-12-05' } });
    const [n] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM exam_plan WHERE exam_date = '2026-12-04'`;
    expect(n!.n).toBe(0);
  });

  it('X-4.4.8 / ADR-033: at the cut-off one batch allocates by rank; SMS, 预约凭证, public ledger and a matching check', async () => {
    env.clock.set('2026-12-04T16:00:00Z'); // 2026-12-05 00:00 Asia/Shanghai
    await runJobs(env);
    const [x] = await env.sql<{ status: string }[]>`SELECT status FROM exam_plan WHERE id = ${planA}`;
    expect(x!.status).toBe('allocated');
    const mine = (await (await env.call('GET', '/api/v1/exams/applications', { cookie: await citizen(env, QIU.account) })).json()).applications.find((a: { plan: { id: string } }) => a.plan.id === planA);
    expect(mine).toMatchObject({ status: 'allocated', rank: 3, receipt: { rank: 3, examDate: '2026-12-10', stationName: '深圳市机动车驾驶人考试中心' } });
    const [sms] = await env.sql<{ template: string; payload: { rank: number; reference: string } }[]>`
      SELECT template, payload FROM outbox_message WHERE recipient = ${QIU.phone} AND template LIKE 'exams.%allocated'`;
    expect(sms).toMatchObject({ template: 'exams.allocated', payload: { rank: 3, reference: mine.reference } });
    const ledger = await (await env.call('GET', `/api/v1/public/exam-plans/${planA}/ledger`)).json();
    expect(ledger.rows).toHaveLength(6);
    expect(ledger.rows.map((r: { outcome: string }) => r.outcome)).toEqual(['allocated', 'allocated', 'allocated', 'not_allocated', 'not_allocated', 'not_allocated']);
    expect(ledger.rows[2].reference).toMatch(/^\*+[A-Z2-9]{4}$/);
    expect(ledger.rows[2].reference.slice(-4)).toBe(mine.reference.slice(-4));
    // keys ascend along the ranks: anyone can check the order
    const keys = ledger.rows.map((r: { rankKey: { at: string } }) => r.rankKey.at);
    expect([...keys].sort()).toEqual(keys);
    expect(await checkAllocation(env.sql, planA)).toMatchObject({ matches: true });
    // a second run of the job (or a rerun) changes nothing
    await env.sql`INSERT INTO job (kind, payload, run_at, created_at) VALUES ('exams.allocate', ${env.sql.json({ planId: planA })}, ${env.clock.now()}, ${env.clock.now()})`;
    await runJobs(env);
    const [c] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM exam_allocation WHERE plan_id = ${planA}`;
    expect(c!.n).toBe(1);
  });

  it('X-4.4.6: after the cut-off no online cancellation; 受理岗 cancels at the counter until the day before, and the key moves', async () => {
    const qiuNow = await citizen(env, QIU.account);
    const mine = (await (await env.call('GET', '/api/v1/exams/applications', { cookie: qiuNow })).json()).applications.find((a: { plan: { id: string } }) => a.plan.id === planA);
    const res = await env.call('POST', `/api/v1/exams/applications/${mine.id}/cancel`, { cookie: qiuNow });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('exams.cancel_after_cut_off');
    // a school learner cancels at the counter
    const [school] = await env.sql<{ id: string; permit_id: string }[]>`SELECT id, permit_id FROM exam_application WHERE plan_id = ${planA} AND rank = 1`;
    const intake = await staffSessionCookie(env, 'sz.intake');
    const ok = await env.call('POST', `/admin-api/exam-results/${school!.id}/counter-cancel`, { cookie: intake });
    expect(ok.status).toBe(200);
    expect((await ok.json()).status).toBe('cancelled');
    const [p] = await env.sql<{ last_cancelled_at: Date }[]>`SELECT last_cancelled_at FROM learner_permit WHERE id = ${school!.permit_id}`;
    expect(p!.last_cancelled_at.toISOString()).toBe(env.clock.now().toISOString());
    const [audit] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'exams.cancelled_at_counter' AND entity_id = ${school!.id}`;
    expect(audit!.n).toBe(1);
    // on the exam day it is too late even at the counter
    env.clock.set('2026-12-10T02:00:00Z');
    const [other] = await env.sql<{ id: string }[]>`SELECT id FROM exam_application WHERE plan_id = ${planA} AND rank = 2`;
    const late = await env.call('POST', `/admin-api/exam-results/${other!.id}/counter-cancel`, { cookie: await staffSessionCookie(env, 'sz.intake') });
    expect(late.status).toBe(422);
    expect((await late.json())).toMatchObject({ code: 'exams.cancel_too_late', params: { lastDay: '2026-12-09' } });
  });

  it('X-4.4.6 / X-4.4.5 / X-4.4.8: a no-show is a fail, moves the rank key to its time and blocks re-booking for ten days', async () => {
    const op = await operator(env);
    const [mine] = await env.sql<{ id: string }[]>`SELECT id FROM exam_application WHERE plan_id = ${planA} AND permit_id = ${QIU.permit}`;
    const res = await env.call('POST', `/admin-api/exam-results/${mine!.id}/result`, { cookie: op, body: { first: 'absent' } });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('absent');
    const qiuNow = await citizen(env, QIU.account);
    const permits = await (await env.call('GET', '/api/v1/exams/permits', { cookie: qiuNow })).json();
    expect(permits.permits[0]).toMatchObject({ rankKey: { at: '2026-12-10T00:30:00.000Z', kind: 'no_show' } });
    expect(permits.permits[0].subjects[1]).toMatchObject({ sittings: 1, rebookFrom: '2026-12-20', bookable: false });
    const next = await publish(env, { subject: 2, examDate: '2026-12-28', seats: 5 });
    const r = await env.call('POST', '/api/v1/exams/applications', { cookie: qiuNow, body: { planId: next } });
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ code: 'exams.rebook_wait', params: { from: '2026-12-20' } });
    // ten days later: allowed, with the new key
    env.clock.set('2026-12-19T16:00:00Z');
    const ok = await env.call('POST', '/api/v1/exams/applications', { cookie: await citizen(env, QIU.account), body: { planId: next } });
    expect(ok.status).toBe(201);
    expect((await ok.json()).rankKey).toEqual({ at: '2026-12-10T00:30:00.000Z', kind: 'no_show' });
    const [sms] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox_message WHERE recipient = ${QIU.phone} AND template = 'exams.result'`;
    expect(sms!.n).toBe(1);
    // the sitting's case is in the electronic archive once, with the result
    const archived = await env.sql<{ result: string }[]>`SELECT content->'data'->>'result' AS result FROM archive_record
      WHERE business_type = 'exam' AND case_ref = (SELECT reference FROM exam_application WHERE id = ${mine!.id})`;
    expect(archived.map((r) => r.result)).toEqual(['absent']);
  });

  it('X-4.4.4: the fifth failed sitting of 科目二 voids the permit', async () => {
    const permitId = SCHOOL_PERMITS[10]!;
    await env.sql`UPDATE learner_permit SET sittings2 = 4 WHERE id = ${permitId}`;
    env.clock.set('2026-11-25T02:00:00Z');
    const plan = await publish(env, { subject: 2, examDate: '2026-12-15', seats: 5, session: 'pm' });
    await schoolApplications(env.sql, plan, [permitId], env.clock.now());
    env.clock.set('2026-12-09T16:00:00Z');
    await runJobs(env); // extended: seats left
    env.clock.set('2026-12-11T16:00:00Z');
    await runJobs(env);
    const [a] = await env.sql<{ id: string; status: string }[]>`SELECT id, status FROM exam_application WHERE plan_id = ${plan}`;
    expect(a!.status).toBe('allocated');
    env.clock.set('2026-12-15T08:00:00Z');
    const res = await env.call('POST', `/admin-api/exam-results/${a!.id}/result`, { cookie: await operator(env), body: { first: 'fail', retake: 'fail' } });
    expect(res.status).toBe(200);
    const [p] = await env.sql<{ status: string; sittings2: number; void_reason: string }[]>`SELECT status, sittings2, void_reason FROM learner_permit WHERE id = ${permitId}`;
    expect(p).toEqual({ status: 'void', sittings2: 5, void_reason: 'fifth_failed_sitting' });
  });

  it('X-4.4.7: at the 5th day a plan with seats left stays open until the 3rd day', async () => {
    env.clock.set('2026-11-25T02:00:00Z');
    const plan = await publish(env, { subject: 1, examDate: '2026-12-20', seats: 50 });
    env.clock.set('2026-12-14T16:00:00Z');
    await runJobs(env);
    const [x] = await env.sql<{ status: string; extended: boolean; closes_at: Date }[]>`SELECT status, extended, closes_at FROM exam_plan WHERE id = ${plan}`;
    expect(x).toEqual({ status: 'open', extended: true, closes_at: new Date('2026-12-16T16:00:00Z') });
    env.clock.set('2026-12-16T16:00:00Z');
    await runJobs(env);
    const [y] = await env.sql<{ status: string }[]>`SELECT status FROM exam_plan WHERE id = ${plan}`;
    expect(y!.status).toBe('allocated');
  });

  it('X-4.4.9: a change of exam station counts; the fourth is refused', async () => {
    env.clock.set('2026-11-25T02:00:00Z');
    const [other] = await env.sql<{ id: string }[]>`INSERT INTO exam_station (name, authority_id, address) VALUES ('深圳市第二考场', '440300', '深圳市宝安区') RETURNING id`;
    await env.sql`UPDATE staff_member SET exam_station_id = ${other!.id} WHERE username = 'exam.szks'`;
    const plan = await publish(env, { subject: 2, examDate: '2026-12-21', seats: 5 });
    await env.sql`UPDATE staff_member SET exam_station_id = ${STATION} WHERE username = 'exam.szks'`;
    const permitId = SCHOOL_PERMITS[12]!;
    await env.sql`UPDATE learner_permit SET location_changes = 3 WHERE id = ${permitId}`;
    // the school learner gets an account to apply online
    const [acc] = await env.sql<{ id: string }[]>`INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, status)
      SELECT 'personal', 'learner', 'online', person_id, '19866019999', 'active' FROM learner_permit WHERE id = ${permitId} RETURNING id`;
    const res = await env.call('POST', '/api/v1/exams/applications', { cookie: await citizen(env, acc!.id), body: { planId: plan } });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('exams.location_changes');
    await env.sql`UPDATE learner_permit SET location_changes = 2 WHERE id = ${permitId}`;
    const ok = await env.call('POST', '/api/v1/exams/applications', { cookie: await citizen(env, acc!.id), body: { planId: plan } });
    expect(ok.status).toBe(201);
    const [p] = await env.sql<{ location_changes: number; exam_station_id: string }[]>`SELECT location_changes, exam_station_id FROM learner_permit WHERE id = ${permitId}`;
    expect(p).toEqual({ location_changes: 3, exam_station_id: other!.id });
  });

  it('X-4.4.7 / ADR-033: 管理岗 sees each batch with its digest, a matching check and the anomalies; staff lists mask ID numbers', async () => {
    const review = await staffSessionCookie(env, 'sz.review');
    const list = await env.call('GET', '/admin-api/exam-allocations', { cookie: review });
    expect(list.status).toBe(200);
    const rows = await list.json();
    const a = rows.find((r: { id: string }) => r.id === planA);
    expect(a).toMatchObject({ status: 'allocated', allocation: { allocated: 3 }, anomalies: [] });
    const show = await (await env.call('GET', `/admin-api/exam-allocations/${planA}`, { cookie: review })).json();
    expect(show.check).toMatchObject({ matches: true });
    expect(show.allocation.digest).toBe(show.check.stored);
    // a plan whose batch did not run after its cut-off is an anomaly
    const [late] = await env.sql<{ id: string }[]>`SELECT id FROM exam_plan WHERE status = 'open' AND closes_at < ${env.clock.now()} LIMIT 1`;
    if (late) expect(rows.find((r: { id: string }) => r.id === late.id)?.anomalies).toContain('allocation_overdue');
    const results = await (await env.call('GET', `/admin-api/exam-results?filter=${encodeURIComponent(JSON.stringify({ planId: planA }))}`, { cookie: review })).json();
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.idNumberMasked).toMatch(/\*/);
    // another city's 管理岗 sees none of 深圳's plans
    const gz = await staffSessionCookie(env, 'gz.intake');
    const other = await (await env.call('GET', `/admin-api/exam-results?filter=${encodeURIComponent(JSON.stringify({ planId: planA }))}`, { cookie: gz })).json();
    expect(other).toEqual([]);
  });
});
