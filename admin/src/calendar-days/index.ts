import { CalendarDayCreate } from './CalendarDayCreate.tsx';
import { CalendarDayList } from './CalendarDayList.tsx';

/** 工作日历调整 (calendar-days): list by year, create, delete (id = the day); system_admin. */
export default {
  list: CalendarDayList,
  create: CalendarDayCreate,
};
