import { defineModule } from '../../core/module.ts';
import { FILE_TYPES } from '../../platform/uploads/kinds.ts';
import { messages, smsTemplates } from './messages.ts';
import { licenceRoutes, licenceUploadRoutes } from './routes.ts';
import { licenceAdminRoutes, licenceDeferralAdminRoutes, licenceExportRoutes, licenceRevealRoutes } from './admin.routes.ts';
import { licenceJobs } from './jobs.ts';

/** Driving-licence services: 补换领, 延期, the health-certificate obligations. */
export const licencesModule = defineModule({
  name: 'licences',
  // The export before `/admin-api/licence-services/{id}`, which would take `export.csv` for an id.
  routes: [licenceExportRoutes, licenceRoutes, licenceUploadRoutes, licenceAdminRoutes, licenceDeferralAdminRoutes, licenceRevealRoutes],
  jobs: licenceJobs,
  messages,
  smsTemplates,
  uploadKinds: {
    health_report: { types: FILE_TYPES, description: '体检 report a citizen uploads for his own licence (X-4.3.5)' },
  },
  constraints: {
    licence_service_one_open: 'licences.application_open',
    licence_deferral_once_per_period: { code: 'licences.deferral_once', field: 'kind' },
    licence_deferral_three_years: { code: 'licences.deferral_too_long', field: 'deferredUntil' },
  },
});
