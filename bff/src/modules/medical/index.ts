import { defineModule } from '../../core/module.ts';
import { FILE_TYPES } from '../../platform/uploads/kinds.ts';
import { messages } from './messages.ts';
import { medicalJobs } from './jobs.ts';
import { certificateExportRoutes, certificateRevealRoutes, healthCertificateRoutes, healthCertificateUploadRoutes } from './admin.routes.ts';
import { medicalQualificationRoutes, medicalQualificationUploadRoutes } from './qualifications-admin.routes.ts';

/**
 * Entrusted medical institutions and health certificates (X-4.3.1, X-4.3.4,
 * PD-12; ADR-031). The certificate records are read by the licences module
 * through certificates.ts.
 */
export const medicalModule = defineModule({
  name: 'medical',
  // The export before `/admin-api/health-certificates/{id}`, which would take `export.csv` for an id.
  routes: [certificateExportRoutes, medicalQualificationUploadRoutes, healthCertificateUploadRoutes, medicalQualificationRoutes, healthCertificateRoutes, certificateRevealRoutes],
  jobs: medicalJobs,
  messages,
  uploadKinds: {
    medical_qualification_document: { types: FILE_TYPES, description: 'a medical institution’s entrustment document (X-4.3.1, PD-12)' },
    health_certificate_scan: { types: FILE_TYPES, description: 'the scan of a 身体条件证明 sent by an entrusted institution (X-4.3.1, X-4.3.4)' },
  },
  constraints: {
    medical_qualification_one_live: 'medical.qualification_exists',
    medical_review_one_pending: 'medical.review_pending',
    health_certificate_one_per_day: { code: 'medical.certificate_duplicate', field: 'issuedOn' },
  },
});
