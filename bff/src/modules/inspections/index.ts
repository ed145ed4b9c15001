import { defineModule } from '../../core/module.ts';
import { messages, smsTemplates } from './messages.ts';
import { inspectionRoutes } from './routes.ts';
import { inspectionAdminRoutes } from './admin.routes.ts';

/** Safety-inspection booking: station capacity, cross-city plans, bookings. */
export const inspectionsModule = defineModule({
  name: 'inspections',
  routes: [inspectionRoutes, inspectionAdminRoutes],
  messages,
  smsTemplates,
  constraints: {
    inspection_booking_one_active_per_vehicle: 'inspections.vehicle_already_booked',
    inspection_cross_city_plan_one_draft: 'inspections.plan_draft_exists',
    // The CHECK is the last line: a place the conditional UPDATE would not give is full.
    inspection_slot_booked_within_capacity: 'inspections.slot_full',
  },
});
