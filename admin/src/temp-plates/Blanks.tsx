import { DataTable, List, Loading, SelectInput, TextInput, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { InstantColumn } from '../shared/columns.tsx';
import { ToneChip, useCommand } from '../replacements/ui.tsx';
import { BLANK_STATUSES, BLANK_TONES } from './statuses.ts';
import { ConfirmButton } from '../shared/confirm.tsx';

/**
 * Row action: the dealer reports a damaged blank; 受理岗 destroys a returned one.
 * Both are irreversible and confirm with the consequence first (issue 18).
 */
const RowAction = ({ roles }: { roles: string[] }) => {
  const r = useRecordContext();
  const translate = useTranslate();
  const run = useCommand('temp-plate-blanks', { inForm: false });
  if (!r) return null;
  const command = roles.includes('dealer') && r.status === 'in_stock' ? 'report_damaged' : roles.includes('intake') && r.status === 'returned' ? 'destroy' : null;
  if (!command) return null;
  const label = `tempPlates.command.${command}`;
  return (
    <ConfirmButton
      label={label}
      tone="destructive"
      text={{ title: 'tempPlates.consequence.title', consequence: `tempPlates.consequence.${command}`, params: { command: translate(label), name: r.plateNo, plateNo: r.plateNo } }}
      onConfirm={() => run(r.id, command === 'destroy' ? 'destroy' : 'report-damaged', {}, 'tempPlates.done')}
    />
  );
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
