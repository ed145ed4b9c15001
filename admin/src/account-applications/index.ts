import { ApplicationCreate } from './ApplicationCreate.tsx';
import { ApplicationList } from './ApplicationList.tsx';
import { ApplicationShow } from './ApplicationShow.tsx';

/** 窗口注册/变更申请 (account-applications): 受理岗 accepts and corrects, 管理岗 reviews. */
export default {
  list: ApplicationList,
  show: ApplicationShow,
  create: ApplicationCreate,
  options: { label: 'accounts.resources.account-applications' },
};
