import {
  CheckboxGroupInput, DataTable, Edit, List, TextField, TextInput, maxLength, useRecordContext, useTranslate,
} from 'react-admin';
import { SimpleForm } from '../shared/forms.tsx';
import { InstantField } from '../shared/fields.tsx';
import { ONLINE_PLATE_KINDS } from '../replacements/statuses.ts';

const Kinds = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const kinds: string[] = Array.isArray(r?.onlinePlateKinds) ? r.onlinePlateKinds : [];
  if (kinds.length === 0) return <span className="muted">{translate('replacements.settings.none')}</span>;
  return <span>{kinds.map((k) => translate(`replacements.plate_kind.${k}`, { _: k })).join(translate('app.common.separator'))}</span>;
};

/** which plate kinds each city replaces online (管理岗). */
const CitySettingList = () => (
  <List title="replacements.settings.title" sort={{ field: 'id', order: 'ASC' }} pagination={false}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="authorityName" label="replacements.settings.city" disableSort />
      <DataTable.Col source="onlinePlateKinds" label="replacements.settings.kinds" disableSort>
        <Kinds />
      </DataTable.Col>
      <DataTable.Col source="note" label="replacements.fields.note" disableSort />
      <DataTable.Col source="updatedAt" label="replacements.settings.updatedAt" disableSort>
        <InstantField source="updatedAt" emptyText="app.common.none" />
      </DataTable.Col>
    </DataTable>
  </List>
);

const CitySettingEdit = () => {
  const translate = useTranslate();
  const choices = ONLINE_PLATE_KINDS.map((id) => ({ id, name: translate(`replacements.plate_kind.${id}`) }));
  return (
    <Edit title="replacements.settings.title" mutationMode="pessimistic" redirect="list">
      <SimpleForm>
        <TextField source="authorityName" label="replacements.settings.city" />
        <CheckboxGroupInput source="onlinePlateKinds" label="replacements.settings.kinds" choices={choices} helperText="replacements.settings.help" />
        <TextInput source="note" label="replacements.fields.note" validate={maxLength(200)} fullWidth />
      </SimpleForm>
    </Edit>
  );
};

/** 网上补换领号牌种类 (replacement-city-settings): list + edit, 管理岗. */
export default {
  list: CitySettingList,
  edit: CitySettingEdit,
  options: { label: 'replacements.settings.menu' },
};
