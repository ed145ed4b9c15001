import { LicenceServiceList } from './LicenceServiceList.tsx';
import { LicenceServiceShow } from './LicenceServiceShow.tsx';

/** 驾驶证补换领 (licence-services): 受理岗 and 档案岗 queues with the one-working-day SLA. */
export default {
  list: LicenceServiceList,
  show: LicenceServiceShow,
  options: { label: 'licences.services.menu' },
};
