import type { JobHandlers } from '../../platform/jobs.ts';
import { ARCHIVE_JOBS, proposeDestructions } from './service.ts';

/** Durable jobs of the archives (injected clock: `now` is the worker's). */
export const archiveJobs: JobHandlers = {
  /** Daily: records past their retention enter the destruction schedule (ADR-036); reschedules itself. */
  [ARCHIVE_JOBS.proposeDestructions]: async ({ tx, now }) => {
    await proposeDestructions(tx, now);
  },
};
