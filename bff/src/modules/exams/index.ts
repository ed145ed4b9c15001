import { defineModule } from '../../core/module.ts';
import { messages, smsTemplates } from './messages.ts';
import { examRoutes } from './routes.ts';
import { examAdminRoutes, examResultExportRoutes, examResultRevealRoutes, learnerPermitRoutes } from './admin.routes.ts';
import { examJobs } from './jobs.ts';

/**
 * 考试预约 (X-4.4.1 – X-4.4.9, PD-13): citizens apply for exam plans and see
 * their rank (service.ts, routes.ts); the batch after the cut-off
 * (allocation.ts, jobs.ts; ADR-033); the exam stations' plans and results and
 * the counter's cancellations (stations.ts, admin.routes.ts). One rule book
 * (rules.ts), one repo, one catalog.
 */
export const examsModule = defineModule({
  name: 'exams',
  routes: [examRoutes, examResultExportRoutes, examAdminRoutes, examResultRevealRoutes, learnerPermitRoutes],
  jobs: examJobs,
  messages,
  smsTemplates,
  constraints: {
    exam_application_one_open: { code: 'exams.already_applied', field: 'planId' },
    exam_plan_station_id_subject_exam_date_session_key: { code: 'exams.plan_exists', field: 'examDate' },
    exam_plan_published_ten_days_ahead: { code: 'exams.publish_too_late', field: 'examDate' },
    learner_permit_one_per_application: { code: 'exams.permit_exists', field: 'licenceApplicationId' },
    learner_permit_one_active: { code: 'exams.permit_exists', field: 'licenceApplicationId' },
  },
});
