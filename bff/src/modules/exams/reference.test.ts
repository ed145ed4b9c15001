/**
 * An application's reference is the exam date and six characters drawn at
 * random (rules.applicationReference): 30 bits a day of exams, so two of a
 * busy day's applications draw the same one (at the birthday bound, likely
 * past some 40,000 applications for a date). The unique index refuses the
 * second; the application is made again with another reference (ADR-041)
 * instead of answering 500. The draw is forced here through `referenceSource`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { referenceSource } from '../../platform/references.ts';
import { applicationReference } from './rules.ts';
import { citizen, publish, QIU, SCHOOL_PERMITS } from './testing.ts';

const realBytes = referenceSource.bytes;
afterEach(() => {
  referenceSource.bytes = realBytes;
});

describe('X-4.4.1 an application reference drawn twice: the application is made with another', async () => {
  const env = await testEnv(); // 2026-11-25 10:00 Asia/Shanghai
  await env.sql`DELETE FROM exam_application WHERE permit_id = ANY (${SCHOOL_PERMITS})`;

  it('X-4.4.1 the second holder of a reference applies under a new one; SMS and audit carry it', async () => {
    const plan = await publish(env, { subject: 2, examDate: '2026-12-14', seats: 3 });
    const taken = new Uint8Array([3, 14, 15, 92, 65, 35]);
    const TAKEN = applicationReference('2026-12-14', taken);
    // a school learner's application already holds it
    await env.sql`INSERT INTO exam_application (reference, plan_id, permit_id, user_account_id, subject, rank_key_at, rank_key_kind, applied_at)
      SELECT ${TAKEN}, ${plan}, id, NULL, 2, accepted_at, 'accepted', ${env.clock.now()} FROM learner_permit WHERE id = ${SCHOOL_PERMITS[0]!}`;
    let draws = 0;
    referenceSource.bytes = (n) => (n === taken.length && ++draws <= 2 ? taken : realBytes(n));
    const res = await env.call('POST', '/api/v1/exams/applications', { cookie: await citizen(env, QIU.account), body: { planId: plan } });
    const a = await res.json();
    expect(res.status, JSON.stringify(a)).toBe(201);
    expect(draws).toBe(3); // two forced draws refused, the third taken
    expect(a.reference).not.toBe(TAKEN);
    expect(a.reference).toMatch(/^EX20261214[A-HJ-NP-Z2-9]{6}$/);
    const [row] = await env.sql<{ apps: number; sms: string; audit: string }[]>`
      SELECT (SELECT count(*)::int FROM exam_application WHERE plan_id = ${plan}) AS apps,
             (SELECT payload->>'reference' FROM outbox_message WHERE dedupe_key = ${`exams.applied:${a.id}`}) AS sms,
             (SELECT after->>'reference' FROM audit_log WHERE action = 'exams.applied' AND entity_id = ${a.id}) AS audit`;
    expect(row).toEqual({ apps: 2, sms: a.reference, audit: a.reference });
  });
});
