import type { JobHandlers } from './platform/jobs.ts';
import { maintenanceJobs } from './platform/maintenance.ts';
import { accountJobs } from './modules/accounts/jobs.ts';
import { plateJobs } from './modules/plates/jobs.ts';
import { replacementJobs } from './modules/replacements/jobs.ts';
import { tempPlateJobs } from './modules/temp-plates/jobs.ts';

/** Every module's job handlers, by kind. */
export const jobHandlers: JobHandlers = {
  ...maintenanceJobs,
  ...accountJobs,
  ...plateJobs,
  ...replacementJobs,
  ...tempPlateJobs,
};
