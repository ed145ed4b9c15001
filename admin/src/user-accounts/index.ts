import { UserAccountList, UserAccountShow } from './UserAccountViews.tsx';

/** 互联网用户 (user-accounts): look up accounts; 管理岗 force-cancels; 受理岗 unbinds and cancels at the holder's request. */
export default { list: UserAccountList, show: UserAccountShow, options: { label: 'accounts.resources.user-accounts' } };
