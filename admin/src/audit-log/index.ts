import { AuditLogList } from './AuditLogList.tsx';
import { AuditLogShow } from './AuditLogShow.tsx';

/** 审计日志 (audit-log): list + show, every staff role (the bff narrows to the authority). */
export default {
  list: AuditLogList,
  show: AuditLogShow,
};
