import { useState } from 'react';
import {
  Button, DataTable, List, SaveButton, SelectInput, Show, SimpleShowLayout, TextField, TextInput, maxLength, minLength, required, useDataProvider,
  useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { InstantField } from '../shared/fields.tsx';
import { useAction } from '../shared/use-action.ts';
import { approvePhoto, rejectPhoto, uploadUrl } from '../account-applications/commands.ts';
import { AccountChip, Row } from '../account-applications/ui.tsx';

const TONES = { submitted: 'info', approved: 'success', rejected: 'neutral' } as const;

const DueCell = () => {
  const r = useRecordContext();
  const t = useTranslate();
  if (!r) return null;
  return (
    <span>
      <InstantField source="dueAt" /> {r.overdue ? <span className="chip chip-error">{t('accounts.application.overdue')}</span> : null}
    </span>
  );
};

/** 管理岗 queue, due first (one working day from submission). */
export const PhotoList = () => {
  const t = useTranslate();
  const statuses = ['submitted', 'approved', 'rejected'].map((id) => ({ id, name: t(`accounts.photo_status.${id}`) }));
  return (
    <List title="accounts.resources.certificate-photos" filters={[<SelectInput key="s" source="status" label="accounts.field.status" choices={statuses} alwaysOn />]} filterDefaultValues={{ status: 'submitted' }} sort={{ field: 'dueAt', order: 'ASC' }} perPage={25} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="dueAt" label="accounts.field.reviewDueAt">
          <DueCell />
        </DataTable.Col>
        <DataTable.Col source="holderName" label="accounts.field.name" disableSort />
        <MonoColumn source="licenceNoMasked" label="accounts.field.licenceNo" disableSort />
        <DataTable.Col source="status" label="accounts.field.status" disableSort>
          <AccountChip source="status" group="photo_status" tones={TONES} />
        </DataTable.Col>
        <InstantColumn source="submittedAt" label="accounts.field.submittedAt" disableSort />
      </DataTable>
    </List>
  );
};

/** Clear, a valid format, the same person as the registration photo — the two side by side. */
const Decide = () => {
  const record = useRecordContext();
  const t = useTranslate();
  const dp = useDataProvider<AdminDataProvider>();
  // from the button everything is notified; the rejection form's fields get what the bff names
  const actNow = useAction({ inForm: false });
  const act = useAction();
  const [rejecting, setRejecting] = useState(false);
  if (!record) return null;
  return (
    <section aria-labelledby="photo-heading" style={{ width: '100%' }}>
      <h2 id="photo-heading" className="section-heading">{t('accounts.photo.compare')}</h2>
      <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
        <figure>
          <img src={uploadUrl(record.uploadId)} alt={t('accounts.photo.submitted')} style={{ maxHeight: 240 }} />
          <figcaption>{t('accounts.photo.submitted')}</figcaption>
        </figure>
        <figure>
          {record.registrationPhotoUploadId ? <img src={uploadUrl(record.registrationPhotoUploadId)} alt={t('accounts.photo.registration')} style={{ maxHeight: 240 }} /> : <p>{t('accounts.photo.no_registration_photo')}</p>}
          <figcaption>{t('accounts.photo.registration')}</figcaption>
        </figure>
      </div>
      {record.status === 'submitted' ? (
        <>
          <div style={{ display: 'flex', gap: 12 }}>
            <Button label="accounts.photo.approve" variant="contained" onClick={() => actNow(() => approvePhoto(dp, record.id), 'accounts.photo.approved')} />
            <Button label="accounts.photo.reject" variant="outlined" onClick={() => setRejecting(true)} />
          </div>
          {rejecting ? (
            <Form onSubmit={(v: Record<string, unknown>) => act(() => rejectPhoto(dp, record.id, String(v.reason)), 'accounts.photo.rejected')}>
              <TextInput source="reason" label="accounts.review.reason" fullWidth validate={[required(), minLength(2), maxLength(500)]} />
              <SaveButton label="accounts.photo.reject" alwaysEnable />
            </Form>
          ) : null}
        </>
      ) : null}
    </section>
  );
};

export const PhotoShow = () => (
  <Show title="accounts.resources.certificate-photos">
    <SimpleShowLayout>
      <div className="show-grid">
        <Row label="accounts.field.name"><TextField source="holderName" /></Row>
        <Row label="accounts.field.licenceNo"><TextField source="licenceNoMasked" className="mono" /></Row>
        <Row label="accounts.field.status"><AccountChip source="status" group="photo_status" tones={TONES} /></Row>
        <Row label="accounts.field.reviewDueAt"><DueCell /></Row>
        <Row label="accounts.field.rejectReason"><TextField source="rejectReason" emptyText="—" /></Row>
      </div>
      <Decide />
    </SimpleShowLayout>
  </Show>
);
