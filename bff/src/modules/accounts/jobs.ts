import type { JobHandlers } from '../../platform/jobs.ts';
import { flagOverdue, runDeferredCheck } from './counter.ts';
import { ACCOUNT_JOBS, checkNewCarOwner } from './service.ts';

/** Durable job handlers of the accounts module; each runs inside the job's transaction with the worker's `now`. */
export const accountJobs: JobHandlers = {
  [ACCOUNT_JOBS.newCarOwnerCheck]: ({ tx, job, now }) => checkNewCarOwner(tx, job.id, String(job.payload.userId), now),
  [ACCOUNT_JOBS.populationCheck]: ({ tx, job, now }) => runDeferredCheck(tx, job.id, String(job.payload.applicationId), now),
  [ACCOUNT_JOBS.reviewOverdue]: ({ tx, job, now }) => flagOverdue(tx, job.id, String(job.payload.applicationId), now),
};
