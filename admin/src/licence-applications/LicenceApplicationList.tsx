import { Button, DataTable, List, SelectInput, useDataProvider, useRecordContext, useTranslate } from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { useAction } from '../shared/use-action.ts';
import { recordLicenceIssued } from '../account-applications/commands.ts';
import { AccountEnum } from '../account-applications/ui.tsx';
import { ServerExportActions } from '../shared/personal-data.tsx';

/** Records the first licence as issued: a learner's account becomes a driver's. */
const IssueButton = () => {
  const record = useRecordContext();
  const dp = useDataProvider<AdminDataProvider>();
  const act = useAction({ inForm: false });
  if (!record || record.status !== 'accepted') return null;
  return (
    <Button
      label="accounts.licence_application.issue"
      onClick={(e) => {
        e.stopPropagation();
        void act(() => recordLicenceIssued(dp, record.id), 'accounts.licence_application.issued');
      }}
    />
  );
};

export const LicenceApplicationList = () => {
  const t = useTranslate();
  const statuses = ['accepted', 'issued', 'withdrawn'].map((id) => ({ id, name: t(`accounts.licence_application_status.${id}`) }));
  return (
    <List title="accounts.resources.licence-applications" filters={[<SelectInput key="s" source="status" label="accounts.field.status" choices={statuses} alwaysOn />]} filterDefaultValues={{ status: 'accepted' }} sort={{ field: 'acceptedAt', order: 'DESC' }} perPage={25} actions={<ServerExportActions />}>
      <DataTable bulkActionButtons={false}>
        <InstantColumn source="acceptedAt" label="accounts.field.acceptedAt" />
        <DataTable.Col source="personName" label="accounts.field.name" disableSort />
        <MonoColumn source="idNumberMasked" label="accounts.field.idNumber" disableSort />
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
