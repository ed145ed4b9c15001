import { Button, DataTable, List, Loading, SelectInput, TextInput, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { InstantColumn } from '../shared/columns.tsx';
import { ToneChip, useCommand } from '../replacements/ui.tsx';
import { BLANK_STATUSES, BLANK_TONES } from './statuses.ts';

/** Row action: the dealer reports a damaged blank; 受理岗 destroys a returned one. */
const RowAction = ({ roles }: { roles: string[] }) => {
  const r = useRecordContext();
  const run = useCommand('temp-plate-blanks', { inForm: false });
  if (!r) return null;
  if (roles.includes('dealer') && r.status === 'in_stock') {
    return <Button label="tempPlates.command.report_damaged" onClick={(e) => { e.stopPropagation(); void run(r.id, 'report-damaged', {}, 'tempPlates.done'); }} />;
  }
  if (roles.includes('intake') && r.status === 'returned') {
    return <Button label="tempPlates.command.destroy" onClick={(e) => { e.stopPropagation(); void run(r.id, 'destroy', {}, 'tempPlates.done'); }} />;
  }
  return null;
};

export const BlankList = () => {
  const translate = useTranslate();
  const { permissions, isPending } = usePermissions<string[]>();
  if (isPending) return <Loading />;
  const roles = permissions ?? [];
  const filters = [
    <SelectInput key="status" source="status" label="tempPlates.fields.status" choices={BLANK_STATUSES.map((id) => ({ id, name: translate(`tempPlates.blank.${id}`) }))} alwaysOn />,
    <TextInput key="q" source="q" label="tempPlates.fields.plateNo" resettable />,
  ];
  return (
    <List title="tempPlates.blank.title" filters={filters} sort={{ field: 'plateNo', order: 'ASC' }} perPage={50} exporter={false}>
      <DataTable bulkActionButtons={false} rowClick={false}>
        <DataTable.Col source="plateNo" label="tempPlates.fields.plateNo" />
        <DataTable.Col source="status" label="tempPlates.fields.status">
          <ToneChip source="status" prefix="tempPlates.blank" tones={BLANK_TONES} />
        </DataTable.Col>
        <DataTable.Col source="organisationName" label="tempPlates.fields.organisationName" disableSort />
        <InstantColumn source="damagedAt" label="tempPlates.fields.damagedAt" disableSort emptyText="" />
        <InstantColumn source="updatedAt" label="tempPlates.fields.updatedAt" />
        <DataTable.Col label="tempPlates.fields.action" disableSort>
          <RowAction roles={roles} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
