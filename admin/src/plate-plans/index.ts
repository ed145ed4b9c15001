import { PlatePlanCreate } from './PlatePlanCreate.tsx';
import { PlatePlanList } from './PlatePlanList.tsx';
import { PlatePlanShow } from './PlatePlanShow.tsx';

/** 号段启用计划 (plate-plans): 管理岗 draft, report, publish, build the pool and open segments. */
export default {
  list: PlatePlanList,
  show: PlatePlanShow,
  create: PlatePlanCreate,
  recordRepresentation: (r: { prefix?: string; pattern?: string }) => `${r.prefix ?? ''} ${r.pattern ?? ''}`,
};
