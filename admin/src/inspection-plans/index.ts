import { PlanCreate, PlanEdit, PlanList, PlanShow } from './PlanViews.tsx';

/**
 * 检验预约管理 (inspection-plans), for the authority's 管理岗: the city's
 * booking switch, its cross-city plan and filing, and
 * the province's aggregated publication.
 */
export default {
  list: PlanList,
  create: PlanCreate,
  edit: PlanEdit,
  show: PlanShow,
  options: { label: 'inspections.plans.menu' },
};
