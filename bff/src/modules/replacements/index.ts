import { defineModule } from '../../core/module.ts';
import { FILE_TYPES } from '../../platform/uploads/kinds.ts';
import { messages, smsTemplates } from './messages.ts';
import { replacementRoutes, replacementUploadRoutes } from './routes.ts';
import { replacementAdminRoutes, replacementCitySettingRoutes, replacementExportRoutes, replacementRevealRoutes } from './admin.routes.ts';
import { replacementJobs } from './jobs.ts';

/** Replacing plates, the vehicle licence and the inspection sticker. */
export const replacementsModule = defineModule({
  name: 'replacements',
  // The export before `/admin-api/replacements/{id}`, which would take `export.csv` for an id (issue 17).
  routes: [replacementExportRoutes, replacementRoutes, replacementUploadRoutes, replacementAdminRoutes, replacementCitySettingRoutes, replacementRevealRoutes],
  jobs: replacementJobs,
  messages,
  smsTemplates,
  uploadKinds: {
    insurance_certificate: { types: FILE_TYPES, description: '交强险凭证 compulsory-insurance certificate of a sticker replacement (R-29.1.1)' },
  },
  constraints: { replacement_one_open_per_vehicle_item: 'replacements.application_open' },
});
