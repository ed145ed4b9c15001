import { useState } from 'react';
import {
  Button, DataTable, List, SaveButton, SelectInput, Show, SimpleShowLayout, TextField, TextInput, maxLength, minLength, required, useDataProvider,
  useGetList, useRecordContext, useTranslate, regex,
} from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { InstantField } from '../shared/fields.tsx';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { useAction } from '../shared/use-action.ts';
import { toneProps } from '../shared/confirm.tsx';
import { Row } from '../account-applications/ui.tsx';
import { FenField } from '../payments/FenField.tsx';
import { formatFen } from '../payments/money.ts';

const StatusField = ({ source }: { source: string; label?: string }) => {
  const record = useRecordContext();
  const t = useTranslate();
  return <span>{record ? t(`payments.reconciliation_status.${String(record[source])}`) : ''}</span>;
};

/** 对账: run one business day now (the job runs each day at 02:00 for the day before). */
const RunDay = () => {
  const dp = useDataProvider<AdminDataProvider>();
  const act = useAction();
  const t = useTranslate();
  return (
    <section aria-labelledby="run-heading" style={{ padding: '0 16px' }}>
      <h2 id="run-heading" className="section-heading">{t('payments.run_title')}</h2>
      <Form onSubmit={(v: Record<string, unknown>) => act(() => dp.command('payment-reconciliations', String(v.day), 'run', {}), 'payments.reconciled')}>
        <TextInput source="day" label="payments.field.businessDay" helperText="YYYY-MM-DD" validate={[required(), regex(/^\d{4}-\d{2}-\d{2}$/, 'payments.day_format')]} />
        <SaveButton label="payments.run" {...toneProps('primary')} alwaysEnable />
      </Form>
    </section>
  );
};

/** 每日对账: platform ledger vs provider statement, net totals in fen (province 管理岗). */
export const ReconciliationList = () => {
  const t = useTranslate();
  const filters = [<SelectInput key="s" source="status" label="payments.field.status" choices={['balanced', 'mismatched'].map((id) => ({ id, name: t(`payments.reconciliation_status.${id}`) }))} alwaysOn />];
  return (
    <>
      <RunDay />
      <List title="payments.resources.payment-reconciliations" filters={filters} sort={{ field: 'businessDay', order: 'DESC' }} perPage={25} exporter={false} empty={false}>
        <DataTable rowClick="show" bulkActionButtons={false}>
          <MonoColumn source="businessDay" label="payments.field.businessDay" />
          <DataTable.Col source="status" label="payments.field.status" disableSort><StatusField source="status" /></DataTable.Col>
          <DataTable.Col source="ledgerNetFen" label="payments.field.ledgerNet" disableSort><FenField source="ledgerNetFen" /></DataTable.Col>
          <DataTable.Col source="statementNetFen" label="payments.field.statementNet" disableSort><FenField source="statementNetFen" /></DataTable.Col>
          <DataTable.Col source="mismatchCount" label="payments.field.mismatches" disableSort />
          <DataTable.Col source="unresolvedCount" label="payments.field.unresolved" disableSort />
          <InstantColumn source="ranAt" label="payments.field.ranAt" disableSort />
        </DataTable>
      </List>
    </>
  );
};

const Resolve = ({ id }: { id: string }) => {
  const dp = useDataProvider<AdminDataProvider>();
  const act = useAction();
  const [open, setOpen] = useState(false);
  if (!open) return <Button label="payments.resolve" {...toneProps('neutral')} onClick={() => setOpen(true)} />;
  return (
    <Form onSubmit={(v: Record<string, unknown>) => act(() => dp.command('payment-mismatches', id, 'resolve', { note: String(v.note ?? '') }), 'payments.resolved')}>
      <TextInput source="note" label="payments.field.resolutionNote" fullWidth validate={[required(), minLength(2), maxLength(500)]} />
      <SaveButton label="payments.resolve" {...toneProps('primary')} alwaysEnable />
    </Form>
  );
};

/** The day's mismatches, for staff to look into and note how each was settled. */
const Mismatches = () => {
  const record = useRecordContext();
  const t = useTranslate();
  const { data, isPending } = useGetList('payment-mismatches', { filter: { businessDay: record?.businessDay }, pagination: { page: 1, perPage: 200 }, sort: { field: 'id', order: 'ASC' } }, { enabled: !!record });
  if (!record || isPending) return null;
  return (
    <section aria-labelledby="mismatch-heading" style={{ width: '100%' }}>
      <h2 id="mismatch-heading" className="section-heading">{t('payments.mismatches_title')}</h2>
      {!data || data.length === 0 ? <p>{t('payments.no_mismatches')}</p> : (
        <table className="plain-table">
          <thead><tr>
            <th scope="col">{t('payments.field.problem')}</th><th scope="col">{t('payments.field.outTradeNo')}</th><th scope="col">{t('payments.field.providerTradeNo')}</th>
            <th scope="col">{t('payments.field.ledgerAmount')}</th><th scope="col">{t('payments.field.statementAmount')}</th><th scope="col">{t('payments.field.resolutionNote')}</th>
          </tr></thead>
          <tbody>
            {data.map((m) => (
              <tr key={m.id}>
                <td>{t(`payments.problem.${m.problem}`)} ({t(`payments.kind.${m.kind}`)})</td>
                <td className="mono">{m.outTradeNo}</td><td className="mono">{m.providerTradeNo}</td>
                <td className="mono">{formatFen(m.ledgerAmountFen)}</td><td className="mono">{formatFen(m.statementAmountFen)}</td>
                <td>{m.resolvedAt ? m.resolutionNote : <Resolve id={String(m.id)} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

export const ReconciliationShow = () => (
  <Show title="payments.resources.payment-reconciliations">
    <SimpleShowLayout>
      <div className="show-grid">
        <Row label="payments.field.businessDay"><TextField source="businessDay" className="mono" /></Row>
        <Row label="payments.field.status"><StatusField source="status" /></Row>
        <Row label="payments.field.ledgerNet"><FenField source="ledgerNetFen" /> (<TextField source="ledgerCount" />)</Row>
        <Row label="payments.field.statementNet"><FenField source="statementNetFen" /> (<TextField source="statementCount" />)</Row>
        <Row label="payments.field.ranAt"><InstantField source="ranAt" /></Row>
      </div>
      <Mismatches />
    </SimpleShowLayout>
  </Show>
);

/** 异常通知: notifications refused (forged, tampered, unknown order), kept and audited. */
export const RejectedList = () => (
  <List title="payments.resources.payment-rejected-notifications" sort={{ field: 'receivedAt', order: 'DESC' }} perPage={25} exporter={false} empty={false}>
    <DataTable bulkActionButtons={false} rowClick={false}>
      <InstantColumn source="receivedAt" label="payments.field.receivedAt" />
      <DataTable.Col source="reason" label="payments.field.reason" disableSort><RejectReason /></DataTable.Col>
      <MonoColumn source="outTradeNo" label="payments.field.outTradeNo" disableSort emptyText="—" />
      <MonoColumn source="ip" label="payments.field.ip" disableSort />
    </DataTable>
  </List>
);
const RejectReason = (_p: { label?: string }) => {
  const record = useRecordContext();
  const t = useTranslate();
  return <span>{record ? t(`payments.reject_reason.${String(record.reason)}`) : ''}</span>;
};
