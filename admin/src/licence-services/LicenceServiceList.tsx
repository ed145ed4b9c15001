import { DataTable, List, Loading, SelectInput, TextInput, usePermissions, useTranslate } from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { DeadlineField } from '../shared/deadline-field.tsx';
import { ServerExportActions } from '../shared/personal-data.tsx';
import { EnumText, ToneChip } from '../replacements/ui.tsx';
import { LICENCE_SERVICE_KINDS, LICENCE_SERVICE_STATUSES, LICENCE_STATUS_TONES } from './statuses.ts';

/** The SLA deadline (PD-3, X-4.1.10): 24:00 of the next working day, with the time left while not accepted. */
const DeadlineCell = () => <DeadlineField source="acceptDeadline" overdueSource="overdue" doneWhen={(r) => r.status !== 'submitted'} />;

/** 受理岗 / 档案岗 queues of 补换领驾驶证: acceptance deadline first. */
export const LicenceServiceList = () => {
  const translate = useTranslate();
  const { permissions, isPending } = usePermissions<string[]>();
  if (isPending) return <Loading />;
  const choices = (prefix: string, values: readonly string[]) => values.map((id) => ({ id, name: translate(`${prefix}.${id}`) }));
  const roles = permissions ?? [];
  const filters = [
    <SelectInput key="queue" source="queue" label="licences.filters.queue" choices={choices('licences.queue', ['intake', 'archive'])} alwaysOn />,
    <SelectInput key="status" source="status" label="licences.fields.status" choices={choices('licences.status', LICENCE_SERVICE_STATUSES)} alwaysOn />,
    <SelectInput key="kind" source="kind" label="licences.fields.kind" choices={choices('licences.kind', LICENCE_SERVICE_KINDS)} />,
    <TextInput key="q" source="q" label="licences.filters.q" resettable />,
  ];
  return (
    <List
      title="licences.services.title"
      filters={filters}
      filterDefaultValues={{ queue: roles.includes('archive') && !roles.includes('intake') ? 'archive' : 'intake' }}
      sort={{ field: 'acceptDeadline', order: 'ASC' }}
      perPage={25}
      actions={<ServerExportActions />}
      empty={false}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="acceptDeadline" label="licences.fields.acceptDeadline">
          <DeadlineCell />
        </DataTable.Col>
        <MonoColumn source="reference" label="licences.fields.reference" />
        <DataTable.Col source="status" label="licences.fields.status">
          <ToneChip source="status" prefix="licences.status" tones={LICENCE_STATUS_TONES} />
        </DataTable.Col>
        <DataTable.Col source="kind" label="licences.fields.kind" disableSort>
          <EnumText source="kind" prefix="licences.kind" />
        </DataTable.Col>
        <DataTable.Col source="applicantNameMasked" label="licences.fields.applicant" disableSort />
        <DataTable.Col source="delivery" label="licences.fields.delivery" disableSort>
          <EnumText source="delivery" prefix="licences.delivery" />
        </DataTable.Col>
        <InstantColumn source="submittedAt" label="licences.fields.submittedAt" />
      </DataTable>
    </List>
  );
};
