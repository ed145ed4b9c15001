import { DataTable, DateInput, List, TextInput } from 'react-admin';
import { InstantColumn, OpenColumn } from '../shared/columns.tsx';
import { ServerExportActions } from '../shared/personal-data.tsx';
import { AuditSentenceField } from './AuditSentence.tsx';

const filters = [
  <TextInput key="q" source="q" alwaysOn resettable />,
  <TextInput key="action" source="action" alwaysOn resettable />,
  <TextInput key="entityType" source="entityType" alwaysOn resettable />,
  // calendar days; the bff reads `to` as including that whole day
  <DateInput key="from" source="from" alwaysOn />,
  <DateInput key="to" source="to" alwaysOn />,
];

/** 审计日志: every change with who, when, what — in words, newest first; codes and JSON on the entry's page (issue 18). */
export const AuditLogList = () => (
  <List filters={filters} sort={{ field: 'at', order: 'DESC' }} perPage={25} actions={<ServerExportActions />}>
    <DataTable rowClick="show" bulkActionButtons={false}>
      {/* sortable columns are the bff's whitelist (bff/src/modules/ops/admin.routes.ts); others would answer 400 */}
      <InstantColumn source="at" />
      <DataTable.Col label="app.audit.sentence_heading" disableSort>
        <AuditSentenceField />
      </DataTable.Col>
      <OpenColumn />
    </DataTable>
  </List>
);
