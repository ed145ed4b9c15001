import type { JobHandlers } from '../../platform/jobs.ts';
import { CLOSE_PASSED_JOB } from './repo.ts';
import { closePassedBooking } from './service.ts';

/** Durable job handlers of the inspections module; each runs inside the job's transaction with the worker's `now`. */
export const inspectionJobs: JobHandlers = {
  // a booking still active after its day ends (completed / no-show / cancelled), ADR-025
  [CLOSE_PASSED_JOB]: ({ tx, job, now }) => closePassedBooking(tx, String(job.payload.bookingId), now),
};
