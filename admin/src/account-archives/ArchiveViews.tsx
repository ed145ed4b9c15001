import {
  CheckboxGroupInput, DataTable, List, SaveButton, SelectInput, Show, SimpleShowLayout, TextField, TextInput, maxLength, required, useDataProvider,
  useRecordContext, useTranslate,
} from 'react-admin';
import { InstantColumn, MonoColumn } from '../shared/columns.tsx';
import { Form } from '../shared/forms.tsx';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { InstantField } from '../shared/fields.tsx';
import { useAction } from '../shared/use-action.ts';
import { useConfirm } from '../shared/confirm.tsx';
import { archiveRecord } from '../account-applications/commands.ts';
import { AccountChip, Row } from '../account-applications/ui.tsx';

const TONES = { pending: 'info', archived: 'success' } as const;

/** 档案岗 queue: oldest first; the paper file's place once archived. */
export const ArchiveList = () => {
  const t = useTranslate();
  const statuses = ['pending', 'archived'].map((id) => ({ id, name: t(`accounts.archive_status.${id}`) }));
  return (
    <List title="accounts.resources.account-archives" filters={[<SelectInput key="s" source="status" label="accounts.field.status" choices={statuses} alwaysOn />]} filterDefaultValues={{ status: 'pending' }} sort={{ field: 'createdAt', order: 'ASC' }} perPage={25} storeKey="account-archives.queue" exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <InstantColumn source="createdAt" label="accounts.field.createdAt" />
        <MonoColumn source="reference" label="accounts.field.reference" disableSort />
        <DataTable.Col source="applicantName" label="accounts.field.applicantName" disableSort />
        <DataTable.Col source="subject" label="accounts.field.subject" disableSort>
          <SubjectCell />
        </DataTable.Col>
        <DataTable.Col source="status" label="accounts.field.status" disableSort>
          <AccountChip source="status" group="archive_status" tones={TONES} />
        </DataTable.Col>
        <DataTable.Col source="fileLocation" label="accounts.field.fileLocation" disableSort>
          <TextField source="fileLocation" emptyText="—" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};

const SubjectCell = () => {
  const r = useRecordContext();
  const t = useTranslate();
  return r ? <span>{t(`accounts.subject.${r.subject}`)}</span> : null;
};

/** Check every document the rule lists, say where the paper file is, archive; later, record moves. */
const ArchiveForm = () => {
  const record = useRecordContext();
  const t = useTranslate();
  const act = useAction();
  const dp = useDataProvider<AdminDataProvider>();
  const { ask, dialog } = useConfirm();
  if (!record) return null;
  const archived = record.status === 'archived';
  const choices = (record.requiredDocuments as string[]).map((id) => ({ id, name: t(`accounts.archive_document.${id}`) }));
  // issue 18: filing ends the case for good; a move of the paper file only records where it is now
  const submit = async (v: Record<string, unknown>) => {
    const params = { reference: record.reference, location: String(v.fileLocation ?? '') };
    const ok = await ask(
      archived
        ? { title: 'accounts.confirm.archive_move_title', consequence: 'accounts.confirm.archive_move', params, confirm: 'accounts.archive.move', tone: 'neutral' }
        : { title: 'accounts.confirm.archive_title', consequence: 'accounts.confirm.archive', params, confirm: 'accounts.archive.submit', tone: 'primary' },
    );
    if (!ok) return undefined;
    return act(
      () => archiveRecord(dp, record.id, { checkedDocuments: (v.checkedDocuments as string[]) ?? [], fileLocation: String(v.fileLocation ?? ''), note: String(v.note ?? '') }),
      archived ? 'accounts.archive.moved' : 'accounts.archive.done',
    );
  };
  return (
    <section aria-labelledby="archive-heading" style={{ width: '100%' }}>
      <h2 id="archive-heading" className="section-heading">{t(archived ? 'accounts.archive.move_heading' : 'accounts.archive.heading')}</h2>
      <p className="muted">{t('accounts.archive.help')}</p>
      <Form defaultValues={{ checkedDocuments: record.checkedDocuments, fileLocation: record.fileLocation ?? '', note: record.note ?? '' }} onSubmit={submit}>
        {archived ? null : <CheckboxGroupInput source="checkedDocuments" label="accounts.archive.checklist" choices={choices} row={false} />}
        <TextInput source="fileLocation" label="accounts.field.fileLocation" helperText="accounts.archive.location_help" validate={[required(), maxLength(120)]} />
        <TextInput source="note" label="accounts.field.note" fullWidth validate={maxLength(500)} />
        <SaveButton label={archived ? 'accounts.archive.move' : 'accounts.archive.submit'} alwaysEnable />
      </Form>
      {dialog}
    </section>
  );
};

export const ArchiveShow = () => (
  <Show title="accounts.resources.account-archives">
    <SimpleShowLayout>
      <div className="show-grid">
        <Row label="accounts.field.reference"><TextField source="reference" className="mono" /></Row>
        <Row label="accounts.field.applicantName"><TextField source="applicantName" /></Row>
        <Row label="accounts.field.status"><AccountChip source="status" group="archive_status" tones={TONES} /></Row>
        <Row label="accounts.field.fileLocation"><TextField source="fileLocation" emptyText="—" /></Row>
        <Row label="accounts.field.archivedAt"><InstantField source="archivedAt" emptyText="—" /></Row>
        <Row label="accounts.field.archivedBy"><TextField source="archivedBy" emptyText="—" /></Row>
      </div>
      <ArchiveForm />
    </SimpleShowLayout>
  </Show>
);
