import { AuditLogList } from './AuditLogList.tsx';
import { AuditLogShow } from './AuditLogShow.tsx';

/** 审计日志 (audit-log): list + show for 审计员 and the system administrator; a dealer or station operator sees its own members' entries only (issue 17, ADR-024). */
export default {
  list: AuditLogList,
  show: AuditLogShow,
};
