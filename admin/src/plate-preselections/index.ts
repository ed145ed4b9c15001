import { PlatePreselectionList } from './PlatePreselectionList.tsx';
import { PlatePreselectionShow } from './PlatePreselectionShow.tsx';

/** 号牌预选 (plate-preselections): deadlines and bans for 受理岗/管理岗; 受理岗 registers reserved numbers. */
export default {
  list: PlatePreselectionList,
  show: PlatePreselectionShow,
  recordRepresentation: (r: { reference?: string; plateNo?: string | null }) => r.plateNo ?? r.reference ?? '',
};
