import type { JobHandlers } from './platform/jobs.ts';
import { maintenanceJobs } from './platform/maintenance.ts';

/** Every module's job handlers, by kind. */
export const jobHandlers: JobHandlers = {
  ...maintenanceJobs,
};
