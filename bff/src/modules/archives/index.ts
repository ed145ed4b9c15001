import { defineModule } from '../../core/module.ts';
import { messages } from './messages.ts';
import { archiveRecordRoutes } from './admin.routes.ts';
import { paperFileRoutes } from './paper-files-admin.routes.ts';
import { archiveJobs } from './jobs.ts';

/**
 * Archives (第六章, X-6; issue 22): the electronic archive every module writes
 * with `archiveCase` (platform/archive.ts, ADR-036) and 档案岗's paper files
 * (ADR-037).
 */
export const archivesModule = defineModule({
  name: 'archives',
  routes: [archiveRecordRoutes, paperFileRoutes],
  jobs: archiveJobs,
  messages,
  constraints: {
    paper_file_one_per_case: { code: 'archives.paper_file_exists', field: 'caseRef' },
    paper_file_loan_one_open: 'archives.not_on_shelf',
    returned_certificate_once: { code: 'archives.certificate_recorded', field: 'serial' },
    paper_file_checklist_complete: { code: 'archives.checklist_incomplete', field: 'checkedDocuments' },
  },
});
