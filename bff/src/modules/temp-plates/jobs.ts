import type { JobHandlers } from '../../platform/jobs.ts';
import { lapseQualification, runDeferredCheck, TEMP_PLATE_JOBS } from './service.ts';

/** Durable job handlers of the temporary-plates module; each runs inside the job's transaction with the worker's `now`. */
export const tempPlateJobs: JobHandlers = {
  // not renewed by the last valid day → lapsed (and)
  [TEMP_PLATE_JOBS.lapse]: ({ tx, job, now }) => lapseQualification(tx, String(job.payload.qualificationId), now),
  // PD-8: the postponed check of a hand-out
  [TEMP_PLATE_JOBS.deferredCheck]: ({ tx, job, now }) => runDeferredCheck(tx, String(job.payload.batchId), now),
};
