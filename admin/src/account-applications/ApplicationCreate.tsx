import { useState } from 'react';
import {
  BooleanInput, Button, Create, FormDataConsumer, RadioButtonGroupInput, SelectInput, TextInput, maxLength, regex, required, useNotify, useTranslate,
} from 'react-admin';
import { SimpleForm } from '../shared/forms.tsx';
import { problemText } from '../shared/problem.ts';
import { loadPrefill } from './commands.ts';
import { ID_TYPES, intakeBody, ORG_KINDS, requiredUploads, type IntakeValues } from './intake-form.ts';
import { UploadInput } from './UploadInput.tsx';

const grid = { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(16em, 1fr))', columnGap: 16, width: '100%' } as const;
const phone = regex(/^1[3-9]\d{9}$/, 'accounts.validation.phone');
const postcode = regex(/^\d{6}$/, 'accounts.validation.postcode');
const date = regex(/^\d{4}-\d{2}-\d{2}$/, 'accounts.validation.date');

const useChoices = () => {
  const t = useTranslate();
  return {
    idTypes: ID_TYPES.map((id) => ({ id, name: t(`accounts.id_type.${id}`) })),
    sexes: ['M', 'F'].map((id) => ({ id, name: t(`accounts.sex.${id}`) })),
    orgKinds: ORG_KINDS.map((id) => ({ id, name: t(`accounts.org_kind.${id}`) })),
  };
};

/**
 * 《互联网个人用户注册/变更申请表》 filled in advance: 受理岗 types (or scans) the
 * QR's code; the form below starts from the citizen's data, to be checked with
 * the applicant in person.
 */
const PrefillLoader = ({ onLoaded }: { onLoaded: (p: { code: string; form: Record<string, unknown> }) => void }) => {
  const t = useTranslate();
  const notify = useNotify();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const load = async () => {
    if (!/^[A-HJ-NP-Z2-9]{10}$/.test(code.trim().toUpperCase())) {
      notify('accounts.prefill.format', { type: 'warning' });
      return;
    }
    setBusy(true);
    try {
      const p = await loadPrefill(code);
      onLoaded({ code: p.code, form: p.form });
      notify('accounts.prefill.loaded', { type: 'success' });
    } catch (error) {
      notify(problemText(error), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="prefill-heading" className="notice notice-info" style={{ margin: '16px 0' }}>
      <h2 id="prefill-heading" className="section-heading" style={{ marginTop: 0 }}>{t('accounts.prefill.heading')}</h2>
      <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
        <label htmlFor="prefill-code">{t('accounts.prefill.code')}</label>
        <input
          id="prefill-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void load();
            }
          }}
          className="mono"
          autoComplete="off"
          style={{ fontSize: '1rem', padding: '6px 8px', width: '12em' }}
        />
        <Button label="accounts.prefill.load" onClick={load} disabled={busy} variant="outlined" />
      </div>
      <p style={{ margin: '8px 0 0' }}>{t('accounts.prefill.help')}</p>
    </section>
  );
};

const PersonFields = ({ prefix = 'form' }: { prefix?: string }) => {
  const c = useChoices();
  return (
    <div style={grid}>
      <TextInput source={`${prefix}.name`} label="accounts.field.name" validate={[required(), maxLength(30)]} />
      <SelectInput source={`${prefix}.sex`} label="accounts.field.sex" choices={c.sexes} validate={required()} />
      <TextInput source={`${prefix}.birthDate`} label="accounts.field.birthDate" type="date" validate={[required(), date]} />
      <SelectInput source={`${prefix}.idType`} label="accounts.field.idType" choices={c.idTypes} validate={required()} />
      <TextInput source={`${prefix}.idNumber`} label="accounts.field.idNumber" validate={[required(), maxLength(30)]} />
      <TextInput source={`${prefix}.phone`} label="accounts.field.phone" validate={[required(), phone]} helperText="accounts.field.phone_help" />
      <TextInput source={`${prefix}.email`} label="accounts.field.email" validate={maxLength(120)} />
    </div>
  );
};

const AddressFields = () => (
  <div style={grid}>
    <TextInput source="form.postalAddress" label="accounts.field.postalAddress" validate={[required(), maxLength(200)]} />
    <TextInput source="form.postcode" label="accounts.field.postcode" validate={[required(), postcode]} />
  </div>
);

const OrganisationFields = () => {
  const c = useChoices();
  return (
    <>
      <div style={grid}>
        <SelectInput source="form.organisationKind" label="accounts.field.organisationKind" choices={c.orgKinds} validate={required()} />
        <TextInput source="form.organisationName" label="accounts.field.organisationName" validate={[required(), maxLength(100)]} />
        <TextInput source="form.uscc" label="accounts.field.uscc" validate={[required(), maxLength(18)]} />
        <TextInput source="form.legalRepName" label="accounts.field.legalRepName" validate={[required(), maxLength(30)]} />
        <TextInput source="form.legalRepPhone" label="accounts.field.legalRepPhone" validate={[required(), phone]} />
        <TextInput source="form.matters" label="accounts.field.matters" validate={[required(), maxLength(500)]} multiline />
      </div>
      <AddressFields />
      <h3 className="section-heading">{useTranslate()('accounts.intake.agent')}</h3>
      <PersonFields prefix="form.agent" />
    </>
  );
};

const NonOwnVehicleFields = () => {
  const c = useChoices();
  const t = useTranslate();
  return (
    <>
      <h3 className="section-heading">{t('accounts.intake.non_own_heading')}</h3>
      <p className="muted">{t('accounts.intake.non_own_help')}</p>
      <div style={grid}>
        <TextInput source="vehicle.plateNo" label="accounts.field.plateNo" validate={[required(), maxLength(10)]} />
        <SelectInput source="vehicle.ownerIdType" label="accounts.field.ownerIdType" choices={c.idTypes} validate={required()} />
        <TextInput source="vehicle.ownerIdNumber" label="accounts.field.ownerIdNumber" validate={[required(), maxLength(30)]} />
      </div>
    </>
  );
};

/**
 * 受理岗 at the counter: the form's fields,
 * the on-site photo and the scans; persons go to 管理岗 for review, units are
 * created at once. "Network down" accepts now and checks later (PD-8).
 */
export const ApplicationCreate = () => {
  const t = useTranslate();
  const [prefill, setPrefill] = useState<{ code: string; form: Record<string, unknown> } | null>(null);
  const defaults = {
    subject: 'person', kind: 'registration', changeKind: 'contact',
    form: { idType: 'resident_id', sex: 'M', agent: { idType: 'resident_id', sex: 'M' }, ...(prefill?.form ?? {}) },
    vehicle: { ownerIdType: 'resident_id' },
    ...(prefill ? { prefillCode: prefill.code } : {}),
  };
  return (
    <Create redirect="show" transform={(v: IntakeValues) => intakeBody(v)} title="accounts.intake.title">
      <PrefillLoader onLoaded={setPrefill} />
      {prefill ? <p className="notice notice-warning" role="status">{t('accounts.prefill.check', { code: prefill.code })}</p> : null}
      <SimpleForm key={prefill?.code ?? 'blank'} defaultValues={defaults}>
        <p className="lead">{t('accounts.intake.lead')}</p>
        <RadioButtonGroupInput source="subject" label="accounts.field.subject" choices={[{ id: 'person', name: 'accounts.subject.person' }, { id: 'organisation', name: 'accounts.subject.organisation' }]} />
        <RadioButtonGroupInput source="kind" label="accounts.field.kind" choices={[{ id: 'registration', name: 'accounts.kind.registration' }, { id: 'change', name: 'accounts.kind.change' }]} />
        <FormDataConsumer<IntakeValues>>
          {({ formData }) => {
            const person = formData.subject !== 'organisation';
            const changeKind = formData.kind === 'change' ? (person ? (formData.changeKind ?? 'contact') : 'organisation_info') : null;
            return (
              <div style={{ width: '100%' }}>
                {person && formData.kind === 'change' ? (
                  <SelectInput
                    source="changeKind"
                    label="accounts.field.changeKind"
                    choices={[{ id: 'contact', name: 'accounts.change_kind.contact' }, { id: 'bind_non_own_vehicle', name: 'accounts.change_kind.bind_non_own_vehicle' }]}
                  />
                ) : null}
                <h3 className="section-heading">{t(person ? 'accounts.intake.applicant' : 'accounts.intake.organisation')}</h3>
                {person ? (
                  <>
                    <PersonFields />
                    <AddressFields />
                  </>
                ) : (
                  <OrganisationFields />
                )}
                {changeKind === 'bind_non_own_vehicle' ? <NonOwnVehicleFields /> : null}
                <h3 className="section-heading">{t('accounts.intake.uploads')}</h3>
                <p className="muted">{t('accounts.upload.limits')}</p>
                {requiredUploads(person ? 'person' : 'organisation', changeKind).map((p) => (
                  <UploadInput key={`${changeKind}-${p}`} purpose={p} required />
                ))}
                {person ? (
                  <BooleanInput source="networkDown" label="accounts.intake.network_down" helperText="accounts.intake.network_down_help" />
                ) : (
                  <p className="notice notice-info">{t('accounts.intake.organisation_direct')}</p>
                )}
              </div>
            );
          }}
        </FormDataConsumer>
      </SimpleForm>
    </Create>
  );
};
