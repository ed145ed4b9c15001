import { useEffect, useState } from 'react';
import {
  Create, DataTable, DateInput, FileField, FileInput, List, Loading, SelectInput, Show, TextInput,
  maxLength, minLength, required, usePermissions, useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { SimpleForm } from '../shared/forms.tsx';
import { API_URL, getJson } from '../shared/http.ts';
import { InstantField } from '../shared/fields.tsx';
import { Revealable, ServerExportActions } from '../shared/personal-data.tsx';
import { EnumText, Fact } from '../replacements/ui.tsx';
import { uploadFile } from '../temp-plates/upload.ts';

const R = 'health-certificates';
export const PURPOSES = ['renewal', 'age_70_yearly', 'disability_3y'] as const;
export const CONCLUSIONS = ['fit', 'unfit'] as const;

/** Today in Asia/Shanghai, 'YYYY-MM-DD' (the bff's day). */
const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** 18 characters: 17 digits and a digit or X. */
const idNumberFormat = (v: unknown) => (typeof v === 'string' && !/^\d{17}[\dXx]$/.test(v.trim()) ? 'medical.help.idNumber' : undefined);

/** Whether the operator's institution may upload now: else the form says why and where to go. */
const useOwnEntrustment = () => {
  const [state, setState] = useState<{ loading: boolean; maySubmit: boolean; status: string }>({ loading: true, maySubmit: false, status: 'none' });
  useEffect(() => {
    let live = true;
    getJson('/medical-qualifications/mine')
      .then(({ json }) => {
        const q = (json as { qualification: { maySubmit: boolean; status: string; validUntil: string | null } | null }).qualification;
        const expired = q?.status === 'active' && !q.maySubmit;
        if (live) setState({ loading: false, maySubmit: q?.maySubmit === true, status: expired ? 'expired' : (q?.status ?? 'none') });
      })
      .catch(() => live && setState({ loading: false, maySubmit: true, status: 'unknown' })); // the bff refuses with its own words if it must
    return () => {
      live = false;
    };
  }, []);
  return state;
};

/** Uploads the scan, then answers the bff body. */
async function certificateBody(v: Record<string, unknown>) {
  const file = (v.scan as { rawFile?: File } | undefined)?.rawFile;
  const scanUploadId = file ? await uploadFile(file, '/health-certificate-uploads') : '';
  return {
    idNumber: String(v.idNumber ?? '').trim().toUpperCase(), licenceNo: String(v.licenceNo ?? '').trim().toUpperCase(),
    purpose: v.purpose, issuedOn: v.issuedOn, conclusion: v.conclusion, scanUploadId,
  };
}

/** the entrusted institution's operator uploads a driver's 身体条件证明 with its scan. */
export const CertificateCreate = () => {
  const translate = useTranslate();
  const own = useOwnEntrustment();
  if (own.loading) return <Loading />;
  if (!own.maySubmit) {
    return (
      <div className="page">
        <h1>{translate('medical.certificate.create')}</h1>
        <p className="notice notice-error" role="alert">{translate('medical.certificate.blocked', { status: translate(`medical.status.${own.status}`, { _: own.status }) })}</p>
        <a href="#/medical-qualifications">{translate('medical.qualification.menu')}</a>
      </div>
    );
  }
  return (
    <Create title="medical.certificate.create" transform={certificateBody} redirect="show">
      <SimpleForm defaultValues={{ purpose: 'renewal', conclusion: 'fit', issuedOn: shanghaiToday() }}>
        <TextInput source="idNumber" label="medical.fields.idNumber" helperText="medical.help.idNumber" validate={[required(), idNumberFormat]} autoComplete="off" />
        <TextInput source="licenceNo" label="medical.fields.licenceNo" helperText="medical.help.licenceNo" validate={[required(), minLength(6), maxLength(30)]} autoComplete="off" />
        <SelectInput source="purpose" label="medical.fields.purpose" helperText="medical.help.purpose" choices={PURPOSES.map((id) => ({ id, name: translate(`medical.purpose.${id}`) }))} validate={required()} />
        <DateInput source="issuedOn" label="medical.fields.issuedOn" helperText="medical.help.issuedOn" validate={required()} />
        <SelectInput source="conclusion" label="medical.fields.conclusion" choices={CONCLUSIONS.map((id) => ({ id, name: translate(`medical.conclusion.${id}`) }))} validate={required()} />
        <FileInput source="scan" label="medical.fields.scan" helperText="medical.help.scan" accept={{ 'application/pdf': ['.pdf'], 'image/jpeg': ['.jpg', '.jpeg'], 'image/png': ['.png'] }} maxSize={5 * 1024 * 1024} validate={required()}>
          <FileField source="src" title="title" />
        </FileInput>
      </SimpleForm>
    </Create>
  );
};

const AcceptedChip = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return <span className={`chip chip-${r.acceptedToday ? 'success' : 'neutral'}`}>{translate(r.acceptedToday ? 'medical.certificate.accepted' : 'medical.certificate.not_accepted')}</span>;
};

const Empty = () => {
  const translate = useTranslate();
  return <div className="page"><p>{translate('medical.certificate.none')}</p></div>;
};

/** The institution's certificates, or 管理岗's / 受理岗's of their authority: masked ID numbers, search, filters, CSV export. */
export const CertificateList = () => {
  const translate = useTranslate();
  const { permissions, isPending } = usePermissions<string[]>();
  if (isPending) return <Loading />;
  const operator = (permissions ?? []).includes('medical_operator');
  const filters = [
    <TextInput key="q" source="q" label="medical.fields.q" alwaysOn resettable />,
    <SelectInput key="purpose" source="purpose" label="medical.fields.purpose" choices={PURPOSES.map((id) => ({ id, name: translate(`medical.purpose.${id}`) }))} />,
    <SelectInput key="conclusion" source="conclusion" label="medical.fields.conclusion" choices={CONCLUSIONS.map((id) => ({ id, name: translate(`medical.conclusion.${id}`) }))} />,
  ];
  return (
    <List title="medical.certificate.title" filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} empty={operator ? undefined : <Empty />}
      actions={<ServerExportActions create={operator} />}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <MonoColumn source="reference" label="medical.fields.reference" />
        <DataTable.Col source="holderName" label="medical.fields.holderName" disableSort />
        <MonoColumn source="holderIdNumberMasked" label="medical.fields.holderIdNumber" disableSort />
        <DataTable.Col source="purpose" label="medical.fields.purpose">
          <EnumText source="purpose" prefix="medical.purpose" />
        </DataTable.Col>
        <DataTable.Col source="issuedOn" label="medical.fields.issuedOn" />
        <DataTable.Col source="validUntil" label="medical.fields.certificateValidUntil" />
        <DataTable.Col source="conclusion" label="medical.fields.conclusion" disableSort>
          <EnumText source="conclusion" prefix="medical.conclusion" />
        </DataTable.Col>
        {operator ? null : <DataTable.Col source="issuerName" label="medical.fields.issuer" disableSort />}
        <DataTable.Col source="acceptedToday" label="medical.certificate.accepted" disableSort>
          <AcceptedChip />
        </DataTable.Col>
        <InstantColumn source="createdAt" label="medical.fields.createdAt" />
      </DataTable>
    </List>
  );
};

const CertificateDetails = () => {
  const r = useRecordContext();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <>
      <p className="notice" role="status">{translate('medical.certificate.recorded', { reference: r.reference })}</p>
      {r.issuerRevoked ? <p className="notice notice-error" role="alert">{translate('medical.certificate.issuer_revoked')}</p> : null}
      <div className="show-grid">
        <Fact label="medical.fields.reference"><span className="mono">{r.reference}</span></Fact>
        <Fact label="medical.fields.holderName">{r.holderName}</Fact>
        <Fact label="medical.fields.holderIdNumber"><Revealable value={r.holderIdNumberMasked} field="holderIdNumber" kind="id_number" resource={R} /></Fact>
        <Fact label="medical.fields.licenceNo"><span className="mono">{r.licenceNoMasked}</span> {r.licenceClasses}</Fact>
        <Fact label="medical.fields.purpose"><EnumText source="purpose" prefix="medical.purpose" /></Fact>
        <Fact label="medical.fields.issuedOn">{r.issuedOn}</Fact>
        <Fact label="medical.fields.certificateValidUntil">{r.validUntil}</Fact>
        <Fact label="medical.fields.conclusion"><EnumText source="conclusion" prefix="medical.conclusion" /></Fact>
        <Fact label="medical.fields.issuer">{r.issuerName ?? translate('medical.certificate.self')}</Fact>
        <Fact label="medical.certificate.accepted"><AcceptedChip /></Fact>
        <Fact label="medical.fields.createdAt"><InstantField source="createdAt" /> {r.createdBy}</Fact>
        {r.hasScan ? (
          <Fact label="medical.fields.scan">
            <a href={`${API_URL}/${R}/${encodeURIComponent(String(r.id))}/scan`} target="_blank" rel="noopener noreferrer">{translate('medical.certificate.scan')}</a>
          </Fact>
        ) : null}
      </div>
      <button type="button" className="no-print" onClick={() => window.print()}>{translate('medical.certificate.print')}</button>
    </>
  );
};

export const CertificateShow = () => (
  <Show title="medical.certificate.title" emptyWhileLoading>
    <div className="page">
      <CertificateDetails />
    </div>
  </Show>
);
