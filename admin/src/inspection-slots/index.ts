import { SchedulePage } from './SchedulePage.tsx';
import { SlotList } from './SlotList.tsx';

/**
 * 检验时段 (inspection-slots), for station operators: the slot list with
 * capacity and booked, capacity changes, closures, the station's
 * booking-service status with its pending bookings; `create` is the
 * schedule and slot-publishing page.
 */
export default {
  list: SlotList,
  create: SchedulePage,
  options: { label: 'inspections.slots.menu' },
};
