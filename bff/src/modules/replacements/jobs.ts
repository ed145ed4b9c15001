import type { JobHandlers } from '../../platform/jobs.ts';
import { expirePickup, REPLACEMENT_JOBS } from './service.ts';

/** Durable job handlers of the replacements module; each runs inside the job's transaction with the worker's `now`. */
export const replacementJobs: JobHandlers = {
  // not collected within one month → not_collected and the one-year bar
  [REPLACEMENT_JOBS.pickupDeadline]: ({ tx, job, now }) => expirePickup(tx, String(job.payload.applicationId), now),
};
