/** Fixtures of the exams tests: the seeded learners (db/seed/exams.ts) and plans made at the test clock. */
import type { Sql } from '../../db.ts';
import type { TestEnv } from '../../../test/support.ts';
import { staffSessionCookie, userSessionCookie } from '../../../test/support.ts';

const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const QIU = { account: '50000000-0000-4000-8000-000000001801', permit: id('e2', 1801), phone: '19866010001' };
export const WEN = { account: '50000000-0000-4000-8000-000000001802', permit: id('e2', 1802), phone: '19866010002' };
/** The driving school's twenty learners (no account): permits e2…1803 … 1822. */
export const SCHOOL_PERMITS = Array.from({ length: 20 }, (_, i) => id('e2', 1803 + i));
export const STATION = id('e1', 1);
export const ORG_ACCOUNT = '50000000-0000-4000-8000-000000000003';

export const citizen = (env: TestEnv, account: string) => userSessionCookie(env, account);
export const operator = (env: TestEnv) => staffSessionCookie(env, 'exam.szks');

/** The operator publishes a plan through the API; answers its id. */
export async function publish(env: TestEnv, body: { subject: 1 | 2 | 3; examDate: string; seats: number; session?: 'am' | 'pm'; classes?: string[] }) {
  const res = await env.call('POST', '/admin-api/exam-plans', { cookie: await operator(env), body: { classes: ['C1', 'C2'], session: 'am', ...body } });
  if (res.status !== 201) throw new Error(`publish: ${res.status} ${await res.text()}`);
  return (await res.json()).id as string;
}

/** Applications of school learners for a plan (as a driving school's counter booking would), with their permits' keys. */
export async function schoolApplications(sql: Sql, planId: string, permits: string[], now: Date) {
  for (const [i, p] of permits.entries()) {
    await sql`INSERT INTO exam_application (reference, plan_id, permit_id, user_account_id, subject, rank_key_at, rank_key_kind, applied_at)
      SELECT ${`EXT${planId.slice(0, 4)}${String(i).padStart(5, '0')}`}, ${planId}, id, NULL, (SELECT subject FROM exam_plan WHERE id = ${planId}),
             GREATEST(accepted_at, coalesce(last_exam_at, accepted_at)), CASE WHEN last_exam_at > accepted_at THEN 'last_exam' ELSE 'accepted' END, ${now}
      FROM learner_permit WHERE id = ${p}`;
  }
}
