import type { ReactElement } from 'react';
import { DataTable, Edit, List, TextField, TextInput, maxLength } from 'react-admin';
import { InstantColumn } from './columns.tsx';
import { SimpleForm } from './forms.tsx';

/** The translation keys a module's per-city setting is shown with. */
export type CitySettingLabels = { title: string; city: string; note: string; updatedAt: string };

/**
 * A module's per-city setting as the city's 管理岗 sees it (R-28.1, R-32.1; the bff's
 * http/city-settings.ts): the cities of the staff member's scope, each with its
 * setting (`children`: the one column the module adds), note and last change;
 * a row opens the edit form.
 */
export const CitySettingList = ({ labels, children }: { labels: CitySettingLabels; children: ReactElement }) => (
  <List title={labels.title} sort={{ field: 'id', order: 'ASC' }} pagination={false} exporter={false}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="authorityName" label={labels.city} disableSort />
      {children}
      <DataTable.Col source="note" label={labels.note} disableSort />
      <InstantColumn source="updatedAt" label={labels.updatedAt} disableSort emptyText="app.common.none" />
    </DataTable>
  </List>
);

/**
 * One city's setting (`children`: the module's input) and a note, saved once
 * the bff has accepted it (a refusal stays on the form), then back to the list.
 */
export const CitySettingEdit = ({ labels, children }: { labels: CitySettingLabels; children: ReactElement }) => (
  <Edit title={labels.title} mutationMode="pessimistic" redirect="list">
    <SimpleForm>
      <TextField source="authorityName" label={labels.city} />
      {children}
      <TextInput source="note" label={labels.note} validate={maxLength(200)} fullWidth />
    </SimpleForm>
  </Edit>
);
