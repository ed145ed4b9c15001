/**
 * CHAOS: a real job of the production bff — the expiry of an overdue plate
 * reservation (R-23.4: number back to the pool, two-year ban, audit row, SMS)
 * — is interrupted by `kill -9` in the middle of its run, after it has
 * released the number, ended the reservation, written the ban and the audit
 * row, and while it waits to queue the SMS. It must run again and do its work
 * exactly once, even with two bff processes competing for it afterwards.
 *
 * The interruption point is made, not hoped for: the test holds an
 * uncommitted outbox row with the SMS's dedupe key, so the job's own insert
 * waits on it; the process is killed while it waits.
 * (src/platform/jobs.test.ts covers the same in-process with a bare worker.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../support.ts';
import { citizens, REVIEW_STAFF, startBff, waitFor, type BffProcess } from './support.ts';

describe('CHAOS a job killed mid-run', async () => {
  const env = await testEnv();
  const { sql } = env;
  const bffs: BffProcess[] = [];
  afterAll(async () => {
    await Promise.all(bffs.map((b) => b.stop()));
  });

  it('R-23.4 reservation expiry interrupted by kill -9 runs again and releases the number, bans and texts exactly once', async () => {
    const [who] = await citizens(sql, 9001, 1, { sessions: false });
    // An open segment with a small pool, one number reserved by a preselection whose deadline has passed.
    const [plan] = await sql<{ id: string }[]>`
      INSERT INTO plate_segment_plan (authority_id, prefix, plate_kind, pattern, size, start_at, status, created_by, created_at, submitted_by, submitted_at,
        approval_kind, approval_authority_id, approval_ref, approval_recorded_by, approval_recorded_at, published_by, published_at,
        build_started_by, build_started_at, build_finished_at, build_total, build_cursor, pool_size, pool_version, opened_by, opened_at, updated_at)
      VALUES ('440300', '粤B', 'small_blue', '9Z###', 1000, now() - interval '10 days', 'open', ${REVIEW_STAFF}, now() - interval '20 days', ${REVIEW_STAFF}, now() - interval '20 days',
        'filed', '440000', 'chaos', ${REVIEW_STAFF}, now() - interval '19 days', ${REVIEW_STAFF}, now() - interval '18 days',
        ${REVIEW_STAFF}, now() - interval '12 days', now() - interval '12 days', 1000, 1000, 1000, 1, ${REVIEW_STAFF}, now() - interval '10 days', now())
      RETURNING id`;
    await sql`
      INSERT INTO plate_number (plan_id, idx, plate_no, status, updated_at)
      SELECT ${plan!.id}, g, '粤B9Z' || lpad(g::text, 3, '0'), 'free', now() FROM generate_series(0, 999) g`;
    const plateNo = '粤B9Z123';
    const [ps] = await sql<{ id: string }[]>`
      INSERT INTO plate_preselection (reference, user_account_id, plan_id, authority_id, mode, vin, owner_id_type, owner_id_number, owner_name, phone,
                                      plate_no, status, created_at, reserved_at, deadline)
      SELECT 'CHAOS-JOB-1', ${who!.userId}, ${plan!.id}, '440300', 'self', 'LSVCH0010TC009001', p.id_type, p.id_number, p.name, ${who!.phone},
             ${plateNo}, 'reserved', now() - interval '5 days', now() - interval '5 days', now() - interval '1 hour'
      FROM user_account ua JOIN person p ON p.id = ua.person_id WHERE ua.id = ${who!.userId}
      RETURNING id`;
    await sql`UPDATE plate_number SET status = 'reserved', preselection_id = ${ps!.id}, held_until = now() - interval '1 hour' WHERE plan_id = ${plan!.id} AND plate_no = ${plateNo}`;
    const [job] = await sql<{ id: number }[]>`
      INSERT INTO job (kind, payload, run_at, dedupe_key, created_at)
      VALUES ('plates.reservation_deadline', ${sql.json({ preselectionId: ps!.id })}, now() - interval '1 hour', ${ps!.id}, now() - interval '5 days')
      RETURNING id`;

    const effects = async () => {
      const [e] = await sql<{ ps: string; number: string; bans: number; audit: number; sms: number; sms_events: number; job: string; attempts: number }[]>`
        SELECT (SELECT status FROM plate_preselection WHERE id = ${ps!.id}) AS ps,
               (SELECT status FROM plate_number WHERE plan_id = ${plan!.id} AND plate_no = ${plateNo}) AS number,
               (SELECT count(*)::int FROM plate_ban WHERE preselection_id = ${ps!.id}) AS bans,
               (SELECT count(*)::int FROM audit_log WHERE entity_id = ${ps!.id} AND action = 'plates.reservation_expired') AS audit,
               (SELECT count(*)::int FROM outbox_message WHERE dedupe_key = ${`plates.cancelled:${ps!.id}`}) AS sms,
               (SELECT count(*)::int FROM outbox_event e JOIN outbox_message m ON m.id = e.message_id WHERE m.dedupe_key = ${`plates.cancelled:${ps!.id}`} AND e.status = 'pending') AS sms_events,
               (SELECT status FROM job WHERE id = ${job!.id}) AS job,
               (SELECT attempts FROM job WHERE id = ${job!.id}) AS attempts`;
      return e!;
    };
    const untouched = { ps: 'reserved', number: 'reserved', bans: 0, audit: 0, sms: 0, job: 'queued', attempts: 0 };
    expect(await effects()).toMatchObject(untouched);

    // The blocker: an uncommitted SMS row with the job's dedupe key.
    const blocker = await sql.reserve();
    await blocker`BEGIN`;
    await blocker`
      INSERT INTO outbox_message (channel, recipient, template, dedupe_key, status, next_attempt_at, created_at, updated_at)
      VALUES ('sms', ${who!.phone}, 'plates.cancelled', ${`plates.cancelled:${ps!.id}`}, 'pending', now(), now(), now())`;
    let blockerOpen = true;
    try {
      const first = await startBff(env.url);
      bffs.push(first);
      // The worker claims the job and does its work up to the SMS, where it waits on the blocker's row.
      const waiting = await waitFor('the job to wait on the SMS row', async () => {
        const rows = await sql<{ pid: number }[]>`
          SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO outbox_message%' AND pid <> pg_backend_pid()`;
        return rows[0]?.pid;
      }, 30_000, 50);
      // Mid-run: claimed (locked), its writes made but not committed, so invisible.
      expect(await sql`SELECT id FROM job WHERE id = ${job!.id} FOR UPDATE SKIP LOCKED`).toHaveLength(0);
      expect(await effects()).toMatchObject(untouched);

      await first.kill9();
      await blocker`ROLLBACK`;
      blockerOpen = false;
      // The orphaned backend finishes its statement, finds its client gone and rolls everything back.
      await waitFor('the killed worker’s transaction to end', async () => (await sql`SELECT 1 FROM pg_stat_activity WHERE pid = ${waiting}`).length === 0, 30_000);
      expect(await effects()).toMatchObject(untouched);

      // Two processes come up; one of them runs the job again, once.
      bffs.push(await startBff(env.url), await startBff(env.url));
      await waitFor('the job to be done', async () => (await effects()).job === 'done', 30_000, 100);
      await new Promise((r) => setTimeout(r, 2500)); // more worker ticks of both processes: nothing runs it twice
      expect(await effects()).toMatchObject({ ps: 'expired', number: 'free', bans: 1, audit: 1, sms: 1, sms_events: 1, job: 'done', attempts: 1 });
      expect(await sql`SELECT 1 FROM job WHERE kind = 'plates.reservation_deadline' AND dedupe_key = ${ps!.id}`).toHaveLength(1);
      expect(bffs.slice(1).every((b) => b.alive())).toBe(true);
    } finally {
      if (blockerOpen) await blocker`ROLLBACK`.catch(() => {});
      blocker.release();
    }
  });
});
