import { StaffAccountList, StaffAccountShow } from './StaffAccountViews.tsx';

/** 工作人员账号 (staff-accounts): posts, city and second factor of every staff account; reset a member's TOTP (system_admin, issue 17). */
export default { list: StaffAccountList, show: StaffAccountShow };
