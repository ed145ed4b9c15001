import {
  DataTable, List, SaveButton, SelectInput, Show, SimpleShowLayout, TextField, TextInput, maxLength, minLength, required, useDataProvider,
  useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { InstantField } from '../shared/fields.tsx';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { useAction } from '../shared/use-action.ts';
import { toneProps, useConfirm } from '../shared/confirm.tsx';
import { Row } from '../account-applications/ui.tsx';
import { FenField } from './FenField.tsx';

const STATUSES = ['open', 'paid', 'closed', 'refund_pending', 'refunded'];

const StatusField = ({ source }: { source: string; label?: string }) => {
  const record = useRecordContext();
  const t = useTranslate();
  return <span>{record ? t(`payments.status.${String(record[source])}`) : ''}</span>;
};

/** 缴费订单: the orders of my cities (province: all), newest first; search by reference or trade number. */
export const OrderList = () => {
  const t = useTranslate();
  const filters = [
    <SelectInput key="s" source="status" label="payments.field.status" choices={STATUSES.map((id) => ({ id, name: t(`payments.status.${id}`) }))} alwaysOn />,
    <TextInput key="q" source="q" label="payments.field.q" alwaysOn />,
  ];
  return (
    <List title="payments.resources.payment-orders" filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false} empty={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <MonoColumn source="outTradeNo" label="payments.field.outTradeNo" disableSort />
        <DataTable.Col source="subject" label="payments.field.subject" disableSort />
        <DataTable.Col source="amountFen" label="payments.field.amount"><FenField source="amountFen" /></DataTable.Col>
        <DataTable.Col source="status" label="payments.field.status"><StatusField source="status" /></DataTable.Col>
        <DataTable.Col source="ledgerEntries" label="payments.field.ledgerEntries" disableSort />
        <InstantColumn source="createdAt" label="payments.field.createdAt" />
        <InstantColumn source="paidAt" label="payments.field.paidAt" emptyText="—" />
      </DataTable>
    </List>
  );
};

/** 退款: a paid order, with a reason; confirmed first (destructive: the money goes back). */
const Refund = () => {
  const record = useRecordContext();
  const dp = useDataProvider<AdminDataProvider>();
  const act = useAction();
  const { ask, dialog } = useConfirm();
  const t = useTranslate();
  if (!record || record.status !== 'paid') return null;
  const params = { reference: record.outTradeNo };
  return (
    <section aria-labelledby="refund-heading">
      <h2 id="refund-heading" className="section-heading">{t('payments.refund')}</h2>
      <Form
        onSubmit={async (v: Record<string, unknown>) => {
          const ok = await ask({ title: 'payments.confirm.refund_title', consequence: 'payments.confirm.refund', params, confirm: 'payments.refund', tone: 'destructive' });
          return ok ? act(() => dp.command('payment-orders', record.id, 'refund', { reason: String(v.reason ?? '') }), 'payments.refunded') : undefined;
        }}
      >
        <TextInput source="reason" label="payments.field.refundReason" fullWidth validate={[required(), minLength(2), maxLength(200)]} />
        <SaveButton label="payments.refund" {...toneProps('destructive')} alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

export const OrderShow = () => (
  <Show title="payments.resources.payment-orders">
    <SimpleShowLayout>
      <div className="show-grid">
        <Row label="payments.field.outTradeNo"><TextField source="outTradeNo" className="mono" /></Row>
        <Row label="payments.field.providerTradeNo"><TextField source="providerTradeNo" className="mono" emptyText="—" /></Row>
        <Row label="payments.field.subject"><TextField source="subject" /></Row>
        <Row label="payments.field.payable"><TextField source="payableKind" /> <TextField source="payableRef" className="mono" /></Row>
        <Row label="payments.field.amount"><FenField source="amountFen" /></Row>
        <Row label="payments.field.status"><StatusField source="status" /></Row>
        <Row label="payments.field.ledgerEntries"><TextField source="ledgerEntries" /></Row>
        <Row label="payments.field.settledBy"><TextField source="settledBy" emptyText="—" /></Row>
        <Row label="payments.field.createdAt"><InstantField source="createdAt" /></Row>
        <Row label="payments.field.paidAt"><InstantField source="paidAt" emptyText="—" /></Row>
        <Row label="payments.field.refundReason"><TextField source="refundReason" emptyText="—" /></Row>
      </div>
      <Refund />
    </SimpleShowLayout>
  </Show>
);
