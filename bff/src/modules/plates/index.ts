import { defineModule } from '../../core/module.ts';
import { messages, smsTemplates } from './messages.ts';
import { plateRoutes } from './routes.ts';
import { plateAdminRoutes, preselectionExportRoutes, preselectionRevealRoutes } from './admin.routes.ts';
import { plateJobs } from './jobs.ts';

/** Plate-number preselection: segment plans, the contested pool, draws and reservations. */
export const platesModule = defineModule({
  name: 'plates',
  // The export before `/admin-api/plate-preselections/{id}`, which would take `export.csv` for an id (issue 17).
  routes: [preselectionExportRoutes, plateRoutes, plateAdminRoutes, preselectionRevealRoutes],
  jobs: plateJobs,
  messages,
  smsTemplates,
  constraints: {
    plate_preselection_one_active_per_user: 'plates.active_preselection_exists',
    plate_preselection_one_active_per_vin: { code: 'plates.vin_in_preselection', field: 'vin' },
    plate_preselection_one_holder: { code: 'plates.number_taken', field: 'serial' },
    plate_number_one_holder: { code: 'plates.number_taken', field: 'serial' },
    plate_draw_one_per_number: 'plates.preselection_wrong_status',
    plate_draw_one_open: 'plates.preselection_wrong_status',
  },
});
