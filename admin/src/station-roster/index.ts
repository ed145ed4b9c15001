import { RosterList } from './RosterList.tsx';

/**
 * 当日预约名册 (station-roster), for station operators, own station only:
 * the day's bookings with the marks 到场 / 检验完成 / 未到检 (issue 18, R-36.3).
 */
export default {
  list: RosterList,
  options: { label: 'inspections.roster.menu' },
};
