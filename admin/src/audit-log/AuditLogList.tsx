import { DataTable, DateInput, List, TextInput } from 'react-admin';
import { InstantColumn, MonoColumn, OpenColumn } from '../shared/columns.tsx';
import { ServerExportActions } from '../shared/personal-data.tsx';

const filters = [
  <TextInput key="q" source="q" alwaysOn resettable />,
  <TextInput key="action" source="action" alwaysOn resettable />,
  <TextInput key="entityType" source="entityType" alwaysOn resettable />,
  // calendar days; the bff reads `to` as including that whole day
  <DateInput key="from" source="from" alwaysOn />,
  <DateInput key="to" source="to" alwaysOn />,
];

/** 审计日志: every change with who, when, what; newest first. */
export const AuditLogList = () => (
  <List filters={filters} sort={{ field: 'at', order: 'DESC' }} perPage={25} actions={<ServerExportActions />}>
    <DataTable rowClick="show" bulkActionButtons={false}>
      {/* sortable columns are the bff's whitelist (bff/src/modules/ops/admin.routes.ts); others would answer 400 */}
      <InstantColumn source="at" />
      <DataTable.Col source="actorLabel" disableSort />
      <DataTable.Col source="action" />
      <DataTable.Col source="entityType" />
      <DataTable.Col source="entityId" disableSort />
      <MonoColumn source="requestId" disableSort />
      <OpenColumn />
    </DataTable>
  </List>
);
