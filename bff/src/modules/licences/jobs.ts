import type { JobHandlers } from '../../platform/jobs.ts';
import { expirePickup, LICENCE_JOBS } from './service.ts';
import { runSweep } from './obligations.ts';

/** Durable job handlers of the licences module; each runs inside the job's transaction with the worker's `now`. */
export const licenceJobs: JobHandlers = {
  // not collected within one month → not_collected and the one-year bar
  [LICENCE_JOBS.pickupDeadline]: ({ tx, job, now }) => expirePickup(tx, String(job.payload.applicationId), now),
  // reminders, cancellations and restorations, daily
  [LICENCE_JOBS.obligationsSweep]: ({ tx, now }) => runSweep(tx, now),
};
