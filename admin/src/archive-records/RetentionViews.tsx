import { DataTable, Edit, List, NumberInput, TextField, TextInput, maxLength, maxValue, minValue, useRecordContext, useTranslate } from 'react-admin';
import { InstantColumn } from '../shared/columns.tsx';
import { SimpleForm } from '../shared/forms.tsx';

type Retention = { id: string; businessType: string; years: number | null; permanent: boolean; note: string; updatedAt: string };

const TypeName = () => {
  const r = useRecordContext<Retention>();
  const t = useTranslate();
  return r ? <span>{t(`archives.business_type.${r.businessType}`, { _: r.businessType })}</span> : null;
};
const Years = () => {
  const r = useRecordContext<Retention>();
  const t = useTranslate();
  if (!r) return null;
  return <span>{r.years === null ? t('archives.retention.permanent') : t('archives.retention.years', { n: r.years })}</span>;
};

/** 档案保管期限 (X-6.3, ADR-036): the retention of each business type; 管理岗 changes it, the destruction job reads it. */
export const RetentionList = () => (
  <List sort={{ field: 'id', order: 'ASC' }} pagination={false} exporter={false}>
    <DataTable rowClick="edit" bulkActionButtons={false}>
      <DataTable.Col source="businessType" label="archives.field.businessType" disableSort>
        <TypeName />
      </DataTable.Col>
      <DataTable.Col source="years" label="archives.field.years" disableSort>
        <Years />
      </DataTable.Col>
      <DataTable.Col source="note" label="archives.field.note" disableSort />
      <InstantColumn source="updatedAt" label="archives.field.updatedAt" disableSort emptyText="app.common.none" />
    </DataTable>
  </List>
);

/**
 * One business type's retention in whole years (empty = permanent) and why;
 * saved once the bff has accepted it, then back to the list. Records already
 * archived keep the date they were given (ADR-036).
 */
export const RetentionEdit = () => {
  const t = useTranslate();
  return (
    <Edit mutationMode="pessimistic" redirect="list" transform={(d: Retention) => ({ years: d.years ?? null, note: d.note ?? '' })}>
      <SimpleForm>
        <TypeName />
        <NumberInput source="years" label="archives.field.years" min={1} max={100} step={1} validate={[minValue(1), maxValue(100)]} helperText={t('archives.retention.help')} />
        <TextInput source="note" label="archives.field.note" validate={maxLength(200)} fullWidth />
        <TextField source="updatedAt" label="archives.field.updatedAt" emptyText="app.common.none" />
      </SimpleForm>
    </Edit>
  );
};
