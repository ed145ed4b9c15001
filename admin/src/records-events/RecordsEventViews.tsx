import {
  CreateButton, DataTable, FormDataConsumer, List, SaveButton, SelectInput, TextInput, Title, TopToolbar, maxLength, regex, required,
  useNotify, usePermissions, useRedirect, useTranslate,
} from 'react-admin';
import { ServerExportButton } from '../shared/personal-data.tsx';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { Form } from '../shared/forms.tsx';
import { useRefusal } from '../shared/use-refusal.ts';
import { useConfirm } from '../shared/confirm.tsx';
import { recordRecordsEvent } from '../account-applications/commands.ts';
import { AccountEnum } from '../account-applications/ui.tsx';

export const EVENT_KINDS = ['vehicle_transfer', 'vehicle_deregistration', 'vehicle_operating_to_non_operating', 'licence_cancellation'] as const;

const Actions = () => {
  const { permissions } = usePermissions<string[]>();
  return (
    <TopToolbar>
      {(permissions ?? []).includes('intake') ? <CreateButton label="accounts.records_event.create" /> : null}
      <ServerExportButton />
    </TopToolbar>
  );
};

/** the events recorded and how many bindings each ended. */
export const RecordsEventList = () => (
  <List title="accounts.resources.records-events" sort={{ field: 'at', order: 'DESC' }} perPage={25} actions={<Actions />}>
    <DataTable bulkActionButtons={false}>
      <InstantColumn source="at" label="accounts.field.at" />
      <DataTable.Col source="kind" label="accounts.field.eventKind" disableSort>
        <AccountEnum source="kind" group="event_kind" />
      </DataTable.Col>
      <MonoColumn source="plateNo" label="accounts.field.plateNo" disableSort emptyText="—" />
      <MonoColumn source="licenceNoMasked" label="accounts.field.licenceNo" disableSort emptyText="—" />
      <DataTable.Col source="unbound" label="accounts.field.unbound" disableSort />
      <DataTable.Col source="recordedBy" label="accounts.field.recordedBy" disableSort />
    </DataTable>
  </List>
);

/**
 * 受理岗 records 转移登记 / 注销登记 / 营运转非营运 of a vehicle, or a licence's
 * 注销: the bff unbinds at once everyone R-17 names and audits each ending.
 */
export const RecordsEventCreate = () => {
  const t = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const refused = useRefusal();
  const { ask, dialog } = useConfirm();
  const kinds = EVENT_KINDS.map((id) => ({ id, name: t(`accounts.event_kind.${id}`) }));
  const submit = async (v: Record<string, unknown>) => {
    const kind = String(v.kind);
    const body: Record<string, unknown> =
      kind === 'licence_cancellation'
        ? { kind, licenceNo: String(v.licenceNo ?? '').trim(), ...(v.note ? { note: v.note } : {}) }
        : {
            kind,
            plateNo: String(v.plateNo ?? '').trim(),
            ...(kind === 'vehicle_transfer' ? { newOwnerIdNumber: String(v.newOwnerIdNumber ?? '').trim(), newOwnerName: String(v.newOwnerName ?? '').trim(), newOwnerPhone: String(v.newOwnerPhone ?? '').trim() } : {}),
            ...(v.note ? { note: v.note } : {}),
          };
    // issue 18: the unbinding happens at once and is not reversed by the console
    const subject = kind === 'licence_cancellation' ? String(body.licenceNo) : String(body.plateNo);
    const ok = await ask({ title: 'accounts.confirm.records_event_title', consequence: `accounts.confirm.records_event_${kind === 'licence_cancellation' ? 'licence' : 'vehicle'}`, params: { subject, kind: t(`accounts.event_kind.${kind}`) }, confirm: 'accounts.records_event.submit', tone: 'primary' });
    if (!ok) return undefined;
    try {
      const r = await recordRecordsEvent(body);
      notify('accounts.records_event.done', { type: 'success', messageArgs: { count: r.unbound } });
      redirect('list', 'records-events');
      return undefined;
    } catch (error) {
      return refused(error);
    }
  };
  return (
    <div className="page">
      <Title title="accounts.records_event.create" />
      <h1 className="page-heading">{t('accounts.records_event.create')}</h1>
      <p className="lead">{t('accounts.records_event.help')}</p>
      <Form defaultValues={{ kind: 'vehicle_transfer' }} onSubmit={submit}>
        <SelectInput source="kind" label="accounts.field.eventKind" choices={kinds} validate={required()} />
        <FormDataConsumer>
          {({ formData }) =>
            formData.kind === 'licence_cancellation' ? (
              <TextInput source="licenceNo" label="accounts.field.licenceNo" validate={[required(), maxLength(30)]} />
            ) : (
              <>
                <TextInput source="plateNo" label="accounts.field.plateNo" validate={[required(), maxLength(10)]} />
                {formData.kind === 'vehicle_transfer' ? (
                  <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(16em, 1fr))', columnGap: 16 }}>
                    <TextInput source="newOwnerName" label="accounts.field.newOwnerName" validate={[required(), maxLength(30)]} />
                    <TextInput source="newOwnerIdNumber" label="accounts.field.newOwnerIdNumber" validate={[required(), maxLength(18)]} />
                    <TextInput source="newOwnerPhone" label="accounts.field.newOwnerPhone" validate={[required(), regex(/^1[3-9]\d{9}$/, 'accounts.validation.phone')]} />
                  </div>
                ) : null}
              </>
            )
          }
        </FormDataConsumer>
        <TextInput source="note" label="accounts.field.note" fullWidth validate={maxLength(500)} />
        <SaveButton label="accounts.records_event.submit" alwaysEnable />
      </Form>
      {dialog}
    </div>
  );
};
