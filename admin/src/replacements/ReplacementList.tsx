import { DataTable, List, Loading, SelectInput, TextInput, usePermissions, useTranslate } from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { DeadlineField } from '../shared/deadline-field.tsx';
import { EnumText, ToneChip } from './ui.tsx';
import { defaultQueue, REPLACEMENT_ITEMS, REPLACEMENT_STATUSES, REPLACEMENT_STATUS_TONES } from './statuses.ts';
import { ServerExportActions } from '../shared/personal-data.tsx';

/** The SLA deadline (PD-3): 24:00 of the next working day, with the time left while not accepted (issue 18). */
const DeadlineCell = () => <DeadlineField source="acceptDeadline" overdueSource="overdue" doneWhen={(r) => r.status !== 'submitted'} />;

/**
 * 受理岗 / 档案岗 work queues of 补换领: acceptance deadline first;
 * the queue filter persists (react-admin keeps list params per resource).
 */
export const ReplacementList = () => {
  const translate = useTranslate();
  const { permissions, isPending } = usePermissions<string[]>();
  if (isPending) return <Loading />;
  const choices = (prefix: string, values: readonly string[]) => values.map((id) => ({ id, name: translate(`${prefix}.${id}`) }));
  const filters = [
    <SelectInput key="queue" source="queue" label="replacements.filters.queue" choices={choices('replacements.queue', ['intake', 'archive'])} alwaysOn />,
    <SelectInput key="status" source="status" label="replacements.fields.status" choices={choices('replacements.status', REPLACEMENT_STATUSES)} alwaysOn />,
    <SelectInput key="item" source="item" label="replacements.fields.item" choices={choices('replacements.item', REPLACEMENT_ITEMS)} />,
    <TextInput key="q" source="q" label="replacements.filters.q" resettable />,
  ];
  return (
    <List
      title="replacements.title"
      filters={filters}
      filterDefaultValues={{ queue: defaultQueue(permissions ?? []) }}
      sort={{ field: 'acceptDeadline', order: 'ASC' }}
      perPage={25}
      actions={<ServerExportActions />}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        {/* sortable columns are the bff's whitelist (bff/src/modules/replacements/admin.routes.ts) */}
        <DataTable.Col source="acceptDeadline" label="replacements.fields.acceptDeadline">
          <DeadlineCell />
        </DataTable.Col>
        <MonoColumn source="reference" label="replacements.fields.reference" />
        <DataTable.Col source="status" label="replacements.fields.status">
          <ToneChip source="status" prefix="replacements.status" tones={REPLACEMENT_STATUS_TONES} />
        </DataTable.Col>
        <DataTable.Col source="item" label="replacements.fields.item" disableSort>
          <EnumText source="item" prefix="replacements.item" />
        </DataTable.Col>
        <DataTable.Col source="kind" label="replacements.fields.kind" disableSort>
          <EnumText source="kind" prefix="replacements.kind" />
        </DataTable.Col>
        <DataTable.Col source="plateNo" label="replacements.fields.plateNo" />
        <DataTable.Col source="delivery" label="replacements.fields.delivery" disableSort>
          <EnumText source="delivery" prefix="replacements.delivery" />
        </DataTable.Col>
        <InstantColumn source="submittedAt" label="replacements.fields.submittedAt" />
      </DataTable>
    </List>
  );
};
