import type { JobHandlers } from '../../platform/jobs.ts';
import { ALLOCATE_JOB, REALLOCATE_JOB } from './repo.ts';
import { allocatePlan, refillPlan } from './allocation.ts';

/** Durable job handlers of the exams module; each runs inside the job's transaction with the worker's `now`. */
export const examJobs: JobHandlers = {
  // at the plan's cut-off, extend an unfilled plan to the 3rd day or allocate it in one batch (ADR-033)
  [ALLOCATE_JOB]: async ({ tx, job, now }) => {
    await allocatePlan(tx, String(job.payload.planId), now, job.id);
  },
  // a seat freed after the batch goes to the next waiting applicant by rank (ADR-039)
  [REALLOCATE_JOB]: async ({ tx, job, now }) => {
    await refillPlan(tx, String(job.payload.planId), now, job.id, job.payload.freed ? String(job.payload.freed) : null);
  },
};
