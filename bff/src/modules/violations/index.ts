import { defineModule } from '../../core/module.ts';
import { IMAGE_TYPES } from '../../platform/uploads/kinds.ts';
import { messages, smsTemplates } from './messages.ts';
import { violationPublicRoutes, violationRoutes } from './routes.ts';
import { violationAdminRoutes, violationExportRoutes, violationObjectionRoutes, violationRevealRoutes } from './admin.routes.ts';
import { violationJobs } from './jobs.ts';

/** Camera-recorded violations, penalty decisions, fines and points (第五章, X-5.1 …, PD-10; ADR-034). */
export const violationsModule = defineModule({
  name: 'violations',
  // The export before `/admin-api/violations/{id}`, which would take `export.csv` for an id.
  routes: [violationExportRoutes, violationPublicRoutes, violationRoutes, violationAdminRoutes, violationObjectionRoutes, violationRevealRoutes],
  jobs: violationJobs,
  messages,
  smsTemplates,
  uploadKinds: {
    violation_photo: { types: IMAGE_TYPES, description: '交通技术监控设备记录的违法照片 photo of a camera-recorded violation (X-5.1)' },
  },
  constraints: {
    violation_one_capture: { code: 'violations.duplicate_record', field: 'plateNo' },
    violation_objection_one_open: 'violations.objection_not_allowed',
  },
});
