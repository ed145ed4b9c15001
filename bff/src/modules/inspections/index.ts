import { defineModule } from '../../core/module.ts';
import { messages, smsTemplates } from './messages.ts';
import { inspectionRoutes } from './routes.ts';
import { bookingRevealRoutes, inspectionAdminRoutes } from './stations.routes.ts';
import { inspectionPlanAdminRoutes } from './plans.routes.ts';
import { stationRosterRoutes } from './roster.routes.ts';
import { inspectionJobs } from './jobs.ts';

/**
 * Safety-inspection booking, in three parts: citizens' bookings
 * (service.ts, routes.ts), the stations' capacity and day (stations.ts,
 * stations.routes.ts) and the authorities' city switch and cross-city plans
 * (plans.ts, plans.routes.ts), and the stations' day roster (roster.ts,
 * roster.routes.ts); the job that ends a booking after its day (jobs.ts); one rule book (rules.ts), one repo, one catalog.
 */
export const inspectionsModule = defineModule({
  name: 'inspections',
  routes: [inspectionRoutes, inspectionAdminRoutes, inspectionPlanAdminRoutes, bookingRevealRoutes, stationRosterRoutes],
  jobs: inspectionJobs,
  messages,
  smsTemplates,
  constraints: {
    inspection_booking_one_active_per_vehicle: 'inspections.vehicle_already_booked',
    inspection_cross_city_plan_one_draft: 'inspections.plan_draft_exists',
    // The CHECK is the last line: a place the conditional UPDATE would not give is full.
    inspection_slot_booked_within_capacity: 'inspections.slot_full',
  },
});
