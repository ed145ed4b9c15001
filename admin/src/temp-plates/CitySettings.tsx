import { BooleanInput, DataTable, Edit, List, TextField, TextInput, maxLength, useRecordContext, useTranslate } from 'react-admin';
import { SimpleForm } from '../shared/forms.tsx';
import { InstantField } from '../shared/fields.tsx';

const Enabled = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return <span className={`chip chip-${r.dealersEnabled ? 'success' : 'neutral'}`}>{translate(r.dealersEnabled ? 'tempPlates.settings.on' : 'tempPlates.settings.off')}</span>;
};

/** whether a city entrusts car dealers with temporary plates (管理岗). */
export const TempPlateCitySettingList = () => (
  <List title="tempPlates.settings.title" sort={{ field: 'id', order: 'ASC' }} pagination={false}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="authorityName" label="tempPlates.settings.city" disableSort />
      <DataTable.Col source="dealersEnabled" label="tempPlates.settings.enabled" disableSort>
        <Enabled />
      </DataTable.Col>
      <DataTable.Col source="note" label="tempPlates.fields.note" disableSort />
      <DataTable.Col source="updatedAt" label="tempPlates.fields.updatedAt" disableSort>
        <InstantField source="updatedAt" emptyText="app.common.none" />
      </DataTable.Col>
    </DataTable>
  </List>
);

export const TempPlateCitySettingEdit = () => (
  <Edit title="tempPlates.settings.title" mutationMode="pessimistic" redirect="list">
    <SimpleForm>
      <TextField source="authorityName" label="tempPlates.settings.city" />
      <BooleanInput source="dealersEnabled" label="tempPlates.settings.enabled" helperText="tempPlates.settings.help" />
      <TextInput source="note" label="tempPlates.fields.note" validate={maxLength(200)} fullWidth />
    </SimpleForm>
  </Edit>
);
