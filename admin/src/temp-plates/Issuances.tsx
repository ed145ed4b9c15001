import {
  AutocompleteInput, Create, DataTable, List, ReferenceInput, SaveButton, SelectInput, Show, TextInput, maxLength, minLength, regex, required,
  useGetList, usePermissions, useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn } from '../shared/columns.tsx';
import { Form, SimpleForm } from '../shared/forms.tsx';
import { InstantField } from '../shared/fields.tsx';
import { Revealable, ServerExportActions } from '../shared/personal-data.tsx';
import { Fact, useCommand } from '../replacements/ui.tsx';
import { OWNER_ID_TYPES } from './statuses.ts';
import { useConfirm } from '../shared/confirm.tsx';

const vin = [required(), regex(/^[0-9A-HJ-NPR-Z]{17}$/i, 'tempPlates.help.vin')];
const phone = [required(), regex(/^1[3-9]\d{9}$/, 'tempPlates.help.phone')];

/** a blank of the dealer's stock, an authorised model, the owner data (compared at registration, R-31.6). */
export const IssuanceCreate = () => {
  const translate = useTranslate();
  const { data: quals } = useGetList('dealer-qualifications', { filter: { status: 'active' }, pagination: { page: 1, perPage: 1 } });
  const models = ((quals?.[0]?.brandModels as string[] | undefined) ?? []).map((m) => ({ id: m, name: m }));
  return (
    <Create title="tempPlates.issue.title" redirect="show" transform={(v: Record<string, unknown>) => ({ ...v, vin: String(v.vin ?? '').toUpperCase() })}>
      <SimpleForm defaultValues={{ ownerIdType: 'resident_id' }}>
        <ReferenceInput source="blankId" reference="temp-plate-blanks" filter={{ status: 'in_stock' }} sort={{ field: 'plateNo', order: 'ASC' }}>
          <AutocompleteInput optionText="plateNo" label="tempPlates.fields.plateNo" validate={required()} />
        </ReferenceInput>
        <TextInput source="vin" label="tempPlates.fields.vin" validate={vin} />
        <SelectInput source="brandModel" label="tempPlates.fields.brandModel" choices={models} validate={required()} helperText="tempPlates.help.brandModel" />
        <TextInput source="ownerName" label="tempPlates.fields.ownerName" validate={[required(), minLength(2), maxLength(60)]} />
        <SelectInput source="ownerIdType" label="tempPlates.fields.ownerIdType" choices={OWNER_ID_TYPES.map((id) => ({ id, name: translate(`tempPlates.id_type.${id}`) }))} validate={required()} />
        <TextInput source="ownerIdNumber" label="tempPlates.fields.ownerIdNumber" validate={[required(), maxLength(40)]} />
        <TextInput source="ownerPhone" label="tempPlates.fields.ownerPhone" validate={phone} />
      </SimpleForm>
    </Create>
  );
};

export const IssuanceList = () => (
  <List title="tempPlates.issue.list" sort={{ field: 'issuedAt', order: 'DESC' }} actions={<ServerExportActions />}>
    <DataTable rowClick="show" bulkActionButtons={false}>
      <InstantColumn source="issuedAt" label="tempPlates.fields.issuedAt" />
      <DataTable.Col source="plateNo" label="tempPlates.fields.plateNo" disableSort />
      <DataTable.Col source="brandModel" label="tempPlates.fields.brandModel" disableSort />
      <DataTable.Col source="vinMasked" label="tempPlates.fields.vin" disableSort />
      <DataTable.Col source="ownerNameMasked" label="tempPlates.fields.ownerName" disableSort />
      <DataTable.Col source="validUntil" label="tempPlates.fields.validUntil" disableSort />
      <DataTable.Col source="organisationName" label="tempPlates.fields.organisationName" disableSort />
    </DataTable>
  </List>
);

/** 受理岗 records the owner data of the registration; differences count. */
const RegistrationForm = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  const run = useCommand('temp-plate-issuances');
  const { permissions } = usePermissions<string[]>();
  const { ask, dialog } = useConfirm();
  if (!r || r.status !== 'issued' || !(permissions ?? []).includes('intake')) return null;
  return (
    <section aria-labelledby="registration-heading" className="step-form">
      <h2 id="registration-heading" className="section-heading">{translate('tempPlates.command.record_registration')}</h2>
      <p className="muted">{translate('tempPlates.help.registration')}</p>
      <Form
        record={{}}
        onSubmit={async (v: Record<string, unknown>) => {
          // issue 18: the comparison is final; a difference counts against the dealer
          const label = 'tempPlates.command.record_registration';
          const ok = await ask({ title: 'tempPlates.consequence.title', consequence: 'tempPlates.consequence.record_registration', params: { command: translate(label), name: r.plateNo, plateNo: r.plateNo }, confirm: label, tone: 'primary' });
          return ok ? run(r.id, 'record-registration', { ownerName: v.ownerName, ownerIdNumber: v.ownerIdNumber, ownerPhone: v.ownerPhone }, 'tempPlates.done') : undefined;
        }}
      >
        <TextInput source="ownerName" label="tempPlates.fields.ownerName" validate={[required(), minLength(2), maxLength(60)]} />
        <TextInput source="ownerIdNumber" label="tempPlates.fields.ownerIdNumber" validate={[required(), maxLength(40)]} />
        <TextInput source="ownerPhone" label="tempPlates.fields.ownerPhone" validate={phone} />
        <SaveButton label="tempPlates.command.record_registration" icon={<span />} alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

const IssuanceDetails = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <div className="show-grid">
      <Fact label="tempPlates.fields.plateNo"><span className="mono">{r.plateNo}</span></Fact>
      <Fact label="tempPlates.fields.brandModel">{r.brandModel}</Fact>
      <Fact label="tempPlates.fields.vin"><span className="mono">{r.vinMasked}</span></Fact>
      <Fact label="tempPlates.fields.ownerName">
        {r.ownerNameMasked} <Revealable value={r.ownerIdNumberMasked} field="ownerIdNumber" kind="id_number" />{' '}
        <Revealable value={r.ownerPhoneMasked} field="ownerPhone" kind="phone" />
      </Fact>
      <Fact label="tempPlates.fields.validUntil">{r.validUntil}</Fact>
      <Fact label="tempPlates.fields.issuedAt"><InstantField source="issuedAt" /> {r.issuedBy}</Fact>
      <Fact label="tempPlates.fields.organisationName">{r.organisationName}</Fact>
      {r.registeredAt ? (
        <Fact label="tempPlates.fields.mismatchFields">
          {r.mismatchFields?.length ? r.mismatchFields.map((f: string) => translate(`tempPlates.fields.${f}`)).join(translate('app.common.separator')) : translate('tempPlates.issue.no_mismatch')}
        </Fact>
      ) : null}
    </div>
  );
};

export const IssuanceShow = () => (
  <Show title="tempPlates.issue.list" emptyWhileLoading>
    <div className="page">
      <IssuanceDetails />
      <RegistrationForm />
    </div>
  </Show>
);
