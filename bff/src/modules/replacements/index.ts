import { defineModule } from '../../core/module.ts';
import { messages, smsTemplates } from './messages.ts';
import { replacementRoutes } from './routes.ts';
import { replacementAdminRoutes } from './admin.routes.ts';
import { replacementJobs } from './jobs.ts';

/** Replacing plates, the vehicle licence and the inspection sticker. */
export const replacementsModule = defineModule({
  name: 'replacements',
  routes: [replacementRoutes, replacementAdminRoutes],
  jobs: replacementJobs,
  messages,
  smsTemplates,
  constraints: { replacement_one_open_per_vehicle_item: 'replacements.application_open' },
});
