import { defineModule } from '../../core/module.ts';
import { FILE_TYPES } from '../../platform/uploads/kinds.ts';
import { messages } from './messages.ts';
import { issuanceExportRoutes, issuanceRevealRoutes, tempPlateAdminRoutes, tempPlateCitySettingRoutes, tempPlateHandOutUploadRoutes, tempPlateUploadRoutes } from './admin.routes.ts';
import { tempPlateJobs } from './jobs.ts';

/** Dealers' qualification and temporary plates (R-30 – R-33). */
export const tempPlatesModule = defineModule({
  name: 'temp-plates',
  // The export before `/admin-api/temp-plate-issuances/{id}`, which would take `export.csv` for an id (issue 17).
  routes: [issuanceExportRoutes, tempPlateUploadRoutes, tempPlateHandOutUploadRoutes, tempPlateAdminRoutes, tempPlateCitySettingRoutes, issuanceRevealRoutes],
  jobs: tempPlateJobs,
  messages,
  uploadKinds: {
    qualification_document: { types: FILE_TYPES, description: 'a dealer’s qualification document (R-31.2)' },
    handout_document: { types: FILE_TYPES, description: 'a document the collector shows at a hand-out of blanks (R-33.2.1)' },
  },
  constraints: {
    dealer_qualification_one_live: 'temp_plates.qualification_exists',
    dealer_review_one_pending: 'temp_plates.review_pending',
    temp_plate_batch_one_deferred: 'temp_plates.check_pending',
    temp_plate_issuance_one_per_vin: { code: 'temp_plates.vin_has_temp_plate', field: 'vin' },
    temp_plate_issuance_blank_key: { code: 'temp_plates.blank_not_in_stock', field: 'blankId' },
    temp_plate_issuance_plate_no_key: { code: 'temp_plates.blank_not_in_stock', field: 'blankId' },
  },
});
