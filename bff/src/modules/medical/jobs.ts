import type { JobHandlers } from '../../platform/jobs.ts';
import { lapseQualification } from './qualifications.ts';
import { MEDICAL_JOBS } from './shared.ts';

/** Durable job handlers of the medical module; each runs inside the job's transaction with the worker's `now`. */
export const medicalJobs: JobHandlers = {
  // PD-12 (as ): not renewed by the last valid day → lapsed, one-year ban
  [MEDICAL_JOBS.lapse]: ({ tx, job, now }) => lapseQualification(tx, String(job.payload.qualificationId), now),
};
