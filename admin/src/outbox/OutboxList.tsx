import { DataTable, List, SelectInput, TextInput, useTranslate } from 'react-admin';
import { InstantColumn, MonoColumn, OpenColumn } from '../shared/columns.tsx';
import { EnumField, StatusChip } from '../shared/fields.tsx';
import { OUTBOX_CHANNELS, OUTBOX_STATUSES, OUTBOX_STATUS_TONES } from './statuses.ts';

const useChoices = (field: string, values: readonly string[]) => {
  const translate = useTranslate();
  return values.map((id) => ({ id, name: translate(`resources.outbox.${field}.${id}`, { _: id }) }));
};

/** 消息发件箱: SMS, post, payment and email messages and where each one stands. */
export const OutboxList = () => {
  const channels = useChoices('channel', OUTBOX_CHANNELS);
  const statuses = useChoices('status', OUTBOX_STATUSES);
  const filters = [
    <SelectInput key="channel" source="channel" choices={channels} alwaysOn />,
    <SelectInput key="status" source="status" choices={statuses} alwaysOn />,
    <TextInput key="template" source="template" resettable />,
  ];
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        {/* sortable columns are the bff's whitelist (bff/src/modules/ops/admin.routes.ts); others would answer 400 */}
        <DataTable.Col source="channel">
          <EnumField source="channel" resource="outbox" />
        </DataTable.Col>
        <MonoColumn source="recipient" disableSort />
        <DataTable.Col source="template" disableSort />
        <DataTable.Col source="status">
          <StatusChip source="status" resource="outbox" tones={OUTBOX_STATUS_TONES} />
        </DataTable.Col>
        <DataTable.NumberCol source="attempts" disableSort />
        <InstantColumn source="createdAt" />
        <InstantColumn source="updatedAt" />
        <OpenColumn />
      </DataTable>
    </List>
  );
};

