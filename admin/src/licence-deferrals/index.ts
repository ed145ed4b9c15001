import { DeferralList, DeferralShow } from './DeferralViews.tsx';

/** 驾驶证延期 (licence-deferrals): 受理岗 records within one working day. */
export default {
  list: DeferralList,
  show: DeferralShow,
  options: { label: 'licences.deferrals.menu' },
};
