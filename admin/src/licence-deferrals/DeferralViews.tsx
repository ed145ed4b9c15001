import { DataTable, List, SaveButton, SelectInput, Show, TextInput, maxLength, minLength, required, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { DeadlineField, Deadline } from '../shared/deadline-field.tsx';
import { Form } from '../shared/forms.tsx';
import { toneProps, useConfirm } from '../shared/confirm.tsx';
import { Fact, useCommand } from '../replacements/ui.tsx';

const STATUSES = ['submitted', 'accepted', 'rejected', 'cancelled'] as const;

/** 受理岗 records deferrals within one working day (PD-3 SLA timer, never automatic). */
export const DeferralList = () => {
  const translate = useTranslate();
  const filters = [
    <SelectInput key="status" source="status" label="licences.fields.status" choices={STATUSES.map((id) => ({ id, name: translate(`licences.deferral_status.${id}`) }))} alwaysOn />,
  ];
  return (
    <List title="licences.deferrals.title" filters={filters} filterDefaultValues={{ status: 'submitted' }} sort={{ field: 'acceptDeadline', order: 'ASC' }} perPage={25} empty={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="acceptDeadline" label="licences.fields.acceptDeadline">
          <DeadlineField source="acceptDeadline" overdueSource="overdue" doneWhen={(r) => r.status !== 'submitted'} />
        </DataTable.Col>
        <MonoColumn source="reference" label="licences.fields.reference" />
        <DataTable.Col source="status" label="licences.fields.status">
          <StatusText />
        </DataTable.Col>
        <DataTable.Col source="kindName" label="licences.fields.deferralKind" disableSort />
        <DataTable.Col source="holderName" label="licences.fields.applicant" disableSort />
        <DataTable.Col source="deferredUntil" label="licences.fields.deferredUntil" disableSort />
        <InstantColumn source="submittedAt" label="licences.fields.submittedAt" />
      </DataTable>
    </List>
  );
};

const StatusText = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  return r ? <span className={`chip chip-${r.status === 'accepted' ? 'success' : r.status === 'rejected' ? 'error' : 'info'}`}>{translate(`licences.deferral_status.${r.status}`, { _: r.status })}</span> : null;
};

const Decide = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const run = useCommand('licence-deferrals');
  const { ask, dialog } = useConfirm();
  const { permissions, isPending } = usePermissions<string[]>();
  if (!r || isPending || !(permissions ?? []).includes('intake') || r.status !== 'submitted') return null;
  const accept = async () => {
    if (!(await ask({ title: 'licences.consequence.title', consequence: 'licences.consequence.deferral_accept', params: { command: translate('licences.command.accept'), reference: r.reference }, confirm: 'licences.command.accept', tone: 'primary' }))) return undefined;
    return run(r.id, 'accept', {}, 'licences.done');
  };
  const reject = async (values: Record<string, unknown>) => {
    if (!(await ask({ title: 'licences.consequence.title', consequence: 'licences.consequence.reject', params: { command: translate('licences.command.reject'), reference: r.reference }, confirm: 'licences.command.reject', tone: 'destructive' }))) return undefined;
    return run(r.id, 'reject', { reason: values.reason }, 'licences.done');
  };
  return (
    <section aria-labelledby="steps-heading">
      <h2 id="steps-heading" className="section-heading">{translate('licences.steps')}</h2>
      <section className="step-form" aria-labelledby="step-accept">
        <h3 id="step-accept" className="section-heading">{translate('licences.command.accept')}</h3>
        <Form record={{}} onSubmit={accept}>
          <SaveButton label="licences.command.accept" icon={<span />} {...toneProps('primary')} alwaysEnable />
        </Form>
      </section>
      <section className="step-form" aria-labelledby="step-reject">
        <h3 id="step-reject" className="section-heading">{translate('licences.command.reject')}</h3>
        <Form record={{}} onSubmit={reject}>
          <TextInput source="reason" label="licences.fields.rejectionReason" validate={[required(), minLength(2), maxLength(200)]} fullWidth />
          <SaveButton label="licences.command.reject" icon={<span />} {...toneProps('destructive')} alwaysEnable />
        </Form>
      </section>
      {dialog}
    </section>
  );
};

const Details = () => {
  const r = useRecordContext();
  if (!r) return null;
  return (
    <div className="show-grid">
      <Fact label="licences.fields.reference"><span className="mono">{r.reference}</span></Fact>
      <Fact label="licences.fields.status"><StatusText /></Fact>
      <Fact label="licences.fields.acceptDeadline"><Deadline value={r.acceptDeadline} overdue={r.overdue} done={r.status !== 'submitted'} /></Fact>
      <Fact label="licences.fields.deferralKind">{r.kindName}</Fact>
      <Fact label="licences.fields.reason">{r.reasonName}{r.reasonNote ? `（${r.reasonNote}）` : ''}</Fact>
      <Fact label="licences.fields.applicant">{r.holderName} <span className="mono">{r.holderIdNumberMasked}</span> <span className="mono">{r.applicantPhoneMasked}</span></Fact>
      <Fact label="licences.fields.licenceNo"><span className="mono">{r.licenceNoMasked}</span></Fact>
      <Fact label="licences.fields.endDate">{r.endDate}</Fact>
      <Fact label="licences.fields.deferredUntil">{r.deferredUntil}</Fact>
      {r.rejectionReason ? <Fact label="licences.fields.rejectionReason">{r.rejectionReason}</Fact> : null}
    </div>
  );
};

export const DeferralShow = () => (
  <Show title="licences.deferrals.title" emptyWhileLoading>
    <div className="page">
      <Details />
      <Decide />
    </div>
  </Show>
);
