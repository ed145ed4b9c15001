import type { JobHandlers } from './jobs.ts';
import { enqueueJob } from './jobs.ts';

/** Housekeeping as a durable, self-rescheduling job: expired sessions, codes and idempotency keys. */
export const maintenanceJobs: JobHandlers = {
  'platform.cleanup': async ({ tx, now }) => {
    await tx`DELETE FROM session WHERE idle_expires_at < ${now} OR absolute_expires_at < ${now}`;
    await tx`DELETE FROM sms_code WHERE created_at < ${new Date(now.getTime() - 2 * 24 * 3600_000)}`;
    await tx`DELETE FROM idempotency_key WHERE created_at < ${new Date(now.getTime() - 24 * 3600_000)}`;
    await tx`DELETE FROM sign_in_throttle WHERE window_start < ${new Date(now.getTime() - 24 * 3600_000)} AND (locked_until IS NULL OR locked_until < ${now})`;
    await enqueueJob(tx, { kind: 'platform.cleanup', runAt: new Date(now.getTime() + 3600_000), dedupeKey: 'hourly' }, now);
  },
};
