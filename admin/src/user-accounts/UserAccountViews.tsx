import {
  DataTable, List, SaveButton, SelectInput, Show, SimpleShowLayout, TextField, TextInput, maxLength, minLength, required, useDataProvider,
  usePermissions, useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { InstantField } from '../shared/fields.tsx';
import { useAction } from '../shared/use-action.ts';
import { toneProps, useConfirm } from '../shared/confirm.tsx';
import { Revealable, ServerExportActions } from '../shared/personal-data.tsx';
import { forceCancel } from '../account-applications/commands.ts';
import { AccountChip, AccountEnum, Row } from '../account-applications/ui.tsx';
import { CounterDesk } from './CounterDesk.tsx';

const TONES = { active: 'success', suspended: 'info', cancelled: 'neutral' } as const;

/** Accounts of this department; national (online) accounts by exact phone, ID number or USCC (PD-9). */
export const UserAccountList = () => (
  <List title="accounts.resources.user-accounts" filters={[<TextInput key="q" source="q" label="accounts.field.user_q" alwaysOn resettable />]} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} actions={<ServerExportActions />}>
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="name" label="accounts.field.name" disableSort />
      <MonoColumn source="phoneMasked" label="accounts.field.phone" disableSort />
      <DataTable.Col source="kind" label="accounts.field.userKind" disableSort>
        <AccountEnum source="kind" group="user_kind" />
      </DataTable.Col>
      <DataTable.Col source="registrationChannel" label="accounts.field.channel" disableSort>
        <AccountEnum source="registrationChannel" group="channel" />
      </DataTable.Col>
      <DataTable.Col source="status" label="accounts.field.status" disableSort>
        <AccountChip source="status" group="user_status" tones={TONES} />
      </DataTable.Col>
      <InstantColumn source="createdAt" label="accounts.field.createdAt" />
    </DataTable>
  </List>
);

/** R-21.1 (一)(三), R-21.2: 强制注销 by 管理岗 with the reason recorded and told by SMS. */
const ForcedCancel = () => {
  const record = useRecordContext();
  const t = useTranslate();
  const act = useAction();
  const dp = useDataProvider<AdminDataProvider>();
  const { permissions } = usePermissions<string[]>();
  const { ask, dialog } = useConfirm();
  if (!record || record.status === 'cancelled' || !(permissions ?? []).includes('review')) return null;
  const reasons = (record.kind === 'organisation' ? ['dissolved', 'false_materials'] : ['deceased', 'false_materials']).map((id) => ({ id, name: t(`accounts.cancel_reason.${id}`) }));
  return (
    <section aria-labelledby="cancel-heading" style={{ width: '100%' }}>
      <h2 id="cancel-heading" className="section-heading">{t('accounts.force_cancel.heading')}</h2>
      <p className="notice notice-warning">{t('accounts.force_cancel.help')}</p>
      <Form
        onSubmit={async (v: Record<string, unknown>) => {
          // issue 18: the consequence in words, not the browser's own box
          const ok = await ask({ title: 'accounts.force_cancel.confirm', consequence: 'accounts.confirm.force_cancel', params: { name: record.name }, confirm: 'accounts.force_cancel.submit', tone: 'destructive' });
          if (!ok) return undefined;
          return act(() => forceCancel(dp, record.id, { reason: String(v.reason), note: String(v.note) }), 'accounts.force_cancel.done');
        }}
      >
        <SelectInput source="reason" label="accounts.field.cancelReason" choices={reasons} validate={required()} />
        <TextInput source="note" label="accounts.field.note" fullWidth multiline validate={[required(), minLength(2), maxLength(500)]} />
        <SaveButton label="accounts.force_cancel.submit" {...toneProps('destructive')} alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

/** A masked field of the record, revealed with a reason (issue 17). */
const RecordRevealable = ({ source, field, kind }: { source: string; field: string; kind: 'phone' | 'id_number' }) => {
  const record = useRecordContext();
  return <Revealable value={record?.[source]} field={field} kind={kind} />;
};

export const UserAccountShow = () => (
  <Show title="accounts.resources.user-accounts">
    <SimpleShowLayout>
      <div className="show-grid">
        <Row label="accounts.field.name"><TextField source="name" /></Row>
        <Row label="accounts.field.phone"><RecordRevealable source="phoneMasked" field="phone" kind="phone" /></Row>
        <Row label="accounts.field.idNumber"><RecordRevealable source="idNumberMasked" field="idNumber" kind="id_number" /></Row>
        <Row label="accounts.field.userKind"><AccountEnum source="kind" group="user_kind" /></Row>
        <Row label="accounts.field.personalType"><AccountEnum source="personalType" group="personal_type" /></Row>
        <Row label="accounts.field.channel"><AccountEnum source="registrationChannel" group="channel" /></Row>
        <Row label="accounts.field.status"><AccountChip source="status" group="user_status" tones={TONES} /></Row>
        <Row label="accounts.field.createdAt"><InstantField source="createdAt" /></Row>
        <Row label="accounts.field.cancelReason"><AccountEnum source="cancelReason" group="cancel_reason" /></Row>
      </div>
      <ForcedCancel />
      <CounterDesk />
    </SimpleShowLayout>
  </Show>
);
