import { DataTable, List, SaveButton, SelectInput, Show, TextInput, maxLength, required, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { InstantColumn } from '../shared/columns.tsx';
import { Deadline, DeadlineField } from '../shared/deadline-field.tsx';
import { Form } from '../shared/forms.tsx';
import { toneProps, useConfirm } from '../shared/confirm.tsx';
import { EnumText, Fact, useCommand } from '../replacements/ui.tsx';

/** Objections (five working days) and exemption requests (three), due date first. */
export const ObjectionList = () => {
  const translate = useTranslate();
  const filters = [
    <SelectInput key="status" source="status" label="violations.fields.status" choices={['pending', 'upheld', 'dismissed'].map((id) => ({ id, name: translate(`violations.objection_status.${id}`) }))} alwaysOn />,
  ];
  return (
    <List title="violations.objections" filters={filters} filterDefaultValues={{ status: 'pending' }} sort={{ field: 'dueAt', order: 'ASC' }} perPage={25}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="dueAt" label="violations.fields.dueAt"><DeadlineField source="dueAt" overdueSource="overdue" doneWhen={(r) => r.status !== 'pending'} /></DataTable.Col>
        <DataTable.Col source="kind" label="violations.fields.kind" disableSort><EnumText source="kind" prefix="violations.objection_kind" /></DataTable.Col>
        <DataTable.Col source="ground" label="violations.fields.ground" disableSort><EnumText source="ground" prefix="violations.ground" /></DataTable.Col>
        <DataTable.Col source="plateNo" label="violations.fields.plateNo" disableSort />
        <DataTable.Col source="status" label="violations.fields.status"><EnumText source="status" prefix="violations.objection_status" /></DataTable.Col>
        <DataTable.Col source="applicantPhoneMasked" label="violations.fields.applicant" disableSort />
        <InstantColumn source="submittedAt" label="violations.fields.submittedAt" />
      </DataTable>
    </List>
  );
};

/** 管理岗 decides: uphold → the record is cleared; dismiss → open for handling again. Both confirm and SMS the applicant. */
const Decide = () => {
  const r = useRecordContext();
  const { permissions } = usePermissions<string[]>();
  const run = useCommand('violation-objections');
  const { ask, dialog } = useConfirm();
  const translate = useTranslate();
  if (!r || r.status !== 'pending' || !permissions?.includes('review')) return null;
  return (
    <section aria-labelledby="decide-heading">
      <h2 id="decide-heading" className="section-heading">{translate('violations.decide')}</h2>
      {(['uphold', 'dismiss'] as const).map((step) => (
        <Form key={step} record={{}} onSubmit={async (v: Record<string, unknown>) => {
          const ok = await ask({ title: 'violations.confirm.title', consequence: `violations.confirm.${step}`, params: { reference: r.reference }, confirm: `violations.step.${step}`, tone: step === 'uphold' ? 'primary' : 'destructive' });
          return ok ? run(r.id, step, { note: v.note }, 'violations.done') : undefined;
        }}>
          <TextInput source="note" label="violations.fields.note" validate={[required(), maxLength(500)]} fullWidth />
          <SaveButton label={`violations.step.${step}`} icon={<span />} {...toneProps(step === 'uphold' ? 'primary' : 'destructive')} alwaysEnable />
        </Form>
      ))}
      {dialog}
    </section>
  );
};

const Details = () => {
  const r = useRecordContext();
  if (!r) return null;
  return (
    <div className="show-grid">
      <Fact label="violations.fields.reference"><span className="mono">{r.reference}</span></Fact>
      <Fact label="violations.fields.plateNo">{r.plateNo}</Fact>
      <Fact label="violations.fields.kind"><EnumText source="kind" prefix="violations.objection_kind" /></Fact>
      <Fact label="violations.fields.ground"><EnumText source="ground" prefix="violations.ground" /></Fact>
      <Fact label="violations.fields.statement">{r.statement}</Fact>
      <Fact label="violations.fields.dueAt"><Deadline value={r.dueAt} overdue={r.overdue} done={r.status !== 'pending'} /></Fact>
      <Fact label="violations.fields.status"><EnumText source="status" prefix="violations.objection_status" /></Fact>
      <Fact label="violations.fields.applicant">{r.applicantNameMasked} {r.applicantPhoneMasked}</Fact>
      {r.decisionNote ? <Fact label="violations.fields.note">{r.decisionNote}</Fact> : null}
      <Fact label="violations.fields.caseFile"><a href={`#/violations/${r.violationId}/show`}>{r.reference}</a></Fact>
    </div>
  );
};

export const ObjectionShow = () => (
  <Show title="violations.objections" emptyWhileLoading>
    <div className="page">
      <Details />
      <Decide />
    </div>
  </Show>
);
