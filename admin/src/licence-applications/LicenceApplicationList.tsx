import { Button, DataTable, List, SelectInput, TextField, useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { InstantField } from '../shared/fields.tsx';
import { useRefusal } from '../shared/use-refusal.ts';
import { recordLicenceIssued } from '../account-applications/commands.ts';
import { AccountEnum } from '../account-applications/ui.tsx';

/** Records the first licence as issued: a learner's account becomes a driver's. */
const IssueButton = () => {
  const record = useRecordContext();
  const dp = useDataProvider<AdminDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const refused = useRefusal();
  if (!record || record.status !== 'accepted') return null;
  return (
    <Button
      label="accounts.licence_application.issue"
      onClick={async (e) => {
        e.stopPropagation();
        try {
          await recordLicenceIssued(dp, record.id);
          notify('accounts.licence_application.issued', { type: 'success' });
          refresh();
        } catch (error) {
          refused(error, { inForm: false });
        }
      }}
    />
  );
};

export const LicenceApplicationList = () => {
  const t = useTranslate();
  const statuses = ['accepted', 'issued', 'withdrawn'].map((id) => ({ id, name: t(`accounts.licence_application_status.${id}`) }));
  return (
    <List title="accounts.resources.licence-applications" filters={[<SelectInput key="s" source="status" label="accounts.field.status" choices={statuses} alwaysOn />]} filterDefaultValues={{ status: 'accepted' }} sort={{ field: 'acceptedAt', order: 'DESC' }} perPage={25}>
      <DataTable bulkActionButtons={false}>
        <DataTable.Col source="acceptedAt" label="accounts.field.acceptedAt">
          <InstantField source="acceptedAt" />
        </DataTable.Col>
        <DataTable.Col source="personName" label="accounts.field.name" disableSort />
        <DataTable.Col source="idNumberMasked" label="accounts.field.idNumber" disableSort>
          <TextField source="idNumberMasked" className="mono" />
        </DataTable.Col>
        <DataTable.Col source="classes" label="accounts.field.classes" disableSort />
        <DataTable.Col source="status" label="accounts.field.status" disableSort>
          <AccountEnum source="status" group="licence_application_status" />
        </DataTable.Col>
        <DataTable.Col label="accounts.field.actions" disableSort>
          <IssueButton />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
