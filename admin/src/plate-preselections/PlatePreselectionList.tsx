import { DataTable, List, SelectInput, TextInput, useRecordContext, useTranslate } from 'react-admin';
import { MonoColumn, OpenColumn } from '../shared/columns.tsx';
import { EnumField, StatusChip } from '../shared/fields.tsx';
import { DeadlineField } from '../shared/deadline-field.tsx';
import { PRESELECTION_STATUSES, PRESELECTION_STATUS_TONES } from './statuses.ts';
import { ServerExportActions } from '../shared/personal-data.tsx';

/**
 * Overdue reservations stand out: the job releases them, the counter must not register them.
 * The deadline reads as everywhere (issue 18), the bff's overdue flag first; met once no longer reserved.
 */
const DeadlineCell = () => <DeadlineField source="deadline" overdueSource="overdue" doneWhen={(r) => r.status !== 'reserved'} />;

const BanCell = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record?.ban) return <span>—</span>;
  return <span className="chip chip-error">{translate('plates.preselection.ban_until', { day: record.ban.endsOn })}</span>;
};

/** 号牌预选: reservations of the authority, the nearest registration deadline first (style §9). */
export const PlatePreselectionList = () => {
  const translate = useTranslate();
  const statuses = PRESELECTION_STATUSES.map((id) => ({ id, name: translate(`resources.plate-preselections.status.${id}`) }));
  const filters = [
    <TextInput key="q" source="q" alwaysOn resettable />,
    <SelectInput key="status" source="status" choices={statuses} alwaysOn />,
  ];
  return (
    <List filters={filters} filterDefaultValues={{ status: 'reserved' }} sort={{ field: 'deadline', order: 'ASC' }} perPage={25} actions={<ServerExportActions />}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="deadline">
          <DeadlineCell />
        </DataTable.Col>
        <MonoColumn source="plateNo" emptyText="—" />
        <DataTable.Col source="reference" />
        <DataTable.Col source="status">
          <StatusChip source="status" resource="plate-preselections" tones={PRESELECTION_STATUS_TONES} />
        </DataTable.Col>
        <DataTable.Col source="mode" disableSort>
          <EnumField source="mode" resource="plate-preselections" />
        </DataTable.Col>
        <DataTable.Col source="ownerNameMasked" disableSort />
        <DataTable.Col source="vinMasked" disableSort />
        <DataTable.Col source="ban" disableSort>
          <BanCell />
        </DataTable.Col>
        <OpenColumn />
      </DataTable>
    </List>
  );
};
