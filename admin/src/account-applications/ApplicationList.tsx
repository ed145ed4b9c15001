import { CreateButton, DataTable, List, SelectInput, TextInput, TopToolbar, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { ServerExportButton } from '../shared/personal-data.tsx';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { DeadlineField } from '../shared/deadline-field.tsx';
import { AccountChip } from './ui.tsx';
import { APPLICATION_STATUS_TONES, CHECK_STATUS_TONES } from './statuses.ts';

/** The review deadline first (style §9), red when overdue (PD-3: an SLA flag, never an approval). */
export const DeadlineCell = () => <DeadlineField source="reviewDueAt" overdueSource="overdue" doneWhen={(r) => r.status !== 'review' && r.status !== 'returned'} />;

const Actions = () => {
  const { permissions } = usePermissions<string[]>();
  return (
    <TopToolbar>
      {(permissions ?? []).includes('intake') ? <CreateButton label="accounts.intake.create" /> : null}
      <ServerExportButton />
    </TopToolbar>
  );
};

/**
 * 管理岗 review queue and 受理岗 correction queue (R-12.2, R-19.2): filter
 * "queue" picks the post's work; pending deferred checks are visible (PD-8).
 */
export const ApplicationList = () => {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  const isReview = (permissions ?? []).includes('review');
  const queues = ['review', 'intake', 'open'].map((id) => ({ id, name: translate(`accounts.queue.${id}`) }));
  const checks = ['pending', 'passed', 'failed'].map((id) => ({ id, name: translate(`accounts.check_status.${id}`) }));
  const filters = [
    <SelectInput key="queue" source="queue" label="accounts.field.queue" choices={queues} alwaysOn />,
    <SelectInput key="checkStatus" source="checkStatus" label="accounts.field.checkStatus" choices={checks} alwaysOn />,
    <TextInput key="q" source="q" label="accounts.field.q" alwaysOn resettable />,
  ];
  return (
    <List
      title="accounts.resources.account-applications"
      filters={filters}
      filterDefaultValues={{ queue: isReview ? 'review' : 'intake' }}
      sort={{ field: 'reviewDueAt', order: 'ASC' }}
      perPage={25}
      actions={<Actions />}
      storeKey="account-applications.queue"
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="reviewDueAt" label="accounts.field.reviewDueAt">
          <DeadlineCell />
        </DataTable.Col>
        <MonoColumn source="reference" label="accounts.field.reference" />
        <DataTable.Col source="status" label="accounts.field.status">
          <AccountChip source="status" group="status" tones={APPLICATION_STATUS_TONES} />
        </DataTable.Col>
        <DataTable.Col source="checkStatus" label="accounts.field.checkStatus" disableSort>
          <AccountChip source="checkStatus" group="check_status" tones={CHECK_STATUS_TONES} />
        </DataTable.Col>
        <DataTable.Col source="applicantName" label="accounts.field.applicantName" disableSort />
        <DataTable.Col source="kind" label="accounts.field.kind" disableSort>
          <KindCell />
        </DataTable.Col>
        <InstantColumn source="acceptedAt" label="accounts.field.acceptedAt" />
      </DataTable>
    </List>
  );
};

export const KindCell = () => {
  const record = useRecordContext();
  const t = useTranslate();
  if (!record) return null;
  return (
    <span>
      {t(`accounts.subject.${record.subject}`)} · {t(`accounts.kind.${record.kind}`)}
      {record.changeKind ? ` · ${t(`accounts.change_kind.${record.changeKind}`)}` : ''}
    </span>
  );
};
